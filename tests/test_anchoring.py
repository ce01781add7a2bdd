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


def _any_shown(events: pd.DataFrame, words: str) -> bool:
    """Whether a row of these words is shown as machine-found (confidence 0.85 or more)."""
    return bool(((events["confidence"] >= 0.85) & events["title"].str.contains(words, regex=False)).any())


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
    from pipeline.extract.dates import Anchor, find_dates
    from pipeline.language import language_of

    span = find_dates(text, Anchor.parse(published), language_of(codebook.lexicon.model))[0]
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


# ---- which date is the happening's: appositions, comparisons, deadlines, relative clauses ----

def _shown(row: pd.Series) -> bool:
    return float(row["confidence"]) >= 0.85


def test_an_apposition_date_does_not_date_the_main_clause(codebook) -> None:
    ev = _events(codebook, "Mara Ilves, born in Tallinn on 3 May 1961, has run the Kessel shipyard for a decade.\n\n"
                           "The Kessel yard, opened in 1998, launched its largest ferry on Friday.")
    rows = ev[ev["title"].str.contains("Mara Ilves")]
    assert rows.empty or not _shown(rows.iloc[0]) or rows.iloc[0]["date_start"] != "1961-05-03"
    assert _row(ev, "largest ferry")["date_start"] == "2026-03-13"


def test_a_since_clause_holding_a_verb_of_saying_is_not_the_reporting_date(codebook) -> None:
    ev = _events(codebook, "Brannock Rail has sold nine trams to Lisvik since the model was announced in May 2019.")
    rows = ev[ev["title"].str.contains("Brannock")]
    assert rows.empty or not (rows.iloc[0]["date_start"] == "2019-05-01" and _shown(rows.iloc[0]))


def test_a_comparison_base_or_a_deadline_is_not_the_happenings_date(codebook) -> None:
    ev = _events(codebook, "Orrin Freight carried 12% more containers than a year ago.\n\n"
                           "The minister Ilse Varga said on Monday that Friday was the deadline for bids.\n\n"
                           "The Dunmore council asked the Harbour Agency to present new catch limits by June.")
    rows = ev[ev["title"].str.contains("Orrin")]
    assert rows.empty or not _shown(rows.iloc[0])
    assert _row(ev, "deadline")["date_start"] == MONDAY
    limits = ev[ev["title"].str.contains("catch limits")]
    assert limits.empty or not _shown(limits.iloc[0])


def test_a_date_naming_an_earlier_thing_or_in_a_relative_clause_is_not_the_rows(codebook) -> None:
    ev = _events(codebook, "Karsland said on Tuesday that Velmora had broken the 2019 accord.\n\n"
                           "Ilse Varga repeated that Karsland still backs the plan that the envoys brought to "
                           "Tamsk on 2 March.")
    assert _row(ev, "broken")["date_start"] == "2026-03-10"
    rows = ev[ev["title"].str.contains("repeated")]
    assert rows.empty or not (rows.iloc[0]["date_start"] == "2026-03-02" and _shown(rows.iloc[0]))


def test_wishes_forecasts_states_and_bylines_are_not_shown(codebook) -> None:
    ev = _events(codebook, "Both Dunmore unions should return to the table this week.\n\n"
                           "The Velmora ministry expected the first shipments from Tamsk in April.\n\n"
                           "The Karsk line is the busiest ferry route in Velmora right now.\n\n"
                           "The Dunmore council votes on the budget on 30 March.\n\n"
                           "Policy note, Halden Institute, 2 March 2026")
    shown = ev[ev["confidence"] >= 0.85]
    assert shown.empty, shown[["title", "date_start", "confidence", "basis"]]


def test_a_participle_phrase_keeps_its_clause(codebook) -> None:
    ev = _events(codebook, "While Karsland kept shelling Tamsk, launching two raids on Tuesday, Velmora rebuilt "
                           "its bridges.\n\nTAMSK, March 15 -- Velmora on Friday signed a grain pact with Orrin.")
    rows = ev[ev["title"].str.contains("rebuilt")]
    assert rows.empty or not _shown(rows.iloc[0])
    assert _row(ev, "grain pact")["date_start"] == "2026-03-13"


def test_later_that_day_follows_the_last_happening_told(codebook) -> None:
    """A link word takes the time of the happening it follows, whatever clause dated it; "earlier"
    is not the same time."""
    ev = _events(codebook, "On Tuesday the Dunmore council met in closed session. Ilse Varga said on Wednesday "
                           "that the bridge would close. Later that day, engineers from Castell Group inspected "
                           "the piers.\n\nEarlier, Castell Group had warned the council about the piers.")
    assert _row(ev, "inspected")["date_start"] == "2026-03-11"
    earlier = ev[ev["title"].str.contains("had warned")]
    assert earlier.empty or earlier.iloc[0]["date_start"] != "2026-03-11"


# ---- round 2: clauses, links to the happening told before, and what is told at publication ----

def test_an_active_verb_after_an_apposition_is_the_main_clause(codebook) -> None:
    ev = _events(codebook, "The ferry operator, Orrin Lines, announced today that it is buying two ships.\n\n"
                           "The port of Tamsk, which is the busiest in Velmora, signed the lease on 12 March.\n\n"
                           "The Kessel yard, opened in 1998, launched its largest ferry on Friday.")
    today = _row(ev, "Orrin Lines")
    assert today["date_start"] == MONDAY and today["basis"] == "own date, reporting verb" and _shown(today)
    lease = _row(ev, "signed the lease")
    assert lease["date_start"] == "2026-03-12" and lease["basis"] == "own date, main clause"
    assert _row(ev, "largest ferry")["date_start"] == "2026-03-13"


def test_a_present_perfect_main_clause_is_not_dated_by_its_subordinate_clause(codebook) -> None:
    ev = _events(codebook, "Brannock Rail has said that the tram line, begun two years ago, will open late.\n\n"
                           "Velmora has been trying to buy the Lisvik mill since December.")
    said = _row(ev, "tram line")
    assert said["date_start"] == MONDAY and said["basis"] == "publication date, present perfect"
    since = _row(ev, "Lisvik mill")
    assert since["date_start"] == "2025-12-01"   # a date that starts the state stays the row's


