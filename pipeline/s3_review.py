"""Stage 3, review/merge: the only place analyst and machine rows meet.

Analyst quotes are located in the text (or the build fails with the closest real passage);
analyst items override machine ones; rejected machine items disappear; everything that remains
carries `origin` and `status` so the briefing can show what a person checked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from pipeline.config import AnnEvent, Inputs, Loaded
from pipeline.errors import InputError, Problem
from pipeline.extract.dates import Anchor, parse_expression
from pipeline.labels import clip
from pipeline.quotes import NormalisedText, QuoteNotFound, note_id

NOT_CITABLE = {"comment": "reader comments, which are not the author's analysis",
               "boilerplate": "site boilerplate", "reference": "the references list"}
PRECISION_RANK = {"day": 0, "week": 1, "part": 2, "month": 3, "season": 4, "quarter": 5,
                  "range": 6, "year": 7, "undated": 9}


@dataclass
class NoteBook:
    """Collects notes; the same span cited twice is one note."""

    texts: dict[str, NormalisedText]
    kinds: dict[str, str]
    rows: dict[str, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add_span(self, source_id: str, start: int, end: int, passage_id: str, display: str = "") -> str:
        nid = note_id(source_id, start, end)
        if nid not in self.rows:
            text = self.texts[source_id].text
            self.rows[nid] = {"note_id": nid, "source_id": source_id, "passage_id": passage_id,
                              "char_start": start, "char_end": end, "quote": text[start:end],
                              "display": display or text[start:end]}
        return nid

    def locate(self, loaded: Loaded, loc: tuple, source_id: str, quote: str) -> str | None:
        try:
            found = self.texts[source_id].locate(quote)
        except QuoteNotFound as exc:
            hint = f"closest in the source: {exc.closest}" if exc.closest else exc.hint
            self.problems.append(loaded.problem(loc, f"{exc.message}: \"{_short(quote)}\"",
                                                hint or "copy the quote from the source text"))
            return None
        kind = self.kinds[found.passage_id]
        if kind in NOT_CITABLE:
            self.problems.append(loaded.problem(
                loc, f"quote lies in {NOT_CITABLE[kind]} ({found.passage_id})",
                "cite the author's own text (body or sidebar)"))
            return None
        return self.add_span(source_id, found.start, found.end, found.passage_id, quote.strip())

    def frame(self) -> pd.DataFrame:
        rows = sorted(self.rows.values(), key=lambda r: (r["source_id"], r["char_start"], r["char_end"]))
        return pd.DataFrame(rows, columns=["note_id", "source_id", "passage_id", "char_start",
                                           "char_end", "quote", "display"])


def _short(text: str, limit: int = 90) -> str:
    return clip(text, limit)


def _hid(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:8]


def make_notebook(inputs: Inputs, passages: pd.DataFrame) -> NoteBook:
    texts = {}
    for source in inputs.sources:
        texts[source.id] = NormalisedText(source.text, passages[passages["source_id"] == source.id])
    return NoteBook(texts, dict(zip(passages["passage_id"], passages["kind"], strict=True)))


def _quotes(book: NoteBook, loaded: Loaded, base: tuple, source_id: str, quotes: list[str]) -> list[str]:
    ids = [book.locate(loaded, (*base, "quotes", j), source_id, q) for j, q in enumerate(quotes)]
    return [i for i in ids if i]


def _date_fields(value: str | None) -> dict | None:
    if value is None:
        return {"date_start": "", "date_end": "", "date_text": "", "precision": "undated"}
    text = value.replace("/", " to ") if "/" in value else value
    span = parse_expression(text, Anchor.parse(None))
    if span is None or span.start is None:
        return None
    return {"date_start": span.start.isoformat(), "date_end": span.end.isoformat(),
            "date_text": value, "precision": span.precision}


def analyst_rows(inputs: Inputs, book: NoteBook) -> dict[str, pd.DataFrame]:
    """Annotation files → located analyst rows (events per source, terms, positions, key points)."""
    events, terms, positions, keypoints = [], [], [], []
    for sid, loaded in sorted(inputs.annotations.items()):
        ann = loaded.model
        for i, ev in enumerate(ann.events):
            notes = _quotes(book, loaded, ("events", i), sid, ev.quotes)
            dates = _date_fields(ev.date)
            if dates is None:
                book.problems.append(loaded.problem(
                    ("events", i, "date"), f"cannot read date '{ev.date}'",
                    "use 2025-08-15, 2025-08, 2025, a range 2025-12-01/2025-12-10, or 'late 2025'"))
                continue
            events.append(_event_row(ev, sid, notes, dates))
        for i, t in enumerate(ann.plan_terms):
            notes = _quotes(book, loaded, ("plan_terms", i), sid, t.quotes)
            terms.append({"term_id": t.id or f"t-{_hid(sid, t.plan, t.provision, t.position)}",
                          "plan_id": t.plan, "provision_id": t.provision, "position": t.position,
                          "value": t.value, "unit": t.unit or "", "plan_basis": "analyst",
                          "source_id": sid, "note_ids": notes, "origin": "analyst",
                          "status": "reviewed"})
        for i, p in enumerate(ann.positions):
            notes = _quotes(book, loaded, ("positions", i), sid, p.quotes)
            positions.append({"question_id": p.question, "source_id": sid, "position": p.position,
                              "stance": p.stances, "note_ids": notes, "origin": "analyst",
                              "status": "reviewed"})
    for i, kp in enumerate(inputs.briefing.model.key_points):
        notes = []
        for j, q in enumerate(kp.quotes):
            nid = book.locate(inputs.briefing, ("key_points", i, "quotes", j), q.source, q.quote)
            if nid:
                notes.append(nid)
        keypoints.append({"point": i + 1, "text": kp.text, "note_ids": notes})
    return {"events": pd.DataFrame(events), "terms": pd.DataFrame(terms),
            "positions": pd.DataFrame(positions), "key_points": pd.DataFrame(keypoints)}


def _event_row(ev: AnnEvent, sid: str, notes: list[str], dates: dict) -> dict:
    return {"event_id": ev.id, **dates, "date_basis": "analyst", "title": ev.title,
            "actors": list(ev.actors), "places": [ev.place] if ev.place else [],
            "plan_id": ev.plan or "", "source_id": sid, "note_ids": notes,
            "origin": "analyst", "status": "reviewed"}


def _overlap(a0: str, a1: str, b0: str, b1: str) -> bool:
    return bool(a0 and b0) and a0 <= b1 and b0 <= a1


def merge_events(analyst: pd.DataFrame, machine: pd.DataFrame, book: NoteBook,
                 rejected: dict[str, set[str]], corrections: dict[str, dict]) -> pd.DataFrame:
    """One row per event; analyst rows win; machine rows told by several sources are joined."""
    merged: dict[str, dict] = {}
    for row in analyst.to_dict("records") if len(analyst) else []:
        cur = merged.get(row["event_id"])
        if cur is None:
            merged[row["event_id"]] = {**row, "source_ids": [row["source_id"]]}
            continue
        cur["source_ids"] = sorted(set(cur["source_ids"]) | {row["source_id"]})
        cur["note_ids"] = cur["note_ids"] + [n for n in row["note_ids"] if n not in cur["note_ids"]]
        cur["actors"] = sorted(set(cur["actors"]) | set(row["actors"]))
        cur["places"] = sorted(set(cur["places"]) | set(row["places"]))
        if PRECISION_RANK[row["precision"]] < PRECISION_RANK[cur["precision"]]:
            for k in ("date_start", "date_end", "date_text", "precision"):
                cur[k] = row[k]
    analyst_spans = {}
    for nid, note in book.rows.items():
        analyst_spans.setdefault(note["source_id"], []).append((note["char_start"], note["char_end"], nid))
    analyst_by_source: dict[str, list[dict]] = {}
    for ev in merged.values():
        for sid in ev["source_ids"]:
            analyst_by_source.setdefault(sid, []).append(ev)
    clusters: list[dict] = []
    by_actor: dict[str, list[int]] = {}   # actor → clusters naming them: only those can match
    for row in machine.to_dict("records") if len(machine) else []:
        if row["event_id"] in rejected.get(row["source_id"], set()):
            continue
        if _covered(row, analyst_by_source.get(row["source_id"], []), book):
            continue
        nid = book.add_span(row["source_id"], row["char_start"], row["char_end"], row["passage_id"])
        row = {**row, "note_ids": [nid], "source_ids": [row["source_id"]], "origin": "auto",
               "status": "unreviewed"}
        fix = corrections.get(row["event_id"])
        if fix:
            row = _apply_correction(row, fix)
        candidates = sorted({i for a in row["actors"] for i in by_actor.get(a, [])})
        target = next((clusters[i] for i in candidates if _same_event(clusters[i], row)), None)
        if target is None:
            clusters.append(row)
            for a in row["actors"]:
                by_actor.setdefault(a, []).append(len(clusters) - 1)
        else:
            target["source_ids"] = sorted(set(target["source_ids"]) | set(row["source_ids"]))
            target["note_ids"] = target["note_ids"] + row["note_ids"]
            index = clusters.index(target)
            for a in set(row["actors"]) - set(target["actors"]):
                by_actor.setdefault(a, []).append(index)
            target["actors"] = sorted(set(target["actors"]) | set(row["actors"]))
            target["places"] = sorted(set(target["places"]) | set(row["places"]))
    rows = list(merged.values()) + clusters
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["sources_count"] = out["source_ids"].map(len)
    return out


def _covered(row: dict, analyst_events: list[dict], book: NoteBook) -> bool:
    """A machine event is superseded when an analyst event of the same source cites its sentence
    or shares its date window and an actor or place."""
    for ev in analyst_events:
        for nid in ev["note_ids"]:
            n = book.rows[nid]
            if n["source_id"] == row["source_id"] and row["char_start"] <= n["char_start"] < row["char_end"]:
                return True
        if (_overlap(row["date_start"], row["date_end"], ev["date_start"], ev["date_end"])
                and row["precision"] not in ("year", "range", "undated")
                and (set(row["actors"]) & set(ev["actors"]) or set(row["places"]) & set(ev["places"]))):
            return True
    return False


def _same_event(a: dict, b: dict) -> bool:
    fine = ("day", "week", "part", "month")
    if a["precision"] not in fine or b["precision"] not in fine:
        return False
    if not _overlap(a["date_start"], a["date_end"], b["date_start"], b["date_end"]):
        return False
    shared_actors = set(a["actors"]) & set(b["actors"])
    shared_places = set(a["places"]) & set(b["places"])
    return bool((shared_actors and shared_places) or len(shared_actors) >= 2)


def _apply_correction(row: dict, fix: dict) -> dict:
    row = dict(row)
    for key, value in fix.items():
        if key == "date":
            continue
        if value is not None and key in row:
            row[key] = value
    if fix.get("_dates"):
        row.update(fix["_dates"])
    row["status"] = "reviewed"
    return row


def merge_terms(analyst: pd.DataFrame, machine: pd.DataFrame, book: NoteBook,
                rejected: dict[str, set[str]], corrections: dict[str, dict]) -> pd.DataFrame:
    rows = analyst.to_dict("records") if len(analyst) else []
    claimed = {(r["source_id"], r["plan_id"], r["provision_id"]) for r in rows}
    for row in machine.to_dict("records") if len(machine) else []:
        if row["term_id"] in rejected.get(row["source_id"], set()):
            continue
        if (row["source_id"], row["plan_id"], row["provision_id"]) in claimed:
            continue
        nid = book.add_span(row["source_id"], row["char_start"], row["char_end"], row["passage_id"])
        row = {**row, "note_ids": [nid], "origin": "auto", "status": "unreviewed"}
        fix = corrections.get(row["term_id"])
        if fix:
            row = _apply_correction(row, {("plan_id" if k == "plan" else "provision_id" if k == "provision" else k): v
                                          for k, v in fix.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def actor_notes(book: NoteBook, mentions: pd.DataFrame, sentences: pd.DataFrame) -> dict[str, list[str]]:
    """Each actor's first mention in each source's own text, cited by its sentence."""
    body = sentences[sentences["kind"].isin(["body", "sidebar"])]
    firsts = mentions.merge(body[["passage_id", "char_start", "char_end"]].rename(
        columns={"char_start": "s0", "char_end": "s1"}), on="passage_id")
    firsts = firsts[(firsts["s0"] <= firsts["char_start"]) & (firsts["char_end"] <= firsts["s1"])]
    firsts = firsts.sort_values(["actor_id", "source_id", "char_start"]).drop_duplicates(["actor_id", "source_id"])
    out: dict[str, list[str]] = {}
    for r in firsts.itertuples(index=False):
        out.setdefault(r.actor_id, []).append(book.add_span(r.source_id, r.s0, r.s1, r.passage_id))
    return out


def review(inputs: Inputs, passages: pd.DataFrame, sentences: pd.DataFrame,
           machine: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Locate every analyst quote, then merge analyst and machine rows."""
    book = make_notebook(inputs, passages)
    analyst = analyst_rows(inputs, book)
    rejected = {sid: set(a.model.reject) for sid, a in inputs.annotations.items()}
    corrections: dict[str, dict] = {}
    known_ids = set(machine["events"]["event_id"]) | set(machine["terms"]["term_id"]) \
        | set(machine["auto_actors"]["actor_id"])
    for loaded in inputs.annotations.values():
        for i, rid in enumerate(loaded.model.reject):
            if rid not in known_ids:
                book.problems.append(loaded.problem(("reject", i), f"no machine-found item '{rid}'",
                                                    "copy ids from output/review/<source>.yaml"))
        for i, c in enumerate(loaded.model.corrections):
            if c.id not in known_ids:
                book.problems.append(loaded.problem(("corrections", i, "id"),
                                                    f"no machine-found item '{c.id}'",
                                                    "copy ids from output/review/<source>.yaml"))
                continue
            fix = c.model_dump(exclude={"id"}, exclude_none=True)
            if c.date:
                dates = _date_fields(c.date)
                if dates is None:
                    book.problems.append(loaded.problem(("corrections", i, "date"),
                                                        f"cannot read date '{c.date}'",
                                                        "use an ISO date such as 2025-08-15"))
                    continue
                fix["_dates"] = dates
            corrections[c.id] = fix
    if book.problems:
        raise InputError(book.problems)
    events = merge_events(analyst["events"], machine["events"], book, rejected, corrections)
    terms = merge_terms(analyst["terms"], machine["terms"], book, rejected, corrections)
    auto_actors = machine["auto_actors"]
    all_rejected = set().union(*rejected.values()) if rejected else set()
    auto_actors = auto_actors[~auto_actors["actor_id"].isin(all_rejected)]
    mentions = machine["mentions"][~machine["mentions"]["actor_id"].isin(all_rejected)]
    notes_by_actor = actor_notes(book, mentions, sentences)
    return {"actor_notes": notes_by_actor, "notes": book.frame(), "events": events, "plan_terms": terms,
            "positions": analyst["positions"], "key_points": analyst["key_points"],
            "auto_actors": auto_actors, "mentions": mentions}
