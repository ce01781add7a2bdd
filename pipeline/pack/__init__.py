"""Stage 6, pack: lay the finished tables out as the briefing's sections, in reading order.

This is where source notes get their numbers (order of first use) and where, past the sizes
set in briefing.yaml, the PDF keeps the most significant rows and counts the rest. It reads
tables only; the renderer then turns this view into HTML without computing anything.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from pipeline.confidence import held_back
from pipeline.contrast import CANDIDATE_MIN_SCORE, CANDIDATE_MIN_WORDS
from pipeline.frames import RowsBy, table_rows
from pipeline.ingest.copies import reports_label
from pipeline.inputs import Inputs
from pipeline.labels import date_label
from pipeline.pack import fit, view
from pipeline.pack.changes import view as changes_view
from pipeline.pack.rank import significance
from pipeline.pack.timeline import number_runs, timeline
from pipeline.pack.view import CiteList
from pipeline.tables.schema import Tables
from pipeline.vocab import Format, Relation, Status

PLAN_CANDIDATES_SHOWN = 12   # plan names listed while no version is defined (the worksheets list all)
RELATION_LABEL = {Relation.AGREE: "Agree", Relation.DISAGREE: "Disagree", Relation.PARTIAL: "Partly agree",
                  Relation.ONLY_ONE: "Only one source"}
# How a provision moves from one plan version to the next (the matrix shading), in legend order.
CHANGES = {
    "new": "first mention",
    "same": "same as the last version that mentions it",
    "changed": "differs from the last version that mentions it",
    "dropped": "not reported for this version, though an earlier one had it",
    "none": "no source speaks to it yet",
}


@dataclass
class Citations:
    """Numbers notes by first use and remembers every place that cites them, for back-links."""

    notes: Mapping[str, dict]
    numbers: dict[str, int] = field(default_factory=dict)
    backrefs: dict[int, list[str]] = field(default_factory=dict)

    limit: int | None = None

    def cite(self, note_ids: list[str]) -> CiteList:
        ids = [n for n in dict.fromkeys(note_ids) if n in self.notes]
        out = CiteList()
        if self.limit and len(ids) > self.limit:
            out.more = len(ids) - self.limit
            ids = ids[: self.limit]
        for nid in ids:
            num = self.numbers.setdefault(nid, len(self.numbers) + 1)
            anchor = f"c{num}-{len(self.backrefs.setdefault(num, [])) + 1}"
            self.backrefs[num].append(anchor)
            out.append({"n": num, "anchor": anchor})
        out.sort(key=lambda c: c["n"])
        return out


def capped(names: list[str], limit: int) -> str:
    """A list for a table cell that cannot outgrow a page: the first few, then a count."""
    if len(names) <= limit:
        return "; ".join(names)
    return f"{'; '.join(names[:limit])} and {len(names) - limit} more"


def _fmt_value(value: object, unit: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    v = float(value)  # type: ignore[arg-type]
    text = f"{int(v):,}" if v.is_integer() else f"{v:,.2f}"
    return f"{text} {unit}".strip()


def _ranked(df: pd.DataFrame) -> list:
    """The index of df, most significant row first."""
    score, recency = significance(df)
    return pd.DataFrame({"s": score, "r": recency}).sort_values(["s", "r"], ascending=False).index.tolist()


@dataclass
class Ranked:
    """A table's rows, most significant first, with each row as a dict: ranked once per pack,
    however many times the sections are fitted."""

    df: pd.DataFrame
    order: list
    records: dict

    @classmethod
    def of(cls, df: pd.DataFrame) -> Ranked:
        return cls(df, _ranked(df) if len(df) else [], dict(zip(df.index, table_rows(df), strict=True)))


def _limit(df: pd.DataFrame | Ranked, limit: int | None, height: Callable[[dict], float] | None = None,
           room: float | None = None) -> tuple[pd.DataFrame, int]:
    """The most significant rows: at most `limit`, and with `height` (mm a row prints) and
    `room` (mm the section may fill), no more than fit. Returns (rows in table order, left out).
    Heights are asked for only until the room is full."""
    ranked = df if isinstance(df, Ranked) else None
    df = ranked.df if ranked else df
    if (not limit or len(df) <= limit) and height is None:
        return df, 0
    ranked = ranked or Ranked.of(df)
    order = ranked.order
    if limit:
        order = order[:limit]
    if height is not None and room is not None:
        order = order[:fit.fitting_pages((height(ranked.records[i]) for i in order), room)]
    return df.loc[sorted(order)], len(df) - len(order)


def _one_item_per_source(terms: pd.DataFrame) -> pd.DataFrame:
    """A cell says what each source says once: a source's machine-found terms with the same figure
    under one version and provision are one item citing all their notes (an article that calls
    it "the 28-point plan" three times had filled the cell with three items saying 28 points).
    Reviewed terms and terms without a figure stay as they are (their wording differs)."""
    keep: list[int] = []
    notes: list[list[str]] = []
    kept: dict[object, int] = {}      # a term's key -> its place among those kept
    for i, r in enumerate(terms.to_dict("records")):
        figure = r["status"] == Status.UNREVIEWED and pd.notna(r["value"]) and str(r["value"]) != ""
        key = (r["provision_id"], r["plan_id"], r["source_id"], str(r["value"]), str(r["unit"])) if figure else i
        if key in kept:
            mine = notes[kept[key]]
            mine += [n for n in r["note_ids"] if n not in mine]
            continue
        kept[key] = len(keep)
        keep.append(i)
        notes.append(list(r["note_ids"]))
    out = terms.iloc[keep].copy()
    out["note_ids"] = notes
    return out


def _fit_terms(terms: pd.DataFrame, limit: int | None, n_plans: int, per_cell: int, room: float,
               short: dict[str, str] | None = None, header: float = 0.0, digits: int = 2
               ) -> tuple[pd.DataFrame, int]:
    """The most significant plan terms, at most `limit`, as many as fit the matrix's share of
    (landscape) pages: a row is as tall as its tallest cell, a cell prints `per_cell` items, and
    the rows are laid out page by page under the repeated header row (`header` mm)."""
    order = _ranked(terms) if len(terms) else []
    if limit:
        order = order[:limit]
    cells: dict[tuple[str, str], list[float]] = {}
    rows: dict[str, float] = {}
    lead = 30.0 - fit.HEADER_ROW                   # heading, lede and legend
    header = max(header, fit.HEADER_ROW)
    keep = []
    for i, t in zip(order, terms.loc[order].to_dict("records"), strict=True):
        key = (t["provision_id"], t["plan_id"])
        cell = cells.get(key, [])
        if len(cell) < per_cell:       # as the cell prints it: who says it, what, the notes, the badge
            value = f" {t['value']} {t['unit']}" if pd.notna(t.get("value")) and t.get("value") != "" else ""
            text = str(t["position"])[:150] if t["status"] == "unreviewed" else str(t["position"])
            who = f"{(short or {}).get(t['source_id'], '')}: " if short else ""
            marks = fit.note_marks({"n_cites": min(per_cell, len(t["note_ids"])), "digits": digits,
                                    "more": len(t["note_ids"]) > per_cell})
            badge = " UNREVIEWED" if t["status"] == "unreviewed" else ""
            cell = [*cell, fit.matrix_item(f"{who}{text}{value} {marks}{badge}", n_plans)]
        # a row is as tall as its tallest cell: the "first mention" tag, the items, the padding
        tallest = max([sum(c) for (prov, plan), c in cells.items() if prov == key[0] and plan != key[1]]
                      + [sum(cell)]) + 3.3 + fit.CELL_PAD
        grown = {**rows, key[0]: tallest}
        heights = list(grown.values())
        if fit.fitting_pages(heights, room - lead, fit.LANDSCAPE[1], header) < len(heights):
            break
        cells[key], rows = cell, grown
        keep.append(i)
    return terms.loc[sorted(keep)], len(terms) - len(keep)


def signature(items: list[dict]) -> frozenset[str]:
    """What a cell says, for comparing versions: each item's number if it has one, else its
    wording (case, spacing and a final full stop ignored). Which source says it does not count."""
    return frozenset(i["value"] or " ".join(str(i["position"]).casefold().split()).rstrip(".")
                     for i in items)


def classify_changes(signatures: list[frozenset[str]]) -> list[str]:
    """One change key per version, in date order; an empty signature means no source speaks.

    A cell is compared with the last earlier version that mentions the provision (not merely
    the previous column), so a gap in the sources does not make a repeat look new.
    """
    out: list[str] = []
    last: frozenset[str] | None = None
    for sig in signatures:
        if not sig:
            out.append("none" if last is None else "dropped")
            continue
        out.append("new" if last is None else ("same" if sig == last else "changed"))
        last = sig
    return out


def plan_matrix(terms: pd.DataFrame, plans: list[dict], provisions: dict[str, str],
                short: dict[str, str], cite: Callable[[str], list[dict]], per_cell: int = 4) -> list[dict]:
    """Provisions (codebook order) × plan versions (date order); provisions nobody mentions are
    left out. Each cell: its items (what each source says) and its change key."""
    by_cell: dict[tuple[str, str], list[dict]] = {}     # one pass, not a filter per cell
    for t in terms.to_dict("records"):
        by_cell.setdefault((t["provision_id"], t["plan_id"]), []).append(t)
    mentioned = {prov for prov, _ in by_cell}
    rows = []
    for prov_id, name in provisions.items():
        if prov_id not in mentioned:
            continue
        cells = []
        for p in plans:
            mine = sorted(by_cell.get((prov_id, p["plan_id"]), []), key=lambda t: t["status"])  # reviewed first
            items = [{"source": short.get(t["source_id"], t["source_id"]), "position": t["position"],
                      "value": _fmt_value(t["value"], t["unit"]), "status": t["status"],
                      "cites": cite(t["note_ids"])}
                     for t in mine[:per_cell]]
            cells.append({"items": items, "more": max(0, len(mine) - per_cell)})
        for cell, change in zip(cells, classify_changes([signature(c["items"]) for c in cells]),
                                strict=True):
            cell["change"] = change
        rows.append({"id": prov_id, "name": name, "cells": cells})
    return rows


def coverage_view(coverage: pd.DataFrame | list[dict], source_ids: list[str], short: dict[str, str],
                  event_numbers: dict[str, int], actor_status: dict[str, str], room: float | None = None
                  ) -> tuple[list[str], list[dict]]:
    """Who mentions what, as one row per kind and one column per group of sources: all of
    them, each one alone, and (with three or more sources) some. Events are given by their
    chronology numbers; machine-found actor names are counted, not listed. A cell names at most
    30 actors, and with `room` (mm) fewer, as many as let the table fit it: the others are
    counted ("and 40 more")."""
    columns = ["All sources"] + [f"Only {short[s]}" for s in source_ids]
    position = {s: i for i, s in enumerate(source_ids)}
    if len(source_ids) > 2:
        columns.append("Some sources")

    def column(row: dict) -> int:
        if row["shared"] == "all":
            return 0
        if row["shared"] == "only-one" and row["source_ids"][0] in position:
            return 1 + position[row["source_ids"][0]]
        return len(columns) - 1

    out = []
    by_kind: dict[str, list[dict]] = {}
    for r in coverage.to_dict("records") if isinstance(coverage, pd.DataFrame) else coverage:
        by_kind.setdefault(r["item_type"], []).append(r)
    for kind, label in (("plan", "Plan versions"), ("event", "Events"), ("actor", "Actors")):
        rows = by_kind.get(kind, [])
        if not rows and kind == "plan":
            continue          # no plan version defined yet: the matrix section says so
        in_column: dict[int, list[dict]] = {}
        for r in rows:        # one pass, not a scan of every row per column
            in_column.setdefault(column(r), []).append(r)
        cells = []
        for i in range(len(columns)):
            mine = in_column.get(i, [])
            numbers = [event_numbers[r["item_id"]] for r in mine if r["item_id"] in event_numbers]
            machine = [r for r in mine if actor_status.get(r["item_id"]) == "unreviewed"]
            # events outside the printed chronology are counted, not quoted (events.csv has them)
            names = [r["label"] for r in mine if kind != "event"
                     and r["item_id"] not in event_numbers and r not in machine]
            cells.append({"count": len(mine), "numbers": number_runs(numbers), "names": names,
                          "machine": len(machine)})
        out.append({"kind": kind, "label": label, "cells": cells})

    def named(limit: int) -> list[dict]:
        return [{**row, "cells": [{**c, "names": capped(c["names"], limit)} for c in row["cells"]]} for row in out]

    def text(c: dict) -> str:
        machine = f" and {c['machine']} machine-found names (unreviewed)" if c["machine"] else ""
        return f"event {c['numbers']} {c['names']}{machine}"

    def height(rows: list[dict]) -> float:    # 12 mm: the heading and the header row
        return 12.0 + sum(fit.coverage_row([text(c) for c in row["cells"]], len(columns)) for row in rows)
    limit = 30
    while room is not None and limit > 3 and height(named(limit)) > room:
        limit = max(3, limit * 2 // 3)
    return columns, named(limit)


ORDINAL = {3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def holders(held: list[str], sources: list[dict]) -> dict[str, str]:
    """Who holds a shared stance, said no more widely than the sources show, and who has no
    position: lead "Both annotated analyses", names "Telegraph.com; O'Brien" (empty when every
    source holds one), missing "The third source (C) has no reviewed position on this
    question." News reports are sources, not analyses."""
    names = {s["source_id"]: s["short"] for s in sources}
    kinds = {s["source_id"]: s.get("kind", "") for s in sources}
    noun = "analyses" if all(kinds.get(sid) != "news" for sid in held) else "sources"
    lead = f"{'Both' if len(held) == 2 else f'All {len(held)}'} annotated {noun}"
    rest = [s["source_id"] for s in sources if s["source_id"] not in held]
    if not rest:
        return {"lead": lead, "names": "", "missing": ""}
    if len(rest) == 1:
        which = f"The {ORDINAL[len(sources)]} source" if len(sources) in ORDINAL else "One other source"
        missing = f"{which} ({names.get(rest[0], rest[0])}) has no reviewed position on this question."
    else:
        listed = f" ({'; '.join(names.get(sid, sid) for sid in rest)})" if len(rest) <= 3 else ""
        missing = f"The other {len(rest)} sources{listed} have no reviewed position on this question."
    return {"lead": lead, "names": "; ".join(names.get(sid, sid) for sid in held), "missing": missing}


