"""Every exit-2 message carries a fix. Walked three ways: every place the pipeline builds a
problem passes a fix (read from the code), every schema error of every input file the config
layer can raise gets one (each value of the tiny project's files replaced in turn by values of
every wrong shape), and the dates people actually mistype get the right one."""

from __future__ import annotations

import ast
import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import InputError, Problem
from pipeline.inputs import CODEBOOK_FILES, Annotation, Briefing, Sidecar, _validate, load_inputs, read_yaml

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "bad_inputs" / "_tiny" / "inputs"


def _constructions() -> list[tuple[str, int, ast.Call]]:
    """Every `Problem(...)`, `InputError.at(...)` and `<loaded>.problem(...)` call in pipeline/,
    with its hint argument's position."""
    found = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = ast.unparse(node.func)
            if func == "Problem" or func.endswith("InputError.at"):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", 3, node))
            elif func.endswith(".problem"):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", 2, node))
    return found


def test_every_problem_the_pipeline_builds_passes_a_fix() -> None:
    calls = _constructions()
    assert len(calls) >= 40          # the walk sees the pipeline's problems, not a stray few
    missing = []
    for where, pos, node in calls:
        hint = next((k.value for k in node.keywords if k.arg == "hint"),
                    node.args[pos] if len(node.args) > pos else None)
        if hint is None or (isinstance(hint, ast.Constant) and not hint.value):
            missing.append(f"{where}: {ast.unparse(node)[:100]}")
    assert not missing, "problems without a fix:\n" + "\n".join(missing)


# Values of every shape a YAML value can take, several of them wrong for any given key.
WRONG = [None, True, 7, -3, 2.5, 10**12, "", "x", "Not An Id!", "16/12/2025", "2025-16-12", "([",
         date(2025, 12, 16), [], ["x"], [7], [{"k": "v"}], {}, {"k": "v"}]


def _baselines() -> list[tuple[str, Any, Any]]:
    """(file, model, data) for every kind of input file, from the tiny project, with the keys
    the tiny files leave out filled in so that each key is walked."""
    out = [("briefing.yaml", Briefing, read_yaml(TINY / "briefing.yaml")[0]),
           ("sources/harbour-talks.yaml", Sidecar, read_yaml(TINY / "sources" / "harbour-talks.yaml")[0])]
    for name, model in CODEBOOK_FILES.items():
        out.append((f"codebook/{name}.yaml", model, read_yaml(TINY / "codebook" / f"{name}.yaml")[0]))
    ann = read_yaml(TINY / "annotations" / "harbour-talks.yaml")[0]
    ann["actors"] = [{"id": "carla", "name": "Carla", "type": "person", "aliases": ["C."]}]
    ann["reject"] = ["auto-1"]
    ann["corrections"] = [{"id": "auto-2", "date": "2025-03-04", "title": "T", "actors": ["alice"],
                           "place": "portville", "plan": "harbour-plan", "provision": "fleet-cap",
                           "position": "p", "value": 3, "unit": "u"}]
    out.append(("annotations/harbour-talks.yaml", Annotation, ann))
    out[0][2]["key_points"] = [{"text": "t", "quotes": [{"source": "harbour-talks", "quote": "q"}]}]
    out[0][2]["max_rows"] = {"events": 5}
    return out


