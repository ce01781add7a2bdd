"""The contract's tables, declared once: one pandera `DataFrameModel` per table, one line per column.

Everything else derives from these models: the column order of each CSV (the fields' order),
the empty frame of a table with no rows (typed from the annotations, so a project with no
annotations still passes its checks), the pandera schema the build checks every table against
(`pandera_schema`), and the `Tables` object the stages after stage 4 pass on. List columns
(`note_ids`, `source_ids`, `actors`, ...) are `Series[TextList]`: they hold Python lists of
texts until publish, where the CSV writer joins them with `;` (pipeline/publish/csv_text.py `csv_bytes`).

Columns declared with `C(...)` are the contract's minimum (docs: /work/shared/contract.md) and
are what the schema checks; `X(...)` columns are the project's own additions, typed all the same
(the field's metadata says which: `{"contract": True}`). Enumerated values come from
pipeline/vocab.py. Frame-wide rules are the `Dated` and `Noted` mixins' dataframe checks.

To add a column: one line in its table's class below (and the stage that fills it).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import dtypes
from pandera.engines import pandas_engine
from pandera.typing import Series

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


def _is_list_of_text(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


@pandas_engine.Engine.register_dtype
@dtypes.immutable
class TextList(pandas_engine.DataType):
    """A list column's cells: each a list of texts (ids or words). A logical pandera dtype, not
    `Series[list[str]]`, which pandera checks with typeguard cell by cell: 8x slower (3.3 s for
    50,000 rows of two lists, against 0.4 s)."""

    type = np.dtype("O")

    def check(self, pandera_dtype: dtypes.DataType, data_container: pd.Series | None = None) -> Any:
        if not super().check(pandera_dtype):       # object cells
            return False
        return True if data_container is None else data_container.map(_is_list_of_text)

    def __str__(self) -> str:
        return "list[str]"


def _field(contract: bool, *, unique: bool = False, isin: Iterable[StrEnum] | None = None,
           matches: str | None = None, ge: float | None = None, le: float | None = None,
           min_length: int | None = None, nullable: bool = False) -> Any:
    return pa.Field(unique=unique, isin=None if isin is None else [str(v) for v in isin],
                    str_matches=matches, ge=ge, le=le,
                    str_length=None if min_length is None else {"min_value": min_length},
                    nullable=nullable, metadata={"contract": contract})


def C(**checks: Any) -> Any:  # noqa: N802 - reads as a declaration
    """A contract column: the schema checks it."""
    return _field(True, **checks)


def X(**checks: Any) -> Any:  # noqa: N802
    """A column of this project's own: typed and declared, not part of the contract's check."""
    return _field(False, **checks)


@dataclass(frozen=True)
class Column:
    """What the code outside pandera reads of a field: its kind (`str`, `int`, `float`, `bool`,
    `list`: a list of ids or words) and whether the contract has it."""

    name: str
    kind: type
    contract: bool

    def empty_value(self) -> Any:
        return {str: "", int: 0, float: float("nan"), bool: False, list: None}[self.kind]

    def dtype(self) -> str:
        return {str: "str", int: "int64", float: "float64", bool: "bool", list: "object"}[self.kind]


class Table(pa.DataFrameModel):
    """A table's model: subclasses declare their columns, in CSV order, as annotated fields."""

    @classmethod
    def columns(cls) -> dict[str, Column]:
        return _columns(cls)

    @classmethod
    def csv_order(cls) -> list[str]:
        return list(cls.columns())

    @classmethod
    def list_columns(cls) -> list[str]:
        return [k for k, c in cls.columns().items() if c.kind is list]

    @classmethod
    def empty(cls, *_args: object) -> pd.DataFrame:
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


@functools.cache
def _columns(model: type[Table]) -> dict[str, Column]:
    out = {}
    for name, (annotation, info) in model.__fields__.items():
        kind = list if annotation.arg is TextList else annotation.arg
        out[name] = Column(name, kind, bool((info.metadata or {}).get("contract")))
    return out


def as_list(value: object) -> list[str]:
    """A list cell: a list as it is; a `;`-joined cell read back from a CSV split; empty is none."""
    if isinstance(value, list):
        return value
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [v for v in str(value).split(";") if v]


class Dated(Table):
    """Rows with a date range: start <= end, an undated row has no dates, a dated one both."""

    @pa.dataframe_check(error="dates out of order or undated with dates")
    def dates_in_order(cls, df: pd.DataFrame) -> pd.Series:  # noqa: N805 - pandera passes the class
        both = (df["date_start"] != "") & (df["date_end"] != "")
        ordered = ~both | (df["date_start"] <= df["date_end"])
        undated = df["precision"] == Precision.UNDATED
        undated_empty = ~undated | ((df["date_start"] == "") & (df["date_end"] == ""))
        dated_full = undated | both
        return ordered & undated_empty & dated_full


