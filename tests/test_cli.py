"""The command line: exit codes, messages without tracebacks, help in step with the README."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.__main__ import EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_INTERNAL, EXIT_LOCKED, EXIT_OK, main, parser
from tests.conftest import ROOT
from tests.test_bad_inputs import copy_project, tree_hashes

README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


@pytest.fixture()
def project(tiny_built: Path, tmp_path: Path) -> Path:
    return copy_project(tiny_built, tmp_path / "p", cache=True)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def break_inputs(project: Path) -> None:
    path = project / "inputs" / "annotations" / "harbour-talks.yaml"
    path.write_text(path.read_text().replace("actors: [alice, bob]", "actors: [alice, bbo]"))


# --------------------------------------------------------------------------- exit codes


def test_build_exits_0_and_reports_on_stdout_only(project: Path, capsys) -> None:
    code, out, err = run(capsys, "build", "--root", str(project))
    assert code == EXIT_OK == 0
    assert out.startswith("built output/ (") and "events 1" in out
    assert err == ""                     # no progress lines without a terminal, no warnings


def test_quiet_build_prints_nothing(project: Path, capsys) -> None:
    assert run(capsys, "build", "--root", str(project), "--quiet") == (0, "", "")


def test_root_may_come_before_or_after_the_subcommand(project: Path, capsys) -> None:
    assert run(capsys, "--root", str(project), "check", "-q")[0] == 0
    assert run(capsys, "check", "--root", str(project), "-q")[0] == 0


def test_check_exits_0_and_writes_nothing(project: Path, capsys) -> None:
    """`check` validates everything and writes nothing at all: not output/, not the cache."""
    before = tree_hashes(project)
    code, out, err = run(capsys, "check", "--root", str(project))
    assert code == 0 and out.startswith("inputs are valid in") and err == ""
    assert tree_hashes(project) == before


def test_check_on_bad_input_exits_2_and_writes_nothing(project: Path, capsys) -> None:
    break_inputs(project)
    before = tree_hashes(project)
    code, out, err = run(capsys, "check", "--root", str(project))
    assert code == EXIT_INPUT == 2
    assert "unknown actor 'bbo'" in err and out == ""
    assert tree_hashes(project) == before


def test_bad_input_exits_2_with_file_line_and_fix_and_no_traceback(project: Path, capsys) -> None:
    break_inputs(project)
    before = tree_hashes(project / "output")
    code, out, err = run(capsys, "build", "--root", str(project))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: 1 problem in the inputs; output/ was not changed.",
        f"  {project}/inputs/annotations/harbour-talks.yaml:5: unknown actor 'bbo'",
        "      fix: did you mean 'bob'?",
    ]
    assert tree_hashes(project / "output") == before


def test_locked_exits_75(project: Path, capsys) -> None:
    from filelock import FileLock

    path = project / "inputs" / "briefing.yaml"
    path.write_text(path.read_text().replace("lock_timeout: 5", "lock_timeout: 0"))
    with FileLock(str(project / ".build.lock")):
        code, out, err = run(capsys, "build", "--root", str(project))
    assert code == EXIT_LOCKED == 75
    assert err.startswith("error: ") and "another build has held the lock" in err
    assert "Traceback" not in err and out == ""


def test_internal_error_exits_1_with_the_traceback(project: Path, capsys,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.build

    def boom(*_args, **_kwargs):  # noqa: ANN202
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline.build, "build", boom)
    code, out, err = run(capsys, "build", "--root", str(project))
    assert code == EXIT_INTERNAL == 1
    assert "Traceback" in err and "RuntimeError: a bug" in err
    assert "internal error: a bug in the pipeline, not in inputs/" in err


def test_real_process_exit_codes(project: Path) -> None:
    """The same through `python -m pipeline`, as cron and make run it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "pipeline", "check", "--root", str(project)]
    ok = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    break_inputs(project)
    bad = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "unknown actor 'bbo'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_unknown_subcommand_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["publish"])
    assert info.value.code == 2
    assert "invalid choice: 'publish'" in capsys.readouterr().err


# --------------------------------------------------------------------------- help and README


def _subcommands() -> list[str]:
    help_text = parser().format_help()
    choices = re.search(r"\{([a-z,-]+)\}", help_text)
    assert choices, help_text
    return choices.group(1).split(",")


