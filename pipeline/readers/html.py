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

from pipeline.readers import TABLE_CELL, ReadError, Reading, join_blocks, version
from pipeline.readers.furniture import web_furniture
from pipeline.vocab import Format

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


def _parse(data: bytes, lost: list[str] | None = None, unlay: bool = False):  # noqa: ANN202 - an lxml tree
    """The page's tree. Nesting past libxml2's limit (256 levels, which drops everything
    after it) is parsed again with its huge-tree limit (2048; the file's size is already within
    max_source_mb) and flattened; what is past even that is counted in `lost`. With `unlay`,
    tables that lay the page out are made plain blocks (_unlay)."""
    tree, parser = _parse_with(data, huge=False)
    if any(DEPTH_LIMIT in e.message for e in parser.error_log):
        tree, parser = _parse_with(data, huge=True)
        _flatten(tree)
        if any(DEPTH_LIMIT in e.message for e in parser.error_log) and lost is not None:
            lost.append("nested deeper than 2048 levels: the text past that depth could not be read")
    for el in list(tree.iter(*VOID_TAGS)):
        if len(el) or (el.text and el.text.strip()):
            el.drop_tag()              # what the parser put inside belongs after it
    if unlay:
        _unlay(tree)
    return tree


TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
PAGE_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table"}


def _unlay(tree) -> None:  # noqa: ANN001
    """Tables that lay a page out (an e-mailed newsletter's columns, an old site's frame: a cell
    holding a heading, a list, a quotation, another table or more than one paragraph) become
    plain blocks before trafilatura reads the page: read as a table, a newsletter lost the lists
    in its cells. Innermost first, so a table that only wraps another layout table is unwrapped
    too. A table of data keeps its rows and cells. For a whole message only (read(whole=True)):
    on a web page, trafilatura's default pass then left out the headings it keeps in a cell."""
    for table in reversed(list(tree.iter("table"))):
        own = [el for el in table.iter(*TABLE_PARTS) if _owner(el) is table]
        cells = [el for el in own if el.tag in ("td", "th")]
        if not any(_lays_out(cell) for cell in cells):
            continue
        for el in own:
            el.tag = "div"


def _owner(el):  # noqa: ANN001, ANN202
    """The table a table part belongs to (itself, for a table)."""
    while el is not None and el.tag != "table":
        el = el.getparent()
    return el


def _lays_out(cell) -> bool:  # noqa: ANN001
    """A page's cell that lays it out (_holds_a_page), or a paragraph beside two more blocks."""
    inner = [d.tag for d in cell.iterdescendants() if isinstance(d.tag, str)]
    return _holds_a_page(inner, PAGE_BLOCKS) or (
        "div" in inner and "p" in inner and inner.count("p") + inner.count("div") > 2)


def _holds_a_page(tags: list[str], blocks: set[str]) -> bool:
    """Whether a table cell whose descendants are `tags` lays out a page rather than holding a
    datum: it holds one of `blocks` (a heading, a list, a quotation, another table, in the tree's
    own tag names) or more than one paragraph."""
    return bool(blocks & set(tags)) or tags.count("p") > 1


def with_charset(body: bytes, charset: str | None) -> bytes:
    """A page taken out of a MIME part (a saved .mhtml, an e-mail) with the encoding its part's
    header names said where this reader looks, when the page itself does not say it."""
    if charset and b"charset" not in body[:2048].lower():
        return f'<meta charset="{charset}">'.encode("ascii", "replace") + body
    return body


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


def visible_text(tree) -> str:  # noqa: ANN001
    """What a reader of the saved page would see (scripts, styles and <head> left out), its
    white space collapsed: its length is the page's size, and its footer names the site."""
    import copy

    body = copy.deepcopy(tree)
    for bad in body.xpath("|".join(f"//{t}" for t in FURNITURE_TAGS)):
        bad.drop_tree()
    return " ".join(body.text_content().split())


