"""Source discovery: which files in inputs/sources/ are sources, under which id, read how.

This module knows file names and formats, never the input schemas: it yields each source's
id, file, Reading and sidecar file, and pipeline/inputs/sources.py validates the sidecar and
makes the `Source` (so the readers never import pipeline.inputs: no import cycle).

Every entry is accounted for: a file in a format a reader knows is read, a sidecar is paired
with its source, anything else stops the build naming the file and the formats accepted.
A file name a person would save ("Oslo Followup.txt", "Kyiv & Minsk – Notes.md") builds under
an id derived from it, shown in the log and the appendix; a name from which no id can be
derived, or two names that derive the same id, fail with the id to rename to.

Readings of the slower formats (HTML, PDF, DOCX) are cached by the file's bytes and the
readers' code, so a rebuild does not run trafilatura or pdfplumber again.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.cache import Store
from pipeline.errors import InputError, Problem, display_path, safe_name
from pipeline.readers import SUFFIXES_IN_WORDS, ReadError, Reading, accepted, read, reader_for
from pipeline.readers.ahead import read_ahead, reading_key
from pipeline.readers.files import read_bytes, safe_file
from pipeline.readers.limits import check_text
from pipeline.vocab import Format

# The id rule of every input: a source's id is also a file name (output/sources/<id>.txt), and
# the codebook's ids follow the same rule (pipeline/inputs/schema.py).
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SIDECAR_SUFFIXES = (".yaml",)
MAX_ID = 60


@dataclass(frozen=True)
class Found:
    """One source file, read: its id, the Reading, and its sidecar file if it has one."""

    id: str
    path: Path
    reading: Reading
    sidecar: Path | None


def derive_id(stem: str) -> str:
    """A source id from a file name: accents folded, '&' as 'and', anything else between
    letters and digits as one '-' ('Kyiv & Minsk – Notes' -> 'kyiv-and-minsk-notes')."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(c))
    folded = folded.replace("ß", "ss").replace("&", " and ").lower()
    sid = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(sid) > MAX_ID:
        sid = sid[:MAX_ID].rsplit("-", 1)[0] or sid[:MAX_ID]
    return sid


def _kept(path: Path) -> bool:
    """Whether a file's reading is kept in the cache: not for plain text (reading it costs less
    than the cache would), nor for a file no reader takes."""
    return reader_for(path) not in ("text", None)


def _read_cached(path: Path, data: bytes, cache: Path | None, used: set[str], max_bytes: int) -> Reading:
    if cache is None or not _kept(path):
        return read(path, data, max_bytes)
    key = reading_key(path, data)
    used.add(key)
    store = Store(cache)
    entry = store.get("reading", key)
    if entry is not None:
        try:
            cached = pickle.loads(entry)
            check_text(cached.text, max_bytes)     # read under a higher max_source_mb
            return cached
        except (pickle.PickleError, EOFError, AttributeError, ImportError):
            pass
    reading = read(path, data, max_bytes)
    store.put("reading", key, pickle.dumps(reading, protocol=pickle.HIGHEST_PROTOCOL))
    return reading


def _read_ahead(entries: list[Path], root: Path, max_bytes: int, cache: Path) -> None:
    """The readings of slow formats the cache lacks, made on every core (readers/ahead.py)
    before the pass below reads the files in order. Only files that pass the checks the pass
    makes before reading (inside the project, within the size limit) are read ahead."""
    store = Store(cache)
    todo: list[tuple[Path, str]] = []
    for entry in entries:
        if entry.suffix.lower() in SIDECAR_SUFFIXES or not _kept(entry) or entry.is_dir():
            continue
        try:
            safe_file(entry, root)
            data = read_bytes(entry, max_bytes)
        except InputError:
            continue          # the pass below reports it
        key = reading_key(entry, data)
        where = store.path("reading", key)
        if where is not None and not where.exists():
            todo.append((entry, key))
    read_ahead(todo, cache, max_bytes)


def _exists(path: Path) -> bool:
    """A sidecar beside a source whose name is near the file system's 255-byte limit has a name
    too long to exist (ENAMETOOLONG): it is not there, the source builds without it."""
    try:
        return path.exists()
    except OSError:
        return False


def with_date_line(reading: Reading) -> Reading:
    """A text, Markdown or Word file that names no date of its own may carry one on a date line
    under its title (readers/dateline.py); a sidecar's `published` still wins. (A Word file's
    created and modified properties are when the file was written, never read as a date.)"""
    if reading.format not in (Format.TXT, Format.MD, Format.DOCX) or reading.meta.get("published"):
        return reading
    from pipeline.readers.dateline import date_line, line_note, with_hint

    found = date_line(reading.text)
    if found is None:
        return reading
    iso, line = found
    return replace(reading, meta={**reading.meta, "published": iso}, notes=(*reading.notes, line_note(line)),
                   hints=with_hint(reading.hints, reading.text, line))


