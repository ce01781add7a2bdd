"""A text or Markdown source without a sidecar takes its date from a date line under the
title, so its relative dates ("on Friday") resolve; the appendix says where the date came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.inputs import load_sources
from pipeline.readers.dateline import date_line


@pytest.mark.parametrize(("text", "expected"), [
    ("Talks resume\nEastern Ledger | 3 March 2026\n\nOfficials met.", "2026-03-03"),
    ("Talks resume\n_The Sunday Digest, 14 September 2025_\n\nIt was a long week.", "2025-09-14"),
    ("Talks resume\nPosted: 2025-10-02\n\nText.", "2025-10-02"),
    ("Talks resume\nBy Ana Ruiz, Oct 9, 2025\n\nText.", "2025-10-09"),
    ("Talks resume\n\nBy Ana Ruiz\nUpdated 9 October 2025 at 10:40\n\nText.", "2025-10-09"),
])
def test_a_date_line_under_the_title_gives_the_date(text: str, expected: str) -> None:
    found = date_line(text)
    assert found is not None and found[0] == expected


@pytest.mark.parametrize("text", [
    "Talks resume\nCentre for Maritime Studies - Brief No. 7\n\nThe meeting on 5 May 2025 was long.",
    "Talks resume\nThe ministers met on 15 August 2025 in Oslo and agreed to meet again.",
    "Talks resume\nODESA, Oct 9 (Wire) - Ships left port on Friday.",
    "Talks resume\nSpring 2025\n\nText.",
    "Talks resume\n03/04/2025\n\nText.",                     # 3 April or 4 March: never guessed
    "Talks resume\nFirst\nSecond\nThird\nFourth\nLedger | 3 March 2026\n",   # too far down
])
def test_no_date_line_no_date(text: str) -> None:
    assert date_line(text) is None


def _loaded(tmp_path: Path, files: dict[str, str]) -> tuple[dict, list[str]]:
    """The sources of a folder holding `files`, by id, and the warnings loading them gave."""
    src = tmp_path / "sources"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    problems: list = []
    warnings: list[str] = []
    sources, _ = load_sources(tmp_path, 10_000_000, problems, warnings)
    assert problems == []
    return {s.id: s for s in sources}, warnings


def test_discovery_uses_the_date_line_and_the_sidecar_still_wins(tmp_path: Path) -> None:
    by_id, warnings = _loaded(tmp_path, {
        "ledger.txt": "Ports reopen\nEastern Ledger | 3 March 2026\n\nThe port reopened on Friday.\n",
        "digest.md": "# Ports reopen\n\n*The Sunday Digest, 1 March 2026*\n\nShips sailed on Friday.\n",
        "dated.txt": "Ports reopen\nEastern Ledger | 3 March 2026\n\nThe port reopened on Friday.\n",
        "dated.yaml": "published: 2026-03-04\n",
    })
    assert by_id["ledger"].sidecar.published == "2026-03-03"
    assert "Eastern Ledger | 3 March 2026" in by_id["ledger"].sidecar.published_note
    assert by_id["digest"].sidecar.published == "2026-03-01"
    assert by_id["dated"].sidecar.published == "2026-03-04"
    assert "published" in by_id["ledger"].metadata_from
    assert not any("ledger.txt" in w and "publication date unknown" in w for w in warnings)


def test_a_markdown_release_line_joined_to_the_line_above_still_gives_the_date(tmp_path: Path) -> None:
    """A saved press release: the office's bold line and the release line are one paragraph to
    Markdown, so the date is read from the file's own lines; a sidecar still wins, and a date in
    a sentence of the first paragraph is no date line."""
    release = ("# Readout of the ministers' call\n\n**Ministry of Foreign Affairs - Press Office**\n"
               "*Released 3 December 2025, 18:40 CET*\n\nThe ministers spoke today.\n")
    by_id, _ = _loaded(tmp_path, {
        "readout.md": release,
        "sidecar.md": release,
        "sidecar.yaml": "published: 2025-12-04\n",
        "sentence.md": "# Talks\n\nThe ministers met on 15 August 2025 in Oslo and agreed to meet again.\n",
        # the title itself is never its own date line, after a front matter block or a blank line
        "fronted.md": "---\nauthor: A. Writer\n---\n\n# Ceasefire talks on 3 March 2026\n\nThe ministers met.\n",
        "blank.md": "\n# Ceasefire talks on 3 March 2026\n\nThe ministers met.\n",
    })
    assert by_id["readout"].sidecar.published == "2025-12-03"
    assert "Released 3 December 2025, 18:40 CET" in by_id["readout"].sidecar.published_note
    assert "front matter" not in by_id["readout"].sidecar.published_note
    assert by_id["sidecar"].sidecar.published == "2025-12-04"
    assert by_id["sentence"].sidecar.published in ("", None)
    assert by_id["fronted"].sidecar.published in ("", None)
    assert by_id["blank"].sidecar.published in ("", None)
