"""Rendering in parts: split, numbering across parts, links and contents after the join, and
the part cache that lets a rebuild lay out only what changed."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import jinja2
import pytest
from pypdf import PdfReader

from pipeline.render.parts import MARKER, XREF, split
from pipeline.render.stage import RenderHost, render_pdf
from tests.conftest import stylesheet_folder

HEAD = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title>'
        '<link rel="stylesheet" href="t.css"></head><body>')
CSS = ('@page { size: A6; margin: 12mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }\n'
       'section { break-before: page; } .toc a::after { content: " p" attr(data-page); }\n')


def _meta() -> dict:
    return {"created": dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "identifier": "test", "variant": "pdf/a-3b"}


def _doc(pages_a: int, pages_b: int) -> str:
    """A cover with contents, part A (pages_a pages, links to B), part B (pages_b pages)."""
    cover = ('<nav class="toc"><a class="page-ref" href="#a">A</a> <a class="page-ref" href="#b">B</a> '
             '<a class="page-ref" href="#b-last">B, last page</a></nav>')
    a = '<section id="a"><h2>A</h2><a href="#b">to B</a>' + "<section>more A</section>" * (pages_a - 1) + "</section>"
    b = ('<section id="b"><h2>B</h2><a href="#a">to A</a>' + "<section>more B</section>" * (pages_b - 2)
         + '<section id="b-last">last of B</section></section>')
    return HEAD + f"\n{MARKER}{cover}{MARKER}{a}{MARKER}{b}</body></html>"


def _footers(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [m.group(0) for page in reader.pages
            for m in [re.search(r"Page \d+ of \d+", page.extract_text() or "")] if m]


@pytest.fixture()
def templates(tmp_path: Path) -> Path:
    return stylesheet_folder(tmp_path, CSS)


def test_split_repeats_the_prefix_and_marks_links_to_other_parts() -> None:
    parts = split(_doc(2, 2))
    assert len(parts) == 3
    assert all(p.html.startswith(HEAD) and p.html.rstrip().endswith("</body></html>") for p in parts)
    assert f'href="{XREF}b"' in parts[1].html          # A links to B, in another part
    assert f'href="{XREF}a"' in parts[2].html
    assert parts[0].page_refs == ["a", "b", "b-last"]
    assert 'data-page="7"' in parts[0].with_pages({"a": 7}).html


def test_a_document_without_markers_is_one_part() -> None:
    html = HEAD + '<p id="x"><a href="#x">self</a></p></body></html>'
    [part] = split(html)
    assert part.html == html


def test_a_template_without_markers_still_gets_its_contents_numbers(templates: Path) -> None:
    html = HEAD + ('<nav class="toc"><a class="page-ref" href="#x">X</a></nav>'
                   '<section>one</section><section>two</section><section id="x">three</section></body></html>')
    with RenderHost() as host:
        pdf, pages = render_pdf(html, templates, [], _meta(), None, host)
    assert pages == 4 and "X p4" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_source_text_cannot_forge_a_part_marker() -> None:
    """Values reach the HTML through an autoescaping template, so a marker in a source is text."""
    env = jinja2.Environment(autoescape=True)
    html = env.from_string(HEAD + "<p>{{ quote }}</p></body></html>").render(quote=f"evil {MARKER} quote")
    assert len(split(html)) == 1


def test_numbers_links_and_contents_across_parts(templates: Path, tmp_path: Path) -> None:
    with RenderHost() as host:
        pdf, pages = render_pdf(_doc(3, 2), templates, [], _meta(), tmp_path / "cache", host)
        assert pages == 6
        assert _footers(pdf) == [f"Page {i} of 6" for i in range(1, 7)]
        reader = PdfReader(io.BytesIO(pdf))
        cover = reader.pages[0].extract_text()
        assert "A p2" in cover and "B p5" in cover and "B, last page p6" in cover
        dests = reader.named_destinations
        targets = [str(a.get_object()["/Dest"]) for page in reader.pages for a in page.get("/Annots") or []]
        assert {"a", "b", "b-last"} <= set(targets)
        assert all(t in dests for t in targets)
        assert reader.get_destination_page_number(dests["b"]) == 4
        assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()

        # Part A grows by two pages: B is renumbered, the contents follow, nothing is stale.
        pdf, pages = render_pdf(_doc(5, 2), templates, [], _meta(), tmp_path / "cache", host)
        assert pages == 8
        assert _footers(pdf) == [f"Page {i} of 8" for i in range(1, 9)]
        cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "B p7" in cover and "B, last page p8" in cover


def test_contents_longer_than_a_page_are_numbered_again(templates: Path, tmp_path: Path) -> None:
    """A cold build assumes the contents fit on one page; when they do not, every part is
    renumbered and the result is still consistent."""
    long_contents = "".join(f'<p><a class="page-ref" href="#b">entry {i}</a></p>' for i in range(60))
    html = _doc(2, 2).replace('<nav class="toc">', '<nav class="toc">' + long_contents)
    with RenderHost() as host:
        pdf, pages = render_pdf(html, templates, [], _meta(), None, host)
    reader = PdfReader(io.BytesIO(pdf))
    cover_pages = pages - 4
    assert cover_pages >= 2
    assert _footers(pdf) == [f"Page {i} of {pages}" for i in range(1, pages + 1)]
    assert f"entry 0 p{cover_pages + 3}" in reader.pages[0].extract_text()


def test_a_rebuild_lays_out_only_the_parts_that_changed(templates: Path, tmp_path: Path) -> None:
    with RenderHost() as host:
        first, _ = render_pdf(_doc(3, 2), templates, [], _meta(), tmp_path / "cache", host)
        assert sorted(k for k in host.timings if k != "host") == [0, 1, 2]
        again, _ = render_pdf(_doc(3, 2), templates, [], _meta(), tmp_path / "cache", host)
        assert sorted(k for k in host.timings if k != "host") == []     # every part from the cache
        assert again == first                                          # and the same bytes
        edited = _doc(3, 2).replace("last of B", "last of B, edited")
        render_pdf(edited, templates, [], _meta(), tmp_path / "cache", host)
        assert sorted(k for k in host.timings if k != "host") == [2]


def test_contents_started_on_last_numbers_are_kept_only_when_right(templates: Path, tmp_path: Path) -> None:
    """On a rebuild the contents part starts at once on the last build's numbers."""
    cache = tmp_path / "cache"
    with RenderHost() as host:
        render_pdf(_doc(3, 2), templates, [], _meta(), cache, host)
        same_length = _doc(3, 2).replace("<nav", "<p>new cover line</p><nav").replace("last of B", "last B")
        pdf, _ = render_pdf(same_length, templates, [], _meta(), cache, host)
        assert sorted(k for k in host.timings if k != "host") == [0, 2]
        assert "B, last page p6" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        longer = same_length.replace('<section id="b-last">', '<section>extra</section><section id="b-last">')
        pdf, pages = render_pdf(longer, templates, [], _meta(), cache, host)
        assert pages == 7 and _footers(pdf) == [f"Page {i} of 7" for i in range(1, 8)]
        assert "B, last page p7" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_a_new_stylesheet_renders_every_part_again(templates: Path, tmp_path: Path) -> None:
    """The part cache is keyed by the templates too: the HTML alone does not say how it looks."""
    with RenderHost() as host:
        render_pdf(_doc(2, 2), templates, [], dict(_meta(), look="v1"), tmp_path / "cache", host)
        (templates / "t.css").write_text(CSS + "p { color: #333; }\n")
        render_pdf(_doc(2, 2), templates, [], dict(_meta(), look="v2"), tmp_path / "cache", host)
        assert sorted(k for k in host.timings if k != "host") == [0, 1, 2]


