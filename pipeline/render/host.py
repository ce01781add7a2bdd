"""The render host: a helper process that lays out the briefing's parts and joins them.

build() starts it first thing, so importing WeasyPrint and pypdf (about a second) overlaps the
table stages. It reads one request from stdin, answers on stdout, and exits at end of input.
It forks one worker per part (a clean, single-threaded process that has WeasyPrint loaded is
safe and cheap to fork), so a cold build uses every core and a rebuild lays out only the parts
whose HTML changed. Requests and answers are pickled by multiprocessing.connection.

Usage: `python -m pipeline.render.host SCRATCH [TEMPLATES]`. Every file the host and its
workers write (WeasyPrint's copies of the fonts) goes under SCRATCH, which the build removes.
Given TEMPLATES, the host loads their fonts and lays out a small page while it waits for the
first request: the workers, forked later, inherit that instead of each paying it again.

Request: {"parts": [html, ...], "templates", "created", "variant", "identifier", "attachments",
"cache", "look" (hash of templates and renderer code)}. Answer: ("ok", pdf, pages, timings) or
("error", kind, text); timings are per rendered part, for the bench and the tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from multiprocessing.connection import Connection, wait
from pathlib import Path

from pypdf import PdfReader

from pipeline.cache import Store
from pipeline.render import libraries, patches, reuse  # noqa: F401 - libraries: before WeasyPrint loads
from pipeline.render.embed import Embedded
from pipeline.render.join import join, read
from pipeline.render.parts import Part
from pipeline.render.worker import TemplatesOnly, embed_tables, render_part

READY = time.time()
PARTS = "parts"         # the cache's kind for rendered parts


def main(argv: list[str]) -> None:
    requests = Connection(os.dup(sys.stdin.fileno()), writable=False)
    answers = Connection(os.dup(sys.stdout.fileno()), readable=False)
    sys.stdout = sys.stderr            # the channel is ours: stray prints go to stderr
    if argv:
        tempfile.tempdir = argv[0]
    if not os.environ.get("PIPELINE_RENDER_PUBLIC"):    # set: measure or test the public path
        patches.apply()                # WeasyPrint internals, only for the version they fit
    try:
        if len(argv) > 1:
            reuse.warm_up(Path(argv[1]), TemplatesOnly(Path(argv[1])), requests.poll)
        serve(requests, answers)
    finally:
        # The build removes the scratch folder too, but not if it was killed (kill -9, OOM).
        if argv:
            shutil.rmtree(argv[0], ignore_errors=True)
        sys.stderr.flush()
        os._exit(0)    # every worker is reaped and nothing is left to clean: skip the slow teardown


def serve(requests: Connection, answers: Connection) -> None:
    """Answer requests until the build closes the channel (or has gone away)."""
    while True:
        try:
            request = requests.recv()
            # the attachments follow the request, one message each (RenderHost.start)
            if "attachments_follow" in request:
                request["attachments"] = [tuple(requests.recv()) for _ in range(request.pop("attachments_follow"))]
        except EOFError:
            return
        try:
            answer = ("ok", *render(request, requests))
        except RenderError as exc:
            answer = ("error", exc.kind, exc.text)
        except Exception:  # noqa: BLE001 - the build process reports it
            answer = ("error", "crash", traceback.format_exc())
        try:
            while request.get("attachments_later") and requests.recv() is not None:
                pass                # attachments of a request that failed: not a next request
        except EOFError:
            return
        try:
            answers.send(answer)
        except OSError:
            return


class RenderError(Exception):
    def __init__(self, kind: str, text: str):
        super().__init__(text)
        self.kind, self.text = kind, text


def render(request: dict, incoming: Connection | None = None) -> tuple[bytes, int, dict]:
    """The request's PDF. With "attachments_later", the attachments arrive on `incoming` while
    the parts are laid out, one message each, then None."""
    received = time.time()
    parts = [Part(i, html) for i, html in enumerate(request["parts"])]
    job = {"templates": request["templates"], "created": request["created"], "variant": request["variant"],
           "identifier": request["identifier"]}
    salt = f"{request.get('look', '')}/{'patched' if patches.applied() else 'public'}"
    cache = PartCache(Path(request["cache"]) if request["cache"] else None, salt=salt)
    for attempt in range(3):     # page numbers can lengthen the contents: then number again
        layout = Layout(parts, job, request["attachments"], cache,
                        incoming if request.get("attachments_later") else None)
        try:
            rendered = layout.run()
            break
        except Recount:
            if attempt == 2:
                raise
        finally:    # what a failed attempt received stays in request["attachments"]
            request["attachments_later"] = layout.incoming is not None
    joining = time.time()
    pdf = join([layout.readers[p.index] for p in parts], layout.attached, request["created"])
    host = {"ready": READY, "received": received, "joining": joining, "joined": time.time(),
            "patched": patches.applied(), "attachments": layout.attach_seconds}
    timings = {"host": host, **layout.timings}
    return pdf, sum(n for _, n in rendered), timings


class PartCache:
    """Rendered parts: page counts and anchors by part, PDFs by part and page numbers.

    Entries of the build's one cache (pipeline/cache.py `Store`, kind "parts": files
    .cache/parts/<kind>-<salted key>) when the build caches, and in memory for this request
    anyway (a second numbering pass reuses what the first one rendered)."""

    def __init__(self, folder: Path | None, salt: str = "", keep: int = 96):
        self.store = Store(folder)
        self.salt = salt      # the templates and renderer code: a new stylesheet is a new part
        self.keep = keep
        self.memory: dict[tuple[str, str], bytes] = {}

    def _key(self, kind: str, key: str) -> str:
        return f"{kind}-{hashlib.sha256(f'{self.salt}/{key}'.encode()).hexdigest()[:24]}"

    def get(self, kind: str, key: str) -> bytes | None:
        if (kind, key) in self.memory:
            return self.memory[kind, key]
        return self.store.get(PARTS, self._key(kind, key))

    def put(self, kind: str, key: str, data: bytes) -> None:
        self.memory[kind, key] = data
        self.store.put(PARTS, self._key(kind, key), data)

    def prune(self) -> None:
        """Keep what this build used and the newest others, up to `keep` files; what it used
        is touched, so the next builds keep the most recently used first."""
        used = self.store.used.get(PARTS, set())
        for name in used:
            path = self.store.path(PARTS, name)
            with contextlib.suppress(OSError):     # another build may have pruned it meanwhile
                os.utime(path)
        self.store.prune(PARTS, keep=max(0, self.keep - len(used)))


class Layout:
    """Schedules the parts on worker processes and settles their page numbers.

    1. Page counts (and where each id falls) come from the cache, or from workers that pause
       before their margins; the largest parts start first, one per core.
    2. With every count known, each paused part gets its first page number and the total.
    3. Parts that print other parts' page numbers (the contents) are rendered with them filled in.
       On a rebuild they start at once, on the last build's numbers, and are redone only if the
       numbers turn out different.
    A part whose PDF for its numbers is cached is not laid out again."""

    def __init__(self, parts: list[Part], job: dict, attachments: list[tuple[str, bytes]], cache: PartCache,
                 incoming: Connection | None = None):
        self.parts, self.job, self.attachments, self.cache = parts, job, attachments, cache
        self.incoming = incoming     # where attachments still to come arrive (appended to `attachments`)
        # The tables the PDF carries (150 MB of CSV at 2,000 sources, seconds to compress) are
        # compressed by a job of their own (render/embed.py, in pieces the cache keeps): it
        # depends on nothing laid out, so it fills a core that would wait for the longest part,
        # and a contents part laid out again for its numbers does not compress them again.
        self.attached: list[Embedded] | None = None
        self.attach_seconds: dict[str, float] = {}
        self.refs = {p.index for p in parts if p.page_refs}
        self.counts: dict[int, int] = {}
        self.anchors: dict[int, dict[str, int]] = {}
        self.pdfs: dict[int, bytes] = {}
        self.readers: dict[int, PdfReader] = {}           # the same, parsed for the join
        self.unread: list[int] = []
        self.final: dict[int, str] = {}                   # the PDF key each part must have
        self.timings: dict[int, dict[str, float]] = {}
        self.queue: list[tuple[Part, tuple[int, int] | None, str, Connection | None]] = []
        self.paused: dict[int, Connection] = {}
        # worker connection -> its part, kind ("full" or "guess"), process and PDF key if numbered
        self.running: dict[Connection, tuple[Part, str, multiprocessing.Process, str | None]] = {}
        self.busy = 0
        self.cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

    def run(self) -> list[tuple[bytes, int]]:
        self.ctx = multiprocessing.get_context("fork")
        last = json.loads(self.cache.get("layout", "last") or b"{}")
        guess = len(last.get("counts", [])) == len(self.parts)
        try:
            if self.attachments and self.incoming is None:
                self._queue(ATTACHMENTS, None, "attachments")
            for part in self.parts:
                counted = self.cache.get("count", part.with_pages(None).key)
                if counted:
                    found = json.loads(counted)
                    self.counts[part.index], self.anchors[part.index] = found["pages"], found["anchors"]
                elif part.index not in self.refs:
                    self._queue(part, None, "full")
                elif not guess:     # contents: assume one page; a longer one is renumbered (Recount)
                    self.counts[part.index], self.anchors[part.index] = 1, {}
            if guess:
                self._speculate(last)
            self._settle()
            self._read()
            while self.running or self.incoming is not None:
                self._receive()
                self._start_queued()
                self._read()
        finally:
            for _, _, process, _ in self.running.values():
                process.kill()
        missing = [p.index for p in self.parts if p.index not in self.pdfs]
        if missing or (self.attachments and self.attached is None):
            raise RuntimeError(f"parts {missing or 'with the attachments'} were never rendered")
        self.cache.put("layout", "last", json.dumps({"counts": [self.counts[p.index] for p in self.parts],
                                                     "anchors": [self.anchors[p.index] for p in self.parts]}).encode())
        self.cache.prune()
        return [(self.pdfs[p.index], self.counts[p.index]) for p in self.parts]

    def _numbers(self, index: int, counts: dict[int, int] | None = None) -> tuple[int, int]:
        counts = self.counts if counts is None else counts
        offset = sum(counts[p.index] for p in self.parts if p.index < index)
        return offset, sum(counts.values())

    def _pages(self, counts: dict[int, int], anchors: dict[int, dict[str, int]]) -> dict[str, int]:
        """Page number of every id: the first part that has it wins, contents parts count last."""
        pages: dict[str, int] = {}
        order = [p for p in reversed(self.parts) if p.index in self.refs]
        order += [p for p in reversed(self.parts) if p.index not in self.refs]
        for part in order:
            offset, _ = self._numbers(part.index, counts)
            pages.update({name: offset + page + 1 for name, page in anchors.get(part.index, {}).items()})
        return pages

    def _speculate(self, last: dict) -> None:
        """Start the contents now, on the last build's counts for the parts not yet counted; the
        result is kept only if the real numbers turn out the same."""
        counts = {p.index: self.counts.get(p.index, last["counts"][p.index]) for p in self.parts}
        anchors = {p.index: self.anchors.get(p.index, last["anchors"][p.index]) for p in self.parts}
        pages = self._pages(counts, anchors)
        for part in self.parts:
            if part.index in self.refs:
                final, numbers = part.with_pages(pages), self._numbers(part.index, counts)
                if self.cache.get("pdf", self._pdf_key(final, *numbers)) is None:
                    self._start(final, numbers, "guess")

    def _settle(self) -> None:
        """Once every count is known: resume paused parts and queue every part still due."""
        if len(self.counts) < len(self.parts):
            self._start_queued()
            return
        for index, conn in sorted(self.paused.items()):     # resumed one per core, largest first
            self._queue(self.running[conn][0], self._numbers(index), "resume", conn)
        self.paused.clear()
        pages = self._pages(self.counts, self.anchors)
        laying_out = {part.index for part, kind, _, _ in self.running.values() if kind == "full"}
        for part in self.parts:
            final = part.with_pages(pages) if part.index in self.refs else part
            key = self.final[part.index] = self._pdf_key(final, *self._numbers(part.index))
            if part.index in self.pdfs or part.index in laying_out:
                continue
            pdf = self.cache.get("pdf", key)    # also a guess that finished before the counts
            if pdf is not None:
                self._final(part.index, pdf)
                continue
            guessing = [conn for conn, (p, kind, _, k) in self.running.items() if p.index == part.index]
            if any(self.running[conn][3] == key for conn in guessing):
                continue                     # the guess was right: its worker will deliver
            for conn in guessing:            # the guess was wrong: stop it
                self.running.pop(conn)[2].kill()
                self.busy -= 1
            self._queue(final, self._numbers(part.index), "full")
        self._start_queued()

    def _pdf_key(self, final: Part, offset: int, total: int) -> str:
        extra = json.dumps([offset, total, self.job["variant"], str(self.job["created"]),
                            self.job["identifier"] if final.index == 0 else ""])
        return hashlib.sha256(final.key.encode() + extra.encode()).hexdigest()[:24]

    # -- workers
    def _queue(self, part: Part, numbers: tuple[int, int] | None, kind: str, paused: Connection | None = None) -> None:
        """Largest first; but once the counts are known, a part still to be laid out (the
        contents) goes before the paused ones, which only have their margins and PDF left."""
        self.queue.append((part, numbers, kind, paused))
        self.queue.sort(key=lambda item: (item[3] is not None, -len(item[0].html)))

    def _start_queued(self) -> None:
        """One part per core, the largest first: the longest part is what the build waits for."""
        while self.queue and self.busy < self.cores:
            part, numbers, kind, paused = self.queue.pop(0)
            if paused is not None:
                paused.send(numbers)
                self.busy += 1
            else:
                self._start(part, numbers, kind)

    def _start(self, part: Part, numbers: tuple[int, int] | None, kind: str) -> None:
        parent, child = self.ctx.Pipe()
        if kind == "attachments":
            job, target = {"attachments": self.attachments, "cache": self.cache.store.folder}, embed_tables
        else:
            job = dict(self.job, html=part.html, offset=numbers[0] if numbers else None,
                       total=numbers[1] if numbers else None,
                       identifier=self.job["identifier"] if part.index == 0 else "briefing-part")
            target = render_part
        process = self.ctx.Process(target=target, args=(job, child), daemon=True)
        process.start()
        child.close()
        key = self._pdf_key(part, *numbers) if numbers and kind != "attachments" else None
        self.running[parent] = (part, kind, process, key)
        self.busy += 1

    def _receive(self) -> None:
        for conn in wait(list(self.running) + ([self.incoming] if self.incoming is not None else [])):
            if conn is self.incoming:
                self._attachment(conn.recv())
                continue
            if conn not in self.running:     # stopped while we waited
                continue
            part, kind, process, key = self.running[conn]
            try:
                message = conn.recv()
            except EOFError:
                process.join()
                message = ("error", "crash", f"the worker for part {part.index} exited ({process.exitcode})")
            if message[0] == "count":
                _, pages, anchors = message
                self.counts[part.index], self.anchors[part.index] = pages, anchors
                self.busy -= 1
                self.paused[part.index] = conn
                self._settle()
            elif message[0] == "done" and kind == "attachments":
                self.attach_seconds = message[4]
                del self.running[conn]
                process.join()
                self.busy -= 1
                self.attached = message[1]
            elif message[0] == "done":
                _, pdf, pages, anchors, self.timings[part.index] = message
                del self.running[conn]
                process.join()
                self.busy -= 1
                if kind == "guess" and part.index not in self.counts:    # its count was guessed too
                    self.counts[part.index], self.anchors[part.index] = pages, anchors
                key = key or self._pdf_key(part, *self._numbers(part.index))
                self._remember(part, pages, anchors)
                if pages != self.counts[part.index]:
                    raise Recount(f"part {part.index} has {pages} pages, not {self.counts[part.index]}")
                if part.index in self.refs and kind == "full":    # did it point at its own pages?
                    self.anchors[part.index] = anchors
                    if self.parts[part.index].with_pages(self._pages(self.counts, self.anchors)).html != part.html:
                        raise Recount(f"part {part.index} lists ids it contains itself")
                self.cache.put("pdf", key, pdf)
                if self.final.get(part.index) == key:
                    self._final(part.index, pdf)
                elif part.index not in self.final:     # a guess, done before the counts: settle now
                    self._settle()
            else:
                del self.running[conn]
                self._fail(message)

    def _attachment(self, item: tuple[str, str] | None) -> None:
        """One attachment sent later, or the end of them: then their job starts."""
        if item is not None:
            self.attachments.append(tuple(item))
            return
        self.incoming = None
        if self.attachments:
            self._queue(ATTACHMENTS, None, "attachments")
            self._start_queued()

    def _final(self, index: int, pdf: bytes) -> None:
        self.pdfs[index] = pdf
        self.unread.append(index)

    def _read(self) -> None:
        """Parse the parts that are final, once the free cores have work: half the join is
        done while other parts are still being laid out."""
        for index in self.unread:
            self.readers[index] = read(self.pdfs[index])
        self.unread.clear()

    def _remember(self, part: Part, pages: int, anchors: dict[str, int]) -> None:
        self.cache.put("count", part.with_pages(None).key, json.dumps({"pages": pages, "anchors": anchors}).encode())

    @staticmethod
    def _fail(message: tuple) -> None:
        _, kind, text = message
        raise RenderError(kind, text)


ATTACHMENTS = Part(-1, "")      # the attachments' job: no page, only the compressed tables


class Recount(Exception):
    """A contents part changed its own length once its page numbers were filled in."""


if __name__ == "__main__":
    main(sys.argv[1:])