def _inline(el) -> str:  # noqa: ANN001 - an element of trafilatura's output tree
    """An element's text with its inline children; a line break (<lb>, a <br> on the page)
    stays a line break and table cells are set apart by ' | ', so words on either side of
    them are never glued together ("launch.The", "1Kyle Busch5040")."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag == "cell":
            parts.append(f"{TABLE_CELL}{_inline(child)}")
        elif child.tag in BLOCK_TAGS or child.tag in ("list", "table"):
            parts.append(f"\n{_inline(child)}\n")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _row(row) -> str:  # noqa: ANN001
    cells = [" ".join(_inline(c).split()) for c in row if c.tag == "cell"] or [" ".join(_inline(row).split())]
    return TABLE_CELL.join(c for c in cells if c)


LAYOUT_BLOCKS = {"head", "list", "table", "quote"}


def _layout(row) -> bool:  # noqa: ANN001
    """Whether a table row lays out a page (a newsletter's column, an old site's frame) rather
    than holding data: one of its cells holds a heading, a list, a quotation, another table or
    more than one paragraph. Its cells are then read as the page's own paragraphs; read as one
    row of cells, a newsletter's whole story became one line."""
    return any(_holds_a_page([d.tag for d in cell.iterdescendants()], LAYOUT_BLOCKS)
               for cell in row if cell.tag == "cell")


def _blocks(element, kind: str) -> list[tuple[str, str]]:  # noqa: ANN001
    """(kind, text) per paragraph, heading, list item, table row and line of a <br>-broken
    paragraph, in page order; loose text between blocks (a heading's tail, text set straight
    in a <div>) is a paragraph of its own, never dropped."""
    out: list[tuple[str, str]] = []
    blockish = BLOCK_TAGS | {"list", "table", "row"}

    def emit(k: str, text: str) -> None:
        for line in text.split("\n"):
            if line.strip():
                out.append((k, line))

    def walk(el) -> None:  # noqa: ANN001
        if el.tag == "row" and not _layout(el):
            emit(kind, _row(el))
            return
        if el.tag in BLOCK_TAGS and not any(d.tag in blockish for d in el.iterdescendants()):
            emit("heading" if el.tag == "head" and kind == "body" else kind, _inline(el))
            return
        run = [el.text or ""]              # inline text gathered until the next block child
        for child in el:
            if child.tag in blockish or any(d.tag in blockish for d in child.iterdescendants()):
                emit(kind, "".join(run))
                run = []
                walk(child)
            elif child.tag == "lb":
                run.append("\n")
            else:
                run.append(_inline(child))
            run.append(child.tail or "")
        emit(kind, "".join(run))

    if element is not None:
        walk(element)
    return out


def _bare(name: str) -> str:
    return " ".join(name.casefold().split()).removeprefix("the ")


def title_site(title: str, page_text: str) -> str:
    """The site a page's title ends with ("Headline | The Meridian Review"), when the page's
    own copyright line names it too ("© The Meridian Review"): a page that states no site name
    in its metadata still says who published it. A title's tail that is a section ("| World")
    is not in a copyright line, so it is never taken for the outlet."""
    title = " ".join(title.split())
    owner = web_furniture()["owner"]
    for sep in SEPARATORS:
        if sep not in title:
            continue
        tail = title.rpartition(sep)[2].strip()
        if not tail or len(tail.split()) > 5:
            return ""
        for m in owner.finditer(page_text):
            if _bare(page_text[m.end():m.end() + len(tail) + 8]).startswith(_bare(tail)):
                return tail
        return ""
    return ""


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


# schema.org properties holding someone else's work inside an article's JSON-LD: the claim a
# fact-check reviews, reviews, comments, citations. Their `author` is the claimant or the
# quoted party, never the page's author, so they are removed before metadata is read.
NESTED_WORKS = frozenset({"itemReviewed", "review", "reviews", "comment", "citation", "mentions",
                          "isBasedOn", "subjectOf", "about", "associatedClaimReview", "appearance",
                          "firstAppearance"})
