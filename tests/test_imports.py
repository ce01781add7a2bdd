"""The pipeline's modules only look forward: no import cycles and no private names taken from
another module. Read from the source with ast (imports inside functions count too), so a
lazy import cannot hide a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"


def _modules(package: Path = PIPELINE) -> dict[str, Path]:
    """Every module of the package under its dotted name (a package by its __init__.py)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(modules: dict[str, Path]) -> tuple[dict[str, set[str]], list[str]]:
    """Each module's imports of other pipeline modules, and every private name imported from
    another module (`from pipeline.x import _y`)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    private: list[str] = []
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path, node)
                targets = []
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in modules:          # `from pipeline.render import parts`: a module
                        targets.append(sub)
                        continue
                    targets.append(base)
                    if alias.name.startswith("_") and base != module and base.startswith("pipeline"):
                        private.append(f"{module} imports {alias.name} from {base}")
            else:
                continue
            for target in targets:
                while target and target not in modules:     # `import pipeline.x.y` names x.y
                    target = target.rpartition(".")[0]
                if target and target != module and target != "pipeline":
                    graph[module].add(target)
    return graph, private


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


# The one cycle left: load_inputs reads the sources through readers/discover.py, which takes the
# sidecar schema from inputs. It goes when reading sources moves to ingest (issue 23, point 5);
# this list may only shrink.
KNOWN_CYCLES = [["pipeline.inputs", "pipeline.readers.discover"]]


def test_no_import_cycles() -> None:
    graph, _ = imports(_modules())
    assert cycles(graph) == KNOWN_CYCLES


def test_no_private_names_across_modules() -> None:
    _, private = imports(_modules())
    assert private == []


def test_the_walk_sees_cycles_and_lazy_imports(tmp_path: Path) -> None:
    """The checks themselves: a cycle through an import inside a function, and a private
    import, in a made-up package, are both found."""
    pkg = tmp_path / "pipeline"
    (pkg / "stage").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "stage" / "__init__.py").write_text("from pipeline.stage.helper import thing\n")
    (pkg / "stage" / "helper.py").write_text(
        "def thing():\n    from pipeline.stage import _secret\n    return _secret\n")
    (pkg / "leaf.py").write_text("import pipeline.stage.helper\n")
    graph, private = imports(_modules(pkg))
    assert cycles(graph) == [["pipeline.stage", "pipeline.stage.helper"]]
    assert private == ["pipeline.stage.helper imports _secret from pipeline.stage"]
    assert graph["pipeline.leaf"] == {"pipeline.stage.helper"}


@pytest.mark.parametrize("stage", ["pipeline.build"])
def test_the_real_graph_is_read(stage: str) -> None:
    graph, _ = imports(_modules())
    assert len(graph[stage]) >= 5