def test_a_sentence_opening_on_the_happening_told_before_takes_its_date(codebook) -> None:
    ev = _events(codebook, "Orrin Lines signed a charter with Tamsk Port on Tuesday.\n\n"
                           "The deal was approved by both boards.\n\n"
                           "The maiden crossing, at 06:40 local time, was uneventful.\n\n"
                           "The company said the ships would sail weekly.")
    deal = _row(ev, "deal was approved")
    assert deal["date_start"] == "2026-03-10" and deal["basis"] == "the happening told just before"
    # measured right in every such row of the SemEval timelines and the development set: shown
    assert _shown(deal)
    assert _row(ev, "maiden crossing")["date_start"] == "2026-03-10"
    company = _row(ev, "company said")   # "the company" names a participant of a report
    # said at the happening the story opened on, which the narrative has not left
    assert company["date_start"] == "2026-03-10" and company["basis"] == "the story's day, reporting verb"


def test_no_link_to_a_happening_told_long_before_or_in_the_future(codebook) -> None:
    ev = _events(codebook, "Orrin Lines signed a charter with Tamsk Port on Tuesday.\n\n"
                           "Harbour fees rose.\n\nFreight volumes grew.\n\nPassenger numbers fell.\n\n"
                           "Tourism stayed flat.\n\n"
                           "The deal was approved by both boards.")
    deal = ev[ev["title"].str.contains("deal was approved")]
    assert deal.empty or deal.iloc[0]["date_start"] != "2026-03-10"


def test_a_quoted_plan_does_not_hide_the_reporting_verb(codebook) -> None:
    ev = _events(codebook, "\"We plan to open three new routes,\" says Orrin Lines chief Ilse Varga.\n\n"
                           "I will keep the trust that the voters of Dunmore have placed in me.")
    says = _row(ev, "three new routes")
    assert says["date_start"] == MONDAY and says["basis"] == "publication date, reporting verb"
    assert ev[ev["title"].str.contains("trust")].empty


def test_a_date_that_is_the_subject_does_not_date_a_happening(codebook) -> None:
    ev = _events(codebook, "Sunday was chosen for the launch of the Kessel ferry because of the tides.\n\n"
                           "This week saw Orrin Lines carry its millionth passenger.")
    sunday = _row(ev, "Sunday was chosen")
    assert sunday["basis"] == "the date is the subject" and not _shown(sunday)
    week = _row(ev, "millionth")
    assert week["date_start"] == "2026-03-16" and week["basis"] == "own date, main clause"


def test_present_progressive_is_told_at_publication_in_news_only(codebook) -> None:
    text = "One of the Orrin ferries is sailing from Tamsk to Lisvik with 300 passengers."
    news = _row(_events(codebook, text), "ferries")
    assert news["date_start"] == MONDAY and news["basis"] == "publication date, present progressive"
    assert not _shown(news)
    assert _events(codebook, text, kind="opinion").empty


def test_a_delay_counted_than_planned_is_no_date(codebook) -> None:
    ev = _events(codebook, "Orrin Lines said its new ferry will reach Tamsk on 20 March, three days later "
                           "than planned.")
    assert _row(ev, "three days later")["date_start"] == "2026-03-20"


def test_a_dateline_lede_reported_that_day_is_shown_one_in_the_present_perfect_is_not(codebook) -> None:
    ev = _events(codebook, "March 16, 2026\n\nOrrin Lines has bought the Kessel shipyard for 40 million euros.\n\n"
                           "March 16, 2026\n\nOrrin Lines will buy the Kessel shipyard next year.\n\n"
                           "March 16, 2026\n\nTamsk Port said it would double its ferry berths.")
    # "has bought" says "before now", not "that day": the purchase may be the day before
    lede = _row(ev, "has bought")
    assert lede["date_start"] == MONDAY and lede["basis"] == "dateline, lede in the present perfect"
    assert not _shown(lede)
    report = _row(ev, "double its ferry berths")
    assert report["date_start"] == MONDAY and report["basis"] == "dateline, lede told at that date"
    assert _shown(report)
    future = ev[ev["title"].str.contains("will buy")]
    assert future.empty or not _shown(future.iloc[0])


def test_a_deal_term_with_a_deadline_after_an_abbreviation_is_no_happening(codebook) -> None:
    ev = _events(codebook, "Karsland will cut its duties on U.S. grain and will buy 2 million tonnes of U.S. "
                           "soybeans by the end of 2027.")
    shown = ev[ev["confidence"] >= 0.85]
    assert shown.empty, shown[["title", "date_start", "basis"]]


def test_a_negated_due_still_looks_ahead(codebook) -> None:
    ev = _events(codebook, "Deliveries of the Orrin ferries to Tamsk are not due until October.",
                 published="2026-03-16")
    assert _row(ev, "not due")["date_start"] == "2026-10-01"


# ---- round 5: the story's day, reported present perfects, comparison bases ----

def test_what_was_said_with_no_date_is_said_at_the_happening_the_story_opens_on(codebook) -> None:
    ev = _events(codebook, "Velmora Rail held a rare press briefing in Tamsk on Thursday.\n\n"
                           "The chief executive Ada Brennan said that ticket prices would fall.\n\n"
                           "Brennan also announced that two night trains would return.\n\n"
                           "An analyst at Halden Bank, Piet Moor, says the cut is overdue.")
    for words in ("ticket prices", "night trains"):
        row = _row(ev, words)
        assert (row["date_start"], row["basis"]) == ("2026-03-12", "the story's day, reporting verb")
        assert _shown(row)   # 23 of 24 such SemEval rows inside the gold date
    says = _row(ev, "overdue")   # said at the time of writing
    assert (says["date_start"], says["basis"]) == (MONDAY, "publication date, reporting verb")


