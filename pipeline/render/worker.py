"""Lay out and write one part of the briefing with WeasyPrint, in a process of its own.

Runs in processes forked from the render host (render/host.py), which has already imported
WeasyPrint, so a part starts in milliseconds and parts of a cold build use every core. A part cannot know its
page numbers before the parts in front of it are laid out. With render/patches.py applied, a
part whose numbers are not yet known lays out its content, reports its page count, waits for
its first page number and the total (the parent collects every part's count), and then
finishes the margins (where the numbers are) and the PDF. Without the patches (another
WeasyPrint version) the same exchange happens through the public API: the part is laid out,
reports its count, and is laid out again with its numbers (Numbered).

Messages to the parent: ("count", pages, anchors), then ("done", pdf, pages, anchors) or
("error", kind, text). The parent answers a count with (offset, total).
"""

from __future__ import annotations

import gc
import re
import shutil
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import weasyprint

from pipeline.render import patches, reuse
from pipeline.render.reuse import Styles

_PAGES = re.compile(rb"counter\(\s*pages\s*\)")


class TemplatesOnly(weasyprint.URLFetcher):
    """Serves files under templates/ and refuses everything else, noting what it refused.

    `empty`: stylesheets the part already has parsed (render/reuse.py), answered with an empty
    sheet. `total`: on the public path, the page total written into stylesheets for
    `counter(pages)`, which would otherwise count this part's pages only."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()
        self.blocked: list[str] = []
        self.empty: set[str] = set()
        self.total: int | None = None

    def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201 - WeasyPrint's own type
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                mime = _mime(path)
                if url in self.empty:
                    return weasyprint.urls.URLFetcherResponse(url, body=b"", headers={"Content-Type": mime})
                body = path.read_bytes()
                if self.total is not None and mime == "text/css":
                    body = _PAGES.sub(b'"%d"' % self.total, body)
                return weasyprint.urls.URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
        self.blocked.append(url)
        raise weasyprint.urls.FatalURLFetchingError(f"blocked: {url}")


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
            ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}.get(path.suffix, "application/octet-stream")


def render_part(job: dict[str, Any], conn: Any) -> None:
    """Entry point of a worker process; never raises (the parent reads errors from conn)."""
    fetcher = TemplatesOnly(Path(job["templates"]))
    # WeasyPrint copies the @font-face fonts of a part with a font configuration of its own into a
    # temporary folder that only a garbage-collected FontConfiguration removes; a worker ends with
    # os._exit, so it keeps its own and removes it.
    scratch = tempfile.mkdtemp(prefix="briefing-part-")
    tempfile.tempdir = scratch
    # A worker lays out one part and exits: no full collection of the cyclic garbage (0.5 of a
    # long part's 4.7 CPU-s), and what it inherited from the host is left out of collections
    # (the collector would touch, and so copy, every page of it).
    gc.freeze()
    gc.set_threshold(*gc.get_threshold()[:2], 1_000_000)
    try:
        pdf, pages, anchors, seconds = _render(job, fetcher, conn)
        conn.send(("done", pdf, pages, anchors, seconds))
    except weasyprint.urls.FatalURLFetchingError:
        conn.send(("error", "blocked", fetcher.blocked[0] if fetcher.blocked else "?"))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it there
        conn.send(("error", "crash", traceback.format_exc()))
    finally:
        conn.close()
        shutil.rmtree(scratch, ignore_errors=True)


def embed_tables(job: dict[str, Any], conn: Any) -> None:
    """Entry point of the attachments' worker: the tables compressed for the PDF
    (render/embed.py), sent as ("done", [Embedded, ...], 0, {}, seconds); never raises."""
    from pipeline.render.embed import embed

    try:
        seconds: dict[str, float] = {"start": time.time()}
        files = embed(job["attachments"], job["cache"], stats=seconds)    # and the pieces' counts
        seconds["written"] = time.time()
        conn.send(("done", files, 0, {}, seconds))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it there
        conn.send(("error", "crash", traceback.format_exc()))
    finally:
        conn.close()


def _render(job: dict[str, Any], fetcher: TemplatesOnly, conn: Any) -> tuple[bytes, int, dict, dict]:
    seconds = {"start": time.time()}
    numbers = (job["offset"], job["total"]) if job["offset"] is not None else None
    asked: dict[str, dict[str, int]] = {}

    def ask(count: int, anchors: dict[str, int]) -> tuple[int, int]:
        asked["anchors"] = anchors
        conn.send(("count", count, anchors))
        seconds["counted"] = time.time()
        offset, total = conn.recv()
        seconds["resumed"] = time.time()
        return offset, total

    base_url = Path(job["templates"]).resolve().as_uri() + "/"
    if patches.applied():
        with patches.numbers_after_layout(numbers, ask):
            doc = _lay_out(job["html"], base_url, fetcher, reuse.styles_for(job["html"], base_url, fetcher))
    else:
        if numbers is None:
            doc = _lay_out(job["html"], base_url, fetcher, reuse.styles_for(job["html"], base_url, fetcher))
            asked["anchors"] = anchors(doc)
            numbers = ask(len(doc.pages), asked["anchors"])
        doc = _lay_out(job["html"], base_url, fetcher, numbered(numbers, fetcher))
    seconds["laid_out"] = time.time()
    pdf = doc.write_pdf(pdf_identifier=job.get("identifier", "briefing-part").encode(),
                        pdf_variant=job["variant"])
    seconds["written"] = time.time()
    return pdf, len(doc.pages), asked.get("anchors") or anchors(doc), seconds


def _lay_out(html: str, base_url: str, fetcher: TemplatesOnly, styles: Styles) -> weasyprint.Document:
    fetcher.empty = styles.empty
    doc = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=styles.sheets, font_config=styles.fonts)
    if fetcher.blocked:        # WeasyPrint only logs some refused fetches; any refusal fails the build
        raise weasyprint.urls.FatalURLFetchingError(fetcher.blocked[0])
    return doc


def numbered(numbers: tuple[int, int], fetcher: TemplatesOnly) -> Styles:
    """The public path's page numbers: the first page counts on from the parts before it (a user
    stylesheet), and the fetcher writes the total into the stylesheets for counter(pages)."""
    offset, total = numbers
    fetcher.total = total
    return Styles([weasyprint.CSS(string=f"@page :first {{ counter-increment: page {offset + 1} }}")])


def anchors(doc: weasyprint.Document) -> dict[str, int]:
    """The page (0-based, in this part) of each element id."""
    found: dict[str, int] = {}
    for i, page in enumerate(doc.pages):
        for name in page.anchors:
            found.setdefault(name, i)
    return found
