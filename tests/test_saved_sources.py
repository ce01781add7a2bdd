"""Sources as analysts save them (issue 20): a wire story saved as text that starts with its
lede, a Word file with a date line under its title, a news page printed to PDF from Chromium."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.ingest import ingest, segment
from pipeline.inputs import Lexicon, Sidecar, Source, load_sources
from pipeline.readers import read

FIX = Path(__file__).parent / "fixtures" / "readers"
LEX = Lexicon(reference_headings=["References"], comment_gap=3)
WIRE = ("KYIV, Ukraine (AP) \u2014 Negotiators from both sides met in Geneva on Sunday and agreed to "
        "resume grain shipments through the northern corridor, officials said.\n\n"
        "The deal, reached after nine hours of talks, still needs approval by both cabinets.\n")


def test_wire_story_keeps_its_lede_as_body() -> None:
    side = Sidecar(title="Grain corridor deal reached in Geneva", published="2025-11-23")
    source = Source("w", Path("w.txt"), WIRE, side, True, "", reading=read(Path("w.txt"), WIRE.encode()))
    sources, passages, _ = ingest([source], LEX)
    lede = passages[passages["text"].str.startswith("KYIV, Ukraine")]
    assert list(lede["kind"]) == ["body"]
    assert "title" not in set(passages["kind"])
    assert sources.loc[0, "title"] == "Grain corridor deal reached in Geneva"
    assert sources.loc[0, "published_note"] == "from the sidecar"


def test_first_line_is_a_title_only_when_it_looks_like_one() -> None:
    text = "Grain corridor deal reached\n\n" + WIRE
    source = Source("w", Path("w.txt"), text, Sidecar(), False, "", reading=read(Path("w.txt"), text.encode()))
    rows = segment(source, LEX)[1]
    assert [(r["kind"], r["text"][:10]) for r in rows] == [
        ("title", "Grain corr"), ("body", "KYIV, Ukra"), ("body", "The deal, ")]
    # every non-blank line is a passage
    assert len(rows) == sum(1 for line in text.split("\n") if line.strip())


def _project(tmp_path: Path, name: str, data: bytes) -> list[Source]:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / name).write_bytes(data)
    problems: list = []
    warnings: list[str] = []
    sources, _ = load_sources(tmp_path, 10 << 20, problems, warnings, None)
    assert not problems
    return sources


def test_docx_takes_its_date_from_the_date_line(tmp_path: Path) -> None:
    import datetime

    import docx

    doc = docx.Document()
    doc.core_properties.created = datetime.datetime(2026, 3, 1)       # when the file was written
    doc.add_heading("Ferry talks stall over inspections", 0)
    doc.add_paragraph("Port Desk | 27 November 2025")
    doc.add_paragraph("Negotiators left the harbour office without an agreement on Tuesday.")
    buf = io.BytesIO()
    doc.save(buf)
    [source] = _project(tmp_path, "memo.docx", buf.getvalue())
    assert source.sidecar.published == "2025-11-27"
    assert "Port Desk | 27 November 2025" in source.sidecar.published_note


def test_page_printed_from_chromium_carries_the_page_date_and_its_lede(tmp_path: Path) -> None:
    from tests.browser import Browser, executable

    if executable() is None:
        pytest.skip("no Chromium")
    with Browser(executable(), timeout=60) as browser:
        pdf = browser.print_pdf((FIX / "ferry-corridor-page.html").read_bytes(),
                                "https://harbour-ledger.example/world/2025/11/19/ferry-corridor-reopens")
    [source] = _project(tmp_path, "ferry.pdf", pdf)
    assert source.sidecar.published == "2025-11-19"            # the page's date line, not the print date
    assert "not the print date" in source.sidecar.published_note
    assert source.sidecar.title == "Ferry corridor reopens as inspectors return"    # no " - Harbour Ledger"
    assert "harbour-ledger.example" not in source.text         # the browser's footer
    assert " AM" not in source.text.split("\n")[0] and " PM" not in source.text.split("\n")[0]
    _, passages, _ = ingest([source], LEX)
    body = " ".join(passages[passages["kind"] == "body"]["text"])
    assert "The harbour authority reopened the northern ferry corridor on Wednesday" in body   # the lede
    assert "Insurers, who had tripled premiums during the closure" in body           # and the last paragraph
    assert "inspection teams would rotate every two weeks" in body                   # after the "Most read" box
    for furniture in ("cookies", "Newsletters", "Share on Facebook", "Email this article", "Most read",
                      "Night trains return", "newsletter", "Trending", "Storm closes southern ports",
                      "Related stories", "Lorry drivers wait", "Follow us", "All rights reserved",
                      "Privacy policy", "Opinion"):
        assert furniture not in source.text, furniture
    # the standfirst above the byline, a caption with its credit, the author's box, teasers
    for furniture in ("Lorries are moving again", "Lorries queue at the quay gate", "Port Desk",
                      "Odesa correspondent, covering", "oldest cranes", "fares on the northern route"):
        assert furniture not in body, furniture


def test_printed_page_without_a_date_line_is_left_undated(tmp_path: Path) -> None:
    from tests.browser import Browser, executable

    if executable() is None:
        pytest.skip("no Chromium")
    html = (FIX / "ferry-corridor-page.html").read_text().replace(
        '<p class="dateline"><time datetime="2025-11-19">19 November 2025</time></p>', "")
    with Browser(executable(), timeout=60) as browser:
        pdf = browser.print_pdf(html.encode(), "https://harbour-ledger.example/world/ferry")
    [source] = _project(tmp_path, "ferry.pdf", pdf)
    assert source.sidecar.published is None                    # never the PDF's creation (print) date
    sources, _, _ = ingest([source], LEX)
    assert "when it was printed, not published" in sources.loc[0, "published_note"]


def test_sources_dated_after_the_briefing_or_undated_are_flagged(tmp_path: Path) -> None:
    """A source dated after the briefing's date (2026-01-05 in the seed) or with no date is
    named on the cover and warned about in the appendix; the undated one's "on Tuesday" stays
    unresolved (issue 20 point 5)."""
    import shutil

    import pandas as pd

    from pipeline.build import build
    from tests.conftest import make_project

    root = make_project(tmp_path / "p")
    for name in ("late-harbour-note.md", "undated-harbour-note.md"):
        shutil.copy(FIX / name, root / "inputs" / "sources" / name)
    assert build(root).status == "built"
    src = pd.read_csv(root / "output" / "tables" / "sources.csv", dtype=str,
                      keep_default_na=False).set_index("source_id")
    assert src.loc["late-harbour-note", "published"] == "2026-03-14"      # its own date line
    assert src.loc["undated-harbour-note", "published"] == ""
    # published_note says which rule dated each source (or why none did)
    assert src.loc["late-harbour-note", "published_note"] == (
        "date from the line \u201c14 March 2026\u201d under the title: check it")
    assert src.loc["undated-harbour-note", "published_note"] == "unknown: no date in the sidecar or in the file"
    assert (src["published_note"] != "").all()
    html = (root / "output" / "briefing.html").read_text()
    cover = html[html.index('id="cover"'):html.index("</header>")]
    assert "2 sources dated after this briefing or not dated" in cover
    for sid in ("late-harbour-note", "undated-harbour-note"):
        assert src.loc[sid, "short"] in cover
    for seed in ("anchorage-framework-telegraph", "weekend-update-165"):
        assert src.loc[seed, "short"] not in cover.split("Source dates")[1]
    assert "dated 2026-03-14, after this briefing&#39;s date (2026-01-05): check the date" in html
    assert "Warning: publication date unknown: its relative dates are left unresolved" in html
    events = pd.read_csv(root / "output" / "tables" / "events.csv", dtype=str, keep_default_na=False)
    undated = events[events["source_ids"].str.contains("undated-harbour-note")]
    assert not undated.empty
    assert set(undated["date_start"]) == {""}                               # "on Tuesday": unresolved


def test_docx_created_or_modified_is_never_the_publication_date(tmp_path: Path) -> None:
    import datetime

    import docx

    doc = docx.Document()
    doc.core_properties.created = datetime.datetime(2025, 11, 2)
    doc.core_properties.modified = datetime.datetime(2025, 11, 4)
    doc.add_heading("Ferry talks stall over inspections", 0)
    doc.add_paragraph("Negotiators left the harbour office without an agreement on Tuesday.")
    buf = io.BytesIO()
    doc.save(buf)
    [source] = _project(tmp_path, "memo.docx", buf.getvalue())
    assert source.sidecar.published is None
    sources, passages, _ = ingest([source], LEX)
    assert sources.loc[0, "published_note"] == "unknown: no date in the sidecar or in the file"
    assert "Negotiators left the harbour office" in " ".join(passages[passages["kind"] == "body"]["text"])


def _saved_pages(folder: Path, count: int) -> None:
    """`count` saved news pages (navigation, an article, a footer), distinct in text."""
    for i in range(count):
        body = " ".join(f"<p>Paragraph {k} of the harbour report number {i}: the ferry operators said the "
                        f"inspections would resume on day {k + i}, and the port authority agreed.</p>"
                        for k in range(6))
        (folder / f"harbour-{i:02d}.html").write_text(
            f"<html><head><title>Harbour report {i} | Coastal Times</title>"
            f'<meta name="author" content="Ana Reyes"><meta property="article:published_time" '
            f'content="2025-11-{10 + i:02d}"></head><body><nav><a href="/">Home</a></nav><article>'
            f"<h1>Harbour report {i}</h1>{body}</article><footer>Subscribe</footer></body></html>",
            encoding="utf-8")


def test_saved_pages_are_read_on_every_core_to_the_same_sources(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder of saved pages is read ahead on a pool (readers/ahead.py) into the cache, then in
    order: the same sources and warnings as one file after the other, the build process itself
    reading none of them, and a broken file among them still reported with its fix."""
    from pipeline import cores
    from pipeline.readers import ahead, discover

    folder = tmp_path / "inputs" / "sources"
    folder.mkdir(parents=True)
    _saved_pages(folder, ahead.READ_AHEAD_FROM + 2)
    (folder / "zz-broken.pdf").write_bytes(b"%PDF-1.7\n% truncated")

    def load(workers: int, cache: Path) -> tuple[list, list, list]:
        monkeypatch.setenv(cores.WORKERS_ENV, str(workers))
        problems: list = []
        warnings: list[str] = []
        found = [(f.id, f.reading.text, f.reading.meta) for f in
                 discover.find_sources(tmp_path / "inputs", 1 << 22, problems, warnings, set(), cache)]
        return found, warnings, [(p.path, p.message) for p in problems]

    alone = load(1, tmp_path / "cache-1")
    with monkeypatch.context() as m:
        def never(*_args: object, **_kw: object) -> None:
            raise AssertionError("a saved page was read in the build process, not ahead")
        real = discover.read
        m.setattr(discover, "read", lambda path, *a: never() if path.suffix == ".html" else real(path, *a))
        pooled = load(2, tmp_path / "cache-2")
    assert pooled == alone
    found, _, problems = pooled
    assert len(found) == ahead.READ_AHEAD_FROM + 2 and found[0][2]["author"] == "Ana Reyes"
    assert len(problems) == 1 and "zz-broken.pdf" in problems[0][0]
    assert "cannot be read as a PDF" in problems[0][1]


