"""What a daily rebuild redoes (issue 22): the per-source parts of the corpus-wide stages are
remembered by each source's own content (pipeline.cache.Memo), so adding one source to
thousands recomputes that source's parts only, and the result is the same as computing all."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cache import Memo, Store
from pipeline.contrast import contrast, part_jobs, source_parts
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
        """As build() runs it: the parts not remembered started first, then contrast takes them."""
        memo = Memo(store, "contrast", "code")
        started: list[int] = []

        def start(todo: list[dict]) -> Callable[[], list]:
            started.append(len(todo))
            return lambda: [source_parts(job, inputs.codebook) for job in todo]

        parts = memo.start_many(part_jobs(inputs.codebook, tables["sources"], passages), start)
        out = contrast(inputs, tables, positions, passages, parts)
        memo.save()
        assert started == [memo.missed]
        return out, memo.missed

    first, missed = run(passages)
    _same(first, plain)
    assert missed == sources              # each source's evidence and words for the war, as one part
    again, missed = run(passages)
    _same(again, plain)
    assert missed == 0                    # nothing computed again
    # one source's text edited: its part only, and the same as computing everything
    sid = sorted(passages["source_id"].unique())[0]
    body = passages.index[(passages["source_id"] == sid) & (passages["kind"] == "body")
                          & (passages["text"] != passages["section"])][0]
    edited = passages.copy()
    edited.loc[body, "text"] = edited.loc[body, "text"] + " The ceasefire plan was discussed."
    changed, missed = run(edited)
    assert missed == 1
    _same(changed, contrast(inputs, tables, positions, edited))


MEMO_KEYS = """
import sys
from pipeline.contrast import part_jobs
from pipeline.ingest import ingest
from pipeline.inputs import load_inputs

inputs = load_inputs(__import__("pathlib").Path(sys.argv[1]))
sources, passages, _ = ingest(inputs.sources, inputs.codebook.lexicon.model)
for key, _ in part_jobs(inputs.codebook, sources, passages):
    print(key)
