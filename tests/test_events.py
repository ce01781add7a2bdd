"""Events from dated sentences, in the styles real sources are written in: wire copy with a
dateline and "said on Friday", a summit report, an official readout, a think-tank note.

Texts are written here for the rules they exercise; every assertion is about a class of
sentence (a bare weekday, a reporting verb, two dates in one sentence, a place that is not a
plan), never about one article's wording.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.extract import extract
from pipeline.ingest import ingest
from pipeline.inputs import Sidecar, Source, load_inputs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def codebook():  # noqa: ANN201 - the repository's codebook and lexicon
    return load_inputs(ROOT / "inputs").codebook


def _run(codebook, text: str, published: str, title: str = "A report", kind: str = "news"
         ) -> dict[str, pd.DataFrame]:
    side = Sidecar(title=title, published=published, kind=kind)
    text = f"{title}\n\n{text}"   # a source's first line is its headline, not its body
    source = Source("t-source", Path("t-source.txt"), text, side, True,
                    hashlib.sha256(text.encode()).hexdigest())
    _, _, sentences = ingest([source], codebook.lexicon.model)
    return extract(codebook, [source], sentences)


def _event(events: pd.DataFrame, words: str) -> pd.Series:
    rows = events[events["title"].str.contains(words, regex=False)]
    assert len(rows) == 1, (words, events[["title", "date_start"]].to_string())
    return rows.iloc[0]


def _day(row: pd.Series) -> tuple[str, str]:
    return row["date_start"], row["date_end"]


# A Saturday, a Wednesday and a December Monday as publication dates.
SAT, WED, DEC = "2025-08-16", "2025-11-26", "2025-12-22"


@pytest.mark.parametrize(("text", "words", "published", "day"), [
    # wire copy: "on Friday" in a Saturday story is yesterday
    ("ANCHORAGE, Alaska, Aug 16 (Wire) - Donald Trump and Vladimir Putin concluded their summit "
     "in Alaska on Friday without announcing a ceasefire.", "concluded", SAT, "2025-08-15"),
    # no "on" before the weekday
    ("Negotiators from Ukraine and the United States reported significant progress Sunday, "
     "according to two officials.", "progress", SAT, "2025-08-10"),
    # a part of the day after the weekday
    ("Steve Witkoff met Vladimir Putin in Moscow on Thursday evening for five hours.",
     "five hours", SAT, "2025-08-14"),
    # the publication day itself
    ("Volodymyr Zelensky spoke to reporters in Kyiv on Wednesday about the talks.",
     "spoke", WED, "2025-11-26"),
    # a readout: the verb is in the past, the weekday after it
    ("The President held a telephone call with Emmanuel Macron on Monday to discuss security "
     "guarantees.", "telephone call", WED, "2025-11-24"),
])
def test_bare_weekday_is_the_last_such_day_on_or_before_publication(
        codebook, text: str, words: str, published: str, day: str) -> None:
    row = _event(_run(codebook, text, published)["events"], words)
    assert _day(row) == (day, day) and row["precision"] == "day"


@pytest.mark.parametrize(("text", "words", "day"), [
    ("Volodymyr Zelensky will travel to Washington on Friday, his office said.", "travel",
     "2025-11-28"),
    ("On Monday, Donald Trump and Zelensky are expected to meet in Florida.", "Florida",
     "2025-12-01"),
    ("Kremlin spokesman Dmitry Peskov said Vladimir Putin is due to receive Witkoff on Tuesday.",
     "receive", "2025-12-02"),
])
def test_bare_weekday_in_a_sentence_about_the_future_goes_forward(
        codebook, text: str, words: str, day: str) -> None:
    row = _event(_run(codebook, text, WED)["events"], words)
    assert _day(row) == (day, day)


@pytest.mark.parametrize(("text", "words", "start"), [
    ("Rustem Umerov said talks with Russia would resume in early January.", "resume", "2026-01-01"),
    ("Zelensky said he hopes to sign a framework before the end of January.", "sign", "2026-01-21"),
    ("European leaders will meet Zelensky in Paris in January.", "Paris", "2026-01-01"),
    # a reduced clause: "(which is) expected on ..."
    ("Ostmark wants both governments to publish the annex before the ratification vote, expected on "
     "14 February.", "annex", "2026-02-14"),
])
def test_month_without_year_in_a_future_sentence_goes_forward(
        codebook, text: str, words: str, start: str) -> None:
    row = _event(_run(codebook, text, DEC)["events"], words)
    assert row["date_start"] == start


def test_month_without_year_in_a_past_sentence_stays_behind(codebook) -> None:
    row = _event(_run(codebook, "Putin met Witkoff in Moscow in early March.", DEC)["events"],
                 "Moscow")
    assert row["date_start"] == "2025-03-01"


@pytest.mark.parametrize("text", [
    "Zelensky disclosed the details during a briefing with journalists on Wednesday.",
    "The plan was shared with Kyiv, Bloomberg reported on November 25.",
    "Volodymyr Zelensky released the 20-point plan on November 23.",
    "Kremlin spokesman Dmitry Peskov confirmed on Tuesday that a reply had been received.",
])
def test_a_dated_sentence_naming_an_actor_is_an_event_whatever_its_verb(codebook, text: str) -> None:
    events = _run(codebook, text, WED)["events"]
    assert len(events) == 1
    assert events.iloc[0]["precision"] == "day" and events.iloc[0]["actors"]


def test_two_dates_in_one_sentence_give_one_event_dated_by_what_happened(codebook) -> None:
    text = ("GENEVA, Nov 26 (Wire) - Ukrainian and U.S. negotiators agreed a shorter text after "
            "talks in Geneva on Sunday, officials said on Tuesday.")
    events = _run(codebook, text, WED)["events"]
    assert len(events) == 1
    # the agreement came after Sunday's talks and was reported on Tuesday: between the two
    # (issue 19: a date in an after-clause belongs to the talks, not to the agreement)
    assert _day(events.iloc[0]) == ("2025-11-23", "2025-11-25")
    assert events.iloc[0]["basis"] == "between an earlier date and the report"


def test_a_week_after_another_event_is_never_counted_past_publication(codebook) -> None:
    text = ("Zelensky disclosed the details during a briefing with journalists on Wednesday, a week "
            "after Rustem Umerov briefed him on the talks in Miami. Two weeks later Umerov met "
            "Witkoff in Berlin.")
    events = _run(codebook, text, "2025-12-26")["events"]
    first = _event(events, "disclosed")
    assert _day(first) == ("2025-12-24", "2025-12-24")
    for row in events.itertuples():
        assert not row.date_start or row.date_end <= "2025-12-26", row


@pytest.mark.parametrize("text", [
    "Witkoff and Umerov met in Geneva on Sunday to discuss prisoner exchanges.",
    "Delegations met in Istanbul in May and again on Monday.",
])
def test_a_passing_place_name_links_no_plan_version(codebook, text: str) -> None:
    events = _run(codebook, text, WED)["events"]
    assert len(events) == 1 and events.iloc[0]["plan_id"] == ""


def test_a_place_with_a_plan_word_names_the_version(codebook) -> None:
    events = _run(codebook, "On Sunday Umerov and Witkoff agreed the Geneva draft.", WED)["events"]
    assert events.iloc[0]["plan_id"] == "geneva-19"


def test_ids_do_not_depend_on_offsets_or_dates(codebook) -> None:
    body = "Kremlin spokesman Dmitry Peskov said on Tuesday that Putin had received the text."
    a = _run(codebook, body, WED)["events"]
    b = _run(codebook, "An added opening paragraph.\n\n" + body.replace("  ", " "), "2025-12-03")["events"]
    assert a.iloc[0]["date_start"] != b.iloc[0]["date_start"]
    assert a.iloc[0]["char_start"] != b.iloc[0]["char_start"]
    assert a.iloc[0]["event_id"] == b.iloc[0]["event_id"]


def test_a_repeated_sentence_is_one_event(codebook) -> None:
    line = "Witkoff met Putin in Moscow on Tuesday."
    events = _run(codebook, f"{line}\n\nOther news.\n\n{line}", WED)["events"]
    assert len(events) == 1 and events["event_id"].is_unique


def test_later_paragraph_about_the_plan_belongs_to_the_headline_version(codebook) -> None:
    text = ("Ukraine published its 20-point plan on Tuesday, replacing earlier drafts.\n\n"
            "It was written after the 28-point plan drew objections in Kyiv.\n\n"
            "The plan further calls for an army of 800,000 personnel in peacetime.\n")
    terms = _run(codebook, text, WED, title="Kyiv unveils 20-point peace plan")["terms"]
    army = terms[terms["value"] == 800000.0]
    assert len(army) == 1 and army.iloc[0]["plan_id"] == "ukraine-20"


@pytest.mark.parametrize("text", [
    # (each names Kyiv: in a text on no party of the plans, "the 20-point plan" is another plan)
    "Kyiv's 20-point plan offers Article 5-like guarantees and caps the army at 800,000 troops.",
    "Under point 5 of Kyiv's 20-point plan, the army would be capped at 800,000 troops.",
])
def test_labels_are_not_quantities(codebook, text: str) -> None:
    terms = _run(codebook, text, WED)["terms"]
    values = set(terms["value"].dropna())
    assert 5.0 not in values and 800000.0 in values


def test_term_ids_are_unique_when_a_figure_repeats(codebook) -> None:
    text = "Kyiv's 20-point plan caps the army at 800,000 troops, yes, 800,000 troops, not 600,000 troops."
    terms = _run(codebook, text, WED)["terms"]
    assert terms["term_id"].is_unique and len(terms) >= 2
    assert date.fromisoformat("2025-11-26")  # the anchor above is a real day


def test_think_tank_footnote_markers_end_sentences(codebook) -> None:
    """Numbered footnotes glued to the full stop ("250,000.[2] The …", "in 2025.1 They …") must not
    fuse two sentences, or one of them loses its date to the other."""
    text = ("A first memorandum was signed in Vienna in March 2021.[1] A revised one was signed "
            "in Riga in September 2023.2 Ministers met again in Oslo on 4 February 2025.")
    events = _run(codebook, text, "2025-06-30", kind="analysis")["events"]
    assert sorted(events["date_start"]) == ["2021-03-01", "2023-09-01", "2025-02-04"]


def test_later_counts_from_what_happened_not_from_when_it_was_said(codebook) -> None:
    text = ("Sanctions on two oil companies were imposed on 22 October. The summit, which the White "
            "House said on 21 October would not go ahead, was cancelled. Kirill Dmitriev travelled "
            "to Washington two days later.")
    row = _event(_run(codebook, text, "2025-11-03", kind="analysis")["events"], "travelled")
    assert _day(row) == ("2025-10-24", "2025-10-24")


def test_undated_opening_of_a_readout_is_the_day_it_was_issued(codebook) -> None:
    text = ("Vladimir Putin had a telephone conversation with Donald Trump.\n\n"
            "The leaders discussed the meeting in Alaska in August.")
    events = _run(codebook, text, "2025-10-16", title="Telephone conversation", kind="official")["events"]
    row = _event(events, "telephone conversation")
    assert _day(row) == ("2025-10-16", "2025-10-16") and row["date_basis"] == "publication"
    news = _run(codebook, text, "2025-10-16", kind="news")["events"]
    assert not news["title"].str.contains("telephone conversation").any()


@pytest.mark.parametrize(("text", "day"), [
    # a relative clause in the past before the date, a future verb after it
    ("Maritime economist Henrik Lund, who addressed the summit on Monday, warned that lines "
     "would avoid the port.", "2025-05-12"),
    ("For the third time this year, buses and trams stood still on Wednesday.", "2025-05-14"),
])
def test_past_clauses_resolve_weekdays_backwards(codebook, text: str, day: str) -> None:
    events = _run(codebook, text, "2025-05-14", kind="opinion")["events"]
    assert len(events) == 1 and _day(events.iloc[0]) == (day, day)


def test_a_plan_is_named_by_its_count_of_points(codebook) -> None:
    text = "Officials in Kyiv said the revised draft now runs to 19 points and lifts the ceiling to 800,000."
    terms = _run(codebook, text, WED, title="Talks continue")["terms"]
    army = terms[terms["provision_id"] == "army-cap"]
    assert list(army["plan_id"]) == ["geneva-19"] and list(army["value"]) == [800000.0]


def test_a_figure_referred_back_to_counts_what_the_previous_sentence_counted(codebook) -> None:
    text = ("The 28-point plan set the ceiling for Ukraine's army at 600,000. After the talks, "
            "the 19-point text raised it to 800,000.")
    terms = _run(codebook, text, WED, kind="analysis")["terms"]
    army = terms[terms["provision_id"] == "army-cap"]
    assert set(zip(army["plan_id"], army["value"], strict=True)) == {("plan-28", 600000.0), ("geneva-19", 800000.0)}


def test_no_figure_is_carried_into_the_next_paragraph(codebook) -> None:
    text = ("The 28-point plan set the ceiling for Ukraine's army at 600,000.\n\n"
            "The 19-point text raised it to 800,000 in the end.")
    terms = _run(codebook, text, WED, kind="analysis")["terms"]
    assert 800000.0 not in set(terms[terms["provision_id"] == "army-cap"]["value"].dropna())


@pytest.mark.parametrize(("story", "opening"), [
    # agency in brackets after a short date, hyphen
    ("VILNIUS, Dec 2 (Baltic Wire) - Lithuania's defence minister said on Tuesday that troops "
     "would stay.", "Lithuania's defence minister"),
    # city and agency only, em dash
    ("ANKARA (AP) — Turkish officials hosted a round of prisoner-exchange talks on Monday.",
     "Turkish officials"),
    # city and a day-month date, no agency
    ("PARIS, 1 December — Emmanuel Macron met Ukrainian negotiators on Monday.", "Emmanuel Macron"),
])
def test_a_wire_dateline_is_not_part_of_the_events_title(codebook, story: str, opening: str) -> None:
    events = _run(codebook, story, DEC)["events"]
    assert len(events) == 1, events[["title"]].to_string()
    row = events.iloc[0]
    assert row["title"].startswith(opening)
    # the note still covers the whole sentence, dateline included, at exact offsets
    text = "A report\n\n" + story
    assert text[row["char_start"]:row["char_end"]].startswith(story.split(" ", 1)[0])


def test_a_dateline_city_is_not_where_the_event_took_place(codebook) -> None:
    story = ("KYIV, Nov 27 (Northern Courier) - Ukrainian negotiators met U.S. officials in "
             "Geneva on Sunday.")
    row = _run(codebook, story, "2025-11-27")["events"].iloc[0]
    assert "kyiv" not in " ".join(row["places"]).lower()
    assert not row["title"].startswith("KYIV")


def test_a_capitalised_opening_with_a_dash_but_no_date_or_agency_is_kept() -> None:
    from pipeline.extract.events import without_dateline
    for sentence in ("NATO - the alliance's members - met on Monday.",
                     "Officials said on 3 December - in Geneva - that talks went on."):
        assert without_dateline(sentence) == sentence
    # the place alone before its dash and a capital is a dateline (EWN's "WASHINGTON - President")
    assert without_dateline("WASHINGTON - President Jo Mark said on Tuesday he would act.") \
        == "President Jo Mark said on Tuesday he would act."
    assert without_dateline("CAIRO — Egyptian mediators met.") == "Egyptian mediators met."


def test_an_id_two_sources_share_is_told_apart_and_the_first_source_keeps_it() -> None:
    """8 hex digits meet by chance at a few hundred thousand rows (10 plan-term ids at 10,000
    sources): the ids analysts cite must stay, and no table may hold one id twice."""
    from pipeline.extract.events import distinct_ids

    frame = pd.DataFrame({"term_id": ["auto-1", "auto-2", "auto-1", "auto-3"],
                          "source_id": ["b", "a", "a", "c"], "value": [1, 2, 3, 4]})
    out = distinct_ids(frame, "term_id")
    assert out["term_id"].is_unique
    assert out["term_id"].tolist()[1:] == ["auto-2", "auto-1", "auto-3"]   # source a, first, keeps it
    assert out["term_id"].iloc[0].startswith("auto-") and len(out["term_id"].iloc[0]) == 17
    unique = frame.iloc[[1, 3]]
    assert distinct_ids(unique, "term_id")["term_id"].tolist() == ["auto-2", "auto-3"]
    assert distinct_ids(frame.iloc[::-1], "term_id")["term_id"].tolist()[::-1] == out["term_id"].tolist()


@pytest.mark.parametrize(("text", "words", "day", "shown"), [
    # the figure's date is the comparison's base, not the happening's time
    ("The Port of Halvik Authority says 41 container ships are now waiting at anchor, up from 26 "
     "yesterday.", "41 container ships", "2025-11-25", False),
    ("Apple Inc. made $7.1 billion in 2024, having grown from $5.8 billion in 2023.",
     "Apple", "2024-01-01", True),
    ("Unemployment in Estavia rose to 5.1% in October from 4.9 per cent in September.",
     "Unemployment", "2025-10-01", True),
    # a noun after the number: no comparison, the date is the meeting's
    ("Delegates from 12 countries met in Oskarvik on Monday.", "Delegates", "2025-11-24", True),
    # "more than" counts: the date is the arrests'
    ("Police arrested more than 300 on Monday in the capital.", "arrested", "2025-11-24", True),
    # a comparison's base followed by "and" is no range; "up from" may name what it counts
    ("Volume was 840.8 million shares at the Halvik exchange, up from 443.6 million Thursday and the week's "
     "most active session.", "Volume", "2025-11-20", False),
    ("Halvik volume was estimated at 1.3 billion shares, up from 886 million shares Thursday.", "estimated",
     "2025-11-20", False),
    ("Exports from Halvik fell to 41 ships on Monday, down from 52 ships a week earlier.", "Exports",
     "2025-11-24", True),
])
def test_a_date_after_a_compared_figure_is_the_comparison_s_base(
        codebook, text: str, words: str, day: str, shown: bool) -> None:
    row = _event(_run(codebook, text, WED)["events"], words)
    if shown:
        assert row["date_start"] == day and row["confidence"] >= 0.85, row.to_dict()
    else:       # held back from the chronology: its one date is another figure's
        assert row["date_start"] != day or row["confidence"] < 0.5, row.to_dict()


@pytest.mark.parametrize(("text", "words", "published", "start"), [
    # a present verb of coming into force: the coming date (six months either way in July)
    ("Ostmark's parliament ratified the treaty with Velaria last week. It takes effect Jan. 1.", "takes effect",
     "2026-07-14", "2027-01-01"),
    ("The permit of Nordvik Lines expires on 31 March, the ministry said.", "permit", WED, "2026-03-31"),
    # ... after a reporting verb: the reported clause's own present ("says" is no past)
    ("Nordvik Lines says its permit expires in March.", "permit", "2026-07-14", "2027-03-01"),
    ("The ministry said that the permit of Nordvik Lines expires in March.", "permit", "2026-07-14",
     "2027-03-01"),
    # in the past, or a headline's present of another verb: the date before publication
    ("The law, which took effect on 1 January, was challenged by Tomas Brandt in court.", "challenged",
     "2026-07-14", "2026-01-01"),
    ("Putin and Trump meet in Alaska on 15 August.", "Alaska", WED, "2025-08-15"),
])
def test_a_day_without_a_year_after_a_verb_of_coming_into_force_goes_forward(
        codebook, text: str, words: str, published: str, start: str) -> None:
    row = _event(_run(codebook, text, published)["events"], words)
    assert row["date_start"] == start, row.to_dict()


@pytest.mark.parametrize(("text", "words", "day", "main"), [
    # the deadline noun opens the reported clause: the date is when it was said
    ("Karin Lind said on Tuesday that a deadline was unnecessary.", "deadline", "2025-11-25", True),
    # the date is the deadline itself
    ("For Velaria, Thursday was the deadline set by Karin Lind.", "Velaria", "2025-11-20", False),
])
def test_a_deadline_noun_in_the_reported_clause_leaves_the_date_to_the_saying(
        codebook, text: str, words: str, day: str, main: bool) -> None:
    row = _event(_run(codebook, text, WED)["events"], words)
    assert row["date_start"] == day
    assert bool(row["confidence"] >= 0.85) is main, row.to_dict()


@pytest.mark.parametrize(("text", "shown"), [
    # a vague count: the interval is a guess (the SemEval trial's "several months ago" was
    # half a year before the months guessed)
    ("The ministry announced the tariff at a press event several months ago.", False),
    ("The ministry announced the tariff a few weeks ago.", False),
    # a count the writer gave: shown as before
    ("The ministry announced the tariff at a press event five months ago.", True),
])
def test_a_date_counted_by_a_vague_amount_is_held_back(codebook, text: str, shown: bool) -> None:
    row = _event(_run(codebook, text, WED)["events"], "tariff")
    assert bool(row["confidence"] >= 0.85) is shown, row.to_dict()


@pytest.mark.parametrize("text", [
    "The permit of Nordvik Lines expires on 31 March, the ministry said.",
    "Nordvik Lines says its permit expires in March.",
])
def test_a_coming_into_force_still_ahead_is_held_back_as_a_schedule_is(codebook, text: str) -> None:
    row = _event(_run(codebook, text, "2026-07-14")["events"], "permit")
    assert row["date_start"] > "2026-07-14" and row["confidence"] < 0.85, row.to_dict()


def test_a_sentence_opened_by_hours_later_is_not_dated_by_the_story_s_day(codebook) -> None:
    """'Just over an hour later, he was declared dead': the time is counted from a happening the
    text does not date (a shooting days before the story's Sunday), so no telling at publication
    or on the story's day dates it; after a dated happening it is linked to that one's day."""
    events = _run(codebook, "Additional details of the slaying emerged on Sunday.\n\nThe bullet bounced off a "
                            "cabinet, Murray said. Just over an hour later, he was declared dead at a hospital.",
                  "1998-10-25")["events"]
    assert not events["title"].str.contains("declared dead").any(), events[["title", "date_start"]]
    linked = _event(_run(codebook, "Rescuers pulled 14 people from the water on Monday, the coastguard said.\n\n"
                                   "Hours later, a second ferry capsized near Tromso.", WED)["events"], "capsized")
    assert linked["date_start"] == "2025-11-24" and linked["basis"] == "linked to the previous happening"
    # an hour counted inside a report of what was said: the saying keeps the story's day
    said = _event(_run(codebook, "Rescuers pulled 14 people from the water on Monday, the coastguard said.\n\n"
                                 "He said he had spoken with Karin Lind for more than an hour before the rescue.",
                       WED)["events"], "spoken")
    assert said["confidence"] >= 0.85


def test_a_deadline_is_never_the_time_the_next_sentence_is_told_at(codebook) -> None:
    """'decided the boy should go home by Jan. 14' then 'The decision was met with outrage':
    the outrage followed the decision, not the deadline (it was shown on 14 January, nine days
    after the story)."""
    events = _run(codebook, "A six-year-old boy must be returned to his father, immigration authorities ruled "
                            "Wednesday.\n\nThe agency decided the boy should go home by Jan. 14, its commissioner "
                            "Doris Meissner told reporters.\n\nThe decision was met with outrage by his relatives.",
                  "2000-01-05")["events"]
    row = _event(events, "outrage")
    assert row["date_start"] <= "2000-01-05", row.to_dict()


@pytest.mark.parametrize(("text", "words", "day", "shown"), [
    # a due date is a maturity or a schedule, not when the row's happening was
    ("Hertz Corp. sold $100 million of senior notes due Nov. 1, 2029, the company said.", "Hertz",
     "2029-11-01", False),
    ("The payment of Nordvik Lines was due in March, the ministry said.", "payment", "2025-03-01", False),
    # "due to": because of; the saying keeps its day
    ("Karin Lind said on Monday that the talks had stalled due to the strike.", "stalled", "2025-11-24", True),
])
def test_a_due_date_is_held_back(codebook, text: str, words: str, day: str, shown: bool) -> None:
    row = _event(_run(codebook, text, WED)["events"], words)
    assert row["date_start"] == day and bool(row["confidence"] >= 0.85) is shown, row.to_dict()


@pytest.mark.parametrize(("text", "words", "day", "shown"), [
    # a date inside a noun phrase dates the noun: "bettering its 2015 victory" was shown for 2015
    ("Her party defied forecasts by bettering its 2015 victory, Karin Lind said.", "bettering", "2015-01-01",
     False),
    ("Karin Lind won Nordvik's 2019 election, the ministry said.", "Karin Lind won", "2019-01-01", False),
    ("Nordvik's 2019 election was won by Karin Lind.", "election", "2019-01-01", True),   # the sentence's noun
    ("The ministry published the report on Monday.", "published", "2025-11-24", True),
    # a date the clause only agrees, plans or promises: "have agreed to meet Monday"
    ("Both sides have agreed to meet Monday afternoon in Tamsk.", "agreed", "2025-11-24", False),
    ("The union agreed on Monday to meet the Port Authority.", "agreed", "2025-11-24", True),
])
def test_a_date_the_clause_does_not_tell_happening_is_held_back(codebook, text: str, words: str, day: str,
                                                                 shown: bool) -> None:
    row = _event(_run(codebook, text, WED)["events"], words)
    assert row["date_start"] == day and bool(row["confidence"] >= 0.85) is shown, row.to_dict()


def test_what_was_only_expected_on_a_day_does_not_date_the_next_sentence(codebook) -> None:
    """'The talks had been expected to resume on Wednesday' then 'At the conference, the delegation
    laid a framework': shown on the Wednesday the talks did not take place."""
    events = _run(codebook, "The talks on Monday hosted by Sorland sketched out a framework.\n\nThe talks had "
                            "been expected to resume on Tuesday, but the envoys went home. At the conference "
                            "in Tamsk, the Nordvik delegation laid out a plan.", WED)["events"]
    assert not (events["title"].str.contains("laid out") & (events["date_start"] == "2025-11-25")).any(), \
        events[["title", "date_start"]].to_string()


@pytest.mark.parametrize("state", [
    "It is a sauropod, meaning it was a four-legged plant eater similar to the Apatosaurus.",
    "The problem was relatively minor.",
    # Reuters: "The Anglo Leasing scandal involved government funds being paid to shadowy
    # foreign companies" was the story's day at 0.9
    "The Tamsk Port scandal involved public funds being paid to shadowy foreign companies.",
])
def test_a_state_in_the_past_is_no_happening_of_the_story(codebook, state: str) -> None:
    text = f"Karin Lind found a new dinosaur in the Tamsk museum on Monday.\n\n{state}"
    events = _run(codebook, text, WED)["events"]
    assert len(events) == 1 and events["date_start"].tolist() == ["2025-11-24"], events.to_string()


def test_a_passive_in_the_past_still_tells_the_story(codebook) -> None:
    events = _run(codebook, "Karin Lind found a new dinosaur in the Tamsk museum on Monday.\n\n"
                            "She was later praised by the museum.", WED)["events"]
    assert _event(events, "praised")["date_start"] == "2025-11-24"


def test_what_was_said_in_the_past_perfect_is_not_the_story_day(codebook) -> None:
    events = _run(codebook, "Official results showed on Monday that the Nordvik Union won the vote.\n\n"
                            "The Nordvik Union had already declared the victory, Karin Lind said, based on "
                            "its own tallies.", WED)["events"]
    row = events[events["title"].str.contains("already declared")]
    assert row.empty or not (row["confidence"] >= 0.85).any(), row.to_string()


def test_a_passive_participle_with_its_agent_after_a_noun_dates_the_noun(codebook) -> None:
    # Reuters factbox: "He takes office under Kevyn Orr, the emergency manager appointed in March
    # by Michigan's Governor Rick Snyder" was shown in March as the main clause's date
    events = _run(codebook, "He takes office under Karin Lind, the port manager appointed in March by "
                            "Governor Jonas Berg to end the strike.\n\nLind was appointed in March by "
                            "Governor Jonas Berg.", WED)["events"]
    manager = _event(events, "takes office")
    assert manager["confidence"] < 0.85 and manager["basis"] == "date of a subordinate clause", manager.to_dict()
    assert _event(events, "Lind was appointed")["confidence"] >= 0.85
