"""The bench's synthetic corpus (bench/corpus.py): seeded, valid input, dates and names moved.

The 200-source numbers in bench/results.json are only comparable from one session to the next
if the generator keeps giving the same corpus, and only meaningful if that corpus is input the
pipeline accepts (not an error path measured by mistake).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402 - bench/ is a folder of scripts, not a package

from pipeline.inputs import load_inputs  # noqa: E402


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((folder / "inputs" / "sources").iterdir())}


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus") / "six"
    return out, corpus.make_corpus(out, 6)


def test_same_seed_same_bytes_other_seed_other_corpus(six: tuple[Path, dict], tmp_path: Path) -> None:
    out, _stats = six
    again = corpus.make_corpus(tmp_path / "again", 6)
    other = corpus.make_corpus(tmp_path / "other", 6, corpus_seed=2)
    assert again["words"] == _stats["words"]
    assert _digest(tmp_path / "again") == _digest(out)
    synth = [name for name in _digest(out) if name.startswith("synth-")]
    assert len(synth) == 8                       # 4 synthetic sources, text + sidecar each
    assert all(_digest(tmp_path / "other")[n] != _digest(out)[n] for n in synth if n.endswith(".txt"))
    assert other["sources"] == 6


def test_corpus_is_valid_input_of_the_promised_size(six: tuple[Path, dict]) -> None:
    out, stats = six
    inputs = load_inputs(out / "inputs")        # raises InputError on anything the build would refuse
    assert len(inputs.sources) == stats["sources"] == 6
    low, high = corpus.WORDS_PER_SOURCE
    for path in sorted((out / "inputs" / "sources").glob("synth-*.txt")):
        words = len(path.read_text(encoding="utf-8").split())
        assert low <= words <= high + 1000, path.name   # the last section may overshoot the draw
    annotated = {p.stem for p in (out / "inputs" / "annotations").glob("*.yaml")}
    assert not any(name.startswith("synth-") for name in annotated)   # synthetic means unreviewed


def test_dates_shift_by_whole_months() -> None:
    shift = corpus.date_shifter(5)
    assert shift("On 15 August 2025 they met; by November 2025 a plan.") == \
        "On 15 January 2026 they met; by April 2026 a plan."
    assert corpus.date_shifter(-3)("on 31 March") == "on 28 December"   # clamped past the 28th
    assert corpus.shift_published("2025-11", 3) == "2026-02"
    assert corpus.shift_published("2025-12-28", -12) == "2024-12-28"
    assert corpus.shift_published("2025", 14) == "2026"


def test_names_swap_within_their_type() -> None:
    import random

    seed = corpus.load_seed()
    swap = corpus.name_swapper(seed, random.Random(7))
    people = seed.names_by_type["person"]
    full_names = {name for name, _aliases in people}
    moved = [name for name in sorted(full_names) if swap(name) != name]
    assert moved, "no person was swapped"
    assert all(swap(name) in full_names for name in moved)   # a person becomes another person


def test_the_ladder_grows_mixed_then_exact_copies_then_short_pieces(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/run.py's ladder (here with its thresholds scaled down from 100 and 200): each size
    adds to the last one's sources, never replaces them."""
    import run  # bench/run.py

    monkeypatch.setattr(run, "MIXED_UP_TO", 4)
    monkeypatch.setattr(run, "COPIES_UP_TO", 8)
    root = run.new_project(tmp_path / "p")
    folder = root / "inputs" / "sources"
    seed = corpus.load_seed()
    own = sorted(p.stem for p in folder.glob("*.txt"))
    assert "2 mixed" in run.grow(root, 4, seed)
    before = _digest(root)
    assert "4 exact copies" in run.grow(root, 8, seed)
    assert "3 short mixed" in run.grow(root, 11, seed)
    after = _digest(root)
    assert all(after[name] == digest for name, digest in before.items())      # built on top
    copies = sorted(folder.glob("copy-*.txt"))
    originals = [next(n for n in own + [p.stem for p in folder.glob("synth-00*.txt")]
                      if (folder / f"{n}.txt").read_bytes() == c.read_bytes()) for c in copies]
    assert len(copies) == 4 and sorted(set(originals) & set(own)) == own       # half of them the seed's
    low, high = run.SHORT_WORDS
    short = sorted(folder.glob("synth-1???.txt"))        # numbered from SHORT_FIRST = 1001
    assert len(short) == 3 and all(low <= len(p.read_text().split()) <= high + 1000 for p in short)
    assert len(load_inputs(root / "inputs").sources) == 11
    assert run.grow(root, 11, seed) == "nothing"


def test_pages_per_section_come_from_the_bookmarks(tmp_path: Path) -> None:
    import run
    import weasyprint

    html = ("<h1 style='bookmark-level: 1'>A</h1><p>a</p><h1 style='bookmark-level: 1'>B</h1>"
            "<p style='break-after: page'>b</p><p style='break-after: page'>b</p><p>b</p>"
            "<h1 style='bookmark-level: 1; break-before: page'>C</h1>")
    (tmp_path / "x.pdf").write_bytes(weasyprint.HTML(string=html).write_pdf())
    # A shares its page with B; B runs over three pages; C starts a page of its own
    assert run.section_pages(tmp_path / "x.pdf") == {"A": 1, "B": 3, "C": 1}
