"""One event per happening: machine-found reports of the same happening become one row.

Five outlets carrying one wire story, or two analysts describing the same meeting in their own
words, give the machine several rows for one happening. A reader wants one chronology row with
all its reports (sources and notes), so corroboration can be counted and the page bound holds.

Two reports are the same happening when (thresholds in `briefing.yaml`, `event_merge`):
- their sentences are equal after normalisation (case, quotes, punctuation, spacing) and their
  dates agree within the window; or
- one is a source's headline and the other a report of the same source on the same day (the
  headline restates the happening its lede tells, and takes its day); or
- they are dated finely enough, their dates agree within the window, their plan contexts and
  places do not differ (both name places, none shared: two happenings), and they share enough
  named people, or people and a place, or an actor or place and most of their wording.

A reviewed row (an analyst's event, or a machine row an analyst corrected) gains a report only
by the sentence rule: a machine sentence that contains one of its quotes. Merging on actors and
dates is the machine's judgement, and a reviewed row must never carry an unchecked one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipeline.inputs import EventMerge
from pipeline.review.quotes import QUOTE_CHARS
from pipeline.vocab import PRECISION_RANK

_NON_WORD = re.compile(r"[\W_]+")


def normalise(sentence: str) -> str:
    """A sentence as compared across sources: case, quote marks, punctuation and spacing ignored."""
    return _NON_WORD.sub(" ", sentence.translate(QUOTE_CHARS).casefold()).strip()


def _words(norm: str, stop: frozenset[str]) -> set[str]:
    """The content words of a normalised sentence."""
    return {w for w in norm.split() if len(w) > 2 and w not in stop}


@dataclass(slots=True)
class _Report:
    """A row as compared: its seed's facts only, so a cluster cannot grow by chaining."""

    row: dict
    sentence: str          # normalised
    words: set[str]
    people: set[str]
    actors: set[str]
    places: set[str]
    start: date | None
    end: date | None
    sentences: set[str]    # every member's normalised sentence
    # Read of the row on every comparison (half a million at 2,000 sources), so read once, and
    # again when a join changes the row (refresh): whether it is a headline, its plan, its days.
    headline: bool = field(init=False)
    plan: object = field(init=False)
    first: int = field(init=False)
    last: int = field(init=False)

    def __post_init__(self) -> None:
        self.refresh()
        self.first = self.start.toordinal() if self.start is not None else 0
        self.last = self.end.toordinal() if self.end is not None else 0

    def refresh(self) -> None:
        self.headline = is_headline(self.row)
        self.plan = self.row.get("plan_id") or ""


def _span(row: dict) -> tuple[date | None, date | None]:
    if not row.get("date_start"):
        return None, None
    start = date.fromisoformat(row["date_start"])
    return start, date.fromisoformat(row.get("date_end") or row["date_start"])


def _dates_agree(a: _Report, b: _Report, window: int) -> bool:
    if a.start is None or b.start is None:
        return a.start is None and b.start is None
    return a.first - window <= b.last and b.first - window <= a.last


def _plans_differ(a: _Report, b: _Report) -> bool:
    """Both reports name a plan version, and not the same one."""
    return bool(a.plan and b.plan and a.plan != b.plan)


# The basis extraction gives a headline's row (pipeline/extract/events.py, headline_rows): the
# headline restates its lede, so it is a report of the lede's happening, on the lede's day.
HEADLINE_BASIS = "headline, "


def is_headline(row: dict) -> bool:
    return str(row.get("basis") or "").startswith(HEADLINE_BASIS)


def same_happening(a: _Report, b: _Report, rule: EventMerge) -> str:
    """Which rule makes report `b` part of happening `a` ("" when none does)."""
    if _plans_differ(a, b):
        return ""
    if b.headline and not a.headline and b.start is not None and (a.start, a.end) == (b.start, b.end) \
            and set(b.row["source_ids"]) & set(a.row["source_ids"]):
        return "headline"     # a source's headline and the happening its lede tells, that day
    if b.sentence and b.sentence in a.sentences and (
            a.start is None or b.start is None or _dates_agree(a, b, rule.window_days)):
        return "sentence"
    if not _dates_agree(a, b, rule.window_days):
        return ""
    fine = set(rule.precisions)
    if a.row["precision"] not in fine or b.row["precision"] not in fine:
        return ""
    people = len(a.people & b.people)
    places = len(a.places & b.places)
    if rule.places_must_agree and a.places and b.places and not places:
        return ""
    if people >= rule.shared_people:
        return "people"
    if people >= rule.people_with_place and places >= 1:
        return "people and place"
    actors = len(a.actors & b.actors)
    if actors + places >= 1 and a.words and b.words:
        overlap = len(a.words & b.words) / min(len(a.words), len(b.words))
        if overlap >= rule.shared_wording:
            return "wording"
    return ""