def _paths(data: Any, base: tuple = ()) -> list[tuple]:
    paths = [base]
    if isinstance(data, dict):
        for key, value in data.items():
            paths += _paths(value, (*base, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            paths += _paths(value, (*base, i))
    return paths


def _replaced(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


def _removed(data: Any, path: tuple) -> Any:
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return data


def test_every_schema_error_of_every_input_file_carries_a_fix() -> None:
    seen_types: set[str] = set()
    without_fix: list[str] = []
    tried = 0
    for name, model, data in _baselines():
        _validate(Path(name), model, data, {})          # the baseline itself is valid
        variants = []
        for path in _paths(data):
            variants += [(path, _replaced(data, path, value)) for value in WRONG]
            if path and isinstance(path[-1], str):
                variants.append((path, _removed(data, path)))
        for path in _paths(data):
            node = data
            for part in path:
                node = node[part]
            if isinstance(node, dict):
                variants.append(((*path, "colour"), _replaced(data, (*path, "colour"), "blue")))
        for path, variant in variants:
            tried += 1
            try:
                _validate(Path(name), model, variant, {})
            except InputError as exc:
                for problem in exc.problems:
                    if not problem.hint.strip():
                        without_fix.append(f"{name} {path}: {problem.message}")
            _collect_types(model, variant, seen_types)
    assert tried > 1000
    # the walk met the kinds of mistake people make (type, enum, date, id, range, missing, extra)
    assert {"string_type", "list_type", "literal_error", "missing", "extra_forbidden", "int_parsing",
            "too_short", "invalid_value", "date_from_datetime_parsing", "greater_than_equal",
            "model_type"} <= seen_types, seen_types
    assert not without_fix, "\n".join(sorted(set(without_fix))[:40])


def _collect_types(model: Any, data: Any, seen: set[str]) -> None:
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(model).validate_python(data if data is not None else {})
    except ValidationError as exc:
        seen.update(e["type"] for e in exc.errors())


def test_every_reference_and_file_problem_of_the_config_layer_carries_a_fix(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The problems check_references and the file readers raise, each class triggered once."""
    import shutil

    inputs = tmp_path / "inputs"
    shutil.copytree(TINY, inputs)
    monkeypatch.chdir(tmp_path)
    ann = inputs / "annotations" / "harbour-talks.yaml"
    ann.write_text(ann.read_text().replace("actors: [alice, bob]", "actors: [alice, bbo]")
                   .replace("place: portville", "place: portvile").replace("plan: harbour-plan\n", "plan: harbor\n")
                   .replace("provision: fleet-cap", "provision: fleet").replace("question: talks-outcome",
                                                                                "question: outcome")
                   + "  - question: talks-outcome\n    stance: nope\n    position: p\n    quotes: [q]\n"
                   "  - question: talks-outcome\n    stance: framework\n    position: p\n    quotes: [q]\n")
    assert ann.read_text().rstrip().endswith("quotes: [q]")      # appended to the positions list
    (inputs / "annotations" / "elsewhere.yaml").write_text("events: []\n")
    (inputs / "sources" / "orphan.yaml").write_text("title: x\n")
    (inputs / "sources" / "empty.txt").write_text("  \n")
    (inputs / "sources" / "minutes.odt").write_bytes(b"PK\x03\x04 not a format the readers take")
    (inputs / "codebook" / "places.yaml").write_text("- {id: portville, name: P}\n- {id: portville, name: Q}\n")
    (inputs / "briefing.yaml").write_text((inputs / "briefing.yaml").read_text() + "title: again\n")
    with pytest.raises(InputError) as info:
        load_inputs(inputs)
    problems: list[Problem] = info.value.problems
    messages = " | ".join(p.message for p in problems)
    for needle in ("unknown actor", "unknown place", "unknown plan", "unknown provision", "unknown question",
                   "unknown stance", "annotations for unknown source", "sidecar without a source text",
                   "source is empty", "duplicate place id", "appears twice",
                   "second position"):
        assert needle in messages, needle
    assert any(p.path.endswith("minutes.odt") for p in problems), messages
    assert [p for p in problems if not p.hint] == []


@pytest.mark.parametrize(("where", "text", "fix"), [
    ("sidecar", "16/12/2025", "write it as YYYY-MM-DD: 2025-12-16"),
    ("sidecar", "2025-16-12", "write it as YYYY-MM-DD: 2025-12-16"),
    ("sidecar", "12/11/2025", "write it as YYYY-MM-DD: 2025-11-12 or 2025-12-11"),
    ("sidecar", "2025-02-30", "write a real date as YYYY-MM-DD"),
    ("annotation", "16/12/2025", "write it as YYYY-MM-DD: 2025-12-16; a range is two dates joined by '/'"),
    ("annotation", "2025-16-12", "write it as YYYY-MM-DD: 2025-12-16"),
    ("annotation", "2025-12-10/2025-12-01", "put the earlier date first: 2025-12-01/2025-12-10"),
    ("briefing", "16/12/2025", "write it as YYYY-MM-DD: 2025-12-16"),
    ("briefing", "Dec 16", "write a real date as YYYY-MM-DD"),
])
def test_mistyped_dates_get_a_fix_line_with_the_date_they_meant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str],
                                                                where: str, text: str, fix: str) -> None:
    import shutil

    from pipeline.__main__ import main

    shutil.copytree(TINY, tmp_path / "inputs")
    monkeypatch.chdir(tmp_path)
    file, old = {"sidecar": ("sources/harbour-talks.yaml", "published: 2025-03-10"),
                 "annotation": ("annotations/harbour-talks.yaml", "date: 2025-03-03"),
                 "briefing": ("briefing.yaml", "date: 2025-04-01")}[where]
    path = tmp_path / "inputs" / file
    assert path.read_text().count(old) == 1
    path.write_text(path.read_text().replace(old, f"{old.split(':')[0]}: \"{text}\""))
    capsys.readouterr()
    assert main(["check", "--root", str(tmp_path), "--quiet"]) == 2
    lines = capsys.readouterr().err.splitlines()
    k = next(i for i, line in enumerate(lines) if f"inputs/{file}:" in line)
    assert text in lines[k], lines
    assert lines[k + 1].strip().startswith(f"fix: {fix}"), lines
