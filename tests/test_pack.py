"""The briefing's view: plan-matrix shading and the chronology figure, on small hand-made tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from pipeline.pack import classify_changes, coverage_view, plan_matrix, signature
from pipeline.pack.timeline import number_runs, timeline

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def timeline_svg(rows: list[dict]) -> str:
    """The figure as the briefing draws it: the shapes pipeline/pack/timeline.py computes, through
    the template's `figure` macro (templates/timeline.svg.j2), autoescaped; "" when none."""
    from pipeline.render.stage import html_env

    figure = timeline(rows)
    if figure is None:
        return ""
    template = html_env(TEMPLATES).from_string('{% from "timeline.svg.j2" import figure %}{{ figure(f) }}')
    return template.render(f=figure)


def test_no_template_inserts_markup_unescaped() -> None:
    """Source text is data: no template marks a value `|safe` (the timeline was the last one)."""
    assert [p.name for p in TEMPLATES.glob("*.j2") if "|safe" in p.read_text().replace(" ", "")] == []

PLANS = [{"plan_id": p} for p in ("v1", "v2", "v3", "v4")]
SHORT = {"a": "Source A", "b": "Source B"}


def _terms(*rows: tuple) -> pd.DataFrame:
    """rows: (provision, plan, source, position, value, unit, status)."""
    cols = ["provision_id", "plan_id", "source_id", "position", "value", "unit", "status"]
    df = pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], columns=cols)
    df["note_ids"] = "n1"
    return df


def _changes(terms: pd.DataFrame, provisions: dict[str, str] | None = None) -> dict[str, list[str]]:
    rows = plan_matrix(terms, PLANS, provisions or {"p": "Provision P"}, SHORT, lambda _ids: [])
    return {r["id"]: [c["change"] for c in r["cells"]] for r in rows}


def test_unchanged_number_is_same_even_when_worded_differently() -> None:
    terms = _terms(("p", "v1", "a", "A cap of 100", 100.0, "troops", "reviewed"),
                   ("p", "v2", "b", "Capped at one hundred", 100.0, "troops", "reviewed"))
    assert _changes(terms) == {"p": ["new", "same", "dropped", "dropped"]}


def test_changed_number_and_changed_wording() -> None:
    terms = _terms(("p", "v1", "a", "Cap", 100.0, "troops", "reviewed"),
                   ("p", "v2", "a", "Cap", 200.0, "troops", "reviewed"),
                   ("p", "v3", "a", "No cap at all", None, "", "reviewed"),
                   ("p", "v4", "a", "no cap  at all.", None, "", "reviewed"))
    assert _changes(terms) == {"p": ["new", "changed", "changed", "same"]}


def test_gap_is_dropped_and_a_repeat_after_it_compares_with_the_last_mention() -> None:
    terms = _terms(("p", "v2", "a", "Neutral status", None, "", "reviewed"),
                   ("p", "v4", "b", "Neutral status", None, "", "reviewed"))
    assert _changes(terms) == {"p": ["none", "new", "dropped", "same"]}


def test_two_sources_in_one_cell_are_one_set() -> None:
    terms = _terms(("p", "v1", "a", "28 points", 28.0, "points", "reviewed"),
                   ("p", "v1", "b", "Twenty-eight points", 28.0, "points", "reviewed"),
                   ("p", "v2", "a", "28 points", 28.0, "points", "unreviewed"),
                   ("p", "v3", "a", "19 points", 19.0, "points", "reviewed"),
                   ("p", "v3", "b", "28 points", 28.0, "points", "reviewed"))
    assert _changes(terms) == {"p": ["new", "same", "changed", "dropped"]}