def overview(questions: list, common: pd.DataFrame, short: dict[str, str],
             sources: list[dict] | None = None) -> tuple[dict[str, str], str]:
    """One lead line per question with two or more positions, printed under the question
    beside the sources' own words (the summary table above lists every stance, so the lead does
    not repeat them): the common ground (contrast's `common_ground` table), who holds it,
    whether the rest diverges. Each says who holds a position and who has none (`sources`:
    every source); when that is the same for every question, the note says it once, above the
    table, instead."""
    found: dict[str, dict] = {}
    by_question = {r["question_id"]: r for r in common.to_dict("records")}
    for q in questions:
        if q.id not in by_question:
            continue
        row = by_question[q.id]
        who = holders(row["holders"], sources or [{"source_id": k, "short": short[k]} for k in row["holders"]])
        found[q.id] = {**who, "points": "; ".join(q.stances.get(k, k) for k in row["shared"]),
                       "diverge": bool(row["diverge"])}
    # The same sources hold positions on every question listed: say so once, above the table.
    once = len({(f["names"], f["missing"]) for f in found.values()}) == 1 and next(iter(found.values()))["missing"]
    note = ""
    if once:
        first = next(iter(found.values()))
        note = (f"Positions below are those of the annotated analyses ({first['names']}). "
                + first["missing"].replace("this question", "any of these questions"))
    leads = {}
    for qid, f in found.items():
        who = f["lead"] + (f" ({f['names']})" if f["names"] and not once else "")
        who = who[:1].lower() + who[1:]
        if f["points"]:
            lead = f"Common ground, {who}: {f['points']}." + (" Beyond it they diverge." if f["diverge"] else "")
        else:
            lead = f"No common ground: {who} hold different stances."
        leads[qid] = lead if once or not f["missing"] else f"{lead} {f['missing']}"
    return leads, note


