"""Measure the copy threshold (pipeline/ingest/copies.py THRESHOLD): containment of word 5-grams for
pairs known to be copies and pairs known not to be, so the threshold sits in the gap.

Copies:
- the fixtures' syndicated pair (one wire story, two outlets: another headline, a local
  intro, a trimmed ending, outlet boilerplate; HTML and Markdown) and the policy brief as PDF
  and as its web page (tests/fixtures/readers/);
- every body text below, republished as wire copies are: a new headline and a local intro
  paragraph, the outlet's boilerplate at the end, and the last 0 %, 30 % or 50 % of
  paragraphs cut; straight quotes for curly ones; one variant with every fifth paragraph
  lightly edited ("said" -> "told reporters") as subeditors do.
Not copies:
- every pair of distinct texts: the seed's two analyses of the same peace process, the three
  fixture articles on it (tests/fixtures/*.txt), the reader fixtures (same topic, other stories);
- the bench's synthetic corpus (bench/corpus.py): sources stitched from the seed's own
  paragraphs with names and dates swapped, the hardest case, since each shares whole
  paragraphs with the seed and with the others, against the seed and each other.

    .venv/bin/python bench/copies_threshold.py [--synthetic 60]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.ingest.copies import MIN_SHINGLES, THRESHOLD, containment, shingles  # noqa: E402


def body_of(path: Path) -> list[str]:
    from pipeline.ingest import segment
    from pipeline.inputs import Lexicon, Sidecar, Source
    from pipeline.readers import read

    r = read(path, path.read_bytes())
    src = Source("x", path, r.text, Sidecar(), False, "", reading=r)
    lex = Lexicon(reference_headings=["References", "Sources", "Notes"], comment_gap=3)
    return [row["text"] for row in segment(src, lex)[1] if row["kind"] in ("body", "sidebar")]


def republish(paras: list[str], cut: float, rng: random.Random, edit: bool) -> list[str]:
    keep = paras[: max(1, round(len(paras) * (1 - cut)))]
    out = ["Local readers have followed this story closely; our wire partner reports on the latest."]
    for i, p in enumerate(keep):
        p = p.replace("“", '"').replace("”", '"').replace("’", "'")
        if edit and i % 5 == 0:
            p = p.replace(" said ", " told reporters ", 1)
        out.append(p)
    out.append("Copyright 2025 the wire service. Sign up for our newsletter for the morning's headlines.")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", type=int, default=60, help="synthetic bench sources to include")
    args = ap.parse_args(argv)
    fix = REPO / "tests" / "fixtures" / "readers"
    texts: dict[str, list[str]] = {}
    for p in sorted((REPO / "inputs" / "sources").glob("*.txt")) + sorted((REPO / "tests" / "fixtures").glob("*.txt")):
        texts[p.stem] = body_of(p)
    for name in ("harbour-ledger-monitors.html", "coastal-times-florida-talks.html", "black-sea-notes.md",
                 "corridor-brief.pdf"):
        texts[name] = body_of(fix / name)
    known = [("coastal-times-florida-talks.html", fix / "Danube Daily - Florida talks.md"),
             ("corridor-brief.pdf", fix / "corridor-brief.html")]

    sets = {k: shingles(" ".join(v)) for k, v in texts.items()}
    positives: list[tuple[str, float]] = []
    for name, other in known:
        positives.append((f"{name} ~ {other.name}", containment(sets[name], shingles(" ".join(body_of(other))))))
    rng = random.Random(7)
    for name, paras in texts.items():
        for cut in (0.0, 0.3, 0.5):
            for edit in (False, True):
                copy = shingles(" ".join(republish(paras, cut, rng, edit)))
                positives.append((f"{name} republished cut={cut:.0%} edit={edit}", containment(sets[name], copy)))

    negatives: list[tuple[str, float]] = []
    names = sorted(sets)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            negatives.append((f"{a} vs {b}", containment(sets[a], sets[b])))
    if args.synthetic:
        sys.path.insert(0, str(REPO / "bench"))
        from corpus import make_corpus

        with tempfile.TemporaryDirectory() as tmp:
            make_corpus(Path(tmp) / "c", args.synthetic + 2)
            synth = {p.stem: shingles(" ".join(body_of(p)))
                     for p in sorted((Path(tmp) / "c" / "inputs" / "sources").glob("synth-*.txt"))}
        seeds = {k: sets[k] for k in ("weekend-update-165", "anchorage-framework-telegraph")}
        keys = sorted(synth)
        for i, a in enumerate(keys):
            for s, sset in seeds.items():
                negatives.append((f"{a} vs {s}", containment(synth[a], sset)))
            for b in keys[i + 1:]:
                negatives.append((f"{a} vs {b}", containment(synth[a], synth[b])))

    positives = [p for p in positives if p[1] == p[1]]
    lo = min(positives, key=lambda x: x[1])
    hi = max(negatives, key=lambda x: x[1])
    print(f"copies: {len(positives)} pairs, containment min {lo[1]:.3f} ({lo[0]})")
    print(f"not copies: {len(negatives)} pairs, containment max {hi[1]:.3f} ({hi[0]})")
    for q in (0.5, 0.9, 0.99):
        vals = sorted(v for _, v in negatives)
        print(f"  not copies, {q:.0%} quantile: {vals[int(q * (len(vals) - 1))]:.3f}")
    print(f"THRESHOLD = {THRESHOLD} (MIN_SHINGLES = {MIN_SHINGLES}); "
          f"gap {'holds' if hi[1] < THRESHOLD <= lo[1] else 'VIOLATED'}: {hi[1]:.3f} < {THRESHOLD} <= {lo[1]:.3f}")
    return 0 if hi[1] < THRESHOLD <= lo[1] else 1


if __name__ == "__main__":
    raise SystemExit(main())
