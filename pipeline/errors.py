"""One exception family for bad input, so the CLI can turn all of it into exit 2.

Anything the user can fix by editing `inputs/` raises `InputError`; everything else is a bug
and keeps its traceback (exit 1).
"""

from __future__ import annotations

import os
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


class BuildLocked(InputError):
    """Another build holds the lock: an operational condition, reported like bad input."""


def display_path(path: Path | str) -> str:
    """Paths in messages are relative to the working directory when possible, for copy-paste.

    Links are not followed: a message about `inputs/x.yaml -> /elsewhere` names inputs/x.yaml.
    """
    p = Path(os.path.abspath(path))
    cwd = Path.cwd()
    for base in (cwd, cwd.resolve()):
        try:
            return str(p.relative_to(base))
        except ValueError:
            continue
    return str(p)
