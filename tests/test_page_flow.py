"""Headings stay with what follows them, and the contents give the page they end up on.

Laid out with the real stylesheet (templates/briefing.css): a heading and its introduction
must never be left alone at the foot of a page while the figure or table they introduce
starts the next one; when a heading moves, the contents page follows it, also on a rebuild
that takes the other parts from the cache.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.render.parts import MARKER
from pipeline.render.stage import RenderHost, render_pdf

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HEAD = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title>'
        '<link rel="stylesheet" href="briefing.css"></head><body data-marking="M" data-title="T">')
LEDE = ('<p class="lede">Events as the sources report them, in date order, with the notes that support '
        'each of them; the dates are as precise as the source gives them.</p>')
TABLE = ('<table class="chron"><thead><tr><th class="c-n">#</th><th class="c-date">Date</th><th>Event</th>'
         '<th class="c-src">Reported by</th></tr></thead><tbody>'
         + "".join(f'<tr{" id=ROW" if i == 0 else ""}><td class="c-n">{i + 1}</td><td class="c-date">1 May 2025</td>'
                   f'<td>An event, as reported, long enough to wrap onto a second line of the table cell.</td>'
                   f'<td class="c-src">Source</td></tr>' for i in range(12))
         + "</tbody></table>")
FIGURE = ('<figure class="timeline" id="FIG"><svg viewBox="0 0 100 40" width="100%" height="60mm">'
          '<rect width="100" height="40" fill="#ccc"/></svg><figcaption>Figure 1. A timeline.</figcaption></figure>')


def _block(i: int, filler_mm: int, kind: str) -> str:
    """A page that starts with `filler_mm` of other content, then a heading and what it introduces."""
    filler = f'<div style="height: {filler_mm}mm; break-before: page">filler</div>'
    if kind == "figure":
        body = f'<h2 id="h{i}">Chronology</h2>{LEDE}{FIGURE.replace("FIG", f"f{i}")}{TABLE.replace("ROW", f"r{i}")}'
    elif kind == "table":
        body = f'<h2 id="h{i}">Chronology</h2>{LEDE}{TABLE.replace("ROW", f"f{i}")}'
    else:
        body = f'<h3 id="h{i}">Undated events</h3>{TABLE.replace("ROW", f"f{i}")}'
    return filler + body


def _page_of(doc, anchor: str) -> int:  # noqa: ANN001 - a WeasyPrint document
    return next(n for n, page in enumerate(doc.pages) if anchor in page.anchors)


@pytest.mark.parametrize("kind", ["figure", "table", "h3"])
def test_a_heading_and_its_introduction_go_with_what_follows(kind: str) -> None:
    import weasyprint

    # the heading lands anywhere from mid-page to the very foot of the page (A4: 261 mm of text)
    fillers = list(range(160, 256, 6))
    html = HEAD + "".join(_block(i, mm, kind) for i, mm in enumerate(fillers)) + "</body></html>"
    doc = weasyprint.HTML(string=html, base_url=str(TEMPLATES) + "/").render()
    stranded = [f"{mm} mm" for i, mm in enumerate(fillers) if _page_of(doc, f"h{i}") != _page_of(doc, f"f{i}")]
    assert not stranded, f"{kind}: heading alone at the foot of the page after fillers of {stranded}"


def _briefing(key_points_mm: int) -> str:
    cover = ('<header class="cover" id="cover"><nav class="toc" id="contents"><h2 class="toc-title">Contents</h2><ol>'
             '<li><a class="page-ref" href="#key-points">Key points</a></li>'
             '<li><a class="page-ref" href="#chronology">Chronology</a></li>'
             '<li><a class="page-ref" href="#who">Who</a></li></ol></nav></header>')
    key_points = (f'<section id="key-points"><h2>Key points</h2><div style="height: {key_points_mm}mm">points</div>'
                  f'</section><section id="chronology"><h2>Chronology</h2>{LEDE}{FIGURE}{TABLE}</section>')
    who = '<section id="who"><h2>Who</h2><p>names</p></section>'
    return HEAD + MARKER + cover + MARKER + key_points + MARKER + who + "</body></html>"


def _contents_and_heading_pages(pdf: bytes) -> tuple[int, int]:
    reader = PdfReader(io.BytesIO(pdf))
    listed = int(re.search(r"Chronology\s*(\d+)", reader.pages[0].extract_text()).group(1))
    found = [i + 1 for i, page in enumerate(reader.pages) if i and "Chronology" in (page.extract_text() or "")]
    return listed, found[0]


def test_the_contents_follow_a_heading_that_moved(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    meta = {"created": dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "identifier": "test", "variant": "pdf/a-3b"}
    with RenderHost() as host:
        # Short key points: the chronology starts on their page (2). Then they grow until only
        # the heading and its introduction would fit below them: all of it moves to page 3,
        # and the contents, from the cache otherwise, say so.
        for key_points_mm, page in ((60, 2), (200, 3), (60, 2)):
            pdf, _ = render_pdf(_briefing(key_points_mm), templates, [], meta, tmp_path / "cache", host)
            assert _contents_and_heading_pages(pdf) == (page, page), key_points_mm
