"""Review worksheets (pipeline/worksheets.py): each source's machine-found items, no more."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import yaml

from pipeline.worksheets import worksheets


def _tables() -> dict[str, pd.DataFrame]:
    return {
        "notes": pd.DataFrame({"note_id": ["n1", "n2", "n3"],
                               "quote": ["first quote", "second quote", "evidence\nquote"]}),
        "events": pd.DataFrame([
            {"event_id": "e-shared", "origin": "auto", "source_ids": "nato;nato-review", "date_start": "2025-08-15",
             "date_end": "2025-08-15", "title": "Summit", "actors": "trump;putin", "note_ids": "n2;n1"},
            {"event_id": "e-reviewed", "origin": "analyst", "source_ids": "nato", "date_start": "2025-08",
             "date_end": "2025-09", "title": "Reviewed", "actors": "", "note_ids": "n1"},
            {"event_id": "e-range", "origin": "auto", "source_ids": "nato", "date_start": "2025-08-01",
             "date_end": "2025-08-31", "title": "Talks", "actors": "", "note_ids": "n1"},
        ]),
        "plan_terms": pd.DataFrame([
            {"term_id": "t1", "origin": "auto", "source_id": "nato-review", "plan_id": "p28",
             "provision_id": "army", "position": "capped", "value": 600000.0, "unit": "troops", "note_ids": "n1"},
            {"term_id": "t2", "origin": "auto", "source_id": "nato", "plan_id": "p28",
             "provision_id": "nato", "position": "no", "value": float("nan"), "unit": "", "note_ids": "n9"},
        ]),
        "actors": pd.DataFrame([
            {"actor_id": "a-review-only", "origin": "auto", "source_ids": "nato-review", "name": "Someone",
             "type": "person", "role": "", "aliases": "Someone;S."},
            {"actor_id": "a-codebook", "origin": "codebook", "source_ids": "nato", "name": "Known",
             "type": "person", "role": "", "aliases": ""},
        ]),
        "evidence": pd.DataFrame([
            {"source_id": "nato", "question_id": "q2", "rank": 1, "passage_id": "nato-p3", "score": 2.5,
             "note_ids": "n3"},
            {"source_id": "nato", "question_id": "q1", "rank": 1, "passage_id": "nato-p1", "score": 1.0,
             "note_ids": "n1"},
            {"source_id": "nato", "question_id": "q2", "rank": 2, "passage_id": "nato-p4", "score": 0.5,
             "note_ids": "n2"},
        ]),
    }


def test_each_source_gets_its_own_machine_items_in_the_annotation_format() -> None:
    inputs = SimpleNamespace(sources=[SimpleNamespace(id="nato"), SimpleNamespace(id="nato-review")])
    sheets = worksheets(inputs, _tables())
    assert list(sheets) == ["nato", "nato-review"]
    nato, review = (yaml.safe_load(sheets[s]) for s in ("nato", "nato-review"))

    assert [e["id"] for e in nato["events"]] == ["e-shared", "e-range"]      # analyst rows are not here
    assert nato["events"][1]["date"] == "2025-08-01/2025-08-31"
    assert review["events"] == [{"id": "e-shared", "date": "2025-08-15", "title": "Summit",
                                 "actors": ["trump", "putin"], "quotes": ["second quote"]}]
    assert "&id" not in sheets["nato"] + sheets["nato-review"]               # written out, not YAML aliases

    assert review["plan_terms"] == [{"id": "t1", "plan": "p28", "provision": "army", "position": "capped",
                                     "value": 600000.0, "unit": "troops", "quotes": ["first quote"]}]
    assert nato["plan_terms"] == [{"id": "t2", "plan": "p28", "provision": "nato", "position": "no",
                                   "quotes": []}]

    # "nato" is a prefix of "nato-review": an actor of the other source is not filed under it
    assert nato["actors"] == []
    assert review["actors"] == [{"id": "a-review-only", "name": "Someone", "type": "person", "role": "",
                                 "aliases": ["Someone", "S."]}]

    evidence = sheets["nato"].split("# Candidate support for positions")[1]
    assert evidence.splitlines()[1:] == [
        "#   q2:", "#     1. nato-p3 (score 2.5): evidence quote", "#     2. nato-p4 (score 0.5): second quote",
        "#   q1:", "#     1. nato-p1 (score 1.0): first quote"]
    assert "Candidate support" not in sheets["nato-review"]
