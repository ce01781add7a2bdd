"""The tables' CSV made in Arrow (pipeline/publish/csv_text.py) is byte for byte what pandas'
to_csv writes, which stays the reference; tables it does not handle go to pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.publish import csv_text

TEXTS = ["x", "y,z", 'q"r', "line\nbreak", "cr\rx", "", None, " lead", "tab\tx", '"', "é 😀", "a\r\nb"]


def _reference(df: pd.DataFrame) -> bytes:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: ";".join(map(str, v)) if isinstance(v, list | tuple) else v)
        if out[col].dtype.kind == "f":
            out[col] = csv_text.float_texts(out[col].to_numpy())
    return csv_text._pandas_csv(out)


def _frame() -> pd.DataFrame:
    n = len(TEXTS)
    return pd.DataFrame({
        "text": TEXTS,                                   # str (Arrow-backed)
        "n": np.arange(n, dtype=np.int64) - 3,
        "a,b": ["é"] * n,                                # a header that needs quotes
        "f": [1.0, 0.5, np.nan, 2.0, 1e20, -0.0, 3.25, np.inf, 7.0, 0.1 + 0.2, -2.5, 1e-7],
        "flag": [True, False] * (n // 2),
        "obj": pd.Series([None, "x", np.nan, "y", None, "a,b", '"', None, "", "z", "w", "v"], dtype=object),
        "list": [[1, 2], [], None, ["a"], ["x,y"], [4], [5], [6], [7], [8], [9], [10]],
    })


def test_arrow_csv_is_the_bytes_pandas_writes() -> None:
    df = _frame()
    assert csv_text._arrow_csv(df.drop(columns=["f", "list"])) is not None     # the Arrow path ran
    assert csv_text.csv_bytes(df) == _reference(df)
    text = csv_text.csv_bytes(df).decode("utf-8")
    assert text.startswith('text,n,"a,b",f,flag,obj,list\nx,-3,é,1,True,,1;2\n"y,z",-2,é,0.5,False,x,\n')
    assert '\n"line\nbreak",' in text and "\ncr\rx," in text and '"x,y"' in text


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"only": ["", "a"]}),                                       # one column: '""' rows
    pd.DataFrame({"a": pd.Series([], dtype=str), "b": pd.Series([], dtype=np.int64)}),   # no rows
    pd.DataFrame({"a": ["x", "y"], "mixed": pd.Series([1, "two"], dtype=object)}),       # numbers as objects
    pd.DataFrame({"a": ["x", "y"], "when": pd.to_datetime(["2025-08-15", "2025-11-20"])}),
    pd.DataFrame({"a": ["x", "y"], "cat": pd.Categorical(["p", "q"])}),
])
def test_tables_the_arrow_path_leaves_to_pandas_come_out_the_same(frame: pd.DataFrame) -> None:
    assert csv_text.csv_bytes(frame) == _reference(frame)


def test_a_table_written_a_slice_of_rows_at_a_time_is_the_same_table(monkeypatch: pytest.MonkeyPatch) -> None:
    df = _frame()
    whole = csv_text.csv_bytes(df)
    monkeypatch.setattr(csv_text, "ROWS_AT_ONCE", 5)
    assert csv_text.csv_bytes(df) == whole == _reference(df)
    late = df.assign(obj=pd.Series([None] * 10 + [3, "x"], dtype=object))    # a number in the last slice
    assert csv_text.csv_bytes(late) == _reference(late)
