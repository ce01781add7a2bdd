"""Stage 3, review/merge: the only place analyst and machine rows meet.

Analyst quotes are located in the text (or the build fails with the closest real passage);
analyst items override machine ones; rejected machine items disappear; everything that remains
carries `origin` and `status` so the briefing can show what a person checked.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import NamedTuple

import pandas as pd

from pipeline.errors import InputError, Problem, display_path
from pipeline.extract.dates import Anchor, parse_expression
from pipeline.extract.events import distinct_ids
from pipeline.frames import table_rows
from pipeline.inputs import AUTO_ACTOR_PREFIX, Actor, AnnEvent, EventMerge, Inputs, Loaded, closest_name
from pipeline.labels import clip
from pipeline.language import ENGLISH, Language, language_of
from pipeline.review.corrections import conflicts, not_applied, read_correction
from pipeline.review.happenings import one_per_happening
from pipeline.review.quotes import NormalisedText, QuoteNotFound, note_id
from pipeline.vocab import AUTHORS_TEXT, PRECISION_RANK


class Note(NamedTuple):
    """One cited span. A tuple, not a dict: a build cites a sentence per event, term and actor
    (700,000 notes at 10,000 sources), and a 7-key dict per note, with the quote copied again
    as its display, was ~450 MB of the review stage's end, the build's peak there."""

    note_id: str
    source_id: str
    passage_id: str
    char_start: int
    char_end: int
    quote: str
    display: str


log = logging.getLogger("pipeline")

NOT_CITABLE = {"comment": "reader comments, which are not the author's analysis",
               "boilerplate": "site boilerplate", "reference": "the references list"}


@dataclass
class Reviewed:
    """What review hands the tables stage: analyst and machine rows merged, each with `origin`
    and `status`; list cells (`note_ids`, `source_ids`, `actors`) are Python lists."""

    notes: pd.DataFrame                 # every quote cited so far, one row per span
    events: pd.DataFrame
    plan_terms: pd.DataFrame
    positions: pd.DataFrame             # analyst positions; contrast derives their relation
    key_points: pd.DataFrame
    auto_actors: pd.DataFrame           # machine-found actors still standing (not rejected, not known)
    mentions: pd.DataFrame
    actor_notes: dict[str, list[str]]   # actor_id -> the notes that name it
    plan_candidates: pd.DataFrame       # plan versions the sources name that the codebook lacks
    provision_candidates: pd.DataFrame


@dataclass
class NoteBook:
    """Collects notes; the same span cited twice is one note.

    A source's normalised text (for locating analyst quotes) is made on first use: most sources
    of a large corpus have no annotation, and normalising every text cost time in proportion
    to the whole corpus on every build."""

    sources: dict[str, str]               # source_id -> its text
    passages: dict[str, pd.DataFrame]     # source_id -> its passages
    kinds: dict[str, str]
    rows: dict[str, Note] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    normalised: dict[str, NormalisedText] = field(default_factory=dict)

    def text_of(self, source_id: str) -> NormalisedText:
        if source_id not in self.normalised:
            self.normalised[source_id] = NormalisedText(self.sources[source_id], self.passages[source_id])
        return self.normalised[source_id]

    def add_span(self, source_id: str, start: int, end: int, passage_id: str, display: str = "") -> str:
        nid = note_id(source_id, start, end)
        if nid not in self.rows:
            quote = self.sources[source_id][start:end]
            self.rows[nid] = Note(nid, source_id, passage_id, start, end, quote, display or quote)
        return nid

    def locate(self, loaded: Loaded, loc: tuple, source_id: str, quote: str) -> str | None:
        try:
            found = self.text_of(source_id).locate(quote)
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
        rows = sorted(self.rows.values(), key=lambda r: (r.source_id, r.char_start, r.char_end))
        return pd.DataFrame(rows, columns=list(Note._fields))


def _short(text: str, limit: int = 90) -> str:
    return clip(text, limit)


def _hid(*parts: object) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:8]


def make_notebook(inputs: Inputs, passages: pd.DataFrame) -> NoteBook:
    empty = passages.iloc[:0]
    by_source = dict(iter(passages.groupby("source_id", sort=False)))   # one pass, not a filter per source
    return NoteBook({s.id: s.text for s in inputs.sources},
                    {s.id: by_source.get(s.id, empty) for s in inputs.sources},
                    dict(zip(passages["passage_id"].tolist(), passages["kind"].tolist(), strict=True)))


def _quotes(book: NoteBook, loaded: Loaded, base: tuple, source_id: str, quotes: list[str]) -> list[str]:
    ids = [book.locate(loaded, (*base, "quotes", j), source_id, q) for j, q in enumerate(quotes)]
    return [i for i in ids if i]


def date_fields(value: str | None, language: Language = ENGLISH) -> dict | None:
    """An annotation's date as the tables hold it (start, end, text, precision), read with the
    build's language; None when the date tagger cannot read it."""
    if value is None:
        return {"date_start": "", "date_end": "", "date_text": "", "precision": "undated"}
    text = value.replace("/", " to ") if "/" in value else value
    span = parse_expression(text, Anchor.parse(None), language)
    if span is None or span.start is None:
        return None
    return {"date_start": span.start.isoformat(), "date_end": span.end.isoformat(),
            "date_text": value, "precision": span.precision}


