"""One source's per-source results as one Parquet file: a row, a column per part.

Why Parquet: the cross-source stages read each part they need for the whole corpus (ingest the
passages, sentences and copy signatures; extract the mentions, terms and candidates), and only
those columns. Read as columns, a part becomes lists of values that the stage turns into one
frame for the corpus, with no dict per row held for every source at once (at 2,000 sources the
pickled row dicts made ingest hold 1.1 GB).

A part is one of:
  - a table: (rows, columns), rows as dicts keyed by exactly the columns (what a frame's
    records are), or `Columns` (a frame's columns, no dict per row made); stored as a list of
    structs, one field per column, read back as columns;
  - a one-dimensional numpy array (a copy signature): a list of its dtype;
  - any other value (the actor pass's working state, an object graph): one pickled cell.

A table column whose values would not come back exactly as they went in (the same Python type,
int stays int, a list stays a list) is stored pickled, cell by cell: what is read back is always
what was written, so the per-source cache never changes a build's output. Columns are named in
the file's metadata with their kind, so a reader knows how to undo each.
"""

from __future__ import annotations

import io
import json
import math
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

FORMAT = "briefing-parts/1"
Table = tuple[list[dict], list[str]]


class Unreadable(ValueError):
    """An entry that is not a parts file of this format (damaged, or written by other code)."""


def _same(a: Any, b: Any) -> bool:
    """Strictly equal: the same types all the way down (1 is not 1.0 nor True), NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


# Values of one of these types (None among them or not) come back from Arrow exactly as they
# went in, so a column of them needs no round trip to check (most columns: a third of the encoding's time).
_PLAIN = frozenset({str, int, float, bool})


def _column(values: list[Any]) -> tuple[pa.Array, str]:
    """A column as Arrow values, or pickled cell by cell when Arrow would not give them back as they are."""
    try:
        kinds = set(map(type, values))
        kinds.discard(type(None))
        if len(kinds) <= 1 and kinds <= _PLAIN:
            return pa.array(values), "arrow"
        arr = pa.array(values)
        if _same(arr.to_pylist(), values):
            return arr, "arrow"
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        pass
    return pa.array([pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for v in values], pa.binary()), "pickle"


@dataclass(frozen=True)
class Columns:
    """A table given as its columns (name → values, all of one length), as a frame's columns
    are: encoded like a table of rows, without making a dict per row first."""

    data: dict[str, list]

    @classmethod
    def of(cls, frame: Any) -> Columns:
        """A pandas frame's columns as Python values (what its records would hold)."""
        return cls({c: frame[c].tolist() for c in frame.columns})


def _table(rows: list[dict], columns: list[str]) -> tuple[pa.Array, list[str]]:
    if any(len(r) != len(columns) or not all(c in r for c in columns) for r in rows):
        raise ValueError("rows do not all have the table's columns")   # kept whole, pickled
    return _columns_table({c: [r[c] for r in rows] for c in columns}, len(rows))


def _columns_table(data: dict[str, list], n: int) -> tuple[pa.Array, list[str]]:
    columns = list(data)
    arrays, kinds = [], []
    for c in columns:
        arr, kind = _column(data[c])
        arrays.append(arr)
        kinds.append(kind)
    struct = (pa.StructArray.from_arrays(arrays, names=columns) if columns
              else pa.array([{}] * n, pa.struct([])))
    return pa.ListArray.from_arrays(pa.array([0, n], pa.int32()), struct), kinds


def encode(parts: dict[str, Any]) -> bytes:
    """The parts as the bytes of one Parquet file (see the module docstring for the kinds)."""
    names, arrays, meta = [], [], {}
    for name, value in parts.items():
        if isinstance(value, Columns) and len({len(v) for v in value.data.values()}) <= 1:
            n = len(next(iter(value.data.values()), []))
            arr, kinds = _columns_table(value.data, n)
            names.append(name)
            arrays.append(arr)
            meta[name] = {"kind": "table", "columns": list(value.data), "cells": kinds}
            continue
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], list) \
                and isinstance(value[1], list):
            try:
                arr, kinds = _table(*value)
                names.append(name)
                arrays.append(arr)
                meta[name] = {"kind": "table", "columns": value[1], "cells": kinds}
                continue
            except ValueError:
                pass
        if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "iuf":
            arr = pa.ListArray.from_arrays(pa.array([0, len(value)], pa.int32()), pa.array(value))
            meta[name] = {"kind": "array", "dtype": value.dtype.str}
        else:
            arr = pa.array([pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)], pa.binary())
            meta[name] = {"kind": "pickle"}
        names.append(name)
        arrays.append(arr)
    table = pa.Table.from_arrays(arrays, names=names).replace_schema_metadata(
        {"format": FORMAT, "parts": json.dumps(meta)})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", use_dictionary=False)
    return buf.getvalue()


