"""The tables model (pipeline/tables/schema.py): declarations drive the CSVs, the checks and the
empty frames; lists stay lists between stages; contrast computes, pack only lays out."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.contrast import common_ground, corroboration
from pipeline.errors import EngineBug
from pipeline.tables import validate
from pipeline.tables.schema import (
    CONTRACT_TABLES,
    EXTRA_TABLES,
    TABLES,
    Events,
    Positions,
    Sources,
    Tables,
    pandera_schema,
)
from pipeline.vocab import ROW_ORIGINS

PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"


def test_published_headers_are_the_declared_column_orders(tables: dict) -> None:
    for name in CONTRACT_TABLES + EXTRA_TABLES:
        assert list(tables[name].columns) == TABLES[name].csv_order(), name


def test_an_empty_table_has_its_declared_types_and_passes_its_check() -> None:
    empty = Events.empty()
    assert list(empty.columns) == Events.csv_order() and empty.empty
    assert empty["reports"].dtype == "int64" and empty["confidence"].dtype == "float64"
    validate("events", Events.frame([]))       # no rows yet is never a schema error


def _summary(schema: object) -> tuple:
    columns = {k: (str(c.dtype), c.nullable, c.unique, c.required, [(ch.name, ch.statistics) for ch in c.checks])
               for k, c in schema.columns.items()}
    return columns, [(ch.name, ch.error) for ch in schema.checks]


def test_the_checked_schema_is_the_models_contract_columns() -> None:
    """pandera_schema assembles the schema from the model's fields (to_schema() would import
    dask.dataframe when installed): it must be what pandera itself builds from the model, contract
    columns only, with the vocabulary's values and the frame-wide rules."""
    for name in CONTRACT_TABLES:
        model = TABLES[name]
        contract = [k for k, c in model.columns().items() if c.contract]
        assert contract and list(pandera_schema(name).columns) == contract, name
        assert _summary(pandera_schema(name)) == _summary(model.to_schema().select_columns(contract)), name
    events = _summary(pandera_schema("events"))
    assert ("isin", {"allowed_values": [str(o) for o in ROW_ORIGINS]}) in events[0]["origin"][4]
    assert [error for _, error in events[1]] == ["dates out of order or undated with dates", "row without a note"]
    assert "reports" not in pandera_schema("events").columns     # the project's own column: typed, not checked


def test_checking_the_tables_imports_no_other_dataframe_library() -> None:
    """The build checks its tables in the render's shadow: building the schemas must not pay for
    pandera's dask/modin/pyspark probes (1 s and more with dask installed)."""
    code = ("import sys\nfrom pipeline.tables import validate\n"
            "from pipeline.tables.schema import TABLES, CONTRACT_TABLES\n"
            "for n in CONTRACT_TABLES: validate(n, TABLES[n].empty())\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'modin', 'pyspark')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PIPELINE.parent)
    assert out.stdout.strip() == "[]", out.stdout


def test_frame_fills_a_missing_list_column_with_lists_and_keeps_lists() -> None:
    df = Positions.frame([{"question_id": "q", "question": "Q?", "source_id": "a", "position": "p",
                           "relation": "only-one", "note_ids": ["n1", "n2"], "stance": ("x",)}])
    assert df.at[0, "note_ids"] == ["n1", "n2"] and df.at[0, "stance"] == ["x"]
    assert list(df.columns) == Positions.csv_order()


def test_a_list_cell_that_is_not_a_list_of_ids_is_an_engine_bug() -> None:
    df = Positions.frame([{"question_id": "q", "question": "Q?", "source_id": "a", "position": "p",
                           "relation": "only-one", "note_ids": ["n1"]}])
    validate("positions", df)
    df.at[0, "note_ids"] = [1]                  # an id that is not text
    with pytest.raises(EngineBug):
        validate("positions", df)
    bad = Sources.frame([{"source_id": "a", "kind": "blog", "format": "txt", "words": 3}])
    with pytest.raises(EngineBug):              # a kind the vocabulary does not have
        validate("sources", bad)


def test_tables_reads_by_name_and_knows_its_unpublished_tables() -> None:
    t = Tables()
    assert "common_ground" in t and "events" in t and "nope" not in t
    assert list(t["corroboration"].columns) == ["event_id", "carriers", "reports", "outlets"]
    with pytest.raises(KeyError):
        t["nope"]


def test_common_ground_is_what_every_holder_shares() -> None:
    positions = pd.DataFrame([
        {"question_id": "q1", "source_id": "a", "stance": ["ceasefire", "talks"]},
        {"question_id": "q1", "source_id": "b", "stance": ["talks"]},
        {"question_id": "q2", "source_id": "a", "stance": ["x"]},        # one position: no ground
        {"question_id": "q3", "source_id": "a", "stance": ["x"]},
        {"question_id": "q3", "source_id": "b", "stance": ["y"]},
    ])
    rows = common_ground(positions).to_dict("records")
    assert rows == [
        {"question_id": "q1", "shared": ["talks"], "holders": ["a", "b"], "diverge": True},
        {"question_id": "q3", "shared": [], "holders": ["a", "b"], "diverge": True},
    ]


def test_corroboration_counts_a_copy_once_and_names_every_outlet() -> None:
    sources = pd.DataFrame({"source_id": ["wire", "copy", "own"], "copy_of": ["", "wire", ""],
                            "outlet": ["Wire", "Daily", ""], "short": ["W", "D", "O"]})
    events = pd.DataFrame({"event_id": ["e1", "e2"], "source_ids": [["wire"], ["own", "copy"]],
                           "reports": [1, 2]})
    rows = {r["event_id"]: r for r in corroboration(events, sources).to_dict("records")}
    assert rows["e1"]["carriers"] == ["wire", "copy"] and rows["e1"]["outlets"] == 2
    assert rows["e2"]["carriers"] == ["own", "wire", "copy"] and rows["e2"]["outlets"] == 3


def test_a_copy_naming_no_outlet_is_its_originals_outlet() -> None:
    """A saved page and the PDF printed from it (no outlet of its own) are one outlet, not two."""
    sources = pd.DataFrame({"source_id": ["page", "print", "other"], "copy_of": ["", "page", "page"],
                            "outlet": ["Harbour Ledger", "", "Danube Daily"], "short": ["P", "Pr", "O"]})
    events = pd.DataFrame({"event_id": ["e1"], "source_ids": [["page"]], "reports": [1]})
    row = corroboration(events, sources).to_dict("records")[0]
    assert row["carriers"] == ["page", "other", "print"] and row["outlets"] == 2
    one = corroboration(events, sources[sources["source_id"] != "other"]).to_dict("records")[0]
    assert one["outlets"] == 1


def test_no_stage_splits_a_joined_list_again() -> None:
    """Lists stay lists until publish joins them; only the read-back edge (as_list) splits."""
    found = []
    for path in sorted(PIPELINE.rglob("*.py")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""split\(\s*["'];["']\s*\)|count\(\s*["'];["']\s*\)""", line):
                found.append(f"{path.relative_to(PIPELINE)}:{no}")
    assert [f for f in found if not f.startswith("tables/schema.py:")] == [], found
    assert found, "as_list in tables/schema.py splits a cell read back from a CSV"
