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
    has_future,
    has_tense,
    tense_is_future,
    tense_of,
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

# How far each kind of evidence is trusted (0-1): measured on the SemEval-2015 timelines and
# the development set (README, "Confidence"); `show_machine_from` in briefing.yaml cuts on it.
CONFIDENCE = {
    "own date, main clause": 0.9,
    "own date, reporting verb": 0.85,
    "own date, one of several main clauses": 0.7,
    "own date, unresolved (no publication date)": 0.4,
    "own date, reported clause": 0.7,
    "between an earlier date and the report": 0.75,
    "date inside a quotation": 0.3,
    "sidebar label": 0.9,
    "dateline": 0.8,
    "issued that day": 0.8,
    "counted from the previous date": 0.6,
    "linked to the previous happening": 0.6,
    "publication date, present perfect": 0.55,
    "publication date, reporting verb": 0.5,
    "inherited from previous sentence": 0.35,
    "date of a subordinate clause": 0.3,
}


def _words_regex(words: list[str]) -> re.Pattern:
    if not words:
        return re.compile(r"(?!x)x")
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"(?<![\w'’-])(?:" + alts + r")(?![\w'’-])", re.IGNORECASE)


_BOUNDARY = re.compile(r"[,;:()\[\]—–]|[^\S\n]-[^\S\n]")


class Cues:
    """The lexicon's clause and happening cues, compiled once per build."""

    def __init__(self, lexicon: Lexicon):
        self.subordinate = _words_regex(lexicon.subordinators)
        self.link = _words_regex(lexicon.link_words)
        greet = "|".join(re.escape(g) for g in sorted(lexicon.greetings, key=len, reverse=True))
        self.greeting = re.compile(r"^\W*(?:" + greet + r")(?![\w'’-])", re.IGNORECASE) if greet \
            else re.compile(r"(?!x)x")
        intro = "|".join(re.escape(g) for g in sorted(lexicon.introductions, key=len, reverse=True))
        self.introduction = re.compile(r"^\W*(?:[A-Z][A-Z.'’ -]{1,40}:[^\S\n]*)?(?:" + intro + r")(?![\w'’-])",
                                       re.IGNORECASE) if intro else re.compile(r"(?!x)x")
        self.deadline = re.compile(r"(?:" + _words_regex(lexicon.deadline_words).pattern
                                   + r")[^\S\n]+(?:the[^\S\n]+)?\Z", re.IGNORECASE) \
            if lexicon.deadline_words else re.compile(r"(?!x)x")
        self.conditional = _words_regex(lexicon.conditional_words)
        self.content = _words_regex(lexicon.content_markers)
        aux = "|".join(re.escape(a) for a in lexicon.perfect_aux if a[:1].isalpha())
        glued = "|".join(re.escape(a) for a in lexicon.perfect_aux if not a[:1].isalpha())
        parts = []
        if aux:
            parts.append(r"(?<![\w'’-])(?:" + aux + r")[^\S\n]+(?:[a-z]+ly[^\S\n]+)?")
        if glued:
            parts.append(r"(?:" + glued + r")[^\S\n]+(?:[a-z]+ly[^\S\n]+)?")
        suffixes = "|".join(re.escape(x) for x in lexicon.past_suffixes) or "(?!x)x"
        pasts = "|".join(re.escape(x) for x in lexicon.past_words) or "(?!x)x"
        self.perfect = re.compile(r"(?:" + "|".join(parts) + r")(?-i:[a-z]{2,}(?:" + suffixes
                                  + r")|(?:" + pasts + r")|[a-z]+(?:en|wn|un|ught|ot|ne))(?![\w'’-])",
                                  re.IGNORECASE) if parts else re.compile(r"(?!x)x")
        self.reporting = reporting_regex(lexicon)
        self.reported = _words_regex(lexicon.reporting_verbs)
        self.reported_that = re.compile(r"(?:" + self.reported.pattern + r")[^\S\n]+(?:[\w'’-]+[^\S\n]+){0,3}?that"
                                        r"(?![\w'’-])", re.IGNORECASE) if lexicon.reporting_verbs \
            else re.compile(r"(?!x)x")
        self.pronoun = re.compile(r"(?<![\w'’-])(?:" + "|".join(
            re.escape(p) for p in lexicon.participant_pronouns) + r")(?![\w'’-])", re.IGNORECASE) \
            if lexicon.participant_pronouns else re.compile(r"(?!x)x")
        self.stop = {w.lower() for w in lexicon.stop_words} | {w.lower() for w in lexicon.determiners}
        # cheap word screens in front of the two regexes most sentences are tried with
        self.aux_words = {a.lower() for a in lexicon.perfect_aux if a[:1].isalpha()}
        self.glued_aux = tuple(a for a in lexicon.perfect_aux if not a[:1].isalpha())
        self.report_words = {v.split()[0].lower() for v in lexicon.reporting_verbs if v.strip()}

    def told_at_publication(self, told: str, words: set[str]) -> str:
        """The basis for dating an undated sentence by its publication day, or "": it tells in
        the present perfect ("has won") or reports what someone said. `words`: its lower-case
        words."""
        if (not self.aux_words.isdisjoint(words) or any(g in told for g in self.glued_aux)) \
                and self.perfect.search(told):
            return "publication date, present perfect"
        if not self.report_words.isdisjoint(words) and self.reported.search(told):
            return "publication date, reporting verb"
        return ""