def analyst_rows(inputs: Inputs, book: NoteBook, same_actor: dict[str, str] | None = None,
                 language: Language = ENGLISH) -> dict[str, pd.DataFrame]:
    """Annotation files → located analyst rows (events per source, terms, positions, key points).
    `same_actor` maps machine-found actor ids merged into a codebook actor to that actor."""
    same_actor = same_actor or {}
    events, terms, positions, keypoints = [], [], [], []
    for sid, loaded in sorted(inputs.annotations.items()):
        ann = loaded.model
        for i, ev in enumerate(ann.events):
            notes = _quotes(book, loaded, ("events", i), sid, ev.quotes)
            dates = date_fields(ev.date, language)
            if dates is None:
                book.problems.append(loaded.problem(
                    ("events", i, "date"), f"cannot read date '{ev.date}'",
                    "use 2025-08-15, 2025-08, 2025, a range 2025-12-01/2025-12-10, or 'late 2025'"))
                continue
            events.append(_event_row(ev, sid, notes, dates, same_actor))
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
    # Empty until an analyst writes some: the frames keep their columns all the same.
    return {"events": pd.DataFrame(events),
            "terms": pd.DataFrame(terms, columns=["term_id", "plan_id", "provision_id", "position", "value",
                                                  "unit", "plan_basis", "source_id", "note_ids", "origin",
                                                  "status"]),
            "positions": pd.DataFrame(positions, columns=["question_id", "source_id", "position", "stance",
                                                          "note_ids", "origin", "status"]),
            "key_points": pd.DataFrame(keypoints, columns=["point", "text", "note_ids"])}


def _event_row(ev: AnnEvent, sid: str, notes: list[str], dates: dict, same_actor: dict[str, str]) -> dict:
    return {"event_id": ev.id, **dates, "date_basis": "analyst", "title": ev.title,
            "actors": list(dict.fromkeys(same_actor.get(a, a) for a in ev.actors)), "places": ev.places,
            "plan_id": ev.plan or "", "source_id": sid, "note_ids": notes,
            "origin": "analyst", "status": "reviewed"}


def _overlap(a0: str, a1: str, b0: str, b1: str) -> bool:
    return bool(a0 and b0) and a0 <= b1 and b0 <= a1


