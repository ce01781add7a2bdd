"""One way to write a cache file that two builds running at once can share.

Each writer gets its own temporary name beside the target (never a fixed `.tmp`, which two
builds would write and rename under each other), then renames it into place atomically: a
reader sees the old entry, the new one or none, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a unique temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def mtime_or_zero(path: Path) -> float:
    """A file's modification time, or 0 if another build removed it meanwhile."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
