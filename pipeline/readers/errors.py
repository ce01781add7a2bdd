"""The one error a reader raises (re-exported by pipeline.readers). A module of its own so the
size limits (readers/limits.py), which the readers' entry point calls, need not import that
entry point back: no import cycle."""

from __future__ import annotations


class ReadError(Exception):
    """The file cannot be read as its format: the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str = "", line: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line