def detail_sources(tables: Tables, limit: int) -> list[dict]:
    """The sources shown side by side: those an analyst annotated (they hold positions), then
    the longest; past `limit` the rest are counted and stay in the CSVs and the appendix."""
    sources = [s for s in tables["sources"].to_dict("records") if not s.get("copy_of")]
    if len(sources) <= limit:
        return sources
    annotated = set(tables["positions"]["source_id"])
    ranked = sorted(sources, key=lambda s: (s["source_id"] not in annotated, -int(s["body_words"] or 0),
                                            s["source_id"]))
    keep = {s["source_id"] for s in ranked[:limit]}
    return [s for s in sources if s["source_id"] in keep]


FORMAT_LABEL = {Format.TXT: "plain text", Format.MD: "Markdown", Format.HTML: "saved web page",
                Format.PDF: "PDF", Format.DOCX: "Word document", Format.MHTML: "saved web page (single file)",
                Format.EML: "saved e-mail"}


def obtained(source: dict) -> str:
    """How a source's text was obtained, for the appendix: format, extractor, furniture left out."""
    fmt = source.get("format") or "txt"
    text = f"{FORMAT_LABEL.get(fmt, fmt)} ({source.get('file', '')}), read with {source.get('extractor', '')}"
    dropped = int(source.get("furniture_chars") or 0)
    if dropped:
        what = {"md": "markup",
                "eml": "mail furniture (a signature, a forwarding's headers, the newsletter's own links)",
                }.get(fmt, "page furniture (navigation, headers, footers, page numbers, notes markers)")
        text += f"; {dropped:,} characters of {what} left out"
    if source.get("metadata_from"):
        text += f"; {', '.join(source['metadata_from'])} from the file itself"
    return text


