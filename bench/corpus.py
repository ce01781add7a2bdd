"""Seeded synthetic corpus: N sources recombined from the seed's body paragraphs.

Each synthetic source takes the seed's body paragraphs (as ingest labels them), shuffles them
under the seed's own section headings, shifts every date by a whole number of months and swaps
codebook names for other names of the same type (person for person, state for state, ...).
The sidecar's `published` date is shifted by the same amount. Synthetic sources get no
annotations, so everything found in them is machine-found and unreviewed; the seed sources and
their annotations are kept, so the briefing's key points still resolve.

    python bench/corpus.py --sources 200 --out /tmp/corpus200     # ~500,000 words

The same (sources, seed) always gives byte-identical files.
"""

from __future__ import annotations

import argparse
import calendar
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MONTHS = [calendar.month_name[i] for i in range(1, 13)]
DATE_RE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+)?(?P<month>" + "|".join(MONTHS) + r")\b"
    r"(?:\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    r"|\b(?P<lone>20[0-3]\d)\b(?![-–]point)")
# Drawn uniformly; with the overshoot of the last section ≈ 2,500 words a source, so 200
# sources ≈ 500,000 words.
WORDS_PER_SOURCE = (1600, 3000)


@dataclass(frozen=True)
class Seed:
    """What the generator draws from: paragraphs, headings, sidecars and codebook names."""

    paragraphs: list[str]
    headings: list[str]
    titles: list[str]
    published: list[str]
    names_by_type: dict[str, list[tuple[str, list[str]]]]   # type → [(name, aliases)]


def load_seed(repo: Path = REPO) -> Seed:
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    from pipeline.ingest import segment
    from pipeline.inputs import load_inputs

    inputs = load_inputs(repo / "inputs")
    lexicon = inputs.codebook.lexicon.model
    paragraphs: list[str] = []
    headings: list[str] = []
    titles: list[str] = []
    published: list[str] = []
    for source in inputs.sources:
        facts, rows = segment(source, lexicon)
        titles.append(source.sidecar.title or facts["title_line"])
        published.append(source.sidecar.published or "2025")
        for row in rows:
            if row["kind"] != "body":
                continue
            if row["section"] and row["section"] not in headings:
                headings.append(row["section"])
            if len(row["text"].split()) >= 8:
                paragraphs.append(row["text"])
    names: dict[str, list[tuple[str, list[str]]]] = {}
    for actor in inputs.codebook.actors.model:
        names.setdefault(actor.type, []).append((actor.name, list(actor.aliases)))
    return Seed(paragraphs, headings or ["Analysis"], titles, published, names)


def name_swapper(seed: Seed, rng: random.Random):  # noqa: ANN201 - returns a str → str function
    """Swap every codebook name for another of the same type, consistently within one source."""
    pairs: dict[str, str] = {}
    for group in seed.names_by_type.values():
        if len(group) < 2:
            continue
        targets = group[:]
        rng.shuffle(targets)
        for (name, aliases), (new_name, new_aliases) in zip(group, targets, strict=True):
            if " " in name and " " in new_name and len(aliases) >= 2 and name in aliases:
                # people: full name → full name, surname → surname ("President Trump" follows)
                pairs.setdefault(name, new_name)
                pairs.setdefault(name.split()[-1], new_name.split()[-1])
                continue
            for j, alias in enumerate(aliases):
                pairs.setdefault(alias, new_aliases[j] if j < len(new_aliases) else new_name)
            pairs.setdefault(name, new_name)
    if not pairs:
        return lambda text: text
    regex = re.compile(r"(?<![\w])(" + "|".join(re.escape(a) for a in sorted(pairs, key=len, reverse=True))
                       + r")(?![\w])")
    return lambda text: regex.sub(lambda m: pairs[m.group(1)], text)


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + months
    return k // 12, k % 12 + 1


def date_shifter(months: int):  # noqa: ANN201 - returns a str → str function
    """Move every written date by `months` (days past the 28th are clamped to the 28th)."""
    years = int(months / 12)

    def one(m: re.Match) -> str:
        if m.group("lone"):
            return str(int(m.group("lone")) + years)
        month = MONTHS.index(m.group("month")) + 1
        year = int(m.group("year")) if m.group("year") else 2025
        new_year, new_month = shift_month(year, month, months)
        out = MONTHS[new_month - 1]
        if m.group("d1"):
            out = f"{min(int(m.group('d1')), 28)} {out}"
        if m.group("d2"):
            out = f"{out} {min(int(m.group('d2')), 28)}"
        if m.group("year"):
            out = f"{out}{',' if ',' in m.group(0) else ''} {new_year}"
        return out

    return lambda text: DATE_RE.sub(one, text)


