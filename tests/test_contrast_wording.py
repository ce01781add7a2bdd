"""The comparison claims no more agreement than the sources show.

Built with a third analysis that has no positions and a news report beside the seeds: common
ground names who holds a stance and who has no reviewed position; a news report gets no column
(it is a report, not an analysis, unless someone wrote positions for it); a retrieval
candidate is shown only where it clears the measured threshold, marked as such, never for news.
"""

from __future__ import annotations

import html as html_lib
import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_project

RELEVANCE = Path(__file__).parent / "relevance"
THIRD = "thinktank-winter-track"            # an analysis nobody has annotated
NEWS = "fixture-kremlin-five-hour-meeting"  # a wire story (kind: news)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.build import build

    root = make_project(tmp_path_factory.mktemp("third-source"))
    for ext in ("txt", "yaml"):
        shutil.copy(RELEVANCE / f"{THIRD}.{ext}", root / "inputs" / "sources" / f"{THIRD}.{ext}")
        shutil.copy(ROOT / "tests" / "fixtures" / f"{NEWS}.{ext}", root / "inputs" / "sources" / f"{NEWS}.{ext}")
    build(root)
    return root


@pytest.fixture(scope="module")
def html(built: Path) -> str:
    return (built / "output" / "briefing.html").read_text(encoding="utf-8")


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_common_ground_says_who_holds_it(html: str) -> None:
    contrast = _text(_section(html, '<section id="contrast">', "</section>"))
    assert "All analyses" not in contrast
    leads = re.findall(r"Common ground, (both annotated analyses[^:]*):", contrast)
    assert leads, contrast[:400]
    # who holds the positions and who has none, said once above the table, not per question
    assert ("Positions below are those of the annotated analyses (Telegraph.com; O'Brien, Weekend Update #165). "
            "The other 2 sources (Fixture Wire, Kremlin meeting; Holding Pattern (think tank)) have no reviewed "
            "position on any of these questions.") in contrast
    assert "has no reviewed position on this question" not in contrast


def test_each_question_is_printed_once_in_the_table_and_once_side_by_side(built: Path, html: str) -> None:
    contrast = _section(html, '<section id="contrast">', "</section>")
    questions = load_questions(built)
    assert questions
    for q in questions:
        assert _text(contrast).count(q) == 2, q
    assert "Common ground</h3>" not in contrast and "Main divergences" not in contrast


def load_questions(root: Path) -> list[str]:
    from pipeline.inputs import load_inputs

    return [q.question for q in load_inputs(root / "inputs").codebook.questions.model]


def test_a_news_report_gets_no_column(html: str) -> None:
    contrast = _section(html, '<section id="contrast">', "</section>")
    summary_head = _section(contrast, '<table class="summary">', "</thead>")
    # an analysis without positions is listed under the table, not given a column of "not reviewed"
    assert "Holding Pattern (think tank)" not in summary_head
    assert "Fixture Wire" not in summary_head
    assert "not reviewed" not in _section(contrast, '<table class="summary">', "</table>")
    assert "No reviewed position on any question: Holding Pattern (think tank)." in _text(contrast)
    questions = _section(contrast, '<article class="question"', "<h3>Coverage")
    assert "Fixture Wire" not in questions
    assert "<h4>Holding Pattern (think tank)</h4>" not in questions
    assert ("Not compared side by side: Fixture Wire, Kremlin meeting, a news report, not an analysis; "
            "no positions were written for it.") in _text(contrast)


def test_candidates_only_above_the_measured_threshold_and_marked(built: Path, html: str) -> None:
    import pandas as pd

    from pipeline.contrast import CANDIDATE_MIN_SCORE, CANDIDATE_MIN_WORDS

    evidence = pd.read_csv(built / "output" / "tables" / "evidence.csv")
    notes = pd.read_csv(built / "output" / "tables" / "notes.csv", keep_default_na=False)
    quote = dict(zip(notes["note_id"], notes["quote"], strict=True))
    first = evidence[(evidence["rank"] == 1) & (evidence["source_id"] == THIRD)]
    clearing = first[(first["score"] >= CANDIDATE_MIN_SCORE)
                     & (first["note_ids"].map(lambda n: len(quote[n].split())) >= CANDIDATE_MIN_WORDS)]
    assert 0 < len(clearing) < len(first)             # some clear it, not every question's
    questions = _section(html, '<article class="question"', "<h3>Coverage")
    assert questions.count("retrieval suggestion, not a position") == len(clearing)
    assert "does not address this question" not in questions   # we do not know that
    news = evidence[evidence["source_id"] == NEWS]
    assert len(news), "the news report is ranked too (evidence.csv keeps every source)"


def test_the_threshold_holds_its_measured_precision() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import candidate_threshold as measure  # noqa: E402 - bench/ is a folder of scripts

    from pipeline.contrast import CANDIDATE_MIN_SCORE, CANDIDATE_MIN_WORDS

    rows = measure.labelled_candidates()
    assert len(rows) == 55 and sum(r["relevant"] for r in rows) == 22
    n, good = measure.shown(rows, CANDIDATE_MIN_SCORE, CANDIDATE_MIN_WORDS)
    assert n >= 10 and good / n >= 0.9, (n, good)      # measured: 13 of 14 shown are relevant
    everything, relevant_all = measure.shown(rows, 0, 0)
    assert relevant_all / everything < 0.5             # what showing every first candidate gave


def test_holders_name_who_has_no_position() -> None:
    from pipeline.pack import holders

    src = [{"source_id": i, "short": i.upper(), "kind": k}
           for i, k in (("a", "analysis"), ("b", "opinion"), ("c", "analysis"), ("w", "news"))]
    assert holders(["a", "b"], src[:2]) == {"lead": "Both annotated analyses", "names": "", "missing": ""}
    assert holders(["a", "b"], src[:3]) == {
        "lead": "Both annotated analyses", "names": "A; B",
        "missing": "The third source (C) has no reviewed position on this question."}
    assert holders(["a", "b", "w"], src)["lead"] == "All 3 annotated sources"     # a report is no analysis
    assert holders(["a", "b", "w"], src)["missing"] == ("The fourth source (C) has no reviewed position "
                                                        "on this question.")
