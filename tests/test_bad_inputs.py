"""Bad and hostile input: every case in tests/bad_inputs/*.yaml, run through the real CLI.

A case is declarative (see tests/bad_inputs/README.md): a base project (`tiny`, the small
project in tests/bad_inputs/_tiny, or `seed`, the repository's inputs), steps that change it,
and the expected outcome. Every case also checks, whatever it expects:

- no traceback, and no network access (socket calls fail the test);
- nothing outside the project is opened: not /etc/passwd, not the planted secret file;
- exit 2: output/ is byte-for-byte what the previous build left, and no temp folder remains;
- exit 0: the manifest's pdf_sha256 matches the PDF, and the planted secret appears nowhere.

Each base is built once per session; a case copies its output/ instead of rebuilding.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import make_project

CORPUS = Path(__file__).parent / "bad_inputs"
TINY = CORPUS / "_tiny"
CASES = sorted(CORPUS.glob("*.yaml"))
SECRET = "OUTSIDE-SECRET-4c1d9e"          # planted in a file outside the project
PASSWD_MARK = "root:x:0:0"

# --------------------------------------------------------------------------- helpers


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file, folder and link under `folder`, with a content hash for files."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def copy_project(base: Path, dest: Path, cache: bool = False) -> Path:
    """A fresh project from a built base: its inputs, templates and output/ (no rebuild);
    with `cache`, also its .cache/ so that an unchanged render is reused."""
    shutil.copytree(base / "inputs", dest / "inputs", symlinks=True)
    shutil.copytree(base / "templates", dest / "templates", symlinks=True)
    shutil.copytree(base / "output", dest / "output", symlinks=True)
    if cache and (base / ".cache").is_dir():
        shutil.copytree(base / ".cache", dest / ".cache")
    return dest


_BASES: dict[str, Path] = {}


def tiny_base(factory: pytest.TempPathFactory) -> Path:
    """The tiny project built once per test session (shared by the test files that need it)."""
    if "tiny" not in _BASES:
        from pipeline.build import build

        root = make_project(factory.mktemp("tiny"), inputs=TINY / "inputs")
        build(root)
        _BASES["tiny"] = root
    return _BASES["tiny"]


class OpenAudit:
    """Records every file the process opens (sys.addaudithook cannot be removed, so the
    hook stays installed for the session and records only while a case runs)."""

    active = False
    opened: list[str] = []

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.active and event == "open" and isinstance(args[0], str | bytes):
            cls.opened.append(os.fsdecode(args[0]))


sys.addaudithook(OpenAudit.hook)


def _base(request: pytest.FixtureRequest, name: str) -> Path:
    return request.getfixturevalue({"tiny": "tiny_built", "seed": "seed"}[name])


def _fill(text: str, ctx: dict[str, str], project: Path) -> str:
    """Placeholders: {outside}, {project}, and {line:FILE:TEXT} (first line of FILE with TEXT)."""
    def line_of(m: re.Match) -> str:
        lines = (project / m.group(1)).read_text().splitlines()
        return str(next(i for i, line in enumerate(lines, 1) if m.group(2) in line))

    text = re.sub(r"\{line:([^:}]+):([^}]+)\}", line_of, text)
    for key, value in ctx.items():
        text = text.replace("{" + key + "}", value)
    return text


def apply_step(project: Path, step: dict[str, Any], ctx: dict[str, str]) -> None:
    (op, rel), = ((k, v) for k, v in step.items() if k in OPS)
    path = project / _fill(rel, ctx, project)
    path.parent.mkdir(parents=True, exist_ok=True)
    if op in ("write", "append", "prepend", "replace") and path.is_file():
        path.chmod(0o644)          # the seed's sources are read-only
    if op == "write":
        if "repeat" in step:
            text = "".join(part * n for part, n in step["repeat"])
        else:
            text = _fill(step["text"], ctx, project)
        path.write_bytes(text.encode(step.get("encoding", "utf-8")))
    elif op == "append":
        with open(path, "ab") as fh:
            fh.write(_fill(step["text"], ctx, project).encode("utf-8"))
    elif op == "prepend":
        path.write_bytes(_fill(step["text"], ctx, project).encode("utf-8") + path.read_bytes())
    elif op == "replace":
        old, new = step["old"], _fill(step["new"], ctx, project)
        text = path.read_text()
        assert text.count(old) == 1, f"case step: {old!r} must occur once in {rel}"
        path.write_text(text.replace(old, new))
    elif op == "delete":
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    elif op == "symlink":
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        path.symlink_to(_fill(step["target"], ctx, project))
    elif op == "bytes":
        path.write_bytes(bytes.fromhex(step["hex"]))
    elif op == "generate":
        line = step.get("line", "The talks went on and on. ").encode()
        size = int(step["size_mb"] * 1024 * 1024)
        with open(path, "wb") as fh:
            chunk = line * (1024 * 1024 // len(line) + 1)
            while fh.tell() < size:
                fh.write(chunk)
    elif op == "mkfifo":
        os.mkfifo(path)
    elif op == "mkdir":
        path.mkdir(exist_ok=True)


OPS = ("write", "append", "prepend", "replace", "delete", "symlink", "bytes", "generate", "mkfifo", "mkdir")


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text())
    assert set(case) <= {"description", "base", "steps", "expect"}, path.name
    assert case["description"].strip() and case["expect"]["exit"] in (0, 2), path.name
    return case


# --------------------------------------------------------------------------- the corpus


def test_corpus_is_big_enough_and_well_formed() -> None:
    assert len(CASES) >= 30
    for path in CASES:
        case = load_case(path)
        for step in case.get("steps", []):
            assert sum(k in OPS for k in step) == 1, (path.name, step)
        if case["expect"]["exit"] == 2:
            assert case["expect"].get("stderr"), f"{path.name}: say what the message names"


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuses network connections; local Unix sockets (the render workers' fork server) stay."""
    calls: list[str] = []
    connect = socket.socket.connect

    def refuse(*args: Any, **_kw: Any) -> Any:
        calls.append(repr(args[:2]))
        raise OSError("network access in a test")

    def connect_local(sock: socket.socket, address: Any) -> Any:
        if sock.family == socket.AF_UNIX:
            return connect(sock, address)
        return refuse(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", connect_local)
    return calls


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_bad_input(case_path: Path, request: pytest.FixtureRequest, tmp_path: Path,
                   capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                   no_network: list[str]) -> None:
    from pipeline.__main__ import main

    case = load_case(case_path)
    expect = case["expect"]
    base = _base(request, case.get("base", "tiny"))
    project = copy_project(base, tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n")
    (outside / "secret.yaml").write_text(f"- {{id: x, name: {SECRET}, type: person}}\n")
    ctx = {"outside": str(outside), "project": str(project)}
    for step in case.get("steps", []):
        apply_step(project, step, ctx)
    before = tree_hashes(project / "output")

    monkeypatch.chdir(project)          # as `make` runs it: messages name inputs/... paths
    capsys.readouterr()
    OpenAudit.opened = []
    OpenAudit.active = True
    t0 = time.perf_counter()
    try:
        code = main(["build", "--root", str(project), "--quiet"])
    finally:
        OpenAudit.active = False
    seconds = time.perf_counter() - t0
    out, err = capsys.readouterr()

    assert "Traceback" not in out + err, err
    assert code == expect["exit"], f"exit {code}, expected {expect['exit']}\n{err}"
    assert seconds < expect.get("max_seconds", 20), f"took {seconds:.1f} s"
    assert not no_network, f"network access attempted: {no_network}"
    forbidden = {str(outside / "secret.txt"), str(outside / "secret.yaml"), "/etc/passwd",
                 "/etc/shadow"}
    touched = {str(Path(p).resolve()) for p in OpenAudit.opened} & forbidden
    assert not touched, f"opened outside the project: {touched}"
    assert SECRET not in out + err
    for text in expect.get("stderr", []):
        assert _fill(text, ctx, project) in err, f"{text!r} not in:\n{err}"
    for path in expect.get("absent_files", []):
        assert not (project / path).exists() and not Path(_fill(path, ctx, project)).exists()

    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".output-")]
    assert not leftovers, leftovers
    if code == 2:
        assert tree_hashes(project / "output") == before, "output/ changed on a failed build"
        count = re.search(r"error: (\d+) problems? in the inputs", err)
        assert count and err.count("\n      fix: ") == int(count.group(1)), f"a problem without a fix:\n{err}"
        return

    _check_built(project, expect)


