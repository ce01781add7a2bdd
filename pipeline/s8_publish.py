"""Stage 8, publish: write a finished build beside `output/`, check it, and swap it in.

An unattended run must never leave a half-written briefing: files go to a temporary folder,
are validated, and replace `output/` with one atomic directory exchange (Linux renameat2), or a
two-step rename that the next run repairs if it was interrupted. A lock keeps builds serial.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipeline.errors import BuildLocked

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories; False where the kernel or libc cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


@contextmanager
def build_lock(root: Path, timeout: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(str(root / ".build.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise BuildLocked.at(root / ".build.lock", None,
                             f"another build has held the lock for {timeout:g} s",
                             "wait for it to finish, or raise lock_timeout in inputs/briefing.yaml") from None
    try:
        yield
    finally:
        lock.release()


def recover(out: Path) -> None:
    """Undo what an interrupted run left: stray temp folders, or an output moved aside."""
    parent = out.parent
    stash = sorted(parent.glob(f".{out.name}-old-*"))
    if not out.exists() and stash:
        stash[-1].rename(out)
        stash = stash[:-1]
    for leftover in [*stash, *parent.glob(f".{out.name}-new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _link_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, copy_function=os.link, dirs_exist_ok=True)


def publish(out: Path, files: dict[str, bytes], keep: int, build_id: str) -> None:
    """Replace `out` with `files`; the previous briefing goes to out/archive/ (last `keep`)."""
    recover(out)
    tmp = out.parent / f".{out.name}-new-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for rel, data in files.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (tmp / ".gitkeep").touch()
    _verify(tmp, files)
    if out.exists():
        if (out / "archive").is_dir():
            _link_tree(out / "archive", tmp / "archive")
        old_manifest = out / "manifest.json"
        if keep and old_manifest.exists():
            old_id = json.loads(old_manifest.read_text()).get("build_id", "previous")
            if old_id != build_id:
                dest = tmp / "archive" / old_id
                dest.mkdir(parents=True, exist_ok=True)
                for name in ("briefing.pdf", "briefing.html", "manifest.json", "changes.json"):
                    if (out / name).exists():
                        os.link(out / name, dest / name)
                if (out / "tables").is_dir():
                    _link_tree(out / "tables", dest / "tables")
        _prune(tmp / "archive", keep)
        if not _exchange(tmp, out):
            stash = out.parent / f".{out.name}-old-{os.getpid()}"
            out.rename(stash)
            tmp.rename(out)
            shutil.rmtree(stash, ignore_errors=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.rename(out)


def _prune(archive: Path, keep: int) -> None:
    if not archive.is_dir():
        return
    builds = sorted((p for p in archive.iterdir() if (p / "manifest.json").exists()),
                    key=lambda p: json.loads((p / "manifest.json").read_text()).get("built_at", ""))
    for old in builds[: max(0, len(builds) - keep)]:
        shutil.rmtree(old, ignore_errors=True)


def _verify(folder: Path, files: dict[str, bytes]) -> None:
    """Read back what was written before it replaces the last good build."""
    for rel, data in files.items():
        got = (folder / rel).read_bytes()
        if hashlib.sha256(got).digest() != hashlib.sha256(data).digest():
            raise OSError(f"verification failed for {rel}")
    if "briefing.pdf" in files and not files["briefing.pdf"].startswith(b"%PDF-"):
        raise OSError("briefing.pdf is not a PDF")