def clause_of(span: DateSpan, text: str, cues: Cues) -> str:
    """"main", "reporting" or "subordinate": the clause a date stands in. A date inside brackets,
    or in a clause opened by a subordinator or relative pronoun (lexicon subordinators), belongs
    to another happening; a date right after a verb of saying is when it was said."""
    before = text[:span.char_start]
    if before.count("(") > before.count(")") or before.count("[") > before.count("]"):
        return "subordinate"
    if _inside_quote(before):
        return "quoted"
    cut = 0
    for m in _BOUNDARY.finditer(before):
        cut = m.end()
    segment = before[cut:]
    if cut and before[cut - 1] == "," and _PARTICIPLE_START.match(segment):
        return "subordinate"   # ", begun two years ago,": a reduced relative clause
    if said_on(span, text, cues.reporting):
        return "reporting"
    if cues.subordinate.search(segment):
        return "subordinate"
    if cues.reported_that.search(before):
        return "reported"
    return "main"


_AFTER = re.compile(r"(?<![\w-])(?:after|following|since)(?![\w-])(?:[^\S\n]+[\w'’-]+){0,6}?[^\S\n]+"
                    r"(?:on|in|at)?[^\S\n]*\Z", re.IGNORECASE)
_PARTICIPLE_START = re.compile(r"[^\S\n]*(?:[a-z]+ed|[a-z]+en|begun|built|made|held|sent|won|led|set|"
                               r"done|known|seen|taken|given|originally|first|once|previously)\b")


def _inside_quote(before: str) -> bool:
    """Whether a position lies inside a quotation ("… said: “Today is a great day”")."""
    straight = before.count('"') % 2 == 1
    curly = before.count("“") > before.count("”")
    return straight or curly


