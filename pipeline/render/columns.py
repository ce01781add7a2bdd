"""Multi-column boxes that fill their columns in turn are laid out once per page, not twice.

WeasyPrint 70 lays out each page's columns in a trial pass, to learn whether the content fits
at full height (which only column balancing needs), then again for real. With
`column-fill: auto` the answer changes nothing: the columns are full height either way. For the
source notes (two columns, hundreds of entries) the trial pass was a quarter of their layout
work (counted with bench/layout_cost.py).

The trial's first call to block_box_layout is answered "nothing fits here", which sends
WeasyPrint straight to its real pass with the height it would have used anyway. Only for boxes
where that holds: columns filled in turn, height auto, no `column-span: all` child (which is
laid out before the trial) and no footnotes on the way (whose area the trial measures). The
seed briefing's PDF is byte-identical with and without this (tests/test_render.py).
"""

from __future__ import annotations

from typing import Any

import weasyprint.layout.block as block

_columns_layout = block.columns_layout
_NOTHING_FITS = (None, None, {"break": "any", "page": None}, [], False, None)


def _fills_in_turn(context: Any, box: Any) -> bool:
    style = box.style
    return (style["column_fill"] == "auto" and style["height"] == "auto"
            and all(child.style["column_span"] != "all" for child in box.children)
            and not context.footnotes and not context.current_page_footnotes
            and not context.reported_footnotes)


def columns_layout(context: Any, box: Any, *args: Any) -> Any:
    if not _fills_in_turn(context, box):
        return _columns_layout(context, box, *args)
    real = block.block_box_layout
    skipped = []

    def trial_skipped(*layout_args: Any, **kwargs: Any) -> Any:
        if not skipped:
            skipped.append(True)
            block.block_box_layout = real       # everything after the trial is laid out as usual
            return _NOTHING_FITS
        return real(*layout_args, **kwargs)

    block.block_box_layout = trial_skipped
    try:
        return _columns_layout(context, box, *args)
    finally:
        block.block_box_layout = real


block.columns_layout = columns_layout
