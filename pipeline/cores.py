"""How a build uses this machine's cores: how many worker processes, and how they start. One
home for both, read by the per-source pool (pipeline/per_source.py) and the readers' pool
(pipeline/readers/ahead.py), which share one fork server."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

WORKERS_ENV = "BRIEFING_WORKERS"
# What the fork server imports once, so that each worker starts with pandas and the extraction
# code loaded. The server starts with the first pool of a build and serves every later one, so
# whichever pool comes first must ask for the same.
PRELOAD = ["pipeline.per_source"]


def pool_context() -> Any:
    """The multiprocessing context of the build's pools: forkserver, because the build process
    has threads (the render host's pipes) that fork must not copy."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def workers() -> int:
    """Worker processes for a local pool: BRIEFING_WORKERS, else every core this process may use."""
    told = os.environ.get(WORKERS_ENV, "").strip()
    if told.isdigit() and int(told) > 0:
        return int(told)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
