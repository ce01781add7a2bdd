"""Stage 4, tables: shape merged rows into the contract's tables, in a stable order, and check
them against their declared schemas (pipeline/tables/schema.py). List cells (`note_ids`,
`source_ids`, `actors`, ...) stay Python lists until publish, which joins them with `;`.

Rules (dbt-style, one schema per table): ids unique; enums closed; dates ISO with
start <= end; undated rows have no dates; every row that states something has a note.
"""

from __future__ import annotations

import pandas as pd

from pipeline.confidence import with_confidence
from pipeline.errors import EngineBug
from pipeline.extract.candidates import candidate_tables
from pipeline.ingest.copies import independent
from pipeline.inputs import Inputs
from pipeline.review import Reviewed
from pipeline.tables.schema import CONTRACT_TABLES, TABLES, Tables, as_list, pandera_schema
from pipeline.vocab import AUTHORS_TEXT, PRECISION_RANK


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Schema failures are pipeline bugs (EngineBug, exit 1): every input that could break a
    table is refused earlier, by file and line. The message names the sources of the bad rows.
    The schema is derived from the table's declaration (pipeline/tables/schema.py); a table read
    back from its CSV has its list cells split first."""
    from pandera.errors import SchemaErrors

    if name not in CONTRACT_TABLES:
        return df
    table = TABLES[name]
    if df.empty:
        # An empty table has no values to infer a dtype from: it takes its declared types,
        # so "no rows yet" is never a schema error.
        df = table.empty()
    else:
        df = df.assign(**{col: df[col].map(as_list) for col in table.list_columns() if col in df.columns})
    try:
        return pandera_schema(name).validate(df, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases.head(10).to_dict("records")
        sources: list[str] = []
        for c in cases:
            index = c.get("index")
            for col in ("source_id", "source_ids"):
                if col in df.columns and index is not None and index in df.index:
                    sources += as_list(df.at[index, col])
        details = [f"{c.get('check')} on column {c.get('column')} (value {c.get('failure_case')!r})"
                   for c in cases]
        raise EngineBug(name, sorted(set(sources)), details) from None


def _frame(rows: list[dict] | pd.DataFrame, name: str) -> pd.DataFrame:
    return TABLES[name].frame(rows)


def _date_bounds(value: object) -> tuple[str, str, str]:
    from pipeline.extract.dates import Anchor

    if value is None:
        return "", "", "undated"
    if hasattr(value, "start"):
        a, b = Anchor.parse(value.start), Anchor.parse(value.end)  # type: ignore[attr-defined]
        return a.start.isoformat(), b.end.isoformat(), "range"
    a = Anchor.parse(str(value))
    return a.start.isoformat(), a.end.isoformat(), a.precision


def with_passage_place(notes: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Notes with the paragraph number and section of their passage, as the briefing cites them
    (`number` is filled later, in order of first use)."""
    notes = notes.copy()
    place = passages.set_index("passage_id")
    notes["paragraph"] = notes["passage_id"].map(place["seq"])
    notes["section"] = notes["passage_id"].map(place["section"])
    notes["number"] = ""
    return notes


