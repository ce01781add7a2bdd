"""Corrections (pipeline/review/corrections.py): every key `corrections` accepts changes the item in the
tables, the HTML and the PDF, and only then is the row reviewed; anything else is refused with
exit 2, the file, the line and a fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.inputs import Correction
from pipeline.review.corrections import FIELDS
from tests.review_project import WIRE, Built, annotate, build_project, copy_built, item, matrix

EVENT = "Negotiators met again in Portville on 18 March 2025"     # machine: Portville, harbour plan
TERM = "Alice Example said on 19 March 2025"                      # machine: a fleet-cap term


@pytest.fixture(scope="module")
def base(review_base: Built) -> Built:
    return review_base


@pytest.fixture()
def project(base: Built, tmp_path: Path) -> Path:
    return copy_built(base, tmp_path)


def correct(root: Path, fix: dict) -> None:
    annotate(root, WIRE, lambda doc: doc.setdefault("corrections", []).append(fix))


def test_every_key_a_correction_accepts_is_handled_for_some_kind_of_item() -> None:
    """A key in the Correction model that no kind of item takes would be accepted and ignored."""
    accepted = set(Correction.model_fields) - {"id"}
    assert accepted == set().union(*FIELDS.values())
    assert {c[0] for c in EVENT_CASES} == set(FIELDS["event"])
    assert set(TERM_FIX) == set(FIELDS["term"])


# key, the event (by its quote), new value, (column, value in events.csv), text of its
# chronology row (HTML and PDF). One build corrects a different event for each key.
EVENT_CASES = [
    ("date", "Critics argued on 15 March", "2025-03-16", ("date_start", "2025-03-16"), "16 Mar 2025"),
    ("title", "Bob Sample said a final round", "Final harbour round opens in Portville",
     ("title", "Final harbour round opens in Portville"), "Final harbour round opens in Portville"),
    ("actors", "Negotiator Carla Neuman met", ["alice", "auto-carla-neuman"],
     ("actors", "alice;auto-carla-neuman"), "Alice Example, Carla Neuman · Eastport"),
    ("place", EVENT, "eastport", ("places", "eastport"), "Eastport · Harbour plan"),
    ("plan", TERM, "harbour-plan", ("plan_id", "harbour-plan"), "Alice Example · Harbour plan"),
]
# The plan term's correction: every key at once, each checked on its own below.
TERM_FIX = {"plan": "harbour-plan-2", "provision": "port-access", "position": "Port access capped",
            "value": 11, "unit": "berths"}
TERM_COLUMNS = {"plan": ("plan_id", "harbour-plan-2"), "provision": ("provision_id", "port-access"),
                "position": ("position", "Port access capped"), "value": ("value", "11"),
                "unit": ("unit", "berths")}


@pytest.fixture(scope="module")
def corrected(base: Built, tmp_path_factory: pytest.TempPathFactory, render_host: Any) -> Built:
    root = copy_built(base, tmp_path_factory.mktemp("corrected"), cache=True)
    sheet = base.sheet()
    for key, quote, value, _column, _shown in EVENT_CASES:
        correct(root, {"id": item(sheet, "events", quote)["id"], key: value})
    correct(root, {"id": item(sheet, "plan_terms", TERM)["id"], **TERM_FIX})
    return build_project(root, render_host)


@pytest.mark.parametrize(("key", "quote", "value", "column", "shown"), EVENT_CASES,
                         ids=[c[0] for c in EVENT_CASES])
def test_each_event_correction_key_takes_effect_everywhere(base: Built, corrected: Built, key: str, quote: str,
                                                           value: Any, column: tuple, shown: str) -> None:
    target = item(base.sheet(), "events", quote)
    before = base.row("events", "event_id", target["id"])
    assert before[column[0]] != column[1] and before["status"] == "unreviewed"
    assert shown not in base.html
    row = corrected.row("events", "event_id", target["id"])
    assert row[column[0]] == column[1]
    assert row["status"] == "reviewed" and row["check"] == ""
    html_row = corrected.chronology_row(row["title"])
    assert shown in html_row and 'class="unrev' not in html_row
    assert shown in corrected.pdf_text
    sheet = corrected.sheet_text()
    assert target["id"] not in sheet.split("# Corrected in")[0]   # left the unreviewed items
    assert f"#   {target['id']} (event)" in sheet


@pytest.mark.parametrize("key", sorted(TERM_FIX))
def test_each_plan_term_correction_key_takes_effect_everywhere(base: Built, corrected: Built, key: str) -> None:
    target = item(base.sheet(), "plan_terms", TERM)
    column, value = TERM_COLUMNS[key]
    before = base.row("plan_terms", "term_id", target["id"])
    assert before[column] != value and before["status"] == "unreviewed"
    row = corrected.row("plan_terms", "term_id", target["id"])
    assert row[column] == value and row["status"] == "reviewed"
    cell = ("Port access", "Revised harbour plan")
    assert cell not in matrix(base.html)
    mine = [t for t in matrix(corrected.html)[cell].split('<div class="term ')[1:] if "Test Wire:" in t]
    assert len(mine) == 1 and mine[0].startswith("reviewed")
    assert "Test Wire:</span> Port access capped <b class=\"val\">11 berths</b>" in mine[0]
    assert "Test Wire: Port access capped 11 berths" in corrected.pdf_matrix[cell]
    assert f"#   {target['id']} (plan term)" in corrected.sheet_text()


def _refused(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    from pipeline.__main__ import main

    before = (project / "output" / "tables" / "events.csv").read_bytes()
    capsys.readouterr()
    code = main(["build", "--root", str(project), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert (project / "output" / "tables" / "events.csv").read_bytes() == before
    return err


def _message(err: str, needle: str) -> tuple[str, str]:
    """The problem line containing `needle` and the fix line printed under it."""
    lines = err.splitlines()
    k = next(i for i, line in enumerate(lines) if needle in line)
    assert lines[k + 1].strip().startswith("fix: "), err
    return lines[k], lines[k + 1].strip().removeprefix("fix: ")


REFUSALS = {
    "event-has-no-provision": (lambda e, t: [{"id": e, "provision": "fleet-cap"}],
                               "'provision' is not a field of an event", "an event takes date, title"),
    "term-has-no-title": (lambda e, t: [{"id": t, "title": "A title"}],
                          "'title' is not a field of a plan term", "a plan term takes plan, provision"),
    "nothing-to-change": (lambda e, t: [{"id": e}], "changes nothing", "copy it from output/review"),
    "twice": (lambda e, t: [{"id": e, "title": "One"}, {"id": e, "date": "2025-03-01"}],
              "second correction of", "merge them"),
    "unreadable-date": (lambda e, t: [{"id": e, "date": "around the ides of march"}],
                        "cannot read date", "use 2025-08-15"),
    "actor": (lambda e, t: [{"id": "auto-carla-neuman", "title": "x"}], "is a machine-found actor",
              "copy the actor's entry"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_correction_that_cannot_take_effect_is_refused_with_file_line_and_fix(
        project: Path, base: Built, capsys: pytest.CaptureFixture[str], case: str) -> None:
    make, message, fix = REFUSALS[case]
    event = item(base.sheet(), "events", EVENT)["id"]
    term = item(base.sheet(), "plan_terms", TERM)["id"]
    for c in make(event, term):
        correct(project, c)
    problem, hint = _message(_refused(project, capsys), message)
    assert f"inputs/annotations/{WIRE}.yaml:" in problem and fix in hint


def test_correcting_a_rejected_or_accepted_item_is_refused(project: Path, base: Built,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    sheet = base.sheet()
    accepted = item(sheet, "events", EVENT)
    rejected = item(sheet, "events", "Critics argued")

    def edit(doc: dict) -> None:
        doc["events"] = [accepted]
        doc["reject"] = [rejected["id"]]
        doc["corrections"] = [{"id": accepted["id"], "title": "x"}, {"id": rejected["id"], "title": "y"}]

    annotate(project, WIRE, edit)
    err = _refused(project, capsys)
    assert "make the change in the accepted item" in _message(err, "is already accepted at")[1]
    assert "keep the correction or the reject entry" in _message(err, "is both rejected and corrected")[1]


def test_a_correction_an_analyst_event_supersedes_is_refused(project: Path, base: Built,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """An analyst event (another id) cites the machine row's sentence: the correction would be
    dropped silently and the row never shown, so the build says where to make the change."""
    machine = item(base.sheet(), "events", EVENT)

    def edit(doc: dict) -> None:
        doc["events"] = [{"id": "negotiators-meet", "date": "2025-03-18", "title": "Negotiators meet",
                          "quotes": [machine["quotes"][0]]}]
        doc["corrections"] = [{"id": machine["id"], "plan": "harbour-plan-2"}]

    annotate(project, WIRE, edit)
    problem, hint = _message(_refused(project, capsys), "cannot take effect")
    assert "'negotiators-meet' already covers it" in problem and "make the change in 'negotiators-meet'" in hint
