"""A web page printed to PDF, read by its layout (issue 20): the rules that tell the article
from the page's furniture once the markup is gone, each on paragraphs and lines written here
(the whole path, through Chromium, is tests/test_saved_sources.py)."""

from __future__ import annotations

import warnings

from pipeline.readers.dateline import date_line
from pipeline.readers.pdf import Block, Line, _headline, _segments, _web_date, _web_paragraphs, web_article

EDGE = 40.0
LEDE = ("The harbour authority reopened the northern ferry corridor on Wednesday after inspectors "
        "returned to the quay, ending a closure that had stranded hundreds of lorries.")
SECOND = ("Officials said the first crossing left at dawn with 38 vehicles aboard and that every "
          "vessel would be inspected for a month.")
THIRD = ("Negotiators agreed that inspection teams would rotate every two weeks, a compromise "
         "first floated in October, and the operators said they welcomed it.")
FOURTH = "Insurers, who had tripled premiums during the closure, said they would review their rates soon."


def para(text: str, size: float = 10.0, x0: float = EDGE, linked: float = 0.0, kind: str = "body") -> Block:
    return Block(kind, text, linked, size, x0, 560.0, 1, 0.0)


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks]


def read(blocks: list[Block], title: str = "Ferry corridor reopens - Harbour Ledger") -> list[str]:
    return texts(web_article(blocks, title)[0])


HEAD = [para("World Business Sport", linked=1.0), para("Ferry corridor reopens", 24.0, kind="heading")]


def test_the_article_is_its_column_and_its_size() -> None:
    got = read([*HEAD, para(LEDE),
                para("Lorries queue at the quay gate before the first crossing on Wednesday morning.", 8.0),
                para(SECOND),
                para("Night trains return to the coast as the line reopens after repairs this week.", x0=380.0),
                para(THIRD)])
    assert got == [LEDE, SECOND, THIRD]        # no caption (smaller), no sidebar (off the column)


def test_a_block_quote_set_in_is_kept_a_fragment_there_is_not() -> None:
    quote = "\u201cWe will inspect every vessel until the end of the year,\u201d the chairman said on Tuesday."
    got = read([*HEAD, para(LEDE), para(quote, x0=EDGE + 24), para("Quay cranes at dawn", x0=EDGE + 24),
                para(SECOND)])
    assert got == [LEDE, quote, SECOND]


def test_what_comes_before_the_byline_is_the_standfirst() -> None:
    stand = "Lorries are moving again at the northern quay, though the insurers want more."
    got = read([*HEAD, para(stand), para("By Marta Kovalenko, Odesa correspondent"), para(LEDE), para(SECOND)])
    assert got == [LEDE, SECOND]
    # a date line closes the header as a byline does
    got = read([*HEAD, para(stand), para("Updated Nov. 19, 2025 6:55 AM"), para(LEDE), para(SECOND)])
    assert got == [LEDE, SECOND]


def test_the_authors_box_ends_the_article() -> None:
    bio = "Marta Kovalenko is the Ledger's Odesa correspondent, covering the Black Sea ports since 2019."
    teaser = "The port's oldest cranes will be replaced next spring, the authority said on Monday."
    got = read([*HEAD, para(LEDE), para(SECOND), para(THIRD), para(bio), para(teaser)])
    assert got == [LEDE, SECOND, THIRD]
    # in the middle of an article the same shape is a sentence of it
    analyst = "Olena Marchuk is a senior analyst at a shipping insurer in Odesa, and she expects calm."
    got = read([*HEAD, para(LEDE), para(analyst), para(SECOND), para(THIRD), para(FOURTH)])
    assert analyst in got


def test_a_long_stretch_of_furniture_ends_the_article() -> None:
    furniture = [para(f"Quay {i}", linked=1.0) for i in range(9)]
    after = "The port's oldest cranes will be replaced next spring, the authority said on Monday."
    got = read([*HEAD, para(LEDE), para(SECOND), para(THIRD), para(FOURTH), *furniture, para(after)])
    assert got == [LEDE, SECOND, THIRD, FOURTH]
    # ... unless what came before it was too short to be the article (a teaser): it starts again
    got = read([*HEAD, para(after), *furniture, para(LEDE), para(SECOND)])
    assert got == [LEDE, SECOND]
    # a short box inside the article (a picture's caption, a list of links) does not
    got = read([*HEAD, para(LEDE), *furniture[:4], para(SECOND)])
    assert got == [LEDE, SECOND]


