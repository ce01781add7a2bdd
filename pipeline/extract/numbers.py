"""Quantity extraction: numbers written in digits or words, with the unit noun that follows.

Figures such as troop ceilings or the number of points in a plan are compared across sources,
so "one hundred and eighty five thousand", "185,000" and "185 000" must all read as the same
value.  Words are converted with ``text2num``; this module only decides where a number starts
and ends and what it counts.  Numbers that belong to a date expression ("August 15", "in
2022", "three days ago") are left to :mod:`pipeline.extract.dates`, which sees the context
needed to tell a year from a count.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from pipeline.extract.dates import Anchor, find_dates
from pipeline.language import ENGLISH, Language


@dataclass(frozen=True)
class Quantity:
    """A number found in a text; ``text`` and offsets cover the number, not the unit."""

    value: float | int
    unit: str | None
    text: str
    char_start: int
    char_end: int


# Number words come from the packaged language resource (pipeline/english.yaml); text2num reads
# the same English words.
_SCALES = {w: v for w, v in ENGLISH.scale_words.items() if v >= 1_000}
_NUMBER_WORDS = [*ENGLISH.number_words, *ENGLISH.tens_words, *ENGLISH.scale_words, "dozen"]

_S = r"[^\S\n]+"
_TOKEN = "(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?![a-z])"
_SCALE = "(?:" + "|".join(_SCALES) + r")(?![a-z])"
_SUFFIXES = dict(ENGLISH.scale_suffixes)
_SUFFIX = "(?:" + "|".join(sorted(_SUFFIXES, key=len, reverse=True)) + r")(?![\w-])"
# Matched against the lower-cased text (same offsets), so no case-insensitive matching is needed.
_NUMBER = re.compile(
    # digits: 100,000 | 250 000 | 1.5 — not inside identifiers (F-16, #165), times or fractions
    r"(?<![\w.,#/:])(?<![a-z]-)(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]"
    r"\d{3})+(?!\d)|\d+(?:\.\d+)?)(?![.,:/]\d|\d)(?!(?:st|nd|rd|th)(?![a-z]))"
    r"(?:" + _S + r"(?P<scale>" + _SCALE + r")|(?P<suffix>" + _SUFFIX + r"))?"
    # words: one hundred and eighty five thousand | twenty-eight | a million
    r"|(?<![\w-])(?P<words>(?:an?" + _S + r"(?=(?:hundred|thousand|million|billion|dozen)"
    r"(?![a-z])))?" + _TOKEN + r"(?:(?:" + _S + r"and" + _S + r"|" + _S + r"|-)" + _TOKEN
    + r")*)"
)
_NUMBER_ANYCASE = re.compile(_NUMBER.pattern, re.IGNORECASE)
# Longest run of words read as one number ("one hundred and eighty five thousand three hundred
# and twenty one" is 13); bounds the work on pathological runs such as "one one one ...".
_MAX_TOKENS = 16
_WORD_TOKEN = re.compile(r"[a-z]+")
_NEXT_WORD = re.compile(r"(?:-|[^\S\n]*)(%|[A-Za-z]{1,40}(?:-[A-Za-z]{1,40}){0,3})(?![A-Za-z-])")
_SECOND_WORD = re.compile(r"[^\S\n]+([A-Za-z]{1,40}(?:-[A-Za-z]{1,40}){0,3})(?![A-Za-z-])")


@lru_cache(maxsize=4096)
def _words_value(words: tuple[str, ...]) -> int | None:
    """Value of a run of number words, or None when text2num does not read it as one number."""
    if words and words[-1] == "dozen":
        head = words[:-1]
        base = 1 if not head or head in (("a",), ("an",)) else _words_value(head)
        return None if base is None else base * 12
    if "dozen" in words:
        return None
    if words and words[0] in ("a", "an"):
        words = ("one", *words[1:])
    try:
        return int(text2num(" ".join(words), "en"))
    except ValueError:
        return None


def _split_words(text: str, start: int) -> list[tuple[int, int, int]]:
    """Cut a run of number words into the longest pieces that each read as one number.

    "one two" or "nineteen ninety" are sequences, not one number; each piece is
    (value, char_start, char_end) relative to the whole text.
    """
    tokens = [(m.group(), start + m.start(), start + m.end()) for m in _WORD_TOKEN.finditer(text)]
    pieces: list[tuple[int, int, int]] = []
    i = 0
    while i < len(tokens):
        if tokens[i][0] == "and":
            i += 1
            continue
        for j in range(min(len(tokens), i + _MAX_TOKENS), i, -1):
            if tokens[j - 1][0] in ("and", "a", "an"):
                continue
            value = _words_value(tuple(t[0] for t in tokens[i:j]))
            if value is not None:
                pieces.append((value, tokens[i][1], tokens[j - 1][2]))
                i = j
                break
        else:
            i += 1
    return pieces


def _unit(text: str, end: int, unit_words: dict[str, str]) -> str | None:
    """Canonical unit of the noun after the number, allowing one adjective in between."""
    first = _NEXT_WORD.match(text, end)
    if first is None:
        return None
    unit = _lookup(first.group(1), unit_words)
    if unit is not None or first.group(1) == "%":
        return unit
    second = _SECOND_WORD.match(text, first.end())
    return None if second is None else _lookup(second.group(1), unit_words)


def _lookup(word: str, unit_words: dict[str, str]) -> str | None:
    return unit_words.get(word) or unit_words.get(word.lower())


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


_GLUED = re.compile(r"-([A-Za-z]+)")
_LAST_WORD = re.compile(r"([A-Za-z]+)\.?[^\S\n]*\Z")


def _is_label(text: str, start: int, end: int, labels: frozenset[str],
              suffixes: frozenset[str]) -> bool:
    """A number that names rather than counts: after a label noun ("Article 5", "point 3",
    "Section 2"), or glued by a hyphen to a likeness word ("5-like", "Minsk-2-style")."""
    glued = _GLUED.match(text, end)
    if glued is not None and glued.group(1).lower() in suffixes:
        return True
    if labels:
        m = _LAST_WORD.search(text, max(0, start - 20), start)
        if m is not None and m.group(1).lower() in labels:
            return True
    return False


@lru_cache(maxsize=16)
def _lowered(words: tuple[str, ...]) -> frozenset[str]:
    """A word list as a lower-case set, made once per list (find_quantities runs per sentence)."""
    return frozenset(w.lower() for w in words)


def find_quantities(text: str, unit_words: dict[str, str] | None = None,
                    label_nouns: list[str] | None = None,
                    label_suffixes: list[str] | None = None,
                    language: Language = ENGLISH) -> list[Quantity]:
    """Every quantity in ``text``, in order.

    A number-word of value below two ("one wonders", "one of two options") is only a quantity
    when a unit word follows; the caller decides which nouns are units through ``unit_words``
    and which nouns make the number after them a label ("Article 5") through ``label_nouns``.
    Dates (read with ``language``, the build's) are never quantities.
    """
    units = unit_words or {}
    labels = _lowered(tuple(label_nouns or ()))
    suffixes = _lowered(tuple(label_suffixes or ()))
    lowered = text.lower()
    haystack = lowered if len(lowered) == len(text) else text
    pattern = _NUMBER if haystack is lowered else _NUMBER_ANYCASE
    matches = list(pattern.finditer(haystack))
    if not matches:      # most sentences: no number, so no need to read their dates (a fifth of ingest)
        return []
    date_spans = [(d.char_start, d.char_end) for d in find_dates(text, Anchor.parse(None), language)]
    date_starts = [s for s, _ in date_spans]

    def in_date(start: int, end: int) -> bool:
        k = bisect.bisect_right(date_starts, start) - 1
        if k >= 0 and date_spans[k][1] > start:
            return True
        return k + 1 < len(date_spans) and date_spans[k + 1][0] < end

    found: list[Quantity] = []
    for m in matches:
        if m.group("digits") is not None:
            digits = m.group("digits")
            value: float = float(re.sub(r"[,\s\u00a0\u202f]", "", digits))
            if m.group("scale"):
                value *= _SCALES[m.group("scale").lower()]
            elif m.group("suffix"):
                value *= _SUFFIXES[m.group("suffix").lower()]
            start, end = m.start(), m.end()
            if in_date(start, end):
                continue
            if _is_label(text, start, end, labels, suffixes):
                continue
            found.append(Quantity(_number(value), _unit(text, end, units), text[start:end],
                                  start, end))
            continue
        for value_int, start, end in _split_words(haystack[m.start():m.end()].lower(), m.start()):
            if in_date(start, end):
                continue
            unit = _unit(text, end, units)
            if value_int < 2 and unit is None:
                continue  # "one" as a pronoun
            if _is_label(text, start, end, labels, suffixes):
                continue
            found.append(Quantity(value_int, unit, text[start:end], start, end))
    return found

