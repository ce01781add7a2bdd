"""Review worksheets (pipeline/publish/worksheets.py): each source's machine-found items, no more, each
written so that copying it into an annotation accepts it whole."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from pipeline.publish.worksheets import annotation_date, worksheets
from pipeline.tables.schema import Actors, Events, Evidence, Notes, PlanTerms


def _event(event_id: str, **kw: object) -> dict:
    row = {"event_id": event_id, "origin": "auto", "status": "unreviewed", "source_ids": "nato",
           "date_start": "2025-08-15", "date_end": "2025-08-15", "precision": "day", "title": "T",
           "actors": "", "places": "", "plan_id": "", "note_ids": "n1", "machine_rows": f"nato:{event_id}",
           "check": ""}
    return row | kw


def _tables() -> dict[str, pd.DataFrame]:
    """Written as the CSVs carry them; each table's declaration turns `;` cells into lists."""
    return {
        "notes": Notes.frame(pd.DataFrame({"note_id": ["n1", "n2", "n3"], "source_id": ["nato", "nato-review", "nato"],
                               "quote": ["first quote", "second quote", "evidence\nquote"]})),
        "events": Events.frame(pd.DataFrame([
            # told by both sources: nato's row first, nato-review's row (id e-theirs) joined to it
            _event("e-shared", source_ids="nato;nato-review", title="Summit", actors="trump;putin",
                   note_ids="n1;n2", machine_rows="nato:e-shared;nato-review:e-theirs", places="anchorage",
                   plan_id="p28"),
            _event("e-reviewed", origin="analyst", status="reviewed", date_start="2025-08-01",
                   date_end="2025-09-30", precision="range", title="Reviewed", machine_rows=""),
            _event("e-range", date_start="2025-08-01", date_end="2025-08-31", precision="month",
                   title="Talks", places="geneva;moscow"),
            _event("e-corrected", status="reviewed", title="Fixed title", plan_id="p20"),
            _event("e-late", date_start="2025-09-02", date_end="2025-09-02", title="Later",
                   check="after publication"),
        ])),
        "plan_terms": PlanTerms.frame(pd.DataFrame([
            {"term_id": "t1", "origin": "auto", "status": "unreviewed", "source_id": "nato-review",
             "plan_id": "p28", "provision_id": "army", "position": "capped", "value": 600000.0,
             "unit": "troops", "note_ids": "n2"},
            {"term_id": "t2", "origin": "auto", "status": "unreviewed", "source_id": "nato", "plan_id": "p28",
             "provision_id": "nato", "position": "no", "value": float("nan"), "unit": "", "note_ids": "n9"},
            {"term_id": "t3", "origin": "auto", "status": "reviewed", "source_id": "nato", "plan_id": "p20",
             "provision_id": "nato", "position": "corrected", "value": float("nan"), "unit": "",
             "note_ids": "n1"},
        ])),
        "actors": Actors.frame(pd.DataFrame([
            {"actor_id": "a-review-only", "origin": "auto", "source_ids": "nato-review", "name": "Someone",
             "type": "person", "role": "", "aliases": "Someone;S."},
            {"actor_id": "a-codebook", "origin": "codebook", "source_ids": "nato", "name": "Known",
             "type": "person", "role": "", "aliases": ""},
        ])),
        "evidence": Evidence.frame(pd.DataFrame([
            {"source_id": "nato", "question_id": "q2", "rank": 1, "passage_id": "nato-p3", "score": 2.5,
             "note_ids": "n3"},
            {"source_id": "nato", "question_id": "q1", "rank": 1, "passage_id": "nato-p1", "score": 1.0,
             "note_ids": "n1"},
            {"source_id": "nato", "question_id": "q2", "rank": 2, "passage_id": "nato-p4", "score": 0.5,
             "note_ids": "n2"},
        ])),
    }


def _inputs() -> SimpleNamespace:
    return SimpleNamespace(sources=[SimpleNamespace(id="nato", sidecar=SimpleNamespace(published="2025-08-31")),
                                    SimpleNamespace(id="nato-review", sidecar=SimpleNamespace(published=None))],
                           codebook=SimpleNamespace(lexicon=SimpleNamespace(model=SimpleNamespace(unit_words={}))))


