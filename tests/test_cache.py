"""The one content-addressed cache (pipeline/cache.py) and the per-source work built on it
(pipeline/per_source.py): keys from the import graph, nothing stale served, per-source reruns
only, results independent of the number of workers, and two builds at once never colliding."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import cache, cores, per_source
from tests.conftest import ROOT, make_project

sys.path.insert(0, str(ROOT / "bench"))
from corpus import add_mixed, load_seed  # noqa: E402 - bench/ is not a package

PACKAGE = ROOT / "pipeline"


def test_closure_is_read_from_the_import_graph() -> None:
    prepare = cache.function_closure(per_source.prepare)[0]
    events = cache.function_closure(per_source.date_events)[0]
    assert {"pipeline.labels", "pipeline.ingest.copies", "pipeline.extract.actors",
            "pipeline.extract.terms"} <= set(prepare)
    assert "pipeline.labels" in events and "pipeline.extract.events" in events
    assert "pipeline.ingest.copies" not in events            # a step is keyed by what it runs, not its module
    # how results are written is in their keys; how the build reads them back is not
    assert "pipeline.columnar" in prepare and "pipeline.columnar" in events
    assert not {"pipeline.columnar_read", "pipeline.segments", "pipeline.corpus"} & (set(prepare) | set(events))
    inside, outside = cache.closure("pipeline.render.stage")
    assert "pipeline.render.host" in inside           # started as `python -m pipeline.render.host`
    assert "pipeline.render.worker" in inside
    assert not any(m.startswith("pipeline.extract") for m in inside)
    assert "weasyprint" in outside
    # readers are imported by name at run time: every one of them is in the readers' closure
    assert "pipeline.readers.pdf" in cache.closure("pipeline.readers")[0]
    # third-party versions, with what they require, are part of a key
    versions = cache._dist_versions(cache.closure("pipeline.readers.html")[1])
    assert any(v.startswith("trafilatura==") for v in versions)
    assert any(v.startswith("lxml==") for v in versions)


def test_store_writes_atomically_and_survives_a_pruning_neighbour(tmp_path: Path) -> None:
    store = cache.Store(tmp_path)
    store.put("stage", "k1", b"one")
    store.put("stage", "k1", b"one")                  # a second writer of the same key
    assert store.get("stage", "k1") == b"one"
    assert [p.name for p in (tmp_path / "stage").iterdir()] == ["k1"]     # no temporary left
    other = cache.Store(tmp_path)
    other.prune("stage")                              # another build's prune removes it...
    assert store.get("stage", "k1") is None           # ...and this build simply misses
    assert cache.Store(None).get("stage", "k1") is None


def _copy_package(dest: Path) -> Path:
    shutil.copytree(PACKAGE, dest / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


BUILD = ("import sys\nfrom pathlib import Path\nfrom pipeline.build import build\n"
         "build(Path(sys.argv[1]), progress=lambda m: print(m, flush=True))\n")


def _build(code: Path, project: Path, **env: str) -> str:
    run = subprocess.run([sys.executable, "-c", BUILD, str(project)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(code), **env}, timeout=600, cwd=code)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def _todo(log: str, kind: str) -> int:
    """How many sources a per-source step computed (0 when everything came from the cache)."""
    for line in log.splitlines():
        if line.startswith(f"{kind}: ") and "sources to do" in line:
            return int(line.split()[1])
    return 0


KEYS = ("from pipeline.cache import code_key\n"
        "print(code_key('pipeline.per_source'), code_key('pipeline.render.join'))\n")


def _keys(code: Path) -> list[str]:
    run = subprocess.run([sys.executable, "-c", KEYS], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(code)}, cwd=code)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout.split()


def test_a_memo_keeps_what_the_last_build_used_and_nothing_else(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / ".cache")
    calls: list[str] = []

    def compute(value: str):  # noqa: ANN202
        return lambda: calls.append(value) or value.upper()

    memo = cache.Memo(store, "sheets", "code-1")
    assert [memo.get(k, compute(k)) for k in ("a", "b", "a")] == ["A", "B", "A"] and calls == ["a", "b"]
    memo.save()
    memo = cache.Memo(store, "sheets", "code-1")            # the next build: only c is new
    assert [memo.get(k, compute(k)) for k in ("b", "c")] == ["B", "C"] and calls == ["a", "b", "c"]
    memo.save()
    memo = cache.Memo(store, "sheets", "code-1")
    assert set(memo.old) == {"b", "c"}                       # a was not asked for last time
    # kept as each value's bytes until asked for (a rebuild held 10,000 sources' values as
    # objects from its start), and a damaged value is computed again
    assert all(isinstance(v, bytes) for v in memo.old.values()) and memo.new == {}
    memo.old["c"] = b"not a pickle"
    assert memo.get("c", compute("c")) == "C" and calls[-1] == "c" and memo.get("b", compute("b")) == "B"
    assert calls == ["a", "b", "c", "c"]
    assert cache.Memo(store, "sheets", "code-2").old == {}   # other code: nothing remembered
    (tmp_path / ".cache" / "sheets" / memo.code).write_bytes(b"not a pickle")
    assert cache.Memo(store, "sheets", "code-1").old == {}   # damaged: computed again
    assert cache.Memo(cache.Store(None), "sheets", "code-1").get("x", compute("x")) == "X"


def _minhash_job(signature: object, _codebook: object) -> object:
    """A per-source function for the pool (a module's function: the workers import it)."""
    from pipeline.ingest.copies import minhash

    return minhash(signature)


def test_a_pool_run_stopped_half_way_keeps_what_it_computed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Results are stored as the pool yields them: a cold build of 10,000 sources that fails (or
    is stopped) at source 5,000 does not start from nothing again."""
    import numpy as np

    monkeypatch.setenv(cores.WORKERS_ENV, "2")
    monkeypatch.setattr(per_source, "function_key", lambda fn: "code-1")   # a test's function: not the package's code
    store = cache.Store(tmp_path / ".cache")
    jobs = [(str(i), np.arange(i, i + 50, dtype=np.uint32)) for i in range(30)]
    jobs[20] = ("20", np.array(["not a shingle"]))          # fails in the worker
    with per_source.Runner(None) as runner, pytest.raises(ValueError):
        per_source.run_cached("minhash", _minhash_job, jobs, runner, "", store)
    assert len(list((tmp_path / ".cache" / "minhash").iterdir())) >= 20
    calls: list[int] = []
    with per_source.Runner(None) as runner:
        real = runner.map
        runner.map = lambda fn, todo: calls.append(len(todo)) or real(fn, todo)
        done = per_source.run_cached("minhash", _minhash_job, jobs[:20], runner, "", store)
    assert sum(calls) == 0 and len(done) == 20      # all twenty were kept from the failed run


def test_a_data_file_shipped_beside_a_module_is_part_of_its_code(tmp_path: Path) -> None:
    """A resource the package reads at run time (english.yaml beside language.py) keys the steps
    whose closure has a module in its folder, and only those."""
    code = _copy_package(tmp_path / "code")
    before = _keys(code)
    (code / "pipeline" / "resource.yaml").write_text("words: [one, two]\n")
    after = _keys(code)
    assert after[0] != before[0]       # per_source: a module of pipeline/ itself
    (code / "pipeline" / "render" / "note.yaml").write_text("x: 1\n")
    last = _keys(code)
    assert last[0] == after[0] and last[1] != after[1]


def test_editing_a_leaf_module_reruns_every_step_that_imports_it_and_only_those(tmp_path: Path) -> None:
    code = _copy_package(tmp_path / "code")
    project = make_project(tmp_path / "project")
    first = _build(code, project)
    assert _todo(first, "prepare") == 2 and _todo(first, "events") == 2
    assert "render: cached" not in first

    # copies.py: ingest's copy signature imports it, the events step does not
    copies = code / "pipeline" / "ingest" / "copies.py"
    copies.write_text(copies.read_text() + "\n# edited\n")
    second = _build(code, project)
    assert _todo(second, "prepare") == 2
    assert _todo(second, "events") == 0

    # labels.clip, the leaf from the bug report: every step that imports it reruns, and the
    # new behaviour reaches the tables (before, `make` served the old rows)
    before = (project / "output" / "tables" / "events.csv").read_text()
    labels = code / "pipeline" / "labels.py"
    old = 'flat = _SPACE.sub(" ", raw).strip()'
    labels.write_text(labels.read_text().replace(old, old + ".upper()"))
    third = _build(code, project)
    assert _todo(third, "prepare") == 2 and _todo(third, "events") == 2
    assert "render: cached" not in third
    after = (project / "output" / "tables" / "events.csv").read_text()
    assert after != before
    titles = [row["title"] for row in csv.DictReader(io.StringIO(after))]
    assert titles and any(t.isupper() for t in titles)


def _tables(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "output" / "tables").glob("*.csv"))
            if p.name != "changes.csv"}   # changes.csv compares with the previous briefing


def test_per_source_work_reruns_for_the_changed_source_only_and_matches_a_cold_build(tmp_path: Path) -> None:
    code = ROOT
    seed = load_seed()
    a = make_project(tmp_path / "a")
    add_mixed(a / "inputs" / "sources", seed, 1, 14, words_per_source=(150, 300))
    b = tmp_path / "b"
    shutil.copytree(a, b)
    log = _build(code, a, BRIEFING_WORKERS="2")
    assert _todo(log, "prepare") == 16 and "2 local workers" in log
    _build(code, b, BRIEFING_WORKERS="1")          # the same inputs, in one process
    assert _tables(a) == _tables(b)
    assert (a / "output" / "briefing.pdf").read_bytes() == (b / "output" / "briefing.pdf").read_bytes()

    # one source more: its per-source work only, and the same tables as a cold build
    published = {p: (p.read_bytes(), p.stat().st_ino) for p in (a / "output").glob("*/*") if p.is_file()}
    add_mixed(a / "inputs" / "sources", seed, 15, 1, words_per_source=(150, 300))
    log = _build(code, a, BRIEFING_WORKERS="2")
    assert _todo(log, "prepare") == 1
    assert _todo(log, "events") < 16
    # and the files it did not change (every source's text, most worksheets) are not written again
    kept = {p for p, (data, _) in published.items() if p.is_file() and p.read_bytes() == data}
    assert {p for p in kept if p.stat().st_ino == published[p][1]} == kept
    assert {p.parent.name for p in kept} >= {"sources", "review"}
    c = tmp_path / "c"
    shutil.copytree(a / "inputs", c / "inputs")
    shutil.copytree(a / "templates", c / "templates")
    (c / "output").mkdir()
    _build(code, c, BRIEFING_WORKERS="1")
    assert _tables(a) == _tables(c)

    # removed again: nothing to compute, and the tables of the first build
    for path in (a / "inputs" / "sources").glob("synth-015.*"):
        path.unlink()
    log = _build(code, a, BRIEFING_WORKERS="2")
    assert _todo(log, "prepare") == 0 and _todo(log, "events") == 0
    assert _tables(a) == _tables(b)


def _check_loop(root: str, barrier: multiprocessing.synchronize.Barrier, trials: int, first: bool,
                failures: multiprocessing.Queue) -> None:
    from pipeline.build import build

    for _ in range(trials):
        if first:
            shutil.rmtree(Path(root) / ".cache", ignore_errors=True)
        barrier.wait(timeout=120)
        try:
            build(Path(root), check_only=True, use_cache=True)
        except Exception as exc:  # noqa: BLE001 - what a scheduler would see as exit 1
            failures.put(repr(exc))
        barrier.wait(timeout=120)


def test_two_builds_at_once_never_collide(tmp_path: Path) -> None:
    """15 trials of two builds started together on one project with an empty cache: both write
    every per-source entry at once. Then full builds, through the render parts and the lock."""
    project = make_project(tmp_path / "p")
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    failures = ctx.Queue()
    procs = [ctx.Process(target=_check_loop, args=(str(project), barrier, 15, i == 0, failures))
             for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
    assert [p.exitcode for p in procs] == [0, 0]
    found = []
    while not failures.empty():
        found.append(failures.get())
    assert found == []

    command = [sys.executable, "-m", "pipeline", "build", "--root", str(project), "--quiet"]
    for _ in range(1):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        runs = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
        codes = [(r.returncode, r.communicate(timeout=600)[1].decode()[-2000:]) for r in runs]
        codes = [(r.returncode, err) for r, (_, err) in zip(runs, codes, strict=True)]
        assert all(code in (0, 75) for code, _ in codes), codes
        assert any(code == 0 for code, _ in codes)



def test_a_dask_cluster_builds_the_same_tables_and_pdf(tmp_path: Path) -> None:
    """A real scheduler and two worker processes on loopback (the `dask` extra, which `make test`
    installs): the per-source work runs there, and the output is byte-identical to a local build."""
    pytest.importorskip("distributed", reason="the dask extra is not installed (pip install -e '.[dask]')")
    seed = load_seed()
    local = make_project(tmp_path / "local")
    add_mixed(local / "inputs" / "sources", seed, 1, 4, words_per_source=(150, 300))
    remote = tmp_path / "remote"
    shutil.copytree(local, remote)
    _build(ROOT, local, BRIEFING_WORKERS="1")

    address_file = tmp_path / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp_path}
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(address_file)], **quiet)
    workers = None
    try:
        deadline = time.monotonic() + 120
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = subprocess.Popen([*dask, "worker", address, "--nworkers", "2", "--nthreads", "1",
                                    "--no-dashboard", "--host", "127.0.0.1"], **quiet,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})   # this tree's code
        log = _build(ROOT, remote, BRIEFING_DASK_SCHEDULER=address)
    finally:
        for proc in (workers, scheduler):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    assert f"the Dask cluster at {address}" in log and _todo(log, "prepare") == 6
    assert _tables(remote) == _tables(local)
    assert (remote / "output" / "briefing.pdf").read_bytes() == (local / "output" / "briefing.pdf").read_bytes()


def _fresh_code_memo(monkeypatch: pytest.MonkeyPatch, path: Path, *, loaded: bool) -> None:
    """code_key's memo as a new process finds it: nothing in memory, `path` on disk."""
    monkeypatch.setattr(cache, "_MEMO_PATH", path)
    monkeypatch.setattr(cache, "_MEMO", {"imports": {}, "dists": {}})
    monkeypatch.setattr(cache, "_MEMO_STATE", {"loaded": loaded, "dirty": False})
    cache.imports_of.cache_clear()
    cache._dist_versions.cache_clear()


def test_the_code_memo_spares_the_next_process_parsing_and_scanning(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """What code_key learnt (each module's imports, the versions of the distributions used)
    is read back by the next build, for every module and for two sets of installed packages
    met in turn (sys.path starts with the project's folder, so two projects differ)."""
    memo = tmp_path / "memo.json"
    try:
        _fresh_code_memo(monkeypatch, memo, loaded=True)
        imports = {name: cache.imports_of(name) for name in ("pipeline.build", "pipeline.cache")}
        versions = cache._dist_versions(("pandas",))
        cache.save_memo()
        _fresh_code_memo(monkeypatch, memo, loaded=False)
        with monkeypatch.context() as other:
            other.setattr(cache, "_installed", lambda: "another-project")
            assert cache._dist_versions(("pandas",)) == versions
            cache.save_memo()

        def never(*_args: object) -> None:
            raise AssertionError("computed again, not read from the memo")

        _fresh_code_memo(monkeypatch, memo, loaded=False)
        monkeypatch.setattr(cache, "_parse_imports", never)
        monkeypatch.setattr(cache, "_scan_dists", never)
        assert {name: cache.imports_of(name) for name in imports} == imports
        assert cache._dist_versions(("pandas",)) == versions
    finally:
        cache.imports_of.cache_clear()
        cache._dist_versions.cache_clear()
