"""Two builds started at once (two cron jobs, a user and a timer) share .cache/: neither may die
because the other was writing or pruning the same entry (issue 24: a fixed '.tmp' name once made
one of them fail with FileNotFoundError, exit 1)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from pipeline.atomic import atomic_write
from tests.conftest import ROOT, make_project

TINY = Path(__file__).parent / "bad_inputs" / "_tiny" / "inputs"


def test_many_writers_of_one_entry_leave_one_whole_entry_and_no_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "extract-abc.pkl"
    errors: list[BaseException] = []
    payloads = [bytes([n]) * 50_000 for n in range(8)]

    def writer(data: bytes) -> None:
        try:
            for _ in range(40):
                atomic_write(target, data)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert target.read_bytes() in payloads
    assert sorted(p.name for p in target.parent.iterdir()) == ["extract-abc.pkl"]


def test_two_checks_started_together_never_fail(tmp_path: Path) -> None:
    """Each trial starts from an empty cache, so both processes compute and write every stage's
    entry at the same moment (check-only: the stages before the lock, where the race was). Five
    trials through the command line; test_cache.py's forked pair runs fifteen more in-process."""
    root = make_project(tmp_path / "p", inputs=TINY)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for trial in range(5):
        for entry in (root / ".cache").rglob("*") if (root / ".cache").exists() else []:
            if entry.is_file():
                entry.unlink()
        procs = [subprocess.Popen([sys.executable, "-m", "pipeline", "check", "--root", str(root), "-q"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
                 for _ in range(2)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        for code, err in results:
            assert code == 0, f"trial {trial}: exit {code}\n{err}"
    assert not list((root / ".cache").rglob("*.tmp"))
