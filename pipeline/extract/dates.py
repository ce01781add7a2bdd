"""Temporal tagger: finds date expressions in a source text and resolves them to date ranges.

Every expression is resolved to an honest interval ``[start, end]`` plus a precision label, so
that later stages can order and compare events without pretending to know more than the text
says.  Expressions that depend on the publication date (``three days ago``, ``in January``) are
resolved against an :class:`Anchor`; when the anchor is itself only a month or a year, the
result is widened to every date the expression could denote.  Expressions relative to some other
event (``a few weeks later``) are returned unresolved rather than guessed.

Detection does not depend on the anchor: one combined regular expression, compiled at import
time, finds candidate expressions in a single pass; each candidate is then validated and turned
into an intermediate *atom*; adjacent atoms joined by ``to``/``until``/``–`` (or ``between …
and``) are merged into ranges; finally atoms are resolved against the anchor.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

from dateutil.easter import easter
from text_to_num import text2num

from pipeline.language import ENGLISH, Language
from pipeline.once import per_object
from pipeline.vocab import Precision, values

PRECISIONS = tuple(values(Precision))   # finest first (pipeline/vocab.py holds the rank)

Span3 = tuple[date, date, str]
RefFn = Callable[[date], Span3]
YearFn = Callable[[int], tuple[date, date]]


# --------------------------------------------------------------------------------------------
# Public data types
# --------------------------------------------------------------------------------------------


_ANCHOR_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True)
class Anchor:
    """Publication date of a source; partial when only the month or year is known."""

    start: date | None
    end: date | None
    precision: str

    @classmethod
    def parse(cls, value: str | date | None) -> Anchor:
        """Accepts the sidecar's ``published`` value (YAML may already have made it a date)."""
        if value is None:
            return cls(None, None, "undated")
        if isinstance(value, date):
            day = date(value.year, value.month, value.day)
            return cls(day, day, "day")
        text = str(value).strip()
        if not text:
            return cls(None, None, "undated")
        m = _ANCHOR_RE.fullmatch(text)
        if not m:
            raise ValueError(f"not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY): {value!r}")
        year = int(m.group(1))
        if m.group(2) is None:
            return cls(date(year, 1, 1), date(year, 12, 31), "year")
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month out of range in {value!r}")
        if m.group(3) is None:
            return cls(date(year, month, 1), _month_end(year, month), "month")
        try:
            day = date(year, month, int(m.group(3)))
        except ValueError as exc:
            raise ValueError(f"invalid date {value!r}: {exc}") from None
        return cls(day, day, "day")


@dataclass(frozen=True)
class DateSpan:
    """One date expression found in a text, with the interval it denotes."""

    start: date | None
    end: date | None
    precision: str
    text: str
    char_start: int
    char_end: int
    relative: bool

    def __post_init__(self) -> None:
        # Downstream sorting and overlap tests rely on these invariants; fail loudly here.
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end must both be set or both be None")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"start {self.start} after end {self.end}")


# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), _month_end(year, month)


