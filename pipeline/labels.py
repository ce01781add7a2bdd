"""Shortening text for a label, a cell or a message, never mid-word.

Every place that shows only the start of a longer text (titles, short names, change labels,
quotes in error messages and worksheets) goes through `clip`, so a reader never sees
"prisoner exchanges, ho" and cannot mistake a cut word for a different one.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
# Punctuation left dangling at a cut ("talks, …", "peace (…") reads as a typo.
_DANGLING = ",;:-–—(/[{“‘\"' "
_SPACE = re.compile(r"\s+")


def clip(text: object, limit: int, mark: str = ELLIPSIS) -> str:
    """`text` (whitespace runs collapsed) if it fits in `limit` characters, else its longest
    start that ends at a word boundary, followed by `mark`.

    A first word longer than `limit` (a URL, a long compound) is kept whole rather than cut:
    the label is then longer than asked, but never wrong."""
    flat = _SPACE.sub(" ", "" if text is None else str(text)).strip()
    if len(flat) <= limit:
        return flat
    room = max(1, limit - len(mark))
    head = flat[:room + 1]
    cut = head.rfind(" ")
    if cut <= 0:                                   # no boundary in reach: the whole first word
        cut = flat.find(" ")
        head = flat if cut < 0 else flat[:cut]
    else:
        head = head[:cut]
    head = head.rstrip(_DANGLING)
    return head + mark if head != flat else flat