def _mhtml(page: str, saved_from: str = "https://harbour-ledger.example/2025/11/ferry-talks") -> bytes:
    """A page saved as Chromium saves "Webpage, Single File": a MIME archive whose first part is
    the page, quoted-printable, its charset in the part's header only, then a picture."""
    import quopri

    body = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    boundary = "----MultipartBoundary--Fz3kQ9----"
    return (f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {saved_from}\r\n"
            "Subject: Ferry talks stall\r\nDate: Sat, 5 Dec 2026 09:12:40 -0000\r\nMIME-Version: 1.0\r\n"
            f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n'
            f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
            f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {saved_from}\r\n\r\n{body}\r\n"
            f"--{boundary}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Location: https://harbour-ledger.example/quay.png\r\n\r\niVBORw0KGgo=\r\n"
            f"--{boundary}--\r\n").encode("ascii")


def test_a_page_saved_as_a_single_file_reads_as_the_page(tmp_path: Path) -> None:
    """Chrome's and Edge's "Webpage, Single File" (.mhtml): the page inside is read as a saved
    page; the archive's Date (when it was saved, 2026) is never the publication date; the
    address it was saved from is the source's URL when the page states none."""
    page = ("<html><head><title>Ferry talks stall over inspections | Harbour Ledger</title>"
            "<meta property='article:published_time' content='2025-11-27T08:00:00Z'></head><body><article>"
            "<h1>Ferry talks stall over inspections</h1>"
            + "<p>Negotiators left the harbour office without an agreement on Tuesday, officials said, "
              "and the ferry corridor stays shut to lorries – for now.</p>" * 3
            + "</article></body></html>")
    [source] = _project(tmp_path, "ferry-talks.mhtml", _mhtml(page))
    assert source.reading.format == "mhtml"
    assert source.sidecar.title == "Ferry talks stall over inspections"
    assert source.sidecar.published == "2025-11-27"
    assert source.sidecar.url == "https://harbour-ledger.example/2025/11/ferry-talks"
    assert "stays shut to lorries – for now." in source.text      # the en dash, decoded as UTF-8
    assert "iVBOR" not in source.text