def test_provisions_in_codebook_order_and_unmentioned_ones_left_out() -> None:
    terms = _terms(("q", "v3", "a", "x", None, "", "reviewed"),
                   ("p", "v1", "a", "y", None, "", "reviewed"))
    rows = plan_matrix(terms, PLANS, {"p": "P", "z": "never mentioned", "q": "Q"}, SHORT,
                       lambda _ids: [])
    assert [r["id"] for r in rows] == ["p", "q"]
    assert [c["change"] for c in rows[1]["cells"]] == ["none", "none", "new", "dropped"]
    cell = rows[0]["cells"][0]["items"][0]
    assert cell["source"] == "Source A" and cell["position"] == "y" and cell["value"] == ""


def test_classify_changes_directly() -> None:
    s1, s2 = frozenset({"a"}), frozenset({"b"})
    none = frozenset()
    assert classify_changes([]) == []
    assert classify_changes([none, none]) == ["none", "none"]
    assert classify_changes([s1, s1, none, s2, none, s2]) == [
        "new", "same", "dropped", "changed", "dropped", "same"]
    assert signature([{"value": "", "position": " Some  Text. "}]) == frozenset({"some text"})


def test_coverage_view_groups_by_source_and_numbers_events() -> None:
    cov = pd.DataFrame([
        {"item_type": "event", "item_id": "e1", "label": "E1", "source_ids": "a;b", "shared": "all"},
        {"item_type": "event", "item_id": "e2", "label": "E2", "source_ids": "a", "shared": "only-one"},
        {"item_type": "event", "item_id": "e3", "label": "E3", "source_ids": "a", "shared": "only-one"},
        {"item_type": "actor", "item_id": "x", "label": "X", "source_ids": "b", "shared": "only-one"},
        {"item_type": "actor", "item_id": "auto-y", "label": "y", "source_ids": "b",
         "shared": "only-one"},
    ])
    columns, rows = coverage_view(cov, ["a", "b"], SHORT, {"e1": 1, "e2": 2, "e3": 3},
                                  {"x": "reviewed", "auto-y": "unreviewed"})
    assert columns == ["All sources", "Only Source A", "Only Source B"]
    events = next(r for r in rows if r["kind"] == "event")["cells"]
    assert [c["count"] for c in events] == [1, 2, 0] and events[1]["numbers"] == "2, 3"
    actors = next(r for r in rows if r["kind"] == "actor")["cells"]
    assert actors[2]["names"] == "X" and actors[2]["machine"] == 1


def _row(n: int, start: str, end: str, precision: str, title: str = "t",
         status: str = "reviewed") -> dict:
    return {"n": n, "start": start, "end": end, "precision": precision, "title": title,
            "status": status, "date": start}


SEED_LIKE = [
    _row(1, "2022-02-01", "2022-02-28", "month"),
    _row(2, "2022-02-01", "2024-12-31", "range"),
    _row(3, "2025-08-15", "2025-08-15", "day"),
    _row(4, "2025-11-01", "2025-11-30", "month"),
    _row(5, "2025-11-01", "2025-11-30", "month"),
    _row(6, "2025-11-01", "2025-11-30", "month", status="unreviewed"),
    _row(7, "2025-12-18", "2025-12-20", "range"),
]


def test_timeline_is_wellformed_deterministic_and_draws_each_kind() -> None:
    svg = timeline_svg(SEED_LIKE)
    assert svg == timeline_svg([dict(r) for r in SEED_LIKE])
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    labels = [t.text for t in root.iter(f"{ns}text")]
    assert "4, 5" in labels and "6" in labels and "3" in labels and "7" in labels
    assert "2022" in labels and "2025" in labels and "Nov" in labels
    assert "id=" not in svg
    assert root.findall(f".//{ns}circle")          # the day tick
    assert 'stroke-dasharray="2 1.2"' in svg       # month spans are outlined
    assert "not to scale" in svg                   # the 2022 → 2025 stretch is compressed


def test_timeline_escapes_untrusted_titles() -> None:
    evil = '</title></svg><script>alert("x")</script><svg onload="x">&amp;'
    svg = timeline_svg([_row(1, "2025-01-02", "2025-01-02", "day", title=evil)])
    assert "<script" not in svg and "</svg><" not in svg
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any(evil in (t or "") for t in titles)   # round-trips as text, never as markup


