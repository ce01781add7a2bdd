"""How much of a section fits its pages, estimated before layout from the text it will print.

The PDF stays within its page bound at any corpus size because each capped section (the
chronology, the matrix, who's who, the framing table, the notes) gets a share of the pages and
prints, of its rows ranked by significance, as many as fit that share. A row's height is
estimated from its text: the words of each cell wrapped at the cell's width in characters (the
stylesheet's column widths and font sizes, in mm and pt), times the line height, plus the
cell padding; the tallest cell is the row. Laying the pages out to find out would take a
layout per try; this takes microseconds per row, and errs on the tall side (`EM` is a generous
average advance), so a section comes out a little shorter than its share, not longer.

The shares are `page_budget` in inputs/briefing.yaml (pages per section); the numbers below
are templates/briefing.css's, and change with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.pack.timeline import Figure

PT = 25.4 / 72                  # mm per point
EM = 0.54                       # average advance of a character, in ems (Inter and Noto Serif text)
NOTE_EM = 0.62                  # the same for the source notes (see note_height)
PORTRAIT = (178.0, 261.0)       # A4 text area, mm (210 × 297 less the @page margins)
LANDSCAPE = (269.0, 178.0)      # the matrix's landscape pages
CELL_PAD = 2 * 2.6 * PT + 0.4 * PT   # top and bottom padding of a table cell, and its rule
SIDE_PAD = 2 * 4 * PT                # left and right padding of a table cell
PAGE_BUDGET = {"chronology": 8.0, "matrix": 5.0, "framing": 1.5, "who": 4.0, "notes": 7.0, "coverage": 1.0}


def lines(text: str, width_mm: float, font_pt: float, em: float = EM) -> int:
    """Lines a text takes wrapped at width_mm in a font of font_pt (0 for no text)."""
    words = str(text or "").split()
    if not words:
        return 0
    per_line = max(4, int(width_mm / (font_pt * PT * em)))
    n, used = 1, 0
    for word in words:
        need = len(word) + (1 if used else 0)
        if used and used + need > per_line:
            n, used = n + 1, len(word)
            n += (len(word) - 1) // per_line       # a word longer than the line breaks inside it
        else:
            used += need
    return n


def block(texts: Iterable[tuple[str, float, float, float]]) -> float:
    """Height (mm) of texts stacked in one cell: (text, width mm, font pt, line height)."""
    return sum(lines(t, w, f) * f * lh * PT for t, w, f, lh in texts)


def note_marks(row: dict, default: int = 1) -> str:
    """The note numbers a row prints, as wide as they will be: `n_cites` numbers of `digits`
    digits (the notes are numbered up to the notes' budget), and "+N" when `more` are left out."""
    marks = ["0" * row.get("digits", 2)] * row.get("n_cites", default)
    return " ".join(marks + (["+00"] if row.get("more") else []))


def chronology_row(row: dict) -> float:
    """A chronology row (templates: table.chron): # 5 mm, date 23 mm, event, reported by 31 mm."""
    event_w = PORTRAIT[0] - 5 - 23 - 31 - 4 * SIDE_PAD
    cites = note_marks(row)
    sub = " · ".join(x for x in (", ".join(row.get("actors", [])), ", ".join(row.get("places", [])),
                                 row.get("plan", "")) if x)
    check = f" {row['check']}: CHECK THE DATE" if row.get("check") else ""
    event = block([(f"{row.get('title', '')} {cites} {'UNREVIEWED' if row.get('unreviewed') else ''}{check}",
                    event_w, 7.8, 1.34), (sub, event_w, 7.3, 1.3)])
    source = block([(row.get("sources", ""), 31 - SIDE_PAD, 7.8, 1.34),
                    (row.get("corroboration", ""), 31 - SIDE_PAD, 7.3, 1.3)])
    date = block([(row.get("date", ""), 23 - SIDE_PAD, 7.8, 1.34)])
    return max(event, source, date) + CELL_PAD


def who_row(row: dict) -> float:
    """A who's who row (table.who): name 36 mm, type 19 mm, affiliation and role, mentioned by 38 mm."""
    middle = PORTRAIT[0] - 36 - 19 - 38 - 4 * SIDE_PAD
    name = block([(f"{row.get('name', '')} {note_marks(row, 2)}", 36 - SIDE_PAD, 7.8, 1.34)])
    aff = block([(row.get("affiliation", ""), middle, 7.8, 1.34), (row.get("role", ""), middle, 7.3, 1.3)])
    src = block([(f"{row.get('sources', '')} (000)", 38 - SIDE_PAD, 7.8, 1.34)])
    return max(name, aff, src) + CELL_PAD


def note_height(quote: str, where: str, backrefs: int = 2) -> float:
    """A source note (ol.notes, two columns at 7.5 pt): its share of one column's height. Its
    back links (one per place that cites it) take room on its last line too."""
    column = (PORTRAIT[0] - 6) / 2 - 5.5
    links = " ↩" * max(1, backrefs)
    # NOTE_EM: the notes' mix of quoted serif and italic source lines sets wider than body text;
    # measured on a 120-source high-diversity build (estimate 485 mm against 562 mm laid out).
    return (lines(f"000. “{quote}” {where}{links}", column, 7.5, NOTE_EM) * 7.5 * 1.3 * PT + 2.2 * PT) / 2


def framing_row(cells: list[str], n_columns: int, subject: str = "") -> float:
    """A framing row (table.framing): subject 25 mm, one column per source."""
    width = (PORTRAIT[0] - 25) / max(1, n_columns) - SIDE_PAD
    return max([block([(c, width, 7.8, 1.34)]) for c in cells]
               + [block([(subject, 25 - SIDE_PAD, 7.8, 1.34)])]) + CELL_PAD


def coverage_row(cells: list[str], n_columns: int) -> float:
    """A coverage row (table.coverage, automatic layout): kind 25 mm, the rest shared evenly
    among the columns (the layout gives a full cell more, so this errs on the tall side); the
    count on a line of its own at 9 pt above each cell's text."""
    width = (PORTRAIT[0] - 25) / max(1, n_columns) - SIDE_PAD
    return max([block([(c, width, 7.8, 1.34)]) + 9 * 1.42 * PT for c in cells] or [0.0]) + CELL_PAD


def matrix_item(text: str, n_plans: int) -> float:
    """One source's item in a matrix cell (table.matrix, landscape, 7.1 pt): provision 31 mm."""
    width = (LANDSCAPE[0] - 31) / max(1, n_plans) - SIDE_PAD
    return block([(f"{text} 00 00", width, 7.1, 1.3)])


def timeline_mm(figure: Figure | None) -> float:
    """Height (mm) of the chronology's figure: the SVG drawn at the text width, and its caption."""
    return float(figure.height) * PORTRAIT[0] / figure.width + 14.0 if figure else 0.0


def budget_mm(section: str, budgets: dict[str, float] | None = None) -> float:
    """The height a section may fill, in mm of its pages (a share of a page counts as such)."""
    pages = (budgets or {}).get(section, PAGE_BUDGET[section])
    return pages * (LANDSCAPE[1] if section == "matrix" else PORTRAIT[1])


HEADER_ROW = 7.2 * 1.34 * PT + CELL_PAD    # a table's header row (th at 7.2 pt), repeated on every page


def fitting_pages(heights: Iterable[float], room: float, page: float = PORTRAIT[1],
                  header: float = HEADER_ROW) -> int:
    """How many of a table's rows, in the order given, fit in `room` mm of pages `page` mm tall,
    laid out as the stylesheet lays a table out: a row never breaks across pages (one that does
    not fit the rest of a page starts the next, and that rest stays empty) and every page
    repeats the header row. Summing the rows' heights alone let a long table run a third over
    its share when its rows are tall (real news: long sentences, many names)."""
    used = on_page = header
    n = 0
    for h in heights:
        if on_page + h > page and on_page > header:     # to the next page, under its header
            used += page - on_page + header
            on_page = header
        if used + h > room:
            break
        used, on_page, n = used + h, on_page + h, n + 1
    return n


def fitting(heights: Iterable[float], room: float) -> int:
    """How many of the rows, in the order given, fit in `room` mm."""
    used, n = 0.0, 0
    for h in heights:
        if used + h > room:
            break
        used, n = used + h, n + 1
    return n
