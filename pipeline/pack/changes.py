"""What changed since the last published briefing: new, removed and changed rows per table.

Two questions, answered here:

- **Against which briefing?** The last one that was *published*. Every build that reaches
  `output/` is published (a failed build never does: publishing is atomic), except that a
  build whose inputs equal an earlier recorded build's inputs re-issues that briefing: the builds
  in between were an experiment that has been reverted, so the re-issue is compared with what
  that earlier build was compared with. Each manifest records the build it was compared with
  (`baseline`), and the archive keeps it (`s8_publish`), so the chain can be followed.
  A recorded build that is incomplete (no manifest or no tables) is never a baseline.
- **Which rows are the same?** Rows are matched by content, not by id: an event or a plan term
  by its reports (source and normalised quote), a position by question and source, an actor by
  normalised name. A new machine id, or a sidecar date changed and changed back, is then no
  "removed + new": the row is the same row, changed or not.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pandas as pd

from pipeline.pack.rank import significance
from pipeline.review.quotes import QUOTE_CHARS
from pipeline.tables.schema import TABLES, Tables, as_list

TRACKED = {  # table → (id columns, compared fields, label column)
    "events": (["event_id"], ["date_start", "date_end", "precision", "title", "actors", "plan_id",
                              "source_ids", "status"], "title"),
    "plan_terms": (["term_id"], ["plan_id", "provision_id", "position", "value", "unit", "source_id",
                                 "status"], "position"),
    "positions": (["question_id", "source_id"], ["position", "relation", "stance", "status"], "position"),
    "actors": (["actor_id"], ["name", "type", "affiliation", "role", "source_ids", "status"], "name"),
}
READ = [*TRACKED, "notes"]
RANK_FIELDS = ("sources_count", "reports", "status", "date_start")
KINDS = ("added", "removed", "changed")
CSV_COLUMNS = ["table", "change", "id", "previous_id", "label", "fields", "sources_count", "status",
               "date_start"]
_NON_WORD = re.compile(r"[\W_]+")


def _read_manifest(folder: Path) -> dict:
    try:
        value = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _complete(folder: Path) -> bool:
    return all((folder / "tables" / f"{name}.csv").is_file() for name in READ)


def recorded_builds(out: Path) -> list[tuple[dict, Path]]:
    """Every complete build kept under `out` (the current one and the archive), oldest first."""
    folders = [out, *sorted(p for p in (out / "archive").iterdir() if p.is_dir())] \
        if (out / "archive").is_dir() else [out]
    builds = []
    for folder in folders:
        manifest = _read_manifest(folder)
        if manifest.get("build_id") and isinstance(manifest.get("inputs"), dict) and _complete(folder):
            built_at = manifest.get("built_at") if isinstance(manifest.get("built_at"), str) else ""
            builds.append(((built_at, int(manifest.get("sequence") or 0), folder == out), manifest, folder))
    builds.sort(key=lambda b: b[0])
    return [(m, f) for _, m, f in builds]


def find_baseline(out: Path, inputs: dict[str, str]) -> tuple[dict, Path] | None:
    """The last published briefing to compare a build of `inputs` with (see module docstring)."""
    builds = recorded_builds(out)
    by_id = {m["build_id"]: (m, f) for m, f in builds}
    for i in range(len(builds) - 1, -1, -1):
        manifest, _ = builds[i]
        if manifest["inputs"] != inputs:
            continue
        # A re-issue: compare with what that build was compared with, if it is still kept, else
        # with the newest kept build before it whose inputs differ.
        wanted = manifest.get("baseline")
        if wanted in by_id:
            return by_id[wanted]
        earlier = [b for b in builds[:i] if b[0]["inputs"] != inputs]
        return earlier[-1] if earlier else None
    return builds[-1] if builds else None


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """A published briefing's tables, as text, with their list cells split back into lists (the
    one place a `;`-joined cell is read: the CSVs of an earlier build)."""
    out = {}
    for name in READ:
        df = pd.read_csv(folder / "tables" / f"{name}.csv", dtype=str, keep_default_na=False)
        out[name] = df.assign(**{c: df[c].map(as_list) for c in TABLES[name].list_columns() if c in df.columns})
    return out


def _norm(value: object) -> str:
    """A cell as compared: lists as sorted ;-joined ids, numbers without a trailing .0."""
    if isinstance(value, list | tuple):
        return ";".join(sorted(map(str, value)))
    text = _text(value)
    if text and text[0].isalpha() and text[0] not in "iInN":
        return text      # no number ("inf" and "nan" are): most ids, without float()'s exception
    try:
        f = float(text)
        return str(int(f)) if f.is_integer() else str(f)
    except ValueError:
        return text


def norm_text(text: object) -> str:
    return _NON_WORD.sub(" ", str(text).translate(QUOTE_CHARS).casefold()).strip()


def content_keys(name: str, row: dict, quotes: dict[str, tuple[str, str]]) -> set[tuple]:
    """What makes a row the same row in another build, whatever its id."""
    if name == "events":
        return {quotes[n] for n in row.get("note_ids") or [] if n in quotes}
    if name == "plan_terms":
        return {(row.get("provision_id", ""), *quotes[n]) for n in row.get("note_ids") or []
                if n in quotes}
    if name == "positions":
        return {(row.get("question_id", ""), row.get("source_id", ""))}
    return {norm_text(row.get("name", ""))}


# The columns compare reads of each table (ids, compared fields, label, content keys, ranking).
_READS = {name: [*keys, *fields, label, "note_ids", "provision_id", "question_id", "source_id", "name",
                 *RANK_FIELDS, "source_ids"] for name, (keys, fields, label) in TRACKED.items()}


def _records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    """The rows as dicts of plain values, with only `columns` (those the frame has)."""
    if not len(df):
        return []
    if columns is None:
        return df.to_dict("records")
    names = list(dict.fromkeys(c for c in columns if c in df.columns))
    return [dict(zip(names, values, strict=True)) for values in zip(*(df[c].tolist() for c in names), strict=True)]


def match(old_keys: list[set], new_keys: list[set], old_ids: list[str], new_ids: list[str]
          ) -> list[tuple[int, int]]:
    """Pairs (old index, new index): most shared content first, then equal ids among the rest."""
    holders: dict[tuple, list[int]] = {}
    for j, keys in enumerate(new_keys):
        for k in keys:
            holders.setdefault(k, []).append(j)
    pairs = []
    for i, keys in enumerate(old_keys):
        shared: dict[int, int] = {}
        for k in keys:
            for j in holders.get(k, []):
                shared[j] = shared.get(j, 0) + 1
        pairs += [(-n, old_ids[i] != new_ids[j], i, j) for j, n in shared.items()]
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    out = []
    for _, _, i, j in sorted(pairs):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            out.append((i, j))
    new_by_id = {v: j for j, v in enumerate(new_ids) if j not in taken_new}
    for i, v in enumerate(old_ids):
        j = new_by_id.get(v)
        if i not in taken_old and j is not None and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            out.append((i, j))
    return sorted(out)


def _text(value: object) -> str:
    """A text cell as shown: nothing for a missing value (None or NaN in memory, "" in a CSV)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _rank_fields(row: dict) -> dict:
    """What the chronology's ranking reads, kept for removed rows (gone from the tables)."""
    count = _norm(row.get("sources_count")) or len(row.get("source_ids") or []) or 1
    out = {"sources_count": int(_norm(count) or 1), "status": _text(row.get("status", "")),
           "date_start": _text(row.get("date_start", ""))}
    if _norm(row.get("reports", "")).isdigit():      # independent reports (pipeline/ingest/copies.py)
        out["reports"] = int(_norm(row["reports"]))
    return out