def test_help_runs_and_names_every_subcommand(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for name in _subcommands():
        assert re.search(rf"^\s+{name}\s+\S", text, re.M), name
    assert "exit codes:" in text


def test_every_subcommand_is_in_the_readme() -> None:
    for name in _subcommands():
        mentioned = re.search(rf"`(?:make|briefing|python -m pipeline) {name}\b", README) or \
            re.search(rf"CLI[^\n]*\b{name}\b", README)
        assert mentioned, f"README.md does not mention the `{name}` subcommand"


def test_every_make_target_in_the_readme_exists() -> None:
    named = set(re.findall(r"`make(?: ([a-z][a-z-]*))?`", README))          # inline code
    named |= set(re.findall(r"^make(?: ([a-z][a-z-]*))?(?:\s|$)", README, re.M))  # sh blocks
    targets = set(re.findall(r"^([a-zA-Z][\w.-]*)\s*:(?!=)", MAKEFILE, re.M))
    assert "" in named and {"test", "check", "clean"} <= named, named
    for target in sorted(named - {""}):
        assert target in targets, f"README names `make {target}` but the Makefile has no such target"
    assert re.search(r"^all\s*:", MAKEFILE, re.M), "plain `make` needs a default target"


def test_readme_exit_codes_match_the_cli() -> None:
    table = dict(re.findall(r"^\| (\d+) \| ([^|]+) \|$", README, re.M))
    assert set(map(int, table)) == {EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_ENVIRONMENT, EXIT_LOCKED}
    assert "lock" in table[str(EXIT_LOCKED)] and "bad input" in table[str(EXIT_INPUT)]


def test_a_schema_failure_while_the_pdf_renders_stops_the_render(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture) -> None:
    """The table schemas are checked while the parts are laid out; a failure exits 2 with its
    message, leaves output/ alone and stops the render host and its workers (one process group)."""
    import time

    import pipeline.render.stage as render
    from pipeline import tables as s4_tables
    from pipeline.errors import InputError, Problem

    hosts: list[render.RenderHost] = []
    real_init = render.RenderHost.__init__

    def recording_init(self: render.RenderHost, *args: object) -> None:
        real_init(self, *args)
        hosts.append(self)

    def failing(name: str, df: object) -> object:
        raise InputError(Problem(f"output table {name}.csv", None, "schema check failed: test", "see the value"))

    monkeypatch.setattr(render.RenderHost, "__init__", recording_init)
    monkeypatch.setattr(s4_tables, "validate", failing)
    before = sorted(p.name for p in (project / "output").rglob("*"))
    assert main(["--root", str(project), "build", "--no-cache", "--quiet"]) == EXIT_INPUT
    assert "schema check failed: test" in capsys.readouterr().err
    assert sorted(p.name for p in (project / "output").rglob("*")) == before
    (host,) = hosts
    assert host.process.returncode == -9     # stopped, not left to finish a render nobody wants
    assert not Path(host.scratch).exists()
    for _ in range(50):                       # killed workers are reaped by init shortly after
        try:
            os.killpg(host.process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the render host's workers are still running")


def test_lock_is_not_reported_as_bad_input() -> None:
    from pipeline.errors import BuildLocked, InputError

    assert not issubclass(BuildLocked, InputError)


def test_machine_rows_breaking_a_schema_exit_1_as_a_bug(project: Path, capsys,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Colliding machine ids are the engine's fault: exit 1, the message says it is a bug and
    names the source; it never blames the inputs, and output/ is left alone."""
    import pipeline.tables as s4

    real = s4.build_tables

    def collide(*args, **kwargs):  # noqa: ANN202 - a machine event twice under one id
        import pandas as pd

        tables = real(*args, **kwargs)
        events = tables["events"]
        tables["events"] = pd.concat([events, events.iloc[:1]], ignore_index=True)
        return tables

    monkeypatch.setattr(s4, "build_tables", collide)
    before = tree_hashes(project / "output")
    code, out, err = run(capsys, "build", "--root", str(project), "--no-cache")
    assert code == EXIT_INTERNAL
    assert "bug in the pipeline" in err and "events.csv" in err and "source:" in err
    assert re.search(r"source: [a-z0-9-]+", err)
    assert "input row is inconsistent" not in err and "problems in the inputs" not in err
    assert tree_hashes(project / "output") == before