def test_an_undated_past_sentence_goes_on_telling_the_storys_happening(codebook) -> None:
    ev = _events(codebook, "Velmora Rail opened its new Tamsk terminal on Thursday.\n\n"
                           "Ada Brennan cut the ribbon in front of two hundred guests.\n\n"
                           "The old terminal, built in Tamsk by Orrin Works, is the oldest in Velmora.\n\n"
                           "In 1998, the Velmora line closed for a decade.\n\n"
                           "Brennan thanked the Orrin Works engineers.")
    ribbon = _row(ev, "ribbon")
    assert (ribbon["date_start"], ribbon["basis"]) == ("2026-03-12", "the story's day, past tense")
    assert _shown(ribbon)   # 14 of 14 such SemEval rows inside the gold date
    # a state in the present, whatever participle it holds, tells no happening of that day
    assert not ev["title"].str.contains("oldest").any()
    # once the text has moved to another time, an undated sentence is not dated by the story
    thanked = ev[ev["title"].str.contains("thanked")]
    assert thanked.empty or thanked.iloc[0]["date_start"] != "2026-03-12"


def test_no_storys_day_for_a_lede_long_before_publication(codebook) -> None:
    ev = _events(codebook, "Velmora Rail opened its new Tamsk terminal on 2 January.\n\n"
                           "Ada Brennan said that ticket prices would fall.")
    row = _row(ev, "ticket prices")
    assert (row["date_start"], row["basis"]) == (MONDAY, "publication date, reporting verb")


def test_a_present_perfect_after_a_verb_of_saying_is_what_was_said(codebook) -> None:
    ev = _events(codebook, "Ada Brennan noted that over two million passengers have used the Tamsk line.")
    row = _row(ev, "two million")
    assert row["basis"] == "publication date, reporting verb"


def test_a_comparison_base_counted_from_a_date_is_no_counted_date(codebook) -> None:
    ev = _events(codebook, "Orrin Freight opened a depot in Tamsk on 4 May 2021.\n\n"
                           "Orrin Freight carried 12% more containers compared with the previous year.")
    rows = ev[ev["title"].str.contains("containers")]
    assert rows.empty or rows.iloc[0]["basis"] != "counted from the previous date"


def test_a_long_wish_is_no_happening(codebook) -> None:
    ev = _events(codebook, "Have a great rest of the week, all of you in Tamsk, and Merry Christmas in advance!\n\n"
                           "Thanks to the grain accord signed with Orrin Lines on Monday, Tamsk exports rose.",
                 published="2026-12-19")
    assert not ev["title"].str.contains("Merry").any(), ev[["title", "date_start", "basis"]]
    assert _row(ev, "exports rose")["date_start"] == "2026-12-14"


def test_a_company_the_codebook_lacks_is_the_events_participant(codebook) -> None:
    ev = _events(codebook, "Northwind Motors today named a new chief executive.\n\n"
                           "Brannock Rail on Friday signed a contract for forty trams with Lisvik.")
    named = _row(ev, "Northwind")
    assert named["date_start"] == MONDAY and "auto-northwind-motors" in named["actors"]
    signed = _row(ev, "Brannock")
    assert signed["date_start"] == "2026-03-13" and "auto-brannock-rail" in signed["actors"]


def test_earlier_and_bare_answers_do_not_take_the_storys_day(codebook) -> None:
    ev = _events(codebook, "Velmora Rail opened its new Tamsk terminal on Thursday.\n\n"
                           "Earlier, the mayor Ilse Varga said that the old terminal would close.\n\n"
                           "VARGA: They did.")
    earlier = _row(ev, "old terminal")
    assert earlier["date_start"] != "2026-03-12"
    answer = ev[ev["title"].str.contains("They did")]
    assert answer.empty or answer.iloc[0]["date_start"] != "2026-03-12"


def test_what_was_said_recently_is_not_the_storys_day(codebook) -> None:
    # "in a recent interview", "recently": said before the story's day, on a day not given
    ev = _events(codebook, "Velmora Rail opened its new Tamsk terminal on Thursday.\n\n"
                           "The line is one of two options, the mayor Ilse Varga said in a recent interview "
                           "with Radio Lorne.\n\n"
                           "Varga recently told the council that the old terminal would close.\n\n"
                           "Varga said the opening went well.")
    for words in ("recent interview", "recently told"):
        row = _row(ev, words)
        assert not (row["date_start"] == "2026-03-12" and _shown(row)), words
    assert _row(ev, "opening went well")["date_start"] == "2026-03-12"


def test_a_weekday_in_a_source_dated_by_its_month_only_waits_for_the_analyst(codebook) -> None:
    # published "2026-03": "on Friday" is one of four Fridays, not a span that lasted the month
    text = ("The Tamsk ministers met in Lorne on Friday.\n\nThe talks ended in March 2026 without a deal.\n\n"
            "Talks between the two delegations took place in Lorne on March 4–5.")
    month = _events(codebook, text, published="2026-03")
    friday = _row(month, "on Friday")
    assert (friday["date_start"], friday["date_end"], friday["precision"]) == ("2026-02-27", "2026-03-27", "range")
    assert not _shown(friday)
    assert _shown(_row(month, "March 2026"))        # its own month is the month
    assert _shown(_row(month, "March 4–5"))         # a range written out is that range, whatever the day
    assert _shown(_row(_events(codebook, text), "on Friday"))    # published on a day: that Friday


def test_hours_counted_in_the_past_are_from_the_happening_told(codebook) -> None:
    # "ended within three hours" counts from the summit, as "three hours later" would; "open
    # within hours" is the day of writing
    ev = _events(codebook, "On 12 March, the Tamsk summit opened in Lorne.\n\n"
                           "The summit was meant to last six hours, but it ended within three hours. "
                           "A day earlier, Ilse Varga had warned of a walk-out.")
    assert "2026-03-16" not in set(ev["date_start"])
    assert _row(ev, "A day earlier")["date_start"] == "2026-03-11"
    ahead = _events(codebook, "Talks on the Tamsk ferries open within hours, Ilse Varga said.")
    assert _row(ahead, "within hours")["date_start"] == MONDAY


