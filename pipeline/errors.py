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
