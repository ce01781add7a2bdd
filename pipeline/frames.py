"""Reading a table's rows in Python, fast on pandas' Arrow-backed text columns."""

from __future__ import annotations

from typing import Any

import pandas as pd


def table_rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    """df.to_dict("records"), the same values, about 3x faster: pandas 3 keeps text in Arrow
    arrays, which to_dict reads one cell at a time, while tolist() converts a column at once
    (at 2,000 sources the notes, mentions and plan terms made to_dict 10 s of a rebuild)."""
    columns = list(df.columns)
    if not columns:
        return [{} for _ in range(len(df))]
    return [dict(zip(columns, values, strict=True))
            for values in zip(*(df[c].tolist() for c in columns), strict=True)]
