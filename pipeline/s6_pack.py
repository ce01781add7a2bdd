"""Stage 6, pack: lay the finished tables out as the briefing's sections, in reading order.

This is where source notes get their numbers (order of first use) and where, past the sizes
set in briefing.yaml, the PDF keeps the most significant rows and counts the rest. It reads
tables only; the renderer then turns this view into HTML without computing anything.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pipeline.config import Inputs

MON = [calendar.month_abbr[i] for i in range(13)]
RELATION_LABEL = {"agree": "Agree", "disagree": "Disagree", "partial": "Partly agree",
                  "only-one": "Only one source"}


def _d(value: str) -> date:
    return date.fromisoformat(value)


def date_label(start: str, end: str, precision: str, text: str = "") -> str:
    """Show a date no more precisely than the source gave it."""
    if precision == "undated" or not start:
        return "undated"
    a, b = _d(start), _d(end or start)
    if precision == "day":
        return f"{a.day} {MON[a.month]} {a.year}"
    if precision == "month":
        return f"{MON[a.month]} {a.year}"
    if precision == "year":
        return str(a.year)
    if precision == "quarter":
        return f"Q{(a.month - 1) // 3 + 1} {a.year}"
    if precision == "season":
        season = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}.get(a.month, "season")
        return f"{season} {a.year}"
    if precision == "week":
        return f"week of {a.day} {MON[a.month]} {a.year}"
    if precision == "part":
        if (a.year, a.month) == (b.year, b.month):
            part = "early" if b.day <= 10 else ("mid" if a.day >= 11 and b.day <= 20 else "late")
            return f"{part} {MON[a.month]} {a.year}"
        part = "early" if b.month <= 4 else ("mid" if a.month >= 5 and b.month <= 8 else "late")
        return f"{part} {a.year}"
    # ranges: print each end at the precision it has
    def end_label(d: date, is_start: bool) -> str:
        last = calendar.monthrange(d.year, d.month)[1]
        if (is_start and d.month == 1 and d.day == 1) or (not is_start and d.month == 12 and d.day == 31):
            return str(d.year)
        if (is_start and d.day == 1) or (not is_start and d.day == last):
            return f"{MON[d.month]} {d.year}"
        return f"{d.day} {MON[d.month]} {d.year}"
    left, right = end_label(a, True), end_label(b, False)
    return left if left == right else f"{left} – {right}"


@dataclass
class Citations:
    """Numbers notes by first use and remembers every place that cites them, for back-links."""

    notes: dict[str, dict]
    numbers: dict[str, int] = field(default_factory=dict)
    backrefs: dict[int, list[str]] = field(default_factory=dict)

    def cite(self, note_ids: str | list[str]) -> list[dict]:
        ids = [n for n in (note_ids.split(";") if isinstance(note_ids, str) else note_ids) if n]
        out = []
        for nid in dict.fromkeys(ids):
            if nid not in self.notes:
                continue
            num = self.numbers.setdefault(nid, len(self.numbers) + 1)
            anchor = f"c{num}-{len(self.backrefs.setdefault(num, [])) + 1}"
            self.backrefs[num].append(anchor)
            out.append({"n": num, "anchor": anchor})
        return sorted(out, key=lambda c: c["n"])


def _split(value: object) -> list[str]:
    return [v for v in str(value or "").split(";") if v]


def _fmt_value(value: object, unit: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    v = float(value)  # type: ignore[arg-type]
    text = f"{int(v):,}" if v.is_integer() else f"{v:,.2f}"
    return f"{text} {unit}".strip()


def _significance(df: pd.DataFrame) -> pd.Series:
    """Most corroborated first, then reviewed, then most recent."""
    corroboration = df.get("sources_count", pd.Series(1, index=df.index)).astype(int)
    reviewed = (df["status"] == "reviewed").astype(int)
    recency = df.get("date_start", pd.Series("", index=df.index)).fillna("")
    return corroboration * 10 + reviewed * 5, recency


def _limit(df: pd.DataFrame, limit: int | None) -> tuple[pd.DataFrame, int]:
    if not limit or len(df) <= limit:
        return df, 0
    score, recency = _significance(df)
    keep = (pd.DataFrame({"s": score, "r": recency}).sort_values(["s", "r"], ascending=False)
            .head(limit).index)
    return df.loc[sorted(keep)], len(df) - limit


def pack(inputs: Inputs, tables: dict[str, pd.DataFrame], changes: dict, build_id: str) -> dict:
    b = inputs.briefing.model
    notes = {r["note_id"]: r for r in tables["notes"].to_dict("records")}
    cites = Citations(notes)
    sources = tables["sources"].to_dict("records")
    short = {s["source_id"]: s["short"] for s in sources}
    actor_name = dict(zip(tables["actors"]["actor_id"], tables["actors"]["name"], strict=True))
    plan_name = dict(zip(tables["plans"]["plan_id"], tables["plans"]["name"], strict=True))
    limits = b.max_rows

    key_points = [{"text": r["text"], "cites": cites.cite(r["note_ids"])}
                  for r in tables["key_points"].to_dict("records")]

    events, events_cut = _limit(tables["events"], limits.get("events"))
    chron, undated = [], []
    for r in events.to_dict("records"):
        row = {"date": date_label(r["date_start"], r["date_end"], r["precision"], r["date_text"]),
               "precision": r["precision"], "date_text": r["date_text"], "title": r["title"],
               "sources": [short[s] for s in _split(r["source_ids"])],
               "actors": [actor_name.get(a, a) for a in _split(r["actors"])],
               "plan": plan_name.get(r["plan_id"], ""), "status": r["status"],
               "basis": r.get("date_basis", ""), "corroborated": int(r["sources_count"] or 1) > 1,
               "cites": cites.cite(r["note_ids"]), "id": r["event_id"]}
        (undated if r["precision"] == "undated" else chron).append(row)

    plans = tables["plans"].to_dict("records")
    for p in plans:
        p["date"] = date_label(p["date_start"], p["date_end"], p["precision"])
    terms, terms_cut = _limit(tables["plan_terms"], limits.get("plan_terms"))
    matrix = []
    provision_names = {p.id: p.name for p in inputs.codebook.provisions.model}
    for prov_id, prov in provision_names.items():
        sub = terms[terms["provision_id"] == prov_id]
        if sub.empty:
            continue
        cells = []
        prev_sig = None
        for p in plans:
            items = [{"source": short[t["source_id"]], "position": t["position"],
                      "value": _fmt_value(t["value"], t["unit"]), "status": t["status"],
                      "cites": cites.cite(t["note_ids"])}
                     for t in sub[sub["plan_id"] == p["plan_id"]].to_dict("records")]
            sig = tuple(sorted((i["value"] or i["position"]) for i in items))
            if not items:
                change = "none" if prev_sig is None else "dropped"
            elif prev_sig is None or prev_sig == ():
                change = "new"
            else:
                change = "same" if sig == prev_sig else "changed"
            if items:
                prev_sig = sig
            elif prev_sig is not None:
                prev_sig = ()
            cells.append({"items": items, "change": change if items or prev_sig is not None else "none"})
        matrix.append({"id": prov_id, "name": prov, "cells": cells})

    questions = inputs.codebook.questions.model
    positions = tables["positions"]
    evidence = tables["evidence"]
    contrast = []
    for q in questions:
        sub = positions[positions["question_id"] == q.id]
        per_source = []
        for s in sources:
            mine = sub[sub["source_id"] == s["source_id"]]
            if len(mine):
                m = mine.iloc[0]
                stances = [q.stances.get(x, x) for x in _split(m["stance"])]
                per_source.append({"source": s["short"], "position": m["position"],
                                   "stance": "; ".join(stances), "status": m["status"],
                                   "cites": cites.cite(m["note_ids"])})
            else:
                cand = evidence[(evidence["question_id"] == q.id) & (evidence["source_id"] == s["source_id"])]
                per_source.append({"source": s["short"], "position": "", "stance": "",
                                   "status": "unreviewed",
                                   "candidates": [{"cites": cites.cite(c["note_ids"]),
                                                   "text": notes[c["note_ids"]]["quote"]}
                                                  for c in cand.head(1).to_dict("records")]})
        rel = sub["relation"].iloc[0] if len(sub) else "only-one"
        contrast.append({"id": q.id, "question": q.question, "relation": rel,
                         "relation_label": RELATION_LABEL[rel] if len(sub) else "Not yet reviewed",
                         "sources": per_source})

    actors = tables["actors"]
    shown = actors[actors["mentions"] > 0]
    shown, actors_cut = _limit(shown.assign(status=shown["status"]), limits.get("actors"))
    whos = []
    for r in shown.sort_values(["type", "name"], kind="stable").to_dict("records"):
        whos.append({"name": r["name"], "type": r["type"], "affiliation": r["affiliation"],
                     "role": r["role"], "origin": r["origin"], "status": r["status"],
                     "sources": [short[s] for s in _split(r["source_ids"])],
                     "mentions": int(r["mentions"]), "cites": cites.cite(r["note_ids"])})

    coverage = tables["coverage"]
    framing = tables["framing"]
    frames = []
    for subject, group in framing.groupby("subject", sort=False):
        frames.append({"subject": subject,
                       "by_source": {short[s]: t for s, t in zip(group["source_id"], group["terms"], strict=True)}})

    passages = tables["passages"]
    appendix = []
    for s in sources:
        kinds = passages[passages["source_id"] == s["source_id"]]["kind"].value_counts().to_dict()
        appendix.append({**s, "kinds": kinds})

    note_list = []
    for nid, num in sorted(cites.numbers.items(), key=lambda x: x[1]):
        n = notes[nid]
        note_list.append({"n": num, "quote": n["display"] or n["quote"], "source": short[n["source_id"]],
                          "section": n["section"], "paragraph": int(n["paragraph"]),
                          "backrefs": cites.backrefs[num], "id": nid})

    unreviewed = sum(int((tables[t]["status"] == "unreviewed").sum())
                     for t in ("events", "plan_terms") if len(tables[t]))
    unreviewed += len(whos and [w for w in whos if w["status"] == "unreviewed"])
    return {
        "title": b.title, "subtitle": b.subtitle, "date": f"{b.date.day} {calendar.month_name[b.date.month]} {b.date.year}",
        "iso_date": b.date.isoformat(), "author": b.author, "marking": b.marking,
        "build_id": build_id, "sources": sources, "key_points": key_points,
        "chronology": chron, "undated": undated, "events_cut": events_cut,
        "plans": plans, "matrix": matrix, "terms_cut": terms_cut,
        "contrast": contrast, "who": whos, "actors_cut": actors_cut,
        "coverage": coverage.to_dict("records"), "framing": frames,
        "source_shorts": [s["short"] for s in sources], "appendix": appendix,
        "notes": note_list, "unreviewed": unreviewed, "changes": changes,
        "counts": {k: len(v) for k, v in tables.items()},
        "keywords": ", ".join(p["name"] for p in plans),
        "timeline_svg": "",
    }, cites.numbers
