"""build(): the whole pipeline, in order, as one readable function.

inputs → ingest → extract → review/merge → tables → contrast → pack → render → publish.
Expensive stages are cached in `.cache/` by a hash of their inputs and code, so a changed
annotation reruns review onwards while extraction and unchanged renders are reused.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import logging
import pickle
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.cache import Memo, Store, code_key, digest, function_key, save_memo
from pipeline.tables.schema import CONTRACT_TABLES, EXTRA_TABLES, Tables

log = logging.getLogger("pipeline")

PDF_VARIANT = "pdf/a-3b"
SIDES_KEPT = 3       # the last builds' sides kept in the cache (a re-issue compares with an older one)


@dataclass
class BuildResult:
    status: str                      # "built" or "checked"
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0


class Stages:
    """Times each stage and caches the expensive ones in the build's content-addressed store
    (pipeline/cache.py): a result's key is the stage's inputs, as the caller hashes them, and the
    code of the stage function's module with everything it imports."""

    def __init__(self, store: Store, progress: Callable[[str], None]):
        self.store = store
        self.cache = store.folder
        self.progress = progress
        self.seconds: dict[str, float] = {}

    def run(self, name: str, fn: Callable[..., Any], *args: Any, key: str | None = None) -> Any:
        def now(*a: Any) -> Callable[[], Any]:
            result = fn(*a)
            return lambda: result
        return self.start(name, now, *args, key=key, code=fn)()

    def start(self, name: str, fn: Callable[..., Callable[[], Any]], *args: Any,
              key: str | None = None, code: Callable[..., Any] | None = None) -> Callable[[], Any]:
        """run() in two halves, for a stage that works in another process: `fn` starts it and
        returns a function that waits for the result, so the build can do something meanwhile."""
        t0 = time.perf_counter()
        full = _hash(name, key, function_key(code or fn)) if (self.cache and key) else None
        data = self.store.get("stage", full) if full else None
        if data is not None:
            try:
                result = pickle.loads(data)
                self.seconds[name] = time.perf_counter() - t0
                self.progress(f"{name}: cached ({self.seconds[name]:.2f} s)")
                return lambda: result
            except Exception:  # noqa: BLE001 - a corrupt cache entry is simply recomputed
                pass
        wait = fn(*args)

        def finish() -> Any:
            result = wait()
            if full:
                self.store.put("stage", full, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
                self.store.prune("stage", keep=8)
            self.seconds[name] = time.perf_counter() - t0
            self.progress(f"{name}: {self.seconds[name]:.2f} s")
            return result
        return finish


def _hash(*parts: Any) -> str:
    return digest(*parts)[:16]


def build(root: Path, out: Path | None = None, *, check_only: bool = False,
          progress: Callable[[str], None] | None = None, use_cache: bool = True,
          host: Any = None) -> BuildResult:
    """Build output/ from inputs/; with check_only, stop after validating everything.

    `host` is a started RenderHost (the CLI starts one before importing this module); without
    one, the build starts its own, first thing, so WeasyPrint loads while the tables are built."""
    from pipeline.render.stage import RenderHost

    try:
        # `held`: what the build holds until it ends (the per-source workers, which write the
        # worksheets' YAML while the briefing is packed and laid out)
        with full_collections_between_stages(), contextlib.ExitStack() as held:
            if host is not None or check_only:
                return _build(root, out, check_only=check_only, progress=progress, use_cache=use_cache,
                              host=host, held=held)
            from pipeline.starter import templates_dir

            with RenderHost(templates_dir(Path(root))) as own:
                return _build(root, out, check_only=check_only, progress=progress, use_cache=use_cache,
                              host=own, held=held)
    finally:
        save_memo()


def _build(root: Path, out: Path | None, *, check_only: bool, progress: Callable[[str], None] | None,
           use_cache: bool, host: Any, held: contextlib.ExitStack) -> BuildResult:
    from pipeline import corpus, per_source
    from pipeline.contrast import contrast, part_jobs, source_parts
    from pipeline.inputs import load_inputs
    from pipeline.review import review
    from pipeline.tables import build_tables

    t0 = time.perf_counter()
    root = Path(root)
    out = Path(out) if out else root / "output"
    say = progress or (lambda _msg: None)
    if not check_only:     # a read-only output/ is refused before any work, not after it
        from pipeline.publish import check_writable

        check_writable(out)
    store = Store(root / ".cache" if use_cache else None)
    stages = Stages(store, say)
    inputs = stages.run("load", load_inputs, root / "inputs", stages.cache / "readers" if stages.cache else None)
    from pipeline.readers.discover import summarise_warnings

    for warning in summarise_warnings(inputs.warnings):   # the log file keeps each one
        log.warning(warning)
    codebook_key = _hash({k: v for k, v in inputs.file_hashes.items() if k.startswith("codebook/")})

    # Per source, cached per source and run on every core (pipeline/per_source.py); the corpus-
    # wide steps (copies, actor naming, the surname pass) on the joined results (pipeline/corpus.py).
    runner = held.enter_context(per_source.Runner(inputs.codebook))
    (sources, passages, sentences), prepared = stages.run(
        "ingest", corpus.ingest, inputs.sources, runner, codebook_key, store, say)
    # Each source's evidence and words for the war (contrast) read its passages alone: set
    # going on the workers now, they are done while extract and review work in this process.
    memo = Memo(store, "contrast", function_key(contrast))
    parts = memo.start_many(part_jobs(inputs.codebook, sources, passages),
                            functools.partial(runner.submit, source_parts))
    machine = stages.run("extract", corpus.extract, prepared, sentences, runner, codebook_key,
                         store, say)
    del prepared
    merged = stages.run("review", review, inputs, passages, sentences, machine,
                        PreviousItems(out / "review"))
    # Each frame goes as soon as no later stage reads it (at 2,000 sources the sentences were
    # 82 MB, the machine's rows 70 MB and the merge 100 MB, all held until after contrast).
    del sentences, machine
    release_memory()
    tables = stages.run("tables", build_tables, inputs, sources, passages, merged)
    if not check_only:
        # The worksheets' items are in these tables: made on a worker, on the core the build
        # leaves idle while it contrasts, compares and packs (under Dask, here when they are
        # waited for: their text is this machine's libyaml's).
        from pipeline.publish.worksheets import start_worksheets
        from pipeline.render.stage import scratch_folder

        sheets_written = stages.run("worksheets", start_worksheets, inputs, tables, store,
                                    functools.partial(runner.submit, here=True), scratch_folder(held))
    positions = merged.positions
    # the passages table is the same frame as `passages` (a copy, same columns in the same order)
    del sources, passages, merged
    release_memory()
    tables = stages.run("contrast", contrast, inputs, tables, positions, tables["passages"], parts)
    memo.save()
    del memo, positions, parts      # the parts are in the tables now
    release_memory()
    counts = {name: len(tables[name]) for name in CONTRACT_TABLES}
    if check_only:
        _check_schemas(tables)
        return BuildResult("checked", time.perf_counter() - t0, counts, stages.seconds, inputs.warnings)

    from pipeline.pack import pack
    from pipeline.pack.changes import changes_frame, compare, find_baseline, recorded_builds, side
    from pipeline.publish import Staging, build_lock
    from pipeline.publish.csv_text import csv_bytes
    from pipeline.render.stage import LATER, html_twin, render_html, start_pdf
    from pipeline.starter import templates_dir

    build_id = _hash(inputs.file_hashes, code_key("pipeline.build", "pipeline.__main__"))[:12]
    # Each file of the new build is written beside output/ as soon as it is made (publish.py's
    # Staging): at 5,000 sources a dict of every file's bytes made the build's peak.
    with build_lock(root, inputs.briefing.model.lock_timeout), Staging(out) as staging:
        previous_manifest = _read_json(out / "manifest.json")
        recorded_inputs = {f"inputs/{k}": v for k, v in sorted(inputs.file_hashes.items())}
        # What the next build compares with: this build's side (pipeline/pack/changes.py), kept
        # in the cache under the PDF it is published with, whose manifest the next build reads.
        ours = side(tables)
        if previous_manifest.get("build_id") == build_id and (out / "changes.json").exists():
            changes = _read_json(out / "changes.json")   # same inputs: same comparison, same PDF
        else:   # against the last published briefing (pipeline/pack/changes.py says which that is)
            found = find_baseline(out, recorded_inputs)
            changes = compare(_side_of(found, store) if found else None, ours, found[0] if found else None)
        side_data = pickle.dumps(ours, protocol=pickle.HIGHEST_PROTOCOL)
        del ours
        view, tables = stages.run("pack", pack, inputs, tables, changes, build_id)   # numbers the notes
        release_memory()     # the last briefing's tables, read for the comparison, and pack's copies
        templates = templates_dir(root)     # the project's own, else the engine's
        html = stages.run("html", render_html, view, templates)
        created = _pdf_time(inputs.briefing.model.date)
        # What a rendered part depends on besides its HTML: the stylesheet, fonts and renderer code.
        look = _hash(code_key("pipeline.render.stage"),
                     [(f"templates/{p.relative_to(templates)}", p.read_bytes()) for p in sorted(templates.rglob("*"))
                      if p.is_file()])
        # The PDF depends on the HTML and the attached tables, which the build id (inputs and
        # code) and the changes (against the last briefing) determine: keyed by those, the
        # render starts before the tables' text is made (~5 s at 2,000 sources), and the text
        # follows while the parts are laid out.
        pdf_key = _hash(html, build_id, json.dumps(changes, sort_keys=True, default=str), look)
        rendered = stages.start("render", start_pdf, html, templates, LATER,
                                {"created": created, "identifier": build_id, "variant": PDF_VARIANT, "look": look},
                                stages.cache, host, key=pdf_key)
        # The tables as text, attached to the PDF, and their bytes for tables/: made, sent to the
        # render host and dropped one table at a time (at 5,000 sources, holding every table's
        # text, its pickled message and its bytes at once made the build's peak).
        # A file that cannot be written (a full disk) stops the tables there and is raised after
        # the send: the host's sender would take the OSError for a broken pipe to the host.
        failed: list[OSError] = []

        def table_texts(frames: Tables) -> Iterator[tuple[str, bytes]]:
            for name in [*CONTRACT_TABLES, *EXTRA_TABLES, "changes"]:
                data = csv_bytes(changes_frame(changes) if name == "changes" else frames[name])
                try:
                    staging.add(f"tables/{name}.csv", data)
                except OSError as exc:
                    failed.append(exc)
                    return
                yield f"{name}.csv", data

        texts = table_texts(tables)
        host.send_attachments(texts)
        for _ in texts:       # a render from the cache took none: the files are made all the same
            pass
        if failed:
            raise failed[0]
        # While the parts are laid out: the schema check (a failure stops the render), and the
        # worksheets, their YAML written by now.
        _check_schemas(tables)
        for sid, text in sheets_written(tables):     # each with its evidence, from contrast
            staging.add(f"review/{sid}.yaml", text.encode("utf-8"))
        del tables, view, sheets_written     # what follows needs only the PDF, the HTML and the counts
        pdf, pages = rendered()       # first: its refusals name what the renderer tried to fetch
        timings = getattr(host, "timings", None) or {}
        pieces = timings.get("host", {}).get("attachments") or {}
        if "deflated" in pieces:      # render/embed.py: what the cache spared
            say(f"attachments: {pieces['deflated']} pieces deflated ({pieces['deflated_bytes'] / 1e6:.1f} MB), "
                f"{pieces['reused']} reused ({pieces['reused_bytes'] / 1e6:.1f} MB) in "
                f"{pieces.get('written', 0) - pieces.get('start', 0):.2f} s")
        laid = {k: v["written"] - v["start"] for k, v in timings.items() if isinstance(k, int) and "written" in v}
        if laid:                      # the parts laid out again (the others came from the cache)
            say("parts laid out: " + ", ".join(f"{k}: {v:.2f} s" for k, v in sorted(laid.items())))
        twin, assets = html_twin(html, templates)    # the browser's copy: CSS inlined
        staging.add("briefing.html", twin.encode("utf-8"))
        for rel, data in assets.items():
            staging.add(rel, data)
        for source in inputs.sources:    # the text every offset in the tables indexes into
            staging.add(f"sources/{source.id}.txt", source.text.encode("utf-8"))
        staging.add("briefing.pdf", pdf)
        pdf_sha = hashlib.sha256(pdf).hexdigest()
        store.put("compare-side", _side_key(pdf_sha), side_data)
        store.prune("compare-side", keep=SIDES_KEPT)
        staging.add("changes.json", json.dumps(changes, indent=2, sort_keys=True).encode())
        seconds = time.perf_counter() - t0
        manifest = {
            "build_id": build_id,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(seconds, 3),
            "inputs": recorded_inputs,
            "baseline": (changes.get("baseline") or {}).get("build_id"),
            "sequence": 1 + max([int(m.get("sequence") or 0) for m, _ in recorded_builds(out)] or [0]),
            "rows": counts,
            "pdf_sha256": pdf_sha,
            "pdf_pages": pages,
            "pdf_variant": PDF_VARIANT,
            "stage_seconds": {k: round(v, 3) for k, v in stages.seconds.items()},
            "python": sys.version.split()[0],
        }
        staging.add("manifest.json", json.dumps(manifest, indent=2, sort_keys=True).encode())
        staging.add(f"logs/build-{manifest['built_at'].replace(':', '')}.log", "\n".join(
            [f"build {build_id} at {manifest['built_at']}",
             *[f"warning: {w}" for w in inputs.warnings],
             *[f"{k}: {v:.3f} s" for k, v in stages.seconds.items()],
             *[f"{k}: {v} rows" for k, v in counts.items()]]).encode() + b"\n")
        for old_log in sorted((out / "logs").glob("build-*.log"))[-19:] if (out / "logs").is_dir() else []:
            if f"logs/{old_log.name}" not in staging:
                staging.add(f"logs/{old_log.name}", old_log.read_bytes())
        staging.publish(inputs.briefing.model.keep_builds, build_id, protect=manifest["baseline"])
    return BuildResult("built", time.perf_counter() - t0, counts, stages.seconds, inputs.warnings, pages)


def _side_key(pdf_sha: str) -> str:
    from pipeline.pack.changes import side

    return _hash(pdf_sha, function_key(side))


def _side_of(found: tuple[dict, Path], store: Store) -> Any:
    """The side of the briefing a build is compared with: the one kept in the cache under its
    PDF, else read back from its published tables (a new cache, or a build older than the
    sides kept)."""
    from pipeline.pack.changes import read_tables, side

    manifest, folder = found
    data = store.get("compare-side", _side_key(str(manifest.get("pdf_sha256")))) \
        if isinstance(manifest.get("pdf_sha256"), str) else None
    if data is not None:
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged entry: the tables are read instead
            pass
    return side(read_tables(folder))


FULL_COLLECTION_EVERY = 100     # young collections between full ones at most (Python's default: 10)


@contextlib.contextmanager
def full_collections_between_stages() -> Iterator[None]:
    """Python's cyclic collector runs a full collection each time the long-lived objects grow
    by a quarter (and 10 young collections have run), and each traverses them all: a build's
    heap holds millions (the corpus's frames, rows and per-source results), and a one-source
    rebuild at 2,000 sources ran 28 full collections, 5.1 of its 36 CPU-s. During a build, a
    full collection waits for FULL_COLLECTION_EVERY young ones (11 full collections, 2.2 CPU-s),
    and release_memory() runs one between stages; none at all cost 55 MiB more at the peak of a
    10,000-source build. The thresholds the build found are put back when it returns."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], FULL_COLLECTION_EVERY)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def release_memory() -> None:
    """Collect the cyclic garbage of the stage that ended (see full_collections_between_stages)
    and hand what the allocators keep of freed memory back to the system: Arrow's pool (the
    frames' text columns) keeps freed pages until asked, glibc its free heap, and neither
    is what the next stage allocates from (Python objects, the tables' CSV text)."""
    import ctypes

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):     # not glibc
        ctypes.CDLL(None).malloc_trim(0)


def _check_schemas(tables: Tables) -> None:
    """The contract tables against their declared schemas (pipeline/tables/schema.py): an
    EngineBug (exit 1) on failure."""
    from pipeline.tables import validate

    for name in CONTRACT_TABLES:
        validate(name, tables[name])


class PreviousItems(Mapping[str, str]):
    """Machine ids in the last published worksheets, with their titles: what a reject: or
    corrections: entry meant when its id no longer exists (read at the edge, for hints only).
    Read on first use: only an edit naming an id this build lacks asks, and parsing every
    worksheet of a large corpus costs minutes (2,000 sources: 199 s of a 600 s daily rebuild)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.items: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self.items is None:
            self.items = previous_items(self.folder)
        return self.items

    def __getitem__(self, key: str) -> str:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def previous_items(folder: Path) -> dict[str, str]:
    """PreviousItems, read now (libyaml's parser where PyYAML has it)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - a safe loader
        except (OSError, ValueError, yaml.YAMLError):
            continue
        if not isinstance(doc, dict):
            continue
        for key in ("events", "plan_terms", "actors"):
            for item in doc.get(key) or []:
                if isinstance(item, dict) and "id" in item:
                    out[str(item["id"])] = str(item.get("title") or item.get("position")
                                               or item.get("name") or "")
    return out


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _pdf_time(day: Any) -> Any:
    from datetime import UTC, datetime

    return datetime(day.year, day.month, day.day, tzinfo=UTC)