def merge_events(analyst: pd.DataFrame, machine: pd.DataFrame, book: NoteBook,
                 rejected: dict[str, set[str]], corrections: dict[str, dict],
                 rule: EventMerge | None = None, people: frozenset[str] = frozenset(),
                 superseded: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per event; analyst rows win; machine rows told by several sources are joined.
    `superseded` collects the machine ids an analyst event stands for, with that event's id."""
    superseded = {} if superseded is None else superseded
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
    analyst_by_source: dict[str, list[dict]] = {}
    for ev in merged.values():
        for sid in ev["source_ids"]:
            analyst_by_source.setdefault(sid, []).append(ev)
    reports, sentence_of = [], {}
    for row in table_rows(machine) if len(machine) else []:
        if row["event_id"] in rejected.get(row["source_id"], set()):
            continue
        if row["event_id"] in merged:   # an analyst accepted it under its machine id
            log.info("events: machine %s superseded by the analyst row with its id", row["event_id"])
            superseded[row["event_id"]] = row["event_id"]
            continue
        cover = _covered(row, analyst_by_source.get(row["source_id"], []), book)
        if cover:
            superseded[row["event_id"]] = cover
            continue
        nid = book.add_span(row["source_id"], row["char_start"], row["char_end"], row["passage_id"])
        row = {**row, "note_ids": [nid], "source_ids": [row["source_id"]], "origin": "auto",
               "status": "unreviewed", "machine_rows": [f"{row['source_id']}:{row['event_id']}"]}
        fix = corrections.get(row["event_id"])
        if fix:
            row = _apply_correction(row, fix)
        sentence_of[row["event_id"]] = book.rows[nid].quote
        reports.append(row)
    # One row per happening (pipeline/review/happenings.py); a corrected row is reviewed, like an analyst's.
    reviewed = [*merged.values(), *(r for r in reports if r["status"] == "reviewed")]
    quotes_of = {r["event_id"]: [book.rows[n].quote for n in r["note_ids"]] for r in reviewed}
    rows = one_per_happening(reviewed, [r for r in reports if r["status"] != "reviewed"],
                             sentence_of, quotes_of, people, rule or EventMerge())
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["sources_count"] = out["source_ids"].map(len)
    return out


def _covered(row: dict, analyst_events: list[dict], book: NoteBook) -> str:
    """The analyst event of the same source that supersedes a machine event (it cites its
    sentence, or shares its date window and an actor or place), or ''."""
    for ev in analyst_events:
        for nid in ev["note_ids"]:
            n = book.rows[nid]
            if n.source_id == row["source_id"] and row["char_start"] <= n.char_start < row["char_end"]:
                return ev["event_id"]
        if (_overlap(row["date_start"], row["date_end"], ev["date_start"], ev["date_end"])
                and row["precision"] not in ("year", "range", "undated")
                and (set(row["actors"]) & set(ev["actors"]) or set(row["places"]) & set(ev["places"]))):
            return ev["event_id"]
    return ""


def _apply_correction(row: dict, fix: dict) -> dict:
    """The row with the corrected columns (pipeline/review/corrections.py checked each one applies)."""
    missing = set(fix) - set(row)
    if missing:     # read_correction names only columns the row has: anything else is a bug
        raise KeyError(f"correction sets {sorted(missing)}, which {row.get('event_id') or row.get('term_id')} lacks")
    return {**row, **fix, "status": "reviewed"}


def merge_terms(analyst: pd.DataFrame, machine: pd.DataFrame, book: NoteBook,
                rejected: dict[str, set[str]], corrections: dict[str, dict],
                superseded: dict[str, str] | None = None) -> pd.DataFrame:
    """Analyst terms, then the machine terms no analyst term stands for: one with the same id,
    or of the same source, plan and provision (those are recorded in `superseded`)."""
    superseded = {} if superseded is None else superseded
    rows = analyst.to_dict("records") if len(analyst) else []
    claimed = {(r["source_id"], r["plan_id"], r["provision_id"]): r["term_id"] for r in rows}
    taken = {r["term_id"] for r in rows}
    for row in table_rows(machine) if len(machine) else []:
        if row["term_id"] in rejected.get(row["source_id"], set()):
            continue
        if row["term_id"] in taken:     # an analyst accepted it under its machine id
            log.info("plan terms: machine %s superseded by the analyst row with its id", row["term_id"])
            superseded[row["term_id"]] = row["term_id"]
            continue
        claim = claimed.get((row["source_id"], row["plan_id"], row["provision_id"]))
        if claim:
            superseded[row["term_id"]] = claim
            continue
        nid = book.add_span(row["source_id"], row["char_start"], row["char_end"], row["passage_id"])
        row = {**row, "note_ids": [nid], "origin": "auto", "status": "unreviewed"}
        fix = corrections.get(row["term_id"])
        if fix:
            row = _apply_correction(row, fix)
        rows.append(row)
    return pd.DataFrame(rows)


def actor_notes(book: NoteBook, mentions: pd.DataFrame, sentences: pd.DataFrame) -> dict[str, list[str]]:
    """Each actor's first mention in each source's own text, cited by its sentence."""
    # A passage's sentences are disjoint and in order (ingest.split_sentences), so the one that
    # can hold a mention is the last to start at or before it: an as-of join, one row a mention.
    # (Joining every sentence of the passage, then filtering, made this the review stage's peak:
    # ~400 MB more at 10,000 sources.)
    body = sentences.loc[sentences["kind"].isin(AUTHORS_TEXT), ["passage_id", "char_start", "char_end"]]
    body = body.rename(columns={"char_start": "s0", "char_end": "s1"}).sort_values("s0", kind="stable")
    found = mentions[["actor_id", "source_id", "passage_id", "char_start", "char_end"]].sort_values(
        "char_start", kind="stable")
    firsts = pd.merge_asof(found, body, left_on="char_start", right_on="s0", by="passage_id")
    firsts = firsts[firsts["char_end"] <= firsts["s1"]]       # none held it: s1 is NaN, so False
    firsts = firsts.sort_values(["actor_id", "source_id", "char_start"]).drop_duplicates(["actor_id", "source_id"])
    out: dict[str, list[str]] = {}
    for aid, sid, pid, s0, s1 in zip(firsts["actor_id"].tolist(), firsts["source_id"].tolist(),
                                     firsts["passage_id"].tolist(), firsts["s0"].astype("int64").tolist(),
                                     firsts["s1"].astype("int64").tolist(), strict=True):
        out.setdefault(aid, []).append(book.add_span(sid, s0, s1, pid))
    return out


def merge_known_actors(machine: dict[str, pd.DataFrame], actors: list[Actor]
                       ) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """A discovered actor whose name is a codebook (or annotation) actor's name or alias is
    that actor, and the codebook wins: its mentions and events move to the codebook id and the
    auto row goes. (Extraction reads the codebook only, so a person defined in an annotation's
    `actors:` is discovered again under a machine id.) Returns the tables and the id mapping."""
    names: dict[str, str] = {}
    for actor in actors:
        for name in [actor.name, *actor.aliases]:
            names.setdefault(name.casefold(), actor.id)
    auto = machine["auto_actors"]
    same = {aid: names[name.casefold()] for aid, name in zip(auto["actor_id"], auto["name"], strict=True)
            if name.casefold() in names and names[name.casefold()] != aid}
    if not same:
        return machine, {}
    events = machine["events"].copy()
    events["actors"] = events["actors"].map(lambda ids: sorted({same.get(a, a) for a in ids}))
    return {**machine, "auto_actors": auto[~auto["actor_id"].isin(same)],
            "mentions": machine["mentions"].assign(actor_id=machine["mentions"]["actor_id"].replace(same)),
            "events": events}, same


def _machine_actor_refs(inputs: Inputs, found: set[str]) -> list[Problem]:
    """References to machine-found actors (`auto-...` ids copied from a worksheet), which the
    config layer leaves to this stage: each must be an actor extraction still finds."""
    problems = []
    defined = {a.id for a in inputs.codebook.actors.model}
    for loaded in inputs.annotations.values():
        local = defined | {a.id for a in loaded.model.actors}
        items = [("events", i, e.actors) for i, e in enumerate(loaded.model.events)]
        items += [("corrections", i, c.actors or []) for i, c in enumerate(loaded.model.corrections)]
        for key, i, actors in items:
            for j, actor in enumerate(actors):
                if actor.startswith(AUTO_ACTOR_PREFIX) and actor not in local | found:
                    problems.append(loaded.problem(
                        (key, i, "actors", j), f"unknown actor '{actor}': no source names it any more",
                        "add it under actors: in this file (id, name, type), or use a codebook actor id"))
    return problems


def flag_after_publication(events: pd.DataFrame, published: dict[str, str | None]) -> pd.DataFrame:
    """Mark unreviewed events dated after the publication of a source that reports them: a
    text cannot report what happened after it was published, so the machine probably misread a
    date (or the source announces a plan). The mark keeps them out of the timeline figure and
    asks for a check in the worksheet until someone reviews them."""
    if events.empty:
        return events.assign(check=pd.Series(dtype=str))
    ends = {sid: Anchor.parse(value).end for sid, value in published.items()}

    def check(status: str, date_start: str, source_ids: list[str]) -> str:
        if status != "unreviewed" or not date_start:
            return ""
        start = date.fromisoformat(date_start)
        late = [sid for sid in source_ids if ends.get(sid) and start > ends[sid]]
        return "after publication" if late else ""

    return events.assign(check=[check(*r) for r in zip(events["status"].tolist(), events["date_start"].tolist(),
                                                        events["source_ids"].tolist(), strict=True)])


def _source_items(machine: dict[str, pd.DataFrame], sid: str) -> dict[str, str]:
    """The machine-found items of one source: id -> title (events), position (terms), name (actors)."""
    items: dict[str, str] = {}
    for name, id_col, text_col in (("events", "event_id", "title"), ("terms", "term_id", "position"),
                                   ("auto_actors", "actor_id", "name")):
        df = machine[name]
        if len(df) and text_col in df:
            mine = df[df["source_id"] == sid] if "source_id" in df else df
            items.update(zip(mine[id_col].tolist(), mine[text_col].astype(str).tolist(), strict=True))
    return items


def _stale(loaded: Loaded, loc: tuple, rid: str, sid: str, machine: dict[str, pd.DataFrame],
           previous: Mapping[str, str], text: str = "") -> Problem | None:
    """A reject:/corrections: id that no machine row has now. An id the last published
    worksheets listed has gone stale (its sentence changed, or the engine did): a warning
    naming the closest current item of that source, and the entry has no effect until its id
    is updated. An id no worksheet ever listed is a typo: the edit could never take effect,
    so it is a Problem (exit 2) naming the closest existing id."""
    from rapidfuzz import fuzz, process

    items = _source_items(machine, sid)
    line, path = loaded.line_of(*loc), display_path(loaded.path)
    if rid not in previous:
        every = {i for name, col in (("events", "event_id"), ("terms", "term_id"),
                                     ("auto_actors", "actor_id")) for i in machine[name][col].tolist()}
        near = closest_name(rid, set(items)) or closest_name(rid, every | set(previous))
        hint = (f"did you mean '{near}'? ({_short(items[near], 70)})" if near in items
                else f"did you mean '{near}'?" if near
                else "no id is close to it")
        return Problem(path, line, f"no machine-found item '{rid}': it is not in this build's "
                       f"tables nor in the last published worksheets, so the edit cannot take effect",
                       f"{hint}, or copy the id as written from output/review/{sid}.yaml")
    query = text or previous.get(rid, "")
    best = process.extractOne(query, items, scorer=fuzz.WRatio) if query and items else None
    at = f"{path}:{line}" if line else path
    closest = (f"closest current item: {best[2]} ({_short(best[0], 70)})" if best
               else "no current item to suggest" if not items else
               "its text is not known now, so no closest item can be named")
    log.warning("%s: '%s' was in the last published worksheet, but no machine-found item has it now "
                "(its sentence or the engine changed): the entry is ignored; %s; "
                "copy ids from output/review/%s.yaml", at, rid, closest, sid)
    return None


def review(inputs: Inputs, passages: pd.DataFrame, sentences: pd.DataFrame,
           machine: dict[str, pd.DataFrame], previous: Mapping[str, str] | None = None
           ) -> Reviewed:
    """Locate every analyst quote, then merge analyst and machine rows. `previous` maps the
    machine ids of the last published worksheets to their titles, to name what a stale id was."""
    book = make_notebook(inputs, passages)
    language = language_of(inputs.codebook.lexicon.model)   # handed in: no module state
    # each source's rows were made (and cached) apart: ids two sources share are told apart here
    machine = {**machine, **{name: distinct_ids(machine[name], col) for name, col in
                             (("events", "event_id"), ("terms", "term_id"), ("unlinked_terms", "term_id"))
                             if name in machine}}
    known_actors = [*inputs.codebook.actors.model, *(a for ann in inputs.annotations.values()
                                                       for a in ann.model.actors)]
    machine, same_actor = merge_known_actors(machine, known_actors)
    analyst = analyst_rows(inputs, book, same_actor, language)
    rejected = {sid: set(a.model.reject) for sid, a in inputs.annotations.items()}
    corrections: dict[str, dict] = {}
    kinds = {**dict.fromkeys(machine["events"]["event_id"], "event"),
             **dict.fromkeys(machine["terms"]["term_id"], "term"),
             **dict.fromkeys(machine["auto_actors"]["actor_id"], "actor")}
    known_ids = set(kinds)
    book.problems.extend(_machine_actor_refs(inputs, set(machine["auto_actors"]["actor_id"]) | set(same_actor)))
    where: dict[str, tuple[Loaded, tuple]] = {}
    accepted: dict[str, tuple[Loaded, tuple]] = {}
    for loaded in inputs.annotations.values():
        for i, ev in enumerate(loaded.model.events):
            accepted.setdefault(ev.id, (loaded, ("events", i, "id")))
        for i, t in enumerate(loaded.model.plan_terms):
            if t.id:
                accepted.setdefault(t.id, (loaded, ("plan_terms", i, "id")))
    book.problems.extend(conflicts(inputs.annotations, accepted))
    for sid, loaded in inputs.annotations.items():
        for i, rid in enumerate(loaded.model.reject):
            if rid not in known_ids:
                book.problems.extend(p for p in [_stale(loaded, ("reject", i), rid, sid, machine,
                                                        previous or {})] if p)
        for i, c in enumerate(loaded.model.corrections):
            if c.id not in known_ids:
                book.problems.extend(p for p in [_stale(loaded, ("corrections", i, "id"), c.id, sid, machine,
                                                        previous or {}, c.title or c.position or "")] if p)
                continue
            fix, problems = read_correction(loaded, i, c, kinds[c.id], partial(date_fields, language=language))
            book.problems.extend(problems)
            if fix is not None:
                fix = {k: [same_actor.get(a, a) for a in v] if k == "actors" else v for k, v in fix.items()}
                corrections.setdefault(c.id, fix)
                where.setdefault(c.id, (loaded, ("corrections", i, "id")))
    if book.problems:
        raise InputError(book.problems)
    rule = inputs.briefing.model.event_merge
    people = frozenset(a.id for a in inputs.codebook.actors.model if a.type in rule.people_types) | frozenset(
        machine["auto_actors"].loc[machine["auto_actors"]["type"].isin(rule.people_types), "actor_id"])
    superseded: dict[str, str] = {}
    events = merge_events(analyst["events"], machine["events"], book, rejected, corrections, rule, people,
                          superseded)
    terms = merge_terms(analyst["terms"], machine["terms"], book, rejected, corrections, superseded)
    late = not_applied(where, superseded)
    if late:
        raise InputError(late)
    events = flag_after_publication(events, {s.id: s.sidecar.published for s in inputs.sources})
    auto_actors = machine["auto_actors"]
    all_rejected = set().union(*rejected.values()) if rejected else set()
    auto_actors = auto_actors[~auto_actors["actor_id"].isin(all_rejected)]
    mentions = machine["mentions"][~machine["mentions"]["actor_id"].isin(all_rejected)]
    notes_by_actor = actor_notes(book, mentions, sentences)
    return Reviewed(notes=book.frame(), events=events, plan_terms=terms, positions=analyst["positions"],
                    key_points=analyst["key_points"], auto_actors=auto_actors, mentions=mentions,
                    actor_notes=notes_by_actor, plan_candidates=machine["plan_candidates"],
                    provision_candidates=machine["provision_candidates"])
