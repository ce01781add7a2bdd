"""Make decides whether to build at all: nothing changed means no Python; adding or removing
an input file means a rebuild."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_repo_copy

pytestmark = pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists() or shutil.which("make") is None,
                                reason="needs the .venv that `make` sets up")


def _up_to_date(project: Path) -> bool:
    return subprocess.run(["make", "-q"], cwd=project, capture_output=True).returncode == 0


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return make_repo_copy(tmp_path)


def _fresh_manifest(repo: Path) -> None:
    """As if a build had just finished: newer than every input, older than what comes next.
    (make's parse, as in a real build, records the inputs' fingerprint first.)"""
    subprocess.run(["make", "-q"], cwd=repo, capture_output=True)
    (repo / "output" / "manifest.json").write_text("{}")
    time.sleep(0.02)


def test_noop_then_removed_and_added_inputs_rebuild(repo: Path) -> None:
    _fresh_manifest(repo)
    assert _up_to_date(repo)
    (repo / "inputs/annotations/weekend-update-165.yaml").unlink()
    assert not _up_to_date(repo), "removing an annotation must rebuild"
    _fresh_manifest(repo)
    assert _up_to_date(repo)
    (repo / "inputs/sources/new-wire.txt").write_text("Headline\n\nBody.\n")
    assert not _up_to_date(repo), "adding a source must rebuild"


@pytest.mark.parametrize("name", ["Oslo Followup.txt", "Kyiv & Minsk: notes.md", "cost $5 (draft).txt",
                                  "a#b%c.txt"])
def test_any_file_name_rebuilds_and_never_stops_make(repo: Path, name: str) -> None:
    """Names make cannot list as prerequisites (spaces, ':', '$', '#', '%') only change the
    inputs' fingerprint: make sees 'out of date' (exit 1 from make -q), never an error (2)."""
    _fresh_manifest(repo)
    assert _up_to_date(repo)
    (repo / "inputs" / "sources" / name).write_text("Headline\n\nBody.\n")
    result = subprocess.run(["make", "-q"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "No rule to make target" not in result.stderr
    _fresh_manifest(repo)
    assert _up_to_date(repo)
    (repo / "inputs" / "sources" / name).write_text("Headline\n\nBody, edited.\n")
    assert not _up_to_date(repo), "editing a file with such a name must rebuild"


def test_byte_code_folders_of_a_first_build_start_no_second_build(repo: Path) -> None:
    """A first build's imports write pipeline/**/__pycache__/, which changes the folders' own
    times: the fingerprint holds files only, so the next `make` is a no-op (it ran Python)."""
    _fresh_manifest(repo)
    assert _up_to_date(repo)
    time.sleep(0.02)
    for pkg in ("pipeline", "pipeline/extract"):
        (repo / pkg / "__pycache__" / "fresh").mkdir(parents=True, exist_ok=True)
    (repo / "inputs" / "sources" / "empty-folder").mkdir()
    assert _up_to_date(repo), "folders without files must not rebuild"
    (repo / "pipeline" / "extract" / "extra.py").write_text("X = 1\n")
    assert not _up_to_date(repo), "a new module must rebuild"


def test_a_file_moved_between_inputs_and_templates_rebuilds(repo: Path) -> None:
    _fresh_manifest(repo)
    assert _up_to_date(repo)
    (repo / "inputs" / "note.css").write_text("p {}\n")
    _fresh_manifest(repo)
    assert _up_to_date(repo)
    (repo / "inputs" / "note.css").rename(repo / "templates" / "note.css")
    assert not _up_to_date(repo), "the same file in another folder must rebuild"
