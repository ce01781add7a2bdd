"""Copies of one story: the same wire report under several files, counted once.

Agencies' stories are republished by many outlets with a new headline, a local intro, a
trimmed ending and the outlet's own boilerplate; a report comes as a PDF and as its web page.
Two sources are copies when most of the shorter one's body text (word 5-grams, case and
punctuation aside) is in the longer one: shingle containment at or above THRESHOLD. The
threshold was measured with bench/copies_threshold.py (the number and what it was measured
on are in bench/README.md). Every copy points at the first of its group (earliest published,
then by id): `copy_of` in sources.csv.

Few sources are compared pair by pair, exactly. Past SMALL_CORPUS sources, candidate pairs
come from MinHash LSH (datasketch), and a candidate whose containment, estimated from the two
MinHashes and the two exact shingle counts, is below SKETCH_FLOOR is not looked at further;
every other candidate is checked exactly. A corpus of stories on one topic shares phrases
widely, and LSH at its recall bound proposes a large share of all pairs (40 % of the 124,750
pairs of 500 bench/corpus.py sources): checking each exactly made copy detection quadratic.
The sketch only decides which pairs are looked at; a pair is called a copy only by its exact
containment. SKETCH_FLOOR sits far below THRESHOLD (bench/copies_threshold.py prints the
estimates of the known copies: README, "Copy threshold").

The helpers at the bottom turn a row's `source_ids` into independent reports and the outlets
that carried them; every place that counts corroboration uses them.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pipeline.vocab import AUTHORS_TEXT

SHINGLE = 5
THRESHOLD = 0.65         # containment; measured: copies >= 0.713, other stories <= 0.587 (bench/copies_threshold.py)
MIN_SHINGLES = 40        # shorter texts (a paragraph or two) are never called copies
SMALL_CORPUS = 60        # up to here every pair is compared exactly; past it, LSH finds candidates
LSH_JACCARD = 0.2        # LSH recall bound: a half-length copy at THRESHOLD has Jaccard ~0.3
NUM_PERM = 128
SKETCH_FLOOR = 0.4       # estimated containment below which an LSH candidate is not checked exactly
WORD = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    words = WORD.findall(text.casefold())
    return {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode())
            for i in range(max(0, len(words) - SHINGLE + 1))}


def containment(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def signature(body_text: str) -> np.ndarray:
    """One source's copy signature, computed with the rest of its per-source work: its body's
    shingles, sorted, as uint32."""
    return np.array(sorted(shingles(body_text)), dtype=np.uint32)


_TEMPLATE: list[Any] = []      # a MinHash with the permutations, made once per process


def minhash(signature: np.ndarray) -> Any:
    """The MinHash of a signature (a datasketch LeanMinHash: values, seed and scheme), for LSH
    past SMALL_CORPUS sources; computed per source too. A signature's values are CRC-32s of
    its shingles, already hashes: they go to datasketch as they are (hashfunc=int), not hashed
    again with its default SHA-1, and the permutations are drawn once per process, not once a
    source (the two were 3 of 3.5 ms a source)."""
    from datasketch import LeanMinHash, MinHash

    template = _template()
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int, permutations=template.permutations, scheme=template.scheme)
    m.update_batch(signature.tolist())
    return LeanMinHash(m)


def minhash_values(signature: np.ndarray) -> np.ndarray:
    """A signature's MinHash as its values alone (uint64, NUM_PERM of them; none for a text too
    short to be a copy): what a per-source result keeps, made back into a MinHash with
    from_values. Computed with the rest of a source's work (pipeline/per_source.py), not as a
    step of its own: at 2,000 sources that step sent 2,000 jobs to the workers and wrote 2,000
    cache files for ~1.4 CPU-s of hashing."""
    if len(signature) < MIN_SHINGLES:
        return np.zeros(0, dtype=np.uint64)
    return np.asarray(minhash(signature).hashvalues, dtype=np.uint64)


def from_values(values: np.ndarray) -> Any:
    """The MinHash minhash() made, from its values (the same seed, scheme and permutations)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=1, hashvalues=values, scheme=_template().scheme)


