"""The corpus-wide steps of ingest and extract, over the per-source results.

pipeline/per_source.py does each source's work and caches it; here the build reads those
results back (as few joined segments, pipeline/segments.py) and does what needs the whole
corpus: copies between sources, actors named across the corpus and the surname pass, then
each source's events. Kept apart from per_source.py because a per-source function's cache key
covers the code of its module: a change here must not make every source's work run again.
"""

from __future__ import annotations

import dataclasses
import functools
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import columnar_read
from pipeline.cache import Store, digest, function_key
from pipeline.inputs import Source
from pipeline.per_source import (
    Runner,
    compiled_codebook,
    date_events,
    prepare,
    source_key,
    stream_cached,
)
from pipeline.segments import read_joined
from pipeline.vocab import ActorType


@dataclasses.dataclass
class Prepared:
    """The per-source results of the whole corpus, in source order (their Arrow files, or
    their bytes when nothing is cached), and what ingest made of them."""

    sources: list[Source]
    entries: list[Path | bytes]
    keys: list[str]
    copies: dict[str, str]


class Joined:
    """One part (a table) of many sources' results, joined: the columns of each, in order, made
    into one frame at the end, as pd.DataFrame makes it from all the rows at once (with the
    first part's columns; a part with other columns turns the join back into rows)."""

    def __init__(self) -> None:
        self.columns: list[str] | None = None
        self.chunks: dict[str, list] = {}      # column -> each part's values (a list or an array)
        self.rows: list[dict] | None = None

    def add(self, part: dict[str, Any]) -> None:
        names = list(part)
        if self.columns is None:
            self.columns, self.chunks = names, {c: [] for c in names}
        if self.rows is None and names == self.columns:
            for c in names:
                self.chunks[c].append(part[c])
            return
        if self.rows is None:
            joined = {c: columnar_read.concat(chunks) for c, chunks in self.chunks.items()}
            self.rows, self.chunks = columnar_read.rows(joined), {}
        self.rows += columnar_read.rows(part)

    def data(self) -> dict[str, Any] | list[dict]:
        """The join: its columns (each made one), or its rows where the parts' columns differed."""
        if self.rows is not None:
            return self.rows
        return {c: columnar_read.for_pandas(columnar_read.concat(chunks)) for c, chunks in self.chunks.items()}

    def frame(self) -> pd.DataFrame:
        data = self.data()
        if not isinstance(data, list) and not any(len(v) for v in data.values()):
            return pd.DataFrame([], columns=self.columns)    # no rows: as pandas makes it from none
        return pd.DataFrame(data, columns=self.columns)


def ingest(sources: list[Source], runner: Runner, codebook_key: str, store: Store,
           progress: Callable[[str], None] = lambda _m: None
           ) -> tuple[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], Prepared]:
    """Stage 1 over the per-source results: (sources, passages, sentences) tables, as
    pipeline.ingest.ingest makes them, with copies found from the per-source signatures. Reads
    of each source's file the five parts it needs, as columns."""
    from pipeline.ingest import copy_order, frames
    from pipeline.ingest.copies import copies_from, from_values

    keys = [source_key(s) for s in sources]
    names, coming = stream_cached("prepare", prepare, list(zip(keys, sources, strict=True)), runner,
                                  codebook_key, store, progress)
    entries: list[Path | bytes] = []

    def kept() -> Iterator[Path | bytes]:
        for entry in coming:
            entries.append(entry)
            yield entry

    rows: list[dict] = []
    shingles: dict[str, Any] = {}
    hashes: dict[str, Any] = {}
    passages, sentences = Joined(), Joined()
    # read as the workers finish each segment's sources
    for got in read_joined(kept(), ["source", "shingles", "minhash", "passages", "sentences"], store,
                           "joined-ingest", names):
        mine = columnar_read.rows(got["source"])
        rows += mine
        ids = [r["source_id"] for r in mine]
        shingles.update(zip(ids, got["shingles"], strict=True))
        hashes.update(zip(ids, got["minhash"], strict=True))
        passages.add(got["passages"])
        sentences.add(got["sentences"])
    store.prune("joined-ingest")

    def minhashes(ids: list[str]) -> list[Any]:
        return [from_values(hashes[sid]) for sid in ids]

    # The last build's candidate pairs and which were copies: a new or edited source is looked
    # up and checked, not the whole corpus again.
    code = function_key(copies_from)
    remembered = _load(store.get("copy-pairs", code)) or {}
    copies = copies_from(shingles, copy_order(rows), minhashes, remembered)
    if remembered:
        store.put("copy-pairs", code, pickle.dumps(remembered, protocol=pickle.HIGHEST_PROTOCOL))
    store.prune("overlap")     # a memo of every candidate pair's overlap, no longer kept (154 MB at 10,000)
    store.prune("minhash")     # each source's MinHash, once a step of its own: now in its prepare file
    store.prune("copy-pairs")
    del shingles
    tables = frames(sources, rows, passages.data(), sentences.data(), copies)
    return tables, Prepared(sources, entries, keys, copies)


