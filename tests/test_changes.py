"""What changed: a rebuild after an edit reports it; a rebuild of the same inputs is identical."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from pipeline.build import build


def test_changes_after_editing_an_annotation(project: Path) -> None:
    build(project)
    first = json.loads((project / "output/changes.json").read_text())
    assert first["first"] is True
    pdf_before = (project / "output/briefing.pdf").read_bytes()

    build(project)   # same inputs: same comparison, same bytes
    assert (project / "output/briefing.pdf").read_bytes() == pdf_before

    path = project / "inputs/annotations/weekend-update-165.yaml"
    doc = yaml.safe_load(path.read_text())
    event_id = doc["events"][0]["id"]
    doc["events"][0]["title"] = "Retitled by the test"
    removed_q = doc["positions"].pop()["question"]
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    build(project)

    changes = json.loads((project / "output/changes.json").read_text())
    tables = {t["name"]: t for t in changes["tables"]}
    assert any(c["id"] == event_id and "title" in c["fields"] for c in tables["events"]["changed"])
    assert any(r["id"] == f"{removed_q}/weekend-update-165" for r in tables["positions"]["removed"])
    html = (project / "output/briefing.html").read_text()
    assert "What changed since the last briefing" in html and "Retitled by the test" in html
    archived = [p for p in (project / "output/archive").iterdir() if (p / "briefing.pdf").exists()]
    assert len(archived) == 1 and (archived[0] / "briefing.pdf").read_bytes() == pdf_before
