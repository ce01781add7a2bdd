"""The work each source needs on its own: cached per source, run on every core (or on a Dask
cluster), then joined by the cross-source steps.

Per source (`prepare`): ingest's passages and sentences, the copy signature (shingles and
MinHash values), the first pass of actor mentions, the plan context and the plan terms. After the
corpus-wide steps (copies, actor naming and the surname pass, in pipeline/corpus.py),
per source again (`date_events`): the candidate events, which need the source's final mentions.

Each result is cached under the source's content, the codebook and the code the function runs
(pipeline/cache.py), so adding, editing or removing one source reruns the per-source work of
that source only. Every function here reads one source and nothing global, so the joined result
is the same whatever ran it, in whatever order, on however many workers.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pandas as pd

from pipeline import columnar
from pipeline.cache import Store, digest, function_key
from pipeline.cores import pool_context, workers
from pipeline.inputs import Codebook, Source

log = logging.getLogger("pipeline")

BATCH = 512               # per-source jobs handed to the workers at once (see run_cached)
IN_PROCESS_UP_TO = 12     # fewer pending sources than this: no pool (starting one costs ~1 s)
DASK_ENV = "BRIEFING_DASK_SCHEDULER"


# --------------------------------------------------------------------------- the work itself


_COMPILED: list[tuple[Codebook, Compiled]] = []


@dataclasses.dataclass(frozen=True)
class Compiled:
    """What a codebook compiles to for extraction, once per codebook object in each process."""

    matcher: Any
    patterns: Any
    known_words: frozenset[str]
    points: dict[str, int]
    plan_name: dict[str, str]
    plan_words: dict[str, frozenset[str]]
    topic: Any


def compiled_codebook(codebook: Codebook) -> Compiled:
    from pipeline.extract import topic_names
    from pipeline.extract.actors import build_matcher
    from pipeline.extract.terms import build_plan_patterns, known_words, plan_own_words, topic_regex

    for known, compiled in _COMPILED:
        if known is codebook:
            return compiled
    lexicon = codebook.lexicon.model
    cb_names = [n for a in codebook.actors.model for n in (a.name, *a.aliases, a.affiliation)]
    cb_names += [n for p in codebook.places.model for n in (p.name, *p.aliases)]
    cb_names += [n for p in codebook.plans.model for n in (p.name, *p.aliases, p.originator)]
    compiled = Compiled(build_matcher(codebook.actors.model, lexicon),
                        build_plan_patterns(codebook.plans.model, lexicon), known_words(cb_names),
                        {p.id: p.points for p in codebook.plans.model if p.points},
                        {p.id: p.name for p in codebook.plans.model}, plan_own_words(codebook.plans.model),
                        topic_regex(topic_names(codebook)))
    _COMPILED[:] = [(codebook, compiled), *_COMPILED[:1]]
    return compiled


def parts_result(fn: Callable[[Any, Codebook], dict[str, Any]]) -> Callable[[Any, Codebook], dict[str, Any]]:
    """Marks a per-source function whose result (a dict of parts) is stored as one Arrow file
    (pipeline/columnar.py), read back part by part by the cross-source stages."""
    fn.parts = True  # type: ignore[attr-defined]
    return fn


@parts_result
def prepare(source: Source, codebook: Codebook) -> dict[str, Any]:
    """One source's per-source work before the corpus-wide steps (see the module docstring):
    what pipeline.extract.extract does per source, on this source's sentences alone. The parts
    are tables (rows, columns), the copy signature (an array) and the actor pass's state."""
    from pipeline.extract.actors import first_pass
    from pipeline.extract.candidates import body_columns, find_plan_candidates, find_provision_candidates, with_unlinked
    from pipeline.extract.dates import remember_dates
    from pipeline.extract.terms import find_plan_terms, plan_context
    from pipeline.ingest import PASSAGE_COLUMNS, SENTENCE_COLUMNS, ingest_one
    from pipeline.ingest.copies import minhash_values, signature
    from pipeline.language import language_of
    from pipeline.vocab import AUTHORS_TEXT

    lexicon = codebook.lexicon.model
    language = language_of(lexicon)      # handed to each reader of dates and figures: no module state
    src_row, pas_rows, sen_rows = ingest_one(source, lexicon)
    sentences = pd.DataFrame(sen_rows, columns=SENTENCE_COLUMNS)
    shingles = signature(" ".join(r["text"] for r in pas_rows if r["kind"] in AUTHORS_TEXT))
    compiled = compiled_codebook(codebook)
    headline = source.sidecar.title or source.text.lstrip().split("\n", 1)[0]
    remember_dates(True)
    try:
        context = plan_context(sentences, compiled.patterns, {source.id: headline}, lexicon,
                               compiled.known_words, compiled.points, compiled.plan_words, compiled.topic)
        plan_of = {sid: pid for sid, pid in zip(context["sentence_id"], context["linked"], strict=True) if pid}
        terms, unlinked = find_plan_terms(sentences, context, codebook.provisions.model, lexicon,
                                          codebook.plans.model, language)
        body = body_columns(sentences)
        plan_candidates = with_unlinked(find_plan_candidates(sentences, codebook.plans.model, lexicon, body),
                                        unlinked, sentences, lexicon)
        known = {sid: compiled.plan_name.get(named[0], named[0])
                 for sid, named in zip(context["sentence_id"], context["named"], strict=True) if named}
        provision_candidates = find_provision_candidates(sentences, plan_candidates, known, lexicon,
                                                         codebook.provisions.model, language, body)
    finally:
        remember_dates(False)
    return {"source": ([src_row], list(src_row)), "passages": (pas_rows, PASSAGE_COLUMNS),
            "sentences": (sen_rows, SENTENCE_COLUMNS), "shingles": shingles, "minhash": minhash_values(shingles),
            "mentions": first_pass(compiled.matcher, sentences, lexicon, codebook.places.model),
            "terms": records(terms), "unlinked_terms": records(unlinked),
            "plan_candidates": records(plan_candidates),
            "provision_candidates": records(provision_candidates),
            "plan_of": ([{"sentence_id": k, "plan_id": v} for k, v in plan_of.items()], ["sentence_id", "plan_id"])}