def _template() -> Any:
    """The MinHash whose permutations and scheme every signature's shares, made once per process."""
    from datasketch import MinHash

    if not _TEMPLATE:
        _TEMPLATE.append(MinHash(num_perm=NUM_PERM, seed=1))
    return _TEMPLATE[0]


def _overlaps(a: np.ndarray, others: list[np.ndarray]) -> np.ndarray:
    """Containment of `a` with each of `others` (signatures: sorted, distinct, none empty, of
    uint32), in one pass: the others' values looked up in `a` and counted per other. The same
    count as np.intersect1d a pair at a time, ~5x faster (10,000 one-topic sources have ~2.5
    million candidate pairs to check)."""
    joined = np.concatenate(others)
    # first a sieve: a value whose top 20 bits no value of `a` has is not in `a` (a table of
    # 2^20 flags, read at memory speed); only the rest are looked up (5x faster in all)
    flags = np.zeros(1 << 20, dtype=bool)
    flags[a >> 12] = True
    maybe = np.flatnonzero(flags[joined >> 12])
    values = joined[maybe]
    at = np.searchsorted(a, values)
    at[at == len(a)] = 0
    found = np.zeros(len(joined), dtype=np.int64)
    found[maybe] = a[at] == values
    sizes = np.array([len(o) for o in others])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return np.add.reduceat(found, starts) / np.minimum(sizes, len(a))


def estimated_containment(jaccard: np.ndarray | float, n_a: np.ndarray | int, n_b: np.ndarray | int
                          ) -> np.ndarray | float:
    """Containment of the smaller set in the larger, from their Jaccard similarity and sizes:
    |A ∩ B| = J (|A| + |B|) / (1 + J)."""
    return jaccard * (n_a + n_b) / (1 + jaccard) / np.minimum(n_a, n_b)


# Pairs are rows of two indices into the sorted source ids (first < second), sorted: at 10,000
# sources there are millions, which as tuples of ids made a few hundred MB.
NO_PAIRS = np.zeros((0, 2), dtype=np.int32)


def _sorted_pairs(pairs: np.ndarray) -> np.ndarray:
    pairs = np.unique(pairs.astype(np.int32).reshape(-1, 2), axis=0)    # unique rows, in order
    return pairs if len(pairs) else NO_PAIRS