_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][\w'’&.-]*[A-Za-z0-9]")


def has_participant(text: str, told: str, cues: Cues, actors: list[str], places: list[str]) -> bool:
    """A participant: a known actor or place, a capitalised name that is not the sentence's first
    word alone (unless more capitals follow it), or a pronoun standing for one named before."""
    if actors or places:
        return True
    names = [m for m in _CAPITALISED.finditer(told) if m.group(0).lower() not in cues.stop]
    if any(m.start() > 0 for m in names):
        return True
    if names and len(told) > names[0].end() and told[names[0].end():names[0].end() + 2].strip()[:1].isupper():
        return True
    return cues.pronoun.search(told) is not None


def anchor_date(spans: list[DateSpan], text: str, cues: Cues) -> tuple[DateSpan, str]:
    """The happening's date and its basis: a main-clause date first, else the reporting verb's,
    else (a weak guess) a subordinate clause's."""
    kinds = {id(sp): clause_of(sp, text, cues) for sp in spans}
    said = [sp for sp in spans if kinds[id(sp)] == "reporting"]
    after = [sp for sp in spans if kinds[id(sp)] == "subordinate"
             and _AFTER.search(text, max(0, sp.char_start - 40), sp.char_start)]
    if said and after and not any(kinds[id(sp)] == "main" for sp in spans):
        # "agreed a text after talks on Sunday, officials said on Tuesday": between the two
        lo, hi = min(after, key=lambda sp: sp.char_start), said[0]
        if lo.start is not None and hi.end is not None and lo.start <= hi.end and \
                lo.precision == "day" and hi.precision == "day":
            return DateSpan(lo.start, hi.end, "range" if lo.start != hi.end else "day",
                            text[lo.char_start:hi.char_end], lo.char_start, hi.char_end,
                            lo.relative or hi.relative), "between an earlier date and the report"
    for kind, basis in (("main", "own date, main clause"), ("reporting", "own date, reporting verb"),
                        ("reported", "own date, reported clause"),
                        ("subordinate", "date of a subordinate clause"),
                        ("quoted", "date inside a quotation")):
        pick = [sp for sp in spans if kinds[id(sp)] == kind and sp.start is not None]
        if pick:
            best = best_date(pick, text, cues.reporting)
            if kind == "main" and any(sp.end < best.start or sp.start > best.end  # type: ignore[operator]
                                      for sp in pick):
                # "was founded in 1976 and launched the store in 2003": which happening is the row's?
                basis = "own date, one of several main clauses"
            return best, basis
    return best_date(spans, text, cues.reporting), "own date, main clause"


def is_deadline(span: DateSpan, text: str, cues: Cues) -> bool:
    """'will buy 3 million tonnes by March': a future clause ending a term at a date."""
    return (cues.deadline.search(text, max(0, span.char_start - 30), span.char_start) is not None
            and tense_is_future(text, span.char_start, span.char_end))


def find_events(sentences: pd.DataFrame, mentions: pd.DataFrame, places: list[Place],
                anchors: dict[str, Anchor], lexicon: Lexicon,
                plan_of_sentence: dict[str, str], kinds: dict[str, str] | None = None
                ) -> pd.DataFrame:
    """Candidate events from body and sidebar sentences: one row per sentence, with its date, the
    evidence for that date (`basis`) and how far it is trusted (`confidence`).

    A happening needs a participant (a known actor or place, any capitalised name, or a pronoun)
    and an action (a tense or an event verb); no codebook entry. Its date is its main clause's,
    else its reporting verb's; a date in a since/after/which clause or in brackets belongs to
    another happening and only dates the row as a weak guess. With no date of its own, a
    sentence takes the paragraph's narrative reference time only through a link word (later,
    the same day), a dateline's date, a readout's issue day, or the publication day when it
    tells in the present perfect or reports what someone said; never its neighbour's date
    otherwise. Greetings, datelines, deadlines, conditionals and a plan's contents are skipped."""
    kinds = kinds or {}
    cues = Cues(lexicon)
    lede: dict[str, str] = {}
    verbs = {v.lower() for v in lexicon.event_verbs}
    reporting = cues.reporting
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
    paragraph: dict[str, DateSpan] = {}   # the paragraph's narrative reference time
    reference: dict[str, DateSpan] = {}   # the last date the text itself gave, per source
    last_passage: dict[str, str] = {}
    single = sentences.groupby("passage_id")["sentence_id"].transform("size").eq(1).tolist()
    cols = ("sentence_id", "source_id", "passage_id", "kind", "char_start", "char_end", "text")
    for rec, whole_passage in zip(zip(*(sentences[c].tolist() for c in cols), strict=True), single, strict=True):
        sentence_id, source_id, passage_id, kind, s0, s1, text = rec
        if kind not in ("body", "sidebar"):
            continue
        anchor = anchors[source_id]
        previous_passage = last_passage.get(source_id)
        last_passage[source_id] = passage_id
        label = LABEL.match(text) if kind == "sidebar" else None
        spans = [s for s in find_dates(label.group(1), anchor)] if label else []
        basis = "sidebar label" if spans else "own"
        counted: set[int] = set()
        if not spans:
            for raw in _dates_for(text, anchor):
                sp = _from_reference(raw, reference.get(source_id), text, anchor)
                if raw.start is None and sp.start is not None:
                    counted.add(sp.char_start)
                spans.append(sp)
        first_passage = lede.setdefault(source_id, passage_id) == passage_id
        told = without_dateline(text)
        if (cues.greeting.match(told) and len(told.split()) <= 8) or cues.introduction.match(told):
            continue
        words = set(WORD.findall(text.lower()))
        has_verb = not verbs.isdisjoint(words)
        resolved = [sp for sp in spans if sp.start is not None]
        if basis == "own" and resolved:
            span, basis = anchor_date(resolved, text, cues)
            if span.char_start in counted:
                basis = "counted from the previous date"
            elif span.start is not None and span.end is not None and anchor.end is not None \
                    and span.start <= anchor.end < span.end \
                    and tense_of(text, span.char_start, span.char_end) == "past":
                # "has filed a lawsuit this week": the part of the week up to publication
                span = _not_after_publication(span, anchor, text)
        elif basis == "sidebar label":
            span = best_date(spans, text, reporting)
        elif basis == "own" and spans and anchor.start is None:
            # no publication date: "on Tuesday" cannot be resolved; the row stays, undated
            span, basis = best_date(spans, text, reporting), "own date, unresolved (no publication date)"
        else:
            span = None
        if span is not None and basis in ("own date, main clause", "own date, reporting verb",
                                          "own date, one of several main clauses",
                                          "own date, reported clause",
                                          "between an earlier date and the report"):
            # the narrative reference time: what this sentence's main clause tells of
            if span.precision in EXPLICIT and basis == "own date, main clause":
                reference[source_id] = span
                paragraph[passage_id] = span
            elif span.precision in EXPLICIT and source_id not in reference:
                reference[source_id] = span
        if span is not None and whole_passage and len(text.split()) <= 6 and not label and not has_verb:
            # A dateline paragraph ("Anchorage, August 2025.") dates the paragraph after it.
            dateline[source_id] = (passage_id, span)
            continue
        if span is None:
            prev = dateline.get(source_id)
            ref = paragraph.get(passage_id) or (paragraph.get(previous_passage or "")
                                                if previous_passage else None)
            if prev and _next_passage(prev[0], passage_id):
                span, basis = prev[1], "dateline"
            elif ref is not None and cues.link.search(told):
                span, basis = ref, "linked to the previous happening"
            elif (first_passage and kinds.get(source_id) in DATED_BY_ISSUE
                  and source_id not in reference and anchor.precision == "day"):
                assert anchor.start is not None and anchor.end is not None
                span, basis = DateSpan(anchor.start, anchor.end, "day", "", s0, s0, True), \
                    "issued that day"
            elif anchor.precision == "day" and (publication := cues.told_at_publication(told, words)) \
                    and not tense_is_future(text, 0, 0) and not text.rstrip().rstrip("\"”’'").endswith("?"):
                assert anchor.start is not None and anchor.end is not None
                span, basis = DateSpan(anchor.start, anchor.end, "day", "", s0, s0, True), publication
            elif passage_id in paragraph:
                span, basis = paragraph[passage_id], "inherited from previous sentence"
            else:
                continue
        if ((span.start is not None and basis.startswith("own") and is_deadline(span, text, cues))
                or (cues.conditional.search(told[:60]) and has_future(told))
                or (plan_of_sentence.get(sentence_id) and cues.content.search(told))):
            # No happening in the main clause (a deadline, a condition, a plan's content); a
            # past happening told in a subordinate clause ("whose text leaked in mid-November")
            # is still one, dated by its own clause.
            told_before = [sp for sp in resolved if clause_of(sp, text, cues) == "subordinate"
                           and tense_of(text, sp.char_start, sp.char_end) == "past"]
            if not told_before:
                continue
            span, basis = best_date(told_before, text, reporting), "date of a subordinate clause"
        actors = _actors_within(actors_at.get(source_id, []), s0, s1)
        found_places = sorted({place_names[m.group(1)] for m in place_re.finditer(told)})
        explicit = basis.startswith("own") and span.start is not None and span.precision in EXPLICIT
        action = has_verb or has_tense(told) or label is not None or explicit
        participant = label is not None or has_participant(text, told, cues, actors, found_places)
        if not action or not participant:
            continue
        if span.start is None and not basis.startswith("own date, unresolved"):
            continue
        event_id = item_id(source_id, text, "event")
        if event_id in seen_ids:
            # The same sentence twice in one source (a repeated paragraph): one event.
            log.info("events: %s repeats the sentence of %s in %s; kept the first",
                     sentence_id, seen_ids[event_id], source_id)
            continue
        seen_ids[event_id] = sentence_id
        confidence = CONFIDENCE.get(basis, 0.5)
        if basis.startswith("own") and span.precision in ("year", "range", "season", "quarter"):
            confidence -= 0.1
        if text.rstrip().rstrip("\"”’'").endswith("?"):
            confidence -= 0.2
        if basis.startswith("own") and span.start is not None and \
                tense_is_future(text, span.char_start, span.char_end):
            confidence -= 0.2   # a forecast or a schedule, not yet a happening
        rows.append({
            "event_id": event_id,
            "date_start": span.start.isoformat() if span.start else "",
            "date_end": span.end.isoformat() if span.end else "",
            "date_text": span.text, "precision": span.precision, "date_basis": _SHORT_BASIS.get(basis, "own"),
            "confidence": round(max(0.05, min(1.0, confidence)), 2), "basis": basis,
            "title": _trim(told), "actors": actors, "places": found_places,
            "plan_id": plan_of_sentence.get(sentence_id, ""),
            "source_id": source_id, "passage_id": passage_id,
            "char_start": s0, "char_end": s1,
        })
    return pd.DataFrame(rows, columns=["event_id", "date_start", "date_end", "date_text", "precision",
                                       "date_basis", "confidence", "basis", "title", "actors", "places",
                                       "plan_id", "source_id", "passage_id", "char_start", "char_end"])


# date_basis keeps its short vocabulary (own, sidebar label, dateline, publication, paragraph);
# `basis` says the evidence in words.
_SHORT_BASIS = {"sidebar label": "sidebar label", "dateline": "dateline", "issued that day": "publication",
                "publication date, present perfect": "publication",
                "publication date, reporting verb": "publication",
                "linked to the previous happening": "paragraph",
                "inherited from previous sentence": "paragraph"}



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
