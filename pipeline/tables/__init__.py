"""Stage 4, tables: shape merged rows into the contract's tables, in a stable order, and check
them against schemas. Lists become `;`-joined strings here, exactly as the CSVs carry them.

Rules (dbt-style, one schema per table): ids unique; enums closed; dates ISO with
start <= end; undated rows have no dates; every row that states something has a note.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from pipeline.confidence import with_confidence
from pipeline.errors import EngineBug
from pipeline.extract.candidates import candidate_tables
from pipeline.ingest.copies import independent
from pipeline.inputs import Inputs

ISO = r"^(\d{4}-\d{2}-\d{2})?$"
PRECISIONS = ["day", "week", "month", "season", "part", "quarter", "year", "range", "undated"]
PRECISION_RANK = {p: i for i, p in enumerate(PRECISIONS)}


def _join(values: object) -> str:
    if isinstance(values, list | tuple | set):
        return ";".join(str(v) for v in values)
    return "" if values is None or (isinstance(values, float) and pd.isna(values)) else str(values)


def split_ids(value: object) -> list[str]:
    """A `;`-joined list cell back into its ids (what _join wrote; empty or missing is none)."""
    return [v for v in str(value or "").split(";") if v]


def _dates_ok(df: pd.DataFrame) -> pd.Series:
    both = (df["date_start"] != "") & (df["date_end"] != "")
    ordered = ~both | (df["date_start"] <= df["date_end"])
    undated_empty = (df["precision"] != "undated") | ((df["date_start"] == "") & (df["date_end"] == ""))
    dated_full = (df["precision"] == "undated") | both
    return ordered & undated_empty & dated_full


def _has_note(df: pd.DataFrame) -> pd.Series:
    return df["note_ids"].str.len() > 0


@functools.cache
def schemas() -> dict[str, Any]:
    """One pandera schema per contract table. Built on first use: pandera takes about 0.2 s to
    import, and a build checks its tables while the PDF is laid out, not before."""
    import pandera.pandas as pa

    STR = pa.Column(str)  # noqa: N806 - reads like a type in the schemas below
    # Issue 19: machine rows say how far they are trusted and why (pipeline/confidence.py).
    CONFIDENCE_COLUMNS = {"confidence": pa.Column(float, pa.Check.in_range(0, 1)),  # noqa: N806
                          "basis": pa.Column(str, pa.Check.str_length(min_value=1))}
    return {
        "sources": pa.DataFrameSchema({
            "source_id": pa.Column(str, unique=True), "title": STR, "author": STR, "outlet": STR,
            "published": pa.Column(str, pa.Check.str_matches(r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")),
            "url": STR, "kind": pa.Column(str, pa.Check.isin(
                ["analysis", "opinion", "news", "transcript", "official", "other"])),
            "words": pa.Column(int, pa.Check.ge(0)),
            "format": pa.Column(str, pa.Check.isin(["txt", "md", "html", "pdf", "docx"])),
            "copy_of": STR,
        }),
        "passages": pa.DataFrameSchema({
            "passage_id": pa.Column(str, unique=True), "source_id": STR, "seq": pa.Column(int),
            "section": STR,
            "kind": pa.Column(str, pa.Check.isin(["title", "body", "sidebar", "comment", "reference", "boilerplate"])),
            "char_start": pa.Column(int, pa.Check.ge(0)), "char_end": pa.Column(int), "text": STR,
        }),
        "notes": pa.DataFrameSchema({
            "note_id": pa.Column(str, unique=True), "source_id": STR, "passage_id": STR,
            "char_start": pa.Column(int, pa.Check.ge(0)), "char_end": pa.Column(int),
            "quote": pa.Column(str, pa.Check.str_length(min_value=1)),
        }),
        "actors": pa.DataFrameSchema({
            "actor_id": pa.Column(str, unique=True), "name": STR,
            "type": pa.Column(str, pa.Check.isin(["person", "state", "organisation", "bloc", "media", "other"])),
            "affiliation": STR, "role": STR, "aliases": STR,
            "origin": pa.Column(str, pa.Check.isin(["codebook", "auto"])), "mentions": pa.Column(int),
            **CONFIDENCE_COLUMNS,
        }),
        "mentions": pa.DataFrameSchema({
            "actor_id": STR, "source_id": STR, "passage_id": STR, "char_start": pa.Column(int),
            "char_end": pa.Column(int), "surface": STR,
        }),
        "events": pa.DataFrameSchema({
            "event_id": pa.Column(str, unique=True),
            "date_start": pa.Column(str, pa.Check.str_matches(ISO)),
            "date_end": pa.Column(str, pa.Check.str_matches(ISO)), "date_text": STR,
            "precision": pa.Column(str, pa.Check.isin(PRECISIONS)), "title": STR, "actors": STR,
            "plan_id": STR, "source_ids": STR, "note_ids": STR,
            "origin": pa.Column(str, pa.Check.isin(["analyst", "auto"])),
            "status": pa.Column(str, pa.Check.isin(["reviewed", "unreviewed"])),
            **CONFIDENCE_COLUMNS,
        }, checks=[pa.Check(_dates_ok, error="dates out of order or undated with dates"),
                   pa.Check(_has_note, error="row without a note")]),
        "plans": pa.DataFrameSchema({
            "plan_id": pa.Column(str, unique=True), "name": STR,
            "date_start": pa.Column(str, pa.Check.str_matches(ISO)),
            "date_end": pa.Column(str, pa.Check.str_matches(ISO)),
            "precision": pa.Column(str, pa.Check.isin(PRECISIONS)), "points": STR,
            "originator": STR, "note_ids": STR,
        }, checks=[pa.Check(_dates_ok, error="dates out of order")]),
        "plan_terms": pa.DataFrameSchema({
            "term_id": pa.Column(str, unique=True), "plan_id": STR, "provision_id": STR,
            "provision": STR, "position": STR, "value": pa.Column(float, nullable=True), "unit": STR,
            "source_id": STR, "note_ids": STR,
            "origin": pa.Column(str, pa.Check.isin(["analyst", "auto"])),
            "status": pa.Column(str, pa.Check.isin(["reviewed", "unreviewed"])),
            **CONFIDENCE_COLUMNS,
        }, checks=[pa.Check(_has_note, error="row without a note")]),
        "positions": pa.DataFrameSchema({
            "question_id": STR, "question": STR, "source_id": STR, "position": STR,
            "relation": pa.Column(str, pa.Check.isin(["agree", "disagree", "partial", "only-one"])),
            "note_ids": STR,
        }, checks=[pa.Check(_has_note, error="row without a note")]),
    }


COLUMNS = {
    "sources": ["source_id", "title", "author", "outlet", "published", "url", "kind", "words",
                "format", "copy_of", "short", "published_note", "body_words", "passages", "has_sidecar",
                "sha256", "file", "extractor", "furniture_chars", "metadata_from"],
    "passages": ["passage_id", "source_id", "seq", "section", "kind", "char_start", "char_end",
                 "text", "words"],
    "notes": ["note_id", "source_id", "passage_id", "char_start", "char_end", "quote", "display",
              "paragraph", "section", "number"],
    "actors": ["actor_id", "name", "type", "affiliation", "role", "aliases", "origin", "mentions",
               "source_ids", "note_ids", "status", "confidence", "basis"],
    "mentions": ["actor_id", "source_id", "passage_id", "char_start", "char_end", "surface",
                 "epithet", "match", "kind"],
    "events": ["event_id", "date_start", "date_end", "date_text", "precision", "title", "actors",
               "plan_id", "source_ids", "note_ids", "origin", "status", "sources_count", "reports",
               "date_basis", "places", "check", "machine_rows", "confidence", "basis"],
    "plans": ["plan_id", "name", "date_start", "date_end", "precision", "points", "originator",
              "note_ids", "source_ids", "order"],
    "plan_terms": ["term_id", "plan_id", "provision_id", "provision", "position", "value", "unit",
                   "source_id", "note_ids", "origin", "status", "plan_basis", "confidence", "basis"],
    "positions": ["question_id", "question", "source_id", "position", "relation", "note_ids",
                  "stance", "origin", "status"],
}


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Schema failures are pipeline bugs (EngineBug, exit 1): every input that could break a
    table is refused earlier, by file and line. The message names the sources of the bad rows."""
    from pandera.errors import SchemaErrors

    schema = schemas().get(name)
    if schema is None:
        return df
    if df.empty:
        # An empty table has no values to infer a dtype from (pandas makes every column
        # `object`): it takes the schema's own types, so "no rows yet" is never a schema error.
        df = df.astype({col: column.dtype.type for col, column in schema.columns.items()
                        if col in df.columns and column.dtype is not None})
    try:
        return schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases.head(10).to_dict("records")
        sources: list[str] = []
        for c in cases:
            index = c.get("index")
            for col in ("source_id", "source_ids"):
                if col in df.columns and index is not None and index in df.index:
                    sources += split_ids(df.at[index, col])
        details = [f"{c.get('check')} on column {c.get('column')} (value {c.get('failure_case')!r})"
                   for c in cases]
        raise EngineBug(name, sorted(set(sources)), details) from None