def test_a_single_file_page_without_a_page_says_how_to_save_it(tmp_path: Path) -> None:
    from pipeline.readers import ReadError

    data = (b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n"
            b"--b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n")
    with pytest.raises(ReadError) as err:
        read(tmp_path / "x.mhtml", data)
    assert "no web page" in str(err.value) and "Single File" in err.value.hint


def _mail(subject: str, body: str, *, html: str = "", sender: str = "The Meridian Review <brief@meridian.example>",
          date: str = "Fri, 05 Dec 2025 07:02:11 -0500", attachment: str = "") -> bytes:
    """A message as a mail program saves it (.eml), built with the standard library."""
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Date"] = sender, "desk@example.org", subject, date
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    if attachment:
        msg.add_attachment(b"%PDF-1.4 not read", maintype="application", subtype="pdf", filename=attachment)
        msg.add_attachment(b"\x89PNG not read", maintype="image", subtype="png", filename="chart.png")
    return bytes(msg)


WRAPPED = ("GENEVA TALKS\n"
           "Negotiators in Geneva agreed on Thursday to resume talks on the prisoner exchange next\n"
           "week, two officials said, after a day of talks that ran past midnight at the lakeside\n"
           "venue.\n\n"
           "In this issue:\nGeneva talks\nGrain corridor\n\n"
           "What we're watching:\n- Foreign ministers of the mediating states meet in Oslo on Friday.\n"
           "- The ferry corridor reopens to lorries on Monday.\n\n"
           "Unsubscribe | View in browser\n\n"
           "You are receiving this because you signed up at meridian.example. Unsubscribe here.\n\n"
           "-- \nThe Meridian Review, 12 Quay Street\nUnsubscribe: https://meridian.example/u\n")


