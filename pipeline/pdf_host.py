"""The render host: a helper process that lays out the briefing's parts and joins them.

build() starts it first thing, so importing WeasyPrint and pypdf (about a second) overlaps the
table stages. It reads one request from stdin, answers on stdout, and exits at end of input.
It forks one worker per part (a clean, single-threaded process that has WeasyPrint loaded is
safe and cheap to fork), so a cold build uses every core and a rebuild lays out only the parts
whose HTML changed. Requests and answers are pickled by multiprocessing.connection.

Request: {"parts": [html, ...], "templates", "created", "variant", "identifier", "attachments",
"cache"}. Answer: ("ok", pdf, pages, timings) or ("error", kind, text).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import time
import traceback
from multiprocessing.connection import Connection, wait
from pathlib import Path

from pipeline.pdf_join import join
from pipeline.pdf_parts import Part
from pipeline.pdf_worker import render_part

READY = time.time()


def main() -> None:
    requests = Connection(os.dup(sys.stdin.fileno()), writable=False)
    answers = Connection(os.dup(sys.stdout.fileno()), readable=False)
    sys.stdout = sys.stderr            # the channel is ours: stray prints go to stderr
    while True:
        try:
            request = requests.recv()
        except EOFError:
            return
        try:
            answers.send(("ok", *render(request)))
        except RenderError as exc:
            answers.send(("error", exc.kind, exc.text))
        except Exception:  # noqa: BLE001 - the build process reports it
            answers.send(("error", "crash", traceback.format_exc()))


class RenderError(Exception):
    def __init__(self, kind: str, text: str):
        super().__init__(text)
        self.kind, self.text = kind, text


def render(request: dict) -> tuple[bytes, int, dict]:
    received = time.time()
    parts = [Part(i, html) for i, html in enumerate(request["parts"])]
    job = {"templates": request["templates"], "created": request["created"], "variant": request["variant"]}
    cache = PartCache(Path(request["cache"]) if request["cache"] else None)
    layout = Layout(parts, job, request["attachments"], cache)
    rendered = layout.run()
    joining = time.time()
    pdf = join([pdf for pdf, _ in rendered], request["identifier"])
    host = {"ready": READY, "received": received, "joining": joining, "joined": time.time()}
    timings = {"host": host, **layout.timings}
    return pdf, sum(n for _, n in rendered), timings


class PartCache:
    """Rendered parts on disk: page counts and anchors by part, PDFs by part and page numbers."""

    def __init__(self, folder: Path | None, keep: int = 96):
        self.folder = folder / "parts" if folder else None
        self.keep = keep
        self.used: list[Path] = []

    def _path(self, kind: str, key: str) -> Path | None:
        return self.folder / f"{kind}-{key}" if self.folder else None

    def get(self, kind: str, key: str) -> bytes | None:
        path = self._path(kind, key)
        if path is None or not path.exists():
            return None
        self.used.append(path)
        return path.read_bytes()

    def put(self, kind: str, key: str, data: bytes) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        self.used.append(path)

    def prune(self) -> None:
        """Keep what this build used and the newest others, up to `keep` files."""
        if not self.folder or not self.folder.is_dir():
            return
        for path in self.used:
            if path.exists():
                os.utime(path)
        entries = sorted(self.folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[max(self.keep, len(set(self.used))):]:
            old.unlink(missing_ok=True)


class Layout:
    """Schedules the parts on worker processes and settles their page numbers.

    1. Page counts (and where each id falls) come from the cache, or from workers that pause
       before their margins; the largest parts start first, one per core.
    2. With every count known, each paused part gets its first page number and the total.
    3. Parts that print other parts' page numbers (the contents) are rendered with them filled in.
    A part whose PDF for its numbers is cached is not laid out again."""

    def __init__(self, parts: list, job: dict, attachments: list[tuple[str, str]], cache: PartCache):
        self.parts, self.job, self.attachments, self.cache = parts, job, attachments, cache
        self.refs = {p.index for p in parts if p.page_refs}
        self.counts: dict[int, int] = {}
        self.anchors: dict[int, dict[str, int]] = {}
        self.pdfs: dict[int, bytes] = {}
        self.timings: dict[int, dict[str, float]] = {}
        self.queue: list[tuple[object, tuple[int, int] | None, str]] = []
        self.paused: dict[int, object] = {}
        self.running: dict[object, tuple[object, str, object]] = {}   # conn -> part, kind, process
        self.busy = 0
        self.cores = os.cpu_count() or 1

    def run(self) -> list[tuple[bytes, int]]:
        self.ctx = multiprocessing.get_context("fork")
        try:
            for part in self.parts:
                counted = self.cache.get("count", part.with_pages(None).key)
                if counted:
                    found = json.loads(counted)
                    self.counts[part.index], self.anchors[part.index] = found["pages"], found["anchors"]
                elif part.index in self.refs:     # contents: only its page count is wanted now
                    self._queue(part.with_pages(None), None, "count")
                else:
                    self._queue(part, None, "full")
            self._settle()
            while self.running:
                self._receive()
                self._start_queued()
        finally:
            for _, _, process in self.running.values():
                process.kill()
        missing = [p.index for p in self.parts if p.index not in self.pdfs]
        if missing:
            raise RuntimeError(f"parts {missing} were never rendered")
        self.cache.prune()
        return [(self.pdfs[p.index], self.counts[p.index]) for p in self.parts]

    def _numbers(self, index: int) -> tuple[int, int]:
        offset = sum(self.counts[p.index] for p in self.parts if p.index < index)
        return offset, sum(self.counts.values())

    def _settle(self) -> None:
        """Once every count is known: resume paused parts and queue every part still due."""
        if len(self.counts) < len(self.parts):
            self._start_queued()
            return
        for index, conn in sorted(self.paused.items()):
            conn.send(self._numbers(index))
            self.busy += 1
        self.paused.clear()
        pages = {}
        for part in reversed(self.parts):
            if part.index not in self.refs:
                offset, _ = self._numbers(part.index)
                pages.update({name: offset + page + 1 for name, page in self.anchors[part.index].items()})
        rendering = {part.index for part, kind, _ in self.running.values() if kind == "full"}
        due = {p.index for p in self.parts} - set(self.pdfs) - rendering
        for part in self.parts:
            if part.index in due:
                final = part.with_pages(pages) if part.index in self.refs else part
                numbers = self._numbers(part.index)
                pdf = self.cache.get("pdf", self._pdf_key(final, *numbers))
                if pdf is not None:
                    self.pdfs[part.index] = pdf
                else:
                    self._queue(final, numbers, "full")
        self._start_queued()

    def _pdf_key(self, final: object, offset: int, total: int) -> str:
        extra = json.dumps([offset, total, self.job["variant"], str(self.job["created"]),
                            self.attachments if final.index == 0 else []])
        return hashlib.sha256(final.key.encode() + extra.encode()).hexdigest()[:24]

    # -- workers
    def _queue(self, part: object, numbers: tuple[int, int] | None, kind: str) -> None:
        self.queue.append((part, numbers, kind))
        self.queue.sort(key=lambda item: -len(item[0].html))     # largest first

    def _start_queued(self) -> None:
        """Counting runs one part per core; once every count is known, the rest starts at once."""
        counting = len(self.counts) < len(self.parts)
        while self.queue and (self.busy < self.cores or not counting):
            part, numbers, kind = self.queue.pop(0)
            job = dict(self.job, html=part.html, offset=numbers[0] if numbers else None,
                       total=numbers[1] if numbers else None,
                       attachments=self.attachments if part.index == 0 else [])
            parent, child = self.ctx.Pipe()
            process = self.ctx.Process(target=render_part, args=(job, child), daemon=True)
            process.start()
            child.close()
            self.running[parent] = (part, kind, process)
            self.busy += 1

    def _receive(self) -> None:
        for conn in wait(list(self.running)):
            part, kind, process = self.running[conn]
            try:
                message = conn.recv()
            except EOFError:
                process.join()
                message = ("error", "crash", f"the worker for part {part.index} exited ({process.exitcode})")
            if message[0] == "count":
                _, pages, anchors = message
                self.counts[part.index], self.anchors[part.index] = pages, anchors
                self.busy -= 1
                if kind == "count":      # a contents part: its count is all that was wanted
                    del self.running[conn]
                    conn.send(None)
                    self.cache.put("count", part.with_pages(None).key,
                                   json.dumps({"pages": pages, "anchors": anchors}).encode())
                else:
                    self.paused[part.index] = conn
                self._settle()
            elif message[0] == "done":
                _, pdf, pages, anchors, self.timings[part.index] = message
                del self.running[conn]
                self.busy -= 1
                if pages != self.counts[part.index]:
                    raise RuntimeError(f"part {part.index} has {pages} pages, {self.counts[part.index]} expected")
                self.pdfs[part.index] = pdf
                self.cache.put("count", part.with_pages(None).key,
                               json.dumps({"pages": pages, "anchors": anchors}).encode())
                self.cache.put("pdf", self._pdf_key(part, *self._numbers(part.index)), pdf)
            else:
                del self.running[conn]
                self._fail(message)

    @staticmethod
    def _fail(message: tuple) -> None:
        _, kind, text = message
        raise RenderError(kind, text)


if __name__ == "__main__":
    main()