def shift_published(published: str, months: int) -> str:
    parts = published.split("-")
    if len(parts) == 1:
        return str(int(parts[0]) + int(months / 12))
    year, month = shift_month(int(parts[0]), int(parts[1]), months)
    if len(parts) == 2:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{min(int(parts[2]), 28):02d}"


def synthetic_source(seed: Seed, index: int, corpus_seed: int,
                     words_per_source: tuple[int, int] = WORDS_PER_SOURCE) -> tuple[str, str, int]:
    """(text, sidecar yaml, words) of synthetic source number `index`."""
    rng = random.Random(f"briefing-bench:{corpus_seed}:{index}")
    base = rng.randrange(len(seed.titles))
    months = rng.choice([m for m in range(-18, 19) if m])
    swap, shift = name_swapper(seed, rng), date_shifter(months)
    target = rng.randint(*words_per_source)
    title = f"{swap(shift(seed.titles[base]))} (synthetic {index:03d})"
    lines = [title, ""]
    words = 0
    while words < target:
        lines += ["", rng.choice(seed.headings)]
        for _ in range(rng.randint(3, 9)):
            para = swap(shift(rng.choice(seed.paragraphs)))
            lines.append(para)
            words += len(para.split())
    text = "\n".join(lines) + "\n"
    published = shift_published(seed.published[base], months)
    sidecar = "\n".join([
        f"title: {_yaml_str(title)}",
        f"short: \"Synthetic {index:03d}\"",
        f"author: \"Synthetic author {index:03d}\"",
        "outlet: \"Synthetic corpus (bench/corpus.py)\"",
        f"published: \"{published}\"",
        f"published_note: \"Synthetic: seed paragraphs, dates shifted by {months} months, names swapped.\"",
        "kind: analysis",
    ]) + "\n"
    return text, sidecar, len(text.split())


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_corpus(out: Path, n_sources: int, corpus_seed: int = 1, repo: Path = REPO) -> dict:
    """Write a project at `out` (inputs/ + templates/): the seed plus n_sources - 2 synthetic
    sources (n_sources counts the seed's own). Returns {"sources": ..., "words": ...}."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(repo / "inputs", out / "inputs")
    shutil.copytree(repo / "templates", out / "templates")
    seed = load_seed(repo)
    folder = out / "inputs" / "sources"
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in folder.glob("*.txt"))
    n_seed = len(seed.titles)
    words += add_mixed(folder, seed, 1, max(0, n_sources - n_seed), corpus_seed)
    return {"sources": max(n_sources, n_seed), "words": words}


def add_mixed(folder: Path, seed: Seed, first: int, count: int, corpus_seed: int = 1,
              words_per_source: tuple[int, int] = WORDS_PER_SOURCE) -> int:
    """Write synthetic sources number first .. first + count - 1 into `folder`; their words."""
    words = 0
    for index in range(first, first + count):
        text, sidecar, w = synthetic_source(seed, index, corpus_seed, words_per_source)
        (folder / f"synth-{index:03d}.txt").write_text(text, encoding="utf-8")
        (folder / f"synth-{index:03d}.yaml").write_text(sidecar, encoding="utf-8")
        words += w
    return words


def add_copies(folder: Path, originals: list[str], first: int, count: int) -> int:
    """Exact copies of the texts of `originals` (source ids in `folder`, taken in turn): the same
    text under another file name, with a sidecar of its own as a reprint would have. Their words."""
    words = 0
    for i, index in enumerate(range(first, first + count)):
        original = originals[i % len(originals)]
        text = (folder / f"{original}.txt").read_text(encoding="utf-8")
        sidecar = folder / f"{original}.yaml"
        published = [line for line in (sidecar.read_text(encoding="utf-8").splitlines() if sidecar.exists() else [])
                     if line.startswith("published:")]
        (folder / f"copy-{index:03d}.txt").write_text(text, encoding="utf-8")
        (folder / f"copy-{index:03d}.yaml").write_text("\n".join([
            f"title: \"Reprint {index:03d} of {original}\"",
            f"short: \"Reprint {index:03d}\"",
            f"outlet: \"Synthetic reprint outlet {index % 7}\"",
            *published[:1],
            "kind: analysis",
        ]) + "\n", encoding="utf-8")
        words += len(text.split())
    return words


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sources", type=int, default=200, help="sources in all, the seed's included")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same corpus)")
    p.add_argument("--out", type=Path, required=True, help="project folder to (re)create")
    args = p.parse_args(argv)
    stats = make_corpus(args.out, args.sources, args.seed)
    print(f"{args.out}: {stats['sources']} sources, {stats['words']:,} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