@parts_result
def date_events(job: dict[str, Any], codebook: Codebook) -> dict[str, Any]:
    """One source's candidate events, from its sentences (as columns) and its final participant
    mentions."""
    from pipeline.extract.dates import Anchor, remember_dates
    from pipeline.extract.events import find_events
    from pipeline.language import language_of

    given = job["sentences"]     # columns; no row: none (pandas types empty columns by their source)
    sentences = pd.DataFrame(given if any(map(len, given.values())) else [], columns=job["sentence_columns"])
    mentions = pd.DataFrame(job["spans"], columns=["source_id", "char_start", "char_end", "actor_id"])
    sid = job["source_id"]
    remember_dates(True)
    try:
        events = find_events(sentences, mentions, codebook.places.model, {sid: Anchor.parse(job["published"])},
                             codebook.lexicon.model, job["plan_of"], {sid: job["kind"]},
                             language_of(codebook.lexicon.model), set(job.get("persons", [])))
    finally:
        remember_dates(False)
    return {"events": records(events)}


def records(frame: pd.DataFrame) -> columnar.Columns:
    """A frame's columns as Python values: the joined parts make one frame with the same types
    as a frame built from all the rows at once (pandas infers a column's type from all its values)."""
    return columnar.Columns.of(frame)


# --------------------------------------------------------------------------- keys


def source_key(source: Source) -> str:
    """Everything of a source the per-source work reads: its id, file name, text, sidecar and
    what its reader found (format, hints, metadata)."""
    reading = dataclasses.replace(source.reading, text="") if source.reading else None
    return digest(source.id, source.path.name, source.sha256, source.sidecar.model_dump(mode="json"),
                  source.has_sidecar, list(source.metadata_from), repr(reading))


# --------------------------------------------------------------------------- running it


