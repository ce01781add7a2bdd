"""Review/merge: analyst quotes are checked against the text, and analyst rows win."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.build import build
from pipeline.contrast import relation
from pipeline.errors import InputError
from pipeline.review.quotes import NormalisedText

TEXT = "First paragraph says “hello” to   the world.\nSecond one — it isn’t the first.\n"


def _passages(text: str) -> pd.DataFrame:
    rows, pos = [], 0
    for i, line in enumerate(text.split("\n")):
        if line:
            rows.append({"passage_id": f"s:p{i + 1:03d}", "char_start": pos, "char_end": pos + len(line),
                         "text": line})
        pos += len(line) + 1
    return pd.DataFrame(rows)


def test_quote_tolerates_typographic_quotes_and_whitespace_only() -> None:
    nt = NormalisedText(TEXT, _passages(TEXT))
    found = nt.locate('says "hello" to the world')
    assert TEXT[found.start:found.end] == "says “hello” to   the world"
    found = nt.locate("it isn't the first")
    assert TEXT[found.start:found.end] == "it isn’t the first"


def test_elided_quote_spans_one_paragraph() -> None:
    nt = NormalisedText(TEXT, _passages(TEXT))
    found = nt.locate("First paragraph … the world.")
    assert TEXT[found.start:found.end].startswith("First paragraph") and found.passage_id == "s:p001"
    with pytest.raises(Exception, match="not in the source"):
        nt.locate("the world. … Second one")


def _edit_annotation(root: Path, sid: str, fn) -> None:  # noqa: ANN001
    path = root / "inputs" / "annotations" / f"{sid}.yaml"
    doc = yaml.safe_load(path.read_text())
    fn(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def test_one_character_edit_fails_with_closest_passage(project: Path) -> None:
    from pipeline.review.quotes import normalise

    original = []

    def breaks(doc: dict) -> None:
        original.append(doc["events"][0]["quotes"][0])
        doc["events"][0]["quotes"][0] = doc["events"][0]["quotes"][0].replace("e", "a", 1)

    _edit_annotation(project, "weekend-update-165", breaks)
    with pytest.raises(InputError) as info:
        build(project, check_only=True)
    problem = info.value.problems[0]
    assert problem.path.endswith("annotations/weekend-update-165.yaml")
    assert problem.line and "not in the source" in problem.message
    assert "closest in the source: paragraph" in problem.hint
    assert f'"{normalise(original[0])}' in problem.hint      # the real text, from its first word


def test_rejecting_a_machine_item_removes_it(project: Path) -> None:
    build(project)
    sid = "anchorage-framework-telegraph"
    sheet = yaml.safe_load((project / f"output/review/{sid}.yaml").read_text())
    victim = sheet["plan_terms"][0]["id"]
    terms = pd.read_csv(project / "output/tables/plan_terms.csv", dtype=str, keep_default_na=False)
    assert victim in set(terms["term_id"])
    _edit_annotation(project, sid, lambda d: d.setdefault("reject", []).append(victim))
    build(project)
    terms = pd.read_csv(project / "output/tables/plan_terms.csv", dtype=str, keep_default_na=False)
    assert victim not in set(terms["term_id"])


def test_stale_reject_id_is_a_warning_naming_the_closest_item(project: Path, caplog) -> None:
    """An id the engine no longer produces (the text or the engine changed) must not fail the
    build: it warns, names the file and line, and suggests the current item it most resembles
    (known from the last published worksheet)."""
    sid = "anchorage-framework-telegraph"
    build(project)
    sheet = (project / f"output/review/{sid}.yaml").read_text()
    doc = yaml.safe_load(sheet)
    real = (doc["events"] or doc["plan_terms"])[0]
    stale = "auto-0badc0de"
    # the last worksheet knew the stale id under the title of a current item
    (project / f"output/review/{sid}.yaml").write_text(sheet.replace(real["id"], stale, 1))
    _edit_annotation(project, sid, lambda d: d.setdefault("reject", []).append(stale))
    with caplog.at_level("WARNING", logger="pipeline"):
        build(project, check_only=True)
    (message,) = [r.getMessage() for r in caplog.records if stale in r.getMessage()]
    assert f"annotations/{sid}.yaml:" in message and "the entry is ignored" in message
    assert f"closest current item: {real['id']}" in message


def test_new_source_without_sidecar_or_annotations_builds_unreviewed(project: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    shutil.copy(fixtures / "fixture-kremlin-five-hour-meeting.txt", project / "inputs/sources/wire-new.txt")
    result = build(project)
    assert any("no sidecar" in w for w in result.warnings)
    events = pd.read_csv(project / "output/tables/events.csv", dtype=str, keep_default_na=False)
    mine = events[events["source_ids"].str.contains("wire-new")]
    assert len(mine) >= 3 and set(mine["status"]) == {"unreviewed"}
    sources = pd.read_csv(project / "output/tables/sources.csv", dtype=str, keep_default_na=False)
    row = sources.set_index("source_id").loc["wire-new"]
    assert row["published"] == "" and row["kind"] == "other" and row["title"].startswith("Kremlin says")
    html = (project / "output/briefing.html").read_text()
    assert "unreviewed" in html and "Draft: contains" in html


@pytest.mark.parametrize(("sets", "expected"), [
    ([{"a"}, {"a"}], "agree"), ([{"a", "b"}, {"a", "c"}], "partial"),
    ([{"a"}, {"b"}], "disagree"), ([{"a"}], "only-one"),
])
def test_relation_is_computed_from_stances(sets: list, expected: str) -> None:
    assert relation([frozenset(s) for s in sets]) == expected
