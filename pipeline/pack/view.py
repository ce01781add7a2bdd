"""What pack hands the template: one small dataclass per section of the briefing.

The template (templates/briefing.html.j2) reads `chronology.rows`, `who.cut`, ... and computes
nothing; every field below is named where the template prints it. A section's rows stay plain
dicts (a row is what one line of a table prints). To show a new value: add a field to its
section here, fill it in pack (pipeline/pack/__init__.py `_pack`), print it in the template.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.pack.timeline import Figure


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
    keywords: str             # the HTML's meta keywords: plan versions and sources
    sources: list[dict]       # the sources shown side by side (sources_in_detail)
    other_sources: int        # originals not shown side by side (they are in the appendix)
    unreviewed: int           # machine-found rows shown that no analyst has checked
    date_flags: dict[str, str]  # source_id -> warning: dated after the briefing, or undated
    date_flagged: list[str]   # their short names, for the cover's Source dates line


@dataclass
class Chronology:
    rows: list[dict]          # dated events, numbered as the timeline draws them
    undated: list[dict]
    cut: int                  # events left out past max_rows.events / the page budget
    held: int                 # machine-found events below show_machine_from
    show_machine_from: float
    timeline: Figure | None   # the figure's shapes (pack/timeline.py), drawn by templates/timeline.svg.j2
    unchecked_dates: int      # events dated after their source's publication, not drawn
    copies: int               # sources that copy an earlier one (the lede explains counting)


@dataclass
class Contrast:
    questions: list[dict]
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
    rows: list[dict]


@dataclass
class Framing:
    rows: list[dict]
    shorts: list[str]         # the columns
    cut: int


@dataclass
class Who:
    rows: list[dict]          # reviewed actors
    machine: list[dict]       # machine-found names, unreviewed
    cut: int
    held: int
    show_machine_from: float


@dataclass
class Notes:
    rows: list[dict]
    per_row: int              # notes a row prints (fewer than asked when the notes would overflow)
    per_row_asked: int


@dataclass
class Appendix:
    rows: list[dict]
    cut: int
    compact: bool             # one table row per source instead of a card


@dataclass
class Matrix:
    plans: list[dict]
    rows: list[dict]
    candidates: list[dict]    # plan names the sources give while no version is defined
    candidates_cut: int
    terms_cut: int
    legend: dict[str, str]
    held: int
    show_machine_from: float


@dataclass
class Briefing:
    """The whole view, section by section, in the template's names."""

    cover: Cover
    key_points: list[dict]
    changes: dict
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
