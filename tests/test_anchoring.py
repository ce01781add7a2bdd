"""Issue 19: which clause dates a happening, what is no happening, and how far a row is trusted.
Our own sentences, one per failure class (fix the class, never the example)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from pipeline.confidence import held_back, with_confidence
from pipeline.extract import extract
from pipeline.ingest import ingest
from pipeline.inputs import Sidecar, Source, load_inputs

ROOT = Path(__file__).resolve().parent.parent
MONDAY = "2026-03-16"


@pytest.fixture(scope="module")
def codebook():
    return load_inputs(ROOT / "inputs").codebook


def _events(codebook, text: str, published: str = MONDAY, kind: str = "news") -> pd.DataFrame:
    text = "A report\n\n" + text
    src = Source("s", Path("s.txt"), text, Sidecar(title="A report", published=published, kind=kind),
                 True, hashlib.sha256(text.encode()).hexdigest())
    _, _, sentences = ingest([src], codebook.lexicon.model)
    return extract(codebook, [src], sentences)["events"]


def _row(events: pd.DataFrame, words: str) -> pd.Series:
    hits = events[events["title"].str.contains(words, regex=False)]
    assert len(hits) == 1, events[["title", "date_start", "basis"]]
    return hits.iloc[0]


def test_main_clause_date_wins_over_a_since_clause(codebook) -> None:
    ev = _events(codebook, "Harbour traffic is busier than at any time since the canal reopened in 2011, "
                           "the port director said on Friday.")
    row = _row(ev, "canal")
    assert (row["date_start"], row["date_end"]) == ("2026-03-13", "2026-03-13")
    assert row["basis"] == "own date, reporting verb"


def test_relative_and_bracketed_dates_belong_to_other_happenings(codebook) -> None:
    ev = _events(codebook, "The mill, which was founded in 1952, closed its doors on Thursday.\n\n"
                           "Velmora Textiles (founded in 1987) laid off 40 weavers on Tuesday.")
    assert _row(ev, "mill")["date_start"] == "2026-03-12"
    assert _row(ev, "Velmora")["date_start"] == "2026-03-10"


def test_a_subordinate_date_alone_is_a_weak_guess(codebook) -> None:
    ev = _events(codebook, "Rescuers from Halden kept searching the valley after the dam failed in 2019.")
    row = _row(ev, "Rescuers")
    assert row["basis"] == "date of a subordinate clause" and row["confidence"] < 0.5


def test_no_date_from_a_neighbour_without_a_link(codebook) -> None:
    ev = _events(codebook, "The council of Dunmore voted on Tuesday to close the bridge. "
                           "Engineers from Castell Group found cracks in two piers.\n\n"
                           "Later, the mayor Ilse Varga apologised to residents.")
    cracks = ev[ev["title"].str.contains("cracks")]
    assert cracks.empty or cracks.iloc[0]["confidence"] < 0.5
    later = _row(ev, "apologised")
    assert later["date_start"] == "2026-03-10" and later["basis"] == "linked to the previous happening"


def test_the_next_year_is_a_year_and_a_week_ago_a_day(codebook) -> None:
    ev = _events(codebook, "Orrin Shipping opened a depot in Tamsk on 4 May 2021. "
                           "The next year Orrin Shipping doubled its fleet.\n\n"
                           "A week ago, Orrin Shipping sold the depot.")
    nxt = _row(ev, "doubled")
    assert (nxt["date_start"], nxt["date_end"], nxt["precision"]) == ("2022-01-01", "2022-12-31", "year")
    ago = _row(ev, "sold the depot")
    assert (ago["date_start"], ago["date_end"], ago["precision"]) == ("2026-03-09", "2026-03-09", "day")


def test_greetings_deadlines_and_conditionals_are_no_happenings(codebook) -> None:
    ev = _events(codebook, "Hello, everyone, and thank you for coming today.\n\n"
                           "Under the accord, Karsland will buy 3 million tonnes of grain by March.\n\n"
                           "If talks fail on Friday, Karsland will halt shipments.")
    assert ev.empty, ev[["title", "date_start"]]


def test_an_event_needs_no_codebook_entry(codebook) -> None:
    ev = _events(codebook, "Northwind Motors today named a new chief executive.")
    row = _row(ev, "Northwind")
    assert row["date_start"] == MONDAY and row["confidence"] >= 0.85


def test_present_perfect_lede_is_dated_by_publication_with_low_confidence(codebook) -> None:
    ev = _events(codebook, "Brannock Rail has won a contract to build forty trams for Lisvik.")
    row = _row(ev, "Brannock")
    assert row["date_start"] == MONDAY and row["basis"] == "publication date, present perfect"
    assert row["confidence"] < 0.85


def test_confidence_defaults_and_threshold() -> None:
    terms = pd.DataFrame([
        {"term_id": "a", "origin": "analyst", "status": "reviewed", "plan_basis": "analyst"},
        {"term_id": "b", "origin": "auto", "status": "unreviewed", "plan_basis": "sentence"},
        {"term_id": "c", "origin": "auto", "status": "unreviewed", "plan_basis": ""},
        {"term_id": "d", "origin": "auto", "status": "unreviewed", "plan_basis": "",
         "confidence": 0.95, "basis": "figure in the version's own clause"},
    ])
    out = with_confidence("plan_terms", terms)
    assert out["confidence"].tolist() == [1.0, 0.85, 0.4, 0.95]
    assert out["basis"].tolist()[0] == "analyst"
    assert held_back(out, 0.85).tolist() == [False, False, True, False]


@pytest.mark.parametrize(("text", "published", "start", "end"), [
    # no tense marker: the nearest occurrence (the coming one within a season)
    ("Ferry service to Lorne resumes Nov. 30.", "2024-10-28", "2024-11-30", "2024-11-30"),
    ("The Lorne ferry stopped on Nov. 30.", "2024-10-28", "2023-11-30", "2023-11-30"),
    # a weekday with its date: the year in which they agree, whatever the tense
    ("The Lorne Herald wrote on Tuesday, Oct. 29: the ferry is late.", "2024-10-28",
     "2024-10-29", "2024-10-29"),
    # a deadline is a future marker: the coming March
    ("The deadline is the end of March.", "2025-12-28", "2026-03-21", "2026-03-31"),
])
def test_year_of_a_date_without_one(codebook, text: str, published: str, start: str, end: str) -> None:
    from pipeline.extract.dates import Anchor, find_dates, use_tense_words

    lex = codebook.lexicon.model
    use_tense_words(lex.future_words, lex.past_words, lex.past_suffixes, lex.determiners)
    span = find_dates(text, Anchor.parse(published))[0]
    assert (span.start.isoformat(), span.end.isoformat()) == (start, end)


def test_future_passive_and_this_week_and_introductions(codebook) -> None:
    ev = _events(codebook, "Ilka Sorensen said the next congress would be held in Vardo in June 2026.\n\n"
                           "Tamsin Ports has filed a complaint in Bergen this week.\n\n"
                           "My guest today is the harbour pilot Jonas Alm, who has sailed these waters for years.",
                 published="2026-03-18")
    congress = _row(ev, "congress")
    assert (congress["date_start"], congress["date_end"]) == ("2026-06-01", "2026-06-30")
    assert congress["confidence"] < 0.85   # a schedule, not yet a happening
    week = _row(ev, "complaint")
    assert (week["date_start"], week["date_end"]) == ("2026-03-16", "2026-03-18")
    assert not ev["title"].str.contains("guest").any()