def _year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _add_months(d: date, n: int) -> date:
    idx = d.year * 12 + d.month - 1 + n
    y, m = divmod(idx, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _week(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def _hull(a: Span3, b: Span3) -> Span3:
    if a == b:
        return a
    return min(a[0], b[0]), max(a[1], b[1]), "range"


def _against(anchor: Anchor, fn: RefFn) -> tuple[date | None, date | None, str]:
    """Resolve against every day the anchor may be; differing results widen to a range."""
    if anchor.start is None or anchor.end is None:
        return None, None, "undated"
    first = fn(anchor.start)
    if anchor.precision == "day" or anchor.start == anchor.end:
        return first
    return _hull(first, fn(anchor.end))


def _infer_year(build: YearFn, precision: str, ref: date, future: bool = False) -> Span3:
    """Most recent occurrence whose first month is not after the reference month; in a sentence
    about the future, the first occurrence whose last month is not before it ("talks will resume
    in early January", written in December, means next January)."""
    if future:
        for year in range(ref.year - 1, ref.year + 9):
            try:
                start, end = build(year)
            except ValueError:
                continue
            if (end.year, end.month) >= (ref.year, ref.month):
                return start, end, precision
        raise ValueError("no plausible year")
    for year in range(ref.year, ref.year - 9, -1):
        try:
            start, end = build(year)
        except ValueError:  # e.g. 29 February in a common year
            continue
        if (start.year, start.month) <= (ref.year, ref.month):
            return start, end, precision
    raise ValueError("no plausible year")


# How far ahead an untensed month or day may lie and still be the one meant ("talks resume
# Nov. 30" written on 28 October): a season's length; further ahead, the past one is meant.
_UNMARKED_AHEAD_DAYS = 92
# ... and a deadline in such a clause ("is part of a program to repay the loan by February"):
# deadlines are set ahead, so the coming one is meant up to half a year ahead.
_DEADLINE_AHEAD_DAYS = 183


# How far back a deadline in a past clause ("the offer was extended to Nov. 16", "loans through
# January") may lie and still be the one meant: written on 30 October, a deadline a year gone
# would carry its year; beyond it, the nearest occurrence. A happening told in the past tense
# ("the ferry stopped on Nov. 30") keeps the past one: it cannot lie after publication.
_PAST_BACK_DAYS = 240


def _past_year(build: YearFn, precision: str, ref: date, future: bool = False,
               deadline: bool = False) -> Span3:
    """A past clause: the last occurrence, unless it is a deadline more than _PAST_BACK_DAYS
    back."""
    past = _infer_year(build, precision, ref, False)
    if not deadline or (ref - past[1]).days <= _PAST_BACK_DAYS:
        return past
    return _nearest_year(build, precision, ref, False, _DEADLINE_AHEAD_DAYS)


def _nearest_year(build: YearFn, precision: str, ref: date, future: bool = False,
                  ahead_days: int = _UNMARKED_AHEAD_DAYS) -> Span3:
    """A clause with no tense marker: the occurrence nearest the reference, the coming one only
    when it starts within ``ahead_days``."""
    past = _infer_year(build, precision, ref, False)
    if past[1] >= ref:
        return past
    try:
        ahead = _infer_year(build, precision, ref, True)
    except ValueError:
        return past
    if ahead[0] > ref and (ahead[0] - ref).days <= ahead_days \
            and (ahead[0] - ref) < (ref - past[1]):
        return ahead
    return past


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

# Calendar words come from the packaged language resource (pipeline/english.yaml): the patterns
# below are compiled from them once, at import.
_MONTH_NAMES = dict(ENGLISH.months)
_MONTH_ABBR = dict(ENGLISH.month_abbreviations)
_MONTHS = {**_MONTH_NAMES, **_MONTH_ABBR}
# Month names that are also ordinary words or first names: alone they need a cue word.
_AMBIGUOUS_MONTHS = frozenset(ENGLISH.ambiguous_months)
_WEEKDAYS = dict(ENGLISH.weekdays)
_SEASON_START = dict(ENGLISH.seasons)
_DECADE_WORDS = dict(ENGLISH.decade_words)
_PERIOD_PARTS = dict(ENGLISH.period_parts)
# Modifiers of a count before "ago", by what they do to it (english.yaml: ago_modifiers).
_AGO_MOD_KIND = {" ".join(w.lower().split()): kind for kind, words in ENGLISH.ago_modifiers.items()
                 for w in words}
# Preceding words that make a bare month or season name read as a date.
_CUES = frozenset(
    [
        "in", "since", "by", "until", "till", "through", "throughout", "from", "during",
        "before", "after", "of", "between", "around", "circa", "early", "late", "mid", "every",
        "each", "last", "this", "next", "past",
    ]
)
# Preceding words after which a year followed by a plural noun is still a year
# ("the 2024 elections"), as opposed to a count ("some 2000 troops").
_YEARISH_PREV = frozenset(
    [
        "the", "its", "his", "her", "their", "our", "this", "that", "in", "since", "by",
        "until", "till", "from", "to", "before", "after", "during", "through", "between", "and",
        "or", "early", "late", "mid",
    ]
    + list(_SEASON_START) + list(_MONTH_NAMES)
)
_NOT_PLURAL = frozenset(
    [
        "was", "has", "is", "as", "its", "this", "thus", "always", "perhaps", "towards",
        "afterwards", "besides", "unless", "whereas", "us", "plus", "versus", "yes", "less",
        "across", "news", "his", "hers", "ours", "yours", "theirs",
    ]
)
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365, "decade": 3652}
# Vague counts: (low, high) for "… ago"; a single value for "the past …" (spec: few weeks = 28d).
_AGO_VAGUE = {"few": (2, 5), "couple": (2, 3), "several": (3, 7)}
_PAST_VAGUE = {"few": 4, "couple": 2, "several": 6}


# --------------------------------------------------------------------------------------------
# Regular expression pieces.  Named groups are written ``(?P<@name>`` and get a per-alternative
# prefix when the combined pattern is assembled, so each alternative keeps readable names.
# --------------------------------------------------------------------------------------------

_S = r"[^\S\n]+"  # whitespace within one line: dates never span a line break
_S0 = r"[^\S\n]*"


def _words(words: list[str] | set[str] | frozenset[str], flags: str = "") -> str:
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return f"(?{flags}:{alt})" if flags else f"(?:{alt})"


def _month_alternatives() -> str:
    forms: list[str] = []
    for name in _MONTH_NAMES:
        forms += [name.capitalize(), name.upper()]
    for abbr in _MONTH_ABBR:
        forms.append(abbr.capitalize() + r"\.?")
    forms.sort(key=len, reverse=True)
    return "(?:" + "|".join(forms) + r")(?![A-Za-z])"


_MONTH = _month_alternatives()
_WEEKDAY = "(?:" + "|".join(w.capitalize() for w in _WEEKDAYS) + r")(?![A-Za-z])"
_YEAR = r"(?<![\d.,])(?:19\d\d|20\d\d|2100)(?!\d|[.,]\d)"
# A year said in words, as broadcast transcripts write it ("nineteen ninety-seven", "twenty
# twenty-four", "two thousand"): a century word then a number from ten to ninety-nine, or "two
# thousand" and a number below a hundred.
_NUMBERS = ENGLISH.number_words
_TWO_DIGITS = (r"(?:" + "|".join(ENGLISH.tens_words) + r")(?:[-\s](?:" + "|".join(_NUMBERS[1:10])
               + r"))?|" + "|".join(_NUMBERS[10:20]))
_THOUSAND = next(w for w, v in ENGLISH.scale_words.items() if v == 1000)
_YEAR_WORDS = (r"(?i:(?:" + _NUMBERS[19] + "|" + ENGLISH.tens_words[0] + r")[-\s]+(?:" + _TWO_DIGITS
               + r")|" + _NUMBERS[2] + _S + _THOUSAND + r"(?:" + _S + r"(?:" + _TWO_DIGITS + "|"
               + "|".join(_NUMBERS[1:10]) + r"))?)(?![\w-])")
_YEAR_SAID = r"(?:" + _YEAR + "|" + _YEAR_WORDS + ")"


def _year_int(value: str) -> int:
    """A year written in digits or in words."""
    if value.isdigit():
        return int(value)
    words = value.lower().replace("-", " ").split()
    if words[1] == _THOUSAND:
        return 2000 + (text2num(" ".join(words[2:]), "en") if words[2:] else 0)
    century = 19 if words[0] == _NUMBERS[19] else 20
    return century * 100 + text2num(" ".join(words[1:]), "en")
_DAY = r"(?<!\d)(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|,\d)"
_SEASON = r"(?i:" + "|".join(_SEASON_START) + r")(?![A-Za-z])"
_UNIT = r"(?i:days?|weeks?|fortnights?|months?|years?|decades?)(?![A-Za-z])"
# Units of a time counted from another happening within a day or two of it ("an hour later",
# "moments before"): found, never dated by themselves (counted_in_hours)
_SUBDAY_UNITS = ("hour", "minute", "moment")
_SUBDAY = r"(?i:(?:" + "|".join(_SUBDAY_UNITS) + r")s?)"
_UNITS_1_9 = "|".join(ENGLISH.number_words[1:10])
_NUMWORD = (
    r"(?:(?:" + "|".join(ENGLISH.tens_words) + r")(?:[-\s](?:"
    + _UNITS_1_9
    + r"))?|" + "|".join([*ENGLISH.number_words[11:20], ENGLISH.number_words[10]]) + "|"
    + _UNITS_1_9
    + r")(?![A-Za-z])"
)
_NUMEXPR = (
    r"(?:\d{1,3}(?![\d,.])|(?i:a" + _S + r"couple(?:" + _S + r"of)?|couple" + _S + r"of|a" + _S
    + r"few|few|several|a" + _S + r"dozen|an?|" + _NUMWORD + r"))"
)
_AGO_MOD_PHRASES = list(_AGO_MOD_KIND)
_AGO_MODS = _words(_AGO_MOD_PHRASES, "i")
_PART_PHRASES = list(_PERIOD_PARTS)
_PART_WORDS = _words(_PART_PHRASES, "i")
_SEASON_DETERMINERS = ["the", "this", "last", "next", "past"]
_QUARTER_DETERMINERS = dict(ENGLISH.quarter_determiners)
# Ordinals of a calendar quarter ("third" of "third quarter"); one that is also a determiner
# ("last quarter": the one before this) is read as the determiner.
_QUARTER_ORDINALS = {p.rsplit(" ", 1)[0]: spec for p, spec in _PERIOD_PARTS.items()
                     if spec.quarter and " " in p and p.rsplit(" ", 1)[0] not in _QUARTER_DETERMINERS}
_PERIOD_NOUNS = list(ENGLISH.period_nouns)
_YEAR_AGO_WORDS = list(ENGLISH.year_ago_words)
_YEAR_AGO_PHRASES = frozenset(" ".join(p.lower().split()) for p in ENGLISH.year_ago_phrases)
_YEAR_AGO_COMPARISONS = frozenset(" ".join(p.lower().split()) for p in ENGLISH.year_ago_comparisons)
_HOLIDAYS = dict(ENGLISH.holidays)


def _holiday_words() -> str:
    """Holiday names as written: each word capitalised ("Thanksgiving Day", "New Year's Eve")."""
    forms = sorted((" ".join(w[:1].upper() + w[1:] for w in name.split()) for name in _HOLIDAYS),
                   key=len, reverse=True)
    return "(?:" + "|".join(re.escape(f).replace(r"\ ", _S).replace("'", "['’]") for f in forms) + ")"


_FISCAL_WORDS = frozenset(w.lower() for w in ENGLISH.fiscal_words)


def _spaced(words: list[str] | frozenset[str]) -> str:
    """A word list as a case-insensitive alternation whose spaces match any run of spaces."""
    alt = "|".join(sorted((re.escape(w).replace(r"\ ", _S) for w in words), key=len, reverse=True))
    return f"(?i:{alt})"

_DMY = (
    r"(?:(?P<@wd>" + _WEEKDAY + r"),?" + _S + r")?(?P<@d1>" + _DAY + r")(?:" + _S0 + r"[-–]"
    + _S0 + r"(?P<@d2>" + _DAY + r"))?" + _S + r"(?:(?i:of)" + _S + r")?(?P<@mon>" + _MONTH
    + r")(?:,?" + _S + r"(?P<@y>" + _YEAR + r"))?"
)
_MDY = (
    r"(?:(?P<@wd>" + _WEEKDAY + r"),?" + _S + r")?(?P<@mon>" + _MONTH + r")(?:" + _S
    + r"(?P<@d1>" + _DAY + r")(?:" + _S0 + r"[-–]" + _S0 + r"(?P<@d2>" + _DAY + r"))?)?(?:,?"
    + _S + r"(?:(?i:of)" + _S + r")?(?P<@y>" + _YEAR_SAID + r"))?"
)

_ALTERNATIVES: list[tuple[str, str]] = [
    ("iso_range",
     r"(?<![\d/.-])(?P<@a>\d{4}(?:-\d\d(?:-\d\d)?)?)/(?P<@b>\d{4}(?:-\d\d(?:-\d\d)?)?)"
     r"(?![\d/]|-\d)"),
    ("iso", r"(?<![\d/.,-])(?P<@y>\d{4})-(?P<@m>0[1-9]|1[0-2])(?:-(?P<@d>[0-3]\d))?(?![\d/]|-\d)"),
    ("short_range", r"(?P<@y>" + _YEAR + r")[-–/](?P<@yy>\d\d)(?![\d]|[.,]\d)"),
    ("decade_num",
     r"(?:(?P<@the>(?i:the))" + _S + r")?(?:(?P<@part>(?i:early|mid|late))[-\s]+)?"
     r"(?:(?P<@c>19|20)(?P<@d>\d)0|(?P<@apos>['’])?(?P<@dd>\d)0)(?:['’]?s)(?![\w])"),
    ("decade_word",
     r"(?i:the)" + _S + r"(?:(?P<@part>(?i:early|mid|late))[-\s]+)?(?i:" + ENGLISH.number_words[19] + r")[-\s]+"
     r"(?P<@dw>" + _words(list(_DECADE_WORDS), "i") + r")(?![A-Za-z])"),
    ("dayword",
     r"(?P<@w>(?i:the" + _S + r"day" + _S + r"before" + _S + r"yesterday|the" + _S + r"day"
     + _S + r"after" + _S + r"tomorrow|today|tonight|yesterday|tomorrow|right" + _S + r"now"
     r"|(?:in|within)" + _S + r"(?:a" + _S + r"few|a" + _S + r"couple" + _S + r"of|two|three"
     r"|several)" + _S + r"hours|within" + _S + r"hours))(?![A-Za-z])"),
    ("week_of",
     r"(?:(?i:the)" + _S + r")?(?i:week)" + _S + r"(?i:of|starting|beginning|commencing)"
     + _S + r"(?:(?P<@dmy>" + _DMY.replace("(?P<@", "(?P<@x") + r")|(?P<@mdy>"
     + _MDY.replace("(?P<@", "(?P<@z") + r"))"),
    ("quarter_code",
     r"(?<![\w])(?P<@q>[QH][1-4])(?:" + _S + r"|-)(?:(?i:of)" + _S + r")?(?P<@y>" + _YEAR
     + r")"),
    ("part",
     r"(?:(?i:the)" + _S + r")?(?P<@part>" + _PART_WORDS + r")(?:-|" + _S + r")(?:(?i:of)"
     + _S + r")?(?:(?P<@mon>" + _MONTH + r")(?:,?" + _S + r"(?:(?i:of)" + _S + r")?(?P<@my>"
     + _YEAR + r"))?|(?P<@y>" + _YEAR + r")(?![\w%-])|(?P<@rel>(?i:this|last|next|the|that"
     r"|the" + _S + r"current|the" + _S + r"coming))" + _S + r"(?P<@unit>(?i:year|month))"
     r"(?![A-Za-z]))"),
    ("quarter",
     r"(?:(?P<@det>" + _spaced(list(_QUARTER_DETERMINERS)) + r")" + _S + r")?"
     r"(?:(?P<@ya>" + _spaced(_YEAR_AGO_WORDS) + r")" + _S + r")?"
     r"(?:(?P<@y>" + _YEAR + r")" + _S + r"|(?P<@rel>(?i:this|last|next))" + _S + r"(?i:year)['’]s"
     + _S + r")?(?:(?P<@ord>" + _spaced(list(_QUARTER_ORDINALS)) + r")(?:-|" + _S + r"))?"
     r"(?P<@noun>" + _spaced(_PERIOD_NOUNS) + r")(?![\w-])"
     r"(?:" + _S + r"(?P<@after>" + _spaced(_YEAR_AGO_PHRASES) + r")(?![A-Za-z]))?"),
    ("holiday",
     r"(?:(?P<@det>(?i:last|next|this))" + _S + r")?(?P<@h>" + _holiday_words() + r")(?![\w'’])"
     r"(?:" + _S + r"(?P<@week>week)(?![\w'’]))?"),
    ("season",
     r"(?:(?P<@det>(?i:" + "|".join(_SEASON_DETERMINERS) + r"))" + _S + r")?(?P<@season>" + _SEASON + r")"
     r"(?:(?:" + _S + r"(?:(?i:of)" + _S + r")?)(?P<@y>" + _YEAR_SAID + r"))?"),
    ("ago",
     r"(?:(?P<@mod>" + _AGO_MODS + r")" + _S + r")?(?:(?P<@n>" + _NUMEXPR + r")" + _S
     + r")?(?P<@unit>" + _UNIT + r")" + _S + r"(?i:ago|back)(?![A-Za-z])"),
    ("past",
     r"(?i:the)" + _S + r"(?i:past|last)" + _S + r"(?:(?P<@n>" + _NUMEXPR + r")" + _S + r")?"
     r"(?P<@unit>" + _UNIT + r")"),
    ("recent", r"(?i:recent)" + _S + r"(?P<@unit>(?i:days|weeks|months|years))(?![A-Za-z])"),
    ("event",
     r"(?:(?:(?P<@n>" + _NUMEXPR + r")" + _S + r")?(?P<@unit>" + _UNIT + r")" + _S
     + r"(?i:later|afterwards?|after|earlier|before|prior)"
     # "Just over an hour later", "Minutes later", "moments before": a time counted from another
     # happening, within a day or two of it (never the story's day by default)
     r"|(?:(?:" + _AGO_MODS + r")" + _S + r")?(?:" + _NUMEXPR + _S + r")?" + _SUBDAY + _S
     + r"(?i:later|afterwards?|earlier|before)(?!" + _S + r"(?i:than)\b)"
     r"|(?i:the)" + _S + r"(?i:next|following|previous|preceding|same|subsequent)" + _S
     + r"(?i:day|morning|afternoon|evening|night|week|weekend|month|year|spring|summer|autumn"
     r"|winter)|(?i:the)" + _S + r"(?i:day|week|month|year|night)" + _S + r"(?i:before|after)"
     r"|(?i:that)" + _S + r"(?i:day|morning|afternoon|evening|night|week|weekend|month|year))"
     r"(?![A-Za-z])"),
    ("earlier",
     r"(?P<@which>(?i:earlier|later))" + _S + r"(?:(?P<@this>(?i:this|in" + _S + r"the))|"
     r"(?i:that|last|next))" + _S + r"(?P<@unit>(?i:week|month|year))(?![A-Za-z])"),
    ("this_last",
     r"(?P<@which>(?i:this" + _S + r"coming|this|last|next|the" + _S + r"coming|the" + _S
     + r"current))" + _S
     + r"(?:(?P<@unit>(?i:week|weekend|month|year|morning|afternoon|evening|night)(?![A-Za-z]))"
     r"|(?P<@mon>" + _MONTH + r")(?:" + _S + r"(?P<@d>" + _DAY + r"))?|(?P<@wd>" + _WEEKDAY + r"))"),
    # "Over the weekend, immigration agents launched raids": the weekend of the text, like
    # "this weekend" (not "the weekend of June 5", "the weekend before")
    ("the_weekend",
     r"(?<![Oo]f )(?:(?i:over|at|during|through|throughout|on)" + _S + r"(?i:the)" + _S + r"(?i:weekend)(?![A-Za-z])"
     r"(?!" + _S + r"(?i:of|before|after|that|when)\b)"
     # (alone, only before punctuation: "The weekend, ..." but not "the weekend update")
     r"|(?i:the)" + _S + r"(?i:weekend)(?=[,.;:!?)]))"),
    ("dmy", r"(?<![\d.,/-])" + _DMY),
    ("mdy", _MDY),
    ("weekday", r"(?P<@wd>" + _WEEKDAY + r")"),
    ("year", r"(?<![\w.,/$£€#])(?<![A-Za-z]-)(?P<@y>" + _YEAR + r")(?![\w%]|-[A-Za-z])"),
    ("year_said", r"(?<![\w-])(?:(?i:the)" + _S + r"(?i:year)" + _S + r")?(?P<@y>" + _YEAR_WORDS + r")"),
]


def _expand(name: str, template: str) -> str:
    return f"(?P<{name}>" + template.replace("(?P<@", f"(?P<{name}__") + ")"


_ORDER = [n for n, _ in _ALTERNATIVES]
_TEMPLATES = dict(_ALTERNATIVES)
_GROUPS: dict[str, list[tuple[str, str]]] = {
    n: [(f"{n}__{g}", g) for g in re.findall(r"\(\?P<@(\w+)>", t)] for n, t in _ALTERNATIVES
}


@cache
def _single(name: str) -> re.Pattern[str]:
    """One alternative alone, for the rare retry after a rejected match (compiled on demand)."""
    return re.compile(_expand(name, _TEMPLATES[name]))


@lru_cache(maxsize=1)
def _combined() -> re.Pattern[str]:
    """All alternatives in one pattern: the unrouted scan used to check the routing table."""
    return re.compile("|".join(_expand(n, t) for n, t in _ALTERNATIVES))


def _trie(words: list[str]) -> str:
    """Regex for a word list factored by prefix, so the engine can reject a word in one step."""
    groups: dict[str, list[str]] = {}
    optional = False
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word[1:])
        else:
            optional = True
    if not groups:
        return ""
    alts = [re.escape(c) + _trie(rest) for c, rest in sorted(groups.items())]
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if optional else body


