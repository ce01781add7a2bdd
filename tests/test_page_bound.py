"""The page bound as a tested property: at 2, 20, 100 and 200 sources, each built on top of the
one before (the seed first), every section stays within its limit and says how much it left
out, so the PDF stays a briefing. The view is checked at every size (cheap: no layout); a real
PDF is built at 20 sources on top of the seed briefing, and its pages are counted per section
from the PDF's own outline (bench/pages.py, which `make bench` uses at every size)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402 - bench/ is a folder of scripts, not a package
import pages  # noqa: E402

from pipeline.build import build  # noqa: E402
from pipeline.contrast import contrast  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.inputs import MAX_ROWS_DEFAULTS, load_inputs  # noqa: E402
from pipeline.pack import pack  # noqa: E402
from pipeline.pack.changes import compare  # noqa: E402
from pipeline.pack.view import Briefing  # noqa: E402
from pipeline.render.stage import render_html  # noqa: E402
from pipeline.review import review  # noqa: E402
from pipeline.tables import build_tables  # noqa: E402

SIZES = (2, 20, 100, 200)
MAX_PAGES = 40


def tables_of(root: Path) -> tuple[object, dict[str, pd.DataFrame]]:
    """The build's stages up to the tables, as build() runs them (no cache, no render)."""
    inputs = load_inputs(root / "inputs")
    sources, passages, sentences = ingest(inputs.sources, inputs.codebook.lexicon.model)
    machine = extract(inputs.codebook, inputs.sources, sentences)
    merged = review(inputs, passages, sentences, machine)
    tables = build_tables(inputs, sources, passages, merged)
    tables = contrast(inputs, tables, merged.positions, passages)
    return inputs, tables


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def chained(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, dict, dict[str, pd.DataFrame], str]]:
    """(size, view, tables, html) at each size, each compared with the size before."""
    full = tmp_path_factory.mktemp("corpus") / "c200"
    corpus.make_corpus(full, max(SIZES))
    out, previous = [], None
    for size in SIZES:
        root = tmp_path_factory.mktemp(f"s{size}")
        shutil.copytree(ROOT / "inputs", root / "inputs")
        for i in range(1, size - 1):
            for ext in ("txt", "yaml"):
                shutil.copy(full / "inputs/sources" / f"synth-{i:03d}.{ext}", root / "inputs/sources")
        inputs, tables = tables_of(root)
        changes = compare(previous, tables, {"build_id": f"size-{size}", "built_at": ""})
        view, _ = pack(inputs, tables, changes, f"size-{size}")
        out.append((size, view, tables, text_of(render_html(view, ROOT / "templates"))))
        previous = {k: tables[k] for k in ("events", "plan_terms", "positions", "actors", "notes")}
    return out


@pytest.mark.parametrize("index", range(len(SIZES)), ids=[f"{n}-sources" for n in SIZES])
def test_every_section_stays_within_its_limit_and_says_what_it_left_out(chained: list, index: int) -> None:
    size, view, tables, text = chained[index]
    limits = load_inputs(ROOT / "inputs").briefing.model
    assert len(tables["sources"]) == size

    events = len(tables["events"])
    shown = len(view.chronology.rows) + len(view.chronology.undated)
    chron = view.chronology
    assert shown <= limits.max_rows["events"] and shown + chron.cut + chron.held == events
    if chron.cut:
        assert f"{chron.cut} further events are not shown" in text
    if chron.held:   # rows below show_machine_from stay in the tables, and the page says how many
        assert f"{chron.held} further machine-found events below confidence {chron.show_machine_from}" in text

    shown_actors = len(view.who.rows) + len(view.who.machine)
    assert shown_actors <= limits.max_rows["actors"]
    if view.who.cut:
        assert f"{view.who.cut} further actors are not shown" in text
    if view.matrix.terms_cut:
        assert f"{view.matrix.terms_cut} further plan terms are not shown" in text

    # notes: within the budget, or one per row (then the rows' own limits bound them)
    assert len(view.notes.rows) <= MAX_ROWS_DEFAULTS["notes"] or view.notes.per_row == 1
    if view.notes.per_row < view.notes.per_row_asked:
        assert f"each row prints at most {view.notes.per_row} note" in text

    assert len(view.appendix.rows) <= max(MAX_ROWS_DEFAULTS["sources"], limits.sources_in_detail)
    if view.appendix.cut:
        assert f"{view.appendix.cut} further sources are not listed here" in text
    if view.contrast.other_sources:
        assert f"{view.contrast.other_sources} further sources are not shown side by side" in text

    changes = view.changes
    if index == 0:
        assert changes.first
    else:   # built on the size before: its new rows are counted, the page lists the top few
        assert changes.total == sum(c.added + c.removed + c.changed for c in changes.counts)
        assert len(changes.top) == min(MAX_ROWS_DEFAULTS["changes"], changes.total)
        if changes.more:
            assert f"+{changes.more} more: all {changes.total} changes are in changes.csv" in text


