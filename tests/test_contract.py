"""Every invariant of the outside contract (shared/contract.md), checked on the seed build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import make_project

CONTRACT_COLUMNS = {
    "sources": "source_id, title, author, outlet, published, url, kind, words",
    "passages": "passage_id, source_id, seq, section, kind, char_start, char_end, text",
    "notes": "note_id, source_id, passage_id, char_start, char_end, quote",
    "actors": "actor_id, name, type, affiliation, role, aliases, origin, mentions",
    "mentions": "actor_id, source_id, passage_id, char_start, char_end, surface",
    "events": "event_id, date_start, date_end, date_text, precision, title, actors, plan_id, "
              "source_ids, note_ids, origin, status",
    "plans": "plan_id, name, date_start, date_end, precision, points, originator, note_ids",
    "plan_terms": "term_id, plan_id, provision_id, provision, position, value, unit, source_id, "
                  "note_ids, origin, status",
    "positions": "question_id, question, source_id, position, relation, note_ids",
}


def _text(seed: Path, source_id: str) -> str:
    raw = (seed / "inputs" / "sources" / f"{source_id}.txt").read_bytes().decode("utf-8")
    return raw.replace("\r\n", "\n")


def test_every_output_file_exists(seed: Path) -> None:
    out = seed / "output"
    for name in ["briefing.pdf", "briefing.html", "manifest.json", "changes.json"]:
        assert (out / name).stat().st_size > 0, name
    for name in CONTRACT_COLUMNS:
        assert (out / "tables" / f"{name}.csv").exists(), name


def test_tables_have_contract_columns(tables: dict) -> None:
    for name, cols in CONTRACT_COLUMNS.items():
        missing = [c for c in cols.split(", ") if c not in tables[name].columns]
        assert not missing, f"{name}.csv lacks {missing}"


def test_offsets_give_back_quotes_and_surfaces(seed: Path, tables: dict) -> None:
    texts = {sid: _text(seed, sid) for sid in tables["sources"]["source_id"]}
    for r in tables["notes"].to_dict("records"):
        assert texts[r["source_id"]][int(r["char_start"]):int(r["char_end"])] == r["quote"], r["note_id"]
    for r in tables["mentions"].to_dict("records"):
        assert texts[r["source_id"]][int(r["char_start"]):int(r["char_end"])] == r["surface"]
    for r in tables["passages"].to_dict("records"):
        assert texts[r["source_id"]][int(r["char_start"]):int(r["char_end"])] == r["text"]


def test_note_ids_resolve_and_rows_have_notes(tables: dict) -> None:
    known = set(tables["notes"]["note_id"])
    for name, df in tables.items():
        if "note_ids" not in df.columns:
            continue
        for cell in df["note_ids"]:
            for nid in filter(None, cell.split(";")):
                assert nid in known, f"{name}: unknown note {nid}"
    for name in ("events", "plan_terms", "positions"):
        assert (tables[name]["note_ids"] != "").all(), f"{name} has a row without a note"


def test_dates_are_iso_ordered_and_undated_empty(tables: dict) -> None:
    import re

    for name in ("events", "plans"):
        for r in tables[name].to_dict("records"):
            for col in ("date_start", "date_end"):
                assert r[col] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[col])
            if r["precision"] == "undated":
                assert r["date_start"] == r["date_end"] == ""
            else:
                assert r["date_start"] <= r["date_end"]


def test_enums(tables: dict) -> None:
    assert set(tables["passages"]["kind"]) <= {"title", "body", "sidebar", "comment", "reference", "boilerplate"}
    assert set(tables["actors"]["type"]) <= {"person", "state", "organisation", "bloc", "media", "other"}
    assert set(tables["actors"]["origin"]) <= {"codebook", "auto"}
    assert set(tables["events"]["origin"]) <= {"analyst", "auto"}
    assert set(tables["events"]["status"]) <= {"reviewed", "unreviewed"}
    assert set(tables["positions"]["relation"]) <= {"agree", "disagree", "partial", "only-one"}


def test_manifest(seed: Path, tables: dict) -> None:
    manifest = json.loads((seed / "output" / "manifest.json").read_text())
    pdf = (seed / "output" / "briefing.pdf").read_bytes()
    assert manifest["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert manifest["built_at"]
    for name in CONTRACT_COLUMNS:
        assert manifest["rows"][name] == len(tables[name])
    src = seed / "inputs" / "sources" / "weekend-update-165.txt"
    assert manifest["inputs"]["inputs/sources/weekend-update-165.txt"] == hashlib.sha256(src.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(seed: Path, tmp_path: Path) -> None:
    from pipeline.build import build

    other = make_project(tmp_path)
    build(other, use_cache=False)
    for rel in ["briefing.pdf", "briefing.html", *[f"tables/{n}.csv" for n in CONTRACT_COLUMNS]]:
        a = (seed / "output" / rel).read_bytes()
        b = (other / "output" / rel).read_bytes()
        assert a == b, f"{rel} differs between two builds of the same inputs"
