"""Corrections: an analyst's new values for some fields of one machine-found item.

Every key a correction accepts must change the item wherever it shows (events.csv and
plan_terms.csv, the PDF, the HTML), or the build refuses the correction with a message and a
fix. Refused: a key the item's kind does not have (an event has no `provision`), a correction
that changes nothing, a correction of a machine-found actor, two corrections of one item, an
item both corrected and rejected, or corrected and also accepted into `events:`. A correction
that could not be applied (an analyst event of the same source already covers the item) is
reported after the merge, so nothing is shown as reviewed that the analyst's edit did not reach.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.errors import Problem
from pipeline.inputs import Correction, Loaded

# Per kind of machine-found item: the keys a correction may set, and the columns each one sets.
FIELDS: dict[str, dict[str, str]] = {
    "event": {"date": "date_start", "title": "title", "actors": "actors", "place": "places",
              "plan": "plan_id"},
    "term": {"plan": "plan_id", "provision": "provision_id", "position": "position",
             "value": "value", "unit": "unit"},
}
KIND_NAME = {"event": "an event", "term": "a plan term", "actor": "an actor"}
DATE_FIX = "use 2025-08-15, 2025-08, 2025, a range 2025-12-01/2025-12-10, or 'late 2025'"


def read_correction(loaded: Loaded, i: int, c: Correction, kind: str,
                    read_date: Callable[[str | None], dict | None]) -> tuple[dict | None, list[Problem]]:
    """One correction of a known item of `kind` → the columns it sets, or the problems that
    refuse it. `read_date` turns a date expression into the date columns (None: unreadable)."""
    loc = ("corrections", i)
    if kind == "actor":
        return None, [loaded.problem(
            (*loc, "id"), f"'{c.id}' is a machine-found actor: corrections change events and plan terms",
            "copy the actor's entry from the actors: block of output/review/<source>.yaml under "
            "actors: in this file, keep its id and edit name, type or role there")]
    allowed = FIELDS[kind]
    given = c.model_dump(exclude={"id"}, exclude_none=True)
    problems = [loaded.problem((*loc, key), f"'{key}' is not a field of {KIND_NAME[kind]} ('{c.id}')",
                               f"remove it; {KIND_NAME[kind]} takes {', '.join(allowed)}")
                for key in given if key not in allowed]
    if not given:
        problems.append(loaded.problem(
            (*loc, "id"), f"the correction of '{c.id}' changes nothing",
            f"add the fields to change ({', '.join(allowed)}); to accept the item as it is, copy it "
            "from output/review/<source>.yaml into this file instead"))
    values: dict[str, Any] = {}
    for key, value in given.items():
        if key not in allowed:
            continue
        if key == "date":
            dates = read_date(c.date)
            if dates is None:
                problems.append(loaded.problem((*loc, "date"), f"cannot read date '{c.date}'", DATE_FIX))
                continue
            values.update(dates, date_basis="analyst")
        elif key == "place":
            values["places"] = c.places
        elif key == "actors":
            values["actors"] = list(value)
        else:
            values[allowed[key]] = value
    if kind == "term" and "plan_id" in values:
        values["plan_basis"] = "analyst"
    return (None if problems else values), problems


def conflicts(annotations: dict[str, Loaded], accepted: dict[str, tuple[Loaded, tuple]]) -> list[Problem]:
    """Corrections that contradict another edit: the same item corrected twice, corrected and
    rejected, or corrected and also accepted (an `events:` or `plan_terms:` item with its id)."""
    problems: list[Problem] = []
    first: dict[str, tuple[Loaded, tuple]] = {}
    for loaded in annotations.values():
        rejected = set(loaded.model.reject)
        for i, c in enumerate(loaded.model.corrections):
            loc = ("corrections", i, "id")
            if c.id in first:
                other, other_loc = first[c.id]
                problems.append(loaded.problem(
                    loc, f"second correction of '{c.id}' (first at {_where(other, other_loc)})",
                    "merge them into one correction"))
                continue
            first[c.id] = (loaded, loc)
            if c.id in rejected:
                problems.append(loaded.problem(loc, f"'{c.id}' is both rejected and corrected",
                                               "keep the correction or the reject entry, not both"))
            if c.id in accepted:
                other, other_loc = accepted[c.id]
                problems.append(loaded.problem(
                    loc, f"'{c.id}' is already accepted at {_where(other, other_loc)}",
                    "make the change in the accepted item and remove this correction"))
    return problems


def not_applied(where: dict[str, tuple[Loaded, tuple]], superseded: dict[str, str]) -> list[Problem]:
    """Corrections the merge could not apply because an analyst item of the same source
    already stands for the machine-found one."""
    return [loaded.problem(loc, f"the correction of '{rid}' cannot take effect: the analyst item "
                                f"'{superseded[rid]}' already covers it",
                           f"make the change in '{superseded[rid]}' and remove this correction")
            for rid, (loaded, loc) in sorted(where.items()) if rid in superseded]


def _where(loaded: Loaded, loc: tuple) -> str:
    line = loaded.line_of(*loc)
    name = loaded.path.name
    return f"{name}:{line}" if line else name
