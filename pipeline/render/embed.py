"""The tables the PDF carries, compressed in pieces that the next build reuses.

At 2,000 sources the tables are ~150 MB of CSV; compressing them whole (WeasyPrint's attachments,
zlib level 9) cost the daily rebuild ~15 s although one source changes a few rows. Here each
table's text is cut into pieces at content-defined line ends (a line whose first and last bytes
hash to CUT_BITS zero bits closes a piece), so adding a source changes the pieces around its
rows only (at 2,000 sources, one source more: 9.6 of 150 MB compressed again).
Each piece is deflated on its own (a fresh compressor, ended by a sync flush: no back-reference
crosses a cut), and the pieces joined are one valid zlib stream (RFC 1950: header, the blocks,
an empty final block, the Adler-32 of the whole text). Pieces are kept in the build's cache by
their bytes. The stream is a function of the text alone, so a cold build and a rebuild of the
same tables give the same bytes, whatever the cache held.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.cache import Store

KIND = "deflate"          # the cache's kind for compressed pieces
LEVEL = 6                 # zlib's default: the 2,000-source tables (150 MB) in 3.6 s, not 5.8 s at
                          # WeasyPrint's 9, for 1% more bytes (25.1 against 24.8 MB)
CUT_BITS = 9              # a cut every ~500 lines on average
WINDOW = 16               # bytes at each end of a line that decide whether it closes a piece
MAX_PIECE = 4 << 20       # a piece this long is cut at its next line end whatever its CRC
HEADER = b"\x78\x9c"      # zlib: deflate, 32 KB window, default compression (check bits valid)
FINAL = b"\x03\x00"       # an empty final block (fixed Huffman)


@dataclass(frozen=True)
class Embedded:
    """One attached file as the PDF stores it: its zlib stream and what /Params says of it."""

    name: str
    stream: bytes          # /FlateDecode data
    size: int              # bytes of the text
    md5: bytes             # /CheckSum


def pieces(data: bytes) -> list[tuple[int, int]]:
    """Where `data` is cut, as (start, end) of each piece (see the module docstring): a line end
    closes a piece when a hash of the WINDOW bytes before it has CUT_BITS zero bits (numpy, no
    loop per line: 150 MB of CSV take a fraction of a second)."""
    import numpy as np

    arr = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    if not len(ends):
        return [(0, len(data))] if data else []
    starts = np.concatenate(([0], ends[:-1] + 1))
    last = len(data) - 1
    h = np.zeros(len(ends), dtype=np.uint32)
    # the line's first and last WINDOW bytes (a row's id, its last fields): a hash that moves
    # with the line, whatever comes before it
    for k in range(WINDOW):
        h = h * np.uint32(0x01000193) ^ arr[np.minimum(starts + k, last)].astype(np.uint32)
        h = h * np.uint32(0x01000193) ^ arr[np.maximum(ends - k - 1, 0)].astype(np.uint32)
    h = h * np.uint32(0x9E3779B1)             # spread the low bits before masking the top ones
    chosen = ends[(h >> np.uint32(32 - CUT_BITS)) == 0] + 1
    out: list[tuple[int, int]] = []
    start = 0
    for cut in chosen.tolist():
        while cut - start > MAX_PIECE:     # no chosen end for too long: the next line end
            nl = data.find(b"\n", start + MAX_PIECE)
            if nl < 0 or nl + 1 >= cut:
                break
            out.append((start, nl + 1))
            start = nl + 1
        out.append((start, cut))
        start = cut
    while len(data) - start > MAX_PIECE:
        nl = data.find(b"\n", start + MAX_PIECE)
        if nl < 0 or nl + 1 >= len(data):
            break
        out.append((start, nl + 1))
        start = nl + 1
    if start < len(data):
        out.append((start, len(data)))
    return out


def _deflate(piece: bytes | memoryview) -> bytes:
    c = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return c.compress(piece) + c.flush(zlib.Z_SYNC_FLUSH)


def _key(piece: bytes | memoryview) -> str:
    h = hashlib.sha256(f"{LEVEL}/{zlib.ZLIB_RUNTIME_VERSION}/".encode())
    h.update(piece)
    return h.hexdigest()[:32]


def embed(files: list[tuple[str, bytes]], cache: Path | None, workers: int | None = None,
          stats: dict[str, int] | None = None) -> list[Embedded]:
    """Each (name, the file's bytes) as an Embedded file, its pieces from the cache where it has them,
    the others deflated on every core (zlib lets other threads run while it works). One file's
    bytes at a time, and pieces are views into them, not copies (150 MB of tables at 2,000 sources).
    `stats` gets the pieces reused and deflated, and their bytes."""
    store = Store(cache)
    n = workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    out = []
    stats = {} if stats is None else stats
    for name in ("reused", "deflated", "reused_bytes", "deflated_bytes"):
        stats.setdefault(name, 0)
    with ThreadPoolExecutor(max(1, n)) as pool:
        for name, data in files:
            view = memoryview(data)
            cut = [view[a:b] for a, b in pieces(data)]
            keys = [_key(p) for p in cut]
            done: dict[str, bytes] = {}
            todo: dict[str, memoryview] = {}
            for piece, key in zip(cut, keys, strict=True):
                if key in done or key in todo:
                    continue
                found = store.get(KIND, key)
                if found is not None:
                    done[key] = found
                    stats["reused"] += 1
                    stats["reused_bytes"] += len(piece)
                else:
                    todo[key] = piece
                    stats["deflated"] += 1
                    stats["deflated_bytes"] += len(piece)
            for key, deflated in zip(todo, pool.map(_deflate, todo.values()), strict=True):
                done[key] = deflated
                store.put(KIND, key, deflated)
            stream = b"".join([HEADER, *(done[k] for k in keys), FINAL, zlib.adler32(data).to_bytes(4, "big")])
            out.append(Embedded(name, stream, len(data), hashlib.md5(data, usedforsecurity=False).digest()))
            del cut, todo, view, data
    # keep this build's pieces and as many others (the build before, if it differed)
    store.prune(KIND, keep=len(store.used.get(KIND, ())))
    return out