def test_rows_of_labels_captions_credits_and_sign_up_forms_are_dropped() -> None:
    got = read([*HEAD, para(LEDE),
                para("Reddit Pinterest Telegram WhatsApp Comment Via Facebook"),
                para("Photo: Port Desk/Harbour Ledger"),
                para("Image 3 of 12 Lorries at the gate"),
                # a gallery's whole caption block: caption, its "less ... more" twin, credit, counter
                para("Image 1 of 23 " + "Dock workers unload the first ferry of the season at the northern quay, "
                     "watched by inspectors from the harbour authority, on Tuesday. " * 4
                     + "less Dock workers unload ... more Photo: Port Desk 1 / 23 Back to Gallery"),
                para("Keep an eye on your inbox for the latest port news."),
                para(SECOND)])
    assert got == [LEDE, SECOND]


def test_a_sub_head_is_kept_only_over_the_articles_text() -> None:
    got = read([*HEAD, para(LEDE), para("What changed", 14.0, kind="heading"), para(SECOND),
                para("More from the ports", 14.0, kind="heading")])
    assert got == [LEDE, "What changed", SECOND]


def test_the_headline_may_run_over_lines_and_lose_a_section_prefix() -> None:
    blocks = [para("Opinion | Ferry corridor reopens as inspectors return", 8.0),   # breadcrumb
              para("Ferry corridor reopens as", 24.0, kind="heading"),
              para("inspectors return", 24.0, kind="heading"), para(LEDE)]
    at, span, want = _headline(blocks, "Opinion | Ferry corridor reopens as inspectors return - Harbour Ledger")
    assert (at, span, want) == (1, 2, "ferry corridor reopens as inspectors return")
    article, blocks, at, span = web_article(blocks, "Opinion | Ferry corridor reopens as inspectors return")
    assert texts(article) == [LEDE]


def line(text: str, top: float, x0: float = EDGE, size: float = 10.0) -> Line:
    return Line(1, text, size, False, top, top + size, x0, x1=x0 + 300)


def test_paragraphs_go_on_past_the_lines_of_a_column_beside_them() -> None:
    lines = [line("The harbour authority reopened the northern", 100), line("Most read", 100, x0=400),
             line("ferry corridor on Wednesday.", 112), line("Night trains return", 112, x0=400),
             line("Officials said the first crossing left at dawn.", 130)]
    got = [b.text for b in _web_paragraphs(lines, set())]
    assert got == ["The harbour authority reopened the northern ferry corridor on Wednesday.",
                   "Most read Night trains return", "Officials said the first crossing left at dawn."]


def char(text: str, x0: float, width: float = 5.0) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": 100.0, "bottom": 110.0, "size": 10.0,
            "fontname": "Serif"}


def test_a_printed_line_is_cut_where_a_column_beside_it_starts() -> None:
    chars = [char("a", 40), char("t", 45), char("e", 60), char("n", 65), char("d", 70), char("X", 400)]
    words = [{"text": "at", "x0": 40, "x1": 50, "top": 100, "bottom": 110},
             {"text": "end", "x0": 60, "x1": 75, "top": 100, "bottom": 110},
             {"text": "X", "x0": 400, "x1": 405, "top": 100, "bottom": 110}]
    line_ = {"text": "at end X", "chars": chars, "x0": 40, "x1": 405, "top": 100, "bottom": 110}
    assert [t for t, _ in _segments(line_, lambda: words)] == ["at end", "X"]
    # a line without such a gap is left as pdfplumber read it, its words never looked up
    whole = {**line_, "chars": chars[:-1], "text": "at end", "x1": 75}
    assert [t for t, _ in _segments(whole, lambda: [])] == ["at end"]


def test_the_date_comes_from_a_part_of_a_line_near_the_headline() -> None:
    blocks = [para("By Bill Hopper | Special to the Ledger"),
              para("PUBLISHED: November 19, 2025 at 8:59 pm | UPDATED: November 20, 2025 at 10:16 pm")]
    assert _web_date(blocks) == ("2025-11-19", "PUBLISHED: November 19, 2025 at 8:59 pm")


def test_a_date_line_with_an_unknown_time_zone_is_read_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert date_line("Title\nNov 13, 2025, 10:28am EST") == ("2025-11-13", "Nov 13, 2025, 10:28am EST")


def test_a_list_heading_with_its_ellipsis_still_drops_the_teasers_under_it() -> None:
    got = read([*HEAD, para(LEDE), para(SECOND), para("You may also like..."),
                para("Quay cranes to go"), para("Ferry fares rise"), para(THIRD)])
    assert got == [LEDE, SECOND, THIRD]


def test_small_type_at_a_printed_pages_foot_is_not_a_footnote() -> None:
    from pipeline.readers.pdf import _mark_kinds

    lines = [line(LEDE, 100), line("Ferry fares rise by a tenth", 700, size=8.0)]
    _mark_kinds(lines, 10.0, footnotes=False)
    assert [ln.kind for ln in lines] == ["body", "body"]
    _mark_kinds(lines, 10.0)                   # a report's small type closing a page is one
    assert [ln.kind for ln in lines] == ["body", "reference"]