def test_timeline_without_dated_events_is_empty() -> None:
    assert timeline_svg([]) == ""
    assert timeline_svg([_row(1, "", "", "undated")]) == ""


def test_timeline_x_positions_are_ordered_and_inside_the_figure() -> None:
    svg = timeline_svg(SEED_LIKE)
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', svg)]
    assert xs and min(xs) >= 0 and max(xs) <= 658


@pytest.mark.parametrize(("numbers", "text"), [([1], "1"), ([1, 2], "1, 2"), ([3, 4, 5, 7], "3–5, 7"),
                                               ([9, 8, 7, 1], "1, 7–9")])
def test_number_runs(numbers: list[int], text: str) -> None:
    assert number_runs(numbers) == text


@pytest.mark.parametrize(("start", "end", "label"), [
    ("2025-12-18", "2025-12-20", "18–20 Dec 2025"),
    ("2025-12-01", "2025-12-10", "1–10 Dec 2025"),
    ("2025-11-21", "2025-12-03", "21 Nov – 3 Dec 2025"),
    ("2024-12-30", "2025-01-02", "30 Dec 2024 – 2 Jan 2025"),
    ("2025-09-01", "2025-10-31", "Sep–Oct 2025"),
    ("2022-02-01", "2024-12-31", "Feb 2022 – 2024"),
    ("2022-01-01", "2024-12-31", "2022–2024"),
])
def test_range_labels_are_as_precise_as_each_end(start: str, end: str, label: str) -> None:
    from pipeline.labels import date_label

    assert date_label(start, end, "range") == label


def test_timeline_copes_with_events_spread_over_decades() -> None:
    from pipeline.pack.timeline import WIDTH, Axis, _marks, _place

    rows, n = [], 0
    for year in range(1991, 2026, 2):
        for month, precision, end in ((3, "day", "03"), (7, "month", "31"), (11, "range", "20")):
            n += 1
            day = "03" if precision == "day" else "01"
            rows.append(_row(n, f"{year}-{month:02d}-{day}", f"{year}-{month:02d}-{end}", precision))
    rows.append(_row(n + 1, "1990-01-01", "2025-12-31", "range"))
    svg = timeline_svg(rows)
    ET.fromstring(svg)
    marks = _marks(rows)
    axis = Axis(marks)
    assert axis.ppd > 0 and axis.stretches[-1].x1 <= WIDTH
    _place(marks, axis)
    by_lane: dict[int, list] = {}
    for m in marks:
        assert 0 <= m.x0 <= m.x1 <= WIDTH
        by_lane.setdefault(m.lane, []).append(m)
    for lane in by_lane.values():
        lane.sort(key=lambda m: m.x0)
        for a, b in zip(lane, lane[1:], strict=False):
            assert a.x1 <= b.x0, (a, b)


def test_a_view_row_is_declared_and_refuses_what_it_does_not_declare() -> None:
    """Rows reach the template as the dataclasses of pack/view.py: a key pack adds without
    declaring it, or a declared one it forgets, is an error at build time, not a blank cell."""
    from pipeline.pack import view

    cites = view.CiteList([{"n": 3, "anchor": "c3-1"}])
    cites.more = 2
    side = view.Side.of({"source": "A", "position": "p", "stance": "talks", "stances": ["talks"],
                         "status": "reviewed", "cites": cites})
    assert side.cites == [view.Cite(3, "c3-1")] and side.cites.more == 2 and side.candidates == []
    with pytest.raises(TypeError):
        view.Side.of({"source": "A", "position": "p", "stance": "", "stances": [], "status": "x", "colour": "red"})
    with pytest.raises(TypeError):
        view.CoverageCell.of({"count": 1, "numbers": "1", "names": ""})
    card = view.SourceCard.of({"source_id": "a", "short": "A", "title": "T", "author": "", "outlet": "",
                               "published": "", "published_note": "", "url": "", "kind": "news",
                               "format": "txt", "words": 3, "passages": 1, "has_sidecar": True,
                               "sha256": "", "metadata_from": [], "file": "a.txt",
                               "copies": [{"short": "B", "outlet": "B", "file": "b.txt", "format": "txt",
                                           "published": "", "obtained": "read"}]})
    assert card.copies[0].short == "B"      # a source row's other columns are not the card's


