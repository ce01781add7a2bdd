"""Readers by format: what each makes of a file as analysts have them (tests/fixtures/readers/).

The fixtures are written for these tests: a news page saved from a browser with its furniture
(head metadata, JSON-LD, navigation, cookie banner, related links, share bar, comments,
footer), a policy brief typeset as PDF by WeasyPrint (make_pdf.py: running header, page numbers,
hyphenation, footnotes, endnotes), Markdown notes and a wire story carried by two outlets.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import segment
from pipeline.ingest.copies import carried_by, containment, find_copies, independent, reports_label, shingles
from pipeline.inputs import Lexicon, Sidecar, Source, merge_sidecar
from pipeline.readers import ReadError, read
from pipeline.readers.discover import derive_id
from pipeline.readers.html import clean_title, title_site

FIX = Path(__file__).parent / "fixtures" / "readers"
LEXICON = Lexicon(reference_headings=["Notes", "References"], comment_gap=3)


def reading(name: str):  # noqa: ANN201
    path = FIX / name
    return read(path, path.read_bytes())


def passages(name: str, sidecar: Sidecar | None = None) -> list[dict]:
    r = reading(name)
    source = Source("s", FIX / name, r.text, sidecar or Sidecar(), False, "", reading=r)
    return segment(source, LEXICON)[1]


# --------------------------------------------------------------------------- HTML


def test_saved_page_metadata_comes_from_the_page() -> None:
    r = reading("harbour-ledger-monitors.html")
    assert r.meta == {"title": "Grain corridor monitors reach Odesa as talks resume",
                      "author": "Marta Kovalenko", "outlet": "The Harbour Ledger", "published": "2025-11-18",
                      "url": "https://harbour-ledger.example/world/2025/11/18/grain-corridor-monitors"}
    assert r.format == "html" and r.extractor.startswith("trafilatura ")
    assert r.text.startswith("Grain corridor monitors reach Odesa as talks resume\n\n")


FURNITURE = ["cookies", "Accept all", "Newsletters", "Subscribe today", "Related stories",
             "Black Sea insurers weigh", "Share this article", "All rights reserved", "Privacy policy",
             "Odesa correspondent", "The Harbour Ledger"]


def test_page_furniture_never_reaches_a_body_passage() -> None:
    rows = passages("harbour-ledger-monitors.html")
    body = " ".join(r["text"] for r in rows if r["kind"] == "body")
    for furniture in FURNITURE:
        assert furniture not in body, furniture
    assert "Diplomats cautioned that the monitoring mission was modest" in body
    assert {r["section"] for r in rows if r["kind"] == "body"} == {"", "Who is watching whom", "Talks in Istanbul"}
    comments = [r["text"] for r in rows if r["kind"] == "comment"]
    assert "Twelve observers for the whole port? That is a token gesture and everyone knows it." in comments
    assert reading("harbour-ledger-monitors.html").dropped_chars > 400


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Ferry talks stall | The Harbour Ledger", "The Harbour Ledger", "Ferry talks stall"),
    ("Ferry talks stall - Harbour Ledger", "The Harbour Ledger", "Ferry talks stall"),
    ("Ferry talks stall | World news", "", "Ferry talks stall"),
    ("Ceasefire - what we know so far", "Coastal Times", "Ceasefire - what we know so far"),
    ("Ceasefire talks – Coastal Times", "Coastal Times", "Ceasefire talks"),
])
def test_title_loses_the_site_suffix_only(title: str, site: str, expected: str) -> None:
    assert clean_title(title, site) == expected


def test_a_page_without_a_site_name_is_credited_to_the_site_its_title_and_copyright_name(
        tmp_path: Path) -> None:
    """A page whose metadata names no site still says who published it: its title ends with the
    name and its footer's copyright line repeats it. The cover then cites the outlet, not the
    headline cut at 40 characters."""
    page = ("<html><head><title>Explainer: who would police a ceasefire line? Your questions answered"
            " | The Meridian Review</title></head><body><nav><a href='/'>World</a></nav><article>"
            "<h1>Who would police a ceasefire line? Your questions answered</h1>"
            + "<p>Officials from both delegations met in Geneva on Sunday and agreed to keep talking. "
              "Diplomats said the monitoring question stayed open after the meeting ended.</p>" * 4
            + "</article><footer>© 2025 The Meridian Review · <a href='/privacy'>Privacy</a></footer>"
              "</body></html>")
    (tmp_path / "explainer.html").write_text(page, encoding="utf-8")
    r = read(tmp_path / "explainer.html", (tmp_path / "explainer.html").read_bytes())
    assert r.meta["outlet"] == "The Meridian Review"
    assert "Meridian" not in r.meta["title"]
    side, _ = merge_sidecar(r, Sidecar())
    from pipeline.ingest import ingest_one

    row, _, _ = ingest_one(Source("s", tmp_path / "explainer.html", r.text, side, False, "", reading=r), LEXICON)
    assert row["short"] == "The Meridian Review"
    # without an outlet, a title too long for a short name is cut with a mark
    row, _, _ = ingest_one(Source("s", tmp_path / "explainer.html", r.text, Sidecar(), False, "", reading=r),
                           LEXICON)
    assert row["short"].endswith("…") and len(row["short"]) <= 40


@pytest.mark.parametrize(("title", "text", "expected"), [
    ("Ferry talks stall | The Harbour Ledger", "Menu ... Copyright (c) 2019-2025 Harbour Ledger Ltd",
     "The Harbour Ledger"),
    ("Ferry talks stall | World", "World Politics © 2025 The Harbour Ledger", ""),
    ("Ferry talks stall | The Harbour Ledger", "The Harbour Ledger: all stories", ""),
    ("Ferry talks stall", "© 2025 The Harbour Ledger", ""),
])
def test_title_site_needs_the_copyright_line(title: str, text: str, expected: str) -> None:
    assert title_site(title, text) == expected


def test_sidecar_overrides_the_page_field_by_field() -> None:
    r = reading("harbour-ledger-monitors.html")
    merged, taken = merge_sidecar(r, Sidecar(title="Monitors arrive in Odesa", kind="news"))
    assert merged.title == "Monitors arrive in Odesa" and merged.kind == "news"
    assert (merged.outlet, merged.author, merged.published) == ("The Harbour Ledger", "Marta Kovalenko", "2025-11-18")
    assert "metadata" in merged.published_note
    assert taken == ["author", "outlet", "published", "url"]
    merged, _ = merge_sidecar(r, Sidecar(published="2025-11"))
    assert merged.published == "2025-11"


def test_hostile_page_is_read_as_data(tmp_path: Path) -> None:
    page = (b"<html><head><title>Quay | X</title><script>fetch('https://t.example')</script></head><body>"
            b"<article><p>The quay reopened on Monday after the talks, the port authority said in a "
            b"statement that gave no figure for crossings but promised timetables.<img src='file:///etc/passwd'>"
            b"<p>Second paragraph, unclosed, about the operators and the passengers who will return."
            b"<img src='data:image/png;base64," + b"QUFB" * 250_000 + b"'></article></body></html>")
    r = read(tmp_path / "x.html", page)
    assert "The quay reopened on Monday after the talks" in r.text
    assert "fetch(" not in r.text and "passwd" not in r.text and "QUFB" not in r.text


# --------------------------------------------------------------------------- PDF


def test_pdf_text_is_rebuilt_into_paragraphs() -> None:
    r = reading("corridor-brief.pdf")
    assert r.meta == {"title": "Monitoring the Black Sea grain corridor", "author": "Irena Halloway",
                      "published": "2025-11-21"}
    assert any("creation date" in n for n in r.notes)
    text = r.text
    for joined in ("western Black Sea shipping lanes", "depends almost entirely on", "photograph seals",
                   "the arrangement is silent", "Average clearance times"):
        assert joined in text, joined
    assert "confidence-building measure" in text        # a real compound keeps its hyphen
    assert "\u2010" not in text and "\u00ad" not in text
    assert "Page 1 of 3" not in text and "Black Sea Security Brief No. 7" not in text
    assert "within months. Our" not in text and "within months.\n" in text    # marker "1" left out
    assert "a single serious incident, after which insurers would be likely" in text   # over a page break
    assert r.dropped_chars > 100


PRESS_RELEASE = """<html><head><title>Readout: the minister meets port operators</title><style>
@page { size: A4; margin: 25mm 20mm; @top-left { content: "Ministry of Transport and Ports" }
  @bottom-center { content: "Page " counter(page) " of " counter(pages) } }