def pack(inputs: Inputs, tables: Tables, changes: dict, build_id: str) -> tuple[view.Briefing, Tables]:
    """The view, with each row printing at most `notes_per_row` notes, fewer where the notes
    would pass `max_rows.notes`: the notes section is what grows with corroboration once every
    other section is capped, so this keeps the PDF within its page bound at any corpus size.

    Also the tables as published: notes.csv's `number` is the note's number in this briefing
    (order of first use), empty for a note not printed. Pack is the stage that numbers them."""
    b = inputs.briefing.model
    budget = b.max_rows["notes"]
    room = fit.budget_mm("notes", b.page_budget)
    per_row, scale = b.notes_per_row, 1.0
    fixed = _fixed(inputs, tables, changes)
    while True:
        briefing, numbers = _pack(inputs, tables, changes, build_id, per_row, scale, fixed)
        tall = sum(fit.note_height(n.quote, f"{n.source}, “{n.section}”, ¶{n.paragraph}",
                                   len(n.backrefs)) for n in briefing.notes.rows)
        if (len(numbers) <= budget and tall <= room) or scale < 0.3:
            break
        if per_row > 1:
            per_row -= 1
        else:   # one note a row and still too many: the rows that cite them give way
            scale *= 0.8
    notes = tables["notes"].copy()
    notes["number"] = [str(numbers[n]) if n in numbers else "" for n in notes["note_id"].tolist()]
    return briefing, replace(tables, notes=notes)