def read(entry: Path | bytes, names: list[str]) -> dict[str, Any]:
    """The named parts of one entry (a file, or its bytes): a table as {column: values} with its
    columns in order (a column of numbers or booleans with none missing as a numpy array, any
    other a list), an array as numpy, anything else as it was."""
    return read_kinds(entry, names)[0]


def read_kinds(entry: Path | bytes, names: list[str], *, arrow_text: bool = False
               ) -> tuple[dict[str, Any], dict[str, str]]:
    """read(), with each part's kind ("table", "array" or "pickle"): a reader that joins the
    parts of many entries must know a table from a value that happens to be a dict.

    With arrow_text, a table's text columns stay Arrow arrays (large_string), for a reader that
    joins them into a frame: pandas makes the same column from them as from the Python strings,
    and a corpus's text never becomes one Python object per cell (at 10,000 sources the
    passages' and sentences' text columns as str objects were ~1.2 GB of the build's peak)."""
    try:
        file = pq.ParquetFile(pa.BufferReader(entry) if isinstance(entry, bytes) else str(entry))
        meta = file.schema_arrow.metadata or {}
        if meta.get(b"format") != FORMAT.encode():
            raise Unreadable(f"not a {FORMAT} file")
        kinds = json.loads(meta[b"parts"])
        table = file.read(columns=names, use_threads=False)
    except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
        raise Unreadable(str(exc)) from None
    out: dict[str, Any] = {}
    for name in names:
        kind = kinds[name]
        col = table.column(name).combine_chunks()
        if kind["kind"] == "table":
            fields = col.flatten().flatten() if kind["columns"] else []
            out[name] = {c: (_values(f, arrow_text) if cells == "arrow" else [pickle.loads(v) for v in f.to_pylist()])
                         for c, cells, f in zip(kind["columns"], kind["cells"], fields, strict=True)}
        elif kind["kind"] == "array":
            out[name] = col.flatten().to_numpy(zero_copy_only=False).astype(np.dtype(kind["dtype"]), copy=False)
        else:
            out[name] = pickle.loads(col[0].as_py())
    return out, {name: kinds[name]["kind"] for name in names}


# Arrow types read as numpy when no value is missing: pandas makes the same column from the array
# as from the list of Python values, and a corpus's numbers never become Python objects (at 2,000
# sources the ints read as objects, freed once in frames, left ~270 MB of the heap held for good).
_NUMPY = (pa.types.is_int64, pa.types.is_float64, pa.types.is_boolean)


def _values(field: pa.Array, arrow_text: bool = False) -> list | np.ndarray | pa.Array:
    if field.null_count == 0 and any(is_type(field.type) for is_type in _NUMPY):
        return field.to_numpy(zero_copy_only=False)
    if arrow_text and (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
        return field.cast(pa.large_string())
    return field.to_pylist()


Values = list | np.ndarray | pa.Array


def concat(chunks: list[Values]) -> Values:
    """One column from its parts' values: one numpy array when every part with values is an
    array of one type; one Arrow text array when every part is text (a part whose values are
    all missing counts as text: pandas reads None beside strings as it reads Arrow's nulls);
    else a list of Python values (what the parts' lists would have made)."""
    full = [c for c in chunks if len(c)]
    if full and all(isinstance(c, np.ndarray) for c in full) and len({c.dtype for c in full}) == 1:
        return np.concatenate(full)
    if any(isinstance(c, pa.Array) for c in full) and all(
            isinstance(c, pa.Array) or (isinstance(c, list) and all(v is None for v in c)) for c in full):
        return pa.concat_arrays([c if isinstance(c, pa.Array) else pa.nulls(len(c), pa.large_string())
                                 for c in full])
    out: list = []
    for c in full:
        out += c.tolist() if isinstance(c, np.ndarray) else c.to_pylist() if isinstance(c, pa.Array) else c
    return out


def rows(columns: dict[str, Values]) -> list[dict]:
    """A table read as columns, as rows again (for work that takes rows, one source at a time),
    with Python values (an array read as numpy or Arrow gives its values back as Python's)."""
    names = list(columns)
    values = [v.tolist() if isinstance(v, np.ndarray) else v.to_pylist() if isinstance(v, pa.Array) else v
              for v in columns.values()]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)] if names else []


def check(entry: Path | bytes) -> bool:
    """Whether an entry is a whole parts file of this format (its footer read, nothing else)."""
    try:
        file = pq.ParquetFile(pa.BufferReader(entry) if isinstance(entry, bytes) else str(entry))
        return (file.schema_arrow.metadata or {}).get(b"format") == FORMAT.encode()
    except (OSError, pa.ArrowException, ValueError):
        return False