body { font: 11pt/1.5 serif } h1 { font-size: 22pt }
</style></head><body>
<p>FOR IMMEDIATE RELEASE<br>Ref: MTP/PR/2026/214<br>3 December 2026</p>
<h1>Readout: Minister Varnholt meets Nordic port operators on the Halvik dispute</h1>
%s
<p>ENDS</p></body></html>"""


def test_a_press_release_pdf_dates_itself_and_keeps_its_wrapped_headline_whole(tmp_path: Path) -> None:
    """Typeset the way ministries' releases are: a date line under FOR IMMEDIATE RELEASE, a
    headline in large type over several lines, no creation date in the file."""
    import weasyprint

    paragraph = ("<p>On 3 December the minister met representatives of the operators in Oskarvik to discuss "
                 "the effects of the strike at the port, which ended on 27 November after twelve days.</p>")
    path = tmp_path / "readout.pdf"
    path.write_bytes(weasyprint.HTML(string=PRESS_RELEASE % (paragraph * 12)).write_pdf())
    r = read(path, path.read_bytes())
    assert r.meta["published"] == "2026-12-03"
    assert any("3 December 2026" in n and "top of its first page" in n for n in r.notes)
    lines = r.text.split("\n")
    assert "Readout: Minister Varnholt meets Nordic port operators on the Halvik dispute" in lines
    assert "Page 1 of 2" not in r.text and "Ministry of Transport and Ports" not in r.text


def test_a_pdf_s_creation_date_wins_over_a_date_in_its_first_lines(tmp_path: Path) -> None:
    import weasyprint

    html = PRESS_RELEASE.replace("<title>", '<meta name="dcterms.created" content="2026-12-04"><title>') % ""
    path = tmp_path / "readout.pdf"
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())
    assert read(path, path.read_bytes()).meta["published"] == "2026-12-04"


def test_pdf_footnotes_and_endnotes_are_references() -> None:
    rows = passages("corridor-brief.pdf")
    refs = [r["text"] for r in rows if r["kind"] == "reference"]
    assert any(t.startswith("1. The 2022 arrangement was brokered") for t in refs)
    assert any(t.startswith("2. Port of Odesa authority") for t in refs)
    body = [r for r in rows if r["kind"] == "body"]
    assert not any("brokered by Türkiye" in r["text"] for r in body)
    assert {"Summary", "What the observers do", "Weaknesses", "Recommendations"} <= {r["section"] for r in body}


def test_invisible_characters_and_ligatures_leave_the_text(tmp_path: Path) -> None:
    page = ("<html><head><title>Ferry</title></head><body><article><p>The harbour\u00adauthority said "
            "the \ufb01rst ferries would sail on Monday\u200b after the talks, with inspections of every "
            "vessel for a month, as the ministry had promised in its statement to shipowners.</p>"
            "</article></body></html>")
    r = read(tmp_path / "x.html", page.encode())
    assert "The harbourauthority said the first ferries would sail on Monday after" in r.text


def _fake_bold_pdf() -> bytes:
    """One page: a heading whose every glyph is drawn twice, 0.4 pt apart (a typesetter's fake
    bold), then body lines with doubled letters that are meant ("Tallinn", "committee")."""
    from tests.hostile_inputs import _pdf, _stream

    heading = "Tallinn committee meeting"
    rows = [f"BT /F1 16 Tf {72 + dx} 720 Td ({heading}) Tj ET" for dx in (0, 0.4)]
    rows += [f"BT /F1 11 Tf 72 {690 - 16 * k} Td (The committee in Tallinn met on {k + 1} March, "
             f"and the staff called it a success.) Tj ET" for k in range(12)]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               _stream("\n".join(rows).encode("latin-1")),
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 3 0 R >> >> >>"]
    return _pdf(objects)


def test_a_glyph_drawn_twice_is_read_once_as_pdfplumber_dedupes_it(tmp_path: Path) -> None:
    """The reader's own dedupe (pdfplumber's is quadratic in a page's characters) keeps exactly
    the characters pdfplumber's Page.dedupe_chars keeps, in the same order."""
    import pdfplumber

    from pipeline.readers.pdf import DEDUPE_TOLERANCE, _dedupe_chars

    data = _fake_bold_pdf()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        ours = _dedupe_chars(page).chars
        theirs = page.dedupe_chars(tolerance=DEDUPE_TOLERANCE).chars
        assert len(page.chars) > len(ours)              # the second drawing is gone
        assert [id(c) for c in ours] == [id(c) for c in theirs]
    text = read(tmp_path / "x.pdf", data).text
    assert "Tallinn committee meeting" in text and "TTaalllliinnnn" not in text
    assert "The committee in Tallinn met on 1 March" in text