def _sieve(pairs: np.ndarray, values: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The candidate pairs whose containment, estimated from the MinHashes, reaches SKETCH_FLOOR
    (all pairs at once: one comparison of hash values per permutation and pair)."""
    keep = np.zeros(len(pairs), dtype=bool)
    for lo in range(0, len(pairs), 100_000):     # bounded memory: 100,000 pairs x NUM_PERM at a time
        a, b = pairs[lo:lo + 100_000, 0], pairs[lo:lo + 100_000, 1]
        jaccard = (values[a] == values[b]).mean(axis=1)
        keep[lo:lo + 100_000] = estimated_containment(jaccard, count[a], count[b]) >= SKETCH_FLOOR
    return pairs[keep]


def _lsh_pairs(ids: list[str], minhashes: dict[str, Any], values: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Candidate pairs: each source against the LSH index of those before it, kept only where
    the containment estimated from the two MinHashes reaches SKETCH_FLOOR. Each source's
    candidates are sieved as they are found (one comparison of hash values per permutation and
    candidate), so what is held is the pairs kept, not every pair LSH proposes (a one-topic
    corpus of 10,000 sources: tens of millions)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_JACCARD, num_perm=NUM_PERM)
    row = {sid: i for i, sid in enumerate(ids)}
    found: list[np.ndarray] = []
    for sid in ids:
        m = minhashes[sid]
        others = sorted(row[o] for o in set(lsh.query(m)))
        if others:
            at, here = np.array(others), row[sid]
            jaccard = (values[at] == values[here]).mean(axis=1)
            kept = at[estimated_containment(jaccard, count[at], count[here]) >= SKETCH_FLOOR]
            found.append(np.column_stack([kept, np.full(len(kept), here)]))
        lsh.insert(sid, m)
    return _sorted_pairs(np.concatenate(found)) if found else NO_PAIRS


def _pairs_with(new: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The pairs _lsh_pairs gives that have a source of `new` (indices) in them: the same test
    (two MinHashes share a band of the index's banding), asked of the new sources only."""
    from datasketch import MinHashLSH

    ranges = MinHashLSH(threshold=LSH_JACCARD, num_perm=NUM_PERM).hashranges
    found: list[np.ndarray] = []
    for i in new.tolist():
        mine = values[i]
        hit = np.zeros(len(values), dtype=bool)
        for lo, hi in ranges:
            hit |= (values[:, lo:hi] == mine[lo:hi]).all(axis=1)
        hit[i] = False
        other = np.flatnonzero(hit)
        found.append(np.column_stack([np.minimum(other, i), np.maximum(other, i)]))
    return _sorted_pairs(np.concatenate(found)) if found else NO_PAIRS


@dataclass(frozen=True)
class Candidates:
    """The pairs to decide (rows of two indices into the sorted ids), and for each whether its
    fate is the last build's (both sources unchanged since) with that fate in `was_copy`."""

    pairs: np.ndarray
    known: np.ndarray
    was_copy: np.ndarray

    @classmethod
    def unknown(cls, pairs: np.ndarray) -> Candidates:
        """Pairs none of which the last build decided (a cold look, or a small corpus)."""
        return cls(pairs, np.zeros(len(pairs), dtype=bool), np.zeros(len(pairs), dtype=bool))


def candidate_pairs(ids: list[str], minhashes: dict[str, Any], sizes: dict[str, int], keys: dict[str, str],
                    last: dict | None = None) -> tuple[Candidates, dict]:
    """The sieved LSH candidate pairs among `ids`, and what the next build needs to find and
    decide them again: `last` is what the last build kept ({"ids", "keys": source -> signature
    key, "pairs", "copies"}). A pair's fate depends on its two signatures only, so the pairs of
    sources whose signature is unchanged are the last build's, with the last build's verdict,
    and only the new or edited sources are looked up (a daily rebuild of 2,000 sources: LSH,
    sieve and exact checks in a fraction of a second). When most sources changed, everything
    is computed again, as a cold build does."""
    values = np.stack([np.asarray(minhashes[sid].hashvalues) for sid in ids]) if ids else np.zeros((0, NUM_PERM))
    count = np.array([sizes[sid] for sid in ids], dtype=float)
    last = last or {}
    before = last.get("keys") or {}
    same = np.array([before.get(sid) == keys[sid] for sid in ids], dtype=bool)
    state = {"ids": list(ids), "keys": {sid: keys[sid] for sid in ids}}
    if int(same.sum()) < len(ids) // 2 or "ids" not in last:
        return Candidates.unknown(_lsh_pairs(ids, minhashes, values, count)), state     # sieved as found
    row = {sid: i for i, sid in enumerate(ids)}
    # the last build's index of each of its sources here, -1 where gone or changed
    now = np.array([row[sid] if sid in row and same[row[sid]] else -1 for sid in last["ids"]], dtype=np.int64)

    def carried(old: np.ndarray) -> np.ndarray:
        moved = now[old]
        return moved[(moved >= 0).all(axis=1)]

    kept, copies = carried(last["pairs"]), carried(last["copies"])
    fresh = _sieve(_pairs_with(np.flatnonzero(~same), values), values, count)
    pairs = _sorted_pairs(np.concatenate([kept, fresh]))
    known = same[pairs[:, 0]] & same[pairs[:, 1]]
    n = np.int64(len(ids))
    was_copy = np.isin(pairs[:, 0].astype(np.int64) * n + pairs[:, 1], copies[:, 0].astype(np.int64) * n + copies[:, 1])
    return Candidates(pairs, known, was_copy), state


def find_copies(passages: pd.DataFrame, order: list[str]) -> dict[str, str]:
    """source_id -> the source_id it is a copy of (the first of its group in `order`)."""
    body = passages[passages["kind"].isin(AUTHORS_TEXT)]
    texts = body.groupby("source_id", sort=True)["text"].agg(" ".join)
    signatures = {sid: signature(text) for sid, text in texts.items()}
    return copies_from(signatures, order, lambda ids: [minhash(signatures[sid]) for sid in ids])


def copies_from(signatures: dict[str, np.ndarray], order: list[str],
                minhashes: Callable[[list[str]], list[Any]],
                remembered: dict | None = None) -> dict[str, str]:
    """find_copies from per-source signatures; `minhashes` gives the MinHashes of a list of
    source ids (each with at least MIN_SHINGLES shingles), asked for only past SMALL_CORPUS
    sources (the build computes them with each source's work).
    `remembered` holds what the last build found (candidate_pairs' state and the pairs that were
    copies): a daily rebuild checks exactly only the pairs with a new or edited source in them.
    It is updated in place for the next build."""
    sets = {sid: s for sid, s in signatures.items() if len(s) >= MIN_SHINGLES}
    ids = sorted(sets)
    rank = {sid: i for i, sid in enumerate(order)}
    parent = {sid: sid for sid in sets}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    if len(ids) <= SMALL_CORPUS:
        found = Candidates.unknown(np.column_stack(np.triu_indices(len(ids), 1)))    # every pair, in order
        state: dict = {}
    else:
        hashes = dict(zip(ids, minhashes(ids), strict=True))
        keys = {sid: hashlib.sha256(sets[sid].tobytes()).hexdigest()[:24] for sid in ids}
        found, state = candidate_pairs(ids, hashes, {sid: len(sets[sid]) for sid in ids}, keys, remembered)
    is_copy = found.was_copy.copy()
    todo = np.flatnonzero(~found.known)
    # Each source's unknown pairs at once (pairs are sorted by their first source).
    cuts = np.flatnonzero(np.diff(found.pairs[todo, 0])) + 1
    for group in np.split(todo, cuts) if len(todo) else []:
        a = int(found.pairs[group[0], 0])
        others = [sets[ids[b]] for b in found.pairs[group, 1].tolist()]
        is_copy[group] = _overlaps(sets[ids[a]], others) >= THRESHOLD
    for a, b in found.pairs[is_copy].tolist():
        ra, rb = root(ids[a]), root(ids[b])
        if ra != rb:
            first, second = sorted((ra, rb), key=lambda s: rank.get(s, len(rank)))
            parent[second] = first
    if remembered is not None:
        remembered.clear()
        if state:
            remembered.update(state, pairs=found.pairs, copies=found.pairs[is_copy])
    return {sid: root(sid) for sid in sets if root(sid) != sid}


# --------------------------------------------------------------------------- counting reports


def independent(source_ids: Iterable[str], copy_of: Mapping[str, str]) -> list[str]:
    """The independent reports among `source_ids`: each copy counts as the story it copies."""
    return list(dict.fromkeys((copy_of.get(s) or s) for s in source_ids))


def copies_index(copy_of: Mapping[str, str]) -> dict[str, list[str]]:
    """first report -> its copies, sorted: carried_by's lookup, made once per corpus."""
    out: dict[str, list[str]] = {}
    for sid, first in sorted(copy_of.items()):
        out.setdefault(first, []).append(sid)
    return out


def carried_by(source_ids: Iterable[str], copy_of: Mapping[str, str],
               copies: Mapping[str, list[str]] | None = None) -> list[str]:
    """Every source that carried the story of `source_ids`: those sources and all copies of
    the reports among them, first copy first. `copies` is copies_index(copy_of), for a caller
    that asks for many rows (without it, each call reads every copy: rows x copies)."""
    source_ids = list(source_ids)
    roots = independent(source_ids, copy_of)
    index = copies_index(copy_of) if copies is None else copies
    out = list(roots)
    seen = set(out)
    for sid in sorted(s for r in roots for s in index.get(r, [])):
        if sid not in seen:
            out.append(sid)
            seen.add(sid)
    for s in source_ids:
        if s not in seen:
            out.append(s)
            seen.add(s)
    return out


def reports_label(reports: int, outlets: int, total_sources: int = 0) -> str:
    """'1 report (2 outlets)', '3 reports', 'both sources' (two sources, two reports)."""
    if outlets > reports:
        return f"{reports} report{'s' if reports != 1 else ''} ({outlets} outlets)"
    if reports == 2 and total_sources == 2:
        return "both sources"
    return f"{reports} report{'s' if reports != 1 else ''}"
