"""One event per happening: reports of the same happening by several sources are one row,
whether they are verbatim copies or the same story in other words; decoys stay apart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.extract import extract
from pipeline.ingest import ingest
from pipeline.inputs import EventMerge, load_inputs
from pipeline.review import review
from pipeline.review.happenings import _Report, normalise, same_happening
from tests.conftest import make_project

OVERLAP = Path(__file__).parent / "overlap"
STORIES = ["wire-kremlin-talks", "portal-reprint", "newsletter-recap", "florida-readout"]


def events_of(root: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Machine rows and merged events of the added stories (the seed's are left out)."""
    inputs = load_inputs(root / "inputs")
    _, passages, sentences = ingest(inputs.sources, inputs.codebook.lexicon.model)
    machine = extract(inputs.codebook, inputs.sources, sentences)
    merged = review(inputs, passages, sentences, machine)
    quotes = dict(zip(merged.notes["note_id"], merged.notes["quote"], strict=True))
    ours = merged.events["source_ids"].map(lambda ids: bool(set(ids) & set(STORIES)))
    raw = machine["events"][machine["events"]["source_id"].isin(STORIES)]
    return raw, merged.events[ours], quotes


@pytest.fixture()
def overlap(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    for name in STORIES:
        for ext in ("txt", "yaml"):
            shutil.copy(OVERLAP / f"{name}.{ext}", root / "inputs/sources" / f"{name}.{ext}")
    return root


def set_rule(root: Path, **rule: object) -> None:
    path = root / "inputs/briefing.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["event_merge"] = rule
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def by_sources(events: pd.DataFrame) -> dict[tuple[str, ...], dict]:
    return {tuple(r["source_ids"]): r for r in events.to_dict("records")}


def test_overlapping_stories_in_other_words_are_one_event_each(overlap: Path) -> None:
    raw, events, quotes = events_of(overlap)
    rows = by_sources(events)
    assert len(events) < len(raw)
    # the Kremlin talks: a verbatim copy and a retelling in other words, one row
    assert ("newsletter-recap", "portal-reprint", "wire-kremlin-talks") in rows
    # the Florida round: told in other words only
    assert ("florida-readout", "newsletter-recap") in rows
    # decoys on the same day without named people (strikes; an exchange of bodies) stay apart,
    # each with its own single report
    singles = [r for k, r in rows.items() if len(k) == 1]
    assert singles and all(r["sources_count"] == 1 for r in singles)
    assert all(not ({"putin", "witkoff"} & set(r["actors"])) for r in singles)
    # no two rows with the same reports, apart from statements dated only by the publication
    # day or the story's day (issue 19: "X said ..." with no date of its own, low confidence,
    # not shown)
    dated = events[~events["basis"].str.startswith(("publication date", "the story's day"))]
    assert len(by_sources(dated)) == len(dated)
    kremlin = rows[("newsletter-recap", "portal-reprint", "wire-kremlin-talks")]
    assert kremlin["date_start"] == "2025-12-02" and kremlin["sources_count"] == 3
    assert kremlin["status"] == "unreviewed"
    cited = [quotes[n] for n in kremlin["note_ids"]]
    assert len(cited) == 3 and sum("five hours" in q for q in cited) == 3   # every report's note
    assert {"putin", "witkoff", "kushner"} <= set(kremlin["actors"])
    florida = rows[("florida-readout", "newsletter-recap")]
    assert florida["date_start"] == "2025-11-30" and "florida" in florida["places"]


def test_the_merge_rule_is_read_from_briefing_yaml(overlap: Path) -> None:
    set_rule(overlap, enabled=False)
    raw, events, _ = events_of(overlap)
    assert len(events) == len(raw) and set(events["sources_count"]) == {1}

    # Stricter thresholds: the verbatim copy still joins; the retelling needs 4 shared people.
    set_rule(overlap, shared_people=4, people_with_place=4, shared_wording=1.0)
    _, events, _ = events_of(overlap)
    rows = by_sources(events)
    assert ("portal-reprint", "wire-kremlin-talks") in rows
    assert ("newsletter-recap",) in rows and ("florida-readout",) in rows


def _rep(precision: str = "day", start: str = "2025-12-02", people: set[str] | None = None,
         places: set[str] | None = None, sentence: str = "", plan: str = "", words: set[str] | None = None,
         actors: set[str] | None = None) -> _Report:
    people = {"witkoff", "kushner"} if people is None else people
    d = pd.Timestamp(start).date()
    row = {"precision": precision, "plan_id": plan, "actors": sorted(actors or people), "places": sorted(places or [])}
    norm = normalise(sentence)
    return _Report(row, norm, words or set(), people, set(row["actors"]), set(places or []), d, d,
                   {norm} if norm else set())


@pytest.mark.parametrize(("a", "b", "verdict"), [
    (_rep(), _rep(), "people"),
    (_rep(places={"moscow"}), _rep(places={"florida"}), ""),          # same people, elsewhere
    (_rep(start="2025-11-30"), _rep(start="2025-12-02"), ""),          # outside the window
    (_rep(start="2025-12-01"), _rep(start="2025-12-02"), "people"),    # inside it
    (_rep(plan="plan-28"), _rep(plan="geneva-19"), ""),                # other plan context
    (_rep(plan="plan-28"), _rep(), "people"),                          # one has none
    (_rep(precision="year"), _rep(precision="year"), ""),              # too coarse to tell
    (_rep(people={"putin"}, places={"moscow"}), _rep(people={"putin"}, places={"moscow"}), "people and place"),
    (_rep(people=set(), actors={"russia", "ukraine"}), _rep(people=set(), actors={"russia", "ukraine"}), ""),
    (_rep(people=set(), actors={"russia"}, words={"exchanged", "prisoners", "thousand"}),
     _rep(people=set(), actors={"russia"}, words={"prisoners", "exchanged", "hundred"}), "wording"),
    (_rep(precision="year", sentence="Kyiv  “agreed”, reluctantly."),
     _rep(precision="year", sentence="kyiv \"agreed\" reluctantly"), "sentence"),
])
def test_same_happening(a: _Report, b: _Report, verdict: str) -> None:
    assert same_happening(a, b, EventMerge()) == verdict


def test_a_reviewed_event_gains_only_verbatim_reports(project: Path) -> None:
    """A copy of an annotated source: its machine sentences that contain an analyst's quote join
    that analyst event (still reviewed); nothing joins a reviewed row on actors and dates alone."""
    folder = project / "inputs/sources"
    shutil.copy(folder / "weekend-update-165.txt", folder / "copy-of-weekend.txt")
    shutil.copy(folder / "weekend-update-165.yaml", folder / "copy-of-weekend.yaml")
    inputs = load_inputs(project / "inputs")
    _, passages, sentences = ingest(inputs.sources, inputs.codebook.lexicon.model)
    merged = review(inputs, passages, sentences, extract(inputs.codebook, inputs.sources, sentences))
    events = merged.events
    notes = merged.notes.set_index("note_id")
    joined = events[events["source_ids"].map(lambda s: "copy-of-weekend" in s and len(s) > 1)]
    # a machine sentence the analyst did not annotate joins its verbatim copy (issue 19 dates
    # more sentences, e.g. by the publication day); those rows stay machine rows of one sentence
    for r in joined[joined["origin"] == "auto"].to_dict("records"):
        assert len({normalise(notes.loc[n, "quote"]) for n in r["note_ids"]}) == 1
    joined = joined[joined["origin"] != "auto"]
    assert len(joined) >= 1
    for r in joined.to_dict("records"):
        assert r["origin"] == "analyst" and r["status"] == "reviewed"
        copied = [notes.loc[n, "quote"] for n in r["note_ids"] if notes.loc[n, "source_id"] == "copy-of-weekend"]
        own = [notes.loc[n, "quote"] for n in r["note_ids"] if notes.loc[n, "source_id"] != "copy-of-weekend"]
        assert copied and all(any(normalise(q) in normalise(c) for q in own) for c in copied)


def test_a_headline_joins_its_own_sources_report_of_that_day() -> None:
    """A headline restates its lede ("No breakthrough after marathon harbour talks" over "The
    envoys met for six hours on 2 December"): one happening, even when it names nobody."""
    def rep(source: str, basis: str, start: str = "2025-12-02") -> _Report:
        r = _rep(people=set(), actors=set(), start=start)
        r.row.update(source_ids=[source], basis=basis)
        r.refresh()      # a report reads its row once: again after the row changes, as a join does
        return r

    lede = rep("harbour-wire", "own date, main clause")
    assert same_happening(lede, rep("harbour-wire", "headline, the lede's day"), EventMerge()) == "headline"
    assert same_happening(lede, rep("other-wire", "headline, the lede's day"), EventMerge()) == ""
    assert same_happening(lede, rep("harbour-wire", "headline, the lede's day", "2025-12-01"), EventMerge()) == ""
    assert same_happening(lede, rep("harbour-wire", "own date, main clause"), EventMerge()) == ""


def _machine_row(event_id: str, day: str, title: str, confidence: float, basis: str, note: str) -> dict:
    return {"event_id": event_id, "date_start": day, "date_end": day, "date_text": day, "precision": "day",
            "date_basis": "", "title": title, "actors": ["auto-ana-lind", "auto-per-holm"], "places": [],
            "plan_id": "", "source_ids": [f"src-{event_id}"], "note_ids": [note],
            "confidence": confidence, "basis": basis}


def test_the_best_evidenced_report_gives_the_happening_its_date_and_sentence() -> None:
    """A weak report (a date inherited from the sentence before, 0.35) seeds the happening on its
    day; a report of the same happening a day later, on its own date (0.9), joins it. The row
    shows the date its confidence stands for, with that report's sentence and note first (it
    showed the inherited day at 0.9)."""
    from pipeline.review.happenings import one_per_happening

    weak = _machine_row("e1", "2026-03-03", "Ana Lind and Per Holm were at the talks.", 0.35,
                        "inherited from previous sentence", "n1")
    strong = _machine_row("e2", "2026-03-04", "Ana Lind met Per Holm in Oslo on Wednesday.", 0.9,
                          "own date, main clause", "n2")
    rows = one_per_happening([], [weak, strong], {"e1": weak["title"], "e2": strong["title"]}, {},
                             {"auto-ana-lind", "auto-per-holm"}, EventMerge())
    assert len(rows) == 1
    row = rows[0]
    assert row["event_id"] == "e1"        # the id analysts cite stays the first report's
    assert (row["date_start"], row["title"], row["confidence"]) == ("2026-03-04", strong["title"], 0.9)
    assert row["note_ids"] == ["n2", "n1"] and row["source_ids"] == ["src-e1", "src-e2"]


def test_on_the_same_day_too_the_best_evidenced_report_gives_the_sentence() -> None:
    """"Before the talks, the two had spoken by phone" (a step back, dated by the sentence before,
    0.35) and "The talks opened with remarks from Ana Lind" (the story's day, 0.9) name the same
    people on the same day: one happening, shown with the sentence its confidence stands for. A
    headline joining its lede on the lede's day still leaves the lede's sentence."""
    from pipeline.review.happenings import one_per_happening

    weak = _machine_row("e1", "2026-03-04", "Before the talks, Ana Lind and Per Holm had spoken by phone.", 0.35,
                        "inherited from previous sentence", "n1")
    strong = _machine_row("e2", "2026-03-04", "The talks opened with remarks from Ana Lind and Per Holm.", 0.9,
                          "the story's day, past tense", "n2")
    strong["source_ids"] = weak["source_ids"]
    rows = one_per_happening([], [weak, strong], {"e1": weak["title"], "e2": strong["title"]}, {},
                             {"auto-ana-lind", "auto-per-holm"}, EventMerge())
    assert [(r["title"], r["confidence"], r["note_ids"]) for r in rows] == [(strong["title"], 0.9, ["n2", "n1"])]

    lede = _machine_row("e3", "2026-03-04", "Ana Lind and Per Holm met in Oslo on Wednesday.", 0.85,
                        "own date, main clause", "n3")
    headline = _machine_row("e4", "2026-03-04", "Lind and Holm meet in Oslo", 0.9, "headline, the lede's day", "n4")
    headline["source_ids"] = lede["source_ids"]
    rows = one_per_happening([], [lede, headline], {"e3": lede["title"], "e4": headline["title"]}, {},
                             {"auto-ana-lind", "auto-per-holm"}, EventMerge())
    assert [(r["title"], r["confidence"]) for r in rows] == [(lede["title"], 0.9)]
