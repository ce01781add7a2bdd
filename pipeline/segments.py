"""Many sources' per-source results read as a few joined pieces, cached between builds.

Why: a daily rebuild adds one source to thousands. Its per-source work is cached per source
(pipeline/per_source.py), but the cross-source stages still read every source's Arrow file:
at 2,000 sources ~4,000 files, ~12 s of a 60 s rebuild, nearly all of it the cost of opening a
file, not of its data. Here the entries are cut into segments, each remembered as the joined
columns of its entries' parts (one pickle, kept in the store under the entries' own keys), so
a rebuild reads ~60 segments and only the segment that holds a new or edited source is read
from its entries again.

The cut is content-defined: a segment ends after an entry whose key's hash falls on a boundary
(1 in SPREAD), or at MOST entries. Adding or removing one entry changes the segment it falls in
and, at worst, its neighbour; every other segment keeps its key. Entries are keyed by their own
content hash (their file name), so a segment's key says exactly what it holds: nothing stale can
be served, and a damaged segment is read from its entries again.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline import columnar_read
from pipeline.cache import Store, code_key, digest

SPREAD = 32        # a segment holds ~SPREAD entries on average
MOST = 128         # and never more than this
FORMAT = "briefing-segment/1"


def cut(names: Sequence[str]) -> list[range]:
    """The segments of a list of entry names (hex content hashes), as index ranges in order."""
    out: list[range] = []
    start = 0
    for i, entry in enumerate(names):
        if int(digest(FORMAT, entry)[:8], 16) % SPREAD == 0 or i + 1 - start >= MOST:
            out.append(range(start, i + 1))
            start = i + 1
    if start < len(names):
        out.append(range(start, len(names)))
    return out


def read_joined(entries: Iterable[Path | bytes], names: list[str], store: Store, kind: str,
                keys: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """The named parts of the entries, in order, as groups of consecutive entries: in a group, a
    table part is its entries' columns joined (as one `columnar_read.read` table), any other part the
    list of its entries' values. A group is a segment, or one entry where a segment's tables do
    not share their columns. Entries given as bytes (nothing cached) are read one by one.
    `entries` may be an iterator of results still being computed (per_source.stream_cached),
    with `keys` their file names, known before they are: each segment is read as soon as its
    entries are there. The caller prunes `kind` once it has read everything (`store.prune(kind)`)."""
    if keys is None:
        entries = list(entries)
        keys = [e.name if isinstance(e, Path) else "" for e in entries]
    if store.folder is None:
        yield from _each(entries, names)
        return
    code = _code()
    coming = iter(entries)
    for seg in cut(keys):
        part = [next(coming) for _ in seg]
        if not all(isinstance(e, Path) for e in part):
            yield from _each(part, names)
            continue
        key = digest(code, names, [e.name for e in part])  # type: ignore[union-attr]
        data = store.get(kind, key)
        if data is not None:
            try:
                groups = pickle.loads(data)
                yield from groups
                continue
            except Exception:  # noqa: BLE001 - a damaged segment is read from its entries again
                pass
        groups = list(_joined(part, names))
        store.put(kind, key, pickle.dumps(groups, protocol=pickle.HIGHEST_PROTOCOL))
        yield from groups


def _code() -> str:
    return digest(FORMAT, code_key("pipeline.segments"))


def _each(entries: Iterable[Path | bytes], names: list[str]) -> Iterator[dict[str, Any]]:
    for entry in entries:
        yield _alone(*columnar_read.read_kinds(entry, names, arrow_text=True), names)


def _alone(got: dict[str, Any], kinds: dict[str, str], names: list[str]) -> dict[str, Any]:
    """One entry as a group of its own: its tables as read, any other part a list of one."""
    return {n: got[n] if kinds[n] == "table" else [got[n]] for n in names}


def _joined(entries: Sequence[Path | bytes], names: list[str]) -> list[dict[str, Any]]:
    """The entries as one group, or one group each when a part is a table in some and not in
    others, or their tables' columns differ."""
    read = [columnar_read.read_kinds(e, names, arrow_text=True) for e in entries]
    group: dict[str, Any] = {}
    for n in names:
        tables = {kinds[n] == "table" for _, kinds in read}
        if len(tables) > 1 or (tables == {True} and len({tuple(got[n]) for got, _ in read}) > 1):
            return [_alone(got, kinds, names) for got, kinds in read]
        if tables == {True}:
            group[n] = {c: columnar_read.concat([got[n][c] for got, _ in read]) for c in read[0][0][n]}
        else:
            group[n] = [got[n] for got, _ in read]
    return [group]
