"""Saved web pages (.html, .htm): the main text by trafilatura, the field's reference extractor.

trafilatura separates the article from the page around it (navigation, cookie banners,
"related stories", share bars, footers) and keeps reader comments apart; comments become
`comment` passages, which never feed analysis. Metadata comes from the page itself
(<title>, <meta>, JSON-LD): title without the " | Site" suffix, author, site name as the
outlet, publication date (htmldate where trafilatura finds none), canonical URL.

The page is data: it is parsed, never rendered; nothing it points to (scripts, images,
file:/// or remote URLs) is fetched. trafilatura and htmldate are given a parsed tree, never a
string, because htmldate fetches a string that looks like a URL.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.readers import ReadError, Reading, join_blocks, version

BLOCK_TAGS = {"p", "head", "item", "row", "code", "quote"}
FURNITURE_TAGS = ("script", "style", "noscript", "template", "svg", "head")
SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " // ")
FAR_FUTURE = "2100-01-01"     # htmldate's max_date: never today's date, so builds stay reproducible
# Dates come from the page's markup (meta, JSON-LD, <time>, the URL) only: htmldate's extensive
# search also reads dates out of the prose ("the summary, dated 14 November"), which is wrong
# for a publication date more often than not.


CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def encoding_of(data: bytes) -> str | None:
    """The page's encoding: what it declares (a BOM or <meta charset>), else UTF-8 if the bytes
    are valid UTF-8, else Windows-1252, as browsers guess. (libxml2 alone assumes Latin-1.)"""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None                          # libxml2 reads byte-order marks itself
    declared = CHARSET.search(data[:4096])
    if declared:
        import codecs

        try:
            return codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            pass
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "windows-1252"


# Elements that hold no text (HTML5's void elements). libxml2's HTML parser does not know all
# of them as empty: an unclosed <embed> swallowed every paragraph after it, and trafilatura then
# dropped the <embed> with its "content".
VOID_TAGS = ("embed", "source", "track", "wbr", "keygen", "param", "area", "col", "img", "input",
             "br", "hr", "meta", "link", "base")
MAX_DEPTH = 200           # deeper wrappers are flattened: our walks and trafilatura's recurse
DEPTH_LIMIT = "Excessive depth in document"


def _parse(data: bytes, lost: list[str] | None = None):  # noqa: ANN202 - an lxml tree
    """The page's tree. Nesting past libxml2's limit (256 levels, which drops everything
    after it) is parsed again with its huge-tree limit (2048; the file's size is already within
    max_source_mb) and flattened; what is past even that is counted in `lost`."""
    tree, parser = _parse_with(data, huge=False)
    if any(DEPTH_LIMIT in e.message for e in parser.error_log):
        tree, parser = _parse_with(data, huge=True)
        _flatten(tree)
        if any(DEPTH_LIMIT in e.message for e in parser.error_log) and lost is not None:
            lost.append("nested deeper than 2048 levels: the text past that depth could not be read")
    for el in list(tree.iter(*VOID_TAGS)):
        if len(el) or (el.text and el.text.strip()):
            el.drop_tag()              # what the parser put inside belongs after it
    return tree


def _parse_with(data: bytes, huge: bool):  # noqa: ANN202 - an lxml tree and its parser
    from lxml import html as lhtml

    parser = lhtml.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                              recover=True, huge_tree=huge, encoding=encoding_of(data))
    try:
        tree = lhtml.document_fromstring(data, parser=parser)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types for hopeless input
        raise ReadError(f"cannot be parsed as HTML ({type(exc).__name__})",
                        "save the page again from the browser (File > Save Page As, HTML only)") from None
    return tree, parser


def _flatten(tree) -> None:  # noqa: ANN001
    """Wrappers nested past MAX_DEPTH lose their tags (their text and children move up)."""
    stack = [(tree, 0)]
    deep = []
    while stack:
        el, depth = stack.pop()
        if depth >= MAX_DEPTH:
            deep.append(el)
            continue
        stack.extend((child, depth + 1) for child in el)
    for top in deep:
        for el in list(top.iterdescendants()):
            if el.tag not in BLOCK_TAGS and isinstance(el.tag, str) and el.tag not in ("p", "h1", "h2", "h3",
                                                                                      "h4", "li", "table"):
                el.drop_tag()


def visible_chars(tree) -> int:  # noqa: ANN001
    """Characters a reader of the saved page would see (scripts, styles and <head> left out)."""
    import copy

    body = copy.deepcopy(tree)
    for bad in body.xpath("|".join(f"//{t}" for t in FURNITURE_TAGS)):
        bad.drop_tree()
    return len(" ".join(body.text_content().split()))


def _blocks(element, kind: str) -> list[tuple[str, str]]:  # noqa: ANN001
    out: list[tuple[str, str]] = []

    def walk(el) -> None:  # noqa: ANN001
        if el.tag in BLOCK_TAGS and not any(c.tag in BLOCK_TAGS for c in el):
            text = " ".join("".join(el.itertext()).split())
            if text:
                out.append(("heading" if el.tag == "head" and kind == "body" else kind, text))
            return
        if el.text and el.text.strip():
            out.append((kind, el.text))
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                out.append((kind, child.tail))

    if element is not None:
        for child in element:
            walk(child)
    return out


def _bare(name: str) -> str:
    return " ".join(name.casefold().split()).removeprefix("the ")


def clean_title(title: str, site: str) -> str:
    """'Headline | Site' -> 'Headline': the suffix goes when it names the site, or when a pipe
    (which headlines do not use) sets it off."""
    title = " ".join(title.split())
    for sep in SEPARATORS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        if site and _bare(tail) == _bare(site):
            return head.strip()
        if sep.strip() == "|" and len(tail.split()) <= 5:
            return head.strip()
    return title


def read(path: Path, data: bytes) -> Reading:
    import trafilatura
    from trafilatura.settings import use_config

    lost: list[str] = []
    tree = _parse(data, lost)
    visible = visible_chars(tree)          # before trafilatura, which cleans the tree in place
    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    doc = trafilatura.bare_extraction(
        tree, include_comments=True, include_tables=True, include_images=False, include_links=False,
        include_formatting=False, deduplicate=False, with_metadata=True, config=config,
        date_extraction_params={"extensive_search": False, "original_date": True, "max_date": FAR_FUTURE})
    if doc is None or doc.body is None:
        raise ReadError("no article text found in the page",
                        "save the article's own page (not an index or a login page), or paste its text into a .txt")
    site = (doc.sitename or "").strip()
    title = clean_title(doc.title or "", site)
    notes = ["title, author, outlet and date from the page's own metadata"]
    published = doc.date or ""
    if not published:
        from htmldate import find_date

        published = find_date(_parse(data), extensive_search=False, original_date=True,
                              outputformat="%Y-%m-%d", max_date=FAR_FUTURE) or ""
        if published:
            notes.append(f"date found by htmldate ({published})")
    body = _blocks(doc.body, "body")
    if body and body[0][0] == "heading" and (not title or body[0][1] == title):
        title = title or body[0][1]
        body = body[1:]
    if not title and body:
        title, body = body[0][1], body[1:]
    comments = _blocks(doc.commentsbody, "comment")
    text, hints = join_blocks(body + comments, title)
    meta = {"title": title, "author": (doc.author or "").strip(), "outlet": site,
            "published": published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else "",
            "url": (doc.url or "").strip()}
    kept = sum(len(b[1]) for b in body + comments) + len(title)
    return Reading(text, "html", f"{version('trafilatura')}, {version('htmldate')}",
                   {k: v for k, v in meta.items() if v}, hints, structured=True,
                   dropped_chars=max(0, visible - kept), notes=tuple(notes), lost=tuple(lost))
