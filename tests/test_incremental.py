"""What a daily rebuild redoes (issue 22): the per-source parts of the corpus-wide stages are
remembered by each source's own content (pipeline.cache.Memo), so adding one source to
thousands recomputes that source's parts only, and the result is the same as computing all."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.cache import Memo, Store
from pipeline.contrast import contrast
from pipeline.extract import extract
from pipeline.ingest import ingest
from pipeline.inputs import load_inputs
from pipeline.review import review
from pipeline.tables import build_tables
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def staged() -> tuple:
    """The seed's stages up to contrast's inputs, as build() runs them."""
    inputs = load_inputs(ROOT / "inputs")
    sources, passages, sentences = ingest(inputs.sources, inputs.codebook.lexicon.model)
    machine = extract(inputs.codebook, inputs.sources, sentences)
    merged = review(inputs, passages, sentences, machine)
    return inputs, build_tables(inputs, sources, passages, merged), merged.positions, passages


def _same(a: dict, b: dict) -> None:
    for name in ("evidence", "framing", "notes", "coverage", "positions"):
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_contrast_remembers_each_sources_evidence_and_framing(staged: tuple, tmp_path: Path) -> None:
    inputs, tables, positions, passages = staged
    plain = contrast(inputs, tables, positions, passages)
    sources = passages["source_id"].nunique()
    store = Store(tmp_path / ".cache")

    def run(passages: pd.DataFrame) -> tuple[dict, int]:
        memo = Memo(store, "contrast", "code")
        out = contrast(inputs, tables, positions, passages, memo)
        memo.save()
        return out, memo.missed

    first, missed = run(passages)
    _same(first, plain)
    assert missed == 2 * sources          # each source's evidence and words for the war
    again, missed = run(passages)
    _same(again, plain)
    assert missed == 0                    # nothing computed again
    # one source's text edited: its two parts only, and the same as computing everything
    sid = sorted(passages["source_id"].unique())[0]
    body = passages.index[(passages["source_id"] == sid) & (passages["kind"] == "body")
                          & (passages["text"] != passages["section"])][0]
    edited = passages.copy()
    edited.loc[body, "text"] = edited.loc[body, "text"] + " The ceasefire plan was discussed."
    changed, missed = run(edited)
    assert missed == 2
    _same(changed, contrast(inputs, tables, positions, edited))