def test_a_newsletter_saved_from_the_mail_program_reads_with_its_headers(tmp_path: Path) -> None:
    """A plain-text newsletter (.eml): the subject is the title, the sender's name the outlet, the
    Date header's day (in the sender's time zone: 07:02 in New York, 12:02 UTC) the publication
    date; wrapped lines make one paragraph, a list stays a list, the signature is left out."""
    [source] = _project(tmp_path, "morning-brief.eml", _mail("Morning brief: Geneva talks resume", WRAPPED))
    assert source.reading.format == "eml"
    assert source.sidecar.title == "Morning brief: Geneva talks resume"
    assert source.sidecar.outlet == "The Meridian Review"
    assert source.sidecar.published == "2025-12-05"
    assert "\n\nGENEVA TALKS\n\nNegotiators in Geneva agreed" in source.text    # a heading over its paragraph
    assert "prisoner exchange next week, two officials said" in source.text      # one paragraph again
    assert "\n\nGeneva talks\n\nGrain corridor\n" in source.text
    assert "\n\n- Foreign ministers of the mediating states meet in Oslo on Friday.\n\n- The ferry" in source.text
    assert "View in browser" not in source.text and "You are receiving this" not in source.text
    assert "Unsubscribe" not in source.text and "Quay Street" not in source.text
    assert source.text.startswith("Morning brief: Geneva talks resume\n\n")


def test_a_forwarded_newsletter_is_left_undated_and_says_why(tmp_path: Path) -> None:
    """Forwarded (by its subject or by a "Forwarded message" line), a message's Date is the day
    it was forwarded: no publication date, a warning that asks for one, no forwarder as outlet,
    and the forwarding's header block is not text of the source."""
    body = ("FYI\n\n---------- Forwarded message ---------\nFrom: The Meridian Review <brief@meridian.example>\n"
            "Date: Fri, Dec 5, 2025 at 7:02 AM\nSubject: Morning brief\nTo: <analyst@example.org>\n\n" + WRAPPED)
    data = _mail("Fwd: Morning brief", body, sender="Ana Analyst <analyst@example.org>",
                 date="Mon, 08 Dec 2025 09:15:00 +0100")
    problems: list = []
    warnings: list[str] = []
    (tmp_path / "inputs" / "sources").mkdir(parents=True)
    (tmp_path / "inputs" / "sources" / "fwd.eml").write_bytes(data)
    [source], _ = load_sources(tmp_path / "inputs", 10**7, problems, warnings)
    assert not problems
    assert source.sidecar.title == "Morning brief"
    assert not source.sidecar.published and not source.sidecar.outlet
    assert any("forwarded e-mail" in w and "set `published`" in w for w in warnings)
    assert "Date: Fri" not in source.text and "analyst@example.org" not in source.text
    assert "prisoner exchange" in source.text


