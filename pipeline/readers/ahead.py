"""Read the slow formats on every core before the build reads its sources one by one.

A saved web page takes trafilatura ~50 ms to read (the median of 181 real news pages), a PDF
~0.16 s a page, a Word file tens of ms; a reading is then kept in the cache by the file's bytes
(readers/discover.py). A folder of 2,000 saved pages was read one file after the other, about
110 s of a first build on one core, while the per-source work after it used them all. Here the
files whose reading the cache lacks are read first on a process pool, each reading put in the
cache as discover.py would put it; discover.py's own pass, in file order, then finds them
there, so its problems and warnings come in the same order as before. A file that fails here is
simply read again there, and reported there with its message and fix.
"""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipeline.cache import Store, code_key, digest
from pipeline.cores import pool_context, workers
from pipeline.readers import read, reader_for
from pipeline.readers.files import read_bytes

READ_AHEAD_FROM = 8     # fewer files to read than this: read in order (a pool costs ~0.5 s to start)


def reading_key(path: Path, data: bytes) -> str:
    """A reading's key in the cache: the file's bytes and the code that reads it (the reader
    module's import closure and the versions of what it uses: trafilatura, pdfplumber...)."""
    return digest("reading", data, path.suffix.lower(), code_key(f"pipeline.readers.{reader_for(path)}"))


def read_ahead(jobs: list[tuple[Path, str]], cache: Path, max_bytes: int) -> int:
    """Put the readings of `jobs` ((file, its cache key), files already checked to be inside the
    project) into the cache at `cache`, on every core. How many were read here (0: too few to
    be worth a pool, or one core)."""
    n = min(workers(), len(jobs))
    if n <= 1 or len(jobs) < READ_AHEAD_FROM:
        return 0
    chunk = max(1, min(8, len(jobs) // (n * 4)))
    with ProcessPoolExecutor(n, mp_context=pool_context()) as pool:
        return sum(pool.map(_read_into_cache, [(str(path), key, str(cache), max_bytes) for path, key in jobs],
                            chunksize=chunk))


def _read_into_cache(job: tuple[str, str, str, int]) -> bool:
    """One file read and its reading kept under `key`, if its bytes still give that key."""
    path, key, cache, max_bytes = Path(job[0]), job[1], Path(job[2]), job[3]
    try:
        data = read_bytes(path, max_bytes)
        if reading_key(path, data) != key:      # changed since the build looked at it
            return False
        reading = read(path, data, max_bytes)
    except Exception:  # noqa: BLE001 - read again in order by discover.py, which reports it
        return False
    Store(cache).put("reading", key, pickle.dumps(reading, protocol=pickle.HIGHEST_PROTOCOL))
    return True
