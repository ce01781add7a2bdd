"""What pack hands the template: one small dataclass per section of the briefing.

The template (templates/briefing.html.j2) reads `chronology.rows`, `who.cut`, ... and computes
nothing; every field below is named where the template prints it. A section's rows are small
dataclasses too (a row is what one line of a table prints): pack lays its rows out as dicts and
hands them over through `Row.of`, which refuses a key the row does not declare and a declared
one that is missing. To show a new value: add a field to its row or section here, fill it in
pack (pipeline/pack/__init__.py `_pack`), print it in the template.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar, Self

if TYPE_CHECKING:
    from pipeline.pack.timeline import Figure


class CiteList(list):
    """Note references for one row (`Cite`s); `more` counts those not printed (all are in the CSVs)."""

    more: int = 0


@dataclass(frozen=True)
class Cite:
    n: int                    # the note's number
    anchor: str               # this citation's id, the note's back-link target


class Row:
    """A row of a section. `NESTED` names the fields that hold rows of their own (or cites)."""

    NESTED: ClassVar[dict[str, type[Row] | str]] = {}
    PICK: ClassVar[bool] = False      # take only the declared keys (a source row has more)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Self:
        if cls.PICK:
            data = {f.name: data[f.name] for f in fields(cls) if f.name in data}   # type: ignore[arg-type]
        out = dict(data)
        for name, kind in cls.NESTED.items():
            if name in out:
                out[name] = cites(out[name]) if kind == "cites" else rows(kind, out[name])  # type: ignore[arg-type]
        return cls(**out)


def rows(kind: type[Row], items: Iterable[dict[str, Any]]) -> list:
    return [kind.of(item) for item in items]


def cites(items: Iterable[dict[str, Any]]) -> CiteList:
    out = CiteList(Cite(**c) for c in items)
    out.more = getattr(items, "more", 0)
    return out


@dataclass(frozen=True)
class KeyPoint(Row):
    NESTED: ClassVar = {"cites": "cites"}
    text: str
    cites: CiteList


@dataclass(frozen=True)
class Copy(Row):
    """Another outlet's copy of a story, listed under the story (appendix)."""

    short: str
    outlet: str
    file: str
    format: str
    published: str
    obtained: str             # how its text was read (pack `obtained`)


@dataclass(frozen=True)
class SourceCard(Row):
    """A source on the cover (sources side by side) and in the appendix (one card per story)."""

    PICK: ClassVar = True
    NESTED: ClassVar = {"copies": Copy}
    source_id: str
    short: str
    title: str
    author: str
    outlet: str
    published: str
    published_note: str
    url: str
    kind: str
    format: str
    words: int
    passages: int
    has_sidecar: bool
    sha256: str
    metadata_from: list[str]
    also_carried: str = ""    # cover: the outlets that ran the same story
    kinds: dict[str, int] = field(default_factory=dict)   # appendix: paragraphs per passage kind
    obtained: str = ""        # appendix: format, extractor, furniture left out
    copies: list[Copy] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeCount(Row):
    name: str
    label: str
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class Change(Row):
    table: str
    kind: str                 # added, removed, changed
    label: str
    fields: list[str]         # the changed fields' labels
    sources: int
    status: str


@dataclass(frozen=True)
class Changes(Row):
    NESTED: ClassVar = {"counts": ChangeCount, "top": Change}
    first: bool               # no earlier briefing to compare with
    baseline: Any             # the earlier build compared with (changes.json)
    counts: list[ChangeCount]
    top: list[Change]         # the most significant changes (pack/changes.py `view`)
    more: int
    total: int


@dataclass(frozen=True)
class EventRow(Row):
    """A chronology row (dated, numbered as the timeline draws it; or undated, n 0)."""

    NESTED: ClassVar = {"cites": "cites"}
    id: str
    date: str
    start: str
    end: str
    precision: str
    date_text: str
    title: str
    sources: str              # who carried the story, capped for the cell
    n_sources: int            # independent reports
    corroboration: str
    corroborated: bool
    actors: list[str]
    places: list[str]
    plan: str
    status: str
    check: str                # dated after its source's publication: check the date
    basis: str
    cites: CiteList
    n: int = 0


@dataclass(frozen=True)
class Candidate(Row):
    """A passage that may answer a question for a source with no position (unreviewed)."""

    NESTED: ClassVar = {"cites": "cites"}
    cites: CiteList
    score: float
    text: str


@dataclass(frozen=True)
class Side(Row):
    """One source's answer to a question: its position, or candidate passages."""

    NESTED: ClassVar = {"cites": "cites", "candidates": Candidate}
    source: str
    position: str
    stance: str
    stances: list[str]
    status: str
    cites: CiteList = field(default_factory=CiteList)
    candidates: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True)
class Question(Row):
    NESTED: ClassVar = {"columns": Side, "listed": Side, "sources": Side}
    id: str
    question: str
    relation: str
    relation_label: str
    lead: str
    columns: list[Side]       # side by side: the sources with positions
    listed: list[Side]        # the others, listed under the table
    sources: list[Side]       # both