def _load(data: bytes | None) -> Any:
    """A pickled cache entry, or None (absent or damaged: computed again)."""
    try:
        return pickle.loads(data) if data is not None else None
    except Exception:  # noqa: BLE001 - a damaged entry is computed again
        return None


def _events_job(entry: Path | bytes, source: Source, spans: list[tuple], persons: list[str]) -> dict[str, Any]:
    """date_events' input for one source, read when the cache misses (its sentences as columns)."""
    got = columnar_read.read(entry, ["sentences", "plan_of"])
    plan_of = got["plan_of"]
    return {"source_id": source.id, "sentences": got["sentences"], "sentence_columns": list(got["sentences"]),
            "spans": spans, "plan_of": dict(zip(plan_of["sentence_id"], plan_of["plan_id"], strict=True)),
            "published": source.sidecar.published, "kind": source.sidecar.kind or "", "persons": persons}


PARTS = ["terms", "unlinked_terms", "plan_candidates", "provision_candidates"]


def extract(prepared: Prepared, sentences: pd.DataFrame, runner: Runner, codebook_key: str,
            store: Store, progress: Callable[[str], None] = lambda _m: None) -> dict[str, pd.DataFrame]:
    """Stage 2 over the per-source results, for the sources that are no copy (a copy feeds no
    extraction: no duplicate rows or notes): actors named across the corpus, then each source's
    events (per source, cached by its final mentions)."""
    from pipeline.extract.actors import resolve_mentions

    codebook = runner.codebook
    lexicon = codebook.lexicon.model
    keep = [i for i, s in enumerate(prepared.sources) if s.id not in prepared.copies]
    # no copies: the frame itself (a filter that keeps every row still copies every column, ~0.5 GB at 10,000)
    originals = sentences[~sentences["source_id"].isin(set(prepared.copies))] if prepared.copies else sentences
    kept = [prepared.sources[i] for i in keep]
    if not kept:      # nothing to extract from: the stage's own empty tables, columns and all
        from pipeline.extract import extract as extract_all

        return extract_all(codebook, [], originals)
    passes = []
    joined = {name: Joined() for name in PARTS}
    for got in read_joined([prepared.entries[i] for i in keep], ["mentions", *PARTS], store, "joined-extract"):
        passes += got["mentions"]
        for name in PARTS:
            joined[name].add(got[name])
    store.prune("joined-extract")
    mentions, auto = resolve_mentions(
        compiled_codebook(codebook).matcher, passes, originals,
        {s.id: s.text for s in kept}, lexicon, codebook.places.model,
        {s.id: s.sidecar.outlet or "" for s in kept}, {s.id: s.sidecar.author or "" for s in kept})
    del passes
    # A source's own outlet reports its events; it does not take part in them.
    participants = mentions[mentions["participant"].astype(bool)]
    spans: dict[str, list[tuple]] = {}
    for row in zip(participants["source_id"].tolist(), participants["char_start"].tolist(),
                   participants["char_end"].tolist(), participants["actor_id"].tolist(), strict=True):
        spans.setdefault(row[0], []).append(row)
    # the people among the participants (events.py: a lede's people bring the story back)
    persons = {a.id for a in codebook.actors.model if a.type == ActorType.PERSON} \
        | set(auto.loc[auto["type"] == ActorType.PERSON, "actor_id"])
    jobs = []
    for i in keep:
        source = prepared.sources[i]
        mine = sorted(spans.get(source.id, []))
        people = sorted({row[3] for row in mine} & persons)
        # the job itself is read only when the cache misses (functools.partial: called lazily)
        jobs.append((digest(prepared.keys[i], mine, people),
                     functools.partial(_events_job, prepared.entries[i], source, mine, people)))
    events = Joined()
    names, coming = stream_cached("events", date_events, jobs, runner, codebook_key, store, progress)
    for got in read_joined(coming, ["events"], store, "joined-events", names):
        events.add(got["events"])
    store.prune("joined-events")
    return {"mentions": mentions, "auto_actors": auto, "events": events.frame(),
            **{name: joined[name].frame() for name in PARTS}}
