"""The seed briefing, end to end: real rows in the tables and real text in the PDF."""

from __future__ import annotations

from pathlib import Path

SECTIONS = ["Key points", "Chronology", "Plan-version matrix", "How the analyses compare",
            "Who's who", "Source notes", "Appendix: sources", "Contents"]


def test_pdf_has_every_section_and_a_known_quote(pdf_text: str) -> None:
    flat = " ".join(pdf_text.split())
    for title in SECTIONS:
        assert title in flat, title
    assert "understandings were reached that could form the basis" in flat


def test_anchorage_summit_is_one_event_told_by_both_sources(tables: dict) -> None:
    ev = tables["events"].set_index("event_id")
    row = ev.loc["anchorage-summit"]
    assert row["date_start"] == "2025-08-15" and row["precision"] == "day"
    assert set(row["source_ids"].split(";")) == {"anchorage-framework-telegraph", "weekend-update-165"}
    assert row["status"] == "reviewed" and row["origin"] == "analyst"


def test_istanbul_army_cap_numbers(tables: dict) -> None:
    terms = tables["plan_terms"]
    caps = terms[(terms["plan_id"] == "istanbul-2022") & (terms["provision_id"] == "army-cap")]
    values = {float(v) for v in caps["value"] if v}
    assert {185000.0, 250000.0} <= values


def test_positions_cover_every_question_for_both_sources(seed: Path, tables: dict) -> None:
    import yaml

    questions = [q["id"] for q in yaml.safe_load((seed / "inputs/codebook/questions.yaml").read_text())]
    pos = tables["positions"]
    for q in questions:
        assert set(pos[pos["question_id"] == q]["source_id"]) == {
            "anchorage-framework-telegraph", "weekend-update-165"}, q


def test_comments_never_feed_analysis(tables: dict) -> None:
    notes = tables["notes"].set_index("note_id")
    kinds = tables["passages"].set_index("passage_id")["kind"]
    for name in ("events", "plan_terms", "positions"):
        for cell in tables[name]["note_ids"]:
            for nid in cell.split(";"):
                assert kinds[notes.loc[nid, "passage_id"]] in ("body", "sidebar"), (name, nid)


def test_segmentation_of_seed(tables: dict) -> None:
    p = tables["passages"]
    tele = p[p["source_id"] == "anchorage-framework-telegraph"]
    week = p[p["source_id"] == "weekend-update-165"]
    assert (tele["kind"] == "sidebar").sum() >= 9
    assert (tele["kind"] == "reference").sum() >= 10
    assert (tele["kind"] == "boilerplate").sum() >= 3
    assert (week["kind"] == "comment").sum() == 2
    assert week[week["kind"] == "comment"]["text"].str.startswith("Was there a real understanding").any()


def test_review_worksheet_in_annotation_format(seed: Path) -> None:
    import yaml

    from pipeline.inputs import Annotation

    for sid in ("weekend-update-165", "anchorage-framework-telegraph"):
        doc = yaml.safe_load((seed / "output" / "review" / f"{sid}.yaml").read_text())
        assert doc["events"] or doc["plan_terms"]
        Annotation.model_validate({"events": doc["events"], "plan_terms": [
            {k: v for k, v in t.items() if k != "id"} | {"id": t["id"]} for t in doc["plan_terms"]]})