def build_tables(inputs: Inputs, sources: pd.DataFrame, passages: pd.DataFrame,
                 merged: Reviewed) -> Tables:
    cb = inputs.codebook
    kind_of = dict(zip(passages["passage_id"].tolist(), passages["kind"].tolist(), strict=True))

    mentions = merged.mentions.copy()
    mentions["kind"] = mentions["passage_id"].map(kind_of)
    mentions = mentions.sort_values(["source_id", "char_start", "char_end", "actor_id"], kind="stable")
    counted = mentions[mentions["kind"].isin(AUTHORS_TEXT)]
    counts = counted.groupby("actor_id").size().to_dict()
    # the sources naming each actor, from the columns as lists (an Arrow-backed column read value
    # by value, as a groupby's lambda reads it, is ~7x slower)
    src_of: dict[str, set[str]] = {}
    for actor_id, sid in zip(counted["actor_id"].tolist(), counted["source_id"].tolist(), strict=True):
        src_of.setdefault(actor_id, set()).add(sid)

    actor_rows = []
    extra = [a for ann in inputs.annotations.values() for a in ann.model.actors]
    seen = set()
    for a in [*cb.actors.model, *extra]:
        if a.id in seen:
            continue
        seen.add(a.id)
        actor_rows.append({"actor_id": a.id, "name": a.name, "type": a.type,
                           "affiliation": a.affiliation, "role": a.role, "aliases": list(a.aliases),
                           "origin": "codebook", "status": "reviewed"})
    for a in merged.auto_actors.to_dict("records"):
        if a["actor_id"] not in seen:
            actor_rows.append({**a, "aliases": [a["aliases"]] if a["aliases"] else [],
                               "origin": "auto", "status": "unreviewed"})
    for row in actor_rows:
        row["mentions"] = int(counts.get(row["actor_id"], 0))
        row["source_ids"] = sorted(src_of.get(row["actor_id"], ()))
        row["note_ids"] = merged.actor_notes.get(row["actor_id"], [])
    actors = _frame(with_confidence("actors", pd.DataFrame(actor_rows)), "actors")
    actors = actors.sort_values(["origin", "actor_id"], kind="stable")

    notes = with_passage_place(merged.notes, passages)

    events = merged.events.copy()
    if len(events):
        events["_rank"] = events["precision"].map(PRECISION_RANK)
        events["_key"] = events["date_start"].replace("", "9999")
        events = events.sort_values(["_key", "_rank", "date_end", "event_id"], kind="stable")
    events = _frame(with_confidence("events", events), "events")
    # Corroboration as the contract counts it: independent reports, a copy (copy_of) counting once.
    copy_of = {sid: c for sid, c in zip(sources["source_id"].tolist(), sources["copy_of"].tolist(), strict=True) if c}
    events["reports"] = [len(independent(ids, copy_of)) for ids in events["source_ids"].tolist()]

    plans_rows = []
    terms = merged.plan_terms.copy()
    for order, plan in enumerate(cb.plans.model, start=1):
        start, end, precision = _date_bounds(plan.date)
        plan_terms = terms[terms["plan_id"] == plan.id] if len(terms) else terms
        note_ids = sorted({n for ns in plan_terms.get("note_ids", []) for n in ns})
        plans_rows.append({"plan_id": plan.id, "name": plan.name, "date_start": start,
                           "date_end": end, "precision": precision,
                           "points": str(plan.points) if plan.points else "",
                           "originator": plan.originator, "note_ids": note_ids,
                           "source_ids": sorted(set(plan_terms["source_id"])) if len(plan_terms) else [],
                           "order": order})
    plans = _frame(plans_rows, "plans")
    plans = plans[plans["note_ids"].map(len) > 0].reset_index(drop=True)

    prov_name = {p.id: p.name for p in cb.provisions.model}
    if len(terms):
        terms["provision"] = terms["provision_id"].map(prov_name)
        terms["value"] = pd.to_numeric(terms["value"], errors="coerce").astype(float)
        order = {p.id: i for i, p in enumerate(cb.plans.model)}
        porder = {p.id: i for i, p in enumerate(cb.provisions.model)}
        terms["_p"] = terms["plan_id"].map(order)
        terms["_q"] = terms["provision_id"].map(porder)
        terms = terms.sort_values(["_p", "_q", "source_id", "origin", "term_id"], kind="stable")
    terms = _frame(with_confidence("plan_terms", terms), "plan_terms")
    terms["value"] = pd.to_numeric(terms["value"], errors="coerce").astype(float)

    # Plan versions and provisions the sources name that the codebook does not define yet:
    # the worksheets offer them, and the matrix lists the versions while none is defined.
    plan_candidates, provision_candidates, extra_notes = candidate_tables(
        merged.plan_candidates, merged.provision_candidates, set(notes["note_id"]))
    if extra_notes:
        extra = with_passage_place(pd.DataFrame(extra_notes), passages)
        notes = pd.concat([notes, extra[notes.columns]], ignore_index=True)
        notes = notes.sort_values(["source_id", "char_start", "char_end"], kind="stable").reset_index(drop=True)

    srcs = _frame(sources, "sources")
    srcs["words"] = srcs["words"].astype(int)
    return Tables(
        sources=srcs, passages=_frame(passages, "passages"), notes=_frame(notes, "notes"),
        actors=actors.reset_index(drop=True), mentions=_frame(mentions, "mentions").reset_index(drop=True),
        events=events.reset_index(drop=True), plans=plans, plan_terms=terms.reset_index(drop=True),
        key_points=_frame(merged.key_points, "key_points"),
        plan_candidates=plan_candidates, provision_candidates=provision_candidates,
        plan_candidate_hits=merged.plan_candidates, provision_candidate_hits=merged.provision_candidates)
