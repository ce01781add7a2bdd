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

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.readers import ReadError, Reading, join_blocks, version
from pipeline.vocab import Format

MARKERS = set("0123456789*†‡§¶")
PAGE_NUMBER = re.compile(r"^(page\s+)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(\s*(of|/)\s*\d{1,4})?$", re.I)
SOFT_HYPHENS = ("\u00ad", "\u2010")      # always a typesetter's break
TERMINAL = tuple('.!?:;"”’)')
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


def _page_lines(page, number: int) -> tuple[list[Line], int, str]:  # noqa: ANN001
    """One page's lines, the count of note markers left out, and why a page with content gave
    no text ('' when it gave text or was blank)."""
    out: list[Line] = []
    raised: set[tuple[float, float]] = set()
    # A glyph drawn twice at the same place (a browser's or a typesetter's fake bold) is one
    # character, not two ("MMiinnnneessoottaa").
    page = page.dedupe_chars(tolerance=1)
    for line in page.extract_text_lines(return_chars=True, strip=True):
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
    if raised:
        view = page.filter(lambda o, r=raised: o.get("object_type") != "char"
                           or (round(o["x0"], 2), round(o["top"], 2)) not in r)
    links = _link_boxes(page)
    for line in view.extract_text_lines(return_chars=True, strip=True):
        if not line["text"].strip():
            continue
        size, bold = _dominant(line["chars"])
        linked = sum(1 for c in line["chars"] if c["text"].strip() and _inside(c, links)) if links else 0
        out.append(Line(number, line["text"], size, bold, line["top"], line["bottom"], line["x0"], linked=linked))
    unread = ""
    if not out and not page.chars:
        if page.images:
            unread = "(an image without a text layer, scanned?)"
        elif not any(page.objects.values()) and _has_content(page):
            unread = "could not be read (a corrupt content stream?)"
    return out, len(raised), unread


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


def _mark_kinds(lines: list[Line], body: float) -> None:
    """Headings (larger or bold short lines) and footnotes (small type closing a page)."""
    for ln in lines:
        if ln.kind != "body":
            continue
        if ln.size > body * 1.08 or (ln.bold and len(ln.text.split()) <= 14 and not ln.text.endswith(".")):
            ln.kind = "heading"
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


def _paragraphs(lines: list[Line], spelled: set[str], share: float = 0.5,
                linked: list[float] | None = None) -> list[tuple[str, str]]:
    """The lines as (kind, text) paragraphs; `linked` (if given) gets each paragraph's share
    of characters drawn inside a link."""
    blocks: list[tuple[str, str]] = []
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
            blocks.append((kind, text))
            if linked is not None:
                chars = sum(len("".join(m.text.split())) for m in members)
                linked.append(sum(m.linked for m in members) / chars if chars else 0.0)
        current = []
        members = []

    # Footnotes go after the body, so a paragraph running over a page break stays whole.
    ordered = [ln for ln in lines if ln.kind not in ("furniture", "page-end", "reference")]
    ordered += [ln for ln in lines if ln.kind == "reference"]
    for ln in ordered:
        new = (not current or ln.kind != kind or ln.kind == "heading" and last is not None and last.kind != "heading")
        if not new and last is not None:
            if ln.page == last.page or ln.kind == "reference":
                new = ln.top - last.bottom > gap * 1.8 + 1 or ln.size != last.size
                if ln.kind == "reference" and re.match(r"^(\d{1,3}|[*†‡§])[.)]?\s", ln.text):
                    new = True
            else:   # a new page: the paragraph goes on if it had not ended and this starts lower case
                new = current[-1].rstrip().endswith(TERMINAL) or not _starts_lower(ln.text)
        if new:
            flush()
            kind = ln.kind
        current.append(ln.text.strip())
        members.append(ln)
        last = ln
    flush()
    return blocks


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
    _mark_kinds(lines, body)
    spelled = {w.casefold() for ln in lines for w in re.findall(r"\w+-\w+", ln.text)}
    # A web page's many one-line blocks (menus, bylines, links) make the median gap a paragraph
    # break: a printed page's line spacing is its lower gaps.
    linked: list[float] = []
    blocks = _paragraphs(lines, spelled, 0.2 if web else 0.5, linked)
    furniture = sum(len(ln.text) for ln in lines if ln.kind == "furniture") + markers

    def meta_text(key: str) -> str:
        value = meta_raw.get(key, "")
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        return " ".join(str(value).split())

    title = meta_text("Title")
    if web:
        return _web_reading(blocks, linked, title, meta_text, furniture, lost)
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
    return Reading(text, Format.PDF, version("pdfplumber"), {k: v for k, v in meta.items() if v}, hints,
                   structured=True, dropped_chars=furniture, notes=tuple(notes), lost=tuple(lost),
                   titled=bool(title) or None)


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


FURNITURE_FILE = Path(__file__).with_name("web_furniture.yaml")
LINKED = 0.5                 # a paragraph this much drawn inside links is the page's, not the article's
REPEATED = 3                 # a paragraph printed this often is the page's (an article does not repeat itself)
PROSE_WORDS = 8              # a paragraph of prose: this many words, ending a sentence
LONG_WORDS = 25              # ... or this many, however it ends
MONTH_ABBREVIATION = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.", re.I)


