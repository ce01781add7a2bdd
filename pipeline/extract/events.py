"""Candidate events: a sentence with an action, a date (its own or its context's) and an actor
or place. Every candidate keeps the sentence as its note; nothing here is reviewed.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from pipeline.config import Lexicon, Place
from pipeline.extract.dates import Anchor, DateSpan, find_dates

LABEL = re.compile(r"^([^:]{1,60}):\s+")


def alias_regex(names: dict[str, str], ignore_case: bool = False) -> re.Pattern:
    """One alternation over every alias, longest first, on word boundaries."""
    if not names:
        return re.compile(r"(?!x)x")
    alts = "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w])(" + alts + r")(?:['’]s)?(?![\w])", re.IGNORECASE if ignore_case else 0)


def place_lookup(places: list[Place]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in places:
        for alias in [p.name, *p.aliases]:
            out.setdefault(alias, p.id)
    return out


def auto_id(*parts: object) -> str:
    """Machine ids are content hashes: stable across builds, so analysts can reject them by id."""
    return "auto-" + hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:8]


def _best(spans: list[DateSpan]) -> DateSpan | None:
    resolved = [s for s in spans if s.start is not None]
    return resolved[0] if resolved else (spans[0] if spans else None)


def find_events(sentences: pd.DataFrame, mentions: pd.DataFrame, places: list[Place],
                anchors: dict[str, Anchor], lexicon: Lexicon,
                plan_of_sentence: dict[str, str]) -> pd.DataFrame:
    """Candidate events from body and sidebar sentences (one row per sentence)."""
    verbs = {v.lower() for v in lexicon.event_verbs}
    place_names = place_lookup(places)
    place_re = alias_regex(place_names)
    actors_at: dict[str, list[str]] = {}
    for sid_, start, end, actor in zip(mentions["source_id"], mentions["char_start"],
                                       mentions["char_end"], mentions["actor_id"], strict=True):
        actors_at.setdefault(sid_, []).append((start, end, actor))  # type: ignore[arg-type]
    rows: list[dict] = []
    dateline: dict[str, tuple[str, DateSpan]] = {}
    for rec in sentences.itertuples(index=False):
        if rec.kind not in ("body", "sidebar"):
            continue
        anchor = anchors[rec.source_id]
        text = rec.text
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
        label = LABEL.match(text) if rec.kind == "sidebar" else None
        spans = find_dates(label.group(1), anchor) if label else []
        basis = "sidebar label" if spans else "own"
        if not spans:
            spans = find_dates(text, anchor)
        span = _best(spans)
        if span is None:
            prev = dateline.get(rec.source_id)
            if prev and _next_passage(prev[0], rec.passage_id):
                span, basis = prev[1], "dateline"
            else:
                continue
        if len(text.split()) <= 6 and not label:
            # A dateline paragraph ("Anchorage, August 2025.") dates the paragraph after it.
            dateline[rec.source_id] = (rec.passage_id, span)
            continue
        if not (verbs & words) and not label:
            continue
        s0, s1 = rec.char_start, rec.char_end
        actors = sorted({a for (a0, a1, a) in actors_at.get(rec.source_id, []) if s0 <= a0 and a1 <= s1})
        found_places = sorted({place_names[m.group(1)] for m in place_re.finditer(text)})
        if not actors and not found_places:
            continue
        title = text[label.end():] if label else text
        rows.append({
            "event_id": auto_id(rec.source_id, s0, s1),
            "date_start": span.start.isoformat() if span.start else "",
            "date_end": span.end.isoformat() if span.end else "",
            "date_text": span.text, "precision": span.precision, "date_basis": basis,
            "title": _trim(title), "actors": actors, "places": found_places,
            "plan_id": plan_of_sentence.get(rec.sentence_id, ""),
            "source_id": rec.source_id, "passage_id": rec.passage_id,
            "char_start": s0, "char_end": s1,
        })
    return pd.DataFrame(rows, columns=["event_id", "date_start", "date_end", "date_text", "precision",
                                       "date_basis", "title", "actors", "places", "plan_id",
                                       "source_id", "passage_id", "char_start", "char_end"])


def _next_passage(prev_pid: str, pid: str) -> bool:
    a, b = prev_pid.rsplit(":p", 1), pid.rsplit(":p", 1)
    return a[0] == b[0] and 0 <= int(b[1]) - int(a[1]) <= 1


def _trim(text: str, limit: int = 170) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