def test_pdf_without_text_or_broken_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot be read as a PDF"):
        read(tmp_path / "x.pdf", b"%PDF-1.7\n% truncated")


# --------------------------------------------------------------------------- Markdown, docx


def test_markdown_headings_and_no_syntax_in_quotes() -> None:
    r = reading("black-sea-notes.md")
    rows = passages("black-sea-notes.md")
    assert r.text.startswith("Desk notes: Black Sea shipping and the ceasefire talks\n")
    for syntax in ("**", "](", "[the", "`", "> ", "# ", "*other*"):
        assert syntax not in r.text, syntax
    body = {r["text"]: r["section"] for r in rows if r["kind"] == "body"}
    assert body["According to brokers quoted by the Harbour Ledger, premiums for Black Sea cargoes stayed high "
                "through November. One underwriter described the market as \"waiting for the first quiet "
                "month\"."] == "Insurance"
    assert body["Kyiv rejected Moscow's claim of a right to stop vessels as a pretext."] == "Diplomacy"


def test_markdown_front_matter_is_metadata() -> None:
    r = reading("Danube Daily - Florida talks.md")
    assert r.meta == {"title": "Kyiv's negotiators meet Trump envoys in Florida as Europe asks to see the text",
                      "outlet": "Danube Daily", "published": "2025-12-06"}
    assert r.text.count("Kyiv's negotiators meet Trump envoys") == 1
    assert "instructions to defend the country's position on the Donbas" in r.text   # wrapped lines joined


