"""What changed: a rebuild after an edit reports it; a rebuild of the same inputs is identical."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from pipeline.build import build


def test_changes_after_editing_an_annotation(project: Path, monkeypatch) -> None:  # noqa: ANN001
    import gc
    import pickle

    from pipeline.build import _side_key
    from pipeline.cache import Store
    from pipeline.pack import changes as changes_module

    thresholds = gc.get_threshold()
    build(project)
    assert gc.get_threshold() == thresholds     # build() puts back the collector's thresholds
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

    def unread(_folder: Path) -> None:
        raise AssertionError("the last briefing's side is in the cache: its tables are not read back")

    with monkeypatch.context() as patched:
        patched.setattr(changes_module, "read_tables", unread)
        build(project)

    changes = json.loads((project / "output/changes.json").read_text())
    tables = {t["name"]: t for t in changes["tables"]}
    assert any(c["id"] == event_id and "title" in c["fields"] for c in tables["events"]["changed"])
    assert any(r["id"] == f"{removed_q}/weekend-update-165" for r in tables["positions"]["removed"])
    html = (project / "output/briefing.html").read_text()
    assert "What changed since the last briefing" in html and "Retitled by the test" in html
    archived = [p for p in (project / "output/archive").iterdir() if (p / "briefing.pdf").exists()]
    assert len(archived) == 1 and (archived[0] / "briefing.pdf").read_bytes() == pdf_before
    # The side kept for each briefing is the one its published tables give when read back, so
    # the comparison is the same with the cache or without it.
    store = Store(project / ".cache")
    for folder in (project / "output", archived[0]):
        pdf_sha = json.loads((folder / "manifest.json").read_text())["pdf_sha256"]
        kept = pickle.loads(store.get("compare-side", _side_key(pdf_sha)))
        assert kept == changes_module.side(changes_module.read_tables(folder))
        assert len(kept.tables["events"].ids) > 10 and kept.tables["plan_terms"].items


# --- which briefing is compared with -------------------------------------------------------

def _recorded(folder: Path, build_id: str, inputs: dict, baseline: str | None, seq: int,
              complete: bool = True) -> None:
    from pipeline.pack.changes import READ

    (folder / "tables").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(
        {"build_id": build_id, "built_at": "2026-01-05T06:00:00Z", "sequence": seq,
         "inputs": inputs, "baseline": baseline}))
    for name in READ if complete else READ[:1]:
        (folder / "tables" / f"{name}.csv").write_text("x\n")


def test_baseline_is_the_last_published_briefing(tmp_path: Path) -> None:
    """O, then P (compared with O), then an experiment E (compared with P) in output/."""
    from pipeline.pack.changes import find_baseline

    out = tmp_path / "output"
    _recorded(out / "archive" / "o", "o", {"a": "0"}, None, 1)
    _recorded(out / "archive" / "p", "p", {"a": "1"}, "o", 2)
    _recorded(out, "e", {"a": "2"}, "p", 3)

    def base(inputs: dict) -> str | None:
        found = find_baseline(out, inputs)
        return found[0]["build_id"] if found else None

    assert base({"a": "3"}) == "e"          # new inputs: the build now in output/
    assert base({"a": "1"}) == "o"          # E reverted: P again, compared with what P was
    assert base({"a": "2"}) == "p"          # E rebuilt (say, new code): as E was
    assert base({"a": "0"}) is None         # back to the first briefing: nothing before it
    # A build that left no tables (an older version's, or a half-copied folder) is never one.
    _recorded(out / "archive" / "z", "z", {"a": "9"}, "e", 4, complete=False)
    assert base({"a": "3"}) == "e"
    # P's baseline gone from the archive: the newest kept build before P with other inputs.
    shutil.rmtree(out / "archive" / "o")
    _recorded(out / "archive" / "n", "n", {"a": "-1"}, None, 1)
    assert base({"a": "1"}) == "n"


def test_rows_match_by_content_not_by_id() -> None:
    """A new id for the same report (same source, same sentence up to case, quotes and spacing)
    is a changed row at most, never removed + new."""
    import pandas as pd

    from pipeline.pack.changes import compare

    def tables(event_id: str, note: str, quote: str, date: str, sources: str = "s1") -> dict:
        empty = pd.DataFrame()      # list cells are lists in memory (read_tables splits a CSV's)
        return {"events": pd.DataFrame([{"event_id": event_id, "date_start": date, "date_end": date,
                                         "precision": "day", "title": "Talks", "actors": ["a", "b"],
                                         "plan_id": "", "source_ids": sources.split(";"),
                                         "status": "unreviewed", "note_ids": [note],
                                         "sources_count": len(sources.split(";"))}]),
                "notes": pd.DataFrame([{"note_id": note, "source_id": "s1", "quote": quote}]),
                "plan_terms": empty, "positions": empty, "actors": empty}

    old = tables("auto-1111", "n1", "Envoys met in “Moscow” on Tuesday.", "2025-12-02")
    same = tables("auto-2222", "n9", 'envoys  met in "Moscow" on Tuesday', "2025-12-02")
    moved = tables("auto-3333", "n9", "Envoys met in Moscow on Tuesday.", "2025-12-09", "s1;s2")
    other = tables("auto-1111", "n1", "A different sentence altogether.", "2025-12-02")

    def ev(a: dict, b: dict) -> dict:
        return next(t for t in compare(a, b)["tables"] if t["name"] == "events")

    assert ev(old, same) == {"name": "events", "added": [], "removed": [], "changed": []}
    changed = ev(old, moved)
    assert not changed["added"] and not changed["removed"]
    assert changed["changed"][0]["fields"] == ["date_start", "date_end", "source_ids"]
    assert changed["changed"][0]["previous_id"] == "auto-1111"
    # same id, other content (an analyst re-quoting an event): the same row, by id
    assert not ev(old, other)["added"] and not ev(old, other)["removed"]
    # other id, other content: removed + new
    assert len(ev(old, tables("auto-9999", "n7", "Nothing alike.", "2025-12-02"))["added"]) == 1


def test_changes_page_lists_the_most_significant_and_counts_the_rest() -> None:
    import pandas as pd

    from pipeline.pack.changes import view

    added = [{"id": f"e{i:02d}", "label": f"Event number {i} " + "with a long title " * 12,
              "sources_count": i % 5 + 1, "status": "unreviewed", "date_start": f"2025-10-{i + 1:02d}"}
             for i in range(30)]
    changes = {"first": False, "baseline": {"build_id": "p", "built_at": "2026-01-04T06:00:00Z"},
               "tables": [{"name": "events", "added": added, "removed": [], "changed": []},
                          {"name": "positions", "added": [], "removed": [{"id": "q/s", "label": "Gone",
                                                                          "sources_count": 1, "status": "reviewed",
                                                                          "date_start": ""}], "changed": []}]}
    events = pd.DataFrame([{"event_id": a["id"], "sources_count": a["sources_count"], "status": "unreviewed",
                            "date_start": a["date_start"]} for a in added])
    empty = pd.DataFrame(columns=["term_id"])
    v = view(changes, {"events": events, "plan_terms": empty, "actors": pd.DataFrame(columns=["actor_id"]),
                       "positions": pd.DataFrame(columns=["question_id", "source_id"])}, limit=12)
    assert [c["added"] for c in v["counts"]] == [30, 0] and v["total"] == 31 and v["more"] == 19
    assert len(v["top"]) == 12
    counts = [x["sources"] for x in v["top"]]
    assert counts == sorted(counts, reverse=True) and counts[0] == 5      # most corroborated first
    for x in v["top"]:
        assert len(x["label"]) <= 110 and x["label"].endswith("…")
        assert x["label"][:-1].split()[-1] in {"with", "a", "long", "title"}  # a whole word


def test_a_reverted_experiment_is_not_the_baseline(project: Path) -> None:
    """O (seed) → P adds a wire story → E moves its sidecar date (an experiment) → F puts the
    date back. F re-issues P, so it is compared with O, as P was: the story's rows are new,
    not "nothing changed". And E, compared with P, matches rows by content: the same sentences
    are changed rows, not removed + new."""
    fixtures = Path(__file__).parent / "fixtures"
    name = "fixture-kremlin-five-hour-meeting"
    build(project)                                                     # O
    o_id = json.loads((project / "output/manifest.json").read_text())["build_id"]
    shutil.copy(fixtures / f"{name}.txt", project / "inputs/sources" / f"{name}.txt")
    sidecar = project / "inputs/sources" / f"{name}.yaml"
    shutil.copy(fixtures / f"{name}.yaml", sidecar)
    build(project)                                                     # P
    p_changes = json.loads((project / "output/changes.json").read_text())
    p_new = {t["name"]: len(t["added"]) for t in p_changes["tables"]}
    assert p_changes["baseline"]["build_id"] == o_id and p_new["events"] > 0

    original = sidecar.read_text()
    doc = yaml.safe_load(original)
    doc["published"] = "2025-06-01"
    sidecar.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    build(project)                                                     # E
    e_changes = json.loads((project / "output/changes.json").read_text())
    events = next(t for t in e_changes["tables"] if t["name"] == "events")
    assert len(events["added"]) + len(events["removed"]) < p_new["events"]

    sidecar.write_text(original)
    build(project)                                                     # F
    f_changes = json.loads((project / "output/changes.json").read_text())
    assert f_changes == p_changes
    html = (project / "output/briefing.html").read_text()
    section = html.split('<section id="changes">')[1].split("</section>")[0]
    assert "nothing to compare with" not in section and 'class="tag add"' in section
    csv = (project / "output/tables/changes.csv").read_text().splitlines()
    assert len(csv) - 1 == sum(len(t[k]) for t in p_changes["tables"] for k in ("added", "removed", "changed"))
    from pypdf import PdfReader

    attached = PdfReader(project / "output/briefing.pdf").attachments
    assert "changes.csv" in attached