def run_cached(kind: str, fn: Callable[[Any, Codebook], Any], jobs: Sequence[tuple[str, Any]],
               runner: Runner, inputs_key: str, store: Store,
               progress: Callable[[str], None] = lambda _m: None) -> list[Any]:
    """fn(job, codebook) for each (job key, job): from the cache where it holds the result,
    else computed (in parallel when there are many) and stored. Results in the order of `jobs`.
    A job may be a functools.partial, called only when its result is not cached. For a
    @parts_result function, each result is its Arrow file (its bytes when nothing is kept),
    to be read with columnar_read.read; a file that is not whole is computed again."""
    return list(stream_cached(kind, fn, jobs, runner, inputs_key, store, progress)[1])


def stream_cached(kind: str, fn: Callable[[Any, Codebook], Any], jobs: Sequence[tuple[str, Any]],
                  runner: Runner, inputs_key: str, store: Store,
                  progress: Callable[[str], None] = lambda _m: None) -> tuple[list[str], Iterator[Any]]:
    """run_cached's results as they come, in order, with each result's entry name (its file
    name in the store) known at once: a reader joins the first results while the workers
    compute the rest (at 2,000 sources, reading them after the last was ~8 s of a cold ingest
    with both workers idle). The next batch's jobs are made while this one's run, and the
    entries no longer used are pruned once the last result is read."""
    from pipeline.columnar_read import check  # here: how results are read is not in their keys

    code = function_key(fn)
    parts = getattr(fn, "parts", False)
    keys = [digest(kind, key, inputs_key, code) + (".arrow" if parts else "") for key, _ in jobs]
    cached: dict[int, Any] = {}
    todo: list[int] = []
    for i, key in enumerate(keys):
        if parts:
            path = store.path(kind, key)
            if path is not None and check(path):
                store.mark(kind, key)
                cached[i] = path
                continue
        else:
            data = store.get(kind, key)
            if data is not None:
                try:
                    cached[i] = pickle.loads(data)
                    continue
                except Exception:  # noqa: BLE001 - a damaged entry is computed again
                    pass
        todo.append(i)
    if todo:
        progress(f"{kind}: {len(todo)} of {len(jobs)} sources to do, in {runner.where(len(todo))}")

    def start(batch: list[int]) -> tuple[list[int], Iterable[bytes]]:
        # in batches: the jobs read lazily are held for a batch or two at a time, not for the corpus
        return batch, runner.map(fn, [j() if isinstance(j, functools.partial) else j
                                      for j in (jobs[i][1] for i in batch)])

    def computed() -> Iterator[Any]:
        batches = [todo[at:at + BATCH] for at in range(0, len(todo), BATCH)]
        ahead = start(batches[0]) if batches else None
        for n in range(len(batches)):
            batch, results = ahead      # type: ignore[misc]
            ahead = start(batches[n + 1]) if n + 1 < len(batches) else None
            for i, data in zip(batch, results, strict=True):
                store.put(kind, keys[i], data)
                yield (store.path(kind, keys[i]) or data) if parts else pickle.loads(data)

    def ordered() -> Iterator[Any]:
        # pruned before the last result is handed over, not after it: a reader that takes
        # exactly as many results as there are (segments.read_joined) never asks for more, and
        # a prune after the loop never ran (a code change at 10,000 sources left 10,000 stale
        # files, 0.7 GB, in .cache/prepare/)
        if not jobs:
            store.prune(kind)
        fresh = computed()
        for i in range(len(jobs)):
            result = cached[i] if i in cached else next(fresh)
            if i == len(jobs) - 1:
                store.prune(kind)
            yield result

    return keys, ordered()


def _call(fn: Callable[[Any, Codebook], Any], job: Any, codebook: Codebook) -> bytes:
    """fn's result as bytes, made where it ran: an Arrow file for a @parts_result function."""
    if getattr(fn, "parts", False):
        return columnar.encode(fn(job, codebook))
    return pickle.dumps(fn(job, codebook), protocol=pickle.HIGHEST_PROTOCOL)


_SHARED: dict[str, Any] = {}


def _init_worker(codebook: bytes) -> None:
    _SHARED["codebook"] = pickle.loads(codebook)


def _pool_call(fn: Callable[[Any, Codebook], Any], job: Any) -> bytes:
    return _call(fn, job, _SHARED["codebook"])


def _here(jobs: int) -> bool:
    """Whether this many jobs run in the build process itself, not on the local pool: one core,
    or too few jobs to be worth starting it."""
    return workers() <= 1 or jobs < IN_PROCESS_UP_TO


