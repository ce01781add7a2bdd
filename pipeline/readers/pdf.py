"""PDF reports (.pdf): the text layer by pdfplumber, put back into paragraphs.

A PDF stores lines, not paragraphs. This reader rebuilds what a reader of the printed page
sees: running headers, footers and page numbers (text in the top or bottom margin that repeats
from page to page, or looks like a page number) are dropped; words hyphenated at a line break
are joined (the hyphen kept where the document spells the compound with one elsewhere); a
paragraph that runs over a page break is one paragraph; superscript note markers are left out
of the text so quotes match; lines in a larger or bold font are headings; footnotes (small
type at the foot of a page) become `reference` passages. A PDF without a text layer (a scan)
is refused with what to do.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from statistics import median

from pipeline.readers import ReadError, Reading, join_blocks, version
from pipeline.readers.furniture import web_furniture
from pipeline.vocab import Format

MARKERS = set("0123456789*†‡§¶")
PAGE_NUMBER = re.compile(r"^(page\s+)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(\s*(of|/)\s*\d{1,4})?$", re.I)
SOFT_HYPHENS = ("\u00ad", "\u2010")      # always a typesetter's break
TERMINAL = tuple('.!?:;"”’)')
COLUMN_GAP = 2.0                          # ems between two characters of one line that are in two columns
MARGIN = 0.09                             # top and bottom share of the page where running text sits
# A page printed from a browser ("Save as PDF"): the browser's user agent or its PDF library
# signs the file, and its header and footer carry the print date and time (with the page's
# title) and the page's URL (with the page counter).
BROWSER_CREATOR = re.compile(r"Mozilla/|Chrom(?:e|ium)\b|Firefox|Safari|\bEdg/|Opera", re.I)
BROWSER_PRODUCER = re.compile(r"^Skia/PDF", re.I)
PRINT_STAMP = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?"
                         r"(?:\s*[AaPp]\.?\s?[Mm]\.?)?(?:\s|$)")
PRINT_URL = re.compile(r"^(?:https?|file)://\S+")
PAGE_COUNTER = re.compile(r"(?:^|\s)(?:\d{1,4}\s*/\s*\d{1,4}|page\s+\d{1,4}\s+of\s+\d{1,4})$", re.I)
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


@dataclass
class Line:
    page: int
    text: str
    size: float
    bold: bool
    top: float
    bottom: float
    x0: float
    kind: str = "body"                    # body | heading | reference | furniture
    linked: int = 0                       # characters drawn inside a link (a browser keeps <a> as one)
    x1: float = 0.0


@dataclass
class Block:
    """A paragraph as printed: its text and where and how it is set (what a printed web page
    still tells of the markup it came from)."""

    kind: str
    text: str
    linked: float = 0.0                   # share of its characters drawn inside a link
    size: float = 0.0                     # its font size (the one most of its characters have)
    x0: float = 0.0                       # left edge
    x1: float = 0.0                       # right edge
    page: int = 0
    top: float = 0.0

    @property
    def pair(self) -> tuple[str, str]:
        return self.kind, self.text


def _open(data: bytes):  # noqa: ANN202 - a pdfplumber PDF
    import io

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for a broken file
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc   # pdfplumber wraps
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise ReadError("the PDF is password-protected (encrypted)",
                            "open it with its password and save or print it to a PDF without one, "
                            "or paste its text into a .txt") from None
        raise ReadError(f"cannot be read as a PDF ({type(exc).__name__})",
                        "save or export it as PDF again, or paste its text into a .txt") from None
    return pdf


def _dominant(chars: list[dict]) -> tuple[float, bool]:
    sizes = Counter(round(c["size"], 1) for c in chars if c["text"].strip())
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    bold = sum("bold" in c["fontname"].lower() for c in chars) > len(chars) / 2
    return size, bold


def _lines(pdf, max_bytes: int) -> tuple[list[Line], int, list[str]]:  # noqa: ANN001
    """Every text line of every page, superscript markers removed (their count returned), and
    what could not be read. Each page is closed once read: pdfplumber caches every character
    of a page it has seen (about 8 MB a page), so a long report would otherwise grow without
    bound. A page's content is checked against `max_bytes` before pdfminer inflates it."""
    from pipeline.readers.limits import check_pdf_page

    out: list[Line] = []
    dropped = 0
    lost: dict[str, list[int]] = {}
    for number, page in enumerate(pdf.pages, start=1):
        try:
            check_pdf_page(page, number, max_bytes)
            lines = _page_lines(page, number)
        except ReadError:
            raise
        except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for a broken page
            lost.setdefault(f"could not be read ({type(exc).__name__})", []).append(number)
            lines = None
        finally:
            page.close()
        if lines is None:
            out.append(Line(number, "", 0, False, page.height, page.height, 0, "page-end"))
            continue
        page_lines, markers, unread = lines
        dropped += markers
        if unread:
            lost.setdefault(unread, []).append(number)
        out.extend(page_lines)
        out.append(Line(number, "", 0, False, page.height, page.height, 0, "page-end"))
    return out, dropped, [f"{_pages(numbers)} {why}: text missing" for why, numbers in lost.items()]


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:8])) + (f" and {len(numbers) - 8} more" if len(numbers) > 8 else "")
    return f"page {shown}" if len(numbers) == 1 else f"pages {shown}"


