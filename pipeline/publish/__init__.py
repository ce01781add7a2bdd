"""Stage 8, publish: write a finished build beside `output/`, check it, and swap it in.

An unattended run must never leave a half-written briefing: files go to a temporary folder,
are validated, and replace `output/` with one atomic directory exchange (Linux renameat2), or a
two-step rename that the next run repairs if it was interrupted. A lock keeps builds serial.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import BuildLocked, EnvironmentFault

RENAME_EXCHANGE = 2
CHUNK = 1 << 20
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories; False where the kernel or libc cannot."""
    try:
        # the C library already loaded into this process (ctypes.util.find_library would run
        # ldconfig and gcc to find it, on every build)
        libc = ctypes.CDLL(None, use_errno=True)
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
    """Undo what an interrupted run left: stray temp folders, or an output moved aside.

    Call it only while holding the build lock: a running build's temp folder looks the same.
    """
    parent = out.parent
    stash = sorted(parent.glob(f".{out.name}-old-*"), key=lambda p: p.stat().st_mtime_ns)
    if not out.exists() and stash:
        stash[-1].rename(out)      # a two-step swap died between its renames: put the old one back
        stash = stash[:-1]
    for leftover in [*stash, *parent.glob(f".{out.name}-new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def recover_if_idle(root: Path, out: Path) -> None:
    """Repair an interrupted publish now, unless a build is running (then it will do it)."""
    parent = out.parent
    if not any(parent.glob(f".{out.name}-old-*")) and not any(parent.glob(f".{out.name}-new-*")):
        return
    from filelock import FileLock, Timeout

    lock = FileLock(str(root / ".build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return
    try:
        recover(out)
    finally:
        lock.release()


def _link_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, copy_function=os.link, dirs_exist_ok=True)


def _write(path: Path, data: bytes) -> None:
    """A new file's bytes (made durable together with the others', by _sync, before the swap)."""
    with open(path, "wb") as fh:
        fh.write(data)


def _unchanged(old: Path, data: bytes) -> bool:
    """The last build's file (a plain file, not a link) already holds exactly `data`."""
    try:
        st = old.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        # compared a piece at a time: a large table's old bytes are never all in memory beside its new ones
        view = memoryview(data)
        with open(old, "rb") as fh:
            for at in range(0, len(data), CHUNK):
                if fh.read(CHUNK) != view[at:at + CHUNK]:
                    return False
            return not fh.read(1)
    except OSError:
        return False


def _sync(folder: Path, written: list[Path]) -> None:
    """Make the new files durable before the swap: one syncfs(2) of the file system that holds
    them (a 2,000-source briefing writes 4,000 files; an fsync each cost ~5 ms apiece, 20-30 s),
    else an fsync per written file where the C library has no syncfs."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        syncfs = None
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in written:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


BUILD_ID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$")


def _previous_id(out: Path) -> str | None:
    """The build id of the briefing now in `out`, safe to use as a folder name."""
    path = out / "manifest.json"
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        value = json.loads(raw).get("build_id")
    except (ValueError, AttributeError):
        value = None
    if isinstance(value, str) and BUILD_ID_RE.match(value):
        return value
    return "unknown-" + hashlib.sha256(raw).hexdigest()[:12]


def check_writable(out: Path) -> None:
    """A read-only `output/` (mode without the owner's write bit, or not writable by this user)
    is the user's way of saying "keep this one": refused (exit 74) before any work, never swapped
    out, which root could do, leaving a copy nobody else can delete. The folder that holds it
    must be writable too: the new build is written beside it."""
    parent = out.parent
    if out.exists():
        mode = out.stat().st_mode
        if not (mode & stat.S_IWUSR) or not os.access(out, os.W_OK | os.X_OK):
            raise EnvironmentFault.at(out, "output folder is read-only; it was left as it is",
                                      f"make it writable (chmod u+w {out.name}) to build a new briefing "
                                      "into it, or build into a copy of the project")
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise EnvironmentFault.at(parent, "cannot write beside the output folder (permission denied)",
                                  "give the user running the build write permission on the project folder")


def publish(out: Path, files: dict[str, bytes], keep: int, build_id: str, protect: str | None = None) -> None:
    """Replace `out` with `files`; the previous briefing goes to out/archive/ (last `keep`, and
    `protect`, the briefing this one was compared with, however old: a later re-issue needs it).

    The new build is written to `.output-new-<pid>` beside `out`, read back, and exchanged
    with `out` in one atomic step; `out` is always either the old or the new complete build.
    """
    with Staging(out) as staging:
        for rel, data in files.items():
            staging.add(rel, data)
        staging.publish(keep, build_id, protect)


class Staging:
    """publish() a file at a time: each file is written to the new build's folder when it is
    made, so the build holds no more than one file's bytes (at 5,000 sources a dict of every
    file's bytes, ~0.6 GB, made the build's peak). Use as a context manager, under the build
    lock: a failure before `publish` leaves nothing beside `out`, and `out` as it was."""

    def __init__(self, out: Path):
        self.out = out
        self.tmp = out.parent / f".{out.name}-new-{os.getpid()}"
        self.written: dict[str, bytes] = {}     # path -> sha256 of what was written (read back later)
        self.names: set[str] = set()
        self.finished = False                   # publish() ran: it cleans up after itself

    def __enter__(self) -> Staging:
        check_writable(self.out)
        recover(self.out)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None and not self.finished:
            # a full disk (or any other failure) before the swap leaves nothing behind on it
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __contains__(self, rel: str) -> bool:
        return rel in self.names

    def add(self, rel: str, data: bytes) -> None:
        """The file `rel` of the new build (a second add of the same path replaces the first)."""
        path = self.tmp / rel
        if rel in self.names:
            path.unlink()          # never written through: it may be a link to the last build's file
            self.written.pop(rel, None)
        self.names.add(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A file the last build already published with these bytes (a source's text, most
        # worksheets when one source is added) is linked, not written again: it is on disk
        # already, and files here are only ever replaced, never changed in place.
        if _unchanged(self.out / rel, data):
            try:
                os.link(self.out / rel, path, follow_symlinks=False)
                return
            except OSError:
                pass
        _write(path, data)
        self.written[rel] = hashlib.sha256(data).digest()

    def publish(self, keep: int, build_id: str, protect: str | None = None) -> None:
        """The staged build, verified, in place of `out` (see publish())."""
        out, tmp = self.out, self.tmp
        self.finished = True
        try:
            _stage(out, tmp, self.written, keep, build_id, protect)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if out.exists():
            if not _exchange(tmp, out):
                stash = out.parent / f".{out.name}-old-{os.getpid()}"
                out.rename(stash)
                tmp.rename(out)
                _fsync_dir(out.parent)
                shutil.rmtree(stash, ignore_errors=True)
            else:
                _fsync_dir(out.parent)
                shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.rename(out)
            _fsync_dir(out.parent)


def _stage(out: Path, tmp: Path, written: dict[str, bytes], keep: int, build_id: str,
           protect: str | None) -> None:
    """The new build in `tmp` (its files written there), complete and verified, with the
    archive carried over. `written`: the files written (not linked), with their sha256."""
    (tmp / ".gitkeep").touch()
    _verify(tmp, written)
    if out.exists():
        if (out / "archive").is_dir():
            _link_tree(out / "archive", tmp / "archive")
        old_id = _previous_id(out)
        if keep and old_id and old_id != build_id:
            dest = tmp / "archive" / old_id
            shutil.rmtree(dest, ignore_errors=True)     # same inputs built again: newest copy wins
            dest.mkdir(parents=True)
            for name in ("briefing.pdf", "briefing.html", "manifest.json", "changes.json"):
                if (out / name).is_file():
                    os.link(out / name, dest / name)
            for folder in ("tables", "fonts"):     # fonts: what the archived briefing.html uses
                if (out / folder).is_dir():
                    _link_tree(out / folder, dest / folder)
    _prune(tmp / "archive", keep, protect)
    _sync(tmp, [tmp / rel for rel in written])
    _fsync_dir(tmp)


def _prune(archive: Path, keep: int, protect: str | None = None) -> None:
    """Keep the newest `keep` archived builds (by build time, then by when they were written)."""
    if not archive.is_dir():
        return

    def age(p: Path) -> tuple[str, int]:
        manifest = p / "manifest.json"
        try:
            built_at = json.loads(manifest.read_text()).get("built_at", "")
        except (OSError, ValueError, AttributeError):
            built_at = ""
        return (built_at if isinstance(built_at, str) else "", manifest.stat().st_mtime_ns)

    builds = sorted((p for p in archive.iterdir() if (p / "manifest.json").is_file()), key=age)
    for old in builds[: max(0, len(builds) - keep)]:
        if keep and old.name == protect:
            continue
        shutil.rmtree(old, ignore_errors=True)
    if keep == 0 and not any(archive.iterdir()):
        archive.rmdir()


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(5)


def _verify(folder: Path, written: dict[str, bytes]) -> None:
    """Read back what was written (path -> its sha256) before it replaces the last good build."""
    for rel, sha in written.items():
        if hashlib.sha256((folder / rel).read_bytes()).digest() != sha:
            raise OSError(f"verification failed for {rel}")
    pdf = folder / "briefing.pdf"
    if pdf.is_file() and _head(pdf) != b"%PDF-":
        raise OSError("briefing.pdf is not a PDF")
