"""One content-addressed cache: the build's stages, the readers and the per-source work share it.

A result is stored under a key made of three things, none of them written by hand:
  - the inputs it was computed from (a hash the caller gives: file bytes, codebook, options);
  - the code it runs: every module of this package in the import closure of the function's
    module and the data files shipped in their folders (such as english.yaml), read from the
    import graph (`import` and `from ... import` anywhere in a module,
    functions included, and `importlib.import_module("pipeline....")`), so editing a leaf such
    as labels.py reaches every stage that imports it, and only those;
  - the versions of the third-party distributions that closure imports, and of what they require
    (importlib.metadata), plus the Python version: a new trafilatura is a new reading.

Entries are files `<folder>/<kind>/<key>`, written under a unique temporary name and renamed
into place (os.replace is atomic on one file system), so two builds at once never see half an
entry and never trip over each other's temporary files; a reader that loses a race to `prune`
simply recomputes.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.atomic import atomic_write

PACKAGE = "pipeline"
PACKAGE_DIR = Path(__file__).resolve().parent
STALE_TMP_SECONDS = 3600      # a temporary file this old belongs to a build that died


def digest(*parts: Any) -> str:
    """A stable hash of bytes, strings and JSON-able values (lengths framed, so parts never run
    into each other)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        data = data if isinstance(data, bytes) else json.dumps(data, sort_keys=True, default=str).encode()
        h.update(f"{len(data)}:".encode() + data)
    return h.hexdigest()[:24]


# --------------------------------------------------------------------------- the import graph


@functools.cache
def _modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> file."""
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        rel = path.relative_to(PACKAGE_DIR).with_suffix("")
        parts = [PACKAGE, *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _parents(name: str) -> list[str]:
    """A module's packages, whose __init__ runs when it is imported."""
    bits = name.split(".")
    return [".".join(bits[:i]) for i in range(1, len(bits))]


def _dynamic_target(call: ast.Call) -> str | None:
    """The constant part of `importlib.import_module("pipeline.x")` or
    `import_module(f"pipeline.readers.{name}")`: a name, or a prefix ending in '.'."""
    func = call.func
    fname = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if fname != "import_module" or not call.args:
        return None
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value)
    return None


# What the import graph and the installed distributions gave, kept between builds (parsing
# every module and scanning every distribution's file list costs most of a second): imports by
# module and file hash, distribution versions by the list of installed distributions. Valid for
# any project, so it lives beside the byte code, in the package's __pycache__.
_MEMO: dict[str, dict[str, Any]] = {"imports": {}, "dists": {}}
_MEMO_PATH = PACKAGE_DIR / "__pycache__" / "briefing-code-memo.json"
_MEMO_STATE = {"loaded": False, "dirty": False}
DIST_STATES_KEPT = 64     # memo entries of distribution versions kept (several per installed set)


def _load_memo() -> None:
    if _MEMO_STATE["loaded"]:
        return
    _MEMO_STATE["loaded"] = True
    try:
        loaded = json.loads(_MEMO_PATH.read_text())
        for part in _MEMO:
            _MEMO[part].update(loaded.get(part) or {})
    except (OSError, ValueError, AttributeError):
        pass


def save_memo() -> None:
    """Keep what code_key learnt for the next build (nothing happens where the package is read-only)."""
    if _MEMO_STATE["dirty"]:
        current = {_imports_key(name, path.read_bytes()) for name, path in _modules().items()}
        # the last few sets of installed distributions: sys.path starts with the folder a build
        # runs in, so two projects built in turn (one with an egg-info) must not evict each other
        dists = list(_MEMO["dists"].items())[-DIST_STATES_KEPT:]
        kept = {"imports": {k: v for k, v in _MEMO["imports"].items() if k in current},
                "dists": dict(dists)}
        with contextlib.suppress(OSError):
            atomic_write(_MEMO_PATH, json.dumps(kept, sort_keys=True).encode())
        _MEMO_STATE["dirty"] = False


