"""YAML with a line map: every value's line, so that a schema error on `events[3].quotes[0]`
is reported as `annotations/x.yaml:42`.

The safe loader only (tags are never executed), with budgets that stop alias bombs, recursive
aliases and deep nesting before the document is constructed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from pipeline.errors import InputError, Problem, display_path
from pipeline.readers.files import read_bytes

M = TypeVar("M")


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model plus where each of its values sits in the file."""

    path: Path
    model: M
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def line_of(self, *loc: Any) -> int | None:
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return None

    def problem(self, loc: tuple[Any, ...], message: str, hint: str = "") -> Problem:
        return Problem(display_path(self.path), self.line_of(*loc), message, hint)


# --------------------------------------------------------------------------- YAML with lines

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_YAML_VALUES = 200_000      # values after alias expansion: stops "billion laughs" files early
MAX_YAML_DEPTH = 50            # inputs nest five levels at most
MAX_YAML_EXPANDED = MAX_YAML_BYTES   # characters of text once aliases are expanded (one 1 MB string
                                     # referred to 1,000 times is 1 GB once validated and hashed)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 5x faster
    """The safe loader, except that an impossible date (2025-02-30) stays text.

    PyYAML turns anything shaped like a date into `datetime.date` and raises a bare ValueError
    for 2025-13-40; kept as text, the schema reports it with its key and line instead.
    """

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _key_text(node: yaml.Node) -> Any:
    return node.value if isinstance(node, yaml.ScalarNode) else repr(node)


def _line_map(root: yaml.Node, path: Path) -> tuple[dict[tuple[Any, ...], int], list[Problem]]:
    """Line of every value (the key's line for mapping entries); duplicate keys as problems.

    Walks iteratively with a budget: an alias bomb or a recursive alias is refused here, before
    the document is constructed or validated.
    """
    lines: dict[tuple[Any, ...], int] = {}
    dupes: list[Problem] = []
    stack: list[tuple[yaml.Node, tuple[Any, ...], int]] = [(root, (), root.start_mark.line + 1)]
    visited = 0
    expanded = 0
    while stack:
        node, loc, line = stack.pop()
        visited += 1
        if isinstance(node, yaml.ScalarNode):
            expanded += len(node.value)
            if expanded > MAX_YAML_EXPANDED:
                raise InputError.at(path, line, f"more than {MAX_YAML_EXPANDED // (1024 * 1024)} MB of text "
                                    "once YAML aliases (*name) are expanded",
                                    "write the values out; do not refer to long values with aliases")
        if visited > MAX_YAML_VALUES or len(loc) > MAX_YAML_DEPTH:
            loop = _alias_loop(root)
            if loop is not None:
                raise InputError.at(path, loop.start_mark.line + 1, "a YAML alias refers to itself",
                                    "remove the recursive alias (*name inside &name)")
            if len(loc) > MAX_YAML_DEPTH:
                raise _too_deep(path, line)
            raise InputError.at(path, None, f"more than {MAX_YAML_VALUES} values once YAML aliases "
                                "(*name) are expanded", "write the values out; do not nest aliases")
        lines.setdefault(loc, line)
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = _key_text(key_node)
                expanded += len(key) if isinstance(key, str) else 0
                key_line = key_node.start_mark.line + 1
                if key in seen:
                    dupes.append(Problem(display_path(path), key_line, f"key '{key}' appears twice",
                                         "keep one of them"))
                seen.add(key)
                stack.append((value_node, (*loc, key), key_line))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, (*loc, i), item.start_mark.line + 1))
    return lines, sorted(dupes, key=lambda d: d.line or 0)


def _too_deep(path: Path, line: int | None) -> InputError:
    """One message for deep nesting, whichever layer notices it first (our walk, libyaml's own
    limit, or Python's recursion limit), so users and tests see the same words everywhere."""
    return InputError.at(path, line, f"YAML nested more than {MAX_YAML_DEPTH} levels deep",
                         "flatten it: input files need only a few levels of nesting")


def _alias_loop(root: yaml.Node) -> yaml.Node | None:
    """A collection node that contains itself (through aliases), if any: a depth-first walk
    over distinct nodes, so it is quick even on an alias bomb."""
    state: dict[int, int] = {}          # 1: on the current path, 2: done
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            state[id(node)] = 2
            continue
        if state.get(id(node)) == 2:
            continue
        state[id(node)] = 1
        stack.append((node, True))
        children = ([v for _k, v in node.value] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        for child in children:
            if state.get(id(child)) == 1:
                return child
            if state.get(id(child)) is None:
                stack.append((child, False))
    return None


def read_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse YAML safely, keeping a line for every value; duplicate keys are errors."""
    raw = read_text(path, max_bytes=MAX_YAML_BYTES,
                     too_big="input YAML files are small: is this the right file?")
    loader = _Loader(raw)
    try:
        try:
            node = loader.get_single_node()
            lines, dupes = _line_map(node, path) if node is not None else ({}, [])
            if dupes:
                raise InputError(dupes)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem, context = getattr(exc, "problem", None), getattr(exc, "context", None)
        reason = problem or str(exc)
        if context and reason.startswith("but "):
            reason = f"{context}, {reason}"
        if "nesting depth" in reason:   # libyaml >= 0.2.6 (PyYAML 6.0.3+) stops deep nesting itself
            raise _too_deep(path, line) from None
        hint = "check indentation, colons and quoting on that line"
        if "constructor for the tag" in reason:
            hint = "input files are plain YAML: remove the '!!' tag (tags are never executed)"
        raise InputError.at(path, line, f"invalid YAML: {reason}", hint) from None
    except RecursionError:
        raise _too_deep(path, None) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise InputError.at(path, None, f"invalid YAML value: {exc}",
                            "check dates and numbers in the file") from None
    return data, lines


def read_text(path: Path, max_bytes: int,
               too_big: str = "split it, or raise max_source_mb in inputs/briefing.yaml") -> str:
    """Read UTF-8 text defensively: size, binary and encoding problems are user errors."""
    from pipeline.readers import ReadError
    from pipeline.readers.text import decode

    data = read_bytes(path, max_bytes, too_big)
    try:
        return decode(data)
    except ReadError as exc:
        raise InputError.at(path, exc.line, exc.message, exc.hint) from None
