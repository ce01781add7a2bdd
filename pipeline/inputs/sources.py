"""The sources: each file the readers found and read (pipeline/readers/discover.py), with
its sidecar validated and laid over the metadata the file itself carries."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.errors import InputError, Problem, display_path
from pipeline.inputs.problems import validate
from pipeline.inputs.schema import Sidecar, Source, check_partial_date
from pipeline.inputs.yamlmap import read_yaml
from pipeline.readers import Reading
from pipeline.readers.discover import find_sources, with_date_line

META_FIELDS = ("title", "author", "outlet", "published", "url")


def merge_sidecar(reading: Reading, sidecar: Sidecar) -> tuple[Sidecar, list[str]]:
    """The sidecar over the file's own metadata, field by field: what the sidecar sets wins,
    the rest comes from the page. Returns the fields taken from the file."""
    given = sidecar.model_fields_set
    taken: dict[str, str] = {}
    for name in META_FIELDS:
        value = reading.meta.get(name, "")
        if name in given or not value:
            continue
        if name == "published":
            try:
                check_partial_date(value)
            except ValueError:
                continue
        taken[name] = value
    if not taken:
        return sidecar, []
    values = sidecar.model_dump(exclude_unset=True)
    if "published" in taken and "published_note" not in given:
        values["published_note"] = "; ".join(reading.notes) or "from the file's own metadata"
    return Sidecar(**{**taken, **values}), sorted(taken)


def load_sources(root: Path, max_bytes: int, problems: list[Problem], warnings: list[str],
                 cache: Path | None = None) -> tuple[list[Source], set[str]]:
    """Every source in inputs/sources/, and every id in use (broken sources included, so
    other files that refer to them are not reported again)."""
    sources: list[Source] = []
    ids: set[str] = set()
    for found in find_sources(root, max_bytes, problems, warnings, ids, cache):
        entry, sid, reading, side_path = found.path, found.id, found.reading, found.sidecar
        try:
            if side_path is not None:
                data, lines = read_yaml(side_path)
                sidecar = validate(side_path, Sidecar, data, lines).model
            else:
                sidecar = Sidecar()
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if "published" not in sidecar.model_fields_set:   # the sidecar's date wins: no need to look
            reading = with_date_line(reading)
        sidecar, from_file = merge_sidecar(reading, sidecar)
        if sid != entry.stem:
            warnings.append(f"{display_path(entry)}: builds as source '{sid}' (annotations go in "
                            f"inputs/annotations/{sid}.yaml)")
        if side_path is None:
            warnings.append(_no_sidecar_warning(entry, sid, from_file))
        if reading.meta.get("undated") and not sidecar.published:
            warnings.append(f"{display_path(entry)}: {reading.meta['undated']} (set `published` in "
                            f"{sid}.yaml)")
        sources.append(Source(sid, entry, reading.text, sidecar, side_path is not None,
                              hashlib.sha256(reading.text.encode()).hexdigest(),
                              reading=reading, metadata_from=tuple(from_file)))
    return sorted(sources, key=lambda s: s.id), ids


def _no_sidecar_warning(entry: Path, sid: str, from_file: list[str]) -> str:
    got = f"{', '.join(from_file)} from the file" if from_file else ""
    missing = []
    if "title" not in from_file:
        missing.append("title from first line")
    if "published" not in from_file:
        missing.append("publication date unknown")
    parts = [p for p in [got, *missing] if p]
    return f"{display_path(entry)}: no sidecar {sid}.yaml: {', '.join(parts)}, kind 'other'"
