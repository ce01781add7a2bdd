"""A publication date from a date line at the top of a plain-text or Markdown source.

A text saved without a sidecar often still says when it appeared, on a short line under its
title: "Harbour Gazette | 27 November 2025", "*Weekly Letter, 1 December 2025*",
"Published: 2025-11-27". Without it every relative date in the piece ("on Friday") stays
unresolved, so the reader offers that date as the file's own metadata (a sidecar still wins),
and the appendix says where it came from so an analyst can check it.

Only a complete date counts (day, month and year all written), only on one of the first few
short lines after the title, and only where the line is mostly that date (never an all-numeric 03/12/2025, which reads
either way round): a sentence of the
article that happens to contain a date is not a date line. python-dateutil (already installed
with pandas) reads the date, so month names are its English ones, as htmldate's are for pages.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.readers import Hint

MAX_LINES = 4            # lines after the title that may carry the date
MAX_CHARS = 90           # a date line is short; a paragraph is not one
MAX_OTHER_WORDS = 6      # words on the line besides the date (outlet, "Published", a byline)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_SENTENCE = re.compile(r"[a-z]{2,}[.!?](?:\s|$)")
_WORD = re.compile(r"[A-Za-z]+")
_NUMERIC = re.compile(r"(?<!\d)\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?!\d)")   # 03/12/2025: day or month first?


def _complete_date(line: str) -> tuple[str, int] | None:
    """(ISO date, words left over) when the line holds one complete date, else None."""
    import warnings

    from dateutil import parser

    # A time zone dateutil does not know ("10:28am EST") only loses the time, never the date.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", parser.UnknownTimezoneWarning)
        try:
            a, rest = parser.parse(line, fuzzy_with_tokens=True, default=datetime(1900, 1, 1))
            b = parser.parse(line, fuzzy=True, default=datetime(1904, 2, 2))
        except (ValueError, OverflowError, TypeError):
            return None
    if a != b:                      # some field came from the default: not written in the line
        return None
    other = sum(len(_WORD.findall(token)) for token in rest)
    return a.date().isoformat(), other


_PARTS = re.compile(r"\s*[|•·;]\s*")     # "Friday 5 June 2026 · by Lena Forsberg · 6 min read"


def date_line(text: str) -> tuple[str, str] | None:
    """(ISO date, the line it was read from), or None. A line set in parts ("Friday 5 June 2026
    · by Lena Forsberg · 6 min read") is read part by part when it does not read whole: the
    reading time's number would be taken for the date's."""
    lines = [ln.strip(" \t*_#>") for ln in text.split("\n")[1:] if ln.strip()]
    for line in lines[:MAX_LINES]:
        if len(line) > MAX_CHARS or not _YEAR.search(line) or _SENTENCE.search(line) or _NUMERIC.search(line):
            continue
        for part in [line, *(p for p in _PARTS.split(line) if p != line)]:
            found = _complete_date(part) if _YEAR.search(part) else None
            if found and found[1] <= MAX_OTHER_WORDS and 1900 <= int(found[0][:4]) <= 2100:
                return found[0], line
    return None


HINT_LINES = 12         # lines of the text as read where the date line is looked for again


def line_hint(text: str, line: str) -> Hint | None:
    """The line of the text as read that holds the date line a reader took the date from, as
    boilerplate: it says when the piece appeared and reports no happening ("Friday 5 June 2026 ·
    by Lena Forsberg" was an event row), so it is kept but never cited. None when the date line
    is inside prose, or not among the text's first lines."""
    from pipeline.readers import Hint  # (here: pipeline.readers imports this module)

    start = 0
    for own in text.split("\n", HINT_LINES)[:HINT_LINES]:     # the first lines only: no split of the whole text
        if line in own and len(own) <= 2 * MAX_CHARS and not _SENTENCE.search(own):
            return Hint(start, start + len(own), "boilerplate")
        start += len(own) + 1
    return None


def with_hint(hints: tuple[Hint, ...], text: str, line: str) -> tuple[Hint, ...]:
    """`hints` with the date line's, when it is found (see line_hint)."""
    found = line_hint(text, line)
    return (*hints, found) if found else hints


def line_note(line: str) -> str:
    """What the appendix says of a date read from a date line."""
    return f"date from the line \u201c{line}\u201d under the title: check it"