def test_a_verb_of_saying_after_be_tells_nothing(codebook) -> None:
    # a draft's clause "must be confirmed" is no report of the story's day
    ev = _events(codebook, "Lorne published the Tamsk draft on Sunday.\n\n"
                           "The sovereignty of Tamsk must be confirmed.\n\nIlse Varga said the draft was fair.")
    confirmed = ev[ev["title"].str.contains("must be confirmed")]
    assert confirmed.empty or not _shown(confirmed.iloc[0])
    assert _row(ev, "draft was fair")["date_start"] == "2026-03-15"


def test_in_analysis_a_present_perfect_is_no_happening_to_refer_back_to(codebook) -> None:
    text = ("Tamsk officials have spent years calling any cap on the fleet a red line.\n\n"
            "After a weekend of talks in Lorne, the negotiators cut the draft down to 19 points.")
    analysis = _events(codebook, text, kind="analysis")
    cut = analysis[analysis["title"].str.contains("cut the draft")]
    assert cut.empty or not (cut.iloc[0]["date_start"] == MONDAY and _shown(cut.iloc[0]))
    # in news, the present perfect lede is the story's happening ("has made its maiden flight",
    # then "The take-off was normal")
    news = _events(codebook, "The Lorne airship has made its maiden flight.\n\nThe flight lasted four hours.")
    assert _row(news, "lasted")["date_start"] == MONDAY
    analysis = _events(codebook, "The Lorne airship has made its maiden flight.\n\nThe flight lasted four hours.",
                       kind="analysis")
    assert analysis[analysis["title"].str.contains("lasted")].empty


def test_this_month_up_to_publication_is_some_time_in_the_month_not_a_span_that_lasted(codebook) -> None:
    row = _row(_events(codebook, "Ticket sales at Velmora Rail rose this month, the company said."), "Ticket sales")
    assert (row["date_start"], row["date_end"], row["precision"]) == ("2026-03-01", MONDAY, "month")


def test_a_period_a_thing_covers_is_not_its_happenings_date(codebook) -> None:
    ev = _events(codebook, "The Velmora council agreed a 40 million euro loan for 2027-28.\n\n"
                           "The Tamsk vote is set for March 30.")
    loan = _row(ev, "loan")
    assert loan["basis"] == "date of a subordinate clause" and not _shown(loan)
    assert _row(ev, "vote is set")["date_start"] == "2026-03-30"   # a schedule after a verb stays


def test_a_participle_after_a_noun_dates_its_own_happening(codebook) -> None:
    ev = _events(codebook, "Ilse Varga briefed the Tamsk council on the results of the meeting held in Lorne "
                           "on 4 March.\n\n"
                           "Officials from Tamsk confirmed the ferries arrived on Tuesday.\n\n"
                           "The Orrin tariffs imposed on Tamsk on 2 March were the first in a decade.")
    briefed = _row(ev, "briefed")
    assert not (briefed["date_start"] == "2026-03-04" and _shown(briefed))
    assert _row(ev, "ferries arrived")["date_start"] == "2026-03-10"
    assert _row(ev, "tariffs imposed")["date_start"] == "2026-03-02"


def test_a_date_of_an_included_item_is_not_the_rows(codebook) -> None:
    ev = _events(codebook, "Karsland listed six incidents, including a strike on a Tamsk depot on 2 March.")
    row = _row(ev, "six incidents")
    assert not (row["date_start"] == "2026-03-02" and _shown(row))


def test_a_relative_clause_without_a_pronoun_dates_its_own_happening(codebook) -> None:
    ev = _events(codebook, "Ada Brennan flew to Tamsk on Friday with a reply to the list of demands the "
                           "dockers handed over in January.\n\n"
                           "Ilse Varga answered a letter of complaints the Orrin Lines crews sent in February.\n\n"
                           "The charter we signed today doubles the Lisvik crossings.")
    flew = _row(ev, "flew to Tamsk")   # the main clause's own date, not the relative clause's
    assert flew["date_start"] == "2026-03-13" and flew["basis"] == "own date, main clause"
    answered = _row(ev, "answered a letter")   # "sent in February" is the crews' happening
    assert answered["basis"] != "own date, main clause" and not _shown(answered)
    charter = ev[ev["title"].str.contains("charter we signed")]
    assert charter.empty or not _shown(charter.iloc[0])


def test_a_reported_clause_without_that_stays_the_rows(codebook) -> None:
    ev = _events(codebook, "Ada Brennan told reporters the Lisvik ferry sailed on Sunday.\n\n"
                           "The Orrin Lines board the shareholders appointed in 2019 resigned on Friday.")
    told = _row(ev, "told reporters")   # after a verb of saying: what was said, not a relative clause
    assert told["date_start"] == "2026-03-15" and told["basis"] != "date of a subordinate clause"
    board = _row(ev, "resigned")   # a past verb after the relative clause gives the main clause back
    assert board["date_start"] == "2026-03-13" and board["basis"] == "own date, main clause"


# "Over the weekend": DW's "Over the weekend, Immigration and Customs Enforcement (ICE) launched
# raids" was dated Monday, the story's day, as an undated past sentence
@pytest.mark.parametrize("when", ["this weekend", "over the weekend"])
def test_the_weekend_in_a_past_clause_is_the_weekend_just_gone(codebook, when: str) -> None:
    ev = _events(codebook, f"Orrin Lines and Tamsk Port agreed a new timetable {when}.\n\n"
                           f"Velmora Rail will open its Lisvik depot {when}.")
    agreed = _row(ev, "agreed a new timetable")   # written on Monday 16 March
    assert (agreed["date_start"], agreed["date_end"]) == ("2026-03-14", "2026-03-15")
    depot = _row(ev, "Lisvik depot")
    assert (depot["date_start"], depot["date_end"]) == ("2026-03-21", "2026-03-22")


