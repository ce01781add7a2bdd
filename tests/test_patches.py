"""pipeline/render/patches.py, the renderer's only use of WeasyPrint internals: each patch
against the upstream code it was written for (a digest: an upgrade fails here first), what it
does against WeasyPrint's own result, and the public path taken when the version differs."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import inspect
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import weasyprint
import weasyprint.layout.block as block
from pypdf import PdfReader

from pipeline.render import patches, worker
from pipeline.render.stage import RenderHost, render_pdf
from tests.conftest import stylesheet_folder

CSS = '@page { size: A6; margin: 12mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }\n'
HEAD = '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="t.css"></head><body>'


@pytest.fixture()
def templates(tmp_path: Path) -> Path:
    return stylesheet_folder(tmp_path, CSS)


@pytest.fixture()
def applied() -> Iterator[None]:
    assert patches.apply()
    yield
    patches.remove()


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _streams(pdf: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_installed_weasyprint_is_the_one_the_patches_were_written_for() -> None:
    assert weasyprint.__version__ == patches.WEASYPRINT, (
        f"WeasyPrint {weasyprint.__version__} is installed; pipeline/render/patches.py was written for "
        f"{patches.WEASYPRINT}: check each patch against the new code, then update WEASYPRINT and DEPENDS_ON")


@pytest.mark.parametrize(("patch", "name"), [(patch, name) for patch, names in patches.DEPENDS_ON.items()
                                             for name in names])
def test_the_upstream_code_each_patch_relies_on_is_unchanged(patch: str, name: str) -> None:
    module, function = name.rsplit(".", 1)
    source = inspect.getsource(getattr(importlib.import_module(module), function))
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    assert digest == patches.DEPENDS_ON[patch][name], (
        f"{name} changed upstream: re-check the '{patch}' patch in pipeline/render/patches.py against it")


def test_another_version_gets_the_public_path_and_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    original = block.columns_layout
    try:
        assert patches.apply(version="71.0") is False
        assert not patches.applied() and block.columns_layout is original
        message = capsys.readouterr().err
        assert "WeasyPrint 71.0 is installed" in message and f"weasyprint=={patches.WEASYPRINT}" in message
    finally:
        patches.remove()


def test_numbers_are_given_to_a_part_after_its_content_is_laid_out(applied: None, templates: Path) -> None:
    """The 'numbers' patch: the margins of a part that did not know its numbers are made after
    the count (here 3 pages) with the numbers the parent answers (pages 11-13 of 20)."""
    html = HEAD + '<p id="a">one</p><p style="break-before: page" id="b">two</p>' \
        '<p style="break-before: page">three</p></body></html>'
    base = templates.resolve().as_uri() + "/"
    asked = []

    def ask(count: int, anchors: dict[str, int]) -> tuple[int, int]:
        asked.append((count, anchors))
        return 10, 20

    with patches.numbers_after_layout(None, ask):
        pdf = weasyprint.HTML(string=html, base_url=base).render().write_pdf()
    assert asked == [(3, {"a": 0, "b": 1})]
    assert [re.search(r"Page \d+ of \d+", t).group(0) for t in _texts(pdf)] == [
        "Page 11 of 20", "Page 12 of 20", "Page 13 of 20"]
    # the public path (another WeasyPrint) draws the same pages by laying the part out again
    fetcher = worker.TemplatesOnly(templates)
    again = worker._lay_out(html, base, fetcher, worker.numbered((10, 20), fetcher)).write_pdf()  # noqa: SLF001
    assert _streams(again) == _streams(pdf)


def test_columns_filled_in_turn_lay_out_as_weasyprint_does(applied: None, templates: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The 'columns' patch skips WeasyPrint's trial pass for auto-filled columns: the pages must
    come out exactly as WeasyPrint draws them with the trial."""
    items = "".join(f"<li>{'Note text that wraps over a line or two. ' * (1 + i % 4)}</li>" for i in range(120))
    html = (HEAD + '<h2>Notes</h2><ol style="columns: 2; column-fill: auto">' + items + "</ol>"
            '<p>After the list.</p><div style="columns: 2"><p>balanced</p><p>columns</p></div></body></html>')
    base = templates.resolve().as_uri() + "/"

    def streams() -> list[bytes]:
        return _streams(weasyprint.HTML(string=html, base_url=base).render().write_pdf())

    assert block.columns_layout is patches.columns_layout
    decided: list[bool] = []
    fills = patches._fills_in_turn  # noqa: SLF001
    monkeypatch.setattr(patches, "_fills_in_turn", lambda *a: decided.append(fills(*a)) or decided[-1])
    once = streams()
    assert True in decided and False in decided      # the auto-filled list skips, the balanced div not
    patches.remove()
    assert streams() == once and len(once) >= 3


def test_the_public_path_renders_the_same_briefing(templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The render host without the patches (PIPELINE_RENDER_PUBLIC, as with another WeasyPrint
    version): parts laid out twice, the same PDF byte for byte."""
    parts = ['<nav><a class="page-ref" href="#b">B</a></nav>',
             '<section id="a">' + "<p style='break-after: page'>A</p>" * 3 + "</section>",
             '<section id="b"><h2>B</h2><a href="#a">to A</a></section>']
    html = HEAD + "".join(f"<!--part-->{part}" for part in parts) + "</body></html>"
    meta = {"created": dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "identifier": "test", "variant": "pdf/a-3b"}
    pdfs = []
    for public in ("", "1"):
        monkeypatch.setenv("PIPELINE_RENDER_PUBLIC", public)
        with RenderHost(templates) as host:
            pdfs.append(render_pdf(html, templates, [("a.csv", b"x\n1\n")], meta, None, host))
            assert host.timings["host"]["patched"] is not bool(public)
    pdf, n = pdfs[0]
    assert pdfs[1] == (pdf, n) and n == 5      # contents, A on three pages, B
    assert [re.search(r"Page \d+ of \d+", t).group(0) for t in _texts(pdf)] == [
        f"Page {i} of {n}" for i in range(1, n + 1)]
