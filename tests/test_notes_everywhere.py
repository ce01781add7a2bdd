"""Every statement row the briefing shows carries at least one source note, and every note
number links to a note that links back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def html(seed: Path) -> str:
    return (seed / "output" / "briefing.html").read_text()


def _table_rows(html: str, cls: str) -> list[str]:
    out = []
    for table in re.findall(rf'<table class="{cls}">(.*?)</table>', html, flags=re.S):
        body = re.search(r"<tbody>(.*?)</tbody>", table, flags=re.S)
        out += re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else "", flags=re.S)
    return out


CITE = re.compile(r'<a class="cite" id="(c\d+-\d+)" href="#note-(\d+)">')


def test_chronology_and_who_rows_have_notes(html: str) -> None:
    for cls in ("chron", "who"):
        rows = _table_rows(html, cls)
        assert rows, cls
        for row in rows:
            assert CITE.search(row), f"{cls} row without a note: {re.sub('<[^>]+>', ' ', row)[:120]}"


def test_matrix_terms_contrast_and_key_points_have_notes(html: str) -> None:
    terms = re.findall(r'<div class="term [^"]*">(.*?)</div>', html, flags=re.S)
    assert len(terms) >= 20
    assert all(CITE.search(t) for t in terms)
    sides = re.findall(r'<div class="side">(.*?)</div>', html, flags=re.S)
    assert len(sides) >= 20
    for side in sides:
        if "does not address" not in side:
            assert CITE.search(side), side[:200]
    key_points = re.search(r'<ol class="key-points">(.*?)</ol>', html, flags=re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", key_points, flags=re.S)
    assert items and all(CITE.search(i) for i in items)


def test_note_links_go_both_ways(html: str) -> None:
    cites = CITE.findall(html)
    numbers = {int(n) for _, n in cites}
    assert numbers == set(range(1, max(numbers) + 1)), "notes are numbered 1..N in order of first use"
    first_use = [int(n) for _, n in cites]
    seen: list[int] = []
    for n in first_use:
        if n not in seen:
            seen.append(n)
    assert seen == sorted(seen)
    for anchor, n in cites:
        assert f'id="note-{n}"' in html
        assert f'href="#{anchor}"' in html, f"note {n} has no back-link to {anchor}"