DEDUPE_TOLERANCE = 1      # points: a glyph drawn again this close to itself is the same character


def _dedupe_chars(page):  # noqa: ANN001, ANN202 - a pdfplumber page
    """pdfplumber's Page.dedupe_chars(tolerance=1), the same characters kept, in the same order.
    Its last step puts the kept characters back in page order with `sorted(key=chars.index)`,
    which compares dicts from the start of the list for each one: quadratic in a page's
    characters (a 60-page report: 19 of its 28 s). Here the kept ones are filtered in place.
    The characters grouped by text, upright, font and size, clustered by top then left
    within the tolerance; in each cluster the first by position is kept (the library's rule)."""
    from pdfplumber.utils import cluster_objects

    key = itemgetter("upright", "text", "fontname", "size")
    position = itemgetter("doctop", "x0")
    keep: set[int] = set()
    for _, group in itertools.groupby(sorted(page.chars, key=key), key=key):
        for row in cluster_objects(list(group), itemgetter("doctop"), DEDUPE_TOLERANCE):
            for cluster in cluster_objects(row, itemgetter("x0"), DEDUPE_TOLERANCE):
                keep.add(id(min(cluster, key=position)))
    return page.filter(lambda o: o.get("object_type") != "char" or id(o) in keep)


def _page_lines(page, number: int) -> tuple[list[Line], int, str]:  # noqa: ANN001
    """One page's lines, the count of note markers left out, and why a page with content gave
    no text ('' when it gave text or was blank)."""
    out: list[Line] = []
    raised: set[tuple[float, float]] = set()
    # A glyph drawn twice at the same place (a browser's or a typesetter's fake bold) is one
    # character, not two ("MMiinnnneessoottaa").
    page = _dedupe_chars(page)
    lines = page.extract_text_lines(return_chars=True, strip=True)
    for line in lines:
        size, _ = _dominant(line["chars"])
        if not size:
            continue
        base = Counter(round(c["bottom"], 1) for c in line["chars"]
                       if round(c["size"], 1) == size).most_common(1)[0][0]
        for i, c in enumerate(line["chars"]):
            if (c["text"] in MARKERS and c["size"] < 0.8 * size and c["bottom"] < base - 0.5
                    and i > 0):
                raised.add((round(c["x0"], 2), round(c["top"], 2)))
    view = page
    if raised:    # the lines again without the markers (else the lines above are the page's: both loops only read them)
        view = page.filter(lambda o, r=raised: o.get("object_type") != "char"
                           or (round(o["x0"], 2), round(o["top"], 2)) not in r)
        lines = view.extract_text_lines(return_chars=True, strip=True)
    links = _link_boxes(page)
    found: list[list[dict]] = []

    def words() -> list[dict]:
        if not found:
            found.append(view.extract_words())
        return found[0]

    for line in lines:
        if not line["text"].strip():
            continue
        for text, chars in _segments(line, words):
            size, bold = _dominant(chars)
            linked = sum(1 for c in chars if c["text"].strip() and _inside(c, links)) if links else 0
            out.append(Line(number, text, size, bold, min(c["top"] for c in chars),
                            max(c["bottom"] for c in chars), chars[0]["x0"], linked=linked, x1=chars[-1]["x1"]))
    unread = ""
    if not out and not page.chars:
        if page.images:
            unread = "(an image without a text layer, scanned?)"
        elif not any(page.objects.values()) and _has_content(page):
            unread = "could not be read (a corrupt content stream?)"
    return out, len(raised), unread


def _segments(line: dict, words) -> list[tuple[str, list[dict]]]:  # noqa: ANN001 - a callable
    """A text line cut where its characters are set far apart (COLUMN_GAP ems): a line of the
    text and a line of a sidebar or a column beside it that sit on the same baseline are two
    lines, not one ("...the most expensive keeper in history. Caught"). `words()` gives the
    page's words (pdfplumber's, spaced as its lines are), read only for a line that is cut."""
    chars = [c for c in line["chars"] if c["text"].strip()]
    if not chars:
        return []
    size = _dominant(chars)[0]
    if not any(b["x0"] - a["x1"] > COLUMN_GAP * size for a, b in zip(chars, chars[1:], strict=False)):
        return [(line["text"], chars)]
    mine = sorted((w for w in words() if w["top"] >= line["top"] - 1 and w["bottom"] <= line["bottom"] + 1
                   and w["x0"] >= line["x0"] - 1 and w["x1"] <= line["x1"] + 1), key=lambda w: w["x0"])
    groups: list[list[dict]] = []
    for w in mine:
        if groups and w["x0"] - groups[-1][-1]["x1"] <= COLUMN_GAP * size:
            groups[-1].append(w)
        else:
            groups.append([w])
    out = []
    for group in groups:
        x0, x1 = group[0]["x0"] - 0.5, group[-1]["x1"] + 0.5
        part = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1]
        if part:
            out.append((" ".join(w["text"] for w in group), part))
    return out or [(line["text"], chars)]