class Noted(Table):
    """Rows that state something: each cites at least one note."""

    @pa.dataframe_check(error="row without a note")
    def has_a_note(cls, df: pd.DataFrame) -> pd.Series:  # noqa: N805
        return df["note_ids"].map(lambda v: len(as_list(v)) > 0)


class Sources(Table):
    source_id: Series[str] = C(unique=True)
    title: Series[str] = C()
    author: Series[str] = C()
    outlet: Series[str] = C()
    published: Series[str] = C(matches=PARTIAL_ISO)
    url: Series[str] = C()
    kind: Series[str] = C(isin=SourceKind)
    words: Series[int] = C(ge=0)
    format: Series[str] = C(isin=Format)
    copy_of: Series[str] = C()
    short: Series[str] = X()
    published_note: Series[str] = X()
    body_words: Series[int] = X()
    passages: Series[int] = X()
    has_sidecar: Series[bool] = X()
    sha256: Series[str] = X()
    file: Series[str] = X()
    extractor: Series[str] = X()
    furniture_chars: Series[int] = X()
    metadata_from: Series[TextList] = X()


class Passages(Table):
    passage_id: Series[str] = C(unique=True)
    source_id: Series[str] = C()
    seq: Series[int] = C()
    section: Series[str] = C()
    kind: Series[str] = C(isin=PassageKind)
    char_start: Series[int] = C(ge=0)
    char_end: Series[int] = C()
    text: Series[str] = C()
    words: Series[int] = X()


class Notes(Table):
    note_id: Series[str] = C(unique=True)
    source_id: Series[str] = C()
    passage_id: Series[str] = C()
    char_start: Series[int] = C(ge=0)
    char_end: Series[int] = C()
    quote: Series[str] = C(min_length=1)
    display: Series[str] = X()
    paragraph: Series[int] = X()
    section: Series[str] = X()
    number: Series[str] = X()       # in order of first use in the briefing (pack); empty if not printed


class Actors(Table):
    actor_id: Series[str] = C(unique=True)
    name: Series[str] = C()
    type: Series[str] = C(isin=ActorType)
    affiliation: Series[str] = C()
    role: Series[str] = C()
    aliases: Series[TextList] = C()
    origin: Series[str] = C(isin=ACTOR_ORIGINS)
    mentions: Series[int] = C()
    source_ids: Series[TextList] = X()
    note_ids: Series[TextList] = X()
    status: Series[str] = X(isin=Status)
    confidence: Series[float] = C(ge=0, le=1)   # issue 19: machine rows say how far they are trusted
    basis: Series[str] = C(min_length=1)        # ... and why (pipeline/confidence.py)


class Mentions(Table):
    actor_id: Series[str] = C()
    source_id: Series[str] = C()
    passage_id: Series[str] = C()
    char_start: Series[int] = C()
    char_end: Series[int] = C()
    surface: Series[str] = C()
    epithet: Series[str] = X()
    match: Series[str] = X()
    kind: Series[str] = X()


class Events(Dated, Noted):
    event_id: Series[str] = C(unique=True)
    date_start: Series[str] = C(matches=ISO)
    date_end: Series[str] = C(matches=ISO)
    date_text: Series[str] = C()
    precision: Series[str] = C(isin=Precision)
    title: Series[str] = C()
    actors: Series[TextList] = C()
    plan_id: Series[str] = C()
    source_ids: Series[TextList] = C()
    note_ids: Series[TextList] = C()
    origin: Series[str] = C(isin=ROW_ORIGINS)
    status: Series[str] = C(isin=Status)
    sources_count: Series[int] = X()
    reports: Series[int] = X()      # independent reports: copies of one story (copy_of) count once
    date_basis: Series[str] = X()
    places: Series[TextList] = X()
    check: Series[str] = X()
    machine_rows: Series[TextList] = X()
    confidence: Series[float] = C(ge=0, le=1)
    basis: Series[str] = C(min_length=1)


class Plans(Dated):
    plan_id: Series[str] = C(unique=True)
    name: Series[str] = C()
    date_start: Series[str] = C(matches=ISO)
    date_end: Series[str] = C(matches=ISO)
    precision: Series[str] = C(isin=Precision)
    points: Series[str] = C()
    originator: Series[str] = C()
    note_ids: Series[TextList] = C()
    source_ids: Series[TextList] = X()
    order: Series[int] = X()


class PlanTerms(Noted):
    term_id: Series[str] = C(unique=True)
    plan_id: Series[str] = C()
    provision_id: Series[str] = C()
    provision: Series[str] = C()
    position: Series[str] = C()
    value: Series[float] = C(nullable=True)
    unit: Series[str] = C()
    source_id: Series[str] = C()
    note_ids: Series[TextList] = C()
    origin: Series[str] = C(isin=ROW_ORIGINS)
    status: Series[str] = C(isin=Status)
    plan_basis: Series[str] = X()
    confidence: Series[float] = C(ge=0, le=1)
    basis: Series[str] = C(min_length=1)