"""


def test_contrast_memo_keys_are_the_same_in_every_process() -> None:
    """The per-source memo keys of contrast depend on the inputs only: a key built from a set's
    order (which changes with each process's string hashing) recomputed every source's words
    for the war on every build."""
    import os
    import subprocess
    import sys

    def keys(seed: str) -> list[str]:
        run = subprocess.run([sys.executable, "-c", MEMO_KEYS, str(ROOT / "inputs")], capture_output=True,
                             text=True, timeout=300, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed})
        assert run.returncode == 0, run.stderr[-2000:]
        return run.stdout.split()

    first = keys("1")
    assert len(first) >= 2 and first == keys("2")     # one part per seed source


def test_a_rebuild_on_the_cache_gives_the_bytes_of_a_build_without_it(tmp_path: Path) -> None:
    """The daily rebuild: a project built, one source added, built again on the cache (per-source
    results, memos, the tables' compressed pieces, rendered parts). The same two builds without
    any cache must give byte-identical tables, worksheets and PDF."""
    import shutil
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import add_mixed, load_seed

    from tests.conftest import make_project

    seed = load_seed()
    cached = make_project(tmp_path / "cached")
    add_mixed(cached / "inputs" / "sources", seed, 1, 12, words_per_source=(150, 300))
    cold = tmp_path / "cold"
    shutil.copytree(cached, cold)

    def build(project: Path, use_cache: bool) -> str:
        code = ("import sys\nfrom pathlib import Path\nfrom pipeline.build import build\n"
                f"build(Path(sys.argv[1]), use_cache={use_cache}, progress=lambda m: print(m, flush=True))\n")
        run = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True,
                             timeout=600, cwd=ROOT)
        assert run.returncode == 0, run.stderr[-3000:]
        return run.stdout

    for project, use_cache in ((cached, True), (cold, False)):
        build(project, use_cache)
        add_mixed(project / "inputs" / "sources", seed, 13, 1, words_per_source=(150, 300))
    log = build(cached, True)
    build(cold, False)
    assert not (cold / ".cache").exists() or not any((cold / ".cache").rglob("deflate/*"))
    assert any("pieces deflated" in ln for ln in log.splitlines())     # the tables went the cached way

    def published(project: Path) -> dict[str, bytes]:
        out = project / "output"
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                if p.is_file() and p.parent.name in ("tables", "review", "sources")
                or p.name in ("briefing.pdf", "briefing.html")}

    a, b = published(cached), published(cold)
    assert sorted(a) == sorted(b) and len(a) > 30
    assert [k for k in a if a[k] != b[k]] == []
    changes = [json.loads((p / "output" / "changes.json").read_text()) for p in (cached, cold)]
    for found in changes:
        found["baseline"].pop("built_at")       # when the first build ran: the one difference
    assert changes[0] == changes[1] and changes[0]["baseline"]


def test_copy_candidates_of_a_grown_corpus_are_those_of_a_cold_look() -> None:
    """candidate_pairs on the last build's pairs looks up the new and edited sources only, and
    finds the pairs a cold look at the whole corpus finds."""
    import hashlib
    import random

    from pipeline.ingest.copies import candidate_pairs, minhash, signature

    rng = random.Random(3)
    phrases = [" ".join(rng.choice(["peace", "talks", "envoy", "border", "troops", "plan", "deal", "ceasefire",
                                    "minister", "said", "on", "the", "of", "a", "in", "and"]) for _ in range(12))
               for _ in range(60)]

    def text() -> str:
        return " ".join(rng.sample(phrases, 20))

    texts = {f"s{i:03d}": text() for i in range(120)}
    texts["s120"] = texts["s007"]                     # an exact copy

    def look(texts: dict[str, str], last: dict | None) -> tuple[list, dict]:
        sigs = {sid: signature(t) for sid, t in texts.items()}
        ids = sorted(sigs)
        found, state = candidate_pairs(ids, {sid: minhash(sigs[sid]) for sid in ids},
                                       {sid: len(sigs[sid]) for sid in ids},
                                       {sid: hashlib.sha256(sigs[sid].tobytes()).hexdigest() for sid in ids}, last)
        pairs = [(ids[a], ids[b]) for a, b in found.pairs.tolist()]
        # known: the pairs of two sources the last build had unchanged (their fate is the last's)
        assert found.known.tolist() == [bool(last) and last["keys"].get(a) == state["keys"][a]
                                        and last["keys"].get(b) == state["keys"][b] for a, b in pairs]
        return pairs, {**state, "pairs": found.pairs, "copies": found.pairs[:0]}

    first, state = look(texts, None)
    assert ("s007", "s120") in first and len(first) > 50
    grown = {**texts, "s121": text(), "s122": texts["s030"]}
    grown["s050"] = text()                           # one source edited
    again, _ = look(grown, state)
    cold, _ = look(grown, None)
    assert again == cold
    assert ("s030", "s122") in again
    assert look(texts, state)[0] == first            # the sources removed again


def test_by_source_groups_as_groupby_whether_or_not_a_sources_rows_are_together() -> None:
    """contrast.by_source slices a source's run of rows (the joined tables keep each source's
    rows together) and falls back to gathering them when they are not."""
    from pipeline.contrast import by_source

    together = pd.DataFrame({"source_id": ["b", "b", "a", "c", "c", "c"], "x": [1, 2, 3, 4, 5, 6],
                             "t": ["p", "q", "r", "s", "t", "u"]})
    apart = together.iloc[[0, 2, 1, 3, 5, 4]].reset_index(drop=True)
    for frame in (together, apart, together.iloc[:0]):
        expected = [(sid, {"x": g["x"].tolist(), "t": g["t"].tolist()}) for sid, g in frame.groupby("source_id")]
        assert by_source(frame, ["x", "t"]) == expected
    assert by_source(apart, ["x"])[1] == ("b", {"x": [1, 2]})