def _frame(rows: list[dict] | pd.DataFrame, name: str) -> pd.DataFrame:
    df = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows.copy()
    for col in COLUMNS[name]:
        if col not in df.columns:
            df[col] = ""
    df = df[COLUMNS[name]]
    for col in df.columns:
        if df[col].map(lambda v: isinstance(v, list | tuple | set)).any():
            df[col] = df[col].map(_join)
    return df


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
                 merged: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    cb = inputs.codebook
    kind_of = dict(zip(passages["passage_id"], passages["kind"], strict=True))

    mentions = merged["mentions"].copy()
    mentions["kind"] = mentions["passage_id"].map(kind_of)
    mentions = mentions.sort_values(["source_id", "char_start", "char_end", "actor_id"], kind="stable")
    counted = mentions[mentions["kind"].isin(["body", "sidebar"])]
    counts = counted.groupby("actor_id").size().to_dict()
    src_of = counted.groupby("actor_id")["source_id"].agg(lambda s: sorted(set(s))).to_dict()

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
    for a in merged["auto_actors"].to_dict("records"):
        if a["actor_id"] not in seen:
            actor_rows.append({**a, "aliases": [a["aliases"]] if a["aliases"] else [],
                               "origin": "auto", "status": "unreviewed"})
    for row in actor_rows:
        row["mentions"] = int(counts.get(row["actor_id"], 0))
        row["source_ids"] = src_of.get(row["actor_id"], [])
        row["note_ids"] = merged["actor_notes"].get(row["actor_id"], [])
    actors = _frame(with_confidence("actors", pd.DataFrame(actor_rows)), "actors")
    actors = actors.sort_values(["origin", "actor_id"], kind="stable")

    notes = with_passage_place(merged["notes"], passages)

    events = merged["events"].copy()
    if len(events):
        events["_rank"] = events["precision"].map(PRECISION_RANK)
        events["_key"] = events["date_start"].replace("", "9999")
        events = events.sort_values(["_key", "_rank", "date_end", "event_id"], kind="stable")
    events = _frame(with_confidence("events", events), "events")
    # Corroboration as the contract counts it: independent reports, a copy (copy_of) counting once.
    copy_of = {sid: c for sid, c in zip(sources["source_id"], sources["copy_of"], strict=True) if c}
    events["reports"] = [len(independent(split_ids(ids), copy_of)) for ids in events["source_ids"]]

    plans_rows = []
    terms = merged["plan_terms"].copy()
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
    plans = plans[plans["note_ids"] != ""].reset_index(drop=True)

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
        merged["plan_candidates"], merged["provision_candidates"], set(notes["note_id"]))
    if extra_notes:
        extra = with_passage_place(pd.DataFrame(extra_notes), passages)
        notes = pd.concat([notes, extra[notes.columns]], ignore_index=True)
        notes = notes.sort_values(["source_id", "char_start", "char_end"], kind="stable").reset_index(drop=True)

    srcs = _frame(sources, "sources")
    srcs["words"] = srcs["words"].astype(int)
    tables = {
        "sources": srcs,
        "passages": _frame(passages, "passages"),
        "notes": _frame(notes, "notes"),
        "actors": actors.reset_index(drop=True),
        "mentions": _frame(mentions, "mentions").reset_index(drop=True),
        "events": events.reset_index(drop=True),
        "plans": plans,
        "plan_terms": terms.reset_index(drop=True),
        "plan_candidates": plan_candidates, "provision_candidates": provision_candidates,
        "plan_candidate_hits": merged["plan_candidates"],
        "provision_candidate_hits": merged["provision_candidates"],
    }
    return tables