def test_coverage_names_give_way_to_the_coverage_budget_and_are_counted() -> None:
    """Thousands of distinct actors (a year of real news) must not make the coverage table run
    over pages: with little room, each cell names fewer and counts the rest ("and N more")."""
    cov = pd.DataFrame([{"item_type": "actor", "item_id": f"x{i}", "label": f"Official Number{i} Longname",
                         "source_ids": "a;b", "shared": "some"} for i in range(400)])
    shorts = {**SHORT, "c": "Source C"}
    def actors(room: float | None = None) -> list[dict]:
        rows = coverage_view(cov, ["a", "b", "c"], shorts, {}, {}, room=room)[1]
        return next(r for r in rows if r["kind"] == "actor")["cells"]

    wide = actors()
    assert wide[-1]["names"].endswith("and 370 more")        # 30 named without a budget
    names = actors(40.0)[-1]["names"]
    named = int(re.search(r"and (\d+) more$", names).group(1))
    assert 400 - named < 30 and names.count(";") == 400 - named - 1
    assert actors(10_000.0) == wide


def test_a_table_is_fitted_page_by_page_as_it_is_laid_out() -> None:
    """Rows never break across pages and each page repeats the header: tall rows waste the rest
    of a page, so fewer fit than their heights' sum says (real news made the sections overrun)."""
    from pipeline.pack import fit

    page, header = 100.0, 5.0
    assert fit.fitting([10.0] * 30, 200.0) == 20
    # 9 rows of 10 mm fit a page under its 5 mm header (the 10th starts page two, under its own)
    assert fit.fitting_pages([10.0] * 30, 200.0, page, header) == 18
    # rows of 60 mm: one per page, 40 mm of each page left empty
    assert fit.fitting_pages([60.0] * 5, 200.0, page, header) == 2
    assert fit.fitting_pages([60.0] * 5, 200.0, page, header) < fit.fitting([60.0] * 5, 200.0)


def test_a_source_says_a_figure_once_per_cell_citing_every_note() -> None:
    """An article that names "the 28-point plan" three times is one item of that cell, citing its
    three notes; another source, a reviewed term and a term without a figure stay items."""
    from pipeline.pack import _one_item_per_source

    terms = _terms(("p", "v1", "a", "the 28-point plan, first", 28.0, "points", "unreviewed"),
                   ("p", "v1", "a", "the 28-point plan, again", 28.0, "points", "unreviewed"),
                   ("p", "v1", "b", "the 28-point plan, elsewhere", 28.0, "points", "unreviewed"),
                   ("p", "v1", "a", "the plan was leaked", None, "", "unreviewed"),
                   ("p", "v1", "a", "the plan was leaked twice", None, "", "unreviewed"),
                   ("p", "v1", "a", "28 points, as reviewed", 28.0, "points", "reviewed"),
                   ("p", "v1", "a", "the 28-point plan, third", 28.0, "points", "unreviewed"))
    terms["note_ids"] = [[f"n{i}"] for i in range(len(terms))]
    one = _one_item_per_source(terms)
    assert list(one["position"]) == ["the 28-point plan, first", "the 28-point plan, elsewhere",
                                     "the plan was leaked", "the plan was leaked twice", "28 points, as reviewed"]
    assert list(one["note_ids"]) == [["n0", "n1", "n6"], ["n2"], ["n3"], ["n4"], ["n5"]]