def test_the_printed_view_stops_growing_once_the_limits_bind(chained: list) -> None:
    """From 100 to 200 sources the corpus doubles; what is printed does not."""
    def printed(view: Briefing) -> int:
        return (len(view.chronology.rows) + len(view.chronology.undated) + len(view.who.rows)
                + len(view.who.machine) + sum(len(c.items) for r in view.matrix.rows for c in r.cells)
                + len(view.notes.rows) + len(view.appendix.rows) + len(view.changes.top))

    sizes = {size: printed(view) for size, view, _, _ in chained}
    assert sizes[200] <= sizes[100] * 1.1, sizes
    assert sizes[200] < sizes[20] * 2, sizes


def test_a_briefing_built_on_the_seed_briefing_stays_within_the_page_bound(seed: Path, tmp_path: Path) -> None:
    """The seed's briefing is published, 18 new sources arrive: the next PDF is within 40 pages
    and its changes section fills at most one page."""
    root = tmp_path / "p"
    for sub in ("inputs", "templates", "output"):
        shutil.copytree(seed / sub, root / sub)
    corpus.make_corpus(tmp_path / "c20", 20)
    for p in sorted((tmp_path / "c20/inputs/sources").glob("synth-*")):
        shutil.copy(p, root / "inputs/sources" / p.name)
    result = build(root)
    sections = {s["title"]: s for s in pages.section_pages(root / "output/briefing.pdf")}
    assert result.pages <= MAX_PAGES, sections
    changed = sections["What changed since the last briefing"]
    assert changed["length"] <= 1.0 and changed["pages"] <= 2, changed
    assert sum(1 for _ in sections) >= 8 and sections["Chronology"]["pages"] >= 1


# --- real diversity ---------------------------------------------------------------------------
# Recombined seed paragraphs repeat the same few dozen actors; a desk's year of news names
# thousands. bench/diverse.py writes reports whose people, bodies, places and happenings are
# each source's own (names invented from syllables, long wire-style sentences). With the page
# shares made small, every capped section binds at a size a test can build, and the laid-out
# PDF shows whether what the estimates let through really fits.
import diverse  # noqa: E402

DIVERSE = 120
TIGHT = {"chronology": 2.0, "matrix": 1.0, "framing": 0.4, "who": 1.0, "notes": 2.0}


@pytest.fixture(scope="module")
def diverse_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("diverse")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    shutil.copytree(ROOT / "templates", root / "templates")
    diverse.add_diverse(root / "inputs" / "sources", 1, DIVERSE)
    briefing = root / "inputs" / "briefing.yaml"
    shares = "".join(f"  {k}: {v}\n" for k, v in TIGHT.items())
    briefing.write_text(briefing.read_text(encoding="utf-8").rstrip("\n") + f"\npage_budget:\n{shares}",
                        encoding="utf-8")
    return root, build(root)


def test_at_real_diversity_each_section_fits_its_share_and_says_what_it_left_out(diverse_build: tuple) -> None:
    root, result = diverse_build
    out = root / "output"
    actors = pd.read_csv(out / "tables" / "actors.csv", keep_default_na=False)
    events = pd.read_csv(out / "tables" / "events.csv", keep_default_na=False)
    assert len(actors) > 8 * DIVERSE and len(events) > 10 * DIVERSE     # distinct, not recombined
    assert result.pages <= MAX_PAGES
    sections = {s["title"]: s for s in pages.section_pages(out / "briefing.pdf")}
    for share, title in (("chronology", "Chronology"), ("who", "Who's who"), ("notes", "Source notes"),
                         ("matrix", "Plan-version matrix")):
        # the share, and at most the section's heading and its "left out" line beyond it
        assert sections[title]["length"] <= TIGHT[share] + 0.15, (title, sections[title])
    text = " ".join(text_of((out / "briefing.html").read_text(encoding="utf-8")).split())
    assert re.search(r"\d+ further events are not shown", text)
    assert re.search(r"\d+ further actors are not shown", text)
    assert re.search(r"\d+ further plan terms are not shown", text)
    assert re.search(r"each row prints at most \d note", text)


def test_the_pdf_keywords_are_the_plans_and_the_sources_the_cover_names(chained: list) -> None:
    """Not every source: at 2,000 sources that list was 31 kB in the PDF's properties."""
    size, view, tables, _ = chained[-1]
    listed = view.cover.keywords + ", "
    cover = {s.short for s in view.cover.sources}
    assert all(f"{name}, " in listed for name in tables["plans"]["name"])
    assert all(listed.count(f"{name}, ") == 1 for name in cover)
    others = set(tables["sources"]["short"]) - cover
    assert len(others) > size // 2 and not any(f"{name}, " in listed for name in others)