class Positions(Noted):
    question_id: Series[str] = C()
    question: Series[str] = C()
    source_id: Series[str] = C()
    position: Series[str] = C()
    relation: Series[str] = C(isin=Relation)
    note_ids: Series[TextList] = C()
    stance: Series[TextList] = X()
    origin: Series[str] = X(isin=ROW_ORIGINS)
    status: Series[str] = X(isin=Status)


class Coverage(Table):
    item_type: Series[str] = X()
    item_id: Series[str] = X()
    label: Series[str] = X()
    source_ids: Series[TextList] = X()
    shared: Series[str] = X()
    note_ids: Series[TextList] = X()


class Framing(Table):
    subject: Series[str] = X()
    subject_id: Series[str] = X()
    source_id: Series[str] = X()
    terms: Series[str] = X()


class Evidence(Table):
    question_id: Series[str] = X()
    source_id: Series[str] = X()
    rank: Series[int] = X()
    passage_id: Series[str] = X()
    score: Series[float] = X()
    note_ids: Series[TextList] = X()


class KeyPoints(Table):
    point: Series[int] = X()
    text: Series[str] = X()
    note_ids: Series[TextList] = X()


CONTRACT = (Sources, Passages, Notes, Actors, Mentions, Events, Plans, PlanTerms, Positions)
EXTRA = (Coverage, Framing, Evidence, KeyPoints)
CONTRACT_TABLES = ["sources", "passages", "notes", "actors", "mentions", "events", "plans", "plan_terms",
                   "positions"]
EXTRA_TABLES = ["coverage", "framing", "evidence", "key_points"]
TABLES: dict[str, type[Table]] = dict(zip(CONTRACT_TABLES + EXTRA_TABLES, CONTRACT + EXTRA, strict=True))


class CommonGround(Table):
    """Per question two or more positions answer (contrast; not published): pack words it."""

    question_id: Series[str] = X()
    shared: Series[TextList] = X()     # stance ids every holder shares, sorted
    holders: Series[TextList] = X()    # source ids holding a position, in positions order
    diverge: Series[bool] = X()         # some holder goes beyond the shared stances


class Corroboration(Table):
    """Per event, who carried its story (contrast; not published): pack prints it."""

    event_id: Series[str] = X()
    carriers: Series[TextList] = X()   # every source that ran it, copies after the report they copy
    reports: Series[int] = X()          # independent reports (events.csv `reports`)
    outlets: Series[int] = X()          # distinct outlets among the carriers


def _frame() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass
class Tables:
    """The tables between stage 4 and publish. Stage 4 (tables) fills the contract's tables
    and review's key points; contrast adds positions, its own published tables (coverage,
    framing, evidence), the notes its evidence cites, and the tables pack lays out (common
    ground, corroboration); pack fills notes' `number`. Each stage returns a new Tables
    (dataclasses.replace), never edits one. Generic code (CSV writing, comparison with the
    last build) reads a table by name: `tables["events"]`. Published: CONTRACT_TABLES and
    EXTRA_TABLES, in their declared column order."""

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
    # not published: computed once, laid out by pack or offered by the worksheets
    common_ground: pd.DataFrame = field(default_factory=CommonGround.empty)
    corroboration: pd.DataFrame = field(default_factory=Corroboration.empty)
    plan_candidates: pd.DataFrame = field(default_factory=_frame)       # extract/candidates.py
    provision_candidates: pd.DataFrame = field(default_factory=_frame)
    plan_candidate_hits: pd.DataFrame = field(default_factory=_frame)
    provision_candidate_hits: pd.DataFrame = field(default_factory=_frame)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.names():
            raise KeyError(name)
        return getattr(self, name)

    def __contains__(self, name: object) -> bool:
        return name in self.names()

    def get(self, name: str, default: pd.DataFrame | None = None) -> pd.DataFrame | None:
        return getattr(self, name) if name in self.names() else default

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        return [(n, getattr(self, n)) for n in self.names()]



@functools.cache
def pandera_schema(name: str) -> pa.DataFrameSchema:
    """The schema the build checks a contract table against: its model's contract columns (the
    project's own columns are typed, not checked) and its frame-wide checks.

    Assembled from the model's fields as pandera's own `build_schema_` does for plain `Series[T]`
    fields, not by `to_schema()`: that probes for dask, modin and pyspark first
    (pandera.typing.get_index_types imports dask.dataframe when it is installed, 1.0-1.4 s here,
    more than the whole check). tests/test_tables_model.py compares the two schemas."""
    model = TABLES[name]
    field_checks = model.__checks__
    columns = {key: pa.Column(**info.column_properties(annotation.arg, checks=field_checks.get(key, []),
                                                       nullable=annotation.nullable, name=key))
               for key, (annotation, info) in model.__fields__.items() if model.columns()[key].contract}
    return pa.DataFrameSchema(columns, checks=model.__root_checks__, name=model.__name__)
