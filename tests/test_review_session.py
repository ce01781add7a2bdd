"""A scripted review session, as an analyst works: add a wire story, accept an item as copied
from its worksheet, correct its plan, date and title (in the accepted copy) and another item's
(with `corrections:`), reject a third, add a position. After each step the effect shows in the
tables, the HTML and the PDF's text, and the worksheet offers only what is left to review."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import make_project
from tests.review_project import SESSION, TINY, WIRE, Built, annotate, build_project, item


def _unreviewed_in_pdf(built: Built, title_start: str) -> bool:
    """Whether the PDF prints the row starting with these words with its UNREVIEWED mark."""
    text = built.pdf_text
    starts = [m.start() for m in re.finditer(re.escape(title_start), text)]
    assert starts, f"{title_start!r} not in the PDF"
    return any(re.match(r"[^.•]*\.? ?(\d+ )?UNREVIEWED", text[at:at + 200]) for at in starts)


def test_review_session(tmp_path: Path, render_host: Any) -> None:
    root = make_project(tmp_path, inputs=TINY)
    for book in ("plans", "places", "provisions"):
        path = root / "inputs" / "codebook" / f"{book}.yaml"
        path.write_text(path.read_text() + (SESSION / f"{book}-extra.yaml").read_text())
    build_project(root, render_host)

    # 1. Add a source: its text and sidecar; the machine's items arrive unreviewed.
    for name in (f"{WIRE}.txt", f"{WIRE}.yaml"):
        shutil.copy(SESSION / name, root / "inputs" / "sources" / name)
    b = build_project(root, render_host)
    assert WIRE in set(b.tables["sources"]["source_id"])
    mine = b.tables["events"][b.tables["events"]["source_ids"] == WIRE]
    assert len(mine) >= 4 and set(mine["status"]) == {"unreviewed"}
    sheet = b.sheet()
    met = item(sheet, "events", "Negotiator Carla Neuman met")
    again = item(sheet, "events", "Negotiators met again")
    critics = item(sheet, "events", "Critics argued")
    assert 'class="unrev' in b.chronology_row(met["title"])
    assert _unreviewed_in_pdf(b, "Negotiator Carla Neuman met Bob Sample")

    # 2. Accept an item exactly as the worksheet gives it.
    annotate(root, WIRE, lambda doc: doc.setdefault("events", []).append(dict(met)))
    b = build_project(root, render_host)
    row = b.row("events", "event_id", met["id"])
    assert (row["origin"], row["status"], row["places"]) == ("analyst", "reviewed", "eastport")
    assert row["actors"] == "auto-carla-neuman;bob"
    html_row = b.chronology_row(met["title"])
    assert 'class="unrev' not in html_row and "Carla Neuman, Bob Sample · Eastport" in html_row
    assert not _unreviewed_in_pdf(b, "Negotiator Carla Neuman met Bob Sample")
    assert "Carla Neuman, Bob Sample · Eastport" in b.pdf_text
    assert met["id"] not in b.sheet_text()

    # 3. Correct its plan, date and title in the accepted copy; and another machine item's
    #    plan, date and title without copying it, with `corrections:`.
    def correct(doc: dict) -> None:
        accepted = next(e for e in doc["events"] if e["id"] == met["id"])
        accepted.update(plan="harbour-plan-2", date="2025-03-16", title="Neuman and Sample meet in Eastport")
        doc["corrections"] = [{"id": again["id"], "plan": "harbour-plan-2", "date": "2025-03-14",
                               "title": "Negotiators meet in Portville"}]

    annotate(root, WIRE, correct)
    b = build_project(root, render_host)
    for rid, day, title in ((met["id"], "2025-03-16", "Neuman and Sample meet in Eastport"),
                            (again["id"], "2025-03-14", "Negotiators meet in Portville")):
        row = b.row("events", "event_id", rid)
        assert (row["plan_id"], row["date_start"], row["title"], row["status"]) == \
            ("harbour-plan-2", day, title, "reviewed")
        html_row = b.chronology_row(title)
        label = f"{int(day[-2:])} Mar 2025"
        assert label in html_row and "Revised harbour plan" in html_row and 'class="unrev' not in html_row
        assert f"{label} {title}" in b.pdf_text
    assert "Eastport · Revised harbour plan" in b.pdf_text and "Portville · Revised harbour plan" in b.pdf_text
    assert again["id"] not in b.sheet_text().split("# Corrected in")[0]

    # 4. Reject another: gone from the tables, the briefing and the worksheet.
    chron_row = "15 Mar 2025 Critics argued"              # the chronology row: date, then title
    assert chron_row in b.pdf_text and b.chronology_row(critics["title"])
    annotate(root, WIRE, lambda doc: doc.setdefault("reject", []).append(critics["id"]))
    b = build_project(root, render_host)
    assert critics["id"] not in set(b.tables["events"]["event_id"])
    chronology = b.html.split('<section id="chronology">')[1].split("</section>")[0]
    assert "Critics argued" not in chronology
    assert chron_row not in b.pdf_text
    assert critics["id"] not in b.sheet_text()

    # 5. Add a position on a question: it reaches positions.csv and the comparison.
    annotate(root, WIRE, lambda doc: doc.setdefault("positions", []).append(
        {"question": "talks-outcome", "stance": "failure", "position": "Critics see the talks failing.",
         "quotes": ["Critics argued on 15 March 2025 that the talks were going nowhere."]}))
    b = build_project(root, render_host)
    pos = b.tables["positions"]
    assert set(pos[pos["source_id"] == WIRE]["question_id"]) == {"talks-outcome"}
    assert "Critics see the talks failing." in b.html
    assert "Critics see the talks failing." in b.pdf_text
    assert b.tables["events"][b.tables["events"]["source_ids"] == WIRE]["status"].tolist().count("unreviewed") \
        == len(b.sheet()["events"])
