"""Candidate events: a sentence with an action, a date (its own or its context's) and an actor
or place. Every candidate keeps the sentence as its note; nothing here is reviewed.
"""

from __future__ import annotations

import hashlib
import logging
import re
from bisect import bisect_left

import pandas as pd

from pipeline.extract.dates import (
    Anchor,
    DateSpan,
    count_from,
    find_dates,
    has_tense,
    tense_is_future,
)
from pipeline.inputs import Lexicon, Place
from pipeline.labels import clip

log = logging.getLogger("pipeline")

LABEL = re.compile(r"^([^:]{1,60}):\s+")
WORD = re.compile(r"[A-Za-z]+")


def alias_regex(names: dict[str, str], ignore_case: bool = False) -> re.Pattern:
    """One alternation over every alias, longest first, on word boundaries."""
    if not names:
        return re.compile(r"(?!x)x")
    alts = "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w])(" + alts + r")(?:['’]s)?(?![\w])", re.IGNORECASE if ignore_case else 0)


def place_lookup(places: list[Place]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in places:
        for alias in [p.name, *p.aliases]:
            out.setdefault(alias, p.id)
    return out


def auto_id(*parts: object) -> str:
    """Machine ids are content hashes: stable across builds, so analysts can reject them by id."""
    return "auto-" + hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:8]


_TOKENS = re.compile(r"\w+")


def sentence_key(text: str) -> str:
    """A sentence as the ids see it: lower-cased words only, so re-spacing, quote styles or a
    moved offset leave a machine row's id alone."""
    return " ".join(_TOKENS.findall(text.lower()))


def item_id(source_id: str, text: str, kind: str, *extra: object) -> str:
    """Id of a machine row from what it is about (source, sentence words, item kind), never from
    offsets or resolved dates: an engine change keeps the ids an analyst's reject: and
    corrections: name."""
    return auto_id(source_id, sentence_key(text), kind, *extra)


# A wire dateline opening a sentence: a capitalised place, then a date, an agency in brackets
# or both, then a dash ("KYIV, Nov 27 (Courier) - ", "MOSCOW (AP) — ", "LONDON, 4 December — ").
DATELINE = re.compile(r"^[A-Z][A-Z/ .'-]*[A-Z](?:,[^\S\n]+[^-–—()\n]{2,25}?(?:[^\S\n]*\([^)\n]{1,40}\))?"
                      r"|[^\S\n]*\([^)\n]{1,40}\))[^\S\n]*[-–—][^\S\n]+")
EXPLICIT = ("day", "month", "week", "part")
PRECISION_ORDER = {p: i for i, p in enumerate(
    ("day", "week", "part", "month", "season", "quarter", "range", "year", "undated"))}
_FOLLOWED_BY_WORD = re.compile(r"[^\S\n]+[\w\"“‘']")
_COUNTS_TO_CLAUSE = re.compile(r"(?:after|before|prior)\Z", re.IGNORECASE)


def _from_reference(span: DateSpan, ref: DateSpan | None, text: str, anchor: Anchor) -> DateSpan:
    """'A few weeks later', 'the previous month': counted from the last date the text gave.
    'A week after X briefed …' is counted from X, which the text does not date here: left
    undated rather than counted from whatever came before."""
    if ref is None or ref.start is None or span.start is not None:
        return span
    if _COUNTS_TO_CLAUSE.search(span.text) and _FOLLOWED_BY_WORD.match(text, span.char_end):
        return span
    return _not_after_publication(count_from(span, ref.start), anchor, text)


def _not_after_publication(span: DateSpan, anchor: Anchor, text: str) -> DateSpan:
    """A past-tense sentence cannot tell of a day after its own publication: a count from an
    earlier date that runs past it says nothing usable."""
    if span.start is None or anchor.end is None or span.end is None or span.end <= anchor.end:
        return span
    if tense_is_future(text, span.char_start, span.char_end):
        return span
    if span.start <= anchor.end:
        return DateSpan(span.start, anchor.end, "range" if span.start != anchor.end else "day",
                        span.text, span.char_start, span.char_end, span.relative)
    return DateSpan(None, None, "undated", span.text, span.char_start, span.char_end, True)


