"""What the parts of one briefing need not each do again: load the fonts, parse the stylesheets.

For every document it lays out, WeasyPrint builds a font configuration (fontconfig, Pango, a
copy of each @font-face file) and parses every linked stylesheet; the briefing is laid out as
six documents (render/parts.py). The render host does both once, while the build is still
making its tables (warm_up), and the workers it forks afterwards inherit the result, through
WeasyPrint's public API only:

- FONTS, one FontConfiguration for every part, given to CSS() and render().
- SHEETS, each templates/*.css parsed once (weasyprint.CSS). A part whose linked stylesheets
  are all among them, byte for byte as at the warm-up, is rendered with those parses as its
  stylesheets (render(stylesheets=...)) while its fetcher answers the <link>s with an empty
  sheet (worker.TemplatesOnly). Every @font-face of such a part is already in FONTS, so no
  worker writes into its font folder (two workers rewriting one font file that the other has
  memory-mapped crash with SIGBUS).
- Any other part (a stylesheet changed since the warm-up, an inline <style>, @import,
  @layer or @counter-style, whose effects reach across sheets) is laid out as WeasyPrint would
  on its own: a FontConfiguration of its own, every stylesheet fetched and parsed.

Passed to render(), the sheets are "user" stylesheets rather than "author" ones; with no other
author style in the document the cascade is the same (the seed's PDF is byte-identical, see
tests/test_render.py). Measured on the seed: about 0.15 CPU-seconds less per part for the
fonts, and 6% of all layout work for the stylesheets.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import fetch

FONTS: FontConfiguration | None = None
SHEETS: dict[str, tuple[bytes, weasyprint.CSS]] = {}     # url -> (bytes at the warm-up, parse)
_LINK = re.compile(r'<link rel="stylesheet" href="([^"#?]+)">')
_ACROSS_SHEETS = (b"@import", b"@layer", b"@counter-style")


@dataclass
class Styles:
    """How one part gets its styles: `sheets` and `fonts` for render(), `empty` the linked
    URLs its fetcher answers with an empty sheet (they are in `sheets` already)."""

    sheets: list[weasyprint.CSS] = field(default_factory=list)
    fonts: FontConfiguration | None = None
    empty: set[str] = field(default_factory=set)


def warm_up(templates: Path, fetcher: weasyprint.URLFetcher, waited_for: Callable[[], bool]) -> None:
    """Load the fonts and parse the stylesheets in `templates` once; then, unless the first
    request is already waiting (`waited_for`: a rebuild whose tables came from the cache), pay
    WeasyPrint's first-use costs (C type declarations, font faces, subsetting) by laying out a
    small page that uses the common elements. A failure only means that the workers load and
    parse for themselves; the real render reports what is wrong."""
    global FONTS
    FONTS = FontConfiguration()
    base = templates.resolve().as_uri() + "/"
    try:
        for path in sorted(templates.glob("*.css")):
            url = base + path.name
            data = _read(fetcher, url)
            if not any(word in data for word in _ACROSS_SHEETS):
                SHEETS[url] = (data, weasyprint.CSS(file_obj=io.BytesIO(data), base_url=url, url_fetcher=fetcher,
                                                    media_type="print", font_config=FONTS))
        if waited_for() or not SHEETS:
            return
        body = ("<h1>Aa 1</h1><h2>Aa 2</h2><h3>Aa 3</h3><p>Aa <b>Aa</b> <i>Aa</i> <a href='#x'>1</a></p>"
                "<table><thead><tr><th>Aa</th></tr></thead><tbody><tr><td>Aa 1</td></tr></tbody></table>"
                "<ol><li id='x'>Aa</li></ol>")
        weasyprint.HTML(string=f"<html><body>{body}</body></html>", base_url=base, url_fetcher=fetcher).render(
            stylesheets=[sheet for _, sheet in SHEETS.values()], font_config=FONTS).write_pdf()
    except (Exception, weasyprint.urls.FatalURLFetchingError):  # noqa: BLE001 - reported by the real render
        FONTS = None
        SHEETS.clear()


def styles_for(html: str, base_url: str, fetcher: weasyprint.URLFetcher) -> Styles:
    """The warm-up's fonts and parses for this part where they give the same result as a
    fresh parse, else a part of its own (see the module's docstring)."""
    head = html[:html.find("<body")] if "<body" in html else html
    urls = [urljoin(base_url, href) for href in _LINK.findall(head)]
    if (FONTS is None or "<style" in html or len(urls) != head.count("<link")
            or any(url not in SHEETS for url in urls)):
        return Styles()
    if any(_read(fetcher, url) != SHEETS[url][0] for url in urls):     # changed since the warm-up
        return Styles()
    return Styles([SHEETS[url][1] for url in urls], FONTS, set(urls))


def _read(fetcher: weasyprint.URLFetcher, url: str) -> bytes:
    """Through the document's fetcher: a blocked URL stays blocked."""
    with fetch(fetcher, url) as response:
        data = response.read()
    return data if isinstance(data, bytes) else data.encode()