@dataclasses.dataclass
class Rows:
    """What compare reads of one tracked table: each row's id, content keys, compared fields
    (as compared) and what its change item shows."""

    ids: list[str]
    keys: list[set]
    fields: list[dict[str, str]]
    items: list[dict]


@dataclasses.dataclass
class Side:
    """What compare reads of one build's tables, every value as compared or shown. A build's side
    made from its frames equals the one made from its published CSVs (typed cells and their text
    normalise alike; tests/test_changes.py holds it to that), so the side saved with a build
    (build.py) stands in for reading that build's tables back: 4 s of a daily rebuild at 2,000
    sources."""

    tables: dict[str, Rows]


def side(tables: dict[str, pd.DataFrame] | Tables) -> Side:
    """The side of a build's tables (in memory, or read back from its CSVs by read_tables)."""
    records = {name: _records(_table(tables, name), _READS[name]) for name in TRACKED}
    # Only the notes an event or a plan term cites are read, and each quote is normalised once:
    # the notes table has a row per quoted sentence, 140,000 at 2,000 sources.
    cited = {n for name in ("events", "plan_terms") for r in records[name] for n in r.get("note_ids") or []}
    quotes: dict[str, tuple[str, str]] = {}
    notes = _table(tables, "notes")
    if len(notes):
        normed: dict[str, str] = {}
        for n, s, q in zip(notes["note_id"].tolist(), notes["source_id"].tolist(), notes["quote"].tolist(),
                           strict=True):
            if n in cited:
                key = q if isinstance(q, str) else str(q)
                if key not in normed:
                    normed[key] = norm_text(q)
                quotes[n] = (s, normed[key])
    seen: dict[tuple[type, object], str] = {}

    def norm(value: object) -> str:
        """_norm, once per distinct cell value (a million cells are compared at 2,000 sources)."""
        if isinstance(value, list | tuple):
            return _norm(value)
        key = (type(value), value)
        try:
            return seen[key]
        except KeyError:
            seen[key] = _norm(value)
        except TypeError:     # unhashable
            return _norm(value)
        return seen[key]

    out = {}
    for name, (keys, fields, label) in TRACKED.items():
        rows = records[name]
        out[name] = Rows(["/".join(_norm(r.get(k)) for k in keys) for r in rows],
                         [content_keys(name, r, quotes) for r in rows],
                         [{f: norm(r[f]) for f in fields if f in r} for r in rows],
                         [{"label": _text(r.get(label, "")), **_rank_fields(r)} for r in rows])
    return Side(out)


