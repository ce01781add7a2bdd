"""Reading the per-source Arrow files that pipeline/columnar.py writes.

Why a module of its own: a per-source function's cache key covers the code it runs, which
includes how its result is written (columnar.py), but not how the build reads results back.
Kept apart, a change to the reading (what the cross-source stages do with the files) leaves
every source's cached result valid; a change to the format is columnar.FORMAT's to make.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from pipeline.columnar import FORMAT, Unreadable


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
        # the file's bytes, not a memory map: an uncompressed buffer is read without a copy, and
        # what refers to it must not outlive a mapping that another build's prune may remove
        data = entry if isinstance(entry, bytes) else entry.read_bytes()
        schema = ipc.open_file(pa.BufferReader(data)).schema
        meta = schema.metadata or {}
        if meta.get(b"format") != FORMAT.encode():
            raise Unreadable(f"not a {FORMAT} file")
        kinds = json.loads(meta[b"parts"])
        wanted = [schema.get_field_index(name) for name in names]
        if min(wanted, default=0) < 0:
            raise KeyError(f"no part {names[wanted.index(-1)]!r}")
        table = ipc.open_file(pa.BufferReader(data), options=ipc.IpcReadOptions(
            included_fields=wanted, use_threads=False)).read_all()
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


Values = list | np.ndarray | pa.Array | pa.ChunkedArray


def concat(chunks: list[Values]) -> Values:
    """One column from its parts' values: one numpy array when every part with values is an
    array of one type; the parts' Arrow text as one chunked array, its buffers shared, not
    copied, when every part is text (a part whose values are all missing counts as text: pandas
    reads None beside strings as it reads Arrow's nulls); else a list of Python values (what
    the parts' lists would have made)."""
    full = [c for c in chunks if len(c)]
    if full and all(isinstance(c, np.ndarray) for c in full) and len({c.dtype for c in full}) == 1:
        return np.concatenate(full)
    arrow = (pa.Array, pa.ChunkedArray)
    if any(isinstance(c, arrow) for c in full) and all(
            isinstance(c, arrow) or (isinstance(c, list) and all(v is None for v in c)) for c in full):
        pieces: list[pa.Array] = []
        for c in full:
            pieces += c.chunks if isinstance(c, pa.ChunkedArray) else [
                c if isinstance(c, pa.Array) else pa.nulls(len(c), pa.large_string())]
        return pa.chunked_array(pieces, pa.large_string())
    out: list = []
    for c in full:
        out += c.tolist() if isinstance(c, np.ndarray) else c.to_pylist() if isinstance(c, arrow) else c
    return out


def for_pandas(values: Values) -> Any:
    """A joined column as pandas takes it: Arrow text made one array (one copy) and given to
    pandas as its own str array over that array's buffers (a frame made from an Arrow array
    copies its text again: at 10,000 sources the passages' and sentences' text, ~1 GB, held
    twice). One array, not the parts' many chunks: at 10,000 sources, frames over ~160 chunks
    a column measured ~0.6 GB more after review and tables (3,516 against 2,912 MB; why, not
    pinned down). Anything else as it is."""
    return pd.array(values.combine_chunks(), dtype="str") if isinstance(values, pa.ChunkedArray) else values


def rows(columns: dict[str, Values]) -> list[dict]:
    """A table read as columns, as rows again (for work that takes rows, one source at a time),
    with Python values (an array read as numpy or Arrow gives its values back as Python's)."""
    names = list(columns)
    values = [_python(v) for v in columns.values()]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)] if names else []


def _python(values: Any) -> list:
    if isinstance(values, np.ndarray):
        return values.tolist()
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values.to_pylist()
    if isinstance(values, pd.api.extensions.ExtensionArray):     # for_pandas's text: missing as None
        return pa.array(values).to_pylist()
    return values


def check(entry: Path | bytes) -> bool:
    """Whether an entry is a whole parts file of this format: Arrow's magic at both ends, a
    footer as long as its trailer says, and this format's name in it. Read as bytes, not
    parsed: a rebuild checks every source's entry (at 2,000 sources parsing the footers took
    ~1.9 s); reading the file later still fails loudly on anything else wrong."""
    if isinstance(entry, bytes):
        return _whole(len(entry), lambda at, n: entry[at:at + n])
    try:
        with open(entry, "rb") as f:
            def read(at: int, n: int) -> bytes:
                f.seek(at)
                return f.read(n)

            return _whole(f.seek(0, 2), read)
    except OSError:
        return False


MAGIC = b"ARROW1"


def _whole(size: int, read: Callable[[int, int], bytes]) -> bool:
    """The IPC file layout: the magic (padded to 8 bytes), the stream, the footer, the footer's
    length (4 bytes, little-endian) and the magic again."""
    if size < 8 + 10 or read(0, 6) != MAGIC or read(size - 6, 6) != MAGIC:
        return False
    length = int.from_bytes(read(size - 10, 4), "little", signed=True)
    return 0 < length <= size - 18 and FORMAT.encode() in read(size - 10 - length, length)
