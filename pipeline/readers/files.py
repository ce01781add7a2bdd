"""Reading a file's bytes defensively: size limits, non-regular files, unreadable files and
links that lead outside inputs/ are problems for the user, never crashes. Used for source
files (discover.py) and for every YAML file under inputs/ (pipeline/inputs/yamlmap.py)."""

from __future__ import annotations

import stat
from pathlib import Path

from pipeline.errors import InputError

_UNREADABLE = "make the file readable by the user running the build (or remove it)"

def read_bytes(path: Path, max_bytes: int,
               too_big: str = "split it, or raise max_source_mb in inputs/briefing.yaml") -> bytes:
    """A regular file's bytes, within a size limit; anything else is a user error."""
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError.at(path, None, f"cannot read file: {exc.strerror}", _UNREADABLE) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError.at(path, None, "is not a regular file (a folder, pipe or device)",
                            "replace it with a plain UTF-8 text file")
    size = info.st_size
    if size > max_bytes:
        mb = 1024 * 1024
        raise InputError.at(path, None, f"file is {size / mb:.1f} MB, over the "
                            f"{max_bytes / mb:g} MB limit", too_big)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError.at(path, None, f"cannot read file: {exc.strerror}", _UNREADABLE) from None


def safe_file(path: Path, root: Path) -> None:
    """Refuse symlinks that lead outside inputs/: sources are data we own, not pointers."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise InputError.at(path, None, f"is a link to {resolved}, outside inputs/",
                            "copy the file into inputs/ instead of linking to it")
