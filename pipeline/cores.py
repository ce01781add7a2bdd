"""How many worker processes a build uses on this machine: one home for the setting, read by
the per-source pool (pipeline/per_source.py) and the readers' pool (pipeline/readers/ahead.py)."""

from __future__ import annotations

import os

WORKERS_ENV = "BRIEFING_WORKERS"


def workers() -> int:
    """Worker processes for a local pool: BRIEFING_WORKERS, else every core this process may use."""
    told = os.environ.get(WORKERS_ENV, "").strip()
    if told.isdigit() and int(told) > 0:
        return int(told)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
