"""Review worksheets: every machine-found item of a source, written in the annotation format,
so an analyst accepts an item by moving it into `inputs/annotations/<source_id>.yaml` and
drops one by listing its id under `reject:`.
"""

from __future__ import annotations

import pandas as pd
import yaml

from pipeline.config import Inputs

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


def worksheets(inputs: Inputs, tables: dict[str, pd.DataFrame], machine: dict[str, pd.DataFrame]) -> dict[str, str]:
    notes = dict(zip(tables["notes"]["note_id"], tables["notes"]["quote"], strict=True))
    out = {}
    for source in inputs.sources:
        sid = source.id
        ev = tables["events"]
        ev = ev[(ev["origin"] == "auto") & ev["source_ids"].str.split(";").map(lambda s, sid=sid: sid in s)]
        events = []
        for r in ev.to_dict("records"):
            quotes = [notes[n] for n in r["note_ids"].split(";") if n in notes]
            events.append({"id": r["event_id"], "date": _iso(r["date_start"], r["date_end"]),
                           "title": r["title"], "actors": [a for a in r["actors"].split(";") if a],
                           "quotes": quotes[:1]})
        terms = []
        pt = tables["plan_terms"]
        for r in pt[(pt["origin"] == "auto") & (pt["source_id"] == sid)].to_dict("records"):
            item = {"id": r["term_id"], "plan": r["plan_id"], "provision": r["provision_id"],
                    "position": r["position"]}
            if not pd.isna(r["value"]):
                item["value"] = float(r["value"])
                item["unit"] = r["unit"]
            item["quotes"] = [notes[n] for n in r["note_ids"].split(";") if n in notes][:1]
            terms.append(item)
        actors = [{"id": r["actor_id"], "name": r["name"], "type": r["type"], "role": r["role"],
                   "aliases": [a for a in r["aliases"].split(";") if a]}
                  for r in tables["actors"][(tables["actors"]["origin"] == "auto")
                                             & tables["actors"]["source_ids"].str.contains(sid, regex=False)]
                  .to_dict("records")]
        doc = {"events": events, "plan_terms": terms, "actors": actors}
        text = HEADER.format(sid=sid) + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        evidence = tables["evidence"]
        evidence = evidence[evidence["source_id"] == sid]
        if len(evidence):
            text += "\n# Candidate support for positions (BM25 ranking of this source's paragraphs):\n"
            for qid, group in evidence.groupby("question_id", sort=False):
                text += f"#   {qid}:\n"
                for r in group.to_dict("records"):
                    quote = notes.get(r["note_ids"], "")[:160].replace("\n", " ")
                    text += f"#     {r['rank']}. {r['passage_id']} (score {r['score']}): {quote}\n"
        out[sid] = text
    return out