# The words (lower-cased) an alternative can start with; "#d" stands for a digit, "#'" for an
# apostrophe before a digit and "#q" for a Q1/H1 code.  Matching is only attempted where such a
# word starts, and only with the alternatives that can start with it: this keeps the scan fast.
# A word missing here makes its expressions invisible (tests compare with an unrouted scan).


def _first_words(phrases: list[str]) -> frozenset[str]:
    """The routing keys of a phrase list: each phrase's first word, "#d" for one that starts
    with a digit ("1st quarter")."""
    return frozenset("#d" if p[0].isdigit() else p.split()[0].lower() for p in phrases)


_NUMBER_FIRST = frozenset(
    {"#d", "a", "an", "couple", "few", "several"}
    | set(ENGLISH.number_words[1:20]) | set(ENGLISH.tens_words)
)
_UNIT_FIRST = frozenset(set(_UNIT_DAYS) | {u + "s" for u in _UNIT_DAYS})
_MOD_FIRST = _first_words(_AGO_MOD_PHRASES)
_PART_FIRST = _first_words(["the", *_PART_PHRASES])
_FIRST_WORDS: dict[str, frozenset[str]] = {
    "iso_range": frozenset({"#d"}),
    "iso": frozenset({"#d"}),
    "short_range": frozenset({"#d"}),
    "decade_num": frozenset({"the", "early", "mid", "late", "#d", "#'"}),
    "decade_word": frozenset({"the"}),
    "dayword": frozenset({"the", "today", "tonight", "yesterday", "tomorrow", "right", "in",
                          "within"}),
    "week_of": frozenset({"the", "week"}),
    "quarter_code": frozenset({"#q"}),
    "part": _PART_FIRST,
    "quarter": _first_words(list(_QUARTER_DETERMINERS) + _YEAR_AGO_WORDS + list(_QUARTER_ORDINALS)
                            + ["#d", "this", "last", "next"]),
    "holiday": _first_words(list(_HOLIDAYS) + ["last", "next", "this"]),
    "season": _first_words(_SEASON_DETERMINERS) | set(_SEASON_START),
    "ago": _MOD_FIRST | _NUMBER_FIRST | _UNIT_FIRST,
    "past": frozenset({"the"}),
    "recent": frozenset({"recent"}),
    "event": _NUMBER_FIRST | _UNIT_FIRST | _MOD_FIRST | {"the", "that"}
    | {w for u in _SUBDAY_UNITS for w in (u, u + "s")},
    "earlier": frozenset({"earlier", "later"}),
    "this_last": frozenset({"this", "last", "next", "the"}),
    "the_weekend": frozenset({"over", "at", "during", "through", "throughout", "on", "the"}),
    "dmy": frozenset({"#d"} | set(_WEEKDAYS)),
    "mdy": frozenset(set(_MONTHS) | set(_WEEKDAYS)),
    "weekday": frozenset(_WEEKDAYS),
    "year": frozenset({"#d"}),
    "year_said": frozenset({"the", _NUMBERS[19], ENGLISH.tens_words[0], _NUMBERS[2]}),
}
assert set(_FIRST_WORDS) == set(_ORDER)


def _build_routes() -> dict[str, re.Pattern[str]]:
    """One pattern per first word, holding only the alternatives that can start with it."""
    by_names: dict[tuple[str, ...], re.Pattern[str]] = {}
    routes: dict[str, re.Pattern[str]] = {}
    for key in sorted(set().union(*_FIRST_WORDS.values())):
        names = tuple(n for n in _ORDER if key in _FIRST_WORDS[n])
        if names not in by_names:
            by_names[names] = re.compile(
                "|".join(_expand(n, t) for n, t in _ALTERNATIVES if n in names)
            )
        routes[key] = by_names[names]
    return routes


_ROUTES = _build_routes()
_TRIGGER_WORDS = sorted(k for k in _ROUTES if not k.startswith("#"))
_TRIGGER = re.compile(
    r"(?<![\w'’])(?:(?P<d>\d)|(?P<a>['’]\d)|(?P<q>[qh][1-4])|(?P<w>"
    + _trie(_TRIGGER_WORDS) + r")(?![a-z]))"
)


@lru_cache(maxsize=1)
def _trigger_anycase() -> re.Pattern[str]:
    """For the rare text whose lower-casing changes its length (offsets would drift)."""
    return re.compile(_TRIGGER.pattern, re.IGNORECASE)

_PREV_WORD = re.compile(r"([A-Za-z]+)[^\S\n]*\Z")
_NEXT_WORD = re.compile(r"[^\S\n]+([a-z]+)")
_CONNECTOR = re.compile(
    r"[^\S\n]*(?:(?P<word>to|until|till|through|thru|into|and)(?![A-Za-z])|[-–—])[^\S\n]*\Z",
    re.IGNORECASE,
)
_RANGE_OPENER = re.compile(r"(?P<w>\b(?:from|between))[^\S\n]+\Z", re.IGNORECASE)
_OF_NON_YEAR = re.compile(r"[^\S\n]+of[^\S\n]+(?!(?:19|20)\d\d)", re.IGNORECASE)
_LEADING_PREP = re.compile(r"\s*(?:(?:in|on|at|during|over|within)\s+)?", re.IGNORECASE)


# Tense of the clause around an expression whose year or week is not written. The words are
# language data (pipeline/language.py: future_words, past_words, past_suffixes), handed in.
_CLAUSE_BREAK = re.compile(r"[.!?;:\n]|,(?=[^,]{12,}\Z)")
_AHEAD_BREAK = re.compile(r"[.!?;:\n]")
_TOKEN_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\Z")


_NO_SENTENCE_AFTER = re.compile(r"[^\S\n]*[,;]|[^\S\n]+[a-z]")


def _is_break(text: str, m: re.Match[str], language: Language) -> bool:
    """A full stop after an initial, "a.m." or an abbreviation ("Daniel P. Davison", "9 a.m.
    Tuesday", "Gen. Ward") does not end the clause."""
    if m.group(0) != ".":
        return True
    if _NO_SENTENCE_AFTER.match(text, m.end()):
        return False   # "Birmingham, Ala., killed": a stop before a comma or a lower-case word
    token = _TOKEN_BEFORE.search(text, max(0, m.start() - 12), m.start())
    if token is None:
        return True
    word = token.group(1)
    return len(word.rsplit(".", 1)[-1]) > 1 and word.lower() not in language.abbreviations


def _tense_regex(future: list[str], past: list[str], suffixes: list[str],
                 determiners: list[str] | None = None) -> re.Pattern[str]:
    """Future words, past words, and lower-case words with a regular past ending ("addressed",
    "warned"; never capitalised names such as "United")."""
    ends = "|".join(re.escape(x) for x in suffixes)
    regular = r"|(?-i:[a-z]{2,}(?<!e)(?:" + ends + "))" if ends else ""
    never = "(?!x)x"
    # A marker that ends in an infinitive's "to" ("plan to", "due to") speaks of the future only
    # when a verb follows: "leaders plan to meet", not "cut the 28-point plan to 19 points" nor
    # "stalled due to the dispute" (a determiner starts a noun).
    infinitive = [w for w in future if w.split()[-1:] == ["to"]]
    # a contraction ("'ll" in "I'll", "we’ll") is glued to the word before it
    glued = [w for w in future if w[:1] in "'’" and w not in infinitive]
    plain = [w for w in future if w not in infinitive and w not in glued]
    noun_start = (r"(?!(?:" + "|".join(re.escape(w) for w in determiners) + r")(?![\w'’]))"
                  if determiners else "")
    verb_next = r"(?=[^\S\n]+" + noun_start + r"(?-i:[a-z]))"
    alternatives = [_words(plain)] if plain else []
    if infinitive:
        alternatives.append("(?:" + _words(infinitive) + ")" + verb_next)
    future_re = "(?<![\\w'’])(?:" + "|".join(alternatives) + ")" if alternatives else never
    if glued:
        future_re += r"|(?<=\w)(?:" + "|".join(re.escape(w) for w in glued) + ")"
    return re.compile(r"(?:(?P<future>" + future_re
                      + r")|(?<![\w'’])(?P<past>" + (_words(past) if past else never) + regular
                      + r"))(?![\w'’])", re.IGNORECASE)


_NO_TENSE = re.compile(r"(?P<future>(?!x)x)|(?P<past>(?!x)x)")


@lru_cache(maxsize=8)
def _tense_cached(future: tuple[str, ...], past: tuple[str, ...],
                  suffixes: tuple[str, ...], determiners: tuple[str, ...] = ()) -> re.Pattern[str]:
    if not (future or past or suffixes):
        return _NO_TENSE
    return _tense_regex(list(future), list(past), list(suffixes), list(determiners))


def _tense(language: Language) -> re.Pattern[str]:
    """The tense markers of a language, compiled once per set of words."""
    return _tense_cached(*language.tense_words)


def has_tense(text: str, language: Language = ENGLISH) -> bool:
    """Whether a sentence has a tense marker at all: it tells of what happened or will."""
    return _tense(language).search(text) is not None


@lru_cache(maxsize=8)
def _aux_only(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?:[^\S\n]+" + _words(list(words)) + r")*[^\S\n]+", re.IGNORECASE)


@lru_cache(maxsize=8)
def _perfect_before(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’])" + _spaced(list(words)) + r"[^\S\n]+\Z")