def _dates_for(text: str, anchor: Anchor) -> list[DateSpan]:
    """The sentence's own dates; a wire dateline ("KYIV, Dec. 26 (Wire) - ") only dates the
    sentence when nothing else in it does."""
    spans = find_dates(text, anchor)
    lead = DATELINE.match(text)
    if lead and len(spans) > 1:
        spans = [s for s in spans if s.char_start >= lead.end()] or spans
    return spans


def without_dateline(text: str) -> str:
    """The sentence as its reader takes it in, without the wire dateline it opens with: what a
    title shows. The note keeps the whole sentence, so its offsets stay exact."""
    lead = DATELINE.match(text)
    return text[lead.end():] if lead and lead.end() < len(text) else text


def reporting_regex(lexicon: Lexicon) -> re.Pattern:
    """A reporting verb just before a date ("officials said on Tuesday", "told reporters late
    on Monday"): that date is when it was said, not when it happened."""
    verbs = sorted(lexicon.reporting_verbs, key=len, reverse=True)
    if not verbs:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(v) for v in verbs)
                      + r")(?:[^\S\n]+[\w-]+){0,2}?[^\S\n]+(?:[\w-]+[^\S\n]+)?\Z", re.IGNORECASE)


def said_on(span: DateSpan, text: str, reporting: re.Pattern | None) -> bool:
    """Whether the date follows a reporting verb ("officials said on Tuesday")."""
    return reporting is not None and reporting.search(
        text, max(0, span.char_start - 40), span.char_start) is not None


def best_date(spans: list[DateSpan], text: str = "", reporting: re.Pattern | None = None) -> DateSpan:
    """The one date a sentence's event gets: resolved before unresolved, what happened before
    when it was reported, the narrowest first, written-out before counted, then the first."""
    return min(spans, key=lambda s: (s.start is None, len(spans) > 1 and said_on(s, text, reporting),
                                     PRECISION_ORDER[s.precision], s.relative, s.char_start))


# Kinds of source whose undated opening tells of the day it was issued ("Vladimir Putin had a
# telephone conversation with …" in a readout): contract kinds, not words.
DATED_BY_ISSUE = frozenset({"official", "transcript"})


