"""Ingest: layout labels from plain text, with no knowledge of content."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import ingest, split_sentences
from pipeline.inputs import Lexicon, Segmentation, Sidecar, Source

LEX = Lexicon(reference_headings=["References"], boilerplate=["You may also like", "Leave a Reply"],
              comment_gap=3)
TEXT = """Headline of the piece

An opening paragraph. It has two sentences.

A section heading

Body under the heading, citing Dec. 3 talks.

At a glance

April 2022, Istanbul: A draft is initialled.
August 2025, Anchorage: A summit is held.

Back to the body.

References

Some reference line

You may also like...

Leave a Reply



A reader comment after a long gap.
"""


def _source(text: str, **seg: object) -> Source:
    return Source("t", Path("t.txt"), text, Sidecar(segmentation=Segmentation(**seg)), True, "")


def test_kinds_sections_and_offsets() -> None:
    _, passages, _ = ingest([_source(TEXT)], LEX)
    kinds = dict(zip(passages["text"].str[:12], passages["kind"], strict=True))
    assert kinds["An opening p"] == "body"
    assert kinds["April 2022, "] == "sidebar" and kinds["August 2025,"] == "sidebar"
    assert kinds["Back to the "] == "body"
    assert kinds["Some referen"] == "reference"
    assert kinds["You may also"] == "boilerplate"
    assert kinds["A reader com"] == "comment"
    assert kinds["Headline of "] == "title"
    assert kinds["A section he"] == "body"          # a heading is a passage of its section
    body = passages.set_index("text").loc["Body under the heading, citing Dec. 3 talks."]
    assert body["section"] == "A section heading"
    assert passages.set_index("text").loc["A section heading", "section"] == "A section heading"
    for r in passages.to_dict("records"):
        assert TEXT[r["char_start"]:r["char_end"]] == r["text"]


def test_comments_after_sign_off_hint() -> None:
    text = "Title\n\nPara one.\nBye for now, everyone!\nA reader writes in.\n"
    _, passages, _ = ingest([_source(text, comments_after="Bye for now")], LEX)
    assert list(passages["kind"]) == ["title", "body", "body", "comment"]


def test_sentence_split_keeps_abbreviations() -> None:
    text = "Talks began on Dec. 3 in Geneva. Mr. Witkoff said so. Then they left."
    spans = [t for _, _, t in split_sentences(text)]
    assert spans == ["Talks began on Dec. 3 in Geneva.", "Mr. Witkoff said so.", "Then they left."]


def test_sentence_split_reads_the_lexicons_abbreviations() -> None:
    """The splitter's abbreviations are the language resource's, with the lexicon's dotted
    honorifics: a project that writes "Cllr." keeps its councillors inside their sentences."""
    text = "The ferry left with Cllr. Olsen aboard. Nobody else sailed."
    _, _, plain = ingest([_source(text)], LEX)
    _, _, councillors = ingest([_source(text)], LEX.model_copy(update={"honorifics": [*LEX.honorifics, "Cllr."]}))
    assert "The ferry left with Cllr." in plain["text"].tolist()
    assert "The ferry left with Cllr. Olsen aboard." in councillors["text"].tolist()


def test_a_text_that_opens_with_a_bare_wire_dateline_is_called_by_its_first_words() -> None:
    """Wire copy saved without its headline opens with 'NAIROBI, Kenya (AP) _': the cover and the
    sources list named the story 'NAIROBI, Kenya (AP) _'. A headline in capitals stays a title."""
    text = "NAIROBI, Kenya (AP) _\n\nThe bomb outside the embassy was so powerful that it shook homes a mile away.\n"
    sources, _, _ = ingest([_source(text)], LEX)
    assert sources["title"].iloc[0].startswith("The bomb outside the embassy was so powerful")
    capitals = "PORT STRIKE, DAY 3\n\nDockworkers stayed out for a third day on Monday.\n"
    sources, _, _ = ingest([_source(capitals)], LEX)
    assert sources["title"].iloc[0] == "PORT STRIKE, DAY 3"


def test_a_decimal_before_a_scale_word_in_a_headline_does_not_end_a_sentence() -> None:
    # TheStreet: "Acacia Shares Surge On New $4.5 Billion Merger With Cisco" was cut after "$4."
    # (read as a full stop with a footnote marker); a footnote after a year still ends one
    assert [t for _, _, t in split_sentences("Nordvik Shares Surge On New $4.5 Billion Merger")] \
        == ["Nordvik Shares Surge On New $4.5 Billion Merger"]
    assert [t for _, _, t in split_sentences("It rose in 2025.1 They said so.")] \
        == ["It rose in 2025.", "They said so."]


def test_a_department_or_a_rank_abbreviated_does_not_end_a_sentence() -> None:
    # Chicago Sun-Times: "... a grassy area, Chicago Fire Dept." / "Deputy District Chief ... said."
    text = "A jet went off the runway, Tamsk Fire Dept. Deputy Chief Karin Lind said. Capt. Lind left."
    assert [t for _, _, t in split_sentences(text)] == [
        "A jet went off the runway, Tamsk Fire Dept. Deputy Chief Karin Lind said.", "Capt. Lind left."]


@pytest.mark.parametrize("closing", [
    # The Canadian Press via the Toronto Star: its closing line was a happening shown at 0.9
    "This report by The Canadian Press was first published July 26, 2022.",
    # a newsletter's footer, saved as Markdown
    "You are receiving this because you subscribed to the Morning Brief.",
])
def test_a_syndicated_copys_publication_note_or_a_newsletters_footer_is_boilerplate(closing: str) -> None:
    text = f"Tamsk Port to cut jobs\n\nOTTAWA - Tamsk Port says it will cut 10 per cent of its jobs.\n\n{closing}"
    from pipeline.inputs import load_inputs

    engine = load_inputs(Path(__file__).resolve().parent.parent / "inputs").codebook.lexicon.model
    _, passages, _ = ingest([_source(text)], engine)
    assert passages["kind"].tolist()[-1] == "boilerplate" and passages["kind"].tolist()[-2] == "body"
