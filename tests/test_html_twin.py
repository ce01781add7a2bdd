"""The HTML twin (output/briefing.html) as a reader opens it: in a real headless Chromium.

It must carry its own stylesheet, use only files in output/, fetch nothing else, keep note
numbers, badges and list numbers apart, have a working contents list and internal links, and
read well on a laptop screen (1366 × 768). The first screen is compared with a committed
reference image (tests/golden/html-first-screen.png; rewrite it with `make update-golden`
after a change meant to alter it, having looked at the new one).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import MISSING, Browser, executable

GOLDEN = Path(__file__).parent / "golden" / "html-first-screen.png"
SCREEN = (1366, 768)          # a common laptop screen, in CSS pixels
MAX_MEAN_DIFF = 2.0           # mean absolute grey-level difference (0–255), image at half size


@pytest.fixture(scope="module")
def twin(seed: Path) -> Path:
    return seed / "output" / "briefing.html"


def test_twin_carries_its_stylesheet_and_fonts(twin: Path) -> None:
    html = twin.read_text(encoding="utf-8")
    assert 'rel="stylesheet"' not in html and "<style>" in html
    assert "@media screen" in html and "ol.notes" in html
    urls = re.findall(r"url\(([^)]+)\)", html)
    assert len(urls) >= 5
    for url in urls:
        assert (twin.parent / url.strip("'\"")).is_file(), url
    assert (twin.parent / "fonts" / "OFL-NotoSerif.txt").is_file()     # the licence travels with the fonts
    assert not re.search(r'(src|href)="(https?:|//|file:|/)', html)


def test_twin_refuses_a_stylesheet_url_outside_templates(project: Path) -> None:
    from pipeline.errors import InputError
    from pipeline.render.stage import html_twin

    css = project / "templates" / "briefing.css"
    css.write_text(css.read_text() + "\n.x { background: url(https://example.org/a.png); }\n")
    with pytest.raises(InputError, match="not a file under templates"):
        html_twin('<link rel="stylesheet" href="briefing.css">', project / "templates")
    css.write_text(".x { background: url(../../etc/passwd); }\n")
    with pytest.raises(InputError, match="not a file under templates"):
        html_twin('<link rel="stylesheet" href="briefing.css">', project / "templates")


def test_an_archived_twin_keeps_its_fonts(tmp_path: Path) -> None:
    import json

    from pipeline.publish import publish

    out = tmp_path / "output"
    for build_id in ("a1", "b2"):
        publish(out, {"briefing.html": b"<style>@font-face { src: url(fonts/f.ttf); }</style>",
                      "briefing.pdf": b"%PDF-1.7 " + build_id.encode(), "fonts/f.ttf": b"font " + build_id.encode(),
                      "manifest.json": json.dumps({"build_id": build_id, "built_at": build_id}).encode()},
                keep=3, build_id=build_id)
    assert (out / "archive" / "a1" / "fonts" / "f.ttf").read_bytes() == b"font a1"


@pytest.fixture(scope="module")
def browser(twin: Path) -> Browser:
    exe = executable()
    if exe is None:
        pytest.fail(MISSING)
    with Browser(exe) as b:
        b.open(twin.resolve().as_uri(), *SCREEN)
        yield b


def test_fetches_only_files_in_output(browser: Browser, twin: Path) -> None:
    requested = browser.requested()
    folder = twin.parent.resolve().as_uri() + "/"
    assert requested and requested[0] == twin.resolve().as_uri()
    outside = [u for u in requested if not u.startswith(folder) and not u.startswith("data:")]
    assert not outside, outside
    assert sum("/fonts/" in u for u in requested) == 5


def test_first_screen(browser: Browser, request: pytest.FixtureRequest,
                      tmp_path_factory: pytest.TempPathFactory) -> None:
    from PIL import Image

    from tests.test_visual import _mean_diff

    shot = tmp_path_factory.mktemp("html-screen") / "first-screen.png"
    browser.evaluate("window.scrollTo(0, 0); true")
    browser.screenshot(shot)
    with Image.open(shot) as img:
        assert img.size == SCREEN
        rgb = img.convert("RGB")
        grey = img.convert("L").resize((SCREEN[0] // 2, SCREEN[1] // 2))
    # What a reader sees first, whatever the reference says: the draft band across the top,
    # the page column on a tinted background, the title in the briefing's blue.
    band = rgb.getpixel((SCREEN[0] // 2 - 250, 4))
    assert band[0] > 230 and band[2] < 190, f"draft band colour {band}"
    assert rgb.getpixel((20, SCREEN[1] // 2)) != (255, 255, 255), "no page background"
    assert rgb.getpixel((SCREEN[0] // 2, SCREEN[1] // 2 + 200)) != rgb.getpixel((20, SCREEN[1] // 2))
    title = browser.evaluate("""(() => { const r = document.querySelector('h1').getBoundingClientRect();
        return [r.top, r.bottom, getComputedStyle(document.querySelector('h1')).color]; })()""")
    assert 0 < title[0] < title[1] < SCREEN[1] / 3 and title[2] == "rgb(31, 58, 95)"
    if request.config.getoption("--update-golden"):
        grey.save(GOLDEN, optimize=True)
        return
    assert GOLDEN.exists(), "no reference first screen: run `make update-golden`, look at it, commit it"
    with Image.open(GOLDEN) as ref_file:
        ref = ref_file.convert("L")
    diff = _mean_diff(grey, ref)
    assert diff <= MAX_MEAN_DIFF, (f"first screen differs from {GOLDEN.name} by {diff:.2f} "
                                   f"(screenshot: {shot}); if intended, run `make update-golden`")


def test_every_internal_link_resolves(browser: Browser) -> None:
    found = browser.evaluate("""(() => {
        const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
        const internal = links.filter(h => h.startsWith('#'));
        return {all: links.length, internal: internal.length,
                broken: internal.filter(h => !document.getElementById(decodeURIComponent(h.slice(1)))),
                other: links.filter(h => !h.startsWith('#'))};
    })()""")
    assert found["internal"] > 200 and not found["broken"], found["broken"][:10]
    assert not found["other"], found["other"][:10]       # nothing leads out of the document
    contents = browser.evaluate("""[...document.querySelectorAll('nav.toc a')].map(a => {
        const t = document.getElementById(a.getAttribute('href').slice(1));
        return [a.textContent, t ? t.querySelector('h2').textContent : null]; })""")
    assert len(contents) >= 7 and all(entry == heading for entry, heading in contents), contents


def test_note_numbers_badges_and_lists_stay_apart(browser: Browser) -> None:
    got = browser.evaluate("""(() => {
        const cites = [...document.querySelectorAll('a.cite + a.cite')];
        const first = document.querySelector('a.cite');
        const badge = document.querySelector('td .unrev');
        const before = badge.previousElementSibling.getBoundingClientRect();
        const note = document.querySelector('ol.notes li');
        return {raised: getComputedStyle(first).verticalAlign,
                smaller: parseFloat(getComputedStyle(first).fontSize)
                         < parseFloat(getComputedStyle(first.parentElement).fontSize),
                separators: [...new Set(cites.map(c => getComputedStyle(c, '::before').content))],
                pairs: cites.length,
                badge_gap: badge.getBoundingClientRect().left - before.right,
                list_style: getComputedStyle(note.parentElement).listStyleType,
                note_text: note.innerText.slice(0, 6)};
    })()""")
    assert got["raised"] == "super" and got["smaller"]
    assert got["pairs"] > 20 and got["separators"] == ['","']     # "5,86" rather than "586"
    assert got["badge_gap"] >= 2, got                             # "13 UNREVIEWED", not "13unreviewed"
    assert got["list_style"] == "none" and re.match(r"1\.\s+“", got["note_text"]), got   # "1." once


def test_reads_well_on_a_laptop(browser: Browser) -> None:
    got = browser.evaluate("""(() => {
        const p = document.querySelector('#key-points li');
        const r = p.getBoundingClientRect();
        return {overflow: document.documentElement.scrollWidth - innerWidth,
                text_px: parseFloat(getComputedStyle(p).fontSize)
                         * (parseFloat(getComputedStyle(document.body).zoom) || 1),
                line_width: r.width,     // already in screen pixels (zoom applied)
                fonts: [...document.fonts].map(f => f.family + ' ' + f.weight + ' ' + f.style + ' ' + f.status),
                matrix_fits: (() => { const s = document.querySelector('section.wide');
                                      return s.scrollWidth <= s.clientWidth + 1; })()};
    })()""")
    assert got["overflow"] <= 0, "the page scrolls sideways"
    assert got["text_px"] >= 14, got                   # 9 pt print text is too small on a screen
    assert 500 < got["line_width"] < 1000, got
    assert len(got["fonts"]) == 5 and all(f.endswith("loaded") for f in got["fonts"]), got["fonts"]
    assert got["matrix_fits"], "the plan matrix needs sideways scrolling at 1366 px"