def find_events(sentences: pd.DataFrame, mentions: pd.DataFrame, places: list[Place],
                anchors: dict[str, Anchor], lexicon: Lexicon,
                plan_of_sentence: dict[str, str], kinds: dict[str, str] | None = None
                ) -> pd.DataFrame:
    """Candidate events from body and sidebar sentences: one row per sentence, with its best date.

    A sentence needs an action word (lexicon event_verbs) unless it has a well-resolved date of
    its own and a named actor or place, or a day: "Bloomberg reported on November 25" is an
    event whatever its verb. In a readout or transcript, the opening paragraph, before any date
    is given, is dated by the day the source was issued."""
    kinds = kinds or {}
    lede: dict[str, str] = {}
    verbs = {v.lower() for v in lexicon.event_verbs}
    reporting = reporting_regex(lexicon)
    place_names = place_lookup(places)
    place_re = alias_regex(place_names)
    # Each source's mentions sorted by start, so a sentence finds its own by bisection.
    actors_at: dict[str, list[tuple[int, int, str]]] = {}
    for sid_, start, end, actor in zip(mentions["source_id"].tolist(), mentions["char_start"].tolist(),
                                       mentions["char_end"].tolist(), mentions["actor_id"].tolist(),
                                       strict=True):
        actors_at.setdefault(sid_, []).append((start, end, actor))
    for spans_ in actors_at.values():
        spans_.sort()
    rows: list[dict] = []
    seen_ids: dict[str, str] = {}
    dateline: dict[str, tuple[str, DateSpan]] = {}
    paragraph: dict[str, DateSpan] = {}
    reference: dict[str, DateSpan] = {}   # the last date the text itself gave, per source
    single = sentences.groupby("passage_id")["sentence_id"].transform("size").eq(1).tolist()
    cols = ("sentence_id", "source_id", "passage_id", "kind", "char_start", "char_end", "text")
    for rec, whole_passage in zip(zip(*(sentences[c].tolist() for c in cols), strict=True), single, strict=True):
        sentence_id, source_id, passage_id, kind, s0, s1, text = rec
        if kind not in ("body", "sidebar"):
            continue
        anchor = anchors[source_id]
        label = LABEL.match(text) if kind == "sidebar" else None
        spans = [s for s in find_dates(label.group(1), anchor)] if label else []
        basis = "sidebar label" if spans else "own"
        if not spans:
            spans = [_from_reference(sp, reference.get(source_id), text, anchor)
                     for sp in _dates_for(text, anchor)]
        # "two days later" counts from what the last dated sentence tells of (its best date),
        # not from when something was said
        happened = [sp for sp in spans if sp.start is not None and sp.precision in EXPLICIT
                    and not said_on(sp, text, reporting)]
        if happened:
            reference[source_id] = best_date(happened)
        first_passage = lede.setdefault(source_id, passage_id) == passage_id
        if not spans:
            prev = dateline.get(source_id)
            if prev and _next_passage(prev[0], passage_id):
                spans, basis = [prev[1]], "dateline"
            elif passage_id in paragraph:
                spans, basis = [paragraph[passage_id]], "paragraph"
            elif (first_passage and kinds.get(source_id) in DATED_BY_ISSUE
                  and source_id not in reference and anchor.precision == "day"):
                assert anchor.start is not None and anchor.end is not None
                spans, basis = [DateSpan(anchor.start, anchor.end, "day", "", s0, s0, True)], \
                    "publication"
            else:
                continue
        elif basis == "own":
            resolved = [s for s in spans if s.start is not None]
            if resolved:
                paragraph[passage_id] = resolved[-1]
        span = best_date(spans, text, reporting)
        has_verb = not verbs.isdisjoint(w.lower() for w in WORD.findall(text))
        if whole_passage and len(text.split()) <= 6 and not label and not has_verb:
            # A dateline paragraph ("Anchorage, August 2025.") dates the paragraph after it.
            dateline[source_id] = (passage_id, span)
            continue
        actors = _actors_within(actors_at.get(source_id, []), s0, s1)
        explicit = (basis in ("own", "publication") and span.start is not None
                    and span.precision in EXPLICIT)
        # The dateline tells where the reporter filed from, not where it happened.
        told = without_dateline(text)
        found_places = sorted({place_names[m.group(1)] for m in place_re.finditer(told)})
        if not label and not has_verb and not (explicit and (
                actors or found_places or not span.relative
                or (span.precision == "day" and _statement(text)))):
            continue
        if not actors and not found_places and not label and not explicit:
            continue
        event_id = item_id(source_id, text, "event")
        if event_id in seen_ids:
            # The same sentence twice in one source (a repeated paragraph): one event.
            log.info("events: %s repeats the sentence of %s in %s; kept the first",
                     sentence_id, seen_ids[event_id], source_id)
            continue
        seen_ids[event_id] = sentence_id
        rows.append({
            "event_id": event_id,
            "date_start": span.start.isoformat() if span.start else "",
            "date_end": span.end.isoformat() if span.end else "",
            "date_text": span.text, "precision": span.precision, "date_basis": basis,
            "title": _trim(told), "actors": actors, "places": found_places,
            "plan_id": plan_of_sentence.get(sentence_id, ""),
            "source_id": source_id, "passage_id": passage_id,
            "char_start": s0, "char_end": s1,
        })
    return pd.DataFrame(rows, columns=["event_id", "date_start", "date_end", "date_text", "precision",
                                       "date_basis", "title", "actors", "places", "plan_id",
                                       "source_id", "passage_id", "char_start", "char_end"])


def _statement(text: str) -> bool:
    """A sentence that tells of something that happened or will, not a question ("Will it be
    different today?"): a day-dated statement is an event even with nobody named."""
    return not text.rstrip().rstrip("\"”’'").endswith("?") and has_tense(text)


def _actors_within(spans: list[tuple[int, int, str]], s0: int, s1: int) -> list[str]:
    """Actors mentioned inside [s0, s1), from one source's mentions sorted by start."""
    found = set()
    for a0, a1, actor in spans[bisect_left(spans, (s0,)):]:
        if a0 > s1:
            break
        if a1 <= s1:
            found.add(actor)
    return sorted(found)


def _next_passage(prev_pid: str, pid: str) -> bool:
    a, b = prev_pid.rsplit(":p", 1), pid.rsplit(":p", 1)
    return a[0] == b[0] and 0 <= int(b[1]) - int(a[1]) <= 1


def _trim(text: str, limit: int = 170) -> str:
    return clip(text, limit, " …")