def test_a_coarse_main_clause_date_keeps_its_weight_beside_a_relative_clause_date(codebook) -> None:
    ev = _events(codebook, "In 2011 Orrin Lines bought the Kessel yard, which was sold to Tamsk Port in 2019.\n\n"
                           "Orrin Lines was founded in 1990 and bought the Lisvik yard in 2004.")
    bought = _row(ev, "Kessel yard")   # the year is the only date of the main clause
    assert bought["date_start"] == "2011-01-01" and bought["basis"] == "own date, main clause"
    assert _shown(bought)
    two = _row(ev, "founded in 1990")   # two happenings, two years: which is the row's?
    assert not _shown(two)


def test_a_terms_deadline_is_no_second_happening_of_the_main_clause(codebook) -> None:
    ev = _events(codebook, "Orrin Lines signed a charter on Tuesday committing its ferries to carry "
                           "Tamsk freight by 2030.")
    signed = _row(ev, "signed a charter")
    assert signed["date_start"] == "2026-03-10" and signed["basis"] == "own date, main clause"
    assert _shown(signed)


def test_a_habit_or_a_present_passive_claim_is_not_the_storys_happening(codebook) -> None:
    ev = _events(codebook, "Velmora Rail opened its new Tamsk terminal on Thursday.\n\n"
                           "Brennan gave the guests what she always gives: a short speech.\n\n"
                           "The company already runs trains to Lisvik and recently added a night service.\n\n"
                           "Normally, the minister travels on a Velmora Rail train.\n\n"
                           "The new trains are said to be twice as fast as the old ones.")
    for words in ("already runs", "Normally"):
        habit = ev[ev["title"].str.contains(words)]
        assert habit.empty or habit.iloc[0]["date_start"] != "2026-03-12", words
    claim = ev[ev["title"].str.contains("said to be twice")]
    assert claim.empty or claim.iloc[0]["basis"] != "the story's day, reporting verb"
    gave = _row(ev, "short speech")   # "always" after the past verb qualifies something else
    assert (gave["date_start"], gave["basis"]) == ("2026-03-12", "the story's day, past tense")


# Headlines (issue 19): a news headline restates the happening its lede tells.

def _story(codebook, title: str, body: str, published: str = MONDAY) -> pd.DataFrame:
    text = f"{title}\n\n{body}"
    src = Source("h", Path("h.txt"), text, Sidecar(title=title, published=published, kind="news"),
                 True, hashlib.sha256(text.encode()).hexdigest())
    _, _, sentences = ingest([src], codebook.lexicon.model)
    return extract(codebook, [src], sentences)["events"]


def _headline(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["char_start"] == 0]


@pytest.mark.parametrize("title", [
    "Norvik Shipyards wins ferry contract",            # a verb in the present after the name
    "Norvik Shipyards Wins Ferry Contract",            # the same in title case
    "First Norvik ferry contract signed",             # a bare participle
    "Halden council to buy four Norvik ferries",       # an infinitive after the name
])
def test_a_headline_takes_the_day_its_lede_tells(codebook, title: str) -> None:
    ev = _story(codebook, title, "Norvik Shipyards on Thursday won a contract to build four electric "
                                 "ferries for the Halden council.")
    head = _headline(ev)
    assert len(head) == 1, ev[["title", "date_start", "basis"]]
    assert (head.iloc[0]["date_start"], head.iloc[0]["basis"]) == ("2026-03-12", "headline, the lede's day")
    assert head.iloc[0]["confidence"] < 0.85      # held back for review, like the other inferred days


@pytest.mark.parametrize("title", [
    "Why the ferry talks in Halden failed",           # an explainer
    "Analysis: Norvik Shipyards bets on electric ferries",   # a genre label
    "Will Norvik Shipyards win the ferry contract?",   # a question
    "Norvik Shipyards could win ferry contract",       # a forecast
    "The long road to electric ferries in Halden",     # no verb
])
def test_headlines_that_tell_no_happening_give_no_row(codebook, title: str) -> None:
    ev = _story(codebook, title, "Norvik Shipyards on Thursday won a contract to build four electric "
                                 "ferries for the Halden council.")
    assert _headline(ev).empty, ev[["title", "date_start", "basis"]]
    assert _row(ev, "won a contract")["date_start"] == "2026-03-12"


def test_a_headline_whose_lede_dates_only_a_report_gives_no_row(codebook) -> None:
    # the lede dates when it was said, not when the jets were bought: the headline's day is unknown
    ev = _story(codebook, "Talvik Airlines buys twelve jets",
                "Talvik Airlines said on Friday that it had agreed to buy twelve jets from Orrin Aero.")
    assert _headline(ev).empty, ev[["title", "date_start", "basis"]]


def test_a_headline_whose_lede_gives_no_date_tells_the_news_of_publication(codebook) -> None:
    ev = _story(codebook, "Marten Foods recalls frozen pies",
                "The recall covers 20,000 pies sold in the northern provinces.")
    head = _headline(ev)
    assert len(head) == 1
    assert (head.iloc[0]["date_start"], head.iloc[0]["basis"]) == (MONDAY, "headline, publication date")


def test_the_story_day_is_the_ledes_even_after_a_sentence_of_background(codebook) -> None:
    # the opening sentence dates background; the lede's happening (present perfect, the day of
    # publication) is the story's day: what is said after it is said that day. An undated past
    # sentence is not told at it: a present perfect says before now, not when (on 132 web
    # articles 3 of 16 such rows were that day's), so it is held back.
    ev = _story(codebook, "A report",
                "The Lumen telescope was first proposed in 1998.\n\n"
                "The Lumen telescope has sent back its first images of the outer planets.\n\n"
                "Its director, Ilse Marten, said the images were sharper than hoped.\n\n"
                "Ilse Marten thanked the engineers at a ceremony in Halden.")
    said = _row(ev, "sharper than hoped")
    assert (said["date_start"], said["basis"]) == (MONDAY, "the story's day, reporting verb")
    assert not _any_shown(ev, "thanked")
    assert _headline(ev).empty