def _table(tables: dict[str, pd.DataFrame] | Tables, name: str) -> pd.DataFrame:
    found = tables.get(name)
    return found if found is not None else pd.DataFrame()


def compare(previous: Side | dict[str, pd.DataFrame] | Tables | None, current: Side | Tables,
            baseline: dict | None = None) -> dict:
    """changes.json: per table the rows added, removed and changed (by content, see above)."""
    if previous is None:
        return {"first": True, "tables": [], "baseline": None}
    olds = previous if isinstance(previous, Side) else side(previous)
    news = current if isinstance(current, Side) else side(current)
    result = []
    for name, (_, fields, _) in TRACKED.items():
        old, new = olds.tables[name], news.tables[name]
        pairs = match(old.keys, new.keys, old.ids, new.ids)

        def item(rows: Rows, at: int, **extra: object) -> dict:
            return {"id": rows.ids[at], **rows.items[at], **extra}

        matched_old = {i for i, _ in pairs}
        matched_new = {j for _, j in pairs}
        added = [item(new, j) for j in range(len(new.ids)) if j not in matched_new]
        removed = [item(old, i) for i in range(len(old.ids)) if i not in matched_old]
        changed = []
        for i, j in pairs:
            was, now = old.fields[i], new.fields[j]
            diff = [f for f in fields if f in was and was[f] != now.get(f, "")]
            if diff:
                changed.append(item(new, j, fields=diff,
                                    **({"previous_id": old.ids[i]} if old.ids[i] != new.ids[j] else {})))
        result.append({"name": name, "added": sorted(added, key=lambda x: x["id"]),
                       "removed": sorted(removed, key=lambda x: x["id"]),
                       "changed": sorted(changed, key=lambda x: x["id"])})
    return {"first": False, "tables": result,
            "baseline": {k: (baseline or {}).get(k) for k in ("build_id", "built_at")} if baseline else None}


def changes_frame(changes: dict) -> pd.DataFrame:
    """The full list, one row per change: changes.csv, attached to the PDF."""
    rows = [{"table": t["name"], "change": kind, "id": x["id"], "previous_id": x.get("previous_id", ""),
             "label": x["label"], "fields": ";".join(x.get("fields", [])),
             "sources_count": x.get("sources_count", 1), "status": x.get("status", ""),
             "date_start": x.get("date_start", "")}
            for t in changes.get("tables", []) for kind in KINDS for x in t[kind]]
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