def web_furniture() -> dict[str, re.Pattern]:
    """The furniture vocabulary (web_furniture.yaml), one pattern per section, matched against
    a whole paragraph (`lists`, `lines`) or its beginning (`ends`)."""
    import yaml

    data = yaml.safe_load(FURNITURE_FILE.read_text(encoding="utf-8"))
    return {section: re.compile("(?:" + "|".join(f"(?:{p})" for p in data[section]) + ")", re.I)
            for section in ("lists", "ends", "lines")}


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _prose(text: str) -> bool:
    """A paragraph of prose: sentences, not a run of menu labels or a teaser."""
    words = len(text.split())
    ends = bool(re.search(r"[.!?…][\"”’)»]?$", text.strip()))
    inner = len(re.findall(r"\w{2,}[.!?…][\"”’)»]?\s", text))
    return words >= PROSE_WORDS and ends or words >= LONG_WORDS and inner >= 1


def _title_heads(title: str) -> list[str]:
    """The title, then its head before each site separator ("Headline - Los Angeles Times"),
    as the headline printed on the page may be either."""
    heads = [_key(title)]
    for sep in TITLE_SEPARATORS:
        if sep in title:
            heads.append(_key(title.rsplit(sep, 1)[0]))
    return [h for h in dict.fromkeys(heads) if len(h.split()) >= 2 or len(h) >= 12]


def web_article(blocks: list[tuple[str, str]], title: str,
                linked: list[float] | None = None) -> tuple[list[tuple[str, str]], int]:
    """The article in a printed page's paragraphs, and the index of its headline (-1 if not
    found). The article starts at its first paragraph of prose after the headline (menus,
    kicker, byline, date and captions above it are the page's); it ends at the page's foot
    (tags, comments, copyright: the `ends` vocabulary); inside it, a list heading ("Most
    read", "Trending") drops the teasers under it up to the next paragraph of prose, and share
    strips, buttons, cookie notices and newsletter prompts (`lines`) are dropped."""
    vocab = web_furniture()
    shares = list(linked) if linked is not None and len(linked) == len(blocks) else [0.0] * len(blocks)
    at = -1
    for want in _title_heads(title):
        for i, (_, text) in enumerate(blocks):
            key = _key(text)
            if key == want or key.startswith(want + " "):
                at = i
                rest = " ".join(text.split())[len(want):].strip()
                blocks = [*blocks[:i], ("heading", text[:len(want)]), *([("body", rest)] if rest else []),
                          *blocks[i + 1:]]
                shares = [*shares[:i + 1], *([shares[i]] if rest else []), *shares[i + 1:]]
                break
        if at >= 0:
            break
    seen = Counter(_key(t) for _, t in blocks)
    out: list[tuple[str, str]] = []
    started = skipping = False
    for (kind, text), share in zip(blocks[at + 1:], shares[at + 1:], strict=True):
        flat = " ".join(text.split())
        if share >= LINKED:            # menus, teasers, related links: what the page links to
            continue
        if seen[_key(text)] >= REPEATED:   # a banner or menu drawn again on every page
            continue
        if vocab["lists"].fullmatch(flat.rstrip(":")):
            skipping = True
            continue
        if started and vocab["ends"].match(flat):
            break
        if vocab["lines"].fullmatch(flat):
            continue
        prose = _prose(flat) and not re.match(r"^\d{1,2}[.)]\s", flat)
        if skipping and not prose:
            continue
        skipping = False
        if not started and not prose:
            continue
        started = True
        out.append((kind, text))
    # The headline then the byline/date line may share a paragraph once printed.
    return out, at


def _web_date(blocks: list[tuple[str, str]], at: int, title: str) -> tuple[str, str] | None:
    """The page's own date line near its headline: each short line, or each part of one set
    off by '|' ("PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: ...")."""
    from pipeline.readers.dateline import date_line

    near = blocks[at + 1: at + 9] if at >= 0 else blocks[:8]
    parts = [title]
    for _, text in near:
        for part in re.split(r"\s[|•·]\s", text):
            parts.append(MONTH_ABBREVIATION.sub(r"\1", part))
    found = date_line("\n".join(parts[:1] + [p for p in parts[1:] if p.strip()]))
    if found:
        return found
    return None


def _web_reading(blocks: list[tuple[str, str]], linked: list[float], raw_title: str, meta_text,  # noqa: ANN001
                 furniture: int, lost: list[str]) -> Reading:
    """A page printed from a browser, read as a saved page is: the title without the site's
    suffix, the publication date from the page's own date line near its headline (never the
    PDF's creation date, which is when it was printed), and the article without the page's
    menus, share buttons, trending and related links, cookie notice and copyright
    (web_article, by the vocabulary in web_furniture.yaml)."""
    title = web_title(raw_title, blocks)
    article, at = web_article(blocks, title, linked)
    if at >= 0:
        found_title = " ".join(blocks[at][1].split())
        heads = _title_heads(title)
        head = next((h for h in heads if _key(found_title).startswith(h)), "")
        if head and head != _key(title):
            title = found_title[:len(head)]          # the site's suffix is not on the page
        blocks = [b for i, b in enumerate(blocks) if i != at]
    found = _web_date(blocks, at - 1 if at >= 0 else -1, title)
    kept = article or blocks
    text, hints = join_blocks(kept, title)
    dropped = furniture + sum(len(t) for _, t in blocks) - sum(len(t) for _, t in kept)
    printed = pdf_date(meta_text("CreationDate"))
    meta = {"title": title}
    notes = ["printed to PDF from a web page: title from the PDF without the site's name; "
             "menus, share buttons, link lists, cookie and newsletter notices left out (web_furniture.yaml)"]
    if found:
        meta["published"] = found[0]
        notes.append(f"date from the page's line \u201c{found[1]}\u201d near its headline"
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