def _link_boxes(page) -> list[tuple[float, float, float, float]]:  # noqa: ANN001
    """The page's link areas (x0, top, x1, bottom). A browser printing a page keeps each <a>
    as a link annotation over its text: what a reader could click, which on a news page is
    mostly the page's furniture (menus, teasers, related links), seldom the article."""
    try:
        return [(h["x0"], h["top"], h["x1"], h["bottom"]) for h in page.hyperlinks
                if h.get("uri") and None not in (h.get("x0"), h.get("top"), h.get("x1"), h.get("bottom"))]
    except Exception:  # noqa: BLE001 - a broken annotation array: no links, the text is still read
        return []


def _inside(char: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _has_content(page) -> bool:  # noqa: ANN001
    """Whether the page's content streams hold anything but whitespace."""
    from pdfminer.pdftypes import resolve1

    for ref in page.page_obj.contents or []:
        try:
            if resolve1(ref).get_data().strip():
                return True
        except Exception:  # noqa: BLE001 - unreadable counts as content that was lost
            return True
    return False


def _mark_furniture(lines: list[Line], heights: dict[int, float], pages: int) -> None:
    """Running headers and footers: margin text that repeats across pages (digits aside) or
    is a page number."""
    def shape(t: str) -> str:
        return re.sub(r"\d+", "#", t.casefold()).strip()

    in_margin = [ln for ln in lines if ln.kind == "body"
                 and (ln.bottom < heights[ln.page] * MARGIN or ln.top > heights[ln.page] * (1 - MARGIN))]
    counts = Counter(shape(ln.text) for ln in in_margin)
    for ln in in_margin:
        if PAGE_NUMBER.match(ln.text.strip()) or (pages > 1 and counts[shape(ln.text)] >= min(2, pages)):
            ln.kind = "furniture"


def _mark_kinds(lines: list[Line], body: float, footnotes: bool = True) -> None:
    """Headings (larger or bold short lines) and footnotes (small type closing a page; not on
    a printed web page, whose pages end wherever the printer cut it)."""
    for ln in lines:
        if ln.kind != "body":
            continue
        if ln.size > body * 1.08 or (ln.bold and len(ln.text.split()) <= 14 and not ln.text.endswith(".")):
            ln.kind = "heading"
    if not footnotes:
        return
    by_page: dict[int, list[Line]] = {}
    for ln in lines:
        if ln.kind in ("body", "heading"):
            by_page.setdefault(ln.page, []).append(ln)
    for page_lines in by_page.values():
        for ln in reversed(page_lines):
            if ln.size < body * 0.9:
                ln.kind = "reference"
            else:
                break


SIDE_BY_SIDE = 3             # line pairs at one height, either side of a gutter, that make a page two columns
COLUMN_FULL = 0.6            # share of its width a column's typical line fills (a table's cells fill less)
COLUMN_TAIL = 1.6            # line heights under the columns' last full line that are still theirs


def _gutter(lines: list[Line]) -> tuple[float, float, float] | None:
    """Where a page set in two columns divides them (an x between the columns) and where the
    columns begin and end down the page, or None.
    The right column's lines start at one left edge, past the page's first third; the page
    is in columns when at least SIDE_BY_SIDE of its lines stand beside a line of the other
    column at the same height (a pull quote or an indented list has none beside it)."""
    text = [ln for ln in lines if ln.kind in ("body", "heading", "reference") and ln.text.strip()]
    if len(text) < 2 * SIDE_BY_SIDE:
        return None
    left, right = min(ln.x0 for ln in text), max(ln.x1 for ln in text)
    edges = Counter(round(ln.x0) for ln in text if ln.x0 > left + (right - left) / 3)
    if not edges:
        return None
    edge = edges.most_common(1)[0][0] - 1.0
    lefts = [ln for ln in text if ln.x1 <= edge]
    rights = [ln for ln in text if ln.x0 >= edge]
    beside = sum(1 for a in lefts if any(b.top < a.bottom and a.top < b.bottom for b in rights))
    # Columns of running text fill their width; a table's cells do not ("14 July 2026" beside
    # "Talks resume in Tessin": a row, read across, not a column of dates then one of events).
    full = [median(ln.x1 - ln.x0 for ln in lane) / (b - a) if lane else 0.0
            for lane, a, b in ((lefts, left, edge), (rights, edge, right))]
    if beside < SIDE_BY_SIDE or min(full) < COLUMN_FULL:
        return None
    # Where the columns are: from their first full line to their last, and the last lines of
    # their paragraphs just under it; a table or a footnote set below them is read across.
    filled = [ln for lane, a, b in ((lefts, left, edge), (rights, edge, right)) for ln in lane
              if ln.x1 - ln.x0 >= COLUMN_FULL * (b - a)]
    height = median(ln.bottom - ln.top for ln in filled)
    return edge, min(ln.top for ln in filled), max(ln.bottom for ln in filled) + COLUMN_TAIL * height


def _in_reading_order(lines: list[Line]) -> list[Line]:
    """A printed report's lines in the order they are read: on a page set in two columns, the
    left column's lines, then the right's, within each stretch between lines set across both
    (a headline, a full-width table or a footnote). pdfplumber gives a page's lines by height,
    which interleaves the columns ("Our analysis finds that the minimum The water-sharing
    treaty initialled by ..."): every sentence of a two-column report was garbled."""
    out: list[Line] = []
    for _, group in itertools.groupby(lines, key=lambda ln: ln.page):
        page = list(group)
        ends = [ln for ln in page if ln.kind == "page-end"]
        page = [ln for ln in page if ln.kind != "page-end"]
        found = _gutter(page)
        if found is None:
            out.extend(page + ends)
            continue
        edge, top, bottom = found

        def by_column(x: Line, edge: float = edge) -> tuple[bool, float, float]:
            return x.x0 >= edge, x.top, x.x0       # the left column down the page, then the right

        stretch: list[Line] = []
        for ln in sorted(page, key=lambda x: (x.top, x.x0)):
            if ln.x0 < edge < ln.x1 or ln.bottom < top or ln.top > bottom:   # across both, or above or below them
                out.extend(sorted(stretch, key=by_column))
                out.append(ln)
                stretch = []
            else:
                stretch.append(ln)
        out.extend(sorted(stretch, key=by_column))
        out.extend(ends)
    return out


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def _join_hyphen(left: str, right: str, spelled: set[str]) -> str:
    """Join two lines; a word broken by a hyphen becomes one word unless the document spells
    it with the hyphen elsewhere (confidence-building)."""
    if not left:
        return right
    if left.endswith(SOFT_HYPHENS) and right[:1].isalpha():
        return left[:-1] + right
    m = re.search(r"(\w+)-$", left)
    if m and _starts_lower(right):
        first = right.split()[0].strip(".,;:!?)”’\"'")
        if f"{m.group(1)}-{first}".casefold() in spelled:
            return left + right
        return left[:-1] + right
    return f"{left} {right}"


def _paragraphs(lines: list[Line], spelled: set[str], share: float = 0.5, body: float = 0.0) -> list[Block]:
    """The lines as paragraphs, each with where and how it is set. `body` is the body text's
    size: a larger type's lines are spaced in proportion ("Readout: Minister Varnholt meets /
    Nordic port operators" is one headline set in 22 points over two lines, not two)."""
    blocks: list[Block] = []
    current: list[str] = []
    members: list[Line] = []
    kind = ""
    last: Line | None = None
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False)
            if a.kind == b.kind == "body" and a.page == b.page and b.top > a.bottom]
    gap = sorted(gaps)[int(len(gaps) * share)] if gaps else 3.0

    def flush() -> None:
        nonlocal current, members
        if current:
            text = ""
            for piece in current:
                text = _join_hyphen(text, piece, spelled)
            chars = sum(len("".join(m.text.split())) for m in members)
            sizes = Counter()
            for m in members:
                sizes[m.size] += len(m.text)
            blocks.append(Block(kind, text, sum(m.linked for m in members) / chars if chars else 0.0,
                                sizes.most_common(1)[0][0], min(m.x0 for m in members),
                                max(m.x1 for m in members), members[0].page, members[0].top))
        current = []
        members = []

    # Footnotes go after the body, so a paragraph running over a page break stays whole.
    ordered = [ln for ln in lines if ln.kind not in ("furniture", "page-end", "reference")]
    ordered += [ln for ln in lines if ln.kind == "reference"]
    for ln in ordered:
        new = (not current or ln.kind != kind or ln.kind == "heading" and last is not None and last.kind != "heading")
        if not new and last is not None:
            if (ln.page == last.page and ln.top >= last.top - 1) or ln.kind == "reference":
                scale = max(1.0, ln.size / body) if body else 1.0
                new = ln.top - last.bottom > (gap * 1.8 + 1) * scale or ln.size != last.size
                if ln.kind == "reference" and re.match(r"^(\d{1,3}|[*†‡§])[.)]?\s", ln.text):
                    new = True
            else:   # a new page or column: the paragraph goes on if it had not ended and this starts lower case
                new = current[-1].rstrip().endswith(TERMINAL) or not _starts_lower(ln.text)
        if new:
            flush()
            kind = ln.kind
        current.append(ln.text.strip())
        members.append(ln)
        last = ln
    flush()
    return blocks