def date_flag(published: str, briefing: str) -> str:
    """The warning a source's publication date needs against the briefing's own date: none,
    unknown, or after the briefing (a page dated by the day it was printed, a typo)."""
    if not published:
        return "publication date unknown: its relative dates are left unresolved"
    if published[:10] > briefing:
        return f"dated {published[:10]}, after this briefing's date ({briefing}): check the date"
    return ""


@dataclass
class _Fixed:
    """What pack reads from the tables whatever the notes' and rows' budgets: made once, while
    `_pack` runs once per budget tried (the notes loop in `pack`)."""

    notes: Mapping[str, dict]
    sources: list[dict]
    copies: dict[str, list[dict]]          # first report -> the sources that copy it, in table order
    detail: list[dict]
    events: Ranked                         # shown events (not held back)
    actors: Ranked                         # shown actors (mentioned, not held back)
    held: dict[str, int]
    coverage: list[dict]
    kinds: dict[str, dict]
    corroboration: dict[str, dict]         # event id -> its row of corroboration.csv
    changes: view.Changes


def _fixed(inputs: Inputs, tables: Tables, changes: dict) -> _Fixed:
    b = inputs.briefing.model
    threshold = b.show_machine_from
    sources = tables["sources"].to_dict("records")
    copies: dict[str, list[dict]] = {}
    for c in sources:
        if c.get("copy_of"):
            copies.setdefault(c["copy_of"], []).append(c)
    detail = detail_sources(tables, b.sources_in_detail)
    for s in detail:     # the outlets that ran the same story, named on the cover
        s["also_carried"] = "; ".join(c["outlet"] or c["short"] for c in copies.get(s["source_id"], []))
    held = {name: int(held_back(tables[name], threshold).sum()) for name in ("events", "plan_terms")}
    actors = tables["actors"]
    shown = actors[actors["mentions"] > 0]
    held["actors"] = int(held_back(shown, threshold).sum())
    shown = shown[~held_back(shown, threshold)]
    kinds: dict[str, dict] = {}
    for (sid, kind), n in tables["passages"].groupby("source_id")["kind"].value_counts().items():
        kinds.setdefault(sid, {})[kind] = int(n)
    return _Fixed(notes=RowsBy(tables["notes"], "note_id"), sources=sources,
                  copies=copies, detail=detail,
                  events=Ranked.of(tables["events"][~held_back(tables["events"], threshold)]),
                  actors=Ranked.of(shown.assign(status=shown["status"])), held=held,
                  coverage=table_rows(tables["coverage"]), kinds=kinds,
                  corroboration={r["event_id"]: r for r in tables["corroboration"].to_dict("records")},
                  changes=view.Changes.of(changes_view(changes, tables, b.max_rows["changes"])))


