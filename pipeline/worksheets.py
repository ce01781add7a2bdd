"""Review worksheets: every machine-found item of a source, written in the annotation format,
so an analyst accepts an item by moving it into `inputs/annotations/<source_id>.yaml` and
drops one by listing its id under `reject:`.
"""

from __future__ import annotations

import pandas as pd
import yaml

from pipeline.config import Inputs
from pipeline.labels import clip
from pipeline.s4_tables import split_ids

HEADER = """\
# Machine-found items for {sid} (unreviewed). Generated at every build; do not edit here.
# To accept an item: move it into inputs/annotations/{sid}.yaml under the same key
#   (events keep their id; you may edit title, date and actors; the quote must stay verbatim).
# To drop an item from the briefing: add its id under `reject:` in that file.
# To fix an item: add `corrections: [{{id: <id>, date: ..., title: ...}}]` in that file.
"""


def _iso(start: str, end: str) -> str | None:
    if not start:
        return None
    return start if start == end else f"{start}/{end}"


# libyaml's emitter when PyYAML has it (200 sources' worksheets: 0.24 s instead of 1.73 s); no anchors,
# so an item shared by two sources is written out in full in each worksheet.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: object) -> bool:
        return True


def worksheets(inputs: Inputs, tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """One pass over each table, filing every machine-found row under each of its sources:
    filtering the tables once per source made this quadratic (3.5 s of a 200-source build)."""
    notes = dict(zip(tables["notes"]["note_id"], tables["notes"]["quote"], strict=True))
    docs: dict[str, dict[str, list]] = {s.id: {"events": [], "plan_terms": [], "actors": []}
                                        for s in inputs.sources}

    def first_quote(note_ids: str) -> list[str]:
        return [notes[n] for n in split_ids(note_ids) if n in notes][:1]

    def file_under(source_ids: str, key: str, item: dict) -> None:
        for sid in dict.fromkeys(split_ids(source_ids)):
            if sid in docs:
                docs[sid][key].append(item)

    for r in tables["events"].to_dict("records"):
        if r["origin"] != "auto":
            continue
        item = {"id": r["event_id"], "date": _iso(r["date_start"], r["date_end"]), "title": r["title"],
                "actors": split_ids(r["actors"]), "quotes": first_quote(r["note_ids"])}
        file_under(r["source_ids"], "events", item)
    for r in tables["plan_terms"].to_dict("records"):
        if r["origin"] != "auto":
            continue
        item = {"id": r["term_id"], "plan": r["plan_id"], "provision": r["provision_id"], "position": r["position"]}
        if not pd.isna(r["value"]):
            item["value"] = float(r["value"])
            item["unit"] = r["unit"]
        item["quotes"] = first_quote(r["note_ids"])
        file_under(r["source_id"], "plan_terms", item)
    for r in tables["actors"].to_dict("records"):
        if r["origin"] != "auto":
            continue
        item = {"id": r["actor_id"], "name": r["name"], "type": r["type"], "role": r["role"],
                "aliases": split_ids(r["aliases"])}
        file_under(r["source_ids"], "actors", item)
    evidence: dict[str, dict[str, list[str]]] = {sid: {} for sid in docs}
    for r in tables["evidence"].to_dict("records"):
        if r["source_id"] in evidence:
            quote = clip(notes.get(r["note_ids"], ""), 160)
            evidence[r["source_id"]].setdefault(r["question_id"], []).append(
                f"#     {r['rank']}. {r['passage_id']} (score {r['score']}): {quote}\n")
    out = {}
    for sid, doc in docs.items():
        text = HEADER.format(sid=sid) + yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                                  width=100)
        if evidence[sid]:
            text += "\n# Candidate support for positions (BM25 ranking of this source's paragraphs):\n"
            for qid, lines in evidence[sid].items():
                text += f"#   {qid}:\n" + "".join(lines)
        out[sid] = text
    return out
