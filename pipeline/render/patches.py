"""The renderer's only reach past WeasyPrint's public API, fenced here and applied explicitly.

Everything else in pipeline/render/ uses the public surface (HTML.render, CSS, Document,
Page.anchors, the URL fetcher; pypdf's PdfWriter). Two things have no public way at a cost we
can pay, so they stay, written against one WeasyPrint version and checked:

- NUMBERS, pause before the margins (layout.make_all_pages, layout.make_margin_boxes).
  A part cannot know its page numbers until the parts before it are laid out. WeasyPrint lays
  out the page margins (where the numbers are) only after all the content, so a part lays out
  its content, reports its page count, waits for its first number and the total, and only then
  makes its margins. Without this (the public path, render/worker.py) a part laid out before
  its numbers are known is laid out again with them: a cold build's layout work doubles.
- COLUMNS, skip the trial pass of columns filled in turn (layout.block.columns_layout, and
  block_box_layout for one call). WeasyPrint lays out each page of a multi-column box once
  to learn whether it fits at full height, which only balancing needs; with `column-fill: auto`
  the answer changes nothing. For the source notes that trial is a quarter of their layout
  work; the pages are byte-identical with and without (tests/test_render.py).

apply() installs both only when the installed WeasyPrint is the version they were written for
(WEASYPRINT); otherwise it says so once on stderr and returns False, and the renderer takes the
public path: the same briefing, slower. tests/test_patches.py checks a digest of each upstream
function a patch depends on (DEPENDS_ON), so an upgrade fails a test before it can change a page.
Measured costs of dropping each patch and of the public replacements: bench/README.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import weasyprint
import weasyprint.layout
import weasyprint.layout.block as block

WEASYPRINT = "70.0"
# The upstream functions each patch relies on, with a digest of their source in WEASYPRINT
# (tests/test_patches.py recomputes them: a change upstream fails a test there).
DEPENDS_ON = {
    "numbers": {"weasyprint.layout.layout_document": "a5cbf437e99caf72",
                "weasyprint.layout.page.make_all_pages": "b5e4034894841caa",
                "weasyprint.layout.page.make_margin_boxes": "4a2d2e301eb3bc47"},
    "columns": {"weasyprint.layout.column.columns_layout": "7a05cce3272fc581",
                "weasyprint.layout.block.block_box_layout": "a6279066e3d9ff7d"},
}

_applied: bool | None = None
_ORIGINAL = {"make_margin_boxes": weasyprint.layout.make_margin_boxes,
             "make_all_pages": weasyprint.layout.make_all_pages,
             "columns_layout": block.columns_layout}


def apply(version: str | None = None) -> bool:
    """Install the patches if WeasyPrint is the version they were written for; True if they are
    in place. Called once by the render host at start-up (and by bench/layout_cost.py)."""
    global _applied
    installed = weasyprint.__version__ if version is None else version
    if installed != WEASYPRINT:
        if _applied is None:
            print(f"render: WeasyPrint {installed} is installed, but pipeline/render/patches.py was written "
                  f"for {WEASYPRINT}: rendering through the public API only (same briefing; a cold build lays "
                  f"each part out twice). To get the speed back, install weasyprint=={WEASYPRINT} "
                  "(constraints.txt), or check each patch against the new version and update WEASYPRINT "
                  "and tests/test_patches.py", file=sys.stderr, flush=True)
        _applied = False
        return False
    block.columns_layout = columns_layout
    _applied = True
    return True


def remove() -> None:
    """Put WeasyPrint's own functions back (tests compare with and without)."""
    global _applied
    weasyprint.layout.make_margin_boxes = _ORIGINAL["make_margin_boxes"]
    weasyprint.layout.make_all_pages = _ORIGINAL["make_all_pages"]
    block.columns_layout = _ORIGINAL["columns_layout"]
    _applied = None


def applied() -> bool:
    return bool(_applied)


# -- NUMBERS: pause before the margins

@contextmanager
def numbers_after_layout(numbers: tuple[int, int] | None,
                         ask: Callable[[int, dict[str, int]], tuple[int, int]]) -> Iterator[None]:
    """While rendering one document: number its pages from `numbers` = (pages before it, total).
    Given None, once the content is laid out call ask(page count, {id: page index}) for them.
    Only after apply(); the render must happen inside the `with`."""
    state = {"numbers": numbers}
    laid_out: list = []

    def all_pages(*args: Any) -> Any:
        laid_out.clear()
        for page in _ORIGINAL["make_all_pages"](*args):
            laid_out.append(page)
            yield page

    def margin_boxes(context: Any, page: Any, page_state: Any) -> Any:
        if state["numbers"] is None:          # first margin box: the content is all laid out
            state["numbers"] = ask(page_state[1]["pages"][-1], _anchors(laid_out))
        offset, total = state["numbers"]
        values = dict(page_state[1])
        values["page"] = [values["page"][-1] + offset]
        values["pages"] = [total]
        shifted = type(page_state)((page_state[0], values, *page_state[2:]))
        return _ORIGINAL["make_margin_boxes"](context, page, shifted)

    weasyprint.layout.make_margin_boxes = margin_boxes
    weasyprint.layout.make_all_pages = all_pages
    try:
        yield
    finally:
        weasyprint.layout.make_margin_boxes = _ORIGINAL["make_margin_boxes"]
        weasyprint.layout.make_all_pages = _ORIGINAL["make_all_pages"]


def _anchors(pages: list) -> dict[str, int]:
    """The page (0-based) of each element id, as WeasyPrint will place its anchor (the public
    Page.anchors exists only once render() has returned)."""
    found: dict[str, int] = {}
    for i, page in enumerate(pages):
        for box in page.descendants():
            name = box.style["anchor"] if box.style else None
            if name and name not in found:
                found[name] = i
    return found


# -- COLUMNS: no trial pass for columns filled in turn

_NOTHING_FITS = (None, None, {"break": "any", "page": None}, [], False, None)


def _fills_in_turn(context: Any, box: Any) -> bool:
    """Columns filled in turn, height auto, no `column-span: all` child (laid out before the
    trial) and no footnotes on the way (whose area the trial measures)."""
    style = box.style
    return (style["column_fill"] == "auto" and style["height"] == "auto"
            and all(child.style["column_span"] != "all" for child in box.children)
            and not context.footnotes and not context.current_page_footnotes
            and not context.reported_footnotes)


def columns_layout(context: Any, box: Any, *args: Any) -> Any:
    """The trial's first call to block_box_layout is answered "nothing fits here", which sends
    WeasyPrint straight to its real pass with the height it would have used anyway."""
    original = _ORIGINAL["columns_layout"]
    if not _fills_in_turn(context, box):
        return original(context, box, *args)
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
        return original(context, box, *args)
    finally:
        block.block_box_layout = real
