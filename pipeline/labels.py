"""How text and dates are shown: shortened never mid-word, dated never more precisely than known.

Every place that shows only the start of a longer text (titles, short names, change labels,
quotes in error messages and worksheets) goes through `clip`, so a reader never sees
"prisoner exchanges, ho" and cannot mistake a cut word for a different one.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from pipeline.vocab import Precision

ELLIPSIS = "…"
# Punctuation left dangling at a cut ("talks, …", "peace (…") reads as a typo.
_DANGLING = ",;:-–—(/[{“‘\"' "
# a run of white space that is not one plain space (what `\s+` -> " " changes, found faster)
_SPACE = re.compile(r"\s{2,}|[^\S ]")


def clip(text: object, limit: int, mark: str = ELLIPSIS) -> str:
    """`text` (whitespace runs collapsed) if it fits in `limit` characters, else its longest
    start that ends at a word boundary, followed by `mark`.

    A first word longer than `limit` (a URL, a long compound) is kept whole rather than cut:
    the label is then longer than asked, but never wrong."""
    raw = "" if text is None else str(text)
    room = max(1, limit - len(mark))
    if len(raw) > 4 * limit + 64:     # a long passage: only its start can show
        start = _SPACE.sub(" ", raw[:4 * limit + 64]).strip()
        if len(start) > max(limit, room + 1) and start.rfind(" ", 0, room + 1) > 0:
            return start[:start.rfind(" ", 0, room + 1)].rstrip(_DANGLING) + mark
    flat = _SPACE.sub(" ", raw).strip()
    if len(flat) <= limit:
        return flat
    head = flat[:room + 1]
    cut = head.rfind(" ")
    if cut <= 0:                                   # no boundary in reach: the whole first word
        cut = flat.find(" ")
        head = flat if cut < 0 else flat[:cut]
    else:
        head = head[:cut]
    head = head.rstrip(_DANGLING)
    return head + mark if head != flat else flat


def short_outlet(outlet: str, limit: int = 40) -> str:
    """An outlet's name where room is short (the who's who, the chronology's "reported by"): whole
    when it fits, else without its bracketed note, never cut inside the brackets ("Chatham House
    (news release, reposted by MIL-OSI)" had shown as "Chatham House (news release, reposted by")."""
    flat = _SPACE.sub(" ", outlet).strip()
    if len(flat) <= limit:
        return flat
    base = flat.split(" (", 1)[0].rstrip(_DANGLING)
    return clip(base if base else flat, limit, "")


MON = [calendar.month_abbr[i] for i in range(13)]


def date_label(start: str, end: str, precision: str, text: str = "") -> str:
    """Show a date no more precisely than the source gave it (the chronology, the worksheets
    and the changes page all print dates this way)."""
    if precision == Precision.UNDATED or not start:
        return "undated"
    a, b = date.fromisoformat(start), date.fromisoformat(end or start)
    if precision == Precision.DAY:
        return f"{a.day} {MON[a.month]} {a.year}"
    if precision == Precision.MONTH:
        return f"{MON[a.month]} {a.year}"
    if precision == Precision.YEAR:
        return str(a.year)
    if precision == Precision.QUARTER:
        return f"Q{(a.month - 1) // 3 + 1} {a.year}"
    if precision == Precision.SEASON:
        season = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}.get(a.month, "season")
        return f"{season} {a.year}"
    if precision == Precision.WEEK:
        return f"week of {a.day} {MON[a.month]} {a.year}"
    if precision == Precision.PART:
        if (a.year, a.month) == (b.year, b.month):
            part = "early" if b.day <= 10 else ("mid" if a.day >= 11 and b.day <= 20 else "late")
            return f"{part} {MON[a.month]} {a.year}"
        part = "early" if b.month <= 4 else ("mid" if a.month >= 5 and b.month <= 8 else "late")
        return f"{part} {a.year}"
    return range_label(a, b)


def range_label(a: date, b: date) -> str:
    """A range, each end as precise as it is, sharing what both ends share:
    "18–20 Dec 2025", "21 Nov – 3 Dec 2025", "Sep–Oct 2025", "Feb 2022 – 2024", "2022–2024"."""
    def level(d: date, is_start: bool) -> str:
        if (d.month, d.day) == ((1, 1) if is_start else (12, 31)):
            return "year"
        last = calendar.monthrange(d.year, d.month)[1]
        return "month" if d.day == (1 if is_start else last) else "day"

    la, lb = level(a, True), level(b, False)
    if "day" in (la, lb):
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day} {MON[a.month]} {a.year}" if a.day == b.day else \
                f"{a.day}–{b.day} {MON[a.month]} {a.year}"
        if a.year == b.year:
            return f"{a.day} {MON[a.month]} – {b.day} {MON[b.month]} {a.year}"
        return f"{a.day} {MON[a.month]} {a.year} – {b.day} {MON[b.month]} {b.year}"
    if la == lb == "year":
        return str(a.year) if a.year == b.year else f"{a.year}–{b.year}"
    if la == lb == "month":
        if (a.year, a.month) == (b.year, b.month):
            return f"{MON[a.month]} {a.year}"
        if a.year == b.year:
            return f"{MON[a.month]}–{MON[b.month]} {a.year}"
    left = str(a.year) if la == "year" else f"{MON[a.month]} {a.year}"
    right = str(b.year) if lb == "year" else f"{MON[b.month]} {b.year}"
    return f"{left} – {right}"
