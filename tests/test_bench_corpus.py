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

from pipeline.config import load_inputs  # noqa: E402


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
