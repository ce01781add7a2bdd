"""What the parts of one briefing need not each do again: load the fonts, parse the stylesheets.

For every document it lays out, WeasyPrint builds a font configuration (fontconfig, Pango, a
copy of each @font-face file) and parses every linked stylesheet; the briefing is laid out as
six documents (render/parts.py). The render host does both once, while the build is still
making its tables (warm_up), and the workers it forks afterwards inherit the result:

- FONTS, one font configuration for every part. Each worker gives its copy a private folder
  for fonts a stylesheet adds later (private_fonts).
- The parsed stylesheets. A linked stylesheet whose bytes are the same as at the warm-up is
  not parsed again; its @page rules are added to the document as a new parse would add them.
  It is still fetched through the document's URL fetcher, so the templates-only rule holds.

Both lean on WeasyPrint 70 internals (pinned in pyproject.toml): FontConfiguration._folder,
and the module-level name `weasyprint.css.CSS` that find_stylesheets calls for each <link>.
Measured on the seed: about 0.15 CPU-seconds less per part for the fonts, and 6% of all layout
work for the stylesheets.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import weasyprint
import weasyprint.css
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import fetch

FONTS: FontConfiguration | None = None
_CSS = weasyprint.CSS
_PARSED: dict[tuple[str, str], tuple[bytes, Any, dict[str, Any]]] = {}
_SIDE_EFFECTS = ("page_rules", "layers", "counter_style", "color_profiles")


def warm_up(templates: Path, fetcher: weasyprint.URLFetcher, waited_for: Callable[[], bool]) -> None:
    """Load the fonts and parse the stylesheets in `templates` once; then, unless the first
    request is already waiting (`waited_for`: a rebuild whose tables came from the cache), pay
    WeasyPrint's first-use costs (C type declarations, font faces, subsetting) by laying out a
    small page that uses the common elements. A failure only means that the workers load and
    parse for themselves; the real render reports what is wrong."""
    global FONTS
    FONTS = FontConfiguration()
    base = templates.resolve().as_uri() + "/"
    sheets = sorted(templates.glob("*.css"))
    try:
        for sheet in sheets:
            _stylesheet(url=base + sheet.name, url_fetcher=fetcher, media_type="print", font_config=FONTS,
                        page_rules=[], layers=[], counter_style={}, color_profiles={})
        if waited_for():
            return
        links = "".join(f'<link rel="stylesheet" href="{p.name}">' for p in sheets)
        body = ("<h1>Aa 1</h1><h2>Aa 2</h2><h3>Aa 3</h3><p>Aa <b>Aa</b> <i>Aa</i> <a href='#x'>1</a></p>"
                "<table><thead><tr><th>Aa</th></tr></thead><tbody><tr><td>Aa 1</td></tr></tbody></table>"
                "<ol><li id='x'>Aa</li></ol>")
        weasyprint.HTML(string=f"<html><head>{links}</head><body>{body}</body></html>", base_url=base,
                        url_fetcher=fetcher).render(font_config=FONTS).write_pdf()
    except (Exception, weasyprint.urls.FatalURLFetchingError):  # noqa: BLE001 - reported by the real render
        FONTS = None
        _PARSED.clear()


def private_fonts(scratch: Path) -> None:
    """Give this worker's copy of FONTS a font folder of its own.

    WeasyPrint writes a font that a stylesheet adds (one the warm-up did not see) into that
    folder, truncating the file if it exists; two workers doing so to one shared file would
    pull it from under each other's memory map (SIGBUS). The fonts already loaded are linked
    in, so they still count as present and are never written again."""
    shared = FONTS._folder if FONTS is not None else None  # noqa: SLF001 - WeasyPrint 70's font folder
    if shared is None:
        return
    own = scratch / "fonts"
    own.mkdir()
    for font in shared.iterdir():
        os.link(font, own / font.name)
    FONTS._folder = own  # noqa: SLF001


def _stylesheet(*args: Any, **kwargs: Any) -> Any:
    """weasyprint.CSS as find_stylesheets calls it, parsing a linked file only once."""
    url = kwargs.get("url")
    if args or not url or FONTS is None or kwargs.get("font_config") is not FONTS \
            or any(kwargs.get(name) is None for name in _SIDE_EFFECTS):
        return _CSS(*args, **kwargs)
    with fetch(kwargs.get("url_fetcher") or weasyprint.URLFetcher(), url) as response:
        data = response.read()          # through the document's fetcher: a blocked URL stays blocked
    key = (url, kwargs.get("media_type", "print"))
    hit = _PARSED.get(key)
    if hit is None or hit[0] != data:
        if b"@import" in data:          # imported files could change unseen: parse every time
            return _CSS(*args, **kwargs)
        own: dict[str, Any] = {"page_rules": [], "layers": [], "counter_style": {}, "color_profiles": {}}
        sheet = _CSS(**{**kwargs, **own})
        if own["layers"]:               # layer order is shared by a document's sheets: no reuse
            return _CSS(*args, **kwargs)
        hit = _PARSED[key] = (data, sheet, own)
    _, sheet, own = hit
    kwargs["page_rules"].extend(own["page_rules"])
    kwargs["counter_style"].update(own["counter_style"])
    kwargs["color_profiles"].update(own["color_profiles"])
    return sheet


weasyprint.css.CSS = _stylesheet
