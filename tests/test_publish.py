"""Publishing: output/ is always the old complete build or the new one, never a mix.

(a) a crash at each step of publish(), in-process; (b) a real `kill -9` of a build process,
at seeded random moments and at each step of the swap; (c) the archive keeps the last N
builds; (d) a held lock makes a second build exit 75 without touching output/.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import pipeline.publish as pub
from tests.conftest import ROOT
from tests.test_bad_inputs import copy_project, tree_hashes

# --------------------------------------------------------------------------- synthetic builds


def fake_build(build_id: str, built_at: str) -> dict[str, bytes]:
    pdf = b"%PDF-1.7\n% build " + build_id.encode() + b"\n%%EOF\n"
    manifest = {"build_id": build_id, "built_at": built_at,
                "pdf_sha256": hashlib.sha256(pdf).hexdigest()}
    return {"briefing.pdf": pdf, "briefing.html": f"<p>{build_id}</p>".encode(),
            "changes.json": b"{}", "tables/events.csv": f"event_id\n{build_id}\n".encode(),
            "review/x.yaml": b"events: []\n",
            "manifest.json": json.dumps(manifest).encode()}


def complete_build(out: Path) -> str:
    """The id of the build in `out`, after checking it is whole: every file of the build is
    there with the content its manifest and PDF say. Fails on a half-written or mixed folder.
    (An archived build keeps the briefing, manifest, changes and tables, not the worksheets.)"""
    archived = out.parent.name == "archive"
    manifest = json.loads((out / "manifest.json").read_text())
    pdf = (out / "briefing.pdf").read_bytes()
    assert manifest["pdf_sha256"] == hashlib.sha256(pdf).hexdigest(), "PDF and manifest disagree"
    build_id = manifest["build_id"]
    if (out / "tables" / "events.csv").read_text().startswith("event_id\n"):     # a fake build
        for rel, data in fake_build(build_id, manifest["built_at"]).items():
            if not (archived and rel.startswith("review/")):
                assert (out / rel).read_bytes() == data, rel
    else:
        for name in ("briefing.html", "changes.json", "tables/events.csv", "tables/notes.csv"):
            assert (out / name).is_file(), name
    return build_id


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".output-"))


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    out = tmp_path / "output"
    pub.publish(out, fake_build("old", "2026-01-01T00:00:00Z"), 5, "old")
    return out


# --------------------------------------------------------------------------- (a) crash points


class Crash(Exception):
    pass


def _crash_after_calls(monkeypatch: pytest.MonkeyPatch, name: str, after: int) -> None:
    real = getattr(pub, name)
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            raise Crash(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(pub, name, wrapper)


def _crash_after_rename(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """Let the rename of a folder whose name starts with `prefix` happen, then crash."""
    real = Path.rename

    def rename(self: Path, target: Path) -> Path:
        result = real(self, target)
        if self.name.startswith(prefix):
            raise Crash(f"after renaming {self.name}")
        return result

    monkeypatch.setattr(Path, "rename", rename)


def _crash_in_cleanup(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """Crash when the swap's last step (removing the displaced folder) starts."""
    real = shutil.rmtree
    swapped = {"yes": False}
    real_exchange = pub._exchange

    def exchange(a: Path, b: Path) -> bool:
        ok = real_exchange(a, b)
        swapped["yes"] = True
        return ok

    def rmtree(path, *args, **kwargs):  # noqa: ANN001, ANN202
        if Path(path).name.startswith(prefix) and swapped["yes"]:
            raise Crash(f"removing {Path(path).name}")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pub, "_exchange", exchange)
    monkeypatch.setattr(pub.shutil, "rmtree", rmtree)


def _no_exchange(monkeypatch: pytest.MonkeyPatch) -> None:
    """The two-step path used where renameat2 cannot swap folders."""
    monkeypatch.setattr(pub, "_exchange", lambda a, b: False)


