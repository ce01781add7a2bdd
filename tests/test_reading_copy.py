"""The reading copy, page by page, as a desk officer reads it (issue 21): no repeats, no noise.

Each check is one defect that was seen in the seed briefing: a comparison question printed
four times, fragments in the framing table ("through its president", "where the plan"), a
long date label overprinting the event beside it, a year labelled twice on the timeline and a
year-long event drawn as a clipped sliver, file paths and table names in reader-facing text,
a part ending on a mostly blank page, and sources without positions given a column each.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.inputs import load_inputs

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def _row(n: int, start: str, end: str, precision: str, date: str = "", status: str = "reviewed") -> dict:
    return {"n": n, "start": start, "end": end, "precision": precision, "title": f"event {n}",
            "status": status, "date": date or start}


# --- timeline -------------------------------------------------------------------------------

def test_the_timeline_axis_names_each_year_once() -> None:
    from tests.test_pack import timeline_svg

    rows = [_row(1, "2025-01-01", "2025-01-31", "month"), _row(2, "2025-08-15", "2025-08-15", "day"),
            _row(3, "2025-11-01", "2025-11-30", "month"), _row(4, "2026-02-03", "2026-02-03", "day")]
    labels = [t.text for t in ET.fromstring(timeline_svg(rows)).iter(f"{SVG}text")]
    years = [t for t in labels if t and re.fullmatch(r"\d{4}", t)]
    assert years == ["2025", "2026"], labels     # Jan and Aug 2025 lie either side of a grey band


def test_a_year_in_a_grey_band_is_drawn_visibly_with_its_date() -> None:
    from pipeline.pack.timeline import MIN_MARK, WIDTH, Axis, _marks, _place
    from tests.test_pack import timeline_svg

    rows = [_row(1, "2022-01-01", "2022-12-31", "year", date="2022"),
            _row(2, "2025-08-15", "2025-08-15", "day"), _row(3, "2025-11-01", "2025-11-30", "month")]
    marks = _marks(rows)
    _place(marks, Axis(marks))
    year = next(m for m in marks if m.numbers == [1])
    assert year.x1 - year.x0 >= MIN_MARK                     # not a sliver
    assert year.label == "1 (2022)"                          # the axis has no year there
    width = len(year.label) * 5.0
    left = year.label_x - (width / 2 if year.label_anchor == "middle" else
                           width if year.label_anchor == "end" else 0)
    assert left >= 0 and left + width <= WIDTH                # never cut off at an edge
    labels = [t.text for t in ET.fromstring(timeline_svg(rows)).iter(f"{SVG}text")]
    assert "1 (2022)" in labels


def test_labels_that_fit_on_neither_side_stay_inside_the_figure() -> None:
    from pipeline.pack.timeline import WIDTH, Axis, _marks, _place

    # one long span over the whole axis, many rows on it: the label is wider than either margin
    rows = [_row(n, "2024-01-01", "2025-12-31", "range") for n in range(1, 40, 2)]
    rows += [_row(2, "2024-03-03", "2024-03-03", "day"), _row(4, "2025-10-03", "2025-10-03", "day")]
    marks = _marks(rows)
    _place(marks, Axis(marks))
    for m in marks:
        width = len(m.label) * 5.0
        left = m.label_x - (width / 2 if m.label_anchor == "middle" else width if m.label_anchor == "end" else 0)
        assert left >= 0 and left + width <= WIDTH + 0.5, (m.label, m.label_x, m.label_anchor)


# --- framing --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def codebook():  # noqa: ANN201 - the seed's Codebook
    return load_inputs(ROOT / "inputs").codebook


@pytest.fixture(scope="module")
def lexicon(codebook):  # noqa: ANN001, ANN201 - the seed's Lexicon model
    return codebook.lexicon.model


@pytest.mark.parametrize(("text", "phrases"), [
    ("Both sides preferred the war to a deal.", []),
    ("It was unclear where the plan would leave Kyiv.", []),
    ("He replaced slogan with settlement.", []),
    ("The Trump twenty eight point plan was leaked.", ["twenty eight point plan"]),
    ("A 28-point plan appeared.", ["28-point plan"]),
    ("After the full-scale invasion, talks stopped.", ["full-scale invasion"]),
    ("Russia's invasion changed that.", ["Russia's invasion"]),
    ("He called it the Ukraine war.", ["Ukraine war"]),
    ("They discussed a new peace plan.", ["new peace plan"]),
    ("Trump’s new peace envoy arrived.", []),           # "peace" is a modifier of a title here
    ("Asked whether peace was closer, he shrugged.", []),
    ("Von der Leyen says peace must be just.", []),
    # a verb in -ing takes the noun as its object; an adjective in -ing qualifies it
    ("They met after signing peace in Doha.", []),
    ("He accused Europe of sabotaging Trump’s plan.", ["Trump’s plan"]),
    ("Both want a lasting peace.", ["lasting peace"]),
    ("Russia's ongoing war goes on.", ["Russia's ongoing war"]),
    ("It is the hemisphere's longest-running war.", ["hemisphere's longest-running war"]),
])
def test_war_phrases_are_noun_phrases_with_a_framing_head(codebook, text: str, phrases: list[str]) -> None:  # noqa: ANN001
    from pipeline.contrast import Reading, noun_phrases

    said = Reading.of(codebook)
    assert [p for p, _ in noun_phrases(text, said.head, said.stop, said.numbers, said.follow,
                                       said.adjectives)] == phrases


@pytest.mark.parametrize(("sentence", "name", "epithet"), [
    ("The United States, through its elected president, accepted the terms.", "The United States", ""),
    ("Then there are talks with Ukraine, during which the US seems to be acting like an agent of Russia, "
     "trying to find out more.", "Ukraine", ""),
    ("Steve Witkoff, the New York real estate ally who had his ear, flew in.", "Steve Witkoff",
     "the New York real estate ally"),
    ("Kremlin negotiator Kirill Dmitriev said so.", "Kirill Dmitriev", "Kremlin negotiator"),
    ("Russia, through its president, said no.", "Russia", ""),
    # a chronology's line: the date and its dash are no part of the title
    ("Nov 30 - President Clinton shakes hands with Mr Adams in Belfast.", "Clinton", "President"),
    ("12 May – Foreign Minister Lavrov arrives in Ankara.", "Lavrov", "Foreign Minister"),
    # a verb that takes the person as its object is no part of the title
    ("The envoy flew to Moscow to meet President Vladimir Putin.", "Vladimir Putin", "President"),
    ("The crowd welcomed Prime Minister Karin Lind at the port.", "Karin Lind", "Prime Minister"),
])
def test_epithets_are_titles_with_a_noun_head(lexicon, sentence: str, name: str, epithet: str) -> None:  # noqa: ANN001
    from pipeline.extract.actors import _epithet, _terms_regex

    terms = _terms_regex(tuple(lexicon.titles) + tuple(lexicon.epithets))
    stops = frozenset(w.lower() for w in [*lexicon.epithet_boundaries, *lexicon.determiners])
    start = sentence.index(name)
    assert _epithet(sentence, start, start + len(name), terms, stops) == epithet


def test_the_seed_framing_table_has_no_fragments(tables: dict) -> None:
    framing = tables["framing"]
    text = " ; ".join(framing["terms"])
    for fragment in ("through its", "during which", "where the plan", "preferred the war",
                     "slogan with", "receive this plan", "time the plan"):
        assert fragment not in text, fragment
    assert not re.search(r"(?:^|; )eight point plan", text)          # "twenty eight point plan" whole
    assert "ukraine war" not in text and "russia’s" not in text       # names keep their capitals
    assert "Ukraine war" in text or "Ukraine conflict" in text


# --- chronology table -----------------------------------------------------------------------

def test_a_long_date_label_wraps_inside_its_cell() -> None:
    """Laid out with the real stylesheet: no line of the date cell reaches past the cell into
    the event text beside it."""
    import weasyprint

    rows = "".join(f'<tr><td class="c-n">{i}</td><td class="c-date">{label}</td>'
                   '<td>An event, as reported, in the column beside the date.</td><td class="c-src">A</td></tr>'
                   for i, label in enumerate(["week of 11 Nov 2019", "21 Nov – 3 Dec 2025",
                                              "30 Dec 2024 – 2 Jan 2025", "15 Aug 2025"], start=1))
    html = ('<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="briefing.css">'
            '</head><body><section id="chronology"><table class="chron"><thead><tr><th class="c-n">#</th>'
            '<th class="c-date">Date</th><th>Event</th><th class="c-src">Reported by</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></section></body></html>')
    doc = weasyprint.HTML(string=html, base_url=str(ROOT / "templates") + "/").render()

    def walk(box):  # noqa: ANN001, ANN202 - WeasyPrint layout boxes
        yield box
        for child in getattr(box, "children", []) or []:
            yield from walk(child)

    cells = [b for b in walk(doc.pages[0]._page_box)
             if type(b).__name__ == "TableCellBox" and "c-date" in (b.element.get("class") or "")
             and b.element.tag == "td"]
    assert len(cells) == 4
    for cell in cells:
        right = cell.content_box_x() + cell.width
        for box in walk(cell):
            if type(box).__name__ == "TextBox":
                assert box.position_x + box.width <= right + 0.5, (box.text, box.position_x + box.width, right)


# --- the seed briefing as printed -----------------------------------------------------------

def _page_text(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]


def test_no_paths_internal_ids_or_table_names_in_the_reading_copy(seed: Path, tables: dict) -> None:
    text = " ".join(_page_text(seed / "output" / "briefing.pdf"))
    html = (seed / "output" / "briefing.html").read_text(encoding="utf-8")
    shown = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|svg|title)\b.*?</\1>", " ", html, flags=re.S)).split())
    for where in (text, shown):
        assert not re.search(r"\b(?:output|inputs|archive|sources)/", where), re.search(
            r".{40}\b(?:output|inputs|archive|sources)/.{40}", where)
        assert "changes.json" not in where
        for column in ("event_id", "source_ids", "plan_id", "note_ids", "actor_id"):
            assert column not in where, column
        # machine ids ("auto-82a32dfd") and event ids stay in the tables, never in the text
        assert not re.search(r"\bauto-[0-9a-f]{6,}\b", where)
        for event_id in tables["events"]["event_id"]:
            if "-" in event_id:
                assert f" {event_id} " not in f" {where} ", event_id


def test_the_changes_page_says_what_changed_in_plain_words() -> None:
    from pipeline.pack.changes import view

    changes = {"first": False, "baseline": None, "tables": [
        {"name": "actors", "added": [], "removed": [],
         "changed": [{"id": "associated press", "label": "Associated Press", "fields": ["source_ids"]}]},
        {"name": "events", "added": [{"id": "e1", "label": "", "fields": []}], "removed": [], "changed": []},
    ]}
    import pandas as pd
    empty = {name: pd.DataFrame() for name in ("events", "plan_terms", "positions", "actors")}
    top = view(changes, empty, 12)["top"]
    actor = next(x for x in top if x["label"] == "Associated Press")
    assert actor["table"] == "person or body" and actor["fields"] == ["which sources report it"]
    untitled = next(x for x in top if x["table"] == "event")
    assert untitled["label"] == "(untitled)"          # never the row's id


def test_no_page_before_the_end_is_left_mostly_blank(seed: Path) -> None:
    """Every portrait page but the last is at least a third full: sections run on, and the
    landscape matrix, which cannot share a page with them, comes last."""
    import numpy as np
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(seed / "output" / "briefing.pdf"))
    try:
        portrait, fills = [], []
        for i in range(len(doc)):
            page = doc[i]
            width, height = page.get_size()
            if width > height:
                continue
            img = np.asarray(page.render(scale=0.5).to_pil().convert("L"))
            top, bottom = int(img.shape[0] * 0.085), int(img.shape[0] * 0.93)   # inside head and foot
            inked = np.where((img[top:bottom] < 200).sum(axis=1) > 2)[0]
            portrait.append(i + 1)
            fills.append((inked.max() + 1) / (bottom - top) if len(inked) else 0.0)
    finally:
        doc.close()
    blank = [(p, round(f, 2)) for p, f in zip(portrait[:-1], fills[:-1], strict=True) if f < 1 / 3]
    assert not blank, blank
    landscape_first = len(portrait) + 1
    assert portrait == list(range(1, landscape_first)), "the landscape matrix is the last part"
