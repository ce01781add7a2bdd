"""Stage 7, render: the packed view → HTML (Jinja2, autoescaped) → PDF (WeasyPrint).

Source text is data: every value is escaped, and the URL fetcher serves files under
`templates/` only, so nothing in a source, annotation or stylesheet can make the renderer read
a local file elsewhere or reach the network. A blocked fetch fails the build (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from pipeline.errors import InputError, Problem, display_path
from pipeline.labels import clip

if TYPE_CHECKING:
    from pipeline.pack.view import Briefing


def html_env(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["clip"] = clip     # the one way a template shortens text (never mid-word)
    return env


def check_templates(templates: Path) -> None:
    """Refuse links under templates/ that lead outside it, before anything reads them.

    Jinja's loader and the hash of the templates would otherwise follow such a link, so
    `templates/notes.txt -> /etc/passwd` could be {% include %}d into the briefing."""
    root = templates.resolve()
    problems = []
    for folder, dirs, files in os.walk(templates):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(Problem(display_path(path), None,
                                        f"is a link to {path.resolve()}, outside templates/",
                                        "copy the file into templates/ instead of linking to it"))
    if problems:
        raise InputError(problems)


def render_html(view: Briefing, templates: Path) -> str:
    """The briefing's HTML: the template gets one variable per section of the view
    (pipeline/pack/view.py: `cover`, `chronology`, `who`, ...)."""
    check_templates(templates)
    try:
        return html_env(templates).get_template("briefing.html.j2").render(**view.context())
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        name = getattr(exc, "filename", None) or "templates/briefing.html.j2"
        raise InputError(Problem(name, line, f"template error: {exc}",
                                 "fix the template (see README, 'Templates')")) from None


# The one form of stylesheet link the twin inlines; any other <link> or url() stays as it is
# and is refused if it could lead outside templates/.
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^)"']*)\1\s*\)""")
# What the fonts' licence asks to travel with them: text files beside a referenced font.
_LICENCE = re.compile(r"(?i)^(ofl|licen[cs]e|copying)[^/]*\.(txt|md)$")


def html_twin(html: str, templates: Path) -> tuple[str, dict[str, bytes]]:
    """The briefing for a browser: the stylesheet inlined, and the files its url()s name.

    The PDF's HTML links templates/briefing.css, which is not published; a browser opening
    output/briefing.html would find no stylesheet. The twin carries the CSS in a <style> and
    is published with the fonts it names (output/fonts/, same relative paths as under
    templates/), so it needs nothing outside output/ and fetches nothing outside it."""
    root = templates.resolve()
    files: dict[str, bytes] = {}

    def inside(ref: str, what: str) -> Path:
        path = (templates / ref).resolve()
        if "://" in ref or ref.startswith(("/", "data:")) or not path.is_relative_to(root) or not path.is_file():
            raise InputError(Problem(display_path(templates), None,
                                     f"{what} {ref!r} is not a file under templates/",
                                     "use relative paths to files under templates/ (no remote or absolute URLs)"))
        return path

    def inline(m: re.Match) -> str:
        css_path = inside(m.group(1), "stylesheet")
        css = css_path.read_text(encoding="utf-8")
        if "</style" in css.lower():
            raise InputError(Problem(display_path(css_path), None, "contains '</style'",
                                     "remove it: the stylesheet is inlined into briefing.html"))
        base = css_path.parent.relative_to(root)
        for url in _CSS_URL.finditer(css):
            ref = (base / url.group(2)).as_posix()
            asset = inside(ref, "stylesheet url")
            files[ref] = asset.read_bytes()
            for licence in sorted(asset.parent.iterdir()):
                if _LICENCE.match(licence.name):
                    files[licence.relative_to(root).as_posix()] = licence.read_bytes()
        if base != Path("."):
            css = _CSS_URL.sub(lambda u: f"url({(base / u.group(2)).as_posix()})", css)
        return f"<style>\n{css}</style>"

    return _STYLESHEET.sub(inline, html), dict(sorted(files.items()))


_OS_ERROR = re.compile(r"^(?:[\w.]+\.)?\w*Error: \[Errno (\d+)\] ([^\n]*?)(?:: '([^'\n]*)')?$", re.M)


def environment_fault(traceback_text: str) -> OSError | None:
    """The OSError a render host's or worker's traceback ends in, when the machine is at fault
    (errors.ENVIRONMENT_FIXES: disk full, permission denied, ...), rebuilt to be reported as such."""
    from pipeline.errors import ENVIRONMENT_FIXES

    found = _OS_ERROR.findall(traceback_text)
    if not found:
        return None
    number, message, filename = found[-1]
    if int(number) not in ENVIRONMENT_FIXES:
        return None
    return OSError(int(number), message, filename or None)


SCRATCH = re.compile(r"^briefing-(?:render|build)-(\d+)-")   # the host's, and the build's own


def scratch_folder(held: contextlib.ExitStack) -> Path:
    """A folder for the build's own scratch files, removed when `held` closes (at the build's
    end, failed or not), or, when the build was killed, by the sweep_scratch of a later build's
    RenderHost (every build starts one, and it sweeps first)."""
    folder = Path(tempfile.mkdtemp(prefix=f"briefing-build-{os.getpid()}-"))
    held.callback(shutil.rmtree, folder, True)
    return folder