def test_without_a_cache_every_part_is_rendered_and_bytes_repeat(templates: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Also with the fonts loaded once in the host (warm-up) rather than in every worker: the
    same bytes, and no temporary folder left behind by either (in a temporary folder of this
    test's own: other builds on the machine use the system's)."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    prefixes = ("weasyprint-", "briefing-part-", "briefing-render-")
    before = {p.name for p in scratch.iterdir() if p.name.startswith(prefixes)}
    with RenderHost() as host:
        one, _ = render_pdf(_doc(2, 3), templates, [], _meta(), None, host)
        two, _ = render_pdf(_doc(2, 3), templates, [], _meta(), None, host)
    with RenderHost(templates) as warm:
        three, _ = render_pdf(_doc(2, 3), templates, [], _meta(), None, warm)
    assert one == two == three
    after = {p.name for p in scratch.iterdir() if p.name.startswith(prefixes)}
    assert after <= before, f"workers left temporary folders: {sorted(after - before)[:3]}"


def test_fonts_the_warm_up_did_not_see_load_in_every_worker(templates: Path, tmp_path: Path) -> None:
    """The host loads the fonts of the templates it is started with; parts laid out side by side
    that add another font each write their own copy. (Rewriting one shared file while another
    worker has it memory-mapped crashes that worker with SIGBUS.)"""
    noto = Path(__file__).resolve().parent.parent / "templates" / "fonts"
    for folder, face, file in [(templates, "Warm Face", "NotoSerif-Italic.ttf"),
                               (tmp_path / "other", "Test Face", "NotoSerif-Regular.ttf")]:
        (folder / "fonts").mkdir(parents=True, exist_ok=True)
        (folder / "fonts" / "f.ttf").write_bytes((noto / file).read_bytes())
        (folder / "t.css").write_text(f'@font-face {{ font-family: "{face}"; src: url(fonts/f.ttf); }}\n'
                                      f'body {{ font-family: "{face}"; }}\n' + CSS)
    with RenderHost(templates) as host:
        pdf, pages = render_pdf(_doc(3, 3), tmp_path / "other", [], _meta(), None, host)
        shared = sorted(p.name for p in Path(host.scratch).glob("weasyprint-*/*"))
    assert len(shared) == 1, shared          # only the warm-up's own font, never a worker's
    assert pages == 7 and _footers(pdf) == [f"Page {i} of 7" for i in range(1, 8)]
    reader = PdfReader(io.BytesIO(pdf))
    faces = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any(face.endswith("+Test-Face") for face in faces), faces     # the face each worker loaded


def test_a_stylesheet_changed_after_the_warm_up_is_parsed_again(templates: Path) -> None:
    """The host parses the stylesheets once; a part uses that parse only while the file's bytes
    are unchanged (here the @page size changes after the host started)."""
    with RenderHost(templates) as host:
        before, _ = render_pdf(_doc(2, 2), templates, [], _meta(), None, host)
        (templates / "t.css").write_text(CSS.replace("size: A6", "size: A5"))
        after, _ = render_pdf(_doc(2, 2), templates, [], _meta(), None, host)
    widths = [{round(float(page.mediabox.width)) for page in PdfReader(io.BytesIO(pdf)).pages}
              for pdf in (before, after)]
    assert widths == [{298}, {420}]        # A6 and A5 portrait, in points


def test_the_seed_briefing_joins_into_one_consistent_pdf(seed: Path) -> None:
    reader = PdfReader(seed / "output" / "briefing.pdf")
    n = len(reader.pages)
    footers = _footers((seed / "output" / "briefing.pdf").read_bytes())
    assert footers == [f"Page {i} of {n}" for i in range(1, n + 1)]
    dests = reader.named_destinations
    links = [str(a.get_object()["/Dest"]) for page in reader.pages for a in page.get("/Annots") or []
             if "/Dest" in a.get_object()]
    assert len(links) > 400 and all(t in dests for t in links)     # citations and back-links
    contents = reader.pages[0].extract_text()
    for anchor, title in [("chronology", "Chronology"), ("plans", "Plan-version matrix"),
                          ("notes", "Source notes"), ("appendix", "Appendix: sources")]:
        page = reader.get_destination_page_number(dests[anchor]) + 1
        assert re.search(rf"{re.escape(title)}\s*{page}\b", contents), (title, page)
    assert len(reader.attachments) == 14     # the 13 tables and changes.csv
