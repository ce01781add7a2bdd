"""The contract's tables, declared once: one class per table, one line per column.

Everything else derives from these declarations: the column order of each CSV, the empty frame
of a table with no rows (typed, so a project with no annotations still passes its checks), the
pandera schema the build checks every table against, and the `Tables` object the stages after
stage 4 pass on. List columns (`note_ids`, `source_ids`, `actors`, ...) hold Python lists until
publish, where the CSV writer joins them with `;` (pipeline/build.py `csv_bytes`).

Why not pandera's `DataFrameModel` classes directly: importing pandera takes 0.25-0.4 s, and a
build checks its tables while the PDF is laid out, off the critical path. The declarations here
import nothing heavy; `pandera_schema()` builds the pandera schema from them on first use.
Columns marked `contract=True` are the contract's minimum (docs: /work/shared/contract.md) and
are what the schema checks; the others are the project's own additions, typed all the same.

To add a column: one line in its table's class below (and the stage that fills it).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, ClassVar

import pandas as pd

from pipeline.vocab import (
    ACTOR_ORIGINS,
    ROW_ORIGINS,
    ActorType,
    Format,
    PassageKind,
    Precision,
    Relation,
    SourceKind,
    Status,
)

ISO = r"^(\d{4}-\d{2}-\d{2})?$"
PARTIAL_ISO = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"


@dataclass(frozen=True)
class Column:
    """One column: its kind (`str`, `int`, `float`, `list`: a list of ids or words) and checks."""

    kind: type = str
    contract: bool = False
    unique: bool = False
    isin: tuple[str, ...] | type[StrEnum] | None = None
    matches: str | None = None
    ge: int | None = None
    min_length: int | None = None
    nullable: bool = False

    def allowed(self) -> list[str] | None:
        if self.isin is None:
            return None
        return [str(v) for v in self.isin]

    def empty_value(self) -> Any:
        return {str: "", int: 0, float: float("nan"), bool: False, list: None}[self.kind]

    def dtype(self) -> str:
        return {str: "str", int: "int64", float: "float64", bool: "bool", list: "object"}[self.kind]


def C(kind: type = str, **checks: Any) -> Any:  # noqa: N802 - reads as a declaration
    """A contract column (checked by the schema)."""
    return Column(kind, contract=True, **checks)


def X(kind: type = str, **checks: Any) -> Any:  # noqa: N802
    """An extra column of this project's (typed, not part of the contract's check)."""
    return Column(kind, contract=False, **checks)


class Table:
    """A table's declaration: subclasses list their columns, in CSV order, as class attributes."""

    # Frame-wide checks by name (FRAME_CHECKS below): dates in order, a note for every row.
    rules: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def columns(cls) -> dict[str, Column]:
        return {k: v for k, v in vars(cls).items() if isinstance(v, Column)}

    @classmethod
    def csv_order(cls) -> list[str]:
        return list(cls.columns())

    @classmethod
    def list_columns(cls) -> list[str]:
        return [k for k, c in cls.columns().items() if c.kind is list]

    @classmethod
    def empty(cls) -> pd.DataFrame:
        """No rows, every column with its own dtype."""
        return pd.DataFrame({k: pd.Series(dtype=c.dtype()) for k, c in cls.columns().items()})

    @classmethod
    def frame(cls, rows: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
        """Rows as this table: its columns in order, a missing column filled with its kind's
        empty value (a list column with empty lists), no rows an empty typed frame."""
        df = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
        if df.empty:
            return cls.empty()
        for name, col in cls.columns().items():
            if name not in df.columns:
                df[name] = [[] for _ in range(len(df))] if col.kind is list else col.empty_value()
            elif col.kind is list:
                df[name] = df[name].map(as_list)
        return df[cls.csv_order()]


def as_list(value: object) -> list[str]:
    """A list cell: a list as it is; a `;`-joined cell read back from a CSV split; empty is none."""
    if isinstance(value, list):
        return value
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [v for v in str(value).split(";") if v]


class Sources(Table):
    source_id = C(unique=True)
    title = C()
    author = C()
    outlet = C()
    published = C(matches=PARTIAL_ISO)
    url = C()
    kind = C(isin=SourceKind)
    words = C(int, ge=0)
    format = C(isin=Format)
    copy_of = C()
    short = X()
    published_note = X()
    body_words = X(int)
    passages = X(int)
    has_sidecar = X(bool)
    sha256 = X()
    file = X()
    extractor = X()
    furniture_chars = X(int)
    metadata_from = X(list)


class Passages(Table):
    passage_id = C(unique=True)
    source_id = C()
    seq = C(int)
    section = C()
    kind = C(isin=PassageKind)
    char_start = C(int, ge=0)
    char_end = C(int)
    text = C()
    words = X(int)


class Notes(Table):
    note_id = C(unique=True)
    source_id = C()
    passage_id = C()
    char_start = C(int, ge=0)
    char_end = C(int)
    quote = C(min_length=1)
    display = X()
    paragraph = X(int)
    section = X()
    number = X()          # in order of first use in the briefing (pack); empty if not printed


class Actors(Table):
    actor_id = C(unique=True)
    name = C()
    type = C(isin=ActorType)
    affiliation = C()
    role = C()
    aliases = C(list)
    origin = C(isin=ACTOR_ORIGINS)
    mentions = C(int)
    source_ids = X(list)
    note_ids = X(list)
    status = X(isin=Status)


class Mentions(Table):
    actor_id = C()
    source_id = C()
    passage_id = C()
    char_start = C(int)
    char_end = C(int)
    surface = C()
    epithet = X()
    match = X()
    kind = X()


class Events(Table):
    rules = ("dates", "noted")
    event_id = C(unique=True)
    date_start = C(matches=ISO)
    date_end = C(matches=ISO)
    date_text = C()
    precision = C(isin=Precision)
    title = C()
    actors = C(list)
    plan_id = C()
    source_ids = C(list)
    note_ids = C(list)
    origin = C(isin=ROW_ORIGINS)
    status = C(isin=Status)
    sources_count = X(int)
    reports = X(int)      # independent reports: copies of one story (copy_of) count once
    date_basis = X()
    places = X(list)
    check = X()
    machine_rows = X(list)


class Plans(Table):
    rules = ("dates",)
    plan_id = C(unique=True)
    name = C()
    date_start = C(matches=ISO)
    date_end = C(matches=ISO)
    precision = C(isin=Precision)
    points = C()
    originator = C()
    note_ids = C(list)
    source_ids = X(list)
    order = X(int)


class PlanTerms(Table):
    rules = ("noted",)
    term_id = C(unique=True)
    plan_id = C()
    provision_id = C()
    provision = C()
    position = C()
    value = C(float, nullable=True)
    unit = C()
    source_id = C()
    note_ids = C(list)
    origin = C(isin=ROW_ORIGINS)
    status = C(isin=Status)
    plan_basis = X()


class Positions(Table):
    rules = ("noted",)
    question_id = C()
    question = C()
    source_id = C()
    position = C()
    relation = C(isin=Relation)
    note_ids = C(list)
    stance = X(list)
    origin = X(isin=ROW_ORIGINS)
    status = X(isin=Status)


class Coverage(Table):
    item_type = X()
    item_id = X()
    label = X()
    source_ids = X(list)
    shared = X()
    note_ids = X(list)


class Framing(Table):
    subject = X()
    subject_id = X()
    source_id = X()
    terms = X()


class Evidence(Table):
    question_id = X()
    source_id = X()
    rank = X(int)
    passage_id = X()
    score = X(float)
    note_ids = X(list)


class KeyPoints(Table):
    point = X(int)
    text = X()
    note_ids = X(list)


CONTRACT = (Sources, Passages, Notes, Actors, Mentions, Events, Plans, PlanTerms, Positions)
EXTRA = (Coverage, Framing, Evidence, KeyPoints)
CONTRACT_TABLES = ["sources", "passages", "notes", "actors", "mentions", "events", "plans", "plan_terms",
                   "positions"]
EXTRA_TABLES = ["coverage", "framing", "evidence", "key_points"]
TABLES: dict[str, type[Table]] = dict(zip(CONTRACT_TABLES + EXTRA_TABLES, CONTRACT + EXTRA, strict=True))


@dataclass
class Tables:
    """The tables between stage 4 and publish. Stage 4 fills the contract's tables, contrast
    adds positions and its own (coverage, framing, evidence) and the notes its evidence cites;
    review's key points ride along. Generic code (CSV writing, comparison with the last build)
    reads them by name: `tables["events"]`."""

    sources: pd.DataFrame = field(default_factory=Sources.empty)
    passages: pd.DataFrame = field(default_factory=Passages.empty)
    notes: pd.DataFrame = field(default_factory=Notes.empty)
    actors: pd.DataFrame = field(default_factory=Actors.empty)
    mentions: pd.DataFrame = field(default_factory=Mentions.empty)
    events: pd.DataFrame = field(default_factory=Events.empty)
    plans: pd.DataFrame = field(default_factory=Plans.empty)
    plan_terms: pd.DataFrame = field(default_factory=PlanTerms.empty)
    positions: pd.DataFrame = field(default_factory=Positions.empty)
    coverage: pd.DataFrame = field(default_factory=Coverage.empty)
    framing: pd.DataFrame = field(default_factory=Framing.empty)
    evidence: pd.DataFrame = field(default_factory=Evidence.empty)
    key_points: pd.DataFrame = field(default_factory=KeyPoints.empty)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        return getattr(self, name)

    def __contains__(self, name: object) -> bool:
        return name in TABLES

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        return [(n, getattr(self, n)) for n in self.names()]


# --------------------------------------------------------------------------- schema checks


def _dates_ok(df: pd.DataFrame) -> pd.Series:
    both = (df["date_start"] != "") & (df["date_end"] != "")
    ordered = ~both | (df["date_start"] <= df["date_end"])
    undated = df["precision"] == Precision.UNDATED
    undated_empty = ~undated | ((df["date_start"] == "") & (df["date_end"] == ""))
    dated_full = undated | both
    return ordered & undated_empty & dated_full


def _has_note(df: pd.DataFrame) -> pd.Series:
    return df["note_ids"].map(lambda v: len(as_list(v)) > 0)


FRAME_CHECKS = {
    "dates": (_dates_ok, "dates out of order or undated with dates"),
    "noted": (_has_note, "row without a note"),
}


def _is_list_of_text(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


@functools.cache
def pandera_schema(name: str) -> Any:
    """The pandera schema of a contract table, built from its declaration on first use."""
    import pandera.pandas as pa

    table = TABLES[name]
    columns = {}
    for key, col in table.columns().items():
        if not col.contract:
            continue
        checks = []
        if col.allowed() is not None:
            checks.append(pa.Check.isin(col.allowed()))
        if col.matches:
            checks.append(pa.Check.str_matches(col.matches))
        if col.ge is not None:
            checks.append(pa.Check.ge(col.ge))
        if col.min_length:
            checks.append(pa.Check.str_length(min_value=col.min_length))
        if col.kind is list:
            checks.append(pa.Check(lambda s: s.map(_is_list_of_text), error="a list of texts"))
            columns[key] = pa.Column(object, checks, unique=col.unique, nullable=col.nullable)
        else:
            columns[key] = pa.Column(col.kind, checks, unique=col.unique, nullable=col.nullable)
    return pa.DataFrameSchema(columns, checks=[pa.Check(fn, error=error)
                                               for fn, error in (FRAME_CHECKS[r] for r in table.rules)])