def sweep_scratch(folder: Path | None = None) -> None:
    """Remove scratch folders of builds that are gone. The build and its render host both
    remove theirs, but not when both were killed at once (kill -9 of the whole job, a
    systemd stop, the OOM killer). Only this user's folders, and only of dead processes."""
    folder = Path(folder or tempfile.gettempdir())
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        m = SCRATCH.match(entry.name)
        if not m:
            continue
        try:
            if entry.lstat().st_uid != os.getuid() or not entry.is_dir():
                continue
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except (OSError, OverflowError):
            continue            # alive (another user's, or ours), or not ours to judge


class RenderHost:
    """The build's handle on the render host process (pipeline/render/host.py).

    Given the templates folder, the host also loads their fonts while the build makes its
    tables. Everything the host and its workers write to disk goes in one scratch folder, which
    close() removes; the host and its workers form one process group, so close() can stop them
    all when the build ends early (bad input found while the parts were being laid out)."""

    def __init__(self, templates: Path | None = None) -> None:
        import pipeline

        env = dict(os.environ)
        root = str(Path(pipeline.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in [root, env.get("PYTHONPATH", "")] if p)
        sweep_scratch()
        self.scratch = tempfile.mkdtemp(prefix=f"briefing-render-{os.getpid()}-")
        command = [sys.executable, "-m", "pipeline.render.host", self.scratch]
        self.process = subprocess.Popen(command + ([str(templates)] if templates else []), env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.timings: dict = {}
        self.used = False
        self.pending = False
        self.awaiting_attachments = False

    def start(self, request: dict) -> Callable[[], tuple[bytes, int]]:
        """Send a request; the returned function waits for its PDF and page count."""
        self.used = self.pending = True
        # The attachments (the tables' CSV text: 150 MB at 2,000 sources) go one message each
        # after the request: pickled as one message they cost the build a second copy of
        # themselves at its memory peak. LATER: the build sends them once it has made them
        # (send_attachments), while the parts are laid out.
        later = request.get("attachments") is LATER
        attachments = request.get("attachments") or []
        try:
            if later:
                self.requests.send({**request, "attachments": [], "attachments_later": True})
                self.awaiting_attachments = True
            else:
                self.requests.send({**request, "attachments": [], "attachments_follow": len(attachments)})
                for item in attachments:
                    self.requests.send(item)
        except OSError:
            raise RuntimeError(f"the render host exited ({self.process.poll()})") from None
        return self._answer

    def send_attachments(self, attachments: Iterable[tuple[str, bytes]]) -> None:
        """The attachments of a request started with LATER, then the end mark (None)."""
        if not self.awaiting_attachments:
            return                   # the render came from the cache: no request waits for them
        self.awaiting_attachments = False
        try:
            for item in attachments:
                self.requests.send(item)
            self.requests.send(None)
        except OSError:
            raise RuntimeError(f"the render host exited ({self.process.poll()})") from None

    def _answer(self) -> tuple[bytes, int]:
        try:
            answer = self.answers.recv()
        except (EOFError, OSError):
            raise RuntimeError(f"the render host exited ({self.process.poll()})") from None
        self.pending = False
        if answer[0] == "ok":
            _, pdf, pages, self.timings = answer
            return pdf, pages
        _, kind, text = answer
        if kind == "blocked":
            raise InputError(Problem("templates/", None, f"rendering tried to fetch {text}, outside templates/",
                                     "use only files under templates/ in templates (no remote or "
                                     "absolute URLs)"))
        fault = environment_fault(text)
        if fault is not None:         # the host's disk filled up, say: exit 74, not a bug
            raise fault
        raise RuntimeError(f"rendering failed in the render host:\n{text}")

    def close(self) -> None:
        for conn in (self.requests, self.answers):
            conn.close()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()
        # Unused (e.g. bad input): no need to wait until WeasyPrint has loaded. Still rendering
        # (the build stopped meanwhile): its parts are no longer wanted.
        if not self.used or self.pending:
            self._kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._kill()
            self.process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.process.kill()

    def __enter__(self) -> RenderHost:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


LATER: list[tuple[str, bytes]] = []     # start_pdf's attachments: sent by RenderHost.send_attachments


def render_pdf(html: str, templates: Path, attachments: list[tuple[str, bytes]], meta: dict,
               cache: Path | None, host: RenderHost) -> tuple[bytes, int]:
    """The briefing PDF: its parts laid out in parallel (or taken from the cache), then joined."""
    return start_pdf(html, templates, attachments, meta, cache, host)()


def start_pdf(html: str, templates: Path, attachments: list[tuple[str, bytes]], meta: dict,
              cache: Path | None, host: RenderHost) -> Callable[[], tuple[bytes, int]]:
    """render_pdf in two halves: this starts the render and returns a function that waits for
    it, so the build can check its tables while the parts are laid out."""
    from pipeline.render.parts import split

    return host.start({"parts": [part.html for part in split(html)], "templates": str(templates),
                        "created": meta["created"], "variant": meta.get("variant"),
                        "identifier": meta["identifier"], "attachments": attachments, "look": meta.get("look", ""),
                        "cache": str(cache) if cache else None})
