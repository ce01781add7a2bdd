"""The tables as the bytes of their CSV files.

Why not pandas' to_csv alone: at 2,000 sources the tables are ~150 MB of CSV and to_csv took
~6.5 s of every build, one Python call per cell. Here each column becomes its cells' text in
Arrow (quoted where the csv module would quote it), the cells are joined into lines in Arrow,
and the bytes are Arrow's buffer: the same bytes as to_csv (QUOTE_MINIMAL, "\\n" line ends,
UTF-8), made in C++. A column of a type not handled here (a date, a category...) sends the
table to pandas, which stays the reference (tests/test_csv_text.py compares the two).
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_SPECIAL = ',"\n'    # a cell holding one of these is quoted (QUOTE_MINIMAL, "," and "\n"; a lone "\r" is not)
_NEEDS_QUOTES = "[" + re.escape(_SPECIAL) + "]"


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as its CSV file says it: lists `;`-joined, whole floats without `.0`."""
    out = df.copy(deep=False)      # copy-on-write: the columns replaced here leave `df` as it was
    for col in out.columns:
        # only a column of Python objects can hold lists (a text or number column cannot)
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, list | tuple)).any():
            out[col] = out[col].map(lambda v: ";".join(map(str, v)) if isinstance(v, list | tuple) else v)
        if out[col].dtype.kind == "f":
            out[col] = float_texts(out[col].to_numpy())
    fast = _arrow_csv(out)
    return fast if fast is not None else _pandas_csv(out)


def _pandas_csv(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_csv(buf, index=False, lineterminator="\n", encoding="utf-8")
    return buf.getvalue()


def _arrow_csv(df: pd.DataFrame) -> bytes | None:
    """The CSV bytes made in Arrow, or None where this table needs pandas. A slice of rows at a
    time, as to_csv does: the notes of 10,000 sources are ~300 MB of CSV, and their cells,
    lines and bytes made whole at once raised the build's peak by ~800 MB."""
    if len(df.columns) < 2 or not len(df) or not all(isinstance(c, str) for c in df.columns):
        return None      # a one-column row of "" is written '""' by the csv module: pandas' case
    out = io.BytesIO()
    out.write(_header(list(df.columns)))
    for start in range(0, len(df), ROWS_AT_ONCE):
        body = _arrow_rows(df.iloc[start:start + ROWS_AT_ONCE])
        if body is None:
            return None
        out.write(body)
    return out.getvalue()


ROWS_AT_ONCE = 20_000


def _arrow_rows(df: pd.DataFrame) -> bytes | None:
    cells = []
    for col in df.columns:
        made = _cells(df[col])
        if made is None:
            return None
        cells.append(made)
    lines = pc.binary_join_element_wise(*cells, pa.scalar(",", pa.large_string()))
    end = pa.scalar("\n", pa.large_string())
    lines = pc.binary_join_element_wise(lines, pa.scalar("", pa.large_string()), end).combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:lines.offset + len(lines) + 1]
    return lines.buffers()[2].slice(int(offsets[0]), int(offsets[-1] - offsets[0])).to_pybytes()


def _header(names: list[str]) -> bytes:
    return (",".join(_quoted(n) for n in names) + "\n").encode("utf-8")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in _SPECIAL) else text


def _cells(series: pd.Series) -> pa.ChunkedArray | None:
    """One column's cells as text (large_string, no nulls), or None for a type left to pandas."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        return _text(pa.chunked_array([pa.array(series.array)]))
    if dtype == np.int64:
        return pa.chunked_array([pa.array(series.to_numpy()).cast(pa.large_string())])
    if dtype == np.bool_:
        return pa.chunked_array([pa.array(np.where(series.to_numpy(), "True", "False").astype(object),
                                          pa.large_string())])
    if dtype is np.dtype(object):
        values = series.tolist()
        if not all(v is None or isinstance(v, str) or _missing(v) for v in values):
            return None       # numbers, booleans... among objects: pandas writes them
        return _text(pa.chunked_array([pa.array([None if _missing(v) else v for v in values],
                                                pa.large_string())]))
    return None


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _text(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    arr = arr.cast(pa.large_string())
    needs = pc.match_substring_regex(arr, _NEEDS_QUOTES)
    if not pc.any(needs).as_py():
        return pc.fill_null(arr, "")
    quote, none = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    quoted = pc.binary_join_element_wise(quote, pc.replace_substring(arr, '"', '""'), quote, none)
    return pc.fill_null(pc.if_else(needs, quoted, arr), "")


def float_texts(values: Any) -> Any:
    """Floats as the tables write them: none for NaN, a whole number without `.0`, else the
    shortest text that reads back as the same float (repr)."""
    text = np.full(len(values), "", dtype=object)
    finite = np.isfinite(values)
    whole = finite & (values == np.floor(np.where(finite, values, 0))) & (np.abs(np.where(finite, values, 0)) < 2**62)
    text[whole] = values[whole].astype(np.int64).astype(str).astype(object)
    for i in np.flatnonzero(~whole & ~np.isnan(values)):
        v = float(values[i])
        text[i] = str(int(v)) if v.is_integer() else repr(v)
    return text
