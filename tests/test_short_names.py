"""A source without a sidecar gets a short name cut at a word boundary (or its outlet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import make_project

LONG_TITLE = "Ukraine and Russia agree prisoner-exchange framework after overnight talks in the Gulf"


@pytest.mark.parametrize("first_line", [LONG_TITLE, "Talks " + "resume-after-a-pause-of-many-weeks " * 3])
def test_a_short_name_ends_on_a_whole_word(tmp_path: Path, first_line: str) -> None:
    from pipeline.ingest import ingest
    from pipeline.inputs import load_inputs

    root = make_project(tmp_path)
    (root / "inputs" / "sources" / "gulf-talks.txt").write_text(
        f"{first_line}\n\nNegotiators met overnight and agreed a framework for an exchange of prisoners.\n")
    inputs = load_inputs(root / "inputs")
    sources, _, _ = ingest(inputs.sources, inputs.codebook.lexicon.model)
    row = sources[sources["source_id"] == "gulf-talks"].iloc[0]
    short = row["short"]
    assert row["has_sidecar"] in (False, "False")
    assert 0 < len(short) <= 40 or " " not in short
    words = " ".join(first_line.split()).split(" ")
    kept = short.rstrip("…").split(" ")
    assert kept == words[:len(kept)], f"{short!r} cuts a word of {first_line!r}"
    assert not re.search(r"\w-$", short.rstrip("…"))