ARTICLE_TYPES = frozenset({"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
                           "OpinionNewsArticle", "BackgroundNewsArticle", "BlogPosting", "Report",
                           "ScholarlyArticle", "ClaimReview", "WebPage", "SocialMediaPosting", "LiveBlogPosting"})
MIN_PRECISE_SHARE = 0.15   # trafilatura's precise pass kept less than this of its default: it failed


def _strip_nested_works(node, removed: list):  # noqa: ANN001, ANN202 - parsed JSON
    if isinstance(node, dict):
        removed.extend(v for k, v in node.items() if k in NESTED_WORKS)
        return {k: _strip_nested_works(v, removed) for k, v in node.items() if k not in NESTED_WORKS}
    if isinstance(node, list):
        return [_strip_nested_works(v, removed) for v in node]
    return node


def _authors_in(node) -> list[str]:  # noqa: ANN001
    """Every author and creator named anywhere inside a parsed JSON value."""
    out: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if k in ("author", "creator", "contributor"):
                    out += _names(v)
                stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _json_ld(tree, removed: list | None = None) -> list[dict]:  # noqa: ANN001
    """The page's JSON-LD objects (@graph flattened), other people's works removed (into
    `removed`); the script elements are rewritten so trafilatura's own pass sees the same."""
    import json

    objects: list[dict] = []
    removed = [] if removed is None else removed
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        before = len(removed)
        try:
            data = _strip_nested_works(json.loads(script.text or ""), removed)
        except (ValueError, RecursionError):
            continue
        if len(removed) > before:
            script.text = json.dumps(data, ensure_ascii=False)
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(g for g in item.get("@graph", []) if isinstance(g, dict))
            elif isinstance(item, list):
                stack.extend(item)
    return objects


def _types(obj: dict) -> set[str]:
    t = obj.get("@type", [])
    return {str(x) for x in (t if isinstance(t, list) else [t])}


def _names(value) -> list[str]:  # noqa: ANN001
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        name = v.get("name", "") if isinstance(v, dict) else v
        if isinstance(name, str) and name.strip() and not _looks_like_url(name):
            out.append(" ".join(name.split()))
    return out


def _looks_like_url(text: str) -> bool:
    return bool(re.match(r"^\s*(?:[a-z]+://|www\.)", text, re.I))


def _meta(tree, *keys: str) -> list[str]:  # noqa: ANN001
    """Contents of <meta> elements whose property, name or itemprop is one of `keys`."""
    out = []
    for el in tree.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in keys and el.get("content", "").strip():
            out.append(" ".join(el.get("content").split()))
    return out


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower() if url else ""


SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "gob", "or", "ne", "go", "nic"})


def placeholder_site(name: str, url: str, confirmed: str = "") -> bool:
    """A site name that names no outlet: a URL, or the label of a sub-domain of the page's own
    host (an agency's syndication platform calls itself "Hosted" on hosted.<agency>) that
    nothing else on the page (its social handle, its publisher) confirms."""
    if not name.strip() or _looks_like_url(name):
        return True
    labels = [lab for lab in _host(url).split(".") if lab]
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL else 2
    flat = _bare(name).replace(" ", "")
    return flat in set(labels[:-keep]) and flat not in confirmed