@pytest.mark.parametrize("verb", ["recalled", "conceded", "enthused", "reiterated"])
def test_verbs_of_saying_beyond_said_report_what_was_said_at_the_story(codebook, verb: str) -> None:
    ev = _events(codebook, "The Halden ferry terminal reopened on Saturday after a month of repairs.\n\n"
                           f"\"The crews worked through every night,\" {verb} Ilse Marten, the terminal's director.")
    row = _row(ev, "crews")
    assert (row["date_start"], row["basis"]) == ("2026-03-14", "the story's day, reporting verb")


def test_a_description_in_the_present_does_not_end_the_story(codebook) -> None:
    # four paragraphs describing the ferry, in the present, then the story goes on in the past
    ev = _events(codebook, "Norvik Shipyards launched the Halden ferry on Saturday.\n\n"
                           "The ferry carries 300 passengers.\n\n"
                           "Its batteries weigh 40 tonnes.\n\n"
                           "A crossing takes twenty minutes.\n\n"
                           "The hull uses recycled aluminium.\n\n"
                           "Mayor Ilse Marten cut the ribbon in front of a large crowd.")
    row = _row(ev, "ribbon")
    assert (row["date_start"], row["basis"]) == ("2026-03-14", "the story's day, past tense")


def test_a_compound_ending_in_a_participle_is_no_past_verb(codebook) -> None:
    # "in-built", "long-awaited": adjectives; the sentence describes, it tells nothing that happened
    ev = _events(codebook, "Norvik Shipyards launched the Halden ferry on Saturday.\n\n"
                           "The ferry also features an in-built charging deck and a long-awaited cafe.")
    assert ev[ev["title"].str.contains("charging deck")].empty, ev[["title", "basis"]]


def test_an_infinitive_set_off_by_a_comma_dates_what_is_due_not_the_story(codebook) -> None:
    ev = _events(codebook, "Norvik Shipyards launched the Halden ferry on Saturday.\n\n"
                           "The ceremony also included a preview of the second ferry, to be launched in May.\n\n"
                           "Mayor Ilse Marten cut the ribbon in front of a large crowd.")
    assert _row(ev, "preview")["basis"] == "date of a subordinate clause"
    # the forecast did not move the story: the next past sentence is still the launch day's
    row = _row(ev, "ribbon")
    assert (row["date_start"], row["basis"]) == ("2026-03-14", "the story's day, past tense")


def test_what_follows_a_participle_of_saying_was_said(codebook) -> None:
    ev = _events(codebook, "Norvik Shipyards launched the Halden ferry on Saturday.\n\n"
                           "Mayor Ilse Marten opened the terminal, saying the town has waited years for it.")
    row = _row(ev, "opened the terminal")
    assert (row["date_start"], row["basis"]) == ("2026-03-14", "the story's day, past tense")


def test_a_possessive_date_after_an_apposition_is_the_main_verbs_object(codebook) -> None:
    # "X, the director, chaired Tuesday's meeting": "chaired" takes an object, so it is the main
    # verb, not a reduced relative ("the plant, opened in 2019, ..."), and the date is its own
    ev = _events(codebook, "The director of the Halden port, Ilse Marten, chaired Tuesday's meeting of the "
                           "harbour board.")
    row = _row(ev, "chaired")
    assert (row["date_start"], row["basis"]) == ("2026-03-10", "own date, main clause")


def test_a_step_back_in_the_past_perfect_does_not_move_the_story(codebook) -> None:
    ev = _events(codebook, "Norvik Shipyards launched the Halden ferry on Saturday.\n\n"
                           "The yard had won the order in October after a long tender.\n\n"
                           "Mayor Ilse Marten cut the ribbon in front of a large crowd.")
    assert _row(ev, "had won")["date_start"] == "2025-10-01"     # the step back keeps its own date
    row = _row(ev, "ribbon")
    assert (row["date_start"], row["basis"]) == ("2026-03-14", "the story's day, past tense")


def test_background_told_over_an_era_is_not_the_storys_day(codebook) -> None:
    ev = _events(codebook, "Norvik Shipyards launched the Halden ferry on Saturday.\n\n"
                           "The old Halden ferries were built during the Soviet era.\n\n"
                           "\"We waited for this over the years,\" said Mayor Ilse Marten.")
    assert ev[ev["title"].str.contains("Soviet era")].empty, ev[["title", "basis"]]
    # inside a quotation the same words say nothing of when it was said
    assert _row(ev, "We waited")["basis"] == "the story's day, reporting verb"


def test_a_plan_doing_something_tells_its_content_not_the_storys_happening(codebook) -> None:
    ev = _events(codebook, "Velmora Rail and the dockers' union met in Tamsk on Thursday.\n\n"
                           "The union's counter-proposal, in any case, raised the night bonus to 40 euros.\n\n"
                           "The draft was handed to Ada Brennan of Velmora Rail.")
    content = ev[ev["title"].str.contains("night bonus")]
    assert content.empty or content.iloc[0]["date_start"] != "2026-03-12"
    handed = _row(ev, "was handed")   # done to the plan: a happening of the story's day
    assert (handed["date_start"], handed["basis"]) == ("2026-03-12", "the story's day, past tense")


def test_after_a_flashback_the_ledes_people_bring_the_story_back(codebook) -> None:
    ev = _events(codebook, "Mayor Ilse Marten opened the new Halden ferry terminal on Saturday.\n\n"
                           "In 2019, a fire destroyed the old terminal of Halden.\n\n"
                           "Marten thanked the builders and their crews.")
    assert _row(ev, "fire destroyed")["date_start"] == "2019-01-01"
    row = _row(ev, "thanked the builders")
    assert (row["date_start"], row["basis"]) == ("2026-03-14", "the story's day, its people again")
    assert row["confidence"] < 0.85


