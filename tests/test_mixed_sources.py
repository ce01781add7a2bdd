"""A folder as an analyst fills it: the seed's .txt sources beside saved web pages, a PDF report
and its web page, Markdown notes and one wire story carried by two outlets, none with a sidecar.
Built once for the module with the real build()."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import make_project

FIX = Path(__file__).parent / "fixtures" / "readers"
ADDED = {"harbour-ledger-monitors.html": "harbour-ledger-monitors",
         "coastal-times-florida-talks.html": "coastal-times-florida-talks",
         "Danube Daily - Florida talks.md": "danube-daily-florida-talks",
         "black-sea-notes.md": "black-sea-notes",
         "corridor-brief.pdf": "corridor-brief",
         "corridor-brief.html": "corridor-brief-web"}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.build import build

    root = make_project(tmp_path_factory.mktemp("mixed"))
    for name in ADDED:
        target = name if name != "corridor-brief.html" else "corridor-brief-web.html"
        shutil.copy(FIX / name, root / "inputs" / "sources" / target)
    result = build(root)
    assert result.status == "built"
    root.joinpath("warnings.txt").write_text("\n".join(result.warnings))
    return root


def _table(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "output" / "tables" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_every_source_shows_its_real_title_outlet_and_date(mixed: Path) -> None:
    src = _table(mixed, "sources").set_index("source_id")
    assert set(ADDED.values()) <= set(src.index)
    ledger = src.loc["harbour-ledger-monitors"]
    assert (ledger["title"], ledger["outlet"], ledger["published"], ledger["format"]) == (
        "Grain corridor monitors reach Odesa as talks resume", "The Harbour Ledger", "2025-11-18", "html")
    coastal = src.loc["coastal-times-florida-talks"]
    assert (coastal["title"], coastal["outlet"], coastal["published"]) == (
        "Ukrainian delegation flies to Florida for weekend talks on 20-point plan", "Coastal Times", "2025-12-06")
    assert src.loc["corridor-brief", "format"] == "pdf"
    assert src.loc["corridor-brief", "author"] == "Irena Halloway"
    assert src.loc["corridor-brief", "published"] == "2025-11-21"
    assert src.loc["danube-daily-florida-talks", "outlet"] == "Danube Daily"
    assert src.loc["weekend-update-165", "format"] == "txt"
    warnings = (mixed / "warnings.txt").read_text()
    assert ("inputs/sources/Danube Daily - Florida talks.md: builds as source 'danube-daily-florida-talks'"
            in warnings)


def test_copies_point_at_the_first_and_add_no_rows(mixed: Path) -> None:
    src = _table(mixed, "sources").set_index("source_id")
    copies = src[src["copy_of"] != ""]["copy_of"].to_dict()
    # the earliest published first, then by id (the brief's PDF and web page: same day)
    assert copies == {"danube-daily-florida-talks": "coastal-times-florida-talks",
                      "corridor-brief-web": "corridor-brief"}
    for name in ("events", "plan_terms", "mentions"):
        table = _table(mixed, name)
        col = "source_ids" if name == "events" else "source_id"
        assert not table[col].str.contains("danube-daily|corridor-brief-web", regex=True).any(), name
    html = (mixed / "output" / "briefing.html").read_text()
    assert "1 report (2 outlets)" in html
    assert "also carried by Danube Daily" in html and "Also carried by" in html


def test_offsets_reproduce_quotes_against_published_texts(mixed: Path) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (mixed / "output" / "sources").glob("*.txt")}
    src = _table(mixed, "sources")
    assert set(texts) == set(src["source_id"])
    checked = set()
    for name, col in (("notes", "quote"), ("mentions", "surface"), ("passages", "text")):
        for r in _table(mixed, name).to_dict("records"):
            assert texts[r["source_id"]][int(r["char_start"]):int(r["char_end"])] == r[col], (name, r)
            checked.add(r["source_id"])
    assert set(ADDED.values()) <= checked


def test_no_furniture_in_body_passages(mixed: Path) -> None:
    pas = _table(mixed, "passages")
    body = " ".join(pas[pas["kind"].isin(["body", "sidebar"])]["text"])
    for furniture in ("Accept all", "Related stories", "Privacy policy", "Share this article",
                      "Cookie policy", "Most read", "Advertise with us", "Page 2 of 3",
                      "Black Sea Security Brief No. 7", "harbourwatcher"):
        assert furniture not in body, furniture
    kinds = pas.groupby("source_id")["kind"].agg(set)
    assert "comment" in kinds["harbour-ledger-monitors"]
    assert "reference" in kinds["corridor-brief"]


def test_appendix_says_how_each_text_was_obtained(mixed: Path) -> None:
    html = (mixed / "output" / "briefing.html").read_text()
    assert "read with trafilatura" in html and "read with pdfplumber" in html
    assert "characters of page furniture" in html
    assert "Danube Daily - Florida talks.md" in html