def find_sources(root: Path, max_bytes: int, problems: list[Problem], warnings: list[str],
                 ids: set[str], cache: Path | None = None) -> Iterator[Found]:
    """Every source file in inputs/sources/, read, one at a time: the caller adds its sidecar
    before the next is read, so problems and warnings keep the files' order. `ids` collects
    every id in use (broken sources included, so other files that refer to them are not
    reported again); a problem the caller adds while a file is yielded stops the pruning of
    the cache, like one found here."""
    folder = root / "sources"
    if not folder.is_dir():
        problems.append(Problem(display_path(folder), None, "missing folder",
                                "create inputs/sources/ and put at least one source in it "
                                f"({accepted()})"))
        return
    # Files already named as an id first: a copy saved as "Harbour Talks.txt" never takes the id
    # of harbour-talks.txt beside it.
    # Hidden files (a leading '.') are not sources: editors' swap files, .DS_Store, ._ copies
    # macOS leaves on shared drives, .gitkeep. They are skipped, never silently: the log and
    # each build's warnings name them, so a source saved as '.notes.txt' is found.
    everything = sorted(folder.iterdir())
    hidden = [e.name for e in everything if e.name.startswith(".")]
    if hidden:
        shown = ", ".join(safe_name(n) for n in hidden[:5])
        shown += f" and {len(hidden) - 5} more" if len(hidden) > 5 else ""
        warnings.append(f"{display_path(folder)}: skipped {len(hidden)} hidden file{'s' if len(hidden) != 1 else ''} "
                        f"(names starting with '.' are never sources): {shown}; rename one without the "
                        "leading '.' to build it")
    from pipeline.starter import is_note

    # A README (the starter project's note on what to drop here) is a note, not a source.
    entries = sorted((e for e in everything if not e.name.startswith(".") and not is_note(e)),
                     key=lambda e: (not ID_RE.match(e.stem), e.name))
    stems_with_text = {e.stem for e in entries if e.suffix.lower() not in SIDECAR_SUFFIXES}
    if cache is not None:
        _read_ahead(entries, root, max_bytes, cache)
    first_file: dict[str, Path] = {}
    used: set[str] = set()           # cache entries this build read
    found = 0
    for entry in entries:
        suffix = entry.suffix.lower()
        if suffix in SIDECAR_SUFFIXES:
            if entry.stem not in stems_with_text and not any(derive_id(s) == entry.stem for s in stems_with_text):
                problems.append(Problem(display_path(entry), None, "sidecar without a source text",
                                        f"add the source beside it ({entry.stem} with one of {SUFFIXES_IN_WORDS}), "
                                        "or remove it"))
            continue
        if entry.is_dir() and not entry.is_symlink() and reader_for(entry) is None:
            warnings.append(f"{display_path(entry)}: folder ignored (sources are the files directly in "
                            "inputs/sources/)")
            continue
        # an id is also a file name (output/sources/<id>.txt, review/<id>.yaml): a long one is
        # shortened like any other name that is not an id
        sid = entry.stem if ID_RE.match(entry.stem) and len(entry.stem) <= MAX_ID else derive_id(entry.stem)
        try:
            if reader_for(entry) is None:
                hint = ("a sidecar's name ends in .yaml: rename it" if suffix == ".yml"
                        else f"save it as one of: {accepted()}")
                what = f"'{entry.suffix}' files" if entry.suffix else "a file without an extension"
                raise InputError.at(entry, None, f"{what} cannot be read as a source", hint)
            if not sid or not ID_RE.match(sid):
                raise InputError.at(entry, None, f"no source id can be made from the name '{entry.stem}'",
                                    "rename the file using letters, digits and '-' "
                                    f"(for example 'source-{len(first_file) + 1}{suffix}')")
            if sid in first_file:
                raise InputError.at(entry, None, f"source id '{sid}' is already used by "
                                    f"{display_path(first_file[sid])}",
                                    f"rename one of them (for example to '{sid}-2{suffix}')")
            first_file[sid] = entry
            ids.add(sid)
            safe_file(entry, root)
            data = read_bytes(entry, max_bytes)
            try:
                reading = _read_cached(entry, data, cache, used, max_bytes)
            except ReadError as exc:
                raise InputError.at(entry, exc.line, exc.message, exc.hint) from None
            if not reading.text.strip():
                raise InputError.at(entry, None, "source is empty", "put the article's text in it or remove it")
            warnings.extend(f"{display_path(entry)}: {what}" for what in reading.lost)
            side_path = next((p for p in (folder / f"{entry.stem}.yaml", folder / f"{sid}.yaml")
                              if _exists(p)), None)
            if side_path is not None:
                safe_file(side_path, root)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        found += 1
        yield Found(sid, entry, reading, side_path)
    if not found and not problems:
        problems.append(Problem(display_path(folder), None, "no sources found",
                                f"add at least one source file ({accepted()})"))
    if cache is not None and not problems:
        # readings of files no longer in inputs/sources/ (or read by older reader code) go
        store = Store(cache)
        store.used["reading"] = used
        store.prune("reading")


# The two per-source warnings a folder of plain files raises for every file; past a few they
# are one line each, so that the warnings that matter are seen. The build log keeps every one.
_NO_SIDECAR = ": no sidecar "
_DERIVED = ": builds as source '"


def summarise_warnings(warnings: list[str], keep: int = 3) -> list[str]:
    """`warnings` for the console: more than `keep` no-sidecar (or derived-id) warnings become
    one line with their count and the first few files; every other warning stays as it is."""
    groups: dict[str, list[str]] = {_NO_SIDECAR: [], _DERIVED: []}
    out: list[str] = []
    for w in warnings:
        marker = next((m for m in groups if m in w), None)
        (groups[marker] if marker else out).append(w)
    for marker, items in groups.items():
        if len(items) <= keep:
            out.extend(items)
            continue
        names = [w.split(marker, 1)[0].rsplit("/", 1)[-1] for w in items]
        listed = ", ".join(names[:keep]) + f" and {len(names) - keep} more"
        if marker == _NO_SIDECAR:
            out.append(f"{len(items)} sources have no sidecar ({listed}): title from the file or its first "
                       "line, date from the file or unknown, kind 'other'; add <source_id>.yaml beside a "
                       "source to set them (every file is named in output/logs/)")
        else:
            out.append(f"{len(items)} file names are not source ids and build under ids derived from them "
                       f"({listed}); annotations use the derived ids, shown in the appendix and in "
                       "output/logs/")
    return out
