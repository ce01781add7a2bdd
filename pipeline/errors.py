"""One exception family for bad input, so the CLI can turn all of it into exit 2.

Anything the user can fix by editing `inputs/` raises `InputError`; everything else is a bug
and keeps its traceback (exit 1).
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, located as precisely as we can."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class InputError(Exception):
    """Bad input: carries every problem found, not just the first (MkDocs-style)."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: Path | str, line: int | None, message: str, hint: str = "") -> InputError:
        return cls(Problem(display_path(path), line, message, hint))


class BuildLocked(Exception):
    """Another build holds the lock: an operational condition (exit 75), neither bad input
    nor a bug; the message says how long it waited and what to do."""

    def __init__(self, problem: Problem):
        self.problems = [problem]
        super().__init__(str(problem))

    @classmethod
    def at(cls, path: Path | str, line: int | None, message: str, hint: str = "") -> BuildLocked:
        return cls(Problem(display_path(path), line, message, hint))


class EngineBug(Exception):
    """The engine's own rows broke a table's rules (colliding ids, a schema check): a bug in the
    pipeline (exit 1), never reported as bad input. Names the table and the sources involved."""

    def __init__(self, table: str, sources: list[str], details: list[str]):
        self.table, self.sources, self.details = table, sources, details
        where = ", ".join(sources) if sources else "no single source"
        super().__init__(
            f"bug in the pipeline: machine rows of {table}.csv broke its schema "
            f"(source: {where}); inputs/ are not at fault, please report this\n"
            + "\n".join(f"    {d}" for d in details))


# What the machine refused, and what the person running the build can do about it. Any other
# OSError is the pipeline's own fault (exit 1).
ENVIRONMENT_FIXES = {
    errno.ENOSPC: "free some space on the disk that holds it (df -h shows how full it is), then build again",
    errno.EDQUOT: "free some space within your disk quota (or ask for a larger one), then build again",
    errno.EACCES: "give the user running the build write (and read) permission on it, or run the build "
                  "as its owner (ls -ld shows who that is)",
    errno.EPERM: "give the user running the build permission on it, or run the build as its owner",
    errno.EROFS: "the file system is mounted read-only: build in a writable copy of the project",
    errno.ENAMETOOLONG: "shorten the name: the file system allows 255 bytes per file name",
    errno.EMFILE: "raise the limit on open files (ulimit -n), then build again",
    errno.ENFILE: "the system has too many open files: close some programs, then build again",
    errno.EIO: "the disk reported an input/output error: check it (dmesg), then build again",
}


class EnvironmentFault(Exception):
    """The machine refused what the build needed (disk full, no permission, a name too long for
    the file system): exit 74, with the path and the fix. Neither bad input nor a bug."""

    def __init__(self, problem: Problem):
        self.problems = [problem]
        super().__init__(str(problem))

    @classmethod
    def at(cls, path: Path | str, message: str, hint: str) -> EnvironmentFault:
        return cls(Problem(display_path(path), None, message, hint))

    @classmethod
    def of(cls, exc: BaseException) -> EnvironmentFault | None:
        """The fault an OSError stands for, or None when it is not the environment's."""
        if not isinstance(exc, OSError) or exc.errno not in ENVIRONMENT_FIXES:
            return None
        where = _name(exc.filename) if exc.filename is not None else "(a file the build writes)"
        if exc.filename2 is not None:
            where = f"{where} -> {_name(exc.filename2)}"
        return cls(Problem(where, None, exc.strerror or os.strerror(exc.errno), ENVIRONMENT_FIXES[exc.errno]))


def _name(name: object) -> str:
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    return display_path(name) if isinstance(name, str | Path) else str(name)


# Characters of a file name that would rearrange or hide the text around it where it is shown
# (bidirectional overrides and isolates, which reverse a line in a browser or terminal; control
# characters): shown as \uXXXX escapes instead.
_UNSAFE_IN_NAMES = re.compile("[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_name(name: str) -> str:
    """A file name as it may be shown (log, appendix, tables): bidi and control characters
    escaped, so 'report\u202etxt.exe' cannot pass for another name."""
    return _UNSAFE_IN_NAMES.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


def display_path(path: Path | str) -> str:
    """Paths in messages are relative to the working directory when possible, for copy-paste.

    Links are not followed: a message about `inputs/x.yaml -> /elsewhere` names inputs/x.yaml.
    """
    p = Path(os.path.abspath(path))
    cwd = Path.cwd()
    for base in (cwd, cwd.resolve()):
        try:
            return safe_name(str(p.relative_to(base)))
        except ValueError:
            continue
    return safe_name(str(p))