def test_docx_paragraphs_and_headings(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.core_properties.author = "Port desk"
    doc.add_heading("Ferry talks stall over inspections", 0)
    doc.add_paragraph("Negotiators left the harbour office without an agreement on Tuesday.")
    doc.add_heading("Next steps", 1)
    doc.add_paragraph("A new round is expected next week, officials said.")
    buf = io.BytesIO()
    doc.save(buf)
    r = read(tmp_path / "memo.docx", buf.getvalue())
    assert r.meta == {"title": "Ferry talks stall over inspections", "author": "Port desk"}
    source = Source("m", tmp_path / "memo.docx", r.text, Sidecar(), False, "", reading=r)
    rows = segment(source, LEXICON)[1]
    assert [(x["kind"], x["section"], x["text"][:9]) for x in rows] == [
        ("title", "", "Ferry tal"), ("body", "", "Negotiato"), ("body", "Next steps", "Next step"),
        ("body", "Next steps", "A new rou")]


def test_a_word_table_stands_where_it_is_with_its_columns(tmp_path: Path) -> None:
    """A report's comparison table is read in its section, not after the last paragraph; a
    cell merged across two columns is one cell, and two columns that say the same stay two, so
    the rows line up with the header (the plan-term extractor reads them by column)."""
    import docx

    doc = docx.Document()
    doc.add_heading("Fleet ceilings compared", 0)
    doc.add_heading("The drafts", 1)
    table = doc.add_table(rows=3, cols=3)
    for r, values in enumerate([("Provision", "Harbour draft", "12-point plan"),
                                ("Fleet size", "40 ships", "40 ships"), ("Note", "", "")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 2)).text = "both drafts agree"
    doc.add_heading("Next steps", 1)
    doc.add_paragraph("A new round is expected next week, officials said.")
    buf = io.BytesIO()
    doc.save(buf)
    r = read(tmp_path / "memo.docx", buf.getvalue())
    source = Source("m", tmp_path / "memo.docx", r.text, Sidecar(), False, "", reading=r)
    rows = segment(source, LEXICON)[1]
    assert [(x["section"], x["text"]) for x in rows if x["kind"] == "body"] == [
        ("The drafts", "The drafts"), ("The drafts", "Provision | Harbour draft | 12-point plan"),
        ("The drafts", "Fleet size | 40 ships | 40 ships"), ("The drafts", "Note | both drafts agree"),
        ("Next steps", "Next steps"), ("Next steps", "A new round is expected next week, officials said.")]


def test_unknown_format_names_the_accepted_ones(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as err:
        read(tmp_path / "memo.rtf", b"{\\rtf1}")
    assert ".txt, .md" in err.value.hint and ".pdf" in err.value.hint


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(("stem", "expected"), [
    ("Oslo Followup", "oslo-followup"),
    ("Kyiv & Minsk – Notes", "kyiv-and-minsk-notes"),
    ("Ünïcödé Café Report (final)", "unicode-cafe-report-final"),
    ("Straße 2025_12_06", "strasse-2025-12-06"),
    ("Переговоры", ""),
    ("x" * 80, "x" * 60),
])
def test_derived_ids(stem: str, expected: str) -> None:
    assert derive_id(stem) == expected


# --------------------------------------------------------------------------- copies


def _body(name: str) -> str:
    return " ".join(r["text"] for r in passages(name) if r["kind"] == "body")


def test_syndicated_pair_and_pdf_web_pair_are_copies() -> None:
    wire_a, wire_b = _body("coastal-times-florida-talks.html"), _body("Danube Daily - Florida talks.md")
    assert containment(shingles(wire_a), shingles(wire_b)) >= 0.65
    pdf, web = _body("corridor-brief.pdf"), _body("corridor-brief.html")
    assert containment(shingles(pdf), shingles(web)) >= 0.65
    other = _body("harbour-ledger-monitors.html")
    assert containment(shingles(other), shingles(pdf)) < 0.2
    rows = [{"source_id": sid, "kind": "body", "text": text}
            for sid, text in [("coastal", wire_a), ("danube", wire_b), ("ledger", other), ("pdf", pdf),
                              ("web", web)]]
    copies = find_copies(pd.DataFrame(rows), ["danube", "coastal", "web", "pdf", "ledger"])
    assert copies == {"coastal": "danube", "pdf": "web"}


def test_reports_count_copies_once() -> None:
    copy_of = {"coastal": "danube"}
    assert independent(["danube", "coastal"], copy_of) == ["danube"]
    assert carried_by(["danube"], copy_of) == ["danube", "coastal"]
    assert carried_by(["coastal", "ledger"], copy_of) == ["danube", "ledger", "coastal"]
    assert reports_label(1, 2) == "1 report (2 outlets)"
    assert reports_label(2, 2, total_sources=2) == "both sources"
    assert reports_label(3, 3, total_sources=5) == "3 reports"


def test_past_the_small_corpus_lsh_finds_the_same_copies() -> None:
    """Past SMALL_CORPUS sources the candidates come from MinHash LSH; the copies found must be
    those the exact pairwise comparison finds."""
    import random

    from pipeline.ingest import copies as mod

    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(3000)]
    texts = {f"s{i:03d}": " ".join(rng.choice(vocab) for _ in range(400)) for i in range(70)}
    words = texts["s010"].split()
    texts["s069"] = "A new headline and a local intro. " + " ".join(words[: int(len(words) * 0.7)])
    texts["s068"] = texts["s020"].replace("w1 ", "w2 ")
    rows = pd.DataFrame([{"source_id": k, "kind": "body", "text": v} for k, v in texts.items()])
    order = sorted(texts)
    assert len(texts) > mod.SMALL_CORPUS
    found = find_copies(rows, order)
    assert found == {"s069": "s010", "s068": "s020"}
    exact = mod.SMALL_CORPUS
    try:
        mod.SMALL_CORPUS = 10_000
        assert find_copies(rows, order) == found
    finally:
        mod.SMALL_CORPUS = exact


def test_overlaps_in_one_pass_are_the_pairwise_containments() -> None:
    """copies._overlaps (a flag table, then binary search) counts what intersect1d counts."""
    import numpy as np

    from pipeline.ingest import copies as mod

    rng = np.random.default_rng(7)
    pool = rng.integers(0, 2**32, 3000, dtype=np.uint64).astype(np.uint32)
    sig = lambda n: np.unique(np.concatenate([rng.choice(pool, n), rng.integers(0, 2**32, n, dtype=np.uint64)  # noqa: E731
                                              .astype(np.uint32)]))
    a = np.unique(np.concatenate([sig(800), np.array([0, 2**32 - 1, 4095, 4096], dtype=np.uint32)]))
    others = [sig(int(n)) for n in rng.integers(1, 1500, 40)] + [a, a[:3], a[-2:], np.array([1], dtype=np.uint32)]
    expected = [len(np.intersect1d(a, b, assume_unique=True)) / min(len(a), len(b)) for b in others]
    assert mod._overlaps(a, others).tolist() == expected
    assert expected[-4:-1] == [1.0, 1.0, 1.0] and 0 < max(expected[:40]) < 1


def test_a_signatures_minhash_estimates_its_jaccard_and_is_datasketchs() -> None:
    """copies.minhash takes the shingles' CRC-32s as the hashes, with permutations drawn once per
    process: the same sketch as a fresh datasketch MinHash of those values, whose similarity
    estimates the true Jaccard (what LSH and the sieve rely on)."""
    import numpy as np
    from datasketch import LeanMinHash, MinHash

    from pipeline.ingest import copies as mod

    rng = np.random.default_rng(11)
    shared = rng.integers(0, 2**32, 1200, dtype=np.uint64)
    a = np.unique(np.concatenate([shared, rng.integers(0, 2**32, 800, dtype=np.uint64)])).astype(np.uint32)
    b = np.unique(np.concatenate([shared, rng.integers(0, 2**32, 800, dtype=np.uint64)])).astype(np.uint32)
    for sig in (a, b, a[:1]):
        fresh = MinHash(num_perm=mod.NUM_PERM, seed=1, hashfunc=int)
        fresh.update_batch(sig.tolist())
        assert mod.minhash(sig) == LeanMinHash(fresh)
    true = len(np.intersect1d(a, b)) / len(np.union1d(a, b))      # 1200 / 2800
    assert abs(mod.minhash(a).jaccard(mod.minhash(b)) - true) < 0.1


def test_a_rebuild_checks_only_the_pairs_of_new_or_edited_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the last build's candidate pairs and verdicts remembered, a rebuild checks exactly
    only the pairs with a new or edited source in them, and finds the copies a cold look finds."""
    import random

    from pipeline.ingest import copies as mod

    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(400)]
    texts = {f"s{i:02d}": " ".join(rng.choice(vocab) for _ in range(300)) for i in range(mod.SMALL_CORPUS + 10)}
    texts["s05"] = "A new intro. " + texts["s01"]
    texts["s66"] = texts["s12"] + " A trimmed ending."
    checked: list[int] = []
    real = mod._overlaps
    monkeypatch.setattr(mod, "_overlaps", lambda a, others: checked.append(len(others)) or real(a, others))

    def look(texts: dict[str, str], remembered: dict | None) -> dict[str, str]:
        checked.clear()
        sigs = {sid: mod.signature(t) for sid, t in texts.items()}
        return mod.copies_from(sigs, sorted(texts), lambda ids: [mod.from_values(mod.minhash_values(sigs[sid]))
                                                                 for sid in ids], remembered)

    cold = look(texts, None)
    assert cold == {"s05": "s01", "s66": "s12"} and sum(checked) > 0
    remembered: dict = {}
    assert look(texts, remembered) == cold and remembered["copies"].shape == (2, 2)
    assert look(texts, remembered) == cold and checked == []          # nothing new: nothing checked
    grown = {**texts, "s90": texts["s30"], "s12": " ".join(rng.choice(vocab) for _ in range(300))}
    assert look(grown, remembered) == look(grown, None) == {"s05": "s01", "s90": "s30"}
    look(grown, dict(remembered))
    assert checked == []
    again = {**grown, "s91": texts["s40"]}
    assert look(again, remembered) == {"s05": "s01", "s90": "s30", "s91": "s40"}
    assert 0 < sum(checked) < len(again)                               # the new source's pairs only


def test_rebuild_reads_pages_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page or PDF already read is not given to trafilatura or pdfplumber again."""
    from pipeline.inputs import load_sources
    from pipeline.readers import discover

    root = tmp_path / "inputs"
    (root / "sources").mkdir(parents=True)
    for name in ("harbour-ledger-monitors.html", "corridor-brief.pdf"):
        (root / "sources" / name).write_bytes((FIX / name).read_bytes())
    cache = tmp_path / "cache"
    first, _ = load_sources(root, 10**7, [], [], cache)

    def refuse(path: Path, data: bytes, _max_bytes: int = 0):  # noqa: ANN202
        raise AssertionError(f"read {path.name} again")

    monkeypatch.setattr(discover, "read", refuse)
    again, _ = load_sources(root, 10**7, [], [], cache)
    assert [s.text for s in again] == [s.text for s in first] and len(first) == 2
    (root / "sources" / "harbour-ledger-monitors.html").write_bytes(
        (FIX / "harbour-ledger-monitors.html").read_bytes().replace(b"twelve civilian", b"ten civilian"))
    with pytest.raises(AssertionError, match="read harbour-ledger-monitors.html again"):
        load_sources(root, 10**7, [], [], cache)


@pytest.mark.parametrize(("encoding", "declare"), [("utf-8", False), ("utf-8", True), ("cp1252", False),
                                                   ("iso-8859-1", True)])
def test_page_encoding_declared_or_not(tmp_path: Path, encoding: str, declare: bool) -> None:
    meta = f'<meta charset="{encoding}">' if declare else ""
    text = ("Zelensky’s envoy met the Élysée’s advisers in Genève on Monday, the ministry said, "
            "and both sides described the talks on the harbour as useful but unfinished.")
    if encoding == "iso-8859-1":
        text = text.replace("’", "'")
    page = f"<html><head>{meta}<title>Talks</title></head><body><article><p>{text}</p></article></body></html>"
    r = read(tmp_path / "x.html", page.encode(encoding))
    assert text in r.text


def test_two_articles_from_one_outlet_get_distinct_short_names() -> None:
    from pipeline.ingest import distinct_shorts

    rows = [{"source_id": "a", "short": "The Harbour Ledger", "published": "2025-11-18"},
            {"source_id": "b", "short": "The Harbour Ledger", "published": "2025-11-20"},
            {"source_id": "c", "short": "The Harbour Ledger", "published": "2025-11-20"},
            {"source_id": "d", "short": "Coastal Times", "published": ""}]
    distinct_shorts(rows, set())
    assert [r["short"] for r in rows] == ["The Harbour Ledger (2025-11-18)", "The Harbour Ledger (b)",
                                          "The Harbour Ledger (c)", "Coastal Times"]


def test_reader_cache_keeps_only_the_files_present(tmp_path: Path) -> None:
    from pipeline.inputs import load_sources

    root = tmp_path / "inputs"
    (root / "sources").mkdir(parents=True)
    for name in ("harbour-ledger-monitors.html", "coastal-times-florida-talks.html"):
        (root / "sources" / name).write_bytes((FIX / name).read_bytes())
    cache = tmp_path / "cache"
    load_sources(root, 10**7, [], [], cache)
    assert len(list((cache / "reading").iterdir())) == 2
    (root / "sources" / "coastal-times-florida-talks.html").unlink()
    load_sources(root, 10**7, [], [], cache)
    assert len(list((cache / "reading").iterdir())) == 1


# A fact-check page syndicated on an agency's "Hosted" platform: the claimant's name sits in a
# box with class "author" and in the reviewed claim; the site calls itself "Hosted"; the page
# states its canonical URL; a table, a heading followed by loose text and a <br> (issue 20).
SYNDICATED = b"""<html><head><title>Ferry results table | Hosted</title>
<link rel="canonical" href="https://hosted.wireagency.example/ferry-results-4411">
<meta property="og:site_name" content="Hosted">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"ClaimReview",
"author":{"@type":"Organization","name":"Quay Check"},
"itemReviewed":{"@type":"Claim","author":{"@type":"Person","name":"Piotr Lendl"}},
"publisher":{"@type":"Organization","name":"Wire Agency"}}</script>
</head><body><article>
<h1>Ferry results table</h1>
<div class="author">Piotr Lendl</div>
<p>The harbour authority published the crossing counts for the first week of the reopened corridor
on Thursday, with the northern route carrying most passengers.</p>
<h2>Crossings by operator</h2>Operators reported their numbers to the authority on a shared form,
which the ministry then checked against the port logs.
<table><tr><td>1</td><td>Baltic Lines</td><td>5040</td></tr>
<tr><td>2</td><td>Nordic Ferries</td><td>3117</td></tr></table>
<p>The ministry expects the launch of the southern route in March.<br>The first sailing is planned for
the second week.</p>
</article></body></html>"""


def test_saved_page_cells_breaks_heading_tails_and_metadata(tmp_path: Path) -> None:
    r = read(tmp_path / "x.html", SYNDICATED)
    assert r.meta["url"] == "https://hosted.wireagency.example/ferry-results-4411"     # canonical link
    assert r.meta["outlet"] == "Wire Agency"              # the publisher, not the placeholder "Hosted"
    assert r.meta["author"] == "Quay Check"               # the article's author, never the claimant
    assert r.meta["title"] == "Ferry results table"       # no " | Hosted"
    lines = r.text.split("\n")
    assert "1 | Baltic Lines | 5040" in lines             # cells set apart, not "1Baltic Lines5040"
    assert any(ln.startswith("Operators reported their numbers") for ln in lines)   # the heading's tail
    assert "The ministry expects the launch of the southern route in March." in lines     # <br>: own line
    assert any(ln.startswith("The first sailing") for ln in lines)                   # after the <br>
    assert "March.The" not in r.text


def test_a_layout_table_is_read_as_paragraphs_and_a_data_table_as_rows(tmp_path: Path) -> None:
    """A newsletter or an old site sets its story in a table cell: its heading and paragraphs
    stay paragraphs (read as one row, the story was one line). A table of figures, a cell a
    value, is still read row by row with its cells set apart."""
    from pipeline.readers import TABLE_CELL, read

    story = "".join(f"<p>Paragraph {n} tells of the talks that resumed in Geneva on Thursday, officials said.</p>"
                    for n in range(1, 4))
    page = (f"<html><body><article><table><tr><td><h2>Talks resume</h2>{story}</td></tr></table>"
            "<p>The versions compared, as the delegations gave them to reporters on Friday:</p>"
            "<table><tr><th>Provision</th><th>28-point plan</th><th>Geneva text</th></tr>"
            "<tr><td><p>Army cap</p></td><td>600,000</td><td>800,000</td></tr></table>"
            "</article></body></html>").encode()
    text = read(tmp_path / "layout.html", page).text
    lines = [line for line in text.split("\n") if line]
    assert "Paragraph 1 tells of the talks that resumed in Geneva on Thursday, officials said." in lines
    assert "Paragraph 2 tells of the talks that resumed in Geneva on Thursday, officials said." in lines
    assert f"Army cap{TABLE_CELL}600,000{TABLE_CELL}800,000" in lines


def test_a_newsletter_s_date_line_in_parts_dates_it_and_is_no_happening(tmp_path: Path) -> None:
    """"*Friday 5 June 2026 · by Lena Forsberg · 6 min read*": the reading time's number spoilt
    the date read whole; read part by part it dates the issue. The line is kept as boilerplate
    (it named a person and a date, so it was an event row)."""
    path = tmp_path / "basin-letter-41.md"
    path.write_text("# The Basin Letter, issue 41\n\n*Friday 5 June 2026 · by Lena Forsberg · 6 min read*\n\n"
                    "Negotiators from Ostmark and Velaria initialled the draft treaty in Tessin on Wednesday.\n",
                    encoding="utf-8")
    r = read(path, path.read_bytes())
    assert r.meta["published"] == "2026-06-05"
    source = Source("s", path, r.text, Sidecar(), False, "", reading=r)
    kinds = {row["text"]: row["kind"] for row in segment(source, LEXICON)[1]}
    assert kinds["Friday 5 June 2026 · by Lena Forsberg · 6 min read"] == "boilerplate"
    assert kinds["Negotiators from Ostmark and Velaria initialled the draft treaty in Tessin on Wednesday."] == "body"


def test_a_text_s_date_line_is_kept_as_boilerplate(tmp_path: Path) -> None:
    from pipeline.readers.discover import with_date_line

    path = tmp_path / "gazette.txt"
    path.write_text("Harbour talks resume\n\nHarbour Gazette | 27 November 2025\n\nThe talks resumed on Monday "
                    "in Oskarvik, officials said.\n", encoding="utf-8")
    r = with_date_line(read(path, path.read_bytes()))
    assert r.meta["published"] == "2025-11-27"
    source = Source("s", path, r.text, Sidecar(), False, "", reading=r)
    kinds = {row["text"]: row["kind"] for row in segment(source, LEXICON)[1]}
    assert kinds["Harbour Gazette | 27 November 2025"] == "boilerplate"


TWO_COLUMNS = """<html><head><title>The Arna treaty: an assessment</title><style>
@page { size: A4; margin: 20mm } body { font: 10pt/1.4 serif } h1 { font-size: 20pt }
.cols { columns: 2; column-gap: 8mm; text-align: justify }</style></head><body>
<h1>The Arna treaty: an assessment</h1><p>Key findings: the treaty is a step forward, but its numbers are thin.</p>
<div class="cols">%s</div><table style="width: 100%%">%s</table></body></html>"""
PARAGRAPHS = [f"Paragraph {n} says that the treaty initialled by Ostmark and Velaria sets a minimum release of "
              f"{1000 + n} cubic metres per second in the dry season, and that the fund it creates is smaller "
              f"than the River Commission advised in its survey of the dam." for n in range(1, 13)]


def test_a_report_set_in_two_columns_is_read_column_by_column(tmp_path: Path) -> None:
    """pdfplumber gives a page's lines by height, so the two columns' lines alternated and every
    sentence was garbled; a key-dates table under them is still read row by row."""
    import weasyprint

    rows = "".join(f"<tr><td>{d}</td><td>{e}</td></tr>" for d, e in [
        ("14 January 2026", "Talks resume in Tessin"), ("3 June 2026", "Draft treaty initialled"),
        ("14 July 2026", "Ratification vote expected")])
    html = TWO_COLUMNS % ("".join(f"<p>{p}</p>" for p in PARAGRAPHS), rows)
    path = tmp_path / "assessment.pdf"
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())
    text = read(path, path.read_bytes()).text
    paragraphs = text.split("\n")
    for p in PARAGRAPHS:            # each whole, in order, including those running on into the next column
        assert p in paragraphs, p
    assert [paragraphs.index(p) for p in PARAGRAPHS] == sorted(paragraphs.index(p) for p in PARAGRAPHS)
    assert "14 January 2026 Talks resume in Tessin" in text and "3 June 2026 Draft treaty initialled" in text
