"""Every option briefing.yaml accepts takes effect: the row caps' defaults live in the schema
(pipeline/inputs/schema.py), and a cap nothing would apply is refused, not ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.inputs import MAX_ROWS_DEFAULTS, load_inputs


def test_row_caps_not_given_take_the_schemas_defaults(inputs: Path) -> None:
    briefing = inputs / "briefing.yaml"
    briefing.write_text(briefing.read_text() + "max_rows:\n  events: 5\n  notes: 50\n")
    caps = load_inputs(inputs).briefing.model.max_rows
    assert caps == {"events": 5, "notes": 50, "changes": 12, "sources": 40}
    assert MAX_ROWS_DEFAULTS == {"changes": 12, "notes": 300, "sources": 40}


def test_a_positions_cap_is_refused_with_its_line_and_fix(inputs: Path) -> None:
    briefing = inputs / "briefing.yaml"
    lines = len(briefing.read_text().splitlines())
    briefing.write_text(briefing.read_text() + "max_rows:\n  events: 5\n  positions: 3\n")
    with pytest.raises(InputError) as info:
        load_inputs(inputs)
    (p,) = info.value.problems
    assert (p.path, p.line) == ("inputs/briefing.yaml", lines + 1)
    assert p.message.startswith("max_rows: 'positions' is not a limit")
    assert p.hint.startswith("remove `positions:` from max_rows")
