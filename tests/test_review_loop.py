"""The review loop on a new wire story: accepting a worksheet item is one move (copy it as
written) and keeps everything the briefing showed; machine-made actor ids resolve; an event
dated after its source's publication is flagged and kept out of the timeline until reviewed;
a discovered actor an analyst has defined is one actor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.inputs import Actor
from pipeline.review import merge_known_actors
from tests.review_project import WIRE, Built, annotate, build_project, copy_built, item

SHOWN = ["date_start", "date_end", "precision", "title", "actors", "places", "plan_id"]
TERM_SHOWN = ["plan_id", "provision_id", "position", "value", "unit"]
LATE = "Bob Sample said a final round opened"


def _timeline_count(html: str) -> int:
    found = re.search(r"Timeline of (\d+) dated events", html)
    return int(found.group(1)) if found else 0


@pytest.fixture(scope="module")
def accepted(review_base: Built, tmp_path_factory: pytest.TempPathFactory, render_host: Any) -> Built:
    """Every machine-found event and plan term of the wire story, copied as written."""
    sheet = review_base.sheet()
    root = copy_built(review_base, tmp_path_factory.mktemp("accepted"), cache=True)

    def accept(doc: dict) -> None:
        doc["events"] = sheet["events"]
        doc["plan_terms"] = sheet["plan_terms"]

    annotate(root, WIRE, accept)
    return build_project(root, render_host)


def test_an_item_copied_as_written_is_accepted_whole(review_base: Built, accepted: Built) -> None:
    sheet = review_base.sheet()
    assert sheet["events"] and sheet["plan_terms"]
    assert any(a.startswith("auto-") for e in sheet["events"] for a in e["actors"])   # resolves, too
    assert any("plan" in e for e in sheet["events"]) and any("place" in e for e in sheet["events"])
    for ev in sheet["events"]:
        before = review_base.row("events", "event_id", ev["id"])
        after = accepted.row("events", "event_id", ev["id"])
        assert {k: after[k] for k in SHOWN} == {k: before[k] for k in SHOWN}, ev["id"]
        assert (after["origin"], after["status"], after["check"]) == ("analyst", "reviewed", "")
        assert after["note_ids"] == before["note_ids"]
    for term in sheet["plan_terms"]:
        before = review_base.row("plan_terms", "term_id", term["id"])
        after = accepted.row("plan_terms", "term_id", term["id"])
        assert {k: after[k] for k in TERM_SHOWN} == {k: before[k] for k in TERM_SHOWN}, term["id"]
        assert (after["origin"], after["status"]) == ("analyst", "reviewed")
    # nothing accepted is offered again
    again = accepted.sheet()
    assert again["events"] == [] and again["plan_terms"] == []
    assert "unrev" not in accepted.chronology_row(item(sheet, "events", LATE)["title"])


def test_an_event_dated_after_publication_is_flagged_and_kept_off_the_timeline(
        review_base: Built, accepted: Built) -> None:
    late = item(review_base.sheet(), "events", LATE)
    row = review_base.row("events", "event_id", late["id"])
    assert row["date_start"] > "2025-03-20" and row["check"] == "after publication"
    assert f"# after publication (2025-03-20): check the date\n- id: {late['id']}\n" in review_base.sheet_text()
    # the timeline draws every other dated event; the table still lists it, marked
    events = review_base.tables["events"]
    dated = int((events["precision"] != "undated").sum())
    assert _timeline_count(review_base.html) == dated - 1
    assert "after publication: check the date" in review_base.chronology_row(row["title"])
    assert "after publication: check the date" in review_base.pdf_text.lower()
    # once reviewed (here: accepted as written) it is drawn like the others
    assert _timeline_count(accepted.html) == int((accepted.tables["events"]["precision"] != "undated").sum())
    assert "check the date" not in accepted.html


def test_a_discovered_actor_the_analyst_defines_is_merged_into_that_actor(
        review_base: Built, tmp_path: Path, render_host: Any) -> None:
    """Extraction reads only the codebook, so an actor an annotation defines is discovered
    again as `auto-...`: the two are one actor, the analyst's definition wins, and an accepted
    item that still names the machine id means the analyst's actor."""
    assert "auto-carla-neuman" in set(review_base.tables["actors"]["actor_id"])
    met = item(review_base.sheet(), "events", "Negotiator Carla Neuman met")
    assert "auto-carla-neuman" in met["actors"]
    root = copy_built(review_base, tmp_path, cache=True)

    def define(doc: dict) -> None:
        doc["actors"] = [{"id": "carla-neuman", "name": "Carla Neuman", "type": "person",
                          "role": "mediator", "aliases": ["Neuman"]}]
        doc["events"] = [met]

    annotate(root, WIRE, define)
    built = build_project(root, render_host)
    actors = built.tables["actors"].set_index("actor_id")
    assert "auto-carla-neuman" not in actors.index
    assert actors.loc["carla-neuman", "origin"] == "codebook" and int(actors.loc["carla-neuman", "mentions"]) >= 1
    assert built.row("events", "event_id", met["id"])["actors"] == "carla-neuman;bob"
    assert "auto-carla-neuman" not in built.sheet_text()
    mentions = built.tables["mentions"]
    assert "auto-carla-neuman" not in set(mentions["actor_id"])


def test_merge_known_actors_by_name_or_alias_not_by_surname_alone() -> None:
    machine = {
        "auto_actors": pd.DataFrame([
            {"actor_id": "auto-ingrid-halvorsen", "name": "Ingrid Halvorsen", "type": "person",
             "affiliation": "", "role": "minister", "aliases": "Halvorsen"},
            {"actor_id": "auto-per-halvorsen", "name": "Per Halvorsen", "type": "person",
             "affiliation": "", "role": "envoy", "aliases": "Halvorsen"}]),
        "mentions": pd.DataFrame({"actor_id": ["auto-ingrid-halvorsen", "auto-per-halvorsen", "x"]}),
        "events": pd.DataFrame({"actors": [["auto-ingrid-halvorsen", "x"], ["auto-per-halvorsen"]]}),
    }
    codebook = [Actor(id="halvorsen", name="Minister Halvorsen", type="person",
                      aliases=["ingrid halvorsen", "Halvorsen"])]
    merged, same = merge_known_actors(machine, codebook)
    assert same == {"auto-ingrid-halvorsen": "halvorsen"}          # Per shares only the surname
    assert list(merged["auto_actors"]["actor_id"]) == ["auto-per-halvorsen"]
    assert list(merged["mentions"]["actor_id"]) == ["halvorsen", "auto-per-halvorsen", "x"]
    assert list(merged["events"]["actors"]) == [["halvorsen", "x"], ["auto-per-halvorsen"]]


def test_a_machine_actor_id_nobody_finds_any_more_is_refused_with_a_fix(
        review_base: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.__main__ import main

    root = copy_built(review_base, tmp_path)
    met = item(review_base.sheet(), "events", "Negotiator Carla Neuman met")
    annotate(root, WIRE, lambda doc: doc.setdefault("events", []).append(
        {**met, "actors": ["auto-carla-neumann"]}))
    capsys.readouterr()
    assert main(["check", "--root", str(root), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"inputs/annotations/{WIRE}.yaml:" in err and "unknown actor 'auto-carla-neumann'" in err
    assert "fix: add it under actors: in this file" in err