def test_a_flashback_about_the_ledes_people_goes_on_in_its_own_time(codebook) -> None:
    # the flashback names the mayor too: what she did next may belong to it, so it stays undated
    ev = _events(codebook, "Mayor Ilse Marten opened the new Halden ferry terminal on Saturday.\n\n"
                           "In 2019, Ilse Marten campaigned for a new terminal.\n\n"
                           "Marten lost the council vote.")
    assert ev[ev["title"].str.contains("council vote")].empty, ev[["title", "date_start", "basis"]]


def test_an_untensed_clause_after_a_verb_of_saying_and_a_comma_is_what_was_said(codebook) -> None:
    ev = _events(codebook, "Tamsk Port said according to its own count, the Lisvik ferry carries more cars "
                           "than any rival in 2025.\n\n"
                           "Orrin Lines said its ferries, all six of them, carried 9,000 cars last week.")
    count = _row(ev, "carries more cars")   # the year is what was said, not when Tamsk Port said it
    assert count["basis"] == "own date, reported clause" and not _shown(count)
    carried = _row(ev, "carried 9,000 cars")   # a past clause after the break keeps its own date
    assert carried["date_start"] == "2026-03-09" and _shown(carried)


def test_what_follows_a_report_goes_on_at_the_reported_happenings_day(codebook) -> None:
    # issue 19, class 2 (events4): the lede is dated by its verb of saying (Monday), but the
    # happening it tells was on Sunday; a clock time after it is that Sunday's, not the report's
    ev = _events(codebook, "BRANDVIK, March 16 (Wire) - Firefighters led 40 workers to safety after a "
                           "warehouse on the edge of the old harbour caught fire late on Sunday, the fire "
                           "service said on Monday.\n\n"
                           "The blaze started at 10.15 p.m. in a storage hall.\n\n"
                           "Its night guard raised the alarm at 10.20 p.m., the fire service told reporters.")
    lede = _row(ev, "Firefighters led")
    assert lede["date_start"] == "2026-03-16" and lede["basis"] == "own date, reporting verb"
    assert _row(ev, "blaze started")["date_start"] == "2026-03-15"
    assert _row(ev, "raised the alarm")["date_start"] == "2026-03-15"
    # a day in a relative clause is a noun's background ("a case that was opened on Saturday"),
    # a day in the clause reported ("said ... that the ferry ran aground late on Saturday") the
    # happening's
    ev = _events(codebook, "BRANDVIK, March 16 (Wire) - Prosecutors charged a harbour official with fraud "
                           "in a case that was opened at the district court on Saturday, police said on "
                           "Monday.\n\nThe hearing was held behind closed doors.")
    assert _row(ev, "hearing was held")["date_start"] == "2026-03-16"
    ev = _events(codebook, "BRANDVIK, March 16 (Wire) - The coast guard said on Monday that a trawler ran "
                           "aground late on Saturday.\n\nThe trawler left port at 8.40 p.m.")
    assert _row(ev, "trawler left port")["date_start"] == "2026-03-14"
    # with no earlier day in the lede, the report's day goes on as before
    ev = _events(codebook, "BRANDVIK, March 16 (Wire) - Firefighters led 40 workers to safety, the fire "
                           "service said on Monday.\n\nThe blaze started at 10.15 p.m. in a storage hall.")
    assert _row(ev, "blaze started")["date_start"] == "2026-03-16"


def test_a_sentence_opening_on_a_date_then_a_noun_subject_is_a_happening(codebook) -> None:
    # issue 19, class 5 (events4): "Yesterday the cabinet declared ..." has a participant (the
    # noun subject after the fronted date) though no name or pronoun
    ev = _events(codebook, "Yesterday the council approved a new stadium for the town.\n\n"
                           "On Friday, the committee rejected the budget.")
    assert _row(ev, "council approved")["date_start"] == "2026-03-15"
    assert _row(ev, "committee rejected")["date_start"] == "2026-03-13"


def test_a_contracted_future_is_not_a_past_weekday(codebook) -> None:
    # issue 19, class 3 (events4): "I'll be back on Thursday" in a Monday newsletter is the coming
    # Thursday, never the last one
    ev = _events(codebook, "Orrin Lines signed a charter with Tamsk Port on Tuesday.\n\n"
                           "We'll publish the full list on Thursday.", kind="opinion")
    row = ev[ev["title"].str.contains("full list")]
    assert row.empty or row.iloc[0]["date_start"] > MONDAY


def test_years_later_counts_from_the_last_year_the_text_gave(codebook) -> None:
    # issue 19, class 2 (events4): a year is too coarse to be the paragraph's reference day, but
    # "two years later" counts from it, and the count is the sentence's own date
    ev = _events(codebook, "The old harbour crane was dismantled in 2009.\n\n"
                           "The ferry terminal followed three years later.")
    row = _row(ev, "ferry terminal followed")
    assert _day(row) == ("2012-01-01", "2012-12-31") and row["basis"] == "counted from the previous date"


def test_a_date_still_to_come_in_a_main_clause_does_not_date_what_was_told(codebook) -> None:
    # issue 19, class 1 (events4): "told us on Sunday that ..., and a vote is due in June": the
    # told day dates the row, the due month is what is planned
    ev = _events(codebook, "Ilse Varga told us on Sunday evening that she will ask the board to review "
                           "the deal, and a new election is due in June.\n\n"
                           "The envoys met in Tamsk on Friday and will meet again on Thursday.")
    told = _row(ev, "Varga told")
    assert _day(told) == ("2026-03-15", "2026-03-15")
    assert _row(ev, "envoys met")["date_start"] == "2026-03-13"


def _day(row: pd.Series) -> tuple[str, str]:
    return row["date_start"], row["date_end"]