def _markers(window: str, tense: re.Pattern[str], language: Language) -> list[re.Match[str]]:
    """The tense markers of a clause, without a participle used as an adjective ("on a still
    unspecified date", "the expected deal": after a determiner it tells no tense)."""
    out = []
    lowered = window.lower()
    for m in tense.finditer(window):
        if any(lowered.startswith(x, m.start()) and not lowered[m.start() + len(x):][:1].isalnum()
               for x in language.tense_exceptions):
            continue
        if m.group("past") is not None and m.group(0).lower() not in language.past_words:
            before = window[:m.start()].lower().split()
            while before and language.stands_apart(before[-1]):
                before.pop()
            if before and before[-1] in language.determiners:
                continue
        out.append(m)
    return out


def tense_of(text: str, s: int, e: int, language: Language = ENGLISH, reach: int = 80) -> str | None:
    """"future", "past" or None (no marker) for the clause around ``text[s:e]``: the nearest
    tense marker before the expression in its clause decides, else the first one after it within
    ``reach`` characters and the sentence ("On Friday, the leaders will meet"). A language
    without tense words reads every clause as past."""
    tense = _tense(language)
    if tense is _NO_TENSE:
        return "past"
    window = text[max(0, s - 100):s]
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(window) if _is_break(window, m, language)]
    if cuts:
        window = window[cuts[-1]:]
    markers = _markers(window, tense, language)
    if markers:
        last = markers[-1]
        if last.group("future") is None and len(markers) > 1 and markers[-2].group("future") is not None \
                and _aux_only(language.auxiliary_words).fullmatch(window[markers[-2].end():last.start()]):
            return "future"   # "would be held", "will have met": a future passive or perfect
        if last.group("future") is not None and language.past_perfect \
                and _perfect_before(language.past_perfect).search(window, 0, last.start()):
            return "past"     # "had been due to expire Friday": a future seen from the past
        return "future" if last.group("future") is not None else "past"
    ahead = text[e:e + reach]
    stop = next((m for m in _AHEAD_BREAK.finditer(ahead) if _is_break(ahead, m, language)), None)
    found = _markers(ahead[:stop.start()] if stop else ahead, tense, language)
    if found and not ahead[:found[0].start()].strip() and _prev_word(text, s) in language.determiners:
        found = found[1:]   # "by the Tuesday deadline": the date qualifies the noun after it
    if not found:
        return None
    return "future" if found[0].group("future") is not None else "past"


# How far after a date without a marker before it the tagger looks for its clause's verb ("In
# January, a week after the anniversary of the ruling, a bombing in Birmingham, Ala., killed
# ..."): the rest of the sentence.
_SENTENCE_REACH = 200

_POSSESSIVE = re.compile(r"['’]s(?![\w'’])")
_LAST_WORDS = re.compile(r"(?:\S+[^\S\n]+){1,3}\Z")


def _possessive_tense(text: str, atom: _Atom, language: Language) -> str | None:
    """A weekday that owns a noun ("Wednesday's ruling", "Friday's close") names a happening
    the text refers back to: past, unless a future marker stands right before it ("ahead of
    Sunday's vote"); the clause's own verb ("they would look for ways around Wednesday's
    ruling") does not date it. None for any other expression."""
    if atom.weekday is None or not _POSSESSIVE.match(text, atom.e):
        return None
    before = _LAST_WORDS.search(text, max(0, atom.s - 40), atom.s)
    window = before.group(0) if before else ""
    future = any(m.group("future") is not None for m in _markers(window, _tense(language), language))
    return "future" if future else "past"


def _planned_after_past(text: str, s: int, language: Language) -> bool:
    """A past clause whose verb is followed by an infinitive before the date ("decided to admit
    them in early March", "subpoenaed him to testify on Feb. 10"): the date is the infinitive's,
    which may lie after publication."""
    window, end = _after_last_past(text, s, language)
    return end >= 0 and _infinitive(tuple(language.determiners)).search(window[end:]) is not None


def _after_last_past(text: str, s: int, language: Language) -> tuple[str, int]:
    """The clause before offset `s` (up to 100 characters, from its last clause break) and where
    its last tense marker ends when that marker is past; -1 when it is not (or there is none):
    what comes after a past marker decides whose date `s` is."""
    window = text[max(0, s - 100):s]
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(window) if _is_break(window, m, language)]
    if cuts:
        window = window[cuts[-1]:]
    markers = _markers(window, _tense(language), language)
    if not markers or markers[-1].group("past") is None:
        return window, -1
    return window, markers[-1].end()