TABLE_LABEL = {"events": "Events", "plan_terms": "Plan terms", "positions": "Positions", "actors": "Actors"}
# One row of each table, in the reader's words (the changes page names no table).
ITEM_LABEL = {"events": "event", "plan_terms": "plan term", "positions": "position", "actors": "person or body"}
FIELD_LABEL = {"date_start": "its date", "date_end": "its date", "precision": "its date",
               "source_ids": "which sources report it", "source_id": "its source", "plan_id": "its plan version",
               "provision_id": "its provision", "status": "its review", "actors": "who takes part",
               "title": "its wording", "position": "its wording", "value": "its figure", "unit": "its figure",
               "relation": "how the sources relate", "stance": "its stance", "name": "its name",
               "type": "its type", "affiliation": "its affiliation", "role": "its role"}


def view(changes: dict, tables: Tables, limit: int, label_chars: int = 110) -> dict:
    """The changes page: counts per table, then the `limit` most significant changes ranked as
    the chronology ranks its rows (pack/rank.py), then how many more changes.json has."""
    from pipeline.labels import clip

    if changes.get("first"):
        return {"first": True, "baseline": None, "counts": [], "top": [], "more": 0, "total": 0}
    # the rows the changes name, whole (ranked by all their fields); the others by their ids only
    current: dict[tuple[str, str], dict] = {}
    named = {(t["name"], x["id"]) for t in changes["tables"] for kind in ("added", "changed") for x in t[kind]}
    for name, (keys, _, _) in TRACKED.items():
        at = {}
        for i, r in enumerate(_records(tables[name], keys)):
            at[(name, "/".join(_norm(r.get(k)) for k in keys))] = i
        wanted = sorted({i for key, i in at.items() if key in named})
        rows = dict(zip(wanted, tables[name].iloc[wanted].to_dict("records"), strict=True)) if wanted else {}
        current.update({key: rows[i] for key, i in at.items() if i in rows})
    items, counts = [], []
    for t in changes["tables"]:
        counts.append({"name": t["name"], "label": TABLE_LABEL.get(t["name"], t["name"]),
                       **{kind: len(t[kind]) for kind in KINDS}})
        for order, kind in enumerate(("added", "changed", "removed")):
            for x in t[kind]:
                row = current.get((t["name"], x["id"])) if kind != "removed" else None
                # ranked as the chronology ranks its rows; a removed row by what it was
                rank = row if row is not None else {k: x[k] for k in RANK_FIELDS if k in x}
                items.append({"table": t["name"], "kind": kind, "order": order, "item": x, **rank})
    total = len(items)
    if not items:
        return {"first": False, "baseline": changes.get("baseline"), "counts": counts, "top": [],
                "more": 0, "total": 0}
    frame = pd.DataFrame([{k: v for k, v in i.items() if k not in ("item",)} for i in items])
    # a page of position or actor changes only has no sources_count column: each counts once
    counted = frame["sources_count"] if "sources_count" in frame else pd.Series(1, index=frame.index)
    frame["sources_count"] = pd.to_numeric(counted, errors="coerce").fillna(1).astype(int)
    # independent reports where the row has them (pipeline/ingest/copies.py), else its sources
    reports = frame["reports"] if "reports" in frame else pd.Series(float("nan"), index=frame.index)
    frame["reports"] = pd.to_numeric(reports, errors="coerce").fillna(frame["sources_count"]).astype(int)
    frame["status"] = frame.get("status", pd.Series("", index=frame.index)).fillna("")
    frame["date_start"] = frame.get("date_start", pd.Series("", index=frame.index)).fillna("")
    score, recency = significance(frame)
    table_order = {name: i for i, name in enumerate(TRACKED)}
    keys = pd.DataFrame({"s": score.to_numpy(), "r": recency.to_numpy(), "o": [i["order"] for i in items],
                         "t": [table_order[i["table"]] for i in items], "id": [i["item"]["id"] for i in items]})
    ranked = keys.sort_values(["s", "r", "o", "t", "id"], ascending=[False, False, True, True, True],
                              kind="stable").index.tolist()
    top = []
    for i in ranked[:limit]:
        x, kind = items[i]["item"], items[i]["kind"]
        fields = list(dict.fromkeys(FIELD_LABEL.get(f, f) for f in x.get("fields", [])))
        top.append({"table": ITEM_LABEL.get(items[i]["table"], items[i]["table"]), "kind": kind,
                    "label": clip(x["label"], label_chars) or "(untitled)", "fields": fields,
                    "sources": int(frame["reports"].iloc[i]),
                    "status": str(frame["status"].iloc[i])})
    return {"first": False, "baseline": changes.get("baseline"), "counts": counts, "top": top,
            "more": total - len(top), "total": total}