def _months(rep: _Report, window: int) -> list[tuple[int, int]]:
    """The calendar months a report's date window touches (at most 13: coarser spans are not
    matched on actors and places anyway)."""
    if rep.start is None or rep.end is None:
        return []
    a, b = rep.start - timedelta(days=window), rep.end + timedelta(days=window)
    out, y, m = [], a.year, a.month
    while (y, m) <= (b.year, b.month) and len(out) < 13:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


SHORT_SPAN = 62    # days: a report dated this finely is indexed by day, a coarser one by month


def _days(rep: _Report, pad: int) -> list[int] | None:
    """The days (ordinals) of a report's date, widened by `pad` on each side, or None when that
    is longer than SHORT_SPAN (such a report is found by its months)."""
    if rep.start is None or rep.end is None:
        return []
    a, b = rep.first - pad, rep.last + pad
    return list(range(a, b + 1)) if b - a <= SHORT_SPAN else None


# What a happening's row shows of the report that stands for it: its date and its sentence.
REPRESENTED = ("date_start", "date_end", "date_text", "precision", "date_basis", "title",
               "source_id", "passage_id", "char_start", "char_end")


def _join(target: dict, row: dict, represent: bool = False) -> None:
    """`row` joins the happening `target`. The best-evidenced report stands for the happening:
    its confidence and basis, and with `represent` (machine clusters; a reviewed row keeps its
    own) also its date and sentence, so the row never shows one report's date or sentence with
    another's confidence (an inherited 'Wednesday' at 0.35 was shown at 0.9, the confidence of a
    report of the same happening the day after; "Before the meeting, the two presidents had held
    a series of phone conversations", inherited at 0.35, was shown at 0.9 as the day's meeting).
    A headline stands for its happening only with another day: on the same day the lede it
    restates says it in full."""
    better = "confidence" in row and "confidence" in target and float(row["confidence"]) > float(target["confidence"])
    other_day = (row.get("date_start"), row.get("date_end")) != (target.get("date_start"), target.get("date_end"))
    if better and represent and (other_day or not is_headline(row)):
        target.update({k: row[k] for k in REPRESENTED if k in row})
        lead = row["note_ids"][:1]
        target["note_ids"] = lead + [n for n in target["note_ids"] if n not in lead]
    target["source_ids"] = sorted(set(target["source_ids"]) | set(row["source_ids"]))
    target["note_ids"] = target["note_ids"] + [n for n in row["note_ids"] if n not in target["note_ids"]]
    target["actors"] = sorted(set(target["actors"]) | set(row["actors"]))
    target["places"] = sorted(set(target["places"]) | set(row["places"]))
    if better:
        target["confidence"], target["basis"] = row["confidence"], row["basis"]
    target["machine_rows"] = [*target.get("machine_rows", []),
                              *(r for r in row.get("machine_rows", []) if r not in target.get("machine_rows", []))]