@lru_cache(maxsize=8)
def _present(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’])" + _spaced(list(words)) + r"(?![\w'’])")


def _present_after_past(text: str, s: int, language: Language) -> bool:
    """A present auxiliary after the clause's last past marker ("said it is calling for the
    redemption on Dec. 7"): the date belongs to the present clause, not to the report."""
    if not language.present_words:
        return False
    window, end = _after_last_past(text, s, language)
    return end >= 0 and _present(language.present_words).search(window, end) is not None


_UNTIL_BEFORE = re.compile(r"(?<![\w'’])(?i:until|till)[^\S\n]+(?:(?i:noon|midnight)[^\S\n]+|\d{1,2}(?::\d\d)?"
                           r"[^\S\n]*(?i:a\.m\.|p\.m\.)?(?:[^\S\n]+[A-Z]{2,4})?[^\S\n]+)?\Z")


@lru_cache(maxsize=8)
def _deferral(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’])" + _spaced(list(words)) + r"(?![\w'’])")


def _deferred_to(text: str, s: int, language: Language) -> bool:
    """A weekday something was put off to ("postponed until Tuesday morning", "has given them
    until 9 a.m. Tuesday"): it lies after the act, the coming one."""
    if not language.deferral_words:
        return False
    until = _UNTIL_BEFORE.search(text, max(0, s - 40), s)
    if until is None:
        return False
    window = text[max(0, until.start() - 100):until.start()]
    cuts = [m.end() for m in _AHEAD_BREAK.finditer(window) if _is_break(window, m, language)]
    return _deferral(language.deferral_words).search(window, cuts[-1] if cuts else 0) is not None


@lru_cache(maxsize=8)
def _schedule(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’])" + _spaced(list(words)) + r"(?![\w'’])", re.IGNORECASE)


def _scheduled(text: str, s: int, language: Language, verbs: tuple[str, ...] | None = None) -> bool:
    """A weekday in a clause whose verb is a timetable's present ("The show opens to the public
    on Friday", language `schedule_verbs`): the clause has no tense marker (the caller checks),
    so the weekday is the coming one, as in "will open on Friday". With `verbs` (the language's
    `in_force_verbs`), the same for a day or month without a year."""
    return _scheduled_at(text, s, language, verbs) is not None


def comes_into_force(text: str, s: int, e: int, language: Language) -> bool:
    """A date after a present verb of coming into force with no tense marker between them ("The
    permit expires on 31 March, the ministry said", "The company says its permit expires in
    March"): the verb is its clause's tense, not a reporting verb after or before it, so a day or
    month without a year is the coming one, and the happening is still ahead."""
    verb = _scheduled_at(text, s, language, language.in_force_verbs)
    return verb is not None and tense_of(text[verb:e], s - verb, e - verb, language, _SENTENCE_REACH) is None


def _scheduled_at(text: str, s: int, language: Language, verbs: tuple[str, ...] | None = None) -> int | None:
    """_scheduled, as where the clause's verb starts (None: no such verb before `s`)."""
    verbs = language.schedule_verbs if verbs is None else verbs
    if not verbs:
        return None
    at = max(0, s - 100)
    window = text[at:s]
    cuts = [m.end() for m in _AHEAD_BREAK.finditer(window) if _is_break(window, m, language)]
    found = [m.start() for m in _schedule(verbs).finditer(window, cuts[-1] if cuts else 0)]
    return at + found[-1] if found else None


@lru_cache(maxsize=8)
def _infinitive(determiners: tuple[str, ...]) -> re.Pattern[str]:
    noun_start = (r"(?!(?:" + "|".join(re.escape(w) for w in determiners) + r")(?![\w'’]))"
                  if determiners else "")
    return re.compile(r"(?<![\w'’])to[^\S\n]+" + noun_start + r"(?-i:[a-z]{2,})(?![\w'’])", re.IGNORECASE)


def has_future(text: str, language: Language = ENGLISH) -> bool:
    """Whether any clause of the text speaks of the future (a future marker anywhere)."""
    return any(m.group("future") is not None for m in _markers(text, _tense(language), language))


def tense_is_future(text: str, s: int, e: int, language: Language = ENGLISH) -> bool:
    """Whether the clause around ``text[s:e]`` speaks of the future; with no marker, a dated
    report speaks of the past."""
    return tense_of(text, s, e, language) == "future"


# --------------------------------------------------------------------------------------------
# Atoms
# --------------------------------------------------------------------------------------------


@dataclass
class _Atom:
    """A detected expression before resolution against the anchor.

    Exactly one of ``fixed`` (written out in full), ``build`` (a calendar position whose year is
    not written), ``rel`` (a function of the anchor day) is set, or none for event-relative.
    """

    s: int
    e: int
    fixed: Span3 | None = None
    build: YearFn | None = None
    precision: str = "day"
    rel: RefFn | None = None
    combinable: bool = False
    weak: bool = False
    weekday: int | None = None   # a bare weekday: resolved by the sentence's tense
    future: bool = False         # the clause around it speaks of the future
    unmarked: bool = False       # ... or has no tense marker at all: the nearest occurrence
    this_weekend: bool = False   # "this weekend": in a past clause, the one just gone
    # Read against the quarter the text last named (find_dates): how (see _QUARTER_DETERMINERS,
    # "in_year": that quarter of ref_year, "in_year_rel": of the publication year - ref_step,
    # "comparison": a year-over-year comparison), moved ref_shift years back.
    ref_kind: str | None = None
    ref_shift: int = 0
    ref_year: int | None = None
    ref_step: int = 0
    derived: bool = False        # a period moved from another ("the year-ago quarter")
    deadline: bool = False       # after a deadline's preposition ("by February")


def _prev_word(text: str, pos: int) -> str:
    m = _PREV_WORD.search(text, max(0, pos - 24), pos)
    return m.group(1).lower() if m else ""


def _cued(text: str, pos: int) -> bool:
    return _prev_word(text, pos) in _CUES


def counted_vaguely(span: DateSpan) -> bool:
    """A date counted back or forth by a vague amount ("several months ago", "a few weeks
    earlier", or no count at all: "years ago"): its interval is the engine's guess at what the
    writer meant, not the writer's."""
    words = re.findall(r"[a-z0-9]+", span.text.lower())
    return span.relative and bool(words) and (any(w in _AGO_VAGUE for w in words)
                                              or (words[0].endswith("s") and words[0][:-1] in _UNIT_DAYS))


_SUBDAY_WORD = re.compile(r"\b" + _SUBDAY + r"\b")


def counted_in_hours(span: DateSpan) -> bool:
    """A time counted in hours or minutes from another happening ("Just over an hour later",
    "moments before"): undated here, it tells a sequence, not when the text was written."""
    return span.start is None and _SUBDAY_WORD.search(span.text) is not None


@lru_cache(maxsize=512)
def _count(expr: str) -> tuple[int, int, bool]:
    """(low, high, vague) for a count written in digits, words or as a vague quantifier."""
    words = expr.lower().split()
    if "few" in words:
        return (*_AGO_VAGUE["few"], True)
    if "couple" in words:
        return (*_AGO_VAGUE["couple"], True)
    if "several" in words:
        return (*_AGO_VAGUE["several"], True)
    if "dozen" in words:
        return 12, 12, False
    if words[0] in ("a", "an"):
        return 1, 1, False
    if expr.isdigit():
        return int(expr), int(expr), False
    value = text2num(" ".join(words).replace("-", " "), "en")
    return value, value, False


def _past_count(expr: str | None, plural: bool) -> int:
    if expr is None:
        return _PAST_VAGUE["few"] if plural else 1
    words = expr.lower().split()
    for key, value in _PAST_VAGUE.items():
        if key in words:
            return value
    return _count(expr)[0]


def _unit_name(raw: str) -> str:
    unit = raw.lower()
    return unit[:-1] if unit.endswith("s") else unit


def _shift(ref: date, unit: str, n: int) -> date:
    """``ref`` moved back by ``n`` calendar units (negative moves forward)."""
    if unit in ("day", "week", "fortnight"):
        return ref - timedelta(days=n * _UNIT_DAYS[unit])
    months = {"month": 1, "year": 12, "decade": 120}[unit]
    return _add_months(ref, -n * months)


def _unit_containing(d: date, unit: str) -> Span3:
    if unit == "day":
        return d, d, "day"
    if unit in ("week", "fortnight"):
        return (*_week(d), "week")
    if unit == "month":
        return (*_month_span(d.year, d.month), "month")
    return (*_year_span(d.year), "year")


# ---- handlers: each takes the alternative's groups and returns an atom or None (rejected) ---

Groups = dict[str, str | None]


def _iso_bounds(value: str) -> tuple[date, date, str]:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return (*_year_span(parts[0]), "year")
    if len(parts) == 2:
        if not 1 <= parts[1] <= 12:
            raise ValueError(value)
        return (*_month_span(parts[0], parts[1]), "month")
    d = date(parts[0], parts[1], parts[2])
    return d, d, "day"


def _h_iso_range(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    try:
        a = _iso_bounds(g["a"] or "")
        b = _iso_bounds(g["b"] or "")
    except ValueError:
        return None
    if a[0] > b[1] or not (a[0].year >= 1000 and b[1].year <= 2999):
        return None
    return _Atom(s, e, fixed=(a[0], b[1], "range"))


def _h_iso(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    value = f"{g['y']}-{g['m']}" + (f"-{g['d']}" if g["d"] else "")
    try:
        return _Atom(s, e, fixed=_iso_bounds(value), combinable=True)
    except ValueError:
        return None


def _h_short_range(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    y1 = int(g["y"] or 0)
    y2 = y1 // 100 * 100 + int(g["yy"] or 0)
    if y2 <= y1:
        return None
    return _Atom(s, e, fixed=(date(y1, 1, 1), date(y2, 12, 31), "range"))


def _decade(first_year: int, part: str | None) -> Span3:
    lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get((part or "").lower(), (0, 9))
    return date(first_year + lo, 1, 1), date(first_year + hi, 12, 31), "range"


def _h_decade_num(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    if g["c"]:
        first = int(g["c"]) * 100 + int(g["d"] or 0) * 10
    else:
        if not (g["the"] or g["apos"]):  # "in their 90s" is an age, "the 90s" a decade
            return None
        digit = int(g["dd"] or 0)
        first = (1900 if digit >= 3 else 2000) + digit * 10
    return _Atom(s, e, fixed=_decade(first, g["part"]))


def _h_decade_word(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    first = 1900 + 10 * _DECADE_WORDS[(g["dw"] or "").lower()]
    return _Atom(s, e, fixed=_decade(first, g["part"]))


def _h_dayword(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    word = " ".join((g["w"] or "").lower().split())
    offset = {"yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
              "the day after tomorrow": 2}.get(word, 0)  # today, tonight, right now, in hours

    def fn(ref: date) -> Span3:
        d = ref + timedelta(days=offset)
        return d, d, "day"

    return _Atom(s, e, rel=fn)


def _day_atom(s: int, e: int, mon: int, d1: int, d2: int | None, year: int | None) -> _Atom | None:
    if d2 is not None and d2 < d1:
        return None
    if d1 > calendar.monthrange(2000, mon)[1] or (d2 or 0) > calendar.monthrange(2000, mon)[1]:
        return None
    precision = "day" if d2 is None or d2 == d1 else "range"

    def build(y: int) -> tuple[date, date]:
        return date(y, mon, d1), date(y, mon, d2 or d1)

    if year is None:
        return _Atom(s, e, build=build, precision=precision, combinable=True)
    try:
        return _Atom(s, e, fixed=(*build(year), precision), combinable=True)
    except ValueError:
        return None


def _day_groups(g: Groups, prefix: str, s: int, e: int) -> _Atom | None:
    mon = _MONTHS[(g[prefix + "mon"] or "").rstrip(".").lower()]
    year = _year_int(g[prefix + "y"] or "") if g[prefix + "y"] else None
    d2 = g[prefix + "d2"]
    d1 = _day_int(g[prefix + "d1"] or "")
    atom = _day_atom(s, e, mon, d1, _day_int(d2) if d2 else None, year)
    wd = g.get(prefix + "wd")
    if atom is None or year is not None or d2 or not wd:
        return atom
    # "Monday, Oct. 26": the weekday says which year's 26 October is meant (the nearest one that
    # is a Monday), whatever the tense; with none within a year either way, the date alone.
    weekday = _WEEKDAYS[wd.lower()]
    fallback = atom

    def fn(ref: date) -> Span3:
        fits = []
        for y in (ref.year - 1, ref.year, ref.year + 1):
            try:
                d = date(y, mon, d1)
            except ValueError:
                continue
            if d.weekday() == weekday:
                fits.append((abs((d - ref).days), d))
        if fits:
            d = min(fits)[1]
            return d, d, "day"
        assert fallback.build is not None
        return _infer_year(fallback.build, "day", ref, fallback.future)

    return _Atom(s, e, rel=fn)


def _day_int(value: str) -> int:
    return int(value.rstrip("stndrh"))


def _h_dmy(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    return _day_groups(g, "", s, e)


def _h_mdy(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    if g["d1"]:
        return _day_groups(g, "", s, e)
    raw = (g["mon"] or "").rstrip(".")
    mon = _MONTHS[raw.lower()]
    if g["y"]:
        return _Atom(s, e, fixed=(*_month_span(_year_int(g["y"] or ""), mon), "month"), combinable=True)
    if g["wd"]:  # "Friday, May" is not a date expression we can use
        return None
    weak = (raw.lower() in _AMBIGUOUS_MONTHS or raw.lower() in _MONTH_ABBR) and not _cued(text, s)
    return _Atom(s, e, build=lambda y: _month_span(y, mon), precision="month", combinable=True,
                 weak=weak)


def _h_week_of(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    if not (g["dmy"] or g["zd1"]):  # "the week of February" names no week
        return None
    inner = _day_groups(g, "x", s, e) if g["dmy"] else _day_groups(g, "z", s, e)
    if inner is None:
        return None
    if inner.fixed is not None:
        return _Atom(s, e, fixed=(*_week(inner.fixed[0]), "week"))
    day_build = inner.build
    assert day_build is not None
    return _Atom(s, e, build=lambda y: _week(day_build(y)[0]), precision="week")


def _year_part(part: str, year: int) -> Span3 | None:
    spec = _PERIOD_PARTS.get(part)
    if spec is None:
        return None
    if spec.year_month is not None and spec.month is not None:
        return (*_month_part(part, year, spec.year_month), "part")
    if spec.year is None:
        return None
    m1, m2 = spec.year
    return date(year, m1, 1), _month_end(year, m2), "quarter" if spec.quarter else "part"


def _month_part(part: str, year: int, month: int) -> tuple[date, date]:
    days = _PERIOD_PARTS[part].month
    assert days is not None
    d1, d2 = days
    last = calendar.monthrange(year, month)[1]
    if d1 < 0:
        d1 = last + 1 + d1
    return date(year, month, d1), date(year, month, min(d2, last))


def _h_part(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    part = " ".join((g["part"] or "").lower().split())
    if g["mon"]:
        if _PERIOD_PARTS[part].month is None:
            return None
        mon = _MONTHS[(g["mon"] or "").rstrip(".").lower()]
        if g["my"]:
            return _Atom(s, e, fixed=(*_month_part(part, int(g["my"]), mon), "part"),
                         combinable=True)
        return _Atom(s, e, build=lambda y: _month_part(part, y, mon), precision="part",
                     combinable=True)
    if g["y"]:
        span = _year_part(part, int(g["y"]))
        return None if span is None else _Atom(s, e, fixed=span, combinable=True)
    rel = " ".join((g["rel"] or "").lower().split())
    unit = (g["unit"] or "").lower()
    if rel == "that":
        return _Atom(s, e)
    step = {"this": 0, "the": 0, "the current": 0, "last": 1, "next": -1, "the coming": -1}[rel]
    if unit == "year":
        if _year_part(part, 2000) is None:
            return None

        def year_fn(ref: date) -> Span3:
            span = _year_part(part, ref.year - step)
            assert span is not None
            return span

        return _Atom(s, e, rel=year_fn)
    if _PERIOD_PARTS[part].month is None:
        return None

    def month_fn(ref: date) -> Span3:
        d = _add_months(ref, -step)
        return (*_month_part(part, d.year, d.month), "part")

    return _Atom(s, e, rel=month_fn)


def _h_quarter_code(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    code = g["q"] or ""
    year = int(g["y"] or 0)
    n = int(code[1])
    if code[0] == "H":
        if n > 2:
            return None
        return _Atom(s, e, fixed=(date(year, 6 * n - 5, 1), _month_end(year, 6 * n), "part"),
                     combinable=True)
    return _Atom(s, e, fixed=(date(year, 3 * n - 2, 1), _month_end(year, 3 * n), "quarter"),
                 combinable=True)


def _season_span(season: str, year: int) -> tuple[date, date]:
    first = _SEASON_START[season]
    if first == 12:  # winter Y runs from December Y into February Y+1
        return date(year, 12, 1), _month_end(year + 1, 2)
    return date(year, first, 1), _month_end(year, first + 2)


def _h_season(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    season = (g["season"] or "").lower()
    det = (g["det"] or "").lower()
    if g["y"]:
        return _Atom(s, e, fixed=(*_season_span(season, _year_int(g["y"] or "")), "season"),
                     combinable=True)
    if _OF_NON_YEAR.match(text, e):  # "the fall of Bakhmut", "the spring of discontent"
        return None
    if season == "fall" and det not in ("this", "last", "next"):
        return None

    def build(y: int) -> tuple[date, date]:
        return _season_span(season, y)

    if det in ("this", "last", "next", "past"):
        def fn(ref: date) -> Span3:
            current = _infer_year(build, "season", ref)
            if det == "this":
                year = ref.year - 1 if season == "winter" and ref.month <= 2 else ref.year
                return (*build(year), "season")
            if det == "next":
                year = current[0].year + 1
                return (*build(year), "season")
            inside = current[0] <= ref <= current[1]
            year = current[0].year - 1 if inside else current[0].year
            return (*build(year), "season")

        return _Atom(s, e, rel=fn)
    weak = det != "the" and not _cued(text, s)
    return _Atom(s, e, build=build, precision="season", combinable=True, weak=weak)


def _quarter_span(year: int, first_month: int) -> Span3:
    return date(year, first_month, 1), _month_end(year, first_month + 2), "quarter"


def _quarter_of(d: date) -> Span3:
    return _quarter_span(d.year, (d.month - 1) // 3 * 3 + 1)


def _shift_years(span: Span3, years: int) -> Span3:
    """The same calendar period ``years`` back (a quarter stays a whole quarter)."""
    if years == 0:
        return span
    if span[2] == "quarter":
        return _quarter_span(span[0].year - years, span[0].month)
    return _add_months(span[0], -12 * years), _add_months(span[1], -12 * years), span[2]


def _fiscal_before(text: str, s: int) -> bool:
    m = re.search(r"([A-Za-z]+)[-\s]*\Z", text[max(0, s - 24):s])
    return m is not None and m.group(1).lower() in _FISCAL_WORDS


_ENDED_ON = re.compile(_S + _spaced(list(ENGLISH.period_end_words)) + _S + r"(?P<mon>" + _MONTH + r")"
                       + _S + r"(?P<d>" + _DAY + r")")
# A quarter ending this close to a calendar quarter's end is that calendar quarter (companies
# close on the last Friday or Saturday); further away it is a fiscal quarter.
_QUARTER_END_SLACK = 7


def _calendar_quarter_ended(text: str, e: int) -> int | None | bool:
    """The first month of the calendar quarter a period "ended Sept. 30" is; False when the day it
    ended on is no calendar quarter's end (a fiscal period); None when no end is given."""
    m = _ENDED_ON.match(text, e)
    if m is None:
        return None
    mon = _MONTHS[m.group("mon").rstrip(".").lower()]
    day = _day_int(m.group("d"))
    for last in (mon, mon - 1 if mon > 1 else 12):   # "ended Oct. 1": the quarter ended Sept. 30
        if last % 3 == 0:
            end = date(2001, last, calendar.monthrange(2001, last)[1])
            try:
                said = date(2001 if mon >= last else 2002, mon, day)
            except ValueError:
                return False
            if abs((said - end).days) <= _QUARTER_END_SLACK:
                return last - 2
    return False


def _h_quarter(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    ended = _calendar_quarter_ended(text, e)
    if ended is False:
        return None  # "its fourth quarter ended Sept. 30": a fiscal quarter
    if isinstance(ended, int) and not g["ord"] and not g["y"] and not g["rel"] and not g["ya"] \
            and not g["after"]:
        first_month = ended

        def ended_build(y: int) -> tuple[date, date]:
            return _quarter_span(y, first_month)[:2]

        return _Atom(s, e, build=ended_build, precision="quarter", combinable=True)
    det = " ".join((g["det"] or "").lower().split())
    ordinal = " ".join((g["ord"] or "").lower().split())
    noun = (g["noun"] or "").lower()
    back = int(bool(g["ya"] or g["after"]))
    if _fiscal_before(text, s):
        return None  # a fiscal quarter is not a calendar one
    if not (det or ordinal or g["y"] or g["rel"] or g["ya"]):
        return None  # "quarter" alone: "a quarter of the troops"
    if noun != _PERIOD_NOUNS[0] and (ordinal or not (
            g["y"] or g["ya"] or g["after"] or g["rel"] or det not in ("the", "that", "its", "this"))):
        return None  # "the third period" of a game; "the period" alone names none
    if _OF_NON_YEAR.match(text, e) and not g["after"]:
        return None  # "the quarter of the city"
    if ordinal:
        first = _QUARTER_ORDINALS[ordinal].year
        assert first is not None
        month = first[0]
        if isinstance(ended, int) and ended != month:
            return None  # "the second quarter ended Oct. 31": a fiscal quarter
        if g["y"]:
            return _Atom(s, e, fixed=_quarter_span(int(g["y"]), month), combinable=True)
        if g["rel"]:
            step = {"this": 0, "last": 1, "next": -1}[(g["rel"] or "").lower()] + back

            def rel_year_fn(ref: date) -> Span3:
                return _quarter_span(ref.year - step, month)

            return _Atom(s, e, rel=rel_year_fn, derived=bool(back))

        def build(y: int) -> tuple[date, date]:
            return _quarter_span(y, month)[:2]

        if back:
            def back_fn(ref: date) -> Span3:
                return _shift_years(_nearest_year(build, "quarter", ref), 1)

            return _Atom(s, e, rel=back_fn, derived=True)
        return _Atom(s, e, build=build, precision="quarter", combinable=True)
    if g["y"]:
        year = int(g["y"] or 0)
        return _Atom(s, e, fixed=(*_year_span(year), "year"), ref_kind="in_year", ref_year=year, derived=True)
    if g["rel"]:
        step = {"this": 0, "last": 1, "next": -1}[(g["rel"] or "").lower()]

        def year_fn(ref: date) -> Span3:
            return (*_year_span(ref.year - step), "year")

        return _Atom(s, e, rel=year_fn, ref_kind="in_year_rel", ref_step=step, derived=True)
    kind = _QUARTER_DETERMINERS.get(det, "reference")
    if kind == "reference":
        return _Atom(s, e, ref_kind="reference", ref_shift=back, derived=bool(back))
    offset = {"current": 0, "reference_or_current": 0, "latest": 1, "previous": 1,
              "following": -1}[kind]

    def own_fn(ref: date) -> Span3:
        this = _quarter_of(ref)
        return _shift_years(_quarter_of(_add_months(this[0], -3 * offset)), back)

    ref_kind = kind if kind.startswith("reference") else None
    return _Atom(s, e, rel=own_fn, ref_kind=ref_kind, ref_shift=back, derived=bool(back))


def _holiday_day(rule: dict[str, int], year: int) -> date:
    if "easter" in rule:
        return easter(year) + timedelta(days=rule["easter"])
    if "day" in rule:
        return date(year, rule["month"], rule["day"])
    first = date(year, rule["month"], rule.get("from_day", 1))
    first += timedelta(days=(rule["weekday"] - first.weekday()) % 7)
    return first + timedelta(days=7 * (rule.get("nth", 1) - 1))


def _h_holiday(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    name = " ".join((g["h"] or "").lower().replace("’", "'").split())
    rule = _HOLIDAYS[name]
    det = (g["det"] or "").lower()

    week = bool(g["week"])   # "Easter week", "Christmas week": the week the day falls in

    def build(y: int) -> tuple[date, date]:
        d = _holiday_day(rule, y)
        return _week(d) if week else (d, d)

    precision = "week" if week else "day"
    if det in ("last", "next"):
        def fn(ref: date) -> Span3:
            # "last Thanksgiving": the last one before publication; "next Easter" the coming one
            for k in range(0, 3):
                d = _holiday_day(rule, ref.year - k if det == "last" else ref.year + k)
                if (d < ref) if det == "last" else (d > ref):
                    return (*build(d.year), precision)
            raise ValueError("no such day")

        return _Atom(s, e, rel=fn)
    if det == "this":
        return _Atom(s, e, rel=lambda ref: (*build(ref.year), precision))
    return _Atom(s, e, build=build, precision=precision, combinable=True)


def _modified_days(mod: str, d: int) -> tuple[int, int] | None:
    kind = _AGO_MOD_KIND.get(mod, "exact")
    if kind == "exact":
        return None
    if kind == "approximate":
        w = max(1, round(d * 0.2))
        return max(0, d - w), d + w
    if kind == "slightly_more":
        return d + 1, d + max(1, math.ceil(d * 0.3))
    if kind == "more":
        return d + 1, d + max(2, math.ceil(d * 0.5))
    if kind == "slightly_less":
        return max(0, d - max(1, math.ceil(d * 0.3))), max(0, d - 1)
    return 0, max(0, d - 1)  # less


# A count the "ago" pattern does not read, just before its unit ("75 million years ago",
# "thousands of years ago": no "few years ago"; a fossil's age had been dated 2009-2012), or a
# match inside a number ("2,000 years ago" is no "000 years ago"). "$10 million a year ago" is
# a year ago.
_UNREAD_COUNT = re.compile(r"(?:\d|\b" + _words(ENGLISH.scale_words, "i") + r"s?|\bof)" + _S + r"$")
_INSIDE_NUMBER = re.compile(r"\d[,.]$")


def _h_ago(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    raw_unit = (g["unit"] or "").lower()
    unit = _unit_name(raw_unit)
    if (g["n"] is None and (not raw_unit.endswith("s") or _UNREAD_COUNT.search(text, max(0, s - 20), s))) \
            or _INSIDE_NUMBER.search(text, max(0, s - 2), s):
        return None
    try:
        lo, hi, vague = _count(g["n"] or "a few")
    except ValueError:
        return None
    mod = " ".join((g["mod"] or "").lower().split())
    days = None if vague else _modified_days(mod, lo * _UNIT_DAYS[unit])
    if unit in ("month", "year", "decade") and _AGO_MOD_KIND.get(mod) in ("slightly_less", "slightly_more"):
        # "nearly four years ago", "just over a year ago": that calendar year (or month), as
        # "four years ago" is; a window counted in days would cut across years for no reason
        days = None

    def fn(ref: date) -> Span3:
        if days is not None:
            return ref - timedelta(days=days[1]), ref - timedelta(days=days[0]), "range"
        if lo == hi and lo <= 2 and unit == "week":
            # "a week ago", "two weeks ago" mean about that day, not the whole calendar week
            # around it; "six weeks ago" is that week (a day would be false precision)
            d = _shift(ref, unit, lo)
            return d, d, "day"
        if lo == hi:
            return _unit_containing(_shift(ref, unit, lo), unit)
        first = _unit_containing(_shift(ref, unit, hi), unit)
        last = _unit_containing(_shift(ref, unit, lo), unit)
        return first[0], last[1], "range"

    return _Atom(s, e, rel=fn)


def _h_past(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    if _OF_NON_YEAR.match(text, e):  # "the last days of the war" is not a rolling window
        return None
    raw_unit = (g["unit"] or "").lower()
    unit = _unit_name(raw_unit)
    try:
        n = _past_count(g["n"], raw_unit.endswith("s"))
    except ValueError:
        return None

    def fn(ref: date) -> Span3:
        return _shift(ref, unit, n), ref, "range"

    return _Atom(s, e, rel=fn)


def _h_recent(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    unit = _unit_name(g["unit"] or "")
    n = _PAST_VAGUE["few"]

    def fn(ref: date) -> Span3:
        return _shift(ref, unit, n), ref, "range"

    return _Atom(s, e, rel=fn)


def _h_event(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    if g["unit"] and not g["n"] and not (g["unit"] or "").lower().endswith("s"):
        return None  # "month after month", "year before last"
    return _Atom(s, e)


def _h_earlier(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    if not g["this"]:
        return _Atom(s, e)  # "earlier that week": relative to another event
    later = (g["which"] or "").lower() == "later"
    unit = (g["unit"] or "").lower()

    def fn(ref: date) -> Span3:
        if unit == "week":
            first, last = _week(ref)
        elif unit == "month":
            first, last = _month_span(ref.year, ref.month)
        else:
            first, last = _year_span(ref.year)
        if later:
            return min(ref + timedelta(days=1), last), last, "range"
        return first, max(first, ref - timedelta(days=1)), "range"

    return _Atom(s, e, rel=fn)


def _h_this_last(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    which = " ".join((g["which"] or "").lower().split())
    step = {"this": 0, "the current": 0, "last": 1, "next": -1, "the coming": -1,
            "this coming": -1}[which]
    if g["mon"]:
        mon = _MONTHS[(g["mon"] or "").rstrip(".").lower()]
        if g["d"] and step != 0:
            day = _day_atom(s, e, mon, _day_int(g["d"] or ""), None, None)
            if day is None or day.build is None:
                return None
            day_build = day.build

            def day_fn(ref: date) -> Span3:
                # "last Oct. 23": the last 23 October before publication; "next May 1" the
                # first one after it
                for k in range(0, 9):
                    try:
                        d = day_build(ref.year - k if step == 1 else ref.year + k)[0]
                    except ValueError:
                        continue
                    if (d < ref) if step == 1 else (d > ref):
                        return d, d, "day"
                raise ValueError("no such day")

            return _Atom(s, e, rel=day_fn)

        def month_fn(ref: date) -> Span3:
            if step == 0:
                year = ref.year
            elif step == 1:
                year = ref.year if mon < ref.month else ref.year - 1
            else:
                year = ref.year if mon > ref.month else ref.year + 1
            return (*_month_span(year, mon), "month")

        return _Atom(s, e, rel=month_fn)
    if g["wd"]:
        wd = _WEEKDAYS[(g["wd"] or "").lower()]

        def weekday_fn(ref: date) -> Span3:
            if step == 0:
                d = _week(ref)[0] + timedelta(days=wd)
            elif step == 1:
                d = ref - timedelta(days=(ref.weekday() - wd) % 7 or 7)
            else:
                d = ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
            return d, d, "day"

        return _Atom(s, e, rel=weekday_fn)
    unit = (g["unit"] or "").lower()
    if unit in ("morning", "afternoon", "evening", "night"):
        if step == -1 or (step == 1 and unit != "night"):
            return None
        offset = 1 if step == 1 else 0

        def day_fn(ref: date) -> Span3:
            d = ref - timedelta(days=offset)
            return d, d, "day"

        return _Atom(s, e, rel=day_fn)

    def unit_fn(ref: date) -> Span3:
        if unit in ("week", "weekend"):
            monday = _week(ref)[0] - timedelta(days=7 * step)
            if unit == "weekend":
                return monday + timedelta(days=5), monday + timedelta(days=6), "range"
            return monday, monday + timedelta(days=6), "week"
        if unit == "month":
            d = _add_months(ref, -step)
            return (*_month_span(d.year, d.month), "month")
        return (*_year_span(ref.year - step), "year")

    atom = _Atom(s, e, rel=unit_fn)
    atom.this_weekend = unit == "weekend" and step == 0
    return atom


def _h_the_weekend(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    return _h_this_last({"which": "this", "unit": "weekend", "mon": None, "d": None, "wd": None}, text, s, e)


def _weekend_gone(rel: RefFn) -> RefFn:
    """"Talks this weekend produced a text", written on a weekday: a past clause tells of the
    weekend just gone, not the one ahead in the week of publication."""
    def fn(ref: date) -> Span3:
        start, end, precision = rel(ref)
        if start > ref:
            start, end = start - timedelta(days=7), end - timedelta(days=7)
        return start, end, precision

    return fn


def _h_weekday(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    return _Atom(s, e, weekday=_WEEKDAYS[(g["wd"] or "").lower()])


def _weekday_fn(wd: int, future: bool) -> RefFn:
    """A bare weekday in a dated text: the most recent such day on or before the reference, or,
    when the clause speaks of the future, the first one on or after it."""
    def fn(ref: date) -> Span3:
        shift = (wd - ref.weekday()) % 7 if future else -((ref.weekday() - wd) % 7)
        d = ref + timedelta(days=shift)
        return d, d, "day"

    return fn


def _h_year(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    nxt = _NEXT_WORD.match(text, e)
    if nxt:
        word = nxt.group(1)
        plural = len(word) > 2 and word.endswith("s") and not word.endswith("ss")
        if plural and word not in _NOT_PLURAL and _prev_word(text, s) not in _YEARISH_PREV:
            return None  # "some 2000 troops": a count, not a year
    return _Atom(s, e, fixed=(*_year_span(int(g["y"] or 0)), "year"), combinable=True)


def _h_year_said(g: Groups, text: str, s: int, e: int) -> _Atom | None:
    said_as_year = text[s:e].lower().startswith("the") or _cued(text, s) \
        or re.match(r"[^\S\n]*(?:[.,;:!?)\]]|\Z)", text[e:e + 2]) is not None
    if not said_as_year:
        return None  # "two thousand people", "nineteen twenty-dollar bills": a count
    return _Atom(s, e, fixed=(*_year_span(_year_int(g["y"] or "")), "year"), combinable=True)


Handler = Callable[[Groups, str, int, int], "_Atom | None"]
_HANDLERS: dict[str, Handler] = {
    "iso_range": _h_iso_range, "iso": _h_iso, "short_range": _h_short_range,
    "decade_num": _h_decade_num, "decade_word": _h_decade_word, "dayword": _h_dayword,
    "week_of": _h_week_of, "quarter_code": _h_quarter_code, "part": _h_part, "quarter": _h_quarter,
    "holiday": _h_holiday,
    "season": _h_season, "ago": _h_ago, "past": _h_past, "recent": _h_recent,
    "event": _h_event, "earlier": _h_earlier, "this_last": _h_this_last, "the_weekend": _h_the_weekend, "dmy": _h_dmy,
    "mdy": _h_mdy, "weekday": _h_weekday, "year": _h_year, "year_said": _h_year_said,
}
assert set(_HANDLERS) == set(_ORDER)


def _dispatch(name: str, m: re.Match[str], text: str) -> _Atom | None:
    groups = {short: m.group(full) for full, short in _GROUPS[name]}
    return _HANDLERS[name](groups, text, m.start(), m.end())


def _scan(text: str, routed: bool = True, language: Language = ENGLISH) -> list[_Atom]:
    """Atoms in ``text``; ``routed=False`` tries every alternative at every trigger (a check)."""
    atoms: list[_Atom] = []
    pos = 0
    lowered = text.lower()
    same_offsets = len(lowered) == len(text)  # then the fast case-sensitive trigger is safe
    triggers = _TRIGGER.finditer(lowered) if same_offsets else _trigger_anycase().finditer(text)
    keys = {"d": "#d", "a": "#'", "q": "#q"}
    for trigger in triggers:
        if trigger.start() < pos:
            continue
        if routed:
            kind = trigger.lastgroup or ""
            key = trigger.group("w").lower() if kind == "w" else keys[kind]
            m = _ROUTES[key].match(text, trigger.start())
        else:
            m = _combined().match(text, trigger.start())
        if m is None:
            continue
        name = m.lastgroup or ""
        atom = _dispatch(name, m, text)
        if atom is None:  # rejected: give the later alternatives their chance at this spot
            for other in _ORDER[_ORDER.index(name) + 1:]:
                m2 = _single(other).match(text, m.start())
                if m2 is not None:
                    atom = _dispatch(other, m2, text)
                    if atom is not None:
                        break
        if atom is not None:
            if atom.ref_kind is None and " ".join(text[atom.s:atom.e].lower().split()) in _YEAR_AGO_COMPARISONS:
                atom.ref_kind, atom.ref_shift = "comparison", 1
            if atom.precision == "quarter" and atom.build is not None:
                atom.unmarked = True   # a quarter is reported on after it ends: the nearest one
            elif atom.build is not None or atom.weekday is not None:
                tense = _possessive_tense(text, atom, language) \
                    or ("past" if _prev_word(text, atom.s) in language.past_prepositions else None) \
                    or tense_of(text, atom.s, atom.e, language, _SENTENCE_REACH)
                atom.deadline = _prev_word(text, atom.s) in language.deadline_words \
                    or (tense == "past" and _planned_after_past(text, atom.s, language))
                if tense == "past" and atom.build is not None and _present_after_past(text, atom.s, language):
                    tense = None
                weekday_ahead = atom.weekday is not None and (
                    _deferred_to(text, atom.s, language) or (tense is None and _scheduled(text, atom.s, language)))
                if weekday_ahead or (atom.weekday is None and tense != "future"
                                     and comes_into_force(text, atom.s, atom.e, language)):
                    tense = "future"
                atom.future, atom.unmarked = tense == "future", tense is None
            elif atom.this_weekend and atom.rel is not None \
                    and tense_of(text, atom.s, atom.e, language, _SENTENCE_REACH) == "past":
                atom.rel = _weekend_gone(atom.rel)
            elif name == "dayword" and text[atom.s:atom.e].lower().endswith("hours") \
                    and tense_of(text, atom.s, atom.e, language, _SENTENCE_REACH) == "past":
                # "the summit ended within three hours": hours counted from the happening told,
                # as "three hours later" is, not the day of writing ("talks open within hours")
                atom.rel = None
            atoms.append(atom)
            pos = atom.e
    return atoms


# --------------------------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------------------------


def _merge(a: _Atom, b: _Atom, s: int) -> _Atom | None:
    """Join two atoms into a range, letting a year written on one side serve the other."""
    if a.fixed is not None and b.fixed is not None:
        fixed: Span3 = (a.fixed[0], b.fixed[1], "range")
    elif a.build is not None and b.fixed is not None:
        year = b.fixed[0].year
        try:
            start = a.build(year)[0]
            if start > b.fixed[0]:
                start = a.build(year - 1)[0]
        except ValueError:
            return None
        fixed = (start, b.fixed[1], "range")
    elif a.fixed is not None and b.build is not None:
        year = a.fixed[1].year
        try:
            end = b.build(year)[1]
            if end < a.fixed[1]:
                end = b.build(year + 1)[1]
        except ValueError:
            return None
        fixed = (a.fixed[0], end, "range")
    elif a.build is not None and b.build is not None:
        a_build, b_build, b_precision = a.build, b.build, b.precision
        future = a.future or b.future

        def fn(ref: date) -> Span3:
            b_start, b_end, _ = _infer_year(b_build, b_precision, ref, future)
            start = a_build(b_start.year)[0]
            if start > b_start:
                start = a_build(b_start.year - 1)[0]
            return start, b_end, "range"

        return _Atom(s, b.e, rel=fn)
    else:
        return None
    if fixed[0] > fixed[1]:
        return None
    return _Atom(s, b.e, fixed=fixed)


def _combine(text: str, atoms: list[_Atom]) -> list[_Atom]:
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if a.combinable and i + 1 < len(atoms) and atoms[i + 1].combinable:
            b = atoms[i + 1]
            conn = _CONNECTOR.match(text, a.e, b.s)
            if conn is not None:
                opener = _RANGE_OPENER.search(text, max(0, a.s - 12), a.s)
                word = (conn.group("word") or "").lower()
                between = opener is not None and opener.group("w").lower() == "between"
                if (word == "and") == between:
                    start = opener.start("w") if opener is not None else a.s
                    merged = _merge(a, b, start)
                    if merged is not None:
                        out.append(merged)
                        i += 2
                        continue
        out.append(a)
        i += 1
    return out


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def _to_span(atom: _Atom, text: str, anchor: Anchor, offset: int = 0) -> DateSpan:
    start: date | None
    end: date | None
    if atom.fixed is not None:
        start, end, precision = atom.fixed
        relative = False
    elif atom.build is not None:
        build, build_precision, future = atom.build, atom.precision, atom.future
        deadline = atom.deadline
        if atom.unmarked:
            ahead_days = _DEADLINE_AHEAD_DAYS if deadline else _UNMARKED_AHEAD_DAYS
            start, end, precision = _against(
                anchor, lambda ref: _nearest_year(build, build_precision, ref, False, ahead_days))
        elif future:
            start, end, precision = _against(anchor, lambda ref: _infer_year(build, build_precision, ref, True))
        else:
            start, end, precision = _against(
                anchor, lambda ref: _past_year(build, build_precision, ref, False, deadline))
        relative = True
    elif atom.weekday is not None:
        start, end, precision = _against(anchor, _weekday_fn(atom.weekday, atom.future))
        relative = True
    elif atom.rel is not None:
        start, end, precision = _against(anchor, atom.rel)
        relative = True
    else:
        start, end, precision, relative = None, None, "undated", True
    return DateSpan(start, end, precision, text[atom.s:atom.e], atom.s + offset,
                    atom.e + offset, relative)


def find_dates(text: str, anchor: Anchor, language: Language = ENGLISH) -> list[DateSpan]:
    """Every date expression in ``text``, in order and non-overlapping.

    Bare ambiguous words ("May", "spring") only count with a cue word before them or as the end
    of a range, so modal verbs and first names are not read as dates.
    """
    spans: list[DateSpan] = []
    reference: Span3 | None = None   # the quarter the text last named
    last: DateSpan | None = None     # the last date the text gave
    for atom in _atoms(text, language):
        if atom.weak:
            continue
        span: DateSpan | None = _to_span(atom, text, anchor)
        if atom.ref_kind == "comparison" and _about_longer_period(text, atom.s, language):
            # that longer period a year back: only its year is known
            start, end, precision = _against(anchor, lambda ref: (*_year_span(ref.year - 1), "year"))
            span = DateSpan(start, end, precision, span.text, span.char_start, span.char_end, True)
        elif atom.ref_kind is not None:
            span = _against_reference(atom, span, reference, anchor)
        if span is None:
            continue
        if span.start is None and last is not None:
            span = _from_last_date(span, last, text)
        if span.precision == "quarter" and span.start is not None and span.end is not None \
                and not atom.derived and not atom.ref_shift \
                and (reference is None or anchor.end is None or span.end <= anchor.end) \
                and not _in_background(text, atom.s, language):
            # a quarter not over at publication ("losses through the third quarter of 1990")
            # is a forecast after the text has named the period it reports on; first named,
            # it is that period (a fiscal quarter that ended on Sept. 30)
            reference = (span.start, span.end, "quarter")
        if spans and span.precision == "day" and span.start is not None:
            joined = _counted_from_next(spans[-1], span, text)
            if joined is not None:
                spans[-1] = last = joined
                continue
        if span.start is not None:
            last = span
        spans.append(span)
    return spans


@lru_cache(maxsize=8)
def _longer(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’])" + _spaced(list(words)) + r"(?![\w'’])")


def _about_longer_period(text: str, s: int, language: Language) -> bool:
    """The sentence before a year-over-year comparison names a period of several months ("in
    the latest nine months, compared with 40% a year earlier")."""
    if not language.longer_periods:
        return False
    window = text[max(0, s - 200):s]
    cuts = [m.end() for m in _AHEAD_BREAK.finditer(window) if _is_break(window, m, language)]
    return _longer(language.longer_periods).search(window, cuts[-1] if cuts else 0) is not None


_ARTICLE_ADJECTIVE = re.compile(r"[^\S\n]+(?:(?i:an?|the)[^\S\n]+)?(?:[a-z]+[^\S\n]+)?\Z")


def _in_background(text: str, s: int, language: Language) -> bool:
    """A period in a phrase opened by "after", "since", ... ("After a flat second quarter")."""
    m = _ARTICLE_ADJECTIVE.search(text, max(0, s - 30), s)
    start = m.start() if m else s
    return _prev_word(text, start) in language.background_prepositions


_COUNTED_BEFORE = re.compile(r"(?i:the[^\S\n]+)?(?P<n>" + _NUMEXPR + r"[^\S\n]+)?(?P<unit>(?i:days?|weeks?))"
                             r"[^\S\n]+(?P<dir>(?i:before|after))")


def _counted_from_next(counted: DateSpan, day: DateSpan, text: str) -> DateSpan | None:
    """"the day before last Tuesday's hearing", "two days after Christmas": a count before or
    after the day written next to it is that day moved, one expression; None otherwise."""
    if counted.start is not None or text[counted.char_end:day.char_start].strip():
        return None
    m = _COUNTED_BEFORE.fullmatch(counted.text)
    if m is None or day.start is None or not (m["n"] or counted.text.lower().startswith("the")):
        return None   # "eight trading days after Oct. 12": the count is not the expression's
    try:
        lo, hi, vague = _count(m["n"].strip()) if m["n"] else (1, 1, False)
    except ValueError:
        return None
    if vague or lo != hi:
        return None
    days = lo * _UNIT_DAYS[_unit_name(m["unit"])] * (-1 if m["dir"].lower() == "before" else 1)
    d = day.start + timedelta(days=days)
    return DateSpan(d, d, "day", text[counted.char_start:day.char_end], counted.char_start, day.char_end, True)


_RELATIVE_DIRECTIONS = dict(ENGLISH.relative_directions)
_DAY_PARTS = frozenset(ENGLISH.day_parts)
_UNIT_OF = {**{u: u for u in _UNIT_DAYS}, **{u + "s": u for u in _UNIT_DAYS}, **{p: "day" for p in _DAY_PARTS}}
# The coarsest precision a reference may have for a count in each unit: "the next day" after
# "in 1998" says nothing about a day.
_REFERENCE_COARSEST = {"day": Precision.DAY, "week": Precision.WEEK, "fortnight": Precision.WEEK,
                       "month": Precision.MONTH, "year": Precision.YEAR, "decade": Precision.YEAR}


def _fine_enough(last: DateSpan, unit: str) -> bool:
    if last.precision == Precision.RANGE:   # a range can only set a year, and only within one
        return unit in ("year", "decade") and last.start is not None and last.end is not None \
            and last.start.year == last.end.year
    return PRECISIONS.index(last.precision) <= PRECISIONS.index(_REFERENCE_COARSEST[unit])
_CLAUSE_AFTER = re.compile(r"[^\S\n]+[\w\"“‘']")


def _from_last_date(span: DateSpan, last: DateSpan, text: str) -> DateSpan:
    """An expression counted from the happening told before it ("the following year", "later
    that year", "the same day", "a year earlier") read against the last date the same text gave,
    as a reader does; one counted from a clause ("ten days before the vote") is left undated."""
    assert last.start is not None and last.end is not None
    words = span.text.lower().split()
    units = [_UNIT_OF[w] for w in words if w in _UNIT_OF]
    directions = [_RELATIVE_DIRECTIONS[w] for w in words if w in _RELATIVE_DIRECTIONS]
    if len(units) != 1 or not directions or not _fine_enough(last, units[0]):
        return span
    unit = units[0]
    if words[-1] in _RELATIVE_DIRECTIONS and _CLAUSE_AFTER.match(text, span.char_end):
        return span   # "ten days before the vote": counted from the vote
    if 0 in directions:   # "that year", "the same day", "later that year"
        if unit == "day" and last.start != last.end:
            return span
        start, end, precision = _unit_containing(last.start, unit) if unit != "decade" else (
            last.start, last.end, last.precision)
        return DateSpan(start, end, precision, span.text, span.char_start, span.char_end, True)
    if words[-1] in _DAY_PARTS:   # "the next morning": the day after
        d = last.start + timedelta(days=directions[0])
        return DateSpan(d, d, "day", span.text, span.char_start, span.char_end, True)
    return count_from(span, last.start)


def _against_reference(atom: _Atom, span: DateSpan, reference: Span3 | None,
                       anchor: Anchor) -> DateSpan | None:
    """A period read against the quarter the text last named ("the quarter", "the 1988 period",
    "up from $3 million a year ago" after "third-quarter net"); without one, its own reading
    ("this quarter": publication's), or nothing when it has none ("the quarter")."""
    kind = atom.ref_kind
    if reference is None:
        return None if kind == "reference" else span
    if kind == "in_year":
        assert atom.ref_year is not None
        found = _quarter_span(atom.ref_year, reference[0].month)
    elif kind == "in_year_rel":
        if anchor.start is None or anchor.precision == "year":
            return span
        found = _quarter_span(anchor.start.year - atom.ref_step, reference[0].month)
    else:
        found = _shift_years(reference, atom.ref_shift)
    return DateSpan(found[0], found[1], found[2], span.text, span.char_start, span.char_end, True)


# Detection does not depend on the anchor: within one extract stage, events and plan terms read
# the same sentences, so their atoms are kept for the stage (remember_dates) and found once. The
# key holds the language's tense words: what is kept never depends on which language came first.
_ATOM_CACHE: dict[tuple[str, str], list[_Atom]] | None = None


def remember_dates(on: bool) -> None:
    """Keep each text's detected expressions until switched off (one extract stage)."""
    global _ATOM_CACHE
    _ATOM_CACHE = {} if on else None


@per_object
def _reading_key(language: Language) -> str:
    """Every word list a clause's tense is read with (what the kept atoms depend on), as one
    string: made once per language object (pipeline/once.py), and a string keeps its hash (a
    tuple of the lists, hashed again at every lookup, was 1% of a cold build's per-source work)."""
    return repr((*language.tense_words, tuple(sorted(language.abbreviations)), language.auxiliary_words,
                 language.past_perfect, language.tense_exceptions, language.deadline_words,
                 language.present_words, language.past_prepositions, language.deferral_words,
                 language.schedule_verbs, language.in_force_verbs))


def _atoms(text: str, language: Language) -> list[_Atom]:
    if _ATOM_CACHE is None:
        return _combine(text, _scan(text, language=language))
    key = (_reading_key(language), text)
    atoms = _ATOM_CACHE.get(key)
    if atoms is None:
        atoms = _ATOM_CACHE[key] = _combine(text, _scan(text, language=language))
    return atoms


def parse_expression(expr: str, anchor: Anchor, language: Language = ENGLISH) -> DateSpan | None:
    """Read an analyst-typed date; the whole string must be one expression.

    A bare month or season is accepted here (the analyst meant a date), and a leading
    preposition ("in 2022", "over the past few weeks") is tolerated.
    """
    lead = _LEADING_PREP.match(expr)
    body_start = lead.end() if lead else 0
    body = expr[body_start:].rstrip(" \t\r\n.,;:")
    if not body:
        return None
    atoms = _combine(body, _scan(body, language=language))
    if len(atoms) != 1 or atoms[0].s != 0 or atoms[0].e != len(body):
        return None
    return _to_span(atoms[0], body, anchor, body_start)


_COUNTED = re.compile(
    r"(?:(?P<n>[\w -]+?)\s+)?(?P<unit>day|week|fortnight|month|year)s?"
    r"\s+(?P<dir>later|afterwards?|after|earlier|before|prior)"
    r"|the\s+(?P<dir2>next|following|subsequent|previous|preceding)\s+(?P<unit2>day|week|month|year)",
    re.IGNORECASE)


def count_from(span: DateSpan, ref: date) -> DateSpan:
    """Resolve an expression counted from another event ("a few weeks later", "the previous
    month") against that event's date; any other span comes back unchanged. Counts and vague
    quantities mean what they mean for "… ago" against the publication date."""
    m = _COUNTED.fullmatch(span.text.strip())
    if span.start is not None or m is None:
        return span
    unit = (m["unit"] or m["unit2"]).lower()
    back = (m["dir"] or m["dir2"]).lower() in ("earlier", "before", "prior", "previous", "preceding")
    try:
        lo, hi, _ = _count(m["n"]) if m["n"] else (1, 1, False)
    except ValueError:
        return span
    if back:
        start, end = _shift(ref, unit, hi), _shift(ref, unit, lo)
    else:
        start, end = _shift(ref, unit, -lo), _shift(ref, unit, -hi)
    if unit == "month" and (m["unit2"] or lo == hi):
        # "the previous month", "a month later": a calendar month, not a day counted to the day
        start, end = _month_span(start.year, start.month)[0], _month_span(end.year, end.month)[1]
        precision = "month" if start.month == end.month and start.year == end.year else "range"
        return DateSpan(start, end, precision, span.text, span.char_start, span.char_end, True)
    if unit == "year":
        # "the next year", "one year later": a year, never a single day
        start, end = date(min(start.year, end.year), 1, 1), date(max(start.year, end.year), 12, 31)
        return DateSpan(start, end, "year" if start.year == end.year else "range", span.text,
                        span.char_start, span.char_end, True)
    return DateSpan(start, end, "range" if start != end else "day", span.text, span.char_start,
                    span.char_end, True)