@dataclass(frozen=True)
class CoverageCell(Row):
    count: int
    numbers: str              # chronology numbers of the events, as runs ("2-5, 9")
    names: str
    machine: int              # machine-found actor names, counted not listed


@dataclass(frozen=True)
class CoverageRow(Row):
    NESTED: ClassVar = {"cells": CoverageCell}
    kind: str
    label: str
    cells: list[CoverageCell]


@dataclass(frozen=True)
class FramingRow(Row):
    subject: str
    by_source: dict[str, str]  # source short name -> the terms it uses


@dataclass(frozen=True)
class ActorRow(Row):
    NESTED: ClassVar = {"cites": "cites"}
    name: str
    type: str
    affiliation: str
    role: str
    origin: str
    status: str
    sources: str
    mentions: int
    cites: CiteList


@dataclass(frozen=True)
class NoteRow(Row):
    id: str
    n: int
    quote: str
    source: str
    section: str
    paragraph: int
    backrefs: list[str]       # the anchors of every citation of this note


@dataclass(frozen=True)
class PlanColumn(Row):
    PICK: ClassVar = True
    plan_id: str
    name: str
    date: str


@dataclass(frozen=True)
class Term(Row):
    NESTED: ClassVar = {"cites": "cites"}
    source: str
    position: str
    value: str
    status: str
    cites: CiteList


@dataclass(frozen=True)
class MatrixCell(Row):
    NESTED: ClassVar = {"items": Term}
    items: list[Term]
    more: int
    change: str               # new, same, changed, dropped, none (pack CHANGES)


@dataclass(frozen=True)
class MatrixRow(Row):
    NESTED: ClassVar = {"cells": MatrixCell}
    id: str
    name: str
    cells: list[MatrixCell]


@dataclass(frozen=True)
class PlanCandidate(Row):
    NESTED: ClassVar = {"cites": "cites"}
    name: str
    sources: int
    cites: CiteList
    points: int | None


@dataclass
class Cover:
    """The title page: what the briefing is, who made it, which sources it compares."""

    title: str
    subtitle: str
    date: str                 # "5 December 2026"
    iso_date: str
    author: str
    marking: str
    build_id: str
    keywords: str             # the HTML's meta keywords: plan versions and the sources the cover names
    sources: list[SourceCard]  # the sources shown side by side (sources_in_detail)
    other_sources: int        # originals not shown side by side (they are in the appendix)
    unreviewed: int           # machine-found rows shown that no analyst has checked
    date_flags: dict[str, str]  # source_id -> warning: dated after the briefing, or undated
    date_flagged: list[str]   # their short names, for the cover's Source dates line


@dataclass
class Chronology:
    rows: list[EventRow]      # dated events, numbered as the timeline draws them
    undated: list[EventRow]
    cut: int                  # events left out past max_rows.events / the page budget
    held: int                 # machine-found events below show_machine_from
    show_machine_from: float
    timeline: Figure | None   # the figure's shapes (pack/timeline.py), drawn by templates/timeline.svg.j2
    unchecked_dates: int      # events dated after their source's publication, not drawn
    copies: int               # sources that copy an earlier one (the lede explains counting)


@dataclass
class Contrast:
    questions: list[Question]
    positions_reviewed: bool
    holders_note: str         # who holds positions, said once above the table when it is the same
    other_sources: int
    reports_apart: list[str]  # news reports not compared side by side
    source_shorts: list[str]  # the summary table's columns: sources with positions
    unpositioned: list[str]
    candidate_threshold: float


@dataclass
class Coverage:
    columns: list[str]
    rows: list[CoverageRow]


@dataclass
class Framing:
    rows: list[FramingRow]
    shorts: list[str]         # the columns
    cut: int


@dataclass
class Who:
    rows: list[ActorRow]      # reviewed actors
    machine: list[ActorRow]   # machine-found names, unreviewed
    cut: int
    held: int
    show_machine_from: float


@dataclass
class Notes:
    rows: list[NoteRow]
    per_row: int              # notes a row prints (fewer than asked when the notes would overflow)
    per_row_asked: int


@dataclass
class Appendix:
    rows: list[SourceCard]
    cut: int
    compact: bool             # one table row per source instead of a card


@dataclass
class Matrix:
    plans: list[PlanColumn]
    rows: list[MatrixRow]
    candidates: list[PlanCandidate]  # plan names the sources give while no version is defined
    candidates_cut: int
    terms_cut: int
    legend: dict[str, str]
    held: int
    show_machine_from: float


@dataclass
class Briefing:
    """The whole view, section by section, in the template's names."""

    cover: Cover
    key_points: list[KeyPoint]
    changes: Changes
    chronology: Chronology
    contrast: Contrast
    coverage: Coverage
    framing: Framing
    who: Who
    notes: Notes
    appendix: Appendix
    matrix: Matrix

    def context(self) -> dict:
        """The template's variables: one per section (not deep-copied)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
