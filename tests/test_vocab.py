"""The closed value sets are declared once (pipeline/vocab.py): no other module spells out a
list of them, and every place that ranks or checks them agrees with the enums."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

import pytest

from pipeline import vocab
from pipeline.vocab import PRECISION_RANK, ActorType, Format, Precision, SourceKind, Status

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
ENUMS = [Precision, SourceKind, ActorType, Format, Status, vocab.Origin, vocab.PassageKind, vocab.Relation]
# Modules still spelling value sets out while another engineer rewrites them: the input schemas
# are being split into pipeline/inputs/{schema,yamlmap,problems,refs,load}.py (issue 23 point 5),
# which take ActorType, SourceKind and the dated precisions from vocab. This list may only shrink.
PENDING = {"inputs/__init__.py"}


def _literal_sets(tree: ast.AST) -> list[tuple[int, set[str]]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            out.append((node.lineno, items))
        elif isinstance(node, ast.Dict):
            items = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            out.append((node.lineno, items))
    return out


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_no_module_spells_out_a_value_set(enum: type[StrEnum]) -> None:
    """A literal list, tuple, set or dict holding most of an enum's values is a second
    definition that will drift (the chronology once ranked `month` before `part`)."""
    values = {m.value for m in enum}
    need = max(3, len(values) - 2)
    found = []
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.name == "vocab.py" or str(path.relative_to(PIPELINE)) in PENDING:
            continue
        for line, items in _literal_sets(ast.parse(path.read_text(encoding="utf-8"))):
            if len(items & values) >= need:
                found.append(f"{path.relative_to(PIPELINE)}:{line}")
    assert found == []


# Named subsets are declared once too: a literal equal to one of them is a copy.
SUBSETS = {"AUTHORS_TEXT": vocab.AUTHORS_TEXT, "ROW_ORIGINS": vocab.ROW_ORIGINS,
           "ACTOR_ORIGINS": vocab.ACTOR_ORIGINS, **{e.__name__: tuple(e) for e in ENUMS}}


def test_no_module_copies_a_named_subset() -> None:
    """`("body", "sidebar")` written out twelve times was the author's text twelve ways; a
    two-valued enum (Status) is too small for the majority rule above, so exact copies count."""
    subsets = {frozenset(map(str, v)): name for name, v in SUBSETS.items() if len(v) >= 2}
    found = []
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.name == "vocab.py" or str(path.relative_to(PIPELINE)) in PENDING:
            continue
        for line, items in _literal_sets(ast.parse(path.read_text(encoding="utf-8"))):
            if frozenset(items) in subsets:
                found.append(f"{path.relative_to(PIPELINE)}:{line} {subsets[frozenset(items)]}")
    assert found == []


def test_precision_rank_is_finest_first() -> None:
    assert list(PRECISION_RANK) == [p.value for p in Precision]
    assert Precision.PART.rank < Precision.MONTH.rank < Precision.SEASON.rank < Precision.YEAR.rank
    assert Precision.UNDATED.rank == max(PRECISION_RANK.values())
    assert sorted(["year", "month", "part", "day"], key=PRECISION_RANK.__getitem__) == [
        "day", "part", "month", "year"]


def test_members_are_their_text() -> None:
    """A member written to a CSV, compared with a cell or put in YAML is its plain value."""
    assert Precision.DAY == "day" and f"{Format.PDF}" == "pdf" and str(SourceKind.NEWS) == "news"
    assert vocab.literal(Status).__args__ == ("reviewed", "unreviewed")