def page_metadata(tree) -> dict[str, str]:  # noqa: ANN001
    """The URL the page states for itself (its canonical link, else og:url), the outlet it
    names (og:site_name, the article's publisher), the article's own author in its JSON-LD,
    and the authors of works it reviews or quotes (`not_author`: a fact-check's claimant), read
    before trafilatura cleans the tree. Those works are removed from the JSON-LD so that
    trafilatura's own metadata pass never sees them."""
    from urllib.parse import urljoin

    found: dict[str, str] = {}
    og_url = next((u for u in _meta(tree, "og:url") if u.startswith(("http://", "https://"))), "")
    for href in tree.xpath('//link[contains(concat(" ", normalize-space(translate(@rel, "CANONICAL", '
                           '"canonical")), " "), " canonical ")]/@href'):
        href = href.strip()
        url = href if href.startswith(("http://", "https://")) else (urljoin(og_url, href) if og_url else "")
        if url:
            found["url"] = url
            break
    else:
        if og_url:
            found["url"] = og_url
    removed: list = []
    objects = _json_ld(tree, removed)
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    found["article_author"] = "; ".join(dict.fromkeys(n for o in articles for n in _names(o.get("author", []))))
    found["not_author"] = "\n".join(dict.fromkeys(_authors_in(removed)))
    publishers = [n for o in articles for n in _names(o.get("publisher", []))]
    candidates = [*_meta(tree, "og:site_name"), *publishers,
                  *(n for n in _meta(tree, "publisher", "article:publisher", "dc.publisher") if not _looks_like_url(n))]
    handles = [*_meta(tree, "twitter:site", "twitter:creator", "article:publisher"), *publishers]
    found["confirmed"] = " ".join(re.sub(r"[^a-z0-9]", "", h.casefold().rstrip("/").rsplit("/", 1)[-1])
                                  for h in handles)
    outlet = next((c for c in candidates if not placeholder_site(c, found.get("url", ""), found["confirmed"])), "")
    # Last resorts: a site name given as a URL names its host; a publisher given as the URL of
    # its profile page names that profile.
    for c in candidates if not outlet else ():
        if _looks_like_url(c) and _host(c if "//" in c else f"http://{c}"):
            outlet = _host(c if "//" in c else f"http://{c}").removeprefix("www.")
            break
    for h in _meta(tree, "article:publisher") if not outlet else ():
        tail = h.rstrip("/").rsplit("/", 1)[-1]
        if _looks_like_url(h) and re.fullmatch(r"[A-Za-z][\w.]{1,40}", tail) and "." not in tail:
            outlet = tail
            break
    if outlet:
        found["outlet"] = outlet
    return found


def _author(found: str, own: dict[str, str]) -> str:
    """trafilatura's author (it reads bylines well), unless that name is the author of a work
    the page reviews or quotes (a fact-check's claimant, shown in a box with class "author"):
    then the article's own author from its JSON-LD, else none."""
    claimants = [_bare(n) for n in own.get("not_author", "").split("\n") if n]
    names = [_bare(n) for n in re.split(r";|\band\b", found) if n.strip()]
    if any(n and (n in c or c in n) for n in names for c in claimants):
        return own.get("article_author", "")
    return found.strip()