def test_a_thing_placed_by_a_past_copula_is_a_description_not_the_storys_happening(codebook) -> None:
    # issue 19, class 4 (events4): "The words were atop a picture": where something was, not a
    # happening of the story's day; the next happening told in the past still is one
    ev = _events(codebook, "Orrin Lines announced today another ferry service to be launched on April 2.\n\n"
                           "The words were atop a picture of a ship.\n\n"
                           "The company unveiled the new ship at the harbour.")
    assert ev[ev["title"].str.contains("were atop")].empty
    assert _row(ev, "unveiled the new ship")["date_start"] == MONDAY


def test_a_wire_datelines_date_dates_the_sentence_as_a_dateline(codebook) -> None:
    # "BERLIN, Sept 28 (Agency) — The polls have closed and X have claimed victory": the day the
    # story was filed, not the day of the happening (the vote was two days before)
    ev = _events(codebook, "VIENNA, March 16 (Courier) — The polls have closed and Austria's Greens have "
                           "claimed victory in the city election.\n\n"
                           "GRAZ, March 16 (Courier) — Mayor Elke Kahr opened the new tram line on Sunday.")
    lede = _row(ev, "claimed victory")
    assert lede["basis"] == "dateline, lede in the present perfect" and lede["confidence"] < 0.85
    # a date of the sentence's own still dates it
    assert _row(ev, "opened the new tram line")["date_start"] == "2026-03-15"


@pytest.mark.parametrize(("text", "kind", "words"), [
    # a byline with the date: a line with no tense sets no story's day (an opinion piece's
    # background was "that day" at 0.9)
    ("By Ada Wren – The Harbour Chronicle – March 16, 2026\n\n"
     "The new board has stirred debate over the port's future.\n\n"
     "While serving as harbour master, Tomas Brenner developed ties with the unions.", "opinion", "developed ties"),
    # a policy brief: in analysis an undated "said" is commentary, not the day of issue's news
    ("Summary\n\n"
     "The sanctions imposed on 2 March were the first of the year.\n\n"
     "Finance minister Ola Brandt said the measures would bite.\n\n"
     "Foreign minister Eva Lund said the bloc would next target shipping.", "analysis", "next target shipping"),
])
def test_no_storys_day_from_a_byline_or_from_commentary(codebook, text: str, kind: str, words: str) -> None:
    assert not _any_shown(_events(codebook, text, kind=kind), words)


def test_the_lede_is_looked_for_among_passages_that_tell_something(codebook) -> None:
    # a "Published" line and a caption before the lede: the lede's reported day (Monday) is the
    # story's, not the day the page was published (a court's Tuesday hearing had been Wednesday)
    ev = _events(codebook, "Published March 17, 2026 06:02am\n\n"
                           "Residents wade through flood water in Tarvos. ─ AFP\n\n"
                           "TARVOS: Floods have killed at least 12 people, officials said on Monday.\n\n"
                           "Regional governor Ilse Marr ordered the army to distribute food.",
                 published="2026-03-17")
    assert _day(_row(ev, "ordered the army")) == (MONDAY, MONDAY)
    assert _row(ev, "ordered the army")["basis"] == "the story's day, past tense"


def test_after_a_lede_in_the_present_perfect_undated_past_is_background(codebook) -> None:
    # "has discovered a new species": before now, not when; what the finder did is not that day
    ev = _events(codebook, "A Danish paleontologist has discovered a new species of dinosaur while studying "
                           "fossils in a museum in Aarhus.\n\n"
                           "Dr Mette Holm was examining fossilised bones, which had been kept in the museum "
                           "for 75 years.\n\n"
                           "But after analysing the fossils, Dr Holm realised they resembled dinosaurs from "
                           "Patagonia.\n\n"
                           "\"It was a thrilling moment,\" Dr Mette Holm said.")
    assert not _any_shown(ev, "was examining")
    assert not _any_shown(ev, "realised they resembled")
    assert _row(ev, "thrilling moment")["basis"] == "the story's day, reporting verb"


def test_what_a_quotation_before_the_date_wishes_is_its_speakers(codebook) -> None:
    ev = _events(codebook, "\"This union is ready to go to work,\" union president Jim Dorsey said Sunday "
                           "in Long Beach.\n\n"
                           "The nurses said they were prepared to walk out this week.")
    said = _row(ev, "ready to go to work")
    assert said["date_start"] == "2026-03-15" and said["confidence"] >= 0.85
    assert not _any_shown(ev, "prepared to walk out")


def test_what_was_supposed_to_happen_or_is_compared_with_is_no_happening(codebook) -> None:
    # an explainer's "was supposed to happen on March 29", a blog's "less favourable now than it
    # was two months ago"
    ev = _events(codebook, "The Halden ferry link was supposed to open on 2 March.\n\n"
                           "The outlook for Halden is weaker now than it was two months ago, economists at "
                           "Nordbank wrote.")
    assert not _any_shown(ev, "supposed to open")
    assert not _any_shown(ev, "weaker now than")


def test_a_participle_after_a_preposition_is_no_past_verb(codebook) -> None:
    # "The possibility of continued flare-ups remains": a present state, not the story's happening
    ev = _events(codebook, "Yesterday, the Halden health board met and lifted the outbreak alert.\n\n"
                           "The possibility of continued outbreaks remains, requiring close monitoring.")
    assert _row(ev, "lifted the outbreak alert")["date_start"] == "2026-03-15"
    assert not _any_shown(ev, "continued outbreaks")


def test_after_a_verb_of_saying_a_prepositions_object_and_its_participle_are_no_reported_clause(
        codebook) -> None:
    # The National: "..., experts told The National, referring to the deal struck in 2015 that ..."
    ev = _events(codebook, "The best that can be hoped for from the talks is a smaller accord, experts told the "
                           "Halden Courier, referring to the accord struck in 2015 that capped the port's output.\n\n"
                           "The revenue of the port authority made up 7 million euros in 2024.")
    assert not _any_shown(ev, "accord struck in 2015")
    assert _row(ev, "made up 7 million")["basis"] == "own date, main clause"   # "of the ... made": the verb