class Runner:
    """Runs per-source functions for one build: in this process when few sources need work, on a
    Dask cluster when BRIEFING_DASK_SCHEDULER names one, else on a local process pool started at
    the first need and kept for the build's later per-source steps. Use as a context manager."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.scheduler = os.environ.get(DASK_ENV, "").strip()
        self.pool: Any = None
        self.client: Any = None
        self.shared: Any = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.client is not None:
            self.client.close()
        self.pool = self.client = None

    def where(self, n: int) -> str:
        if self.scheduler:
            return f"the Dask cluster at {self.scheduler}"
        return "this process" if _here(n) else f"{min(workers(), n)} local workers"

    def map(self, fn: Callable[[Any, Codebook], Any], jobs: list[Any]) -> Iterable[bytes]:
        """fn(job, codebook) over the jobs, as pickled results, in order."""
        if not jobs:
            return []
        if self.scheduler:
            return self._dask(fn, jobs)
        if _here(len(jobs)):
            return [_call(fn, job, self.codebook) for job in jobs]
        chunk = max(1, min(16, len(jobs) // (workers() * 8)))
        # In order, as they finish: run_cached stores each result at once, so a build stopped
        # half-way keeps what it computed, and the pickled results are never all held at once.
        return self._pool().map(functools.partial(_pool_call, fn), jobs, chunksize=chunk)

    def _pool(self) -> Any:
        if self.pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(workers(), mp_context=pool_context(), initializer=_init_worker,
                                            initargs=(pickle.dumps(self.codebook, protocol=pickle.HIGHEST_PROTOCOL),))
        return self.pool

    def submit(self, fn: Callable[[Any, Codebook], Any], jobs: list[Any], *, here: bool = False,
               alone: bool = False) -> Callable[[], list[Any]]:
        """fn(job, codebook) over the jobs, started now on the workers; the function returned
        waits for the results, as values (for a function whose result is not a parts file). For
        work the build needs later: the workers do it while the build process works alone.
        `here`: never on a Dask cluster, for work whose result is this machine's libraries' (the
        worksheets' YAML, libyaml's when PyYAML has it): with a scheduler, done in this process
        when the results are waited for. `alone`: jobs worth a worker of their own however few
        (the pool is started for them, on a machine with more than one core). Few jobs go to
        the pool anyway when it is running: its workers are idle by then."""
        if not jobs:
            return lambda: []
        if self.scheduler and not here:
            futures = self._dask_futures(fn, jobs)
            return lambda: [pickle.loads(data) for data in self.client.gather(futures)]
        if self.scheduler or workers() <= 1 or (_here(len(jobs)) and not alone and self.pool is None):
            return lambda: [pickle.loads(_call(fn, job, self.codebook)) for job in jobs]
        pool = self._pool()
        futures = [pool.submit(_pool_call, fn, job) for job in jobs]
        return lambda: [pickle.loads(future.result()) for future in futures]

    def _dask(self, fn: Callable[[Any, Codebook], Any], jobs: list[Any]) -> list[bytes]:
        """The same function as tasks on the Dask cluster; results come back as bytes."""
        futures = self._dask_futures(fn, jobs)
        return self.client.gather(futures)

    def _dask_futures(self, fn: Callable[[Any, Codebook], Any], jobs: list[Any]) -> list[Any]:
        if self.client is None:
            from pipeline.errors import InputError, Problem

            try:
                from distributed import Client
            except ImportError:
                raise InputError(Problem(DASK_ENV, None, "set, but Dask is not installed here",
                                         "install the extra: pip install -e '.[dask]' (or unset the variable)")) \
                    from None
            try:
                self.client = Client(self.scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise InputError(Problem(DASK_ENV, None, f"cannot reach the Dask scheduler at {self.scheduler} "
                                         f"({exc})", "start the scheduler, correct the address, or unset "
                                         "the variable to build on this machine")) from None
            self.shared = self.client.scatter(self.codebook, broadcast=True, hash=False)
        return self.client.map(_call, [fn] * len(jobs), jobs, codebook=self.shared, pure=False)
