"""The public-corpus scorer (tools/corpora.py) on hand-made TimeML: how a machine value counts."""

from __future__ import annotations

from datetime import date

from pipeline.extract.dates import Anchor, find_dates
from tools.corpora import calendar_interval, strip_timeml, value_right

DOC = ('<DCT><TIMEX3 tid="t0" type="DATE" value="2025-12-03"/></DCT><TEXT>The board approved it in '
       'early <TIMEX3 tid="t1" type="DATE" value="2025-10">October</TIMEX3>, then in '
       '<TIMEX3 tid="t2" type="DATE" value="2025-11">November</TIMEX3>.</TEXT>')


def _judged() -> list[bool]:
    _, text, timexes = strip_timeml(DOC)
    spans = find_dates(text, Anchor.parse("2025-12-03"))
    out = []
    for t in timexes:
        hit = [s for s in spans if s.char_start < t.end and t.start < s.char_end][0]
        want = calendar_interval(t.value)
        assert want is not None
        out.append(value_right(hit, t, want))
    return out


def test_a_part_word_the_annotator_left_outside_the_tag() -> None:
    # "early [October]": the machine's early October lies inside the gold October
    assert _judged() == [True, True]


def test_a_value_outside_the_gold_interval_stays_wrong() -> None:
    # read a year off (against the wrong publication date), early October is not the gold's
    _, text, timexes = strip_timeml(DOC)
    wrong = [s for s in find_dates(text, Anchor.parse("2024-12-03")) if "October" in s.text][0]
    assert (wrong.start, wrong.end) == (date(2024, 10, 1), date(2024, 10, 10))
    assert not value_right(wrong, timexes[0], (date(2025, 10, 1), date(2025, 10, 31)))