def test_an_html_newsletter_is_read_as_its_page_and_its_attachments_are_named(tmp_path: Path) -> None:
    """Set in layout tables, as newsletters are: its headings and the lists in its cells are
    kept (trafilatura drops a list inside a table cell), the subject heads the text (not the
    newsletter's <title>), its own links are left out."""
    html = ("<html><head><title>Grain Weekly</title></head><body><table width='100%'><tr><td align='center'>"
            "<table width='600'><tr><td><h2>Grain corridor reopens</h2>"
            + "<p>Ships left the port of Odesa on Wednesday under the new inspection regime, the "
              "port authority said, the first sailings since the corridor closed in October.</p>" * 3
            + "<h2>What we're watching</h2><ul><li>Insurers review war-risk premiums on Thursday.</li>"
              "<li>The next convoy departs on Saturday.</li></ul>"
              "<p><a href='https://grain.example/u'>Unsubscribe</a> | <a href='https://grain.example/b'>View in "
              "browser</a></p></td></tr></table></td></tr></table></body></html>")
    data = _mail("Grain corridor reopens", "Read it in a browser.", html=html, attachment="annex.pdf")
    (tmp_path / "inputs" / "sources").mkdir(parents=True)
    (tmp_path / "inputs" / "sources" / "grain.eml").write_bytes(data)
    problems: list = []
    warnings: list[str] = []
    [source], _ = load_sources(tmp_path / "inputs", 10**7, problems, warnings)
    assert "under the new inspection regime" in source.text and "Read it in a browser" not in source.text
    assert source.text.startswith("Grain corridor reopens\n\n") and "Grain Weekly" not in source.text
    assert "\n\nInsurers review war-risk premiums on Thursday.\n\nThe next convoy departs on Saturday." \
        in source.text
    assert "\n\nWhat we're watching\n\n" in source.text and "Unsubscribe" not in source.text
    assert source.sidecar.published == "2025-12-05" and source.sidecar.outlet == "The Meridian Review"
    assert any("attachment 'annex.pdf' not read" in w and "inputs/sources/" in w for w in warnings)
    assert any("1 other attachment (pictures" in w for w in warnings)
    assert not any("chart.png" in w for w in warnings)


def test_a_file_that_is_no_email_says_how_to_save_one(tmp_path: Path) -> None:
    from pipeline.readers import ReadError

    with pytest.raises(ReadError) as err:
        read(tmp_path / "x.eml", b"just some words\nand more words\n")
    assert "not an e-mail message" in str(err.value) and ".eml" in err.value.hint


@pytest.mark.parametrize("opening", [
    "---------- Forwarded message ---------\nFrom: The Meridian Review <brief@meridian.example>\n"
    "Date: Fri, Dec 5, 2025 at 7:02 AM\nSubject: Morning brief\n",
    "________________________________\nFrom: The Meridian Review <brief@meridian.example>\n"
    "Sent: Friday, December 5, 2025 7:02 AM\nTo: Ana Analyst\nSubject: Morning brief\n",
])
def test_a_forward_is_told_by_its_body_when_the_subject_does_not_say(tmp_path: Path, opening: str) -> None:
    """A forward whose subject kept no "Fwd:" (Outlook's row of underscores over "From:", Gmail's
    "Forwarded message" line) is still a forward: undated, its header block left out."""
    data = _mail("Morning brief", "See below.\n\n" + opening + "\n" + WRAPPED,
                 sender="Ana Analyst <analyst@example.org>", date="Mon, 08 Dec 2025 09:15:00 +0100")
    [source] = _project(tmp_path, "fwd.eml", data)
    assert not source.sidecar.published and not source.sidecar.outlet
    assert "Sent:" not in source.text and "Date: Fri" not in source.text and "brief@meridian" not in source.text
    assert "prisoner exchange" in source.text


def test_a_newsletters_own_rule_opens_no_forward(tmp_path: Path) -> None:
    body = "Top stories\n\n____________________\n\nNote: all times are local.\n\n" + WRAPPED
    [source] = _project(tmp_path, "brief.eml", _mail("Morning brief", body))
    assert source.sidecar.published == "2025-12-05" and "Note: all times are local." in source.text

