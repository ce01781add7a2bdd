"""Every problem the pipeline reports carries a fix that names a real action (issue 21).

A message for bad input ends in `fix: ...`. This test walks every place in pipeline/ that
makes one (Problem, InputError.at, BuildLocked.at, Loaded.problem, ReadError, invalid) and
every fix in the type table, takes the fix's literal text and checks that it tells the user
to do something (a verb they can act on) and that each file or folder it names is one a
project has (inputs/sources/, inputs/codebook/<file>.yaml, output/review/, docs/formats.md).
A fix such as "add it to the sources in the codebook" (sources are files, not codebook
entries) fails.
"""

from __future__ import annotations

import ast
import re

import pytest

from tests.conftest import ROOT

PIPELINE = ROOT / "pipeline"
# Words a fix may start a clause with: something the user does.
ACTIONS = {
    "add", "remove", "rename", "use", "write", "put", "copy", "create", "check", "choose", "give",
    "keep", "make", "save", "split", "raise", "set", "run", "replace", "move", "delete", "fix",
    "merge", "wait", "free", "cite", "quote", "drop", "correct", "shorten", "lower", "change",
    "install", "retry", "restore", "widen", "edit", "balance", "see", "did", "turn", "convert",
    "export", "mark", "leave", "ask", "build", "close", "re-save", "resave", "list", "pass", "name",
    "point", "type", "enter", "start", "stop", "update", "pick", "reduce", "increase", "open",
    "try", "re-run", "rerun", "place", "select", "store", "upgrade", "repeat", "join", "flatten",
}
# Files and folders a fix may name, as a project has them.
PLACES = {"inputs/", "inputs/sources/", "inputs/annotations/", "inputs/codebook/", "inputs/briefing.yaml",
          "output/", "output/review/", "output/archive/", "output/logs/", "templates/", "docs/formats.md",
          "README.md", ".cache/", "inputs/codebook/lexicon.yaml"}
CODEBOOK = {f"inputs/codebook/{n}.yaml" for n in ("actors", "places", "plans", "provisions", "questions",
                                                   "lexicon")}
HINT_POSITION = {"Problem": 3, "at": 3, "problem": 2, "ReadError": 2, "invalid": 1}


def _literal(node: ast.AST) -> str | None:
    """The text of a string or f-string (placeholders as `{}`); None for anything computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.IfExp):
        a, b = _literal(node.body), _literal(node.orelse)
        return None if a is None or b is None else f"{a} | {b}"
    return None


def _fixes() -> list[tuple[str, str]]:
    """(where, fix text) for every literal fix in pipeline/, with `_suggest`'s fallbacks."""
    found: list[tuple[str, str]] = []
    for path in sorted(PIPELINE.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            hint = next((k.value for k in node.keywords if k.arg in ("hint", "fix")), None)
            if hint is None and name in HINT_POSITION and len(node.args) > HINT_POSITION[name]:
                hint = node.args[HINT_POSITION[name]]
            if name == "_suggest" and len(node.args) == 3:
                hint = node.args[2]
            if hint is None:
                continue
            text = _literal(hint)
            if text is not None:
                found.extend((where, part) for part in text.split(" | "))
    from pipeline.inputs import TYPE_FIXES

    found.extend((f"TYPE_FIXES[{k}]", v) for k, v in TYPE_FIXES.items())
    return found


def _names_an_action(fix: str) -> bool:
    """Some clause starts with an action; a clause computed at run time (`{}`: a date's right
    spelling, the closest id) counts, as the bad-input cases check those texts."""
    clauses = re.split(r"(?:^|[:;(]\s*|,\s+(?:or|and|then)\s+|\bor\s+|\bthen\s+)", fix.lower())
    return any(c.split()[0].strip("`'\"") in ACTIONS | {"{}"} for c in clauses if c.strip() and c.split())


FIXES = _fixes()


def test_the_walk_finds_the_fixes() -> None:
    assert len(FIXES) >= 60
    assert any(f == "rename it to match a source" for _, f in FIXES)     # a _suggest fallback
    assert any(w.startswith("TYPE_FIXES") for w, _ in FIXES)


@pytest.mark.parametrize(("where", "fix"), FIXES, ids=[w for w, _ in FIXES])
def test_each_fix_names_a_real_action(where: str, fix: str) -> None:
    if fix.strip() in ("{}", ""):
        pytest.skip("computed entirely at run time (checked by the bad-input cases)")
    assert _names_an_action(fix), f"{where}: the fix {fix!r} does not say what to do"
    for place in re.findall(r"\b((?:inputs|output|docs|templates)/[\w./<>{}-]*)", fix):
        place = place.rstrip(".")
        if "{}" in place or "<" in place:
            continue      # a file named at run time (the source's own worksheet, say)
        assert place in PLACES | CODEBOOK or (ROOT / place).exists(), f"{where}: {place} is no real place"
    assert not re.search(r"source\w*[^.]*\bcodebook\b", fix), f"{where}: sources are files, not codebook entries"