# A memo of import lists is only as good as the code that parsed them: this file's own hash
_PARSER = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def _imports_key(name: str, data: bytes) -> str:
    return f"{name}:{hashlib.sha256(data).hexdigest()[:20]}:{_PARSER}"


@functools.cache
def imports_of(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(modules of the package, top-level names of other packages) that module `name` imports,
    anywhere in it."""
    _load_memo()
    data = _modules()[name].read_bytes()
    memo_key = _imports_key(name, data)
    found = _MEMO["imports"].get(memo_key)
    if found is None:
        found = [sorted(x) for x in _parse_imports(name, data)]
        _MEMO["imports"][memo_key] = found
        _MEMO_STATE["dirty"] = True
    return frozenset(found[0]), frozenset(found[1])


def _parse_imports(name: str, data: bytes) -> tuple[set[str], set[str]]:
    modules = _modules()
    path = modules[name]
    tree = ast.parse(data, filename=str(path))
    # `if TYPE_CHECKING:` imports never run: type hints alone do not make a module part of the code
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = [ast.Pass()]
    is_package = path.name == "__init__.py"
    inside: set[str] = set()
    outside: set[str] = set()

    def add(target: str) -> None:
        if target == PACKAGE or target.startswith(PACKAGE + "."):
            if target in modules:
                inside.add(target)
            elif target.endswith("."):          # a dynamic import under a prefix: all of them
                inside.update(m for m in modules if m.startswith(target))
            else:                               # `from pipeline.x import name`: name is not a module
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target:
                    inside.add(target)
        elif target and not target.startswith("."):
            outside.add(target.split(".")[0])

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            add(module)
            for alias in node.names:
                if f"{module}.{alias.name}" in modules:
                    add(f"{module}.{alias.name}")
        elif isinstance(node, ast.Call):
            target = _dynamic_target(node)
            if target:
                add(target)
        elif isinstance(node, ast.List | ast.Tuple):
            # a module started as a process: [sys.executable, "-m", "pipeline.render.host", ...]
            for a, b in zip(node.elts, node.elts[1:], strict=False):
                if isinstance(a, ast.Constant) and a.value == "-m" and isinstance(b, ast.Constant) \
                        and isinstance(b.value, str):
                    add(b.value)
    for target in list(inside):
        inside.update(p for p in _parents(target))
    inside.update(_parents(name))
    inside.discard(name)
    outside -= set(sys.stdlib_module_names) | {"__future__"}
    return inside, outside


@functools.cache
def closure(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every package module `name` runs when imported or called (itself included), and the
    top-level names of the other packages they import; both sorted."""
    seen: set[str] = set()
    outside: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        inner, outer = imports_of(current)
        outside |= outer
        todo.extend(inner - seen)
    return tuple(sorted(seen)), tuple(sorted(outside))


_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _norm(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


def _installed() -> str:
    """What is installed, cheaply: the names of the distributions' metadata folders on sys.path
    (they carry the versions)."""
    names: list[str] = []
    for entry in sys.path:
        try:
            names += sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return digest(names)


@functools.cache
def _dist_versions(top_names: tuple[str, ...]) -> tuple[str, ...]:
    """'name==version' of the distributions providing `top_names`, and of everything they
    require (extras' requirements aside), sorted."""
    _load_memo()
    memo_key = f"{_installed()}:{','.join(top_names)}"
    found = _MEMO["dists"].get(memo_key)
    if found is None:
        found = _MEMO["dists"][memo_key] = list(_scan_dists(top_names))
        _MEMO_STATE["dirty"] = True
    return tuple(found)


def _scan_dists(top_names: tuple[str, ...]) -> tuple[str, ...]:
    from importlib import metadata

    providers = metadata.packages_distributions()
    todo = [d for top in top_names for d in providers.get(top, [top])]
    seen: dict[str, str] = {}
    while todo:
        dist = _norm(todo.pop())
        if dist in seen:
            continue
        try:
            seen[dist] = metadata.version(dist)
            requires = metadata.requires(dist) or []
        except metadata.PackageNotFoundError:
            seen[dist] = "absent"
            continue
        for req in requires:
            if "extra ==" in req.replace('"', "").replace("'", ""):
                continue
            m = _REQ_NAME.match(req)
            if m:
                todo.append(m.group(1))
    return tuple(f"{d}=={v}" for d, v in sorted(seen.items()) if v != "absent")


def _data_of(name: str) -> list[Any]:
    """The data files shipped beside a module (english.yaml beside language.py, a stylesheet...):
    a module may read any of them, so each is part of its code. Every file of the module's own
    folder that is not Python source or byte code, by name and bytes."""
    folder = _modules()[name].parent
    out: list[Any] = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix not in (".py", ".pyc") and not path.name.startswith("."):
            out += [path.name, path.read_bytes()]
    return out


@functools.cache
def code_key(*module_names: str) -> str:
    """The hash of the code these modules run: their package import closure (bytes of every
    file), the versions of the distributions it uses, and the Python version."""
    inside: set[str] = set()
    outside: set[str] = set()
    for name in module_names:
        inner, outer = closure(name)
        inside.update(inner)
        outside.update(outer)
    modules = _modules()
    parts: list[Any] = [sys.version.split()[0]]
    for name in sorted(inside):
        parts += [name, modules[name].read_bytes(), *_data_of(name)]
    parts.append(list(_dist_versions(tuple(sorted(outside)))))
    return digest(*parts)


def function_key(fn: Any) -> str:
    """code_key for one function: what its module imports at the top, what the function imports
    in its own body and in the module's functions it calls (other functions' imports left out),
    and their closures; so two per-source steps in one module are keyed by what each runs."""
    module = getattr(fn, "__module__", "") or ""
    if module not in _modules():
        return code_key(module) if module else ""
    return _function_key(module, getattr(fn, "__qualname__", ""))


def function_closure(fn: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The package modules and other top-level packages `fn` runs (see function_key)."""
    return _function_closure(fn.__module__, fn.__qualname__)


@functools.cache
def _function_closure(module: str, qualname: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    path = _modules()[module]
    tree = ast.parse(path.read_bytes(), filename=str(path))
    defs = {node.name: node for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    body: list[ast.stmt] = [node for node in tree.body if node not in defs.values()]
    # the function and, transitively, the module's functions and classes it names
    todo, used = [qualname.split(".")[0]], set()
    while todo:
        name = todo.pop()
        if name in used or name not in defs:
            continue
        used.add(name)
        body.append(defs[name])
        todo += [n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name)]
    inside, outside = _parse_imports(module, ast.unparse(ast.Module(body=body, type_ignores=[])).encode())
    names = {module}
    for name in inside:
        names.update(closure(name)[0])
        outside.update(closure(name)[1])
    return tuple(sorted(names)), tuple(sorted(outside))


@functools.cache
def _function_key(module: str, qualname: str) -> str:
    names, outside = _function_closure(module, qualname)
    modules = _modules()
    parts: list[Any] = [sys.version.split()[0]]
    for name in names:
        parts += [name, modules[name].read_bytes(), *_data_of(name)]
    parts.append(list(_dist_versions(outside)))
    return digest(*parts)


# --------------------------------------------------------------------------- files on disk


class Store:
    """Entries by kind and key under one folder (None: nothing is kept, every get misses)."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.used: dict[str, set[str]] = {}

    def path(self, kind: str, key: str) -> Path | None:
        return self.folder / kind / key if self.folder else None

    def get(self, kind: str, key: str) -> bytes | None:
        path = self.path(kind, key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self.used.setdefault(kind, set()).add(key)
        return data

    def mark(self, kind: str, key: str) -> None:
        """Count an entry read in place (an Arrow file read by path) as used by this build."""
        self.used.setdefault(kind, set()).add(key)

    def put(self, kind: str, key: str, data: bytes) -> None:
        path = self.path(kind, key)
        if path is None:
            return
        atomic_write(path, data)
        self.used.setdefault(kind, set()).add(key)

    def prune(self, kind: str, keep: int = 0) -> None:
        """Drop the entries of `kind` this build did not use, but the `keep` newest of them, and
        temporary files a dead build left. Safe while another build reads or writes."""
        folder = self.folder / kind if self.folder else None
        if folder is None or not folder.is_dir():
            return
        used = self.used.get(kind, set())
        now = time.time()
        others: list[tuple[float, Path]] = []
        for entry in _entries(folder.iterdir()):
            try:
                mtime = entry.stat().st_mtime
            except OSError:
                continue
            if entry.name.endswith(".tmp"):
                if now - mtime > STALE_TMP_SECONDS:
                    entry.unlink(missing_ok=True)
            elif entry.name not in used:
                others.append((mtime, entry))
        for _, entry in sorted(others, reverse=True)[keep:]:
            entry.unlink(missing_ok=True)


def _entries(it: Iterable[Path]) -> list[Path]:
    try:
        return list(it)
    except OSError:
        return []


class Memo:
    """Results of one pure function by a hash of its argument, kept in the store between builds
    under the function's code key (a new PyYAML or an edited module starts afresh). Saving keeps
    only the entries this build asked for, so it never outgrows the corpus. For work that is
    cheap to key and dear to redo, such as writing 2,000 worksheets when one source was added.

    Each value is kept pickled on its own (`old`: key -> bytes) and unpickled when it is asked
    for: a rebuild made the memo at its start and held every remembered value as objects until
    the stage that asks for them (10,000 sources' contrast parts through extract and review, at
    the build's peak); a value asked for and not recomputed is saved as the bytes it came as."""

    FORMAT = "memo/2"     # a value's bytes per key; a memo of another format is computed again

    def __init__(self, store: Store, kind: str, code: str):
        self.store, self.kind, self.code = store, kind, digest(self.FORMAT, code)[:32]
        self.old: dict[str, bytes] = {}
        self.new: dict[str, Any] = {}
        self.kept: dict[str, bytes] = {}     # the new values that came from `old`, as they came
        self.missed = 0
        data = store.get(kind, self.code)
        if data is not None:
            import pickle

            try:
                loaded = pickle.loads(data)
                self.old = loaded if isinstance(loaded, dict) else {}
            except Exception:  # noqa: BLE001 - a damaged memo is computed again
                self.old = {}

    def get(self, key: str, compute: Any) -> Any:
        """The value for `key`: remembered, else compute()."""
        if key in self.new:
            return self.new[key]
        value = self._old(key)
        if value is _ABSENT:
            value = compute()
            self.missed += 1
        self.new[key] = value
        return value

    def _old(self, key: str) -> Any:
        import pickle

        data = self.old.get(key)
        if data is None:
            return _ABSENT
        try:
            value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged entry is computed again
            return _ABSENT
        self.kept[key] = data
        return value

    def start_many(self, items: list[tuple[str, Any]], start: Any) -> Any:
        """get() for many (key, argument) pairs, in two halves: `start(the arguments whose key is
        not remembered)` sets them going (on the build's workers, say) and returns a function
        that waits for their values, in order; the function returned here waits for them and
        gives every item's value."""
        todo: dict[str, Any] = {}
        for key, argument in items:
            if key not in self.new and key not in self.old:
                todo.setdefault(key, argument)
        wait = start(list(todo.values()))
        # only the keys are kept while the values are computed: the arguments (every source's
        # passages, for contrast) are the caller's to drop
        keys, missing = [key for key, _ in items], list(todo)
        del todo

        def values() -> list[Any]:
            for key, value in zip(missing, wait(), strict=True):
                self.new[key] = value
                self.missed += 1
            return [self.get(key, _remembered) for key in keys]
        return values

    def save(self) -> None:
        """Keep what this build used (only when something was computed or dropped)."""
        if self.missed or len(self.new) != len(self.old):
            import pickle

            kept = {key: self.kept.get(key) or pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                    for key, value in self.new.items()}
            self.store.put(self.kind, self.code, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        self.store.prune(self.kind)


_ABSENT = object()


def _remembered() -> Any:
    raise AssertionError("Memo.start_many computed every key it was given")