LANE = 3.0                   # points: lines this close at their left edge are in one column


def _block(kind: str, members: list[Line], spelled: set[str]) -> Block:
    text = ""
    for m in members:
        text = _join_hyphen(text, m.text.strip(), spelled)
    chars = sum(len("".join(m.text.split())) for m in members)
    sizes: Counter = Counter()
    for m in members:
        sizes[m.size] += len(m.text)
    return Block(kind, text, sum(m.linked for m in members) / chars if chars else 0.0, sizes.most_common(1)[0][0],
                 min(m.x0 for m in members), max(m.x1 for m in members), members[0].page, members[0].top)


def _web_paragraphs(lines: list[Line], spelled: set[str]) -> list[Block]:
    """A printed web page's lines as paragraphs. A page sets its article, its sidebars and its
    teaser grids side by side, so the lines of two columns alternate down the page: a line
    goes on the paragraph last opened at its left edge (its column), in its font size, when
    it follows it closely (that size's own line spacing on this page), whatever lines of other
    columns were read in between."""
    ordered = [ln for ln in lines if ln.kind not in ("furniture", "page-end", "reference")]
    spacing: dict[tuple[float, int], list[float]] = {}      # (size, column) -> gaps between its lines
    last_in: dict[tuple[int, float, int], Line] = {}
    for ln in ordered:
        key = (ln.page, ln.size, round(ln.x0 / LANE))
        prev = last_in.get(key)
        if prev is not None and ln.top > prev.bottom:
            spacing.setdefault((ln.size, key[2]), []).append(ln.top - prev.bottom)
        last_in[key] = ln

    def low(gaps: list[float]) -> float:
        return sorted(gaps)[len(gaps) // 5] * 1.8 + 1

    everything = [g for gs in spacing.values() for g in gs]
    by_size: dict[float, list[float]] = {}
    for (size, _), gs in spacing.items():
        by_size.setdefault(size, []).extend(gs)
    limit = {key: low(gs if len(gs) >= 3 else by_size[key[0]]) for key, gs in spacing.items()}
    fallback = low(everything) if everything else 6.4
    paragraphs: list[tuple[str, list[Line]]] = []
    for ln in ordered:
        lane = next((p for p in reversed(paragraphs) if abs(p[1][-1].x0 - ln.x0) <= LANE), None)
        joined = False
        if lane is not None and lane[0] == ln.kind and lane[1][-1].size == ln.size:
            last = lane[1][-1]
            if ln.page == last.page:
                joined = 0 <= ln.top - last.bottom <= limit.get((ln.size, round(ln.x0 / LANE)), fallback)
            elif ln.page == last.page + 1:   # over a page break: if it had not ended and this starts lower case
                joined = not last.text.rstrip().endswith(TERMINAL) and _starts_lower(ln.text)
        if joined:
            lane[1].append(ln)
        else:
            paragraphs.append((ln.kind, [ln]))
    return [_block(kind, members, spelled) for kind, members in paragraphs]


def read(path: Path, data: bytes, max_bytes: int = 20 * 1024 * 1024) -> Reading:
    pdf = _open(data)
    try:
        heights = {i: p.height for i, p in enumerate(pdf.pages, start=1)}
        lines, markers, lost = _lines(pdf, max_bytes)
        meta_raw = pdf.metadata or {}
    finally:
        pdf.close()
    text_lines = [ln for ln in lines if ln.kind == "body"]
    if not text_lines:
        if lost and all("could not be read" in w for w in lost):
            raise ReadError(f"no page of the PDF could be read ({lost[0]})",
                            "save or export it as PDF again, or paste its text into a .txt")
        raise ReadError("the PDF has no text layer (a scanned image?)",
                        "run it through OCR first, or paste its text into a .txt file")
    sizes = Counter()
    for ln in text_lines:
        sizes[ln.size] += len(ln.text)
    body = sizes.most_common(1)[0][0]
    web = _web_printed(meta_raw, lines, heights)
    if web:
        _mark_print_furniture(lines, heights)
    _mark_furniture(lines, heights, len(heights))
    _mark_kinds(lines, body, footnotes=not web)
    spelled = {w.casefold() for ln in lines for w in re.findall(r"\w+-\w+", ln.text)}
    # A web page's many one-line blocks (menus, bylines, links) make the median gap a paragraph
    # break: a printed page's line spacing is its lower gaps.
    printed = _web_paragraphs(lines, spelled) if web else _paragraphs(_in_reading_order(lines), spelled, body=body)
    furniture = sum(len(ln.text) for ln in lines if ln.kind == "furniture") + markers

    def meta_text(key: str) -> str:
        value = meta_raw.get(key, "")
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        return " ".join(str(value).split())

    title = meta_text("Title")
    if web:
        return _web_reading(printed, title, meta_text, furniture, lost)
    blocks = [b.pair for b in printed]
    if blocks and blocks[0][0] == "heading":
        first = blocks[0][1]
        if not title or " ".join(first.split()).casefold() == title.casefold():
            title = first
            blocks = blocks[1:]
    text, hints = join_blocks(blocks, title)
    meta = {"title": title, "author": meta_text("Author"), "published": pdf_date(meta_text("CreationDate"))}
    notes = []
    if meta_text("Title"):
        notes.append("title and author from the PDF's document information")
    if meta["published"]:
        notes.append(f"date is the PDF's creation date ({meta['published']}): check it against the report")
    elif found := _top_date(lines):
        from pipeline.readers.dateline import with_hint

        meta["published"] = found[0]
        hints = with_hint(hints, text, found[1])
        notes.append(f"date from the line \u201c{found[1]}\u201d at the top of its first page "
                     "(the PDF records no creation date): check it against the document")
    return Reading(text, Format.PDF, version("pdfplumber"), {k: v for k, v in meta.items() if v}, hints,
                   structured=True, dropped_chars=furniture, notes=tuple(notes), lost=tuple(lost),
                   titled=bool(title) or None)


TOP_LINES = 8                # lines at the top of a document's first page where a date line is looked for


def _top_date(lines: list[Line]) -> tuple[str, str] | None:
    """A press release's or a report's own date line ("3 December 2026" under "FOR IMMEDIATE
    RELEASE") among the first lines of its first page, each line read alone, as a text's date
    line is (readers/dateline.py: a complete date, on a short line that is mostly that date)."""
    from pipeline.readers.dateline import date_line

    page = min((x.page for x in lines), default=0)
    first = [ln for ln in lines if ln.page == page and ln.kind in ("body", "heading")][:TOP_LINES]
    for ln in first:
        found = date_line("\n" + ln.text)
        if found:
            return found
    return None


def _web_printed(meta_raw: dict, lines: list[Line], heights: dict[int, float]) -> bool:
    """Printed from a browser: signed by one, or its print header and footer on the page."""
    sign = " ".join(str(meta_raw.get(k, "")) for k in ("Creator", "Producer"))
    if BROWSER_CREATOR.search(str(meta_raw.get("Creator", ""))) or BROWSER_PRODUCER.search(
            str(meta_raw.get("Producer", ""))) or "chrom" in sign.casefold():
        return True
    top = any(PRINT_STAMP.match(ln.text) for ln in lines if ln.kind == "body" and ln.bottom < heights[ln.page] * MARGIN)
    foot = any(PRINT_URL.match(ln.text) for ln in lines
               if ln.kind == "body" and ln.top > heights[ln.page] * (1 - MARGIN))
    return top and foot


def _mark_print_furniture(lines: list[Line], heights: dict[int, float]) -> None:
    """The browser's header (print date and time, title) and footer (URL, page n/m)."""
    for ln in lines:
        if ln.kind != "body":
            continue
        top, foot = ln.bottom < heights[ln.page] * MARGIN, ln.top > heights[ln.page] * (1 - MARGIN)
        text = ln.text.strip()
        if (top or foot) and (PRINT_STAMP.match(text) or PRINT_URL.match(text) or PAGE_COUNTER.search(text)
                              and len(text.split()) <= 12):
            ln.kind = "furniture"


def web_title(title: str, blocks: list[tuple[str, str]]) -> str:
    """The page's title without the site's suffix (" - BBC News", " | Hosted"): the part the
    page itself prints as its headline, else the part before a pipe."""
    lines = {" ".join(t.split()).casefold() for _, t in blocks}
    for sep in TITLE_SEPARATORS:
        if sep in title:
            head = title.rsplit(sep, 1)[0].strip()
            if head.casefold() in lines or sep == " | " and len(title.rsplit(sep, 1)[1].split()) <= 5:
                return head
    return title


LINKED = 0.5                 # a paragraph this much drawn inside links is the page's, not the article's
REPEATED = 3                 # a paragraph printed this often is the page's (an article does not repeat itself)
PROSE_WORDS = 8              # a paragraph of prose: this many words, ending a sentence
LONG_WORDS = 25              # ... or this many, however it ends
INDENT = 72                  # points a block quote or a list item is set in from the article's column, at most
START_WORDS = 15             # the article may start on a paragraph this long, however it ends
HEADER_BLOCKS = 2            # a standfirst above the byline: this many paragraphs at most,
HEADER_WORDS = 80            # of this many words in all
BYLINE_WORDS = 16           # a byline or a date line is short
END_RUN = 8                  # paragraphs of the page's furniture in a row that end the article
LABELS = 0.7                 # a paragraph this much made of capitalised words, without a sentence, is a row of labels
HEADING_WORDS = 30           # a sub-head in the article's column: larger type, this many words at most
MONTH_ABBREVIATION = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.", re.I)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _prose(text: str) -> bool:
    """A paragraph of prose: sentences, not a run of menu labels or a teaser."""
    words = len(text.split())
    ends = bool(re.search(r"[.!?…][\"”’)»]?$", text.strip()))
    inner = len(re.findall(r"\w{2,}[.!?…][\"”’)»]?\s", text))
    return words >= PROSE_WORDS and ends or words >= LONG_WORDS and inner >= 1


def _byline(text: str, vocab: dict[str, re.Pattern]) -> bool:
    """A byline ("By Meg James, Staff Writer") or a date line ("Updated Nov. 19, 2019 6:55 AM")."""
    from pipeline.readers.dateline import date_line

    if len(text.split()) > BYLINE_WORDS:
        return False
    return bool(vocab["bylines"].fullmatch(text)
                or date_line("\n" + MONTH_ABBREVIATION.sub(r"\1", text.split(" | ")[0])))


def _labels(text: str) -> bool:
    """A row of labels (a menu, a tag list, a share strip printed as one paragraph: "Reddit
    Google+ Blogger Pinterest Telegram"), not a sentence: four words or more, most of them
    capitalised, none ending a sentence."""
    words = text.split()
    if len(words) < 4 or re.search(r"\w[.!?…][\"”’)»]?(\s|$)", text):
        return False
    return sum(1 for w in words if not w[:1].islower()) >= LABELS * len(words)


def _title_heads(title: str) -> list[str]:
    """The title, then what is left of it without the site's name at its end or a section's at
    its start, at each separator ("Headline - Los Angeles Times", "Opinion | Headline"), longest
    first, as the headline printed on the page may be any of them."""
    heads = [_key(title)]
    for sep in TITLE_SEPARATORS:
        if sep in title:
            head, tail = title.rsplit(sep, 1)[0], title.split(sep, 1)[1]
            heads += [_key(head), _key(tail)]
            for sep2 in TITLE_SEPARATORS:
                if sep2 in tail:
                    heads.append(_key(tail.rsplit(sep2, 1)[0]))
    heads = sorted(dict.fromkeys(heads), key=len, reverse=True)
    return [h for h in heads if len(h.split()) >= 3 or len(h) >= 12]


HEADLINE_BLOCKS = 4          # a headline printed over this many paragraphs at most (one per line)


def _headline(blocks: list[Block], title: str) -> tuple[int, int, str]:
    """Where the page prints its headline: (first block, blocks it spans, the title part it
    is), or (-1, 0, ''). The title may be repeated on the page (a breadcrumb, a share text, a
    teaser); the headline is the one set largest, then the first."""
    heads = _title_heads(title)
    best: tuple[float, int, int, int, str] | None = None
    for i, b in enumerate(blocks):
        key = ""
        for n in range(1, HEADLINE_BLOCKS + 1):
            if i + n > len(blocks) or n > 1 and abs(blocks[i + n - 1].size - b.size) > 0.3:
                break
            key = (key + " " + _key(blocks[i + n - 1].text)).strip()
            want = next((h for h in heads if key == h or n == 1 and key.startswith(h + " ")), "")
            if want:
                score = (b.size, len(want), -i, n, want)
                if best is None or score[:3] > best[:3]:
                    best = score
                break
            if not any(h.startswith(key) for h in heads):
                break
    if best is None:
        return -1, 0, ""
    return -best[2], best[3], best[4]


def _style(blocks: list[Block], vocab: dict[str, re.Pattern]) -> tuple[float, float]:
    """The article's font size and left edge: those of most of the page's unlinked prose
    (paragraphs of PROSE_WORDS words or more), counted in words."""
    votes: Counter = Counter()
    for b in blocks:
        words = len(b.text.split())
        if b.linked < LINKED and words >= PROSE_WORDS and not vocab["lines"].fullmatch(" ".join(b.text.split())):
            votes[(b.size, round(b.x0 / LANE))] += words
    if not votes:
        return 0.0, -1.0
    (size, lane), _ = votes.most_common(1)[0]
    edges = [b.x0 for b in blocks if b.size == size and round(b.x0 / LANE) == lane]
    return size, sorted(edges)[len(edges) // 2]


def web_article(blocks: list[Block], title: str) -> tuple[list[Block], list[Block], int, int]:
    """The article in a printed page's paragraphs; the paragraphs (a headline printed with
    its byline as one paragraph is cut in two), the index of the headline among them and the
    number of paragraphs it spans (-1, 0 if not found). The article is set in one column, in
    one font size: those of most of the prose after the headline (_style). It starts at its
    first paragraph of prose in that column (kicker, byline, date, standfirst and captions
    above it are the page's); a paragraph in another size or off the column's left edge
    (captions and credits, pull quotes, sidebars, teaser grids beside or between its
    paragraphs) is not the article's, nor is a paragraph drawn mostly inside links (menus,
    teasers, related links) or printed REPEATED times (a banner on every page). It ends at
    the page's foot (tags, comments, author box, copyright: the `ends` vocabulary); inside it,
    a list heading ("Most read", "Trending") drops the teasers under it up to the next
    paragraph of prose, and share strips, buttons, cookie notices and newsletter prompts
    (`lines`) are dropped. Headings in its column, in a larger size, are kept (sub-heads)."""
    vocab = web_furniture()
    at, span, want = _headline(blocks, title)
    if at >= 0:     # a headline and a byline or date printed as one paragraph: the rest is not the headline
        joined = " ".join(" ".join(b.text.split()) for b in blocks[at:at + span])
        cut = next((i for i in range(len(want), len(joined) + 1) if _key(joined[:i]) == want), len(want))
        rest = joined[cut:].strip()
        if rest:
            tail = blocks[at + span - 1]
            blocks = [*blocks[:at + span - 1], Block("heading", joined[:cut], tail.linked, tail.size,
                                                        tail.x0, tail.x1, tail.page, tail.top),
                      Block("body", rest, tail.linked, tail.size, tail.x0, tail.x1, tail.page, tail.top),
                      *blocks[at + span:]]
    after = blocks[at + span:] if at >= 0 else blocks
    size, edge = _style(after, vocab)
    seen = Counter(_key(b.text) for b in blocks)
    out: list[Block] = []
    started = skipping = False
    run = 0                  # paragraphs left out since the article's last one
    for b in after:
        if started and run >= END_RUN:
            if sum(len(o.text.split()) for o in out) > HEADER_WORDS:
                break        # a stretch of the page's furniture this long: the article is over
            out, started = [], False       # ... or it had not begun (a standfirst, a teaser)
        flat = " ".join(b.text.split())
        words = len(flat.split())
        column = abs(b.x0 - edge) <= LANE
        run += edge - LANE <= b.x0 <= edge + INDENT      # under the article, not beside it
        if b.linked >= LINKED or seen[_key(b.text)] >= REPEATED:
            continue
        byline = edge - LANE <= b.x0 <= edge + INDENT and _byline(flat, vocab)
        if _labels(flat) and not byline:
            continue
        if vocab["lists"].fullmatch(flat.rstrip(":.…")):
            skipping = True
            continue
        if started and vocab["ends"].match(flat):
            break
        if vocab["lines"].fullmatch(flat):
            continue
        if byline:
            if started and len(out) <= HEADER_BLOCKS and sum(len(o.text.split()) for o in out) <= HEADER_WORDS:
                out, started = [], False      # what came before the byline was the standfirst
            if not started:
                continue
        prose = (_prose(flat) or words >= START_WORDS) and not re.match(r"^\d{1,2}[.)]\s", flat)
        if skipping and not prose:
            continue
        skipping = False
        same = abs(b.size - size) <= 0.3
        # A block quote or a list is set in from the column's edge; a caption or a teaser
        # there too, but it seldom ends a sentence.
        quoted = started and same and edge + LANE < b.x0 <= edge + INDENT and _prose(flat)
        if not (column or quoted) or not same and not (started and b.size > size and words <= HEADING_WORDS):
            continue
        if not started and not (prose and same):
            continue
        started = True
        run = 0
        out.append(b)
    # The author's box under the article ends it; a sub-head is one only over the article's text.
    words_in = [len(b.text.split()) for b in out]
    for i in range(1, len(out)):
        if vocab["author"].match(" ".join(out[i].text.split())) and sum(words_in[i:]) <= sum(words_in[:i]) / 2:
            out = out[:i]
            break
    out = [b for i, b in enumerate(out) if abs(b.size - size) <= 0.3
           or i + 1 < len(out) and abs(out[i + 1].size - size) <= 0.3]
    return out, blocks, at, span


def _web_date(blocks: list[Block]) -> tuple[str, str] | None:
    """The page's own date line among the paragraphs between its headline and its article:
    each short line, or each part of one set off by '|' ("PUBLISHED: November 19, 2019 at
    8:59 pm | UPDATED: ...")."""
    from pipeline.readers.dateline import date_line

    for b in blocks:
        for part in re.split(r"\s*[|•·;]\s*", b.text):
            part = MONTH_ABBREVIATION.sub(r"\1", part).strip()
            found = date_line("\n" + part) if part else None
            if found:
                return found
    return None


DATE_BLOCKS = 8              # paragraphs after the headline (or the article's start) where a date line is looked for


def _web_reading(blocks: list[Block], raw_title: str, meta_text,  # noqa: ANN001
                 furniture: int, lost: list[str]) -> Reading:
    """A page printed from a browser, read as a saved page is: the title as the page prints
    it as its headline (without the site's name), the publication date from the page's own
    date line near its headline (never the PDF's creation date, which is when it was
    printed), and the article without the page's menus, share buttons, trending and related
    links, captions, cookie notice and copyright (web_article, by the layout and by the
    vocabulary in web_furniture.yaml)."""
    title = web_title(raw_title, [b.pair for b in blocks])
    article, blocks, at, span = web_article(blocks, raw_title)
    pairs = [b.pair for b in blocks]
    if at >= 0:
        title = " ".join(" ".join(b.text.split()) for b in blocks[at:at + span])
    first = next((i for i, b in enumerate(blocks) if article and b is article[0]), len(blocks))
    near = blocks[at + span: max(first, at + span + DATE_BLOCKS)] if at >= 0 else blocks[:max(first, DATE_BLOCKS)]
    found_date = _web_date(near)
    kept = [b.pair for b in article] or [p for i, p in enumerate(pairs) if not at <= i < at + span]
    text, hints = join_blocks(kept, title)
    dropped = furniture + sum(len(b.text) for b in blocks) - sum(len(t) for _, t in kept)
    printed = pdf_date(meta_text("CreationDate"))
    meta = {"title": title}
    notes = ["printed to PDF from a web page: title as the page prints it, without the site's name; "
             "menus, share buttons, link lists, captions, cookie and newsletter notices left out "
             "(by the layout and web_furniture.yaml)"]
    if found_date:
        meta["published"] = found_date[0]
        notes.append(f"date from the page's line \u201c{found_date[1]}\u201d near its headline"
                     + (f" (not the print date, {printed})" if printed else ""))
    else:
        meta["undated"] = ("printed from a web page" + (f" on {printed}" if printed else "")
                           + ": that is when it was printed, not published; publication date unknown")
    return Reading(text, Format.PDF, version("pdfplumber"), meta, hints,
                   structured=True, dropped_chars=max(0, dropped), notes=tuple(notes), lost=tuple(lost),
                   titled=bool(title) or None)


def pdf_date(value: str) -> str:
    """'D:20251114093000Z' (a PDF date) -> '2025-11-14'; anything else -> ''."""
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})(\d{2})", value)
    if not m or not ("1990" <= m.group(1) <= "2100"):
        return ""
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
