"""The language resource: the words the engine reads running text with, as one object.

Calendar words, numbers in words, abbreviations that do not end a sentence, and the words that
tell a clause's tense. The English resource ships with the package (pipeline/english.yaml); a
project's `inputs/codebook/lexicon.yaml` overrides any of the keys it sets (tense words, number
words, abbreviations). Each stage that reads text is handed the `Language` of its build
explicitly: nothing is installed in a module at run time, so what a stage finds does not depend
on which other stages ran in the same process (or came from the cache).

The date tagger compiles its patterns once, at import, from the packaged calendar words
(`ENGLISH`); that is why months, weekdays and seasons are not lexicon keys.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from pipeline.once import per_object

ENGLISH_FILE = Path(__file__).with_name("english.yaml")
# Keys a project's lexicon may override (the calendar words are the tagger's, see above).
LEXICON_KEYS = ("number_words", "tens_words", "abbreviations", "future_words", "past_words",
                "past_suffixes", "determiners")


@dataclass(frozen=True)
class PeriodPart:
    """What part of a year or a month a phrase names ("early", "the third quarter of")."""

    year: tuple[int, int] | None = None    # first and last month, when it qualifies a year
    month: tuple[int, int] | None = None   # first and last day (31: month end; < 0: from the end)
    year_month: int | None = None          # with a year: the days of this month of it
    quarter: bool = False                  # a calendar quarter


def _period_part(raw: dict[str, Any]) -> PeriodPart:
    def pair(key: str) -> tuple[int, int] | None:
        value = raw.get(key)
        return None if value is None else (int(value[0]), int(value[1]))

    year_month = raw.get("year_month")
    return PeriodPart(pair("year"), pair("month"), None if year_month is None else int(year_month),
                      bool(raw.get("quarter", False)))


@dataclass(frozen=True)
class Language:
    months: dict[str, int]                 # full names, lower case -> 1..12
    month_abbreviations: dict[str, int]    # "sept" -> 9
    ambiguous_months: tuple[str, ...]      # also ordinary words or first names ("may")
    weekdays: dict[str, int]               # Monday = 0
    seasons: dict[str, int]                # the month a season starts
    decade_words: dict[str, int]           # "eighties" -> 8 (after "nineteen")
    period_parts: dict[str, PeriodPart]    # "early", "third quarter", "last week" (of a month)
    ago_modifiers: dict[str, tuple[str, ...]]  # what a word before "N units ago" does -> words
    quarter_determiners: dict[str, str]    # "the latest" -> how it finds its quarter
    period_nouns: tuple[str, ...]          # quarter, period
    year_ago_words: tuple[str, ...]        # "year-ago" (before the noun)
    year_ago_phrases: tuple[str, ...]      # "a year earlier" (after the noun)
    year_ago_comparisons: tuple[str, ...]  # alone: the reference period a year back
    longer_periods: tuple[str, ...]        # "the first nine months": a comparison about it is the year
    background_prepositions: tuple[str, ...]  # "after a flat second quarter": not the text's quarter
    fiscal_words: tuple[str, ...]          # a fiscal period is not a calendar one
    period_end_words: tuple[str, ...]      # "the quarter ended Sept. 30"
    auxiliary_words: tuple[str, ...]       # between an auxiliary and its verb ("would still be")
    past_perfect: tuple[str, ...]          # "had been" before a future marker: future in the past
    past_copulas: tuple[str, ...]          # "it was a plant eater": a state, unless a participle follows
    participle_endings: tuple[str, ...]    # "was flown", "were sold": a passive after a copula
    past_statives: tuple[str, ...]         # "the scandal involved ...": a state, not a happening
    non_finite_auxiliaries: tuple[str, ...]  # "funds being paid": a participle, no finite verb
    deadline_words: tuple[str, ...]        # "by February": a deadline
    tense_exceptions: tuple[str, ...]      # "next to": a marker's word that is no marker here
    present_words: tuple[str, ...]         # "said it is calling for ... on Dec. 7": a present clause
    past_prepositions: tuple[str, ...]     # "since December": the date lies before publication
    deferral_words: tuple[str, ...]        # "postponed until Tuesday": the coming Tuesday
    schedule_verbs: tuple[str, ...]        # "the show opens on Friday": a timetable, the coming Friday
    in_force_verbs: tuple[str, ...]        # "it takes effect Jan. 1": the coming 1 January
    relative_directions: dict[str, int]    # "following" -> 1, "same" -> 0 (from the last date)
    day_parts: tuple[str, ...]             # morning, evening: counted as a day
    holidays: dict[str, dict[str, int]]    # "thanksgiving" -> {month: 11, weekday: 3, nth: 4}
    number_words: tuple[str, ...]          # 0..19, in order
    tens_words: tuple[str, ...]            # 20..90, in order
    scale_words: dict[str, int]            # hundred, thousand, ...
    abbreviations: frozenset[str]          # end with "." without ending a sentence (lower case)
    future_words: tuple[str, ...]
    past_words: tuple[str, ...]
    past_suffixes: tuple[str, ...]
    determiners: tuple[str, ...]
    prepositions: tuple[str, ...]          # "of continued flare-ups": a participle after one is an adjective
    ing_adjectives: tuple[str, ...]        # "lasting peace": an -ing word that qualifies a noun; others are verbs
    scale_suffixes: dict[str, int]         # glued to digits: "600k", "$90bn"

    @property
    def tense_words(self) -> tuple[tuple[str, ...], ...]:
        """What the tense of a clause is read with (a hashable key for compiled patterns)."""
        return self.future_words, self.past_words, self.past_suffixes, self.determiners

    def stands_apart(self, word: str) -> bool:
        """Whether a lower-case word may stand between an auxiliary and its verb without changing
        the tense ("had already declared", "was later arrested"): one of auxiliary_words or an
        adverb in -ly."""
        return word.endswith("ly") or word in self.auxiliary_words

    def with_lexicon(self, lexicon: Any) -> Language:
        """This resource with the keys a project's lexicon sets (non-empty) put in their place.
        The lexicon's honorifics written with their full stop ("Dr.", "Prof.") are abbreviations
        too; one written without ("Sir", "Dame") is a word that may end a sentence."""
        changes: dict[str, Any] = {}
        for key in LEXICON_KEYS:
            value = getattr(lexicon, key, None)
            if value:
                changes[key] = frozenset(v.lower() for v in value) if key == "abbreviations" else tuple(value)
        honorifics = {h.lower().rstrip(".") for h in getattr(lexicon, "honorifics", None) or []
                      if h.endswith(".")}
        if honorifics:
            changes["abbreviations"] = frozenset(changes.get("abbreviations", self.abbreviations)) | honorifics
        values = {f.name: changes.get(f.name, getattr(self, f.name)) for f in fields(self)}
        return Language(**values)


def _from_mapping(data: dict[str, Any]) -> Language:
    tuples = {"ambiguous_months", "period_nouns", "year_ago_words", "year_ago_phrases", "year_ago_comparisons",
              "longer_periods", "background_prepositions",
              "fiscal_words", "period_end_words", "auxiliary_words", "past_perfect", "past_copulas",
              "participle_endings", "past_statives", "non_finite_auxiliaries",
              "day_parts",
              "tense_exceptions", "present_words", "past_prepositions", "deferral_words", "schedule_verbs",
              "in_force_verbs", "deadline_words",
              "number_words", "tens_words", "future_words", "past_words",
              "past_suffixes", "determiners", "prepositions", "ing_adjectives"}
    values: dict[str, Any] = {}
    for f in fields(Language):
        raw = data[f.name]
        if f.name == "abbreviations":
            values[f.name] = frozenset(str(x).lower() for x in raw)
        elif f.name == "period_parts":
            values[f.name] = {str(k): _period_part(v) for k, v in raw.items()}
        elif f.name == "holidays":
            values[f.name] = {" ".join(str(k).lower().split()): {str(a): int(b) for a, b in v.items()}
                              for k, v in raw.items()}
        elif f.name == "quarter_determiners":
            values[f.name] = {" ".join(str(k).lower().split()): str(v) for k, v in raw.items()}
        elif f.name == "ago_modifiers":
            values[f.name] = {str(k): tuple(str(x) for x in v) for k, v in raw.items()}
        elif f.name in tuples:
            values[f.name] = tuple(str(x) for x in raw)
        else:
            values[f.name] = {str(k): int(v) for k, v in raw.items()}
    return Language(**values)


@functools.cache
def english() -> Language:
    """The packaged English resource."""
    return _from_mapping(yaml.safe_load(ENGLISH_FILE.read_text(encoding="utf-8")))


ENGLISH = english()


def language_of(lexicon: Any) -> Language:
    """The language a build reads its sources with: English, overridden by the lexicon (made
    once per lexicon object: every reader of a sentence asks for it)."""
    return _with_lexicon(lexicon) if lexicon is not None else ENGLISH


@per_object
def _with_lexicon(lexicon: Any) -> Language:
    return ENGLISH.with_lexicon(lexicon)