CRASH_POINTS = {
    # point: (how to crash, state of output/ right after the crash, state after recover())
    "while-writing-files": (lambda mp: _crash_after_calls(mp, "_write", 2), "old", "old"),
    "after-temp-written": (lambda mp: _crash_after_calls(mp, "_verify", 0), "old", "old"),
    "while-archiving": (lambda mp: _crash_after_calls(mp, "_prune", 0), "old", "old"),
    "before-exchange": (lambda mp: _crash_after_calls(mp, "_exchange", 0), "old", "old"),
    "after-exchange": (lambda mp: _crash_in_cleanup(mp, ".output-new-"), "new", "new"),
    "two-step-after-first-rename": (
        lambda mp: (_no_exchange(mp), _crash_after_rename(mp, "output")), None, "old"),
    "two-step-after-second-rename": (
        lambda mp: (_no_exchange(mp), _crash_after_rename(mp, ".output-new-")), "new", "new"),
    "two-step-while-removing-old": (
        lambda mp: (_no_exchange(mp), _crash_in_cleanup(mp, ".output-old-")), "new", "new"),
}


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_crash_at_each_step_of_publish(point: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arrange, right_after, after_recover = CRASH_POINTS[point]
    with monkeypatch.context() as mp:
        arrange(mp)
        with pytest.raises(Crash):
            pub.publish(out, fake_build("new", "2026-01-02T00:00:00Z"), 5, "new")
    if right_after is None:
        # The two-step swap's one window: output/ is moved aside, the next run puts it back.
        assert not out.exists() and any(n.startswith(".output-old-") for n in leftovers(out.parent))
    else:
        assert complete_build(out) == right_after
    pub.recover(out)
    assert complete_build(out) == after_recover
    assert leftovers(out.parent) == []
    # and the next publish works normally from there
    pub.publish(out, fake_build("next", "2026-01-03T00:00:00Z"), 5, "next")
    assert complete_build(out) == "next" and leftovers(out.parent) == []
    assert complete_build(out / "archive" / after_recover) == after_recover


def test_next_cli_run_repairs_even_when_it_then_fails(tiny_built: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A build killed between the two renames left output/ moved aside; the next run puts it
    back before it even reads the inputs, so a bad-input run does not leave output/ missing."""
    from pipeline.__main__ import main

    project = copy_project(tiny_built, tmp_path / "p")
    before = tree_hashes(project / "output")
    (project / "output").rename(project / ".output-old-4242")
    (project / ".output-new-4242").mkdir()
    (project / "inputs" / "briefing.yaml").write_text("title: [\n")
    assert main(["build", "--root", str(project), "--quiet"]) == 2
    assert tree_hashes(project / "output") == before
    assert leftovers(project) == []
    capsys.readouterr()


# --------------------------------------------------------------------------- (b) kill -9

DRIVER = textwrap.dedent('''
    """Run the CLI, but SIGKILL this process at one point of publish()."""
    import os, signal, sys
    from pathlib import Path

    import pipeline.publish as pub

    point = sys.argv[1]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    real_rename, real_verify, real_exchange = Path.rename, pub._verify, pub._exchange
    if point == "after-temp-written":
        def _verify(*args):
            real_verify(*args)
            die()
        pub._verify = _verify
    elif point == "after-exchange":
        def _exchange(a, b):
            real_exchange(a, b)
            die()
        pub._exchange = _exchange
    elif point.startswith("two-step"):
        pub._exchange = lambda a, b: False
        moved = "output" if point == "two-step-after-first-rename" else ".output-new-"
        def rename(self, target):
            result = real_rename(self, target)
            if self.name.startswith(moved):
                die()
            return result
        Path.rename = rename

    from pipeline.__main__ import main
    sys.exit(main(sys.argv[2:]))
''')


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _title(project: Path) -> str:
    html = (project / "output" / "briefing.html").read_text()
    return html.split("<title>", 1)[1].split("</title>", 1)[0]


def _set_title(project: Path, title: str) -> None:
    path = project / "inputs" / "briefing.yaml"
    lines = [f'title: "{title}"' if line.startswith("title:") else line
             for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")


KILL_POINTS = {"after-temp-written": "old", "after-exchange": "new",
               "two-step-after-first-rename": "old", "two-step-after-second-rename": "new"}


def test_kill_9_at_each_step_of_the_swap(tiny_built: Path, tmp_path: Path) -> None:
    """A real SIGKILL (no Python cleanup runs) at each step; the next run leaves no debris."""
    project = copy_project(tiny_built, tmp_path / "p", cache=True)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    out = project / "output"
    titles = [_title(project), "Kill test"]     # alternate: each render is cached after the first
    for point, expected in KILL_POINTS.items():
        old_title = _title(project)
        new_title = titles[1] if old_title == titles[0] else titles[0]
        _set_title(project, new_title)
        proc = subprocess.run([sys.executable, str(driver), point, "build", "--root", str(project),
                               "--quiet"], env=_env(), capture_output=True, text=True, timeout=120)
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        if out.exists():
            complete_build(out)
            assert _title(project) == {"old": old_title, "new": new_title}[expected], point
        else:
            assert point == "two-step-after-first-rename"
        assert leftovers(project), "the kill should have left a temp folder"
        # the next run (here: the repair step every build starts with) cleans up
        pub.recover_if_idle(project, out)
        complete_build(out)
        assert _title(project) == {"old": old_title, "new": new_title}[expected], point
        assert leftovers(project) == []


def test_kill_9_at_seeded_random_moments(tiny_built: Path, tmp_path: Path) -> None:
    """`kill -9` of `python -m pipeline build --no-cache` at 0.5, 1.5 and 3 s and at seeded
    random moments across a measured build: output/ is always one whole build."""
    project = copy_project(tiny_built, tmp_path / "p")
    out = project / "output"
    cmd = [sys.executable, "-m", "pipeline", "build", "--root", str(project), "--no-cache", "--quiet"]
    # how long a build takes here: the in-process build time plus interpreter start-up
    duration = json.loads((out / "manifest.json").read_text())["build_seconds"] + 1.5
    rng = random.Random(5)
    moments = [0.5, 1.5, 3.0, round(rng.uniform(0.8, 1.05) * duration, 2)]
    seen = []
    for k, moment in enumerate(moments):
        old_title, new_title = _title(project), f"Kill at {moment} s (run {k})"
        _set_title(project, new_title)
        proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        proc.stderr.close()
        complete_build(out)
        title = _title(project)
        assert title in (old_title, new_title), (moment, title)
        seen.append("new" if title == new_title else "old")
        pub.recover_if_idle(project, out)
        assert leftovers(project) == []
        complete_build(out)
        assert len(list((out / "archive").iterdir())) <= 2 if (out / "archive").exists() else True
    print(f"build about {duration:.1f} s; kills at {moments} left output/ as {seen}")


# --------------------------------------------------------------------------- (c) archive


def test_archive_keeps_the_last_n_builds(tmp_path: Path) -> None:
    out = tmp_path / "output"
    for k in range(7):
        pub.publish(out, fake_build(f"b{k}", f"2026-01-0{k + 1}T06:15:00Z"), 3, f"b{k}")
    assert complete_build(out) == "b6"
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["b3", "b4", "b5"]
    for name in ("b3", "b4", "b5"):
        assert complete_build(out / "archive" / name) == name
        assert (out / "archive" / name / "tables" / "events.csv").is_file()


def test_archive_order_within_one_second_follows_write_time(tmp_path: Path) -> None:
    """Scheduled builds can finish within the same second: the newest are still the ones kept."""
    out = tmp_path / "output"
    for k in range(5):
        pub.publish(out, fake_build(f"s{k}", "2026-01-05T06:15:00Z"), 2, f"s{k}")
        time.sleep(0.01)
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["s2", "s3"]


def test_rebuilding_an_archived_build_id_does_not_crash(tmp_path: Path) -> None:
    """A → B → A (an edit reverted) → C: A is archived a second time; the newest copy wins."""
    out = tmp_path / "output"
    for k, bid in enumerate(["aaa", "bbb", "aaa", "ccc"]):
        pub.publish(out, fake_build(bid, f"2026-01-0{k + 1}T00:00:00Z"), 5, bid)
    assert complete_build(out) == "ccc"
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["aaa", "bbb"]
    assert json.loads((out / "archive" / "aaa" / "manifest.json").read_text())["built_at"] \
        == "2026-01-03T00:00:00Z"


def test_keep_builds_zero_keeps_no_archive(tmp_path: Path) -> None:
    out = tmp_path / "output"
    for k in range(3):
        pub.publish(out, fake_build(f"z{k}", f"2026-01-0{k + 1}T00:00:00Z"), 0, f"z{k}")
    assert complete_build(out) == "z2" and not (out / "archive").exists()


def test_a_tampered_manifest_cannot_steer_the_archive(tmp_path: Path) -> None:
    """The previous build's id names a folder: a manifest saying '../../x' stays inside."""
    out = tmp_path / "output"
    pub.publish(out, fake_build("one", "2026-01-01T00:00:00Z"), 5, "one")
    (out / "manifest.json").write_text(json.dumps({"build_id": "../../escaped"}))
    pub.publish(out, fake_build("two", "2026-01-02T00:00:00Z"), 5, "two")
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()
    names = [p.name for p in (out / "archive").iterdir()]
    assert len(names) == 1 and names[0].startswith("unknown-")
    (out / "manifest.json").write_text("{not json")
    pub.publish(out, fake_build("three", "2026-01-03T00:00:00Z"), 5, "three")
    assert complete_build(out) == "three"


def test_unchanged_files_are_linked_not_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A daily rebuild republishes thousands of files it did not change (sources' texts, most
    worksheets): those keep the last build's file (same inode, nothing written), the changed ones
    are new files, and the briefing is whole either way."""
    out = tmp_path / "output"
    pub.publish(out, fake_build("one", "2026-01-01T00:00:00Z"), 5, "one")
    before = {rel: (out / rel).stat().st_ino for rel in fake_build("one", "")}
    written: list[str] = []
    real = pub._write
    monkeypatch.setattr(pub, "_write", lambda path, data: (written.append(path.name), real(path, data)))
    pub.publish(out, fake_build("two", "2026-01-02T00:00:00Z"), 5, "two")
    assert complete_build(out) == "two" and complete_build(out / "archive" / "one") == "one"
    after = {rel: (out / rel).stat().st_ino for rel in fake_build("two", "")}
    same = {rel for rel in before if before[rel] == after[rel]}
    assert same == {"changes.json", "review/x.yaml"}      # the two files whose bytes did not change
    assert sorted(written) == ["briefing.html", "briefing.pdf", "events.csv", "manifest.json"]


def test_a_link_in_output_is_never_linked_into_the_next_build(tmp_path: Path) -> None:
    """Only the last build's own plain files are reused: a symbolic link a user put in output/
    (to a file elsewhere with the very bytes of the new build) is replaced by a new file."""
    out = tmp_path / "output"
    pub.publish(out, fake_build("one", "2026-01-01T00:00:00Z"), 5, "one")
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_bytes(b"events: []\n")
    (out / "review" / "x.yaml").unlink()
    (out / "review" / "x.yaml").symlink_to(elsewhere)
    pub.publish(out, fake_build("two", "2026-01-02T00:00:00Z"), 5, "two")
    fresh = out / "review" / "x.yaml"
    assert not fresh.is_symlink() and fresh.read_bytes() == b"events: []\n"
    assert fresh.stat().st_ino != elsewhere.stat().st_ino


def test_new_files_are_made_durable_before_the_swap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One sync of the file system before the exchange (not an fsync per file), and the files it
    covers are the ones this build wrote; with no syncfs, each written file is fsynced."""
    out = tmp_path / "output"
    pub.publish(out, fake_build("one", "2026-01-01T00:00:00Z"), 5, "one")
    synced: list[list[str]] = []
    real_sync = pub._sync

    def sync(folder: Path, written: list[Path]) -> None:
        assert folder.name.startswith(".output-new-") and (folder / "briefing.pdf").is_file()
        synced.append(sorted(p.name for p in written))
        real_sync(folder, written)

    monkeypatch.setattr(pub, "_sync", sync)
    pub.publish(out, fake_build("two", "2026-01-02T00:00:00Z"), 5, "two")
    assert synced == [["briefing.html", "briefing.pdf", "events.csv", "manifest.json"]]
    fsynced: list[int] = []
    monkeypatch.setattr(pub.ctypes, "CDLL", lambda *a, **k: (_ for _ in ()).throw(OSError("no libc")))
    real_fsync = os.fsync
    monkeypatch.setattr(pub.os, "fsync", lambda fd: (fsynced.append(fd), real_fsync(fd)))
    pub.publish(out, fake_build("three", "2026-01-03T00:00:00Z"), 5, "three")
    assert complete_build(out) == "three"
    assert len(fsynced) >= 4       # the four changed files (and the folders)


# --------------------------------------------------------------------------- (d) lock


def test_held_lock_exits_75_and_leaves_output_alone(tiny_built: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from filelock import FileLock

    from pipeline.__main__ import main

    project = copy_project(tiny_built, tmp_path / "p")
    path = project / "inputs" / "briefing.yaml"
    path.write_text(path.read_text().replace("lock_timeout: 5", "lock_timeout: 0.5"))
    (project / ".output-new-999999").mkdir()        # another build's temp folder, mid-write
    before = tree_hashes(project / "output")
    capsys.readouterr()
    with FileLock(str(project / ".build.lock")):
        t0 = time.perf_counter()
        code = main(["build", "--root", str(project), "--quiet"])
        waited = time.perf_counter() - t0
    err = capsys.readouterr().err
    assert code == 75, err
    assert "another build has held the lock for 0.5 s" in err and ".build.lock" in err
    assert "fix: wait for it to finish, or raise lock_timeout" in err
    assert "Traceback" not in err
    assert 0.5 <= waited < 15
    assert tree_hashes(project / "output") == before
    assert leftovers(project) == [".output-new-999999"], "a running build's folder was touched"
    # once the lock is free, the next run's first step cleans up
    pub.recover_if_idle(project, project / "output")
    assert leftovers(project) == []
