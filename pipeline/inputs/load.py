"""Loading inputs/: every file read, validated and cross-checked, every problem collected and
raised together as one InputError, so that one `make check` shows everything to fix."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, Problem, display_path
from pipeline.inputs.files import outside_links
from pipeline.inputs.lexicon import ENGINE_ENTRY
from pipeline.inputs.lexicon import complete as complete_lexicon
from pipeline.inputs.problems import validate
from pipeline.inputs.refs import check_references, unknown_annotation
from pipeline.inputs.schema import (
    Actor,
    Annotation,
    Briefing,
    Codebook,
    Inputs,
    Lexicon,
    Place,
    Plan,
    Provision,
    Question,
)
from pipeline.inputs.sources import load_sources
from pipeline.inputs.yamlmap import Loaded, read_yaml


def load_yaml_model(path: Path, model: Any) -> Loaded:
    data, lines = read_yaml(path)
    return validate(path, model, data, lines)


CODEBOOK_FILES = {
    "actors": list[Actor],
    "places": list[Place],
    "plans": list[Plan],
    "provisions": list[Provision],
    "questions": list[Question],
    "lexicon": Lexicon,
}


def load_inputs(root: Path, cache: Path | None = None) -> Inputs:
    """Read and validate every input file; raise one InputError listing every problem.
    `cache` holds readings of web pages and PDFs between builds (pipeline/readers/discover.py)."""
    problems: list[Problem] = []
    warnings: list[str] = []
    root = Path(root)
    if not root.is_dir():
        raise InputError.at(root, None, "missing folder", "run from the project root, or pass --root")
    links = outside_links(root)
    if links:
        raise InputError(links)

    def attempt(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except InputError as exc:
            problems.extend(exc.problems)
            return None

    briefing_path = root / "briefing.yaml"
    if briefing_path.exists():
        briefing = attempt(load_yaml_model, briefing_path, Briefing)
    else:
        problems.append(Problem(display_path(briefing_path), None, "missing",
                                "create it with at least `title:` and `date:` (see README), or run "
                                f"`briefing init {display_path(root.parent)}` to start a project around "
                                "the sources already there"))
        briefing = None
    max_bytes = int((briefing.model.max_source_mb if briefing else 20) * 1024 * 1024)
    sources, source_ids = load_sources(root, max_bytes, problems, warnings, cache)

    books: dict[str, Loaded] = {}
    broken: set[str] = set()           # codebook files that failed: no "unknown id" noise from them
    engine_words: str | None = None     # the engine lexicon's hash, when the project's takes from it
    for name, model in CODEBOOK_FILES.items():
        path = root / "codebook" / f"{name}.yaml"
        if not path.exists() and name != "lexicon":
            books[name] = Loaded(path, [], {})
            warnings.append(f"{display_path(path)}: missing; using an empty {name} list")
            continue
        loaded = attempt(load_yaml_model, path, model) if path.exists() else None
        if loaded is None and path.exists():
            broken.add(name)
            books[name] = Loaded(path, Lexicon() if name == "lexicon" else [], {})
        elif name == "lexicon":     # keys the project's file leaves out: the engine's (inputs/lexicon.py)
            books[name], notes, engine_words = complete_lexicon(loaded, path)
            warnings.extend(notes)
        else:
            books[name] = loaded

    annotations: dict[str, Loaded[Annotation]] = {}
    ann_dir = root / "annotations"
    # `source_ids`: every source that exists, loaded or not: a broken source is reported once,
    # not again as "unknown" by every file that refers to it.
    if ann_dir.is_dir():
        for path in sorted(ann_dir.glob("*.yaml")):
            unknown = unknown_annotation(path, source_ids)
            if unknown is not None:
                problems.append(unknown)
                continue
            loaded = attempt(load_yaml_model, path, Annotation)
            if loaded:
                annotations[path.stem] = loaded

    codebook = Codebook(**books)
    problems.extend(check_references(briefing, codebook, annotations, source_ids, broken))
    if problems:
        raise InputError(problems)

    hashes = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        hashes[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    if engine_words:
        hashes[ENGINE_ENTRY] = engine_words
    return Inputs(root, briefing, sources, codebook, annotations, hashes, warnings)
