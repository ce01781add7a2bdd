"""Candidate events: a sentence with an action, a date (its own or its context's) and an actor
or place. Every candidate keeps the sentence as its note; nothing here is reviewed.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left

import pandas as pd

from pipeline.config import Lexicon, Place
from pipeline.extract.dates import Anchor, DateSpan, count_from, find_dates
from pipeline.labels import clip

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


DATELINE = re.compile(r"^[A-Z][A-Z/ .'-]+,\s+[^-–—()]{2,25}(?:\([^)]*\))?\s*[-–—]\s")
EXPLICIT = ("day", "month", "week", "part")
WEEKDAY = re.compile(r"(?:on\s+)?(?:last\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)", re.I)
FUTURE = re.compile(r"\b(?:will|due to|expected to|is to|are to|plans? to|scheduled|next)\b", re.I)


def _weekday(span: DateSpan, text: str) -> DateSpan:
    """A bare weekday could be the last one or the next one; the verb before it decides."""
    if span.start is None or not WEEKDAY.fullmatch(span.text.strip()) or (span.end - span.start).days != 7:
        return span
    day = span.end if FUTURE.search(text[max(0, span.char_start - 90):span.char_start]) else span.start
    return DateSpan(day, day, "day", span.text, span.char_start, span.char_end, True)


def _from_reference(span: DateSpan, ref: DateSpan | None) -> DateSpan:
    """'A few weeks later', 'the previous month': counted from the last date the text gave."""
    return span if ref is None or ref.start is None else count_from(span, ref.start)


def _dates_for(text: str, anchor: Anchor) -> list[DateSpan]:
    """The sentence's own dates; a wire dateline ("KYIV, Dec. 26 (Wire) - ") only dates the
    sentence when nothing else in it does."""
    spans = find_dates(text, anchor)
    lead = DATELINE.match(text)
    if lead and len(spans) > 1:
        spans = [s for s in spans if s.char_start >= lead.end()] or spans
    seen, out = set(), []
    for span in spans:
        span = _weekday(span, text)
        key = (span.start, span.end)
        if key not in seen:
            seen.add(key)
            out.append(span)
    return out


def find_events(sentences: pd.DataFrame, mentions: pd.DataFrame, places: list[Place],
                anchors: dict[str, Anchor], lexicon: Lexicon,
                plan_of_sentence: dict[str, str]) -> pd.DataFrame:
    """Candidate events from body and sidebar sentences (one row per sentence and date)."""
    verbs = {v.lower() for v in lexicon.event_verbs}
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
            spans = [_from_reference(sp, reference.get(source_id)) for sp in _dates_for(text, anchor)]
        for sp in spans:
            if sp.start is not None and sp.precision in EXPLICIT:
                reference[source_id] = sp
        if not spans:
            prev = dateline.get(source_id)
            if prev and _next_passage(prev[0], passage_id):
                spans, basis = [prev[1]], "dateline"
            elif passage_id in paragraph:
                spans, basis = [paragraph[passage_id]], "paragraph"
            else:
                continue
        elif basis == "own":
            resolved = [s for s in spans if s.start is not None]
            if resolved:
                paragraph[passage_id] = resolved[-1]
        has_verb = not verbs.isdisjoint(w.lower() for w in WORD.findall(text))
        if whole_passage and len(text.split()) <= 6 and not label and not has_verb:
            # A dateline paragraph ("Anchorage, August 2025.") dates the paragraph after it.
            dateline[source_id] = (passage_id, spans[0])
            continue
        if not label and not has_verb:
            continue
        actors = _actors_within(actors_at.get(source_id, []), s0, s1)
        found_places = sorted({place_names[m.group(1)] for m in place_re.finditer(text)})
        for span in spans:
            explicit = basis == "own" and span.start is not None and span.precision in EXPLICIT
            if not actors and not found_places and not label and not explicit:
                continue
            rows.append({
                "event_id": auto_id(source_id, s0, s1, span.start, span.end),
                "date_start": span.start.isoformat() if span.start else "",
                "date_end": span.end.isoformat() if span.end else "",
                "date_text": span.text, "precision": span.precision, "date_basis": basis,
                "title": _trim(text), "actors": actors, "places": found_places,
                "plan_id": plan_of_sentence.get(sentence_id, ""),
                "source_id": source_id, "passage_id": passage_id,
                "char_start": s0, "char_end": s1,
            })
    return pd.DataFrame(rows, columns=["event_id", "date_start", "date_end", "date_text", "precision",
                                       "date_basis", "title", "actors", "places", "plan_id",
                                       "source_id", "passage_id", "char_start", "char_end"])


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