def one_per_happening(reviewed: list[dict], machine: list[dict], sentence_of: dict[str, str],
                      quotes_of: dict[str, list[str]], people: set[str], rule: EventMerge,
                      stopwords: Iterable[str] = ()) -> list[dict]:
    """Reviewed rows (kept as they are, gaining only verbatim reports) and machine rows
    (clustered) → one row per happening, reviewed first.

    `sentence_of[event_id]` is a machine row's sentence, `quotes_of[event_id]` a reviewed row's
    quotes; `people` the actor ids that count as named people."""
    stop = frozenset(w.casefold() for w in stopwords)
    if not rule.enabled:
        return [*reviewed, *machine]

    def report(row: dict, sentence: str) -> _Report:
        start, end = _span(row)
        norm = normalise(sentence)
        return _Report(row, norm, _words(norm, stop), set(row["actors"]) & people,
                       set(row["actors"]), set(row["places"]), start, end, {norm} if norm else set())

    # Reviewed rows: each quote long enough to identify a sentence, normalised, found through
    # its first words (a sentence is looked up by its own word triples, not against every quote).
    anchors: dict[tuple[str, ...], list[tuple[str, _Report]]] = {}
    for row in reviewed:
        rep = report(row, "")
        for quote in quotes_of.get(row["event_id"], []):
            q = normalise(quote)
            if len(q.split()) >= max(rule.min_quote_words, 3):
                anchors.setdefault(tuple(q.split()[:3]), []).append((q, rep))

    def anchored(rep: _Report) -> _Report | None:
        words = rep.sentence.split()
        for i in range(len(words) - 2):
            for q, home in anchors.get(tuple(words[i:i + 3]), []):
                if (q in rep.sentence and not _plans_differ(home, rep)
                        and (home.start is None or rep.start is None
                             or _dates_agree(home, rep, rule.window_days))):
                    return home
        return None

    # (a headline after its source's other reports of the day: the lede it restates seeds the row)
    ordered = sorted(machine, key=lambda r: (PRECISION_RANK.get(r["precision"], 8),
                                             r["date_start"] or "9999", r["source_ids"][0], is_headline(r),
                                             r.get("char_start", 0), r["event_id"]))
    clusters: list[_Report] = []
    by_sentence: dict[str, list[int]] = {}
    # Only clusters whose seed names one of a report's actors or places, on a day within the
    # window, can match it on the fuzzy rules, so those are the ones tried and the search stays
    # near-linear however many reports name the same actor in the same month. Clusters dated
    # finely are indexed by (day, name); every cluster by (month, name), which finds the coarse
    # ones (and serves a coarse report). A candidate the index lets through is still checked by
    # same_happening, in cluster order, so the index decides nothing but what is tried.
    by_day: dict[tuple[int, str], list[int]] = {}
    by_month: dict[tuple[tuple[int, int], str], list[int]] = {}
    by_month_coarse: dict[tuple[tuple[int, int], str], list[int]] = {}
    by_source: dict[str, list[int]] = {}   # the clusters each source reports (tried for its headline)
    fine = set(rule.precisions)
    pad = rule.window_days
    for row in ordered:
        rep = report(row, sentence_of.get(row["event_id"], ""))
        home = anchored(rep) if anchors else None
        if home is not None:
            _join(home.row, row)
            continue
        names = (*rep.actors, *rep.places) if row["precision"] in fine else ()
        months = [(m, k) for m in _months(rep, pad) for k in names]
        days = _days(rep, pad) if names else []
        if days is None:       # a coarse report: every cluster named in its months
            found = {i for k in months for i in by_month.get(k, [])}
        else:                  # a fine one: fine clusters on its days, coarse ones in its months
            found = {i for d in days for k in names for i in by_day.get((d, k), [])}
            found |= {i for k in months for i in by_month_coarse.get(k, [])}
        candidates = [*by_sentence.get(rep.sentence, []), *sorted(found)]
        if rep.headline:
            candidates += [i for sid in row["source_ids"] for i in by_source.get(sid, [])]
        target = next((i for i in dict.fromkeys(candidates) if same_happening(clusters[i], rep, rule)), None)
        if target is None:
            clusters.append(rep)
            target = len(clusters) - 1
            rep.row = {**row, "source_ids": list(row["source_ids"]), "note_ids": list(row["note_ids"])}
            own = _days(rep, 0) if names else []
            for k in months:
                by_month.setdefault(k, []).append(target)
                if own is None:
                    by_month_coarse.setdefault(k, []).append(target)
            for d in own or []:
                for k in names:
                    by_day.setdefault((d, k), []).append(target)
        else:
            if rep.headline and set(row["source_ids"]) <= set(clusters[target].row["source_ids"]):
                row = {**row, "note_ids": []}   # its source's lede is already cited: the better quote
            _join(clusters[target].row, row, represent=True)
            clusters[target].refresh()      # the join may have given it a better report's basis
            clusters[target].sentences.add(rep.sentence)
        if target not in by_sentence.setdefault(rep.sentence, []):
            by_sentence[rep.sentence].append(target)
        for sid in row["source_ids"]:
            if target not in by_source.setdefault(sid, []):
                by_source[sid].append(target)
    return [*reviewed, *(c.row for c in clusters)]