def _check_built(project: Path, expect: dict[str, Any]) -> None:
    import json

    out = project / "output"
    manifest = json.loads((out / "manifest.json").read_text())
    pdf = (out / "briefing.pdf").read_bytes()
    assert manifest["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    html = (out / "briefing.html").read_text()
    for text in expect.get("html_contains", []):
        assert text in html, text
    for text in expect.get("html_absent", []):
        assert text not in html, text
    if expect.get("pdf_contains") or expect.get("pdf_absent"):
        from pypdf import PdfReader

        flat = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(out / "briefing.pdf").pages).split())
        for text in expect.get("pdf_contains", []):
            assert text in flat, text
        for text in expect.get("pdf_absent", []):
            assert text not in flat, text
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".yaml", ".log", ".txt"):
            data = path.read_text()
            assert SECRET not in data and PASSWD_MARK not in data, path


def test_tiny_base_builds_clean(tiny_built: Path) -> None:
    """The tiny project itself is valid: the corpus's failures come from the case, not the base."""
    tables = tiny_built / "output" / "tables"
    assert (tables / "events.csv").read_text().count("\n") == 2


def test_fetcher_serves_only_files_under_templates(tmp_path: Path) -> None:
    """The renderer's URL fetcher, directly: templates/ files yes; anything else is refused
    (and recorded) before it is opened."""
    import weasyprint

    from pipeline.render.worker import TemplatesOnly

    templates = tmp_path / "templates"
    (templates / "fonts").mkdir(parents=True)
    (templates / "fonts" / "a.ttf").write_bytes(b"font")
    (tmp_path / "secret.txt").write_text(SECRET)
    (templates / "leak.css").symlink_to(tmp_path / "secret.txt")
    fetcher = TemplatesOnly(templates)
    ok = fetcher.fetch((templates / "fonts" / "a.ttf").as_uri())
    assert ok.read() == b"font"
    base = templates.as_uri()
    refused = [
        "http://example.invalid/x.png",
        "https://example.invalid/x.css",
        "file:///etc/passwd",
        f"{base}/../secret.txt",
        f"{base}/%2e%2e/secret.txt",
        f"{base}/leak.css",
        f"{base}/missing.png",
        "ftp://example.invalid/x",
    ]
    OpenAudit.opened, OpenAudit.active = [], True
    try:
        for url in refused:
            with pytest.raises(weasyprint.urls.FatalURLFetchingError):
                fetcher.fetch(url)
    finally:
        OpenAudit.active = False
    assert fetcher.blocked == refused
    assert not {str(Path(p).resolve()) for p in OpenAudit.opened} & {
        str(tmp_path / "secret.txt"), "/etc/passwd"}