def _pack(inputs: Inputs, tables: Tables, changes: dict, build_id: str,
          per_row: int, scale: float = 1.0, fixed: _Fixed | None = None) -> tuple[view.Briefing, dict[str, int]]:
    b = inputs.briefing.model
    fixed = fixed or _fixed(inputs, tables, changes)

    def room(section: str) -> float:
        return fit.budget_mm(section, b.page_budget) * scale
    notes = fixed.notes
    cites = Citations(notes)
    sources = fixed.sources
    short = {s["source_id"]: s["short"] for s in sources}
    actor_name = dict(zip(tables["actors"]["actor_id"], tables["actors"]["name"], strict=True))
    plan_name = {p.id: p.name for p in inputs.codebook.plans.model}   # a plan no term cites, too
    place_name = {p.id: p.name for p in inputs.codebook.places.model}
    limits = b.max_rows
    budget_notes = limits["notes"]
    cites.limit = per_row
    detail = fixed.detail
    detail_ids = [s["source_id"] for s in detail]
    # Side by side: the analyses, and news reports only where someone wrote positions for them.
    annotated = set(tables["positions"]["source_id"])
    compared = [s for s in detail if s["kind"] != "news" or s["source_id"] in annotated]

    key_points = [{"text": r["text"], "cites": cites.cite(r["note_ids"])}
                  for r in tables["key_points"].to_dict("records")]

    copy_of = {s["source_id"]: s["copy_of"] for s in sources if s.get("copy_of")}
    originals = len(sources) - len(copy_of)

    corroboration = fixed.corroboration

    def reported(event_id: str) -> dict:
        """Who carried a row's story: independent reports, and every outlet that ran one."""
        c = corroboration[event_id]
        return {"sources": capped([short[s] for s in c["carriers"]], b.sources_in_detail),
                "n_sources": c["reports"], "corroboration": reports_label(c["reports"], c["outlets"], originals),
                "corroborated": c["reports"] > 1 or c["outlets"] > c["reports"]}

    digits = len(str(max(99, budget_notes)))     # the widest note number a row may print

    def event_height(r: dict) -> float:
        carried = reported(r["event_id"])      # the very cells the row prints
        return fit.chronology_row({
            "title": r["title"], "n_cites": min(per_row, len(r["note_ids"])), "digits": digits,
            "more": len(r["note_ids"]) > per_row, "check": r.get("check", ""),
            "actors": [actor_name.get(a, a) for a in r["actors"]][:12],
            "places": [place_name.get(x, x) for x in r["places"]],
            "plan": plan_name.get(r["plan_id"], ""), "unreviewed": r["status"] == "unreviewed",
            "date": date_label(r["date_start"], r["date_end"], r["precision"], r["date_text"]),
            "sources": carried["sources"],
            "corroboration": carried["corroboration"] if carried["corroborated"] else ""})

    # The chronology's share of pages holds the timeline and the rows: the figure grows with
    # the rows it draws, so the rows are fitted twice, the second time below the figure drawn.
    threshold = b.show_machine_from
    held = dict(fixed.held)
    figure = 60.0
    for _ in range(2):
        events, events_cut = _limit(fixed.events, limits.get("events"), event_height,
                                    room("chronology") - figure)
        dated = events[events["precision"] != "undated"]
        drawn = [{"n": i + 1, "start": r["date_start"], "end": r["date_end"], "precision": r["precision"],
                  "status": r["status"], "date": "", "title": ""}
                 for i, r in enumerate(dated.to_dict("records"))]
        figure = fit.timeline_mm(timeline(drawn))
    chron, undated = [], []
    for r in table_rows(events):
        row = {"date": date_label(r["date_start"], r["date_end"], r["precision"], r["date_text"]),
               "precision": r["precision"], "date_text": r["date_text"], "title": r["title"],
               **reported(r["event_id"]),
               "actors": [actor_name.get(a, a) for a in r["actors"]][:12],
               "plan": plan_name.get(r["plan_id"], ""), "status": r["status"],
               "places": [place_name.get(x, x) for x in r["places"]],
               "check": r.get("check", ""),
               "basis": r.get("date_basis", ""),
               "cites": cites.cite(r["note_ids"]), "id": r["event_id"],
               "start": r["date_start"], "end": r["date_end"]}
        if r["precision"] == "undated":
            undated.append(row)
        else:
            chron.append(row | {"n": len(chron) + 1})

    plans = tables["plans"].to_dict("records")
    for p in plans:
        p["date"] = date_label(p["date_start"], p["date_end"], p["precision"])
    shown_terms = _one_item_per_source(tables["plan_terms"][~held_back(tables["plan_terms"], threshold)])
    plan_width = (fit.LANDSCAPE[0] - 31) / max(1, len(plans)) - fit.SIDE_PAD
    matrix_header = max([fit.block([(p["name"], plan_width, 7.1, 1.3), (p["date"], plan_width, 7.3, 1.3)])
                         for p in plans] or [0.0]) + fit.CELL_PAD
    terms, terms_cut = _fit_terms(shown_terms, limits.get("plan_terms"), len(plans),
                                  b.notes_per_row, room("matrix"), short, matrix_header, digits)
    # While no plan version is defined, the versions the sources name (the worksheets offer them).
    candidates = tables.get("plan_candidates", pd.DataFrame()) if not plans else pd.DataFrame()
    plan_candidates = [{"name": c["name"], "sources": c["sources"], "cites": cites.cite(c["note_ids"]),
                        "points": None if pd.isna(c["points"]) or any(ch.isdigit() for ch in c["name"])
                        else int(c["points"])}
                       for c in candidates.head(PLAN_CANDIDATES_SHOWN).to_dict("records")]

    questions = inputs.codebook.questions.model
    positions = tables["positions"]
    evidence = tables["evidence"]
    stories = [s for s in sources if not s.get("copy_of")]     # a copy is not another source
    leads, holders_note = overview(questions, tables["common_ground"], short, stories)
    # Columns for the sources with positions; the others are listed under the table (a column
    # of "not reviewed" squeezes the real ones), unless no source has any position yet.
    positioned = [s for s in compared if s["source_id"] in annotated] or compared
    unpositioned = [s for s in compared if s not in positioned]
    contrast = []
    for q in questions:
        sub = positions[positions["question_id"] == q.id]
        per_source = []
        for s in positioned + unpositioned:
            mine = sub[sub["source_id"] == s["source_id"]]
            if len(mine):
                m = mine.iloc[0]
                stances = [q.stances.get(x, x) for x in m["stance"]]
                per_source.append({"source": s["short"], "position": m["position"],
                                   "stance": "; ".join(stances), "stances": stances,
                                   "status": m["status"],
                                   "cites": cites.cite(m["note_ids"])})
            else:
                cand = evidence[(evidence["question_id"] == q.id)
                                & (evidence["source_id"] == s["source_id"])].head(1).to_dict("records")
                # only a close match, never for a news report (bench/candidate_threshold.py)
                cand = [c for c in cand if s["kind"] != "news" and c["score"] >= CANDIDATE_MIN_SCORE
                        and len(notes[c["note_ids"][0]]["quote"].split()) >= CANDIDATE_MIN_WORDS]
                per_source.append({"source": s["short"], "position": "", "stance": "", "stances": [],
                                   "status": "unreviewed",
                                   "candidates": [{"cites": cites.cite(c["note_ids"]), "score": c["score"],
                                                   "text": notes[c["note_ids"][0]]["quote"]} for c in cand]})
        rel = sub["relation"].iloc[0] if len(sub) else "only-one"
        contrast.append({"id": q.id, "question": q.question, "relation": rel, "lead": leads.get(q.id, ""),
                         # side by side: the sources with positions; the others' suggestions are listed
                         "columns": per_source[:len(positioned)], "listed": per_source[len(positioned):],
                         "relation_label": RELATION_LABEL[rel] if len(sub) else "Not yet reviewed",
                         "sources": per_source})

    actors = tables["actors"]

    def who_height(r: dict) -> float:
        return fit.who_row({"name": r["name"], "affiliation": r["affiliation"], "role": r["role"],
                            "n_cites": min(per_row, len(r["note_ids"])), "digits": digits,
                            "more": len(r["note_ids"]) > per_row,
                            "sources": capped([short.get(s, s) for s in r["source_ids"]], b.sources_in_detail)})

    shown, actors_cut = _limit(fixed.actors, limits.get("actors"), who_height,
                               room("who") - 20)     # the heading and the machine-found names' lede
    whos = []
    for r in shown.sort_values(["status", "type", "name"], kind="stable").to_dict("records"):
        whos.append({"name": r["name"], "type": r["type"], "affiliation": r["affiliation"],
                     "role": r["role"], "origin": r["origin"], "status": r["status"],
                     "sources": capped([short[s] for s in r["source_ids"]], b.sources_in_detail),
                     "mentions": int(r["mentions"]), "cites": cites.cite(r["note_ids"])})
    who_machine = [w for w in whos if w["status"] == "unreviewed"]
    # The matrix prints last (landscape, after the appendix): its notes are numbered after the rest.
    provision_names = {p.id: p.name for p in inputs.codebook.provisions.model}
    matrix = plan_matrix(terms, plans, provision_names, short, cites.cite, per_cell=b.notes_per_row)
    whos = [w for w in whos if w["status"] != "unreviewed"]

    coverage_columns, coverage = coverage_view(
        fixed.coverage, detail_ids, short,
        {r["id"]: r["n"] for r in chron},
        dict(zip(actors["actor_id"], actors["status"], strict=True)), room("coverage"))
    frames = []
    # the subjects the printed columns describe (a subject only other sources describe would be
    # a row of dashes)
    framed = [s["source_id"] for s in compared] or detail_ids
    framing = tables["framing"][tables["framing"]["source_id"].isin(framed)]
    for subject, group in framing.groupby("subject", sort=False):
        frames.append({"subject": subject, "by_source": {
            short[s]: t for s, t in zip(group["source_id"], group["terms"], strict=True)}})
    # Subjects described by the most sources first, as many as fit the framing's share.
    columns = len(compared) or 1
    ranked = sorted(range(len(frames)), key=lambda i: (-len(frames[i]["by_source"]), i))
    keep = fit.fitting((fit.framing_row(list(frames[i]["by_source"].values()), columns, frames[i]["subject"])
                        for i in ranked), room("framing"))
    framing_cut = len(frames) - keep
    frames = [frames[i] for i in sorted(ranked[:keep])]

    # A copy is listed under the story it copies (one card per story, the outlets that ran it).
    appendix = [{**s, "kinds": dict(fixed.kinds.get(s["source_id"], {})),
                 "obtained": obtained(s),
                 "copies": [{"short": c["short"], "outlet": c["outlet"], "file": c["file"],
                             "format": c["format"], "published": c["published"],
                             "obtained": obtained(c)}
                            for c in fixed.copies.get(s["source_id"], [])]}
                for s in sources if not s.get("copy_of")]

    note_list = []
    for nid, num in sorted(cites.numbers.items(), key=lambda x: x[1]):
        n = notes[nid]
        note_list.append({"n": num, "quote": n["display"] or n["quote"],
                          "source": short[n["source_id"]], "section": n["section"],
                          "paragraph": int(n["paragraph"]), "backrefs": cites.backrefs[num],
                          "id": nid})

    # Past max_rows.sources the appendix lists the sources the printed notes cite first.
    listed = b.max_rows["sources"]
    appendix_cut = max(0, len(appendix) - listed) if len(appendix) > b.sources_in_detail else 0
    if appendix_cut:
        cited = {notes[nid]["source_id"] for nid in cites.numbers}
        keep = sorted(range(len(appendix)), key=lambda i: (appendix[i]["source_id"] not in cited, i))[:listed]
        appendix = [appendix[i] for i in sorted(keep)]

    # A source dated after the briefing, or not dated at all, is flagged on the cover and in
    # the appendix: its relative dates ("on Wednesday") are resolved against a date that may
    # be wrong, or (unknown) left unresolved.
    date_flags = {s["source_id"]: flag for s in sources
                  if (flag := date_flag(s.get("published") or "", b.date.isoformat()))}

    # Everything shown that a machine found and no analyst has checked.
    unreviewed = (sum(r["status"] == "unreviewed" for r in chron + undated)
                  + int((terms["status"] == "unreviewed").sum()) + len(who_machine)
                  + sum(bool(side.get("candidates")) for q in contrast for side in q["sources"]))
    cover = view.Cover(
        title=b.title, subtitle=b.subtitle,
        date=f"{b.date.day} {calendar.month_name[b.date.month]} {b.date.year}",
        iso_date=b.date.isoformat(), author=b.author, marking=b.marking, build_id=build_id,
        # the plan versions and the sources the cover names (not every source: at 2,000 sources
        # the list was 31 kB in the PDF's properties and in the head of every rendered part)
        keywords=", ".join(dict.fromkeys([*(p["name"] for p in plans), *(s["short"] for s in detail)])),
        sources=view.rows(view.SourceCard, detail), other_sources=originals - len(detail), unreviewed=unreviewed,
        date_flags=date_flags, date_flagged=[short[i] for i in date_flags])
    return view.Briefing(
        cover=cover, key_points=view.rows(view.KeyPoint, key_points),
        changes=fixed.changes,
        chronology=view.Chronology(
            rows=view.rows(view.EventRow, chron), undated=view.rows(view.EventRow, undated),
            cut=events_cut, held=held["events"], show_machine_from=threshold,
            # events dated after their source's publication wait for review outside the figure
            timeline=timeline([r for r in chron if not r["check"]]),
            unchecked_dates=sum(bool(r["check"]) for r in chron), copies=len(copy_of)),
        contrast=view.Contrast(
            questions=view.rows(view.Question, contrast), positions_reviewed=len(positions) > 0,
            holders_note=holders_note,
            other_sources=originals - len(detail), reports_apart=[s["short"] for s in detail if s not in compared],
            source_shorts=[s["short"] for s in positioned], unpositioned=[s["short"] for s in unpositioned],
            candidate_threshold=CANDIDATE_MIN_SCORE),
        coverage=view.Coverage(columns=coverage_columns, rows=view.rows(view.CoverageRow, coverage)),
        framing=view.Framing(rows=view.rows(view.FramingRow, frames), cut=framing_cut,
                             shorts=[s["short"] for s in compared] or [s["short"] for s in detail]),
        who=view.Who(rows=view.rows(view.ActorRow, whos), machine=view.rows(view.ActorRow, who_machine),
                     cut=actors_cut, held=held["actors"], show_machine_from=threshold),
        notes=view.Notes(rows=view.rows(view.NoteRow, note_list), per_row=per_row, per_row_asked=b.notes_per_row),
        appendix=view.Appendix(rows=view.rows(view.SourceCard, appendix), cut=appendix_cut,
                               compact=originals > b.sources_in_detail),
        matrix=view.Matrix(
            plans=view.rows(view.PlanColumn, plans), rows=view.rows(view.MatrixRow, matrix),
            candidates=view.rows(view.PlanCandidate, plan_candidates),
            candidates_cut=max(0, len(candidates) - PLAN_CANDIDATES_SHOWN), terms_cut=terms_cut,
            legend=CHANGES, held=held["plan_terms"], show_machine_from=threshold),
    ), cites.numbers