def _precise_body(default: list[tuple[str, str]], precise: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """trafilatura's precise pass (favor_precision) leaves out more of the page around the
    article: related links, promos, captions. On some pages it also drops a paragraph of the
    article itself, or nearly everything. So: the precise blocks, plus a paragraph of the
    default pass that lies between two precise blocks and reads as prose (a full sentence of 8
    or more words); the default pass alone where the precise one kept almost nothing."""
    size = sum(len(t) for _, t in precise)
    if size < MIN_PRECISE_SHARE * sum(len(t) for _, t in default):
        return default

    def key(t: str) -> str:
        return " ".join(t.split())

    kept = {key(t) for _, t in precise}
    matched = [i for i, (_, t) in enumerate(default) if key(t) in kept]
    if len(matched) < 2:
        return precise
    after: dict[str, list[tuple[str, str]]] = {}
    anchor = ""
    for i in range(matched[0], matched[-1]):
        kind, t = default[i]
        if key(t) in kept:
            anchor = key(t)
        elif kind == "body" and len(t.split()) >= 8 and re.search(r"[.!?][\"”’)]?$", t.strip()):
            after.setdefault(anchor, []).append((kind, t))
    out: list[tuple[str, str]] = []
    for block in precise:
        out.append(block)
        out.extend(after.pop(key(block[1]), []))
    return out


def _extract(data: bytes, precise: bool, whole: bool = False):  # noqa: ANN202 - a trafilatura Document or None
    """trafilatura's reading of the page: its default pass, or its precise one; for a `whole`
    document (an e-mail, see read) its recall-first pass over the page with its layout tables
    made plain."""
    import trafilatura
    from trafilatura.settings import use_config

    tree = _parse(data, unlay=whole)
    own = page_metadata(tree)             # also strips reviewed works from the JSON-LD
    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    doc = trafilatura.bare_extraction(
        tree, include_comments=True, include_tables=True, include_images=False, include_links=False,
        include_formatting=False, deduplicate=False, with_metadata=True, config=config, favor_precision=precise,
        favor_recall=whole,
        date_extraction_params={"extensive_search": False, "original_date": True, "max_date": FAR_FUTURE})
    return doc, own


def article_blocks(data: bytes) -> list[tuple[str, str]]:
    """The article's (kind, text) blocks in a page, by the rules a saved page is read with
    (used for pages printed to PDF from a browser, rebuilt as HTML by the PDF reader)."""
    doc, _ = _extract(data, precise=False)
    if doc is None or doc.body is None:
        return []
    precise, _ = _extract(data, precise=True)
    body = _blocks(doc.body, "body")
    if precise is not None and precise.body is not None:
        body = _precise_body(body, _blocks(precise.body, "body"))
    return body


def read(path: Path, data: bytes, furniture: re.Pattern | None = None, whole: bool = False,
         title: str = "") -> Reading:
    """A saved page's article. `furniture`: paragraphs that match it whole are left out too (an
    e-mailed newsletter's "Unsubscribe | View in browser", which no page markup sets apart).
    `whole`: the document is the story, with no site around it (an e-mail's HTML part): read
    for recall, tables that lay it out read as its blocks (a newsletter's headings and lists in
    table cells were lost), no precise pass. `title`: the document's title when its container
    states it (an e-mail's subject), over the page's own <title>."""
    given = title
    lost: list[str] = []
    tree = _parse(data, lost)
    page_text = visible_text(tree)
    doc, own = _extract(data, precise=False, whole=whole)
    if doc is None or doc.body is None:
        raise ReadError("no article text found in the page",
                        "save the article's own page (not an index or a login page), or paste its text into a .txt")
    precise, _ = (None, None) if whole else _extract(data, precise=True)
    url = own.get("url") or (doc.url or "").strip()
    site = (doc.sitename or "").strip()
    if placeholder_site(site, url, own.get("confirmed", "")):
        site = own.get("outlet", "")
    # trafilatura's title has lost the page's own <title> suffix: the site is read from the latter
    site = site or title_site(tree.findtext(".//title") or "", page_text)
    title = " ".join(given.split()) or clean_title(doc.title or "", site or (doc.sitename or ""))
    notes = ["title, author, outlet and date from the page's own metadata"]
    published = doc.date or ""
    if not published:
        from htmldate import find_date

        published = find_date(_parse(data), extensive_search=False, original_date=True,
                              outputformat="%Y-%m-%d", max_date=FAR_FUTURE) or ""
        if published:
            notes.append(f"date found by htmldate ({published})")
    body = _blocks(doc.body, "body")
    if precise is not None and precise.body is not None:
        body = _precise_body(body, _blocks(precise.body, "body"))
    if body and body[0][0] == "heading" and (not title or body[0][1] == title):
        title = title or body[0][1]
        body = body[1:]
    if furniture is not None:
        body = [b for b in body if not furniture.fullmatch(" ".join(b[1].split()))]
    comments = _blocks(doc.commentsbody, "comment")
    text, hints = join_blocks(body + comments, title)
    meta = {"title": title, "author": _author(doc.author or "", own), "outlet": site,
            "published": published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else "",
            "url": url}
    kept = sum(len(b[1]) for b in body + comments) + len(title)
    return Reading(text, Format.HTML, f"{version('trafilatura')}, {version('htmldate')}",
                   {k: v for k, v in meta.items() if v}, hints, structured=True,
                   dropped_chars=max(0, len(page_text) - kept), notes=tuple(notes), lost=tuple(lost),
                   titled=bool(title) or None)
