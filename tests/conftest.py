"""Shared fixtures: a project copy per test session, built once, so tests read real output."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "bad_inputs" / "_tiny" / "inputs"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the committed reference PNGs instead of comparing")


def make_project(dest: Path, inputs: Path | None = None) -> Path:
    """A throwaway project: the repo's inputs (or given ones) and templates."""
    shutil.copytree(inputs or ROOT / "inputs", dest / "inputs")
    shutil.copytree(ROOT / "templates", dest / "templates")
    (dest / "output").mkdir()
    return dest


def make_repo_copy(dest: Path) -> Path:
    """A copy of the repository that `make` can run in (Makefile, pipeline, inputs, ...), sharing
    this checkout's .venv: for the tests of the Makefile itself."""
    stamp = (ROOT / ".venv" / ".installed").stat().st_mtime
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, dest / name)
        if name != "Makefile":   # older than the shared stamp: make in the copy never reinstalls
            os.utime(dest / name, (stamp - 1, stamp - 1))   # this checkout's .venv from the copy
    for name in ("inputs", "templates", "pipeline", "scripts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / ".venv").symlink_to(ROOT / ".venv")
    (dest / "output").mkdir()
    return dest


@pytest.fixture(scope="session")
def tiny_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny bad-inputs project, built once per session (tests copy it, never change it)."""
    from tests.test_bad_inputs import tiny_base

    return tiny_base(tmp_path_factory)


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed inputs built once; tests must not modify it."""
    from pipeline.build import build

    root = make_project(tmp_path_factory.mktemp("seed"))
    build(root)
    return root


@pytest.fixture(scope="session")
def tables(seed: Path) -> dict:
    import pandas as pd

    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
            for p in sorted((seed / "output" / "tables").glob("*.csv"))}


@pytest.fixture(scope="session")
def pdf_text(seed: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(seed / "output" / "briefing.pdf")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture(scope="session")
def render_host():  # noqa: ANN201 - a started pipeline.render.stage.RenderHost
    """One render host for the tests that build many small projects in turn (review tests)."""
    from pipeline.render.stage import RenderHost

    with RenderHost() as host:
        yield host


@pytest.fixture(scope="session")
def review_base(tmp_path_factory: pytest.TempPathFactory, render_host):  # noqa: ANN001, ANN201
    """The review tests' project (tests/review_project.py), built once: tests copy it."""
    from tests.review_project import build_project, make_review_project

    return build_project(make_review_project(tmp_path_factory.mktemp("review")), render_host)


def stylesheet_folder(tmp_path: Path, css: str) -> Path:
    """A templates folder holding one stylesheet, t.css, for the renderer tests."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.css").write_text(css)
    return folder


@pytest.fixture()
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the tiny project's inputs; messages name paths relative to its parent."""
    dest = tmp_path / "inputs"
    shutil.copytree(TINY, dest)
    monkeypatch.chdir(tmp_path)
    return dest
