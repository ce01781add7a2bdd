"""Robustness: 300 generated articles (tests/generated_articles.py: recombined paragraphs,
shuffled names and dates, odd punctuation, endless and one-word sentences, no punctuation at
all, shouting, labels, credits, CRLF, absurd numbers) dropped in with sidecars and no
annotations. None may crash or be refused as bad input, and every table keeps its schema.

The stages run in-process up to the schema check (build(check_only=True)), in batches so a
failure names a small set; one batch is also built in full through the command line (PDF and
HTML), which must exit 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.build import CONTRACT_TABLES, build
from tests.conftest import make_project
from tests.generated_articles import Article, generate

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = generate(300, seed=13)
BATCH = 30


def _project(tmp: Path, articles: list[Article]) -> Path:
    root = make_project(tmp)
    for art in articles:
        (root / "inputs/sources" / f"{art.id}.txt").write_bytes(art.text.encode("utf-8"))
        side = {k: v for k, v in art.sidecar.items() if v is not None}
        (root / "inputs/sources" / f"{art.id}.yaml").write_text(
            yaml.safe_dump(side, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return root


def test_the_generator_is_deterministic_and_varied() -> None:
    again = generate(300, seed=13)
    assert [a.text for a in again] == [a.text for a in ARTICLES]
    kinds = {k for a in ARTICLES for k in a.kinds}
    assert len(ARTICLES) == 300 and len(kinds) >= 15
    assert any(len(a.text.split()) > 1500 for a in ARTICLES)                     # endless
    assert any(a.text.strip() and not any(c in a.text for c in ".!?") for a in ARTICLES)  # no stops


@pytest.mark.parametrize("start", range(0, len(ARTICLES), BATCH))
def test_generated_articles_build_with_valid_tables(tmp_path: Path, start: int) -> None:
    batch = ARTICLES[start:start + BATCH]
    root = _project(tmp_path, batch)
    try:
        result = build(root, check_only=True, use_cache=False)
    except Exception as exc:  # noqa: BLE001 - the message names the batch's distortions
        detail = "; ".join(f"{a.id}: {','.join(a.kinds)}" for a in batch)
        raise AssertionError(f"{type(exc).__name__}: {exc}\nbatch: {detail}") from exc
    assert result.status == "checked"
    assert set(CONTRACT_TABLES) <= set(result.counts)
    assert result.counts["sources"] == len(batch) + 2      # the two seed texts stay


def test_one_batch_builds_in_full_from_the_command_line(tmp_path: Path) -> None:
    harsh = [a for a in ARTICLES if {"odd", "endless", "no_punct", "labels", "dates"} & set(a.kinds)][:12]
    root = _project(tmp_path, harsh)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "pipeline", "build", "--root", str(root), "--quiet"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert (root / "output/briefing.pdf").stat().st_size > 0
    assert (root / "output/briefing.html").read_text(encoding="utf-8").count("<html") == 1


def test_machine_rows_point_into_the_text_of_every_generated_article() -> None:
    """Offsets are what every note and quote is built from: on all 300 articles, a mention's
    surface is the text at its offsets, discovered actors have valid unique ids, and no event
    or term points outside its source."""
    import hashlib

    from pipeline.extract import extract
    from pipeline.ingest import ingest
    from pipeline.inputs import ID_RE, Sidecar, Source, load_inputs

    codebook = load_inputs(ROOT / "inputs").codebook
    sources = []
    for art in ARTICLES:
        text = art.text.replace("\r\n", "\n")
        side = Sidecar(**{k: v for k, v in art.sidecar.items() if v is not None})
        sources.append(Source(art.id, Path(f"{art.id}.txt"), text, side, True,
                              hashlib.sha256(text.encode()).hexdigest()))
    _, _, sentences = ingest(sources, codebook.lexicon.model)
    machine = extract(codebook, sources, sentences)
    texts = {s.id: s.text for s in sources}
    m = machine["mentions"]
    assert len(m) > 1000
    bad = [(r.source_id, r.surface) for r in m.itertuples()
           if texts[r.source_id][r.char_start:r.char_end] != r.surface]
    assert not bad, bad[:5]
    autos = machine["auto_actors"]
    assert autos["actor_id"].is_unique and all(ID_RE.match(i) for i in autos["actor_id"])
    assert set(m["actor_id"]) <= {a.id for a in codebook.actors.model} | set(autos["actor_id"])
    for name in ("events", "terms"):
        rows = machine[name]
        assert all(0 <= s <= e <= len(texts[sid]) for sid, s, e in
                   zip(rows["source_id"], rows["char_start"], rows["char_end"], strict=True))
