"""What a lexicon compiles to, computed once per lexicon object instead of once per call.

The per-source work calls the extract functions once per source, each with the same codebook
objects (one unpickled codebook per worker), so regexes and word sets built from the lexicon
would otherwise be rebuilt for every source. Inputs are frozen pydantic models and frozen
dataclasses: one object always compiles to the same thing, so the arguments are matched by
identity (a strong reference is kept, so an id is never reused while remembered). Lists and
dicts inside a frozen model are never changed in place by the pipeline.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

KEEP = 8     # a build has one lexicon; tests a few variants (model_copy makes a new object)


def per_object(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn(*args)` remembered for the last KEEP argument tuples, matched by identity."""
    recent: list[tuple[tuple[Any, ...], T]] = []

    @functools.wraps(fn)
    def wrapper(*args: Any) -> T:
        for known, value in recent:
            if len(known) == len(args) and all(a is b for a, b in zip(known, args, strict=True)):
                return value
        value = fn(*args)
        recent.insert(0, (args, value))
        del recent[KEEP:]
        return value

    wrapper.cache_clear = recent.clear      # type: ignore[attr-defined]
    wrapper.cached = recent                 # type: ignore[attr-defined]
    return wrapper
