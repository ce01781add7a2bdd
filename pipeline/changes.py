"""What changed since the previous briefing: new, removed and changed rows per table.

Compared by id against the previous build's CSVs, so a reviewer sees at once which events,
plan terms, positions and actors moved between two scheduled runs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.labels import clip

TRACKED = {
    "events": (["event_id"], ["date_start", "date_end", "precision", "title", "actors", "source_ids",
                              "status"], "title"),
    "plan_terms": (["term_id"], ["plan_id", "provision_id", "position", "value", "unit", "status"],
                   "position"),
    "positions": (["question_id", "source_id"], ["position", "relation", "stance"], "position"),
    "actors": (["actor_id"], ["name", "type", "affiliation", "role", "mentions"], "name"),
}


def read_previous(folder: Path) -> dict[str, pd.DataFrame] | None:
    if not (folder / "manifest.json").exists():
        return None
    out = {}
    for name in TRACKED:
        path = folder / "tables" / f"{name}.csv"
        out[name] = (pd.read_csv(path, dtype=str, keep_default_na=False)
                     if path.exists() else pd.DataFrame())
    return out


def _norm(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    try:
        f = float(text)
        return str(int(f)) if f.is_integer() else str(f)
    except ValueError:
        return text


def compare(previous: dict[str, pd.DataFrame] | None, current: dict[str, pd.DataFrame]) -> dict:
    if previous is None:
        return {"first": True, "tables": []}
    result = []
    for name, (keys, fields, label) in TRACKED.items():
        old, new = previous.get(name, pd.DataFrame()), current[name]

        def index(df: pd.DataFrame, keys: list[str] = keys) -> dict:
            if df.empty or not set(keys) <= set(df.columns):
                return {}
            return {tuple(_norm(r[k]) for k in keys): r for r in df.to_dict("records")}

        a, b = index(old), index(new)

        def lab(r: dict, key: tuple, label: str = label) -> str:
            text = str(r.get(label, ""))
            return f"{' / '.join(key)}: {clip(text, 120)}"

        added = [{"id": "/".join(k), "label": lab(b[k], k)} for k in sorted(set(b) - set(a))]
        removed = [{"id": "/".join(k), "label": lab(a[k], k)} for k in sorted(set(a) - set(b))]
        changed = []
        for k in sorted(set(a) & set(b)):
            diff = [f for f in fields if f in a[k] and _norm(a[k][f]) != _norm(b[k].get(f))]
            if diff:
                changed.append({"id": "/".join(k), "label": lab(b[k], k), "fields": diff})
        result.append({"name": name, "added": added, "removed": removed, "changed": changed})
    return {"first": False, "tables": result}
