"""Saved web pages, read as the pipeline reads them, scored on the public article-extraction
benchmark (scrapinghub/article-extraction-benchmark: 181 real news pages, each with its
article body written out by a person).

Each page is put in a fresh project's inputs/sources/ and goes through the project's own
discovery, HTML reader and ingest, exactly as a saved page would in a build; what is scored is
the text of the source's `body` and `sidebar` passages (what analysis reads), against the
page's `articleBody`, with the benchmark's own measure (evaluate.py: 4-token shingles, each
page's tp/fp/fn normalised so long pages weigh no more). Plain `trafilatura.extract` on the
same HTML is scored beside it. Two summaries are printed, both as the benchmark's README does
(F1 of the mean precision and mean recall) and as the mean of the pages' own F1, then the pages
where the pipeline falls furthest below trafilatura.

    .venv/bin/python bench/article_extraction.py            # ~2-4 minutes on 2 cores
    ARTICLE_BENCH=/path/to/checkout-or-git-dir .venv/bin/python bench/article_extraction.py

The benchmark is not part of the repository (never copied into it): the script looks at
$ARTICLE_BENCH, then the fetch mirror /work/.mirror/scrapinghub+article-extraction-benchmark/repo,
then ../article-extraction-benchmark, and says so and exits 0 when none is there. It may be a
checkout (html/*.html.gz, ground-truth.json) or a bare git directory (read with git archive).
Numbers go to bench/article_extraction.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CANDIDATES = (Path("/work/.mirror/scrapinghub+article-extraction-benchmark/repo"),
              REPO.parent / "article-extraction-benchmark")
TOKEN = re.compile(r"\w+", re.UNICODE)
GOAL_MEAN = 0.96
GOAL_GAP = 0.05


def locate() -> Path | None:
    env = os.environ.get("ARTICLE_BENCH")
    for p in ([Path(env)] if env else []) + list(CANDIDATES):
        if (p / "ground-truth.json").is_file() or ((p / "HEAD").is_file() and (p / "objects").is_dir()):
            return p
    return None


def unpack(where: Path, into: Path) -> Path:
    """A checkout as it is; a bare git directory written out (html/ and ground-truth.json only)."""
    if (where / "ground-truth.json").is_file():
        return where
    archive = subprocess.run(["git", "--git-dir", str(where), "archive", "HEAD", "html", "ground-truth.json"],
                             capture_output=True, check=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


# --- the benchmark's measure (evaluate.py, same definitions) ---------------------------------

def _shingles(text: str, n: int = 4) -> Counter:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    t, p = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tp += min(t[key], p[key])
        fp += max(0, p[key] - t[key])
        fn += max(0, t[key] - p[key])
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def page_f1(c: tuple[float, float, float]) -> float:
    p, r = precision(*c), recall(*c)
    return 2 * p * r / (p + r) if p + r else 0.0


def summary(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r,
            "mean_page_f1": statistics.mean(page_f1(c) for c in counts)}


# --- the two extractors ----------------------------------------------------------------------

def _pipeline_bodies(pages: dict[str, bytes]) -> dict[str, str]:
    """Body and sidebar passages of each page, through discovery, the reader and ingest."""
    sys.path.insert(0, str(REPO))
    from pipeline.ingest import ingest
    from pipeline.inputs import Lexicon, load_yaml_model
    from pipeline.readers.discover import load_sources

    lexicon = load_yaml_model(REPO / "inputs" / "codebook" / "lexicon.yaml", Lexicon).model
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="article-bench-") as tmp:
        root = Path(tmp)
        (root / "sources").mkdir()
        for key, data in pages.items():
            (root / "sources" / f"p{key[:20]}.html").write_bytes(data)
        problems: list = []
        warnings: list[str] = []
        sources, _ = load_sources(root, 50 * 1024 * 1024, problems, warnings, None)
        failed = {p.path for p in problems}
        _, passages, _ = ingest(sources, lexicon)
    kept = passages[passages["kind"].isin(["body", "sidebar"])]
    texts = kept.groupby("source_id")["text"].apply(lambda s: "\n".join(s)).to_dict()
    for key in pages:
        out[key] = texts.get(f"p{key[:20]}", "")
    if failed:
        print(f"  {len(failed)} page(s) refused by the reader: {sorted(failed)[:5]}", file=sys.stderr)
    return out


def _trafilatura_bodies(pages: dict[str, bytes]) -> dict[str, str]:
    import trafilatura

    return {key: trafilatura.extract(data) or "" for key, data in pages.items()}


def _run_chunk(args: tuple[str, dict[str, bytes]]) -> dict[str, str]:
    which, pages = args
    return _pipeline_bodies(pages) if which == "pipeline" else _trafilatura_bodies(pages)


def extract_all(which: str, pages: dict[str, bytes], workers: int) -> dict[str, str]:
    keys = sorted(pages)
    chunks = [{k: pages[k] for k in keys[i::workers]} for i in range(workers)]
    out: dict[str, str] = {}
    with ProcessPoolExecutor(workers) as pool:
        for part in pool.map(_run_chunk, [(which, c) for c in chunks]):
            out.update(part)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--worst", type=int, default=8, help="pages listed where we trail trafilatura most")
    ap.add_argument("--only", nargs="*", help="page keys (prefixes) to score, for debugging")
    ap.add_argument("--dump", type=Path, help="write each page's two extractions here")
    args = ap.parse_args()
    where = locate()
    if where is None:
        print("article-extraction benchmark not found (set ARTICLE_BENCH to a checkout or git dir of "
              "scrapinghub/article-extraction-benchmark): skipped")
        return 0
    with tempfile.TemporaryDirectory(prefix="article-bench-src-") as tmp:
        base = unpack(where, Path(tmp))
        truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
        keys = sorted(truth)
        if args.only:
            keys = [k for k in keys if any(k.startswith(o) for o in args.only)]
        pages = {k: gzip.decompress((base / "html" / f"{k}.html.gz").read_bytes()) for k in keys}
    ours = extract_all("pipeline", pages, args.workers)
    plain = extract_all("trafilatura", pages, args.workers)
    rows = []
    for k in keys:
        gold = truth[k].get("articleBody", "")
        a, b = tp_fp_fn(gold, ours[k]), tp_fp_fn(gold, plain[k])
        rows.append({"page": k, "url": truth[k].get("url", ""), "ours": a, "trafilatura": b,
                     "f1_ours": page_f1(a), "f1_trafilatura": page_f1(b),
                     "precision_ours": precision(*a), "recall_ours": recall(*a)})
    s_ours = summary([r["ours"] for r in rows])
    s_traf = summary([r["trafilatura"] for r in rows])
    gaps = sorted(rows, key=lambda r: r["f1_ours"] - r["f1_trafilatura"])
    below = [r for r in rows if r["f1_trafilatura"] - r["f1_ours"] > GOAL_GAP]
    print(f"article-extraction benchmark: {len(rows)} pages ({where})")
    print(f"{'':28} {'F1':>6} {'prec':>6} {'recall':>6} {'mean page F1':>13}")
    for name, s in (("pipeline (body + sidebar)", s_ours), ("plain trafilatura.extract", s_traf)):
        print(f"{name:28} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} {s['mean_page_f1']:13.3f}")
    print(f"pages more than {GOAL_GAP} below trafilatura: {len(below)}")
    print("furthest below trafilatura (page F1 ours / trafilatura, precision / recall ours):")
    for r in gaps[: args.worst]:
        print(f"  {r['page'][:12]}  {r['f1_ours']:.3f} / {r['f1_trafilatura']:.3f}  "
              f"p {r['precision_ours']:.3f} r {r['recall_ours']:.3f}  {r['url'][:70]}")
    worst = sorted(rows, key=lambda r: r["f1_ours"])[: args.worst]
    print("lowest page F1 (ours / trafilatura):")
    for r in worst:
        print(f"  {r['page'][:12]}  {r['f1_ours']:.3f} / {r['f1_trafilatura']:.3f}  {r['url'][:70]}")
    ok = s_ours["f1"] >= GOAL_MEAN and s_ours["mean_page_f1"] >= GOAL_MEAN and not below
    print(f"goal (F1 >= {GOAL_MEAN}, no page > {GOAL_GAP} below trafilatura): {'met' if ok else 'NOT met'}")
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for k in keys:
            (args.dump / f"{k[:12]}.ours.txt").write_text(ours[k], encoding="utf-8")
            (args.dump / f"{k[:12]}.traf.txt").write_text(plain[k], encoding="utf-8")
            (args.dump / f"{k[:12]}.gold.txt").write_text(truth[k].get("articleBody", ""), encoding="utf-8")
    if not args.only:
        result = {"pages": len(rows), "pipeline": s_ours, "trafilatura": s_traf,
                  "pages_below_trafilatura": [r["page"] for r in below],
                  "worst_gaps": [{k: r[k] for k in ("page", "url", "f1_ours", "f1_trafilatura")}
                                 for r in gaps[: args.worst]]}
        (REPO / "bench" / "article_extraction.json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