def test_each_source_gets_its_own_machine_items_in_the_annotation_format() -> None:
    sheets = worksheets(_inputs(), _tables())
    assert list(sheets) == ["nato", "nato-review"]
    nato, review = (yaml.safe_load(sheets[s]) for s in ("nato", "nato-review"))

    # analyst rows and corrected rows are not among the unreviewed items
    assert [e["id"] for e in nato["events"]] == ["e-shared", "e-range", "e-late"]
    assert nato["events"][0] == {"id": "e-shared", "date": "2025-08-15", "title": "Summit",
                                 "actors": ["trump", "putin"], "place": "anchorage", "plan": "p28",
                                 "quotes": ["first quote"]}
    assert nato["events"][1]["date"] == "2025-08" and nato["events"][1]["place"] == ["geneva", "moscow"]
    # the other source's sheet: its own machine row's id and its own sentence, not nato's
    assert review["events"] == [{"id": "e-theirs", "date": "2025-08-15", "title": "Summit",
                                 "actors": ["trump", "putin"], "place": "anchorage", "plan": "p28",
                                 "quotes": ["second quote"]}]
    assert "&id" not in sheets["nato"] + sheets["nato-review"]               # written out, not YAML aliases

    assert review["plan_terms"] == [{"id": "t1", "plan": "p28", "provision": "army", "position": "capped",
                                     "value": 600000.0, "unit": "troops", "quotes": ["second quote"]}]
    assert nato["plan_terms"] == [{"id": "t2", "plan": "p28", "provision": "nato", "position": "no",
                                   "quotes": []}]

    # "nato" is a prefix of "nato-review": an actor of the other source is not filed under it
    assert nato["actors"] == []
    assert review["actors"] == [{"id": "a-review-only", "name": "Someone", "type": "person", "role": "",
                                 "aliases": ["Someone", "S."]}]

    evidence = sheets["nato"].split("# Candidate support for positions")[1]
    assert evidence.splitlines()[1:] == [
        "#   q2:", "#     1. nato-p3 (score 2.5): evidence quote", "#     2. nato-p4 (score 0.5): second quote",
        "#   q1:", "#     1. nato-p1 (score 1.0): first quote"]
    assert "Candidate support" not in sheets["nato-review"]


def test_corrected_items_leave_the_unreviewed_lists_and_are_named_apart() -> None:
    sheet = worksheets(_inputs(), _tables())["nato"]
    unreviewed, corrected = sheet.split("# Corrected in inputs/annotations/nato.yaml")
    assert "e-corrected" not in unreviewed and "t3" not in yaml.safe_load(sheet)["plan_terms"]
    assert "#   e-corrected (event): Fixed title" in corrected
    assert "#   t3 (plan term): p20 / nato: corrected" in corrected


def test_an_event_dated_after_publication_is_flagged_in_its_sheet() -> None:
    sheet = worksheets(_inputs(), _tables())["nato"]
    assert "# after publication (2025-08-31): check the date\n- id: e-late\n" in sheet
    assert sheet.count("check the date") == 1


@pytest.mark.parametrize(("start", "end", "precision", "written"), [
    ("2025-08-15", "2025-08-15", "day", "2025-08-15"),
    ("2025-08-01", "2025-08-31", "month", "2025-08"),
    ("2025-01-01", "2025-12-31", "year", "2025"),
    ("2025-12-21", "2025-12-31", "part", "late Dec 2025"),
    ("2025-10-01", "2025-12-31", "quarter", "Q4 2025"),
    ("2025-12-18", "2025-12-20", "range", "2025-12-18/2025-12-20"),
    ("", "", "undated", None),
])
def test_dates_are_written_as_precisely_as_the_table_has_them(start: str, end: str, precision: str,
                                                              written: str | None) -> None:
    from pipeline.review import date_fields

    assert annotation_date(start, end, precision) == written
    if written:      # and an analyst row read from it has the same dates and precision
        back = date_fields(written)
        assert (back["date_start"], back["date_end"], back["precision"]) == (start, end, precision)


def test_a_sheet_whose_items_did_not_change_is_not_written_again(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """With a memo (the build keeps one in .cache/), a sheet whose items are the same as at the
    last build is not turned into YAML again: adding one source to 2,000 changes a dozen sheets.
    The sheets are the same as without it."""
    from pipeline.cache import Memo, Store
    from pipeline.publish import worksheets as mod

    store = Store(tmp_path / ".cache")
    plain = worksheets(_inputs(), _tables())
    dumped: list[object] = []
    real = mod.yaml.dump
    monkeypatch.setattr(mod.yaml, "dump", lambda doc, **kw: dumped.append(doc) or real(doc, **kw))

    def run(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
        memo = Memo(store, "worksheets", "code")
        out = worksheets(_inputs(), tables, memo)
        memo.save()
        return out

    assert run(_tables()) == plain and len(dumped) == 2        # both sheets, the first time
    dumped.clear()
    assert run(_tables()) == plain and dumped == []            # nothing changed: no YAML written
    changed = _tables()
    changed["plan_terms"].loc[changed["plan_terms"]["term_id"] == "t1", "position"] = "uncapped"
    again = run(changed)
    assert len(dumped) == 1 and again["nato"] == plain["nato"] and again["nato-review"] != plain["nato-review"]
    assert again == worksheets(_inputs(), changed)


def test_the_worksheets_made_on_a_worker_are_the_ones_made_here(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A build hands its worksheets to one of its workers (start_worksheets), which keeps the memo
    in the build's store: the sheets are the ones the build process makes, and the next build
    finds them remembered."""
    import functools

    from pipeline.cache import Memo, Store, function_key
    from pipeline.per_source import Runner
    from pipeline.publish.worksheets import start_worksheets

    monkeypatch.setenv("BRIEFING_WORKERS", "2")
    monkeypatch.setattr("pipeline.publish.worksheets.ON_A_WORKER_FROM", 2)
    store = Store(tmp_path / ".cache")
    with Runner(_inputs().codebook) as runner:
        wait = start_worksheets(_inputs(), _tables(), store, functools.partial(runner.submit, here=True),
                                tmp_path)
        assert runner.pool is not None          # one job, on a worker all the same
        got = dict(wait(_tables()))
    assert got == worksheets(_inputs(), _tables())
    assert len(Memo(store, "worksheets", function_key(worksheets)).old) == 2
