"""Labels are shortened at word boundaries only, by one helper everyone uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.labels import clip

SENTENCE = ("Talks on prisoner exchanges, humanitarian corridors and the status of the "
            "Zaporizhzhia plant resumed in Istanbul after a pause of several weeks.")


@pytest.mark.parametrize("limit", range(8, len(SENTENCE) + 2))
def test_every_cut_ends_on_a_whole_word(limit: int) -> None:
    out = clip(SENTENCE, limit)
    words = SENTENCE.split()
    if out == SENTENCE:
        assert len(SENTENCE) <= limit
        return
    assert out.endswith("…") and len(out) <= limit
    kept = out[:-1].split()
    assert kept[:-1] == words[:len(kept) - 1]     # whole words, in order, none cut
    assert words[len(kept) - 1].rstrip(",") == kept[-1]
    assert not out[:-1].endswith((",", " ", "("))


def test_short_text_and_whitespace_are_kept() -> None:
    assert clip("  Anchorage\nsummit  ", 40) == "Anchorage summit"
    assert clip("", 10) == "" and clip(None, 10) == ""


def test_a_first_word_longer_than_the_limit_is_kept_whole() -> None:
    url = "https://example.org/a/very/long/path/that/is/one/word"
    assert clip(url + " and more", 12) == url + "…"
    assert clip(url, 12) == url


def test_custom_mark() -> None:
    assert clip("Ukraine and Russia agree prisoner-exchange terms", 30, "") == "Ukraine and Russia agree"


def test_no_module_slices_text_for_display() -> None:
    """A `[:N]` cut of a label, title or quote anywhere in the engine would bring the bug back;
    ids, hashes and list heads are the legitimate slices."""
    root = Path(__file__).resolve().parent.parent / "pipeline"
    suspect = re.compile(r"(title|label|quote|text|name|short|outlet)[\w\"'\]\)]*\[:\s*\d+\]")
    hits = [f"{p.name}:{i}" for p in root.rglob("*.py")
            for i, line in enumerate(p.read_text().splitlines(), 1) if suspect.search(line)]
    assert hits == []


def test_clip_collapses_white_space_as_one_space_per_run() -> None:
    """labels._SPACE finds only the runs that are not one plain space; replacing those gives what
    replacing every run of white space (`\\s+`) gives, on random mixes of spaces, tabs, new
    lines, no-break and thin spaces."""
    import random

    from pipeline.labels import _SPACE

    rng = random.Random(7)
    pieces = [" ", "  ", "\n", "\t", "\u00a0", "\u2009", "\r\n", "a", "bc", "—", "x y"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        assert _SPACE.sub(" ", text) == re.sub(r"\s+", " ", text), repr(text)


def test_an_outlets_short_name_is_never_cut_inside_its_brackets() -> None:
    from pipeline.labels import short_outlet

    assert short_outlet("Harbour Institute (news release, reposted by Wire-Mirror)") == "Harbour Institute"
    assert short_outlet("Lorne Ledger (Tamsk edition)") == "Lorne Ledger (Tamsk edition)"     # fits whole
    assert short_outlet("The Northern Harbour and Coastal Shipping Gazette Weekly Review") == \
        "The Northern Harbour and Coastal"        # no brackets: cut at a word, bare
