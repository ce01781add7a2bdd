"""Readers: the only place that knows file formats.

One small module per format (Pelican's readers.py is the model), chosen by the file's
extension, each turning a file's bytes into one `Reading`: the normalised text that passages,
notes and every offset index into (published as output/sources/<source_id>.txt), the metadata
the file itself carries, and hints about what kind of passage each stretch is. A reader is
imported only when a file of its format is present, so a folder of .txt sources never loads
trafilatura or pdfplumber.

The normalised text follows the plain-text convention ingest expects: the title on the first
line when the file names one (`Reading.titled`), then one paragraph per line, blank lines
between blocks. A reader never promotes a paragraph to a title: a file whose markup gives no
title starts with its first paragraph, and ingest decides as it does for plain text.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.readers.errors import ReadError
from pipeline.vocab import Format

# extension -> reader module (under pipeline.readers); the formats accepted, in the order named
READERS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".mhtml": "mhtml",
    ".mht": "mhtml",
    ".eml": "mail",
}
FORMAT_NAMES = {".txt": Format.TXT, ".md": Format.MD, ".markdown": Format.MD, ".html": Format.HTML,
                ".htm": Format.HTML, ".pdf": Format.PDF, ".docx": Format.DOCX, ".mhtml": Format.MHTML,
                ".mht": Format.MHTML, ".eml": Format.EML}
# The formats a user can drop in, as a person lists them: each format's first suffix.
SUFFIXES_IN_WORDS = ", ".join({fmt: suffix for suffix, fmt in reversed(FORMAT_NAMES.items())}[fmt]
                              for fmt in dict.fromkeys(FORMAT_NAMES.values()))
HINT_KINDS = ("heading", "comment", "reference", "boilerplate")
# How a reader writes a table row: its cells, in order, set apart by this; the plan-term
# extractor reads a run of such rows as a table whose first row heads the columns.
TABLE_CELL = " | "
# Characters a browser or PDF viewer does not show, so a quote copied from the screen lacks them:
# soft hyphens, zero-width spaces and joiners, byte-order marks; and ligatures a PDF stores as one
# glyph (a viewer's copy gives the letters).
INVISIBLE = str.maketrans({"\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None,
                           "\u2060": None, "\ufeff": None, "\ufb00": "ff", "\ufb01": "fi",
                           "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})



@dataclass(frozen=True)
class Hint:
    """A stretch of the normalised text whose passage kind the format itself tells: a heading
    (<h2>, `## `, a larger font), reader comments, footnotes, page trailers."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Reading:
    text: str
    format: str                          # txt, md, html, pdf, docx, mhtml, eml
    extractor: str                       # what produced the text, with its version
    meta: dict[str, str] = field(default_factory=dict)   # title, author, outlet, published, url
    hints: tuple[Hint, ...] = ()
    structured: bool = False             # headings come from the format, not from guessing
    dropped_chars: int = 0               # characters of page furniture left out of the text
    notes: tuple[str, ...] = ()          # how metadata was found ("date from the page's metadata")
    lost: tuple[str, ...] = ()           # text the reader could not place (a broken page): warnings
    # True: the reader put the title it found in the file's markup on the first line; None:
    # plain text, ingest decides whether the first line is a title (s1_ingest.title_line).
    titled: bool | None = None


def accepted() -> str:
    return ", ".join(dict.fromkeys(READERS))


def reader_for(path: Path) -> str | None:
    return READERS.get(path.suffix.lower())


def read(path: Path, data: bytes, max_bytes: int | None = None) -> Reading:
    """The file's Reading, by its extension; ReadError when the format is unknown or broken,
    or when it expands past `max_bytes` (checked before it is inflated: readers/limits.py)."""
    from pipeline.readers import limits

    max_bytes = max_bytes or limits.DEFAULT_MAX_BYTES
    name = reader_for(path)
    if name is None:
        what = f"'{path.suffix}' files" if path.suffix else "files without an extension"
        raise ReadError(f"{what} cannot be read as a source",
                        f"save it as one of: {accepted()}")
    module = importlib.import_module(f"pipeline.readers.{name}")
    if name == "docx":
        limits.check_zip(data, max_bytes)
    reading = module.read(path, data, max_bytes) if name == "pdf" else module.read(path, data)
    limits.check_text(reading.text, max_bytes)
    return reading


def version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _v

    try:
        return f"{dist} {_v(dist)}"
    except PackageNotFoundError:  # pragma: no cover - installed with the project
        return dist


def join_blocks(blocks: list[tuple[str, str]], title: str = "") -> tuple[str, tuple[Hint, ...]]:
    """(kind, text) blocks -> normalised text and hints. Each block becomes one line (inner
    whitespace collapsed), blocks are separated by a blank line, a `comment` run by three
    (ingest's comment gap) so a text read back without hints still looks the same."""
    parts: list[str] = []
    hints: list[Hint] = []
    pos = 0
    first = True
    prev_kind = ""
    if title:
        title = " ".join(title.split())
        parts.append(title)
        pos = len(title)
        first = False
    for kind, raw in blocks:
        text = " ".join(raw.translate(INVISIBLE).split())
        if not text:
            continue
        if not first:
            sep = "\n\n\n\n" if kind == "comment" and prev_kind != "comment" else "\n\n"
            parts.append(sep)
            pos += len(sep)
        first = False
        parts.append(text)
        if kind != "body":
            hints.append(Hint(pos, pos + len(text), kind))
        pos += len(text)
        prev_kind = kind
    return "".join(parts) + "\n", tuple(hints)
