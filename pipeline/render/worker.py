"""Lay out and write one part of the briefing with WeasyPrint, in a process of its own.

Runs in processes forked from the render host (render/host.py), which has already imported
WeasyPrint, so a part starts in milliseconds and parts of a cold build use every core. A part cannot know its
page numbers before the parts in front of it are laid out, but page numbers only appear in the
page margins, which WeasyPrint lays out after the content. So a part whose numbers are not yet
known lays out its content, reports its page count, waits for its first page number and the
total (the parent collects every part's count), and then finishes the margins and the PDF.

Messages to the parent: ("count", pages, anchors), then ("done", pdf, pages, anchors) or
("error", kind, text). The parent answers a count with (offset, total).
"""

from __future__ import annotations

import shutil
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import weasyprint
import weasyprint.layout

from pipeline.render import columns, reuse  # noqa: F401 - columns changes WeasyPrint's column layout on import

_original_margin_boxes = weasyprint.layout.make_margin_boxes
_original_all_pages = weasyprint.layout.make_all_pages


class TemplatesOnly(weasyprint.URLFetcher):
    """Serves files under templates/ and refuses everything else, noting what it refused."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()
        self.blocked: list[str] = []

    def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201 - WeasyPrint's own type
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return weasyprint.urls.URLFetcherResponse(url, body=path.read_bytes(),
                                                         headers={"Content-Type": _mime(path)})
        self.blocked.append(url)
        raise weasyprint.urls.FatalURLFetchingError(f"blocked: {url}")


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
            ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}.get(path.suffix, "application/octet-stream")


def render_part(job: dict[str, Any], conn: Any) -> None:
    """Entry point of a worker process; never raises (the parent reads errors from conn)."""
    fetcher = TemplatesOnly(Path(job["templates"]))
    # WeasyPrint copies the @font-face fonts into a temporary folder that only a garbage-collected
    # FontConfiguration removes; a worker ends with os._exit, so it keeps its own and removes it.
    scratch = tempfile.mkdtemp(prefix="briefing-part-")
    tempfile.tempdir = scratch
    reuse.private_fonts(Path(scratch))
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


def _render(job: dict[str, Any], fetcher: TemplatesOnly, conn: Any) -> tuple[bytes, int, dict, dict]:
    numbers = {"offset": job["offset"], "total": job["total"]}
    seconds = {"start": time.time()}
    laid_out: list = []
    found: dict[str, dict[str, int]] = {}

    def anchors() -> dict[str, int]:     # once: the pages do not move after the count
        if "ids" not in found:
            found["ids"] = _anchors(laid_out)
        return found["ids"]

    def all_pages(*args: Any) -> Any:
        laid_out.clear()
        for page in _original_all_pages(*args):
            laid_out.append(page)
            yield page

    def margin_boxes(context: Any, page: Any, state: Any) -> Any:
        if numbers["offset"] is None:          # first margin of a part whose numbers are unknown
            conn.send(("count", state[1]["pages"][-1], anchors()))
            seconds["counted"] = time.time()
            numbers["offset"], numbers["total"] = conn.recv()
            seconds["resumed"] = time.time()
        values = dict(state[1])
        values["page"] = [values["page"][-1] + numbers["offset"]]
        values["pages"] = [numbers["total"]]
        shifted = type(state)((state[0], values, *state[2:]))
        return _original_margin_boxes(context, page, shifted)

    weasyprint.layout.make_margin_boxes = margin_boxes   # this process renders this one part only
    weasyprint.layout.make_all_pages = all_pages
    base_url = Path(job["templates"]).resolve().as_uri() + "/"
    doc = weasyprint.HTML(string=job["html"], base_url=base_url, url_fetcher=fetcher).render(font_config=reuse.FONTS)
    seconds["laid_out"] = time.time()
    if fetcher.blocked:        # WeasyPrint only logs some refused fetches; any refusal fails the build
        raise weasyprint.urls.FatalURLFetchingError(fetcher.blocked[0])
    files = [weasyprint.Attachment(string=data, base_url=base_url, url_fetcher=fetcher, name=name,
                                   description=name, created=job["created"], modified=job["created"])
             for name, data in job["attachments"]]
    pdf = doc.write_pdf(attachments=files, pdf_identifier=b"briefing-part", pdf_variant=job["variant"])
    seconds["written"] = time.time()
    return pdf, len(doc.pages), anchors(), seconds


def _anchors(pages: list) -> dict[str, int]:
    """The page (0-based, in this part) of each element id, as WeasyPrint will place its anchor."""
    found: dict[str, int] = {}
    for i, page in enumerate(pages):
        for box in page.descendants():
            name = box.style["anchor"] if box.style else None
            if name and name not in found:
                found[name] = i
    return found
