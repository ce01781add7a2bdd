"""The closed sets of values the contract's tables and the input files use, declared once.

Every other place derives from these enums: the pydantic `Literal`s of the input schemas, the
pandera `isin` checks of the tables, the sort orders, and the labels. A value added here is
accepted everywhere at once; one typed anywhere else is a bug that the tests catch
(tests/test_vocab.py looks for the literals outside this module).

Members are `StrEnum`s, so `Precision.DAY == "day"` and a member written to a CSV or compared
with a cell read from one is its plain text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Precision(StrEnum):
    """How precisely a date is known, finest first. The member order is THE rank: when two
    reports of one happening disagree, the finer one wins; the chronology sorts rows that
    start on the same day finest first. `part` (early/mid/late December: about ten days) is
    finer than `month`; `season` and `quarter` (three months) are finer than a `range`
    (any length, usually longer) and a `year`; `undated` is last."""

    DAY = "day"
    WEEK = "week"
    PART = "part"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    RANGE = "range"
    YEAR = "year"
    UNDATED = "undated"

    @property
    def rank(self) -> int:
        return PRECISION_RANK[self]


PRECISION_RANK: dict[str, int] = {p.value: i for i, p in enumerate(Precision)}
# What a dated row may be dated as (event_merge.precisions in briefing.yaml).
DATED_PRECISIONS = tuple(p.value for p in Precision if p is not Precision.UNDATED)


class SourceKind(StrEnum):
    """What a source is (sidecar `kind`): news reports get no column of their own in the
    comparison unless someone wrote positions for them."""

    ANALYSIS = "analysis"
    OPINION = "opinion"
    NEWS = "news"
    TRANSCRIPT = "transcript"
    OFFICIAL = "official"
    OTHER = "other"


class ActorType(StrEnum):
    PERSON = "person"
    STATE = "state"
    ORGANISATION = "organisation"
    BLOC = "bloc"
    MEDIA = "media"
    OTHER = "other"


class Format(StrEnum):
    """A source file's format (sources.csv `format`); pipeline/readers/ maps extensions to these."""

    TXT = "txt"
    MD = "md"
    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    MHTML = "mhtml"
    EML = "eml"


class Status(StrEnum):
    """Whether a person checked a row: analyst rows, codebook actors and corrected machine rows
    are reviewed."""

    REVIEWED = "reviewed"
    UNREVIEWED = "unreviewed"


class Origin(StrEnum):
    """Who made a row: an analyst (annotations), the codebook (actors), or the machine."""

    ANALYST = "analyst"
    CODEBOOK = "codebook"
    AUTO = "auto"


# Which origins each table's rows may have (the contract lists them per table).
ROW_ORIGINS = (Origin.ANALYST, Origin.AUTO)          # events, plan_terms, positions
ACTOR_ORIGINS = (Origin.CODEBOOK, Origin.AUTO)       # actors


class PassageKind(StrEnum):
    """What a stretch of a source is. Only body and sidebar are the author's own text: the
    others are kept (nothing dropped without a trace) but never cited or counted."""

    TITLE = "title"
    BODY = "body"
    SIDEBAR = "sidebar"
    COMMENT = "comment"
    REFERENCE = "reference"
    BOILERPLATE = "boilerplate"


AUTHORS_TEXT = (PassageKind.BODY, PassageKind.SIDEBAR)


class Relation(StrEnum):
    """How the sources' stances on one question relate, computed from their stance sets."""

    AGREE = "agree"
    DISAGREE = "disagree"
    PARTIAL = "partial"
    ONLY_ONE = "only-one"


def values(enum: type[StrEnum]) -> list[str]:
    """The members' texts in declaration order (for pandera `isin` and the docs)."""
    return [m.value for m in enum]


def literal(enum: type[StrEnum]) -> object:
    """A `typing.Literal` of the members' texts, for pydantic fields: the input schema accepts
    exactly what the enum declares, and its error lists them."""
    return Literal[tuple(values(enum))]  # type: ignore[valid-type]
