"""Stage 5, contrast: where the analyses agree and disagree, computed from the tables.

Relations are derived from stance sets (same set: agree; overlapping: partial; disjoint:
disagree; one source: only-one), so no one types a verdict. Coverage, framing and evidence are
computed for every source, annotated or not.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from pipeline.inputs import Inputs, Lexicon
from pipeline.review.quotes import note_id
from pipeline.tables import with_passage_place

TOKEN = re.compile(r"[a-z][a-z'’-]+")
# Stop words, framing heads and the framing row's label are language and topic resources:
# they come from the lexicon (inputs/codebook/lexicon.yaml), so another topic needs no code.


def relation(stance_sets: list[frozenset[str]]) -> str:
    if len(stance_sets) <= 1:
        return "only-one"
    first = stance_sets[0]
    if all(s == first for s in stance_sets):
        return "agree"
    common = frozenset.intersection(*stance_sets)
    return "partial" if common else "disagree"


def positions_table(inputs: Inputs, positions: pd.DataFrame) -> pd.DataFrame:
    questions = {q.id: q for q in inputs.codebook.questions.model}
    rows = []
    if len(positions):
        for qid, group in positions.groupby("question_id", sort=False):
            rel = relation([frozenset(s) for s in group["stance"]])
            for rec in group.to_dict("records"):
                rows.append({**rec, "question": questions[qid].question, "relation": rel})
    out = pd.DataFrame(rows, columns=["question_id", "question", "source_id", "position", "relation",
                                      "note_ids", "stance", "origin", "status"])
    qorder = {q: i for i, q in enumerate(questions)}
    out["_q"] = out["question_id"].map(qorder)
    out = out.sort_values(["_q", "source_id"], kind="stable").drop(columns="_q")
    out["note_ids"] = out["note_ids"].map(lambda v: ";".join(v) if isinstance(v, list) else v)
    out["stance"] = out["stance"].map(lambda v: ";".join(v) if isinstance(v, list) else v)
    return out.reset_index(drop=True)


def coverage(tables: dict[str, pd.DataFrame], source_ids: list[str]) -> pd.DataFrame:
    """Which events, actors and plan versions each source speaks of."""
    rows = []
    for kind, df, id_col, label_col, src_col in (
        ("event", tables["events"], "event_id", "title", "source_ids"),
        ("actor", tables["actors"], "actor_id", "name", "source_ids"),
        ("plan", tables["plans"], "plan_id", "name", "source_ids"),
    ):
        for rec in df.to_dict("records"):
            srcs = [s for s in str(rec[src_col]).split(";") if s]
            if not srcs:
                continue
            rows.append({"item_type": kind, "item_id": rec[id_col], "label": rec[label_col],
                         "source_ids": ";".join(srcs),
                         "shared": "all" if len(srcs) == len(source_ids) else
                         ("some" if len(srcs) > 1 else "only-one"),
                         "note_ids": rec.get("note_ids", "")})
    return pd.DataFrame(rows, columns=["item_type", "item_id", "label", "source_ids", "shared", "note_ids"])


def framing(tables: dict[str, pd.DataFrame], body_passages: pd.DataFrame, lexicon: Lexicon,
            min_sources: int = 2) -> pd.DataFrame:
    """Titles and epithets each source attaches to the same people, and its words for the war."""
    mentions = tables["mentions"]
    mentions = mentions[mentions["kind"].isin(["body", "sidebar"]) & (mentions["epithet"] != "")]
    names = dict(zip(tables["actors"]["actor_id"], tables["actors"]["name"], strict=True))
    multi = tables["actors"][tables["actors"]["source_ids"].str.count(";") >= min_sources - 1]
    rows = []
    for actor_id in multi["actor_id"]:
        sub = mentions[mentions["actor_id"] == actor_id]
        for sid, group in sub.groupby("source_id"):
            counts = Counter(e.split(" | ")[0] or e for e in group["epithet"])
            ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
            terms = "; ".join(f"{t} ({n})" if n > 1 else t for t, n in ranked)
            rows.append({"subject": names.get(actor_id, actor_id), "subject_id": actor_id,
                         "source_id": sid, "terms": terms})
    stop = frozenset(w.lower() for w in lexicon.stop_words)
    heads = "|".join(re.escape(h) for h in sorted(lexicon.framing_heads, key=len, reverse=True))
    head = re.compile(r"\b((?:[\w’'-]+\s+){0,2}(?:" + (heads or r"(?!x)x") + r"))\b", re.IGNORECASE)
    for sid, group in body_passages.groupby("source_id"):
        counts = Counter()
        for text in group["text"]:
            for m in head.finditer(text):
                phrase = m.group(1)
                words = phrase.split()
                while words and words[0].lower() in stop:
                    words = words[1:]
                if len(words) >= 2:
                    counts[" ".join(words).lower()] += 1
        top = [f"{t} ({n})" for t, n in counts.most_common(12) if n >= 1]
        rows.append({"subject": lexicon.framing_label, "subject_id": "_war",
                     "source_id": sid, "terms": "; ".join(top)})
    return pd.DataFrame(rows, columns=["subject", "subject_id", "source_id", "terms"])


# A candidate passage is shown for a source without a position only when BM25 scores it at
# least this high and it is at least this long (shorter ones are list items, captions and
# one-line asides). Measured on the seeds and tests/relevance/: bench/candidate_threshold.py.
# Measured on 55 first-ranked candidates (22 seed, 33 fixture; 22 relevant): at 7.0 and 20
# words, 14 are shown and 13 of them are relevant (precision 0.93, recall 0.59); showing every
# first candidate, as before, gave 22 relevant in 55 (0.40).
CANDIDATE_MIN_SCORE = 7.0
CANDIDATE_MIN_WORDS = 20


def evidence(inputs: Inputs, passages: pd.DataFrame, top: int = 3) -> tuple[pd.DataFrame, list[dict]]:
    """Rank each source's body passages for each question (BM25) as candidate support."""
    from rank_bm25 import BM25Okapi

    body = passages[passages["kind"].isin(["body", "sidebar"])]
    stop = frozenset(w.lower() for w in inputs.codebook.lexicon.model.stop_words)
    rows, notes = [], []
    for sid, group in body.groupby("source_id", sort=True):
        docs = [[t for t in TOKEN.findall(x.lower()) if t not in stop] for x in group["text"]]
        if not any(docs):
            continue
        bm25 = BM25Okapi(docs)
        recs = group.to_dict("records")
        for q in inputs.codebook.questions.model:
            query = [t for t in TOKEN.findall(" ".join([q.question, *q.keywords]).lower())
                     if t not in stop]
            scores = bm25.get_scores(query)
            ranked = sorted(range(len(recs)), key=lambda i: (-scores[i], i))[:top]
            for rank, i in enumerate(ranked, start=1):
                if scores[i] <= 0:
                    continue
                p = recs[i]
                nid = note_id(sid, p["char_start"], p["char_end"])
                notes.append({"note_id": nid, "source_id": sid, "passage_id": p["passage_id"],
                              "char_start": p["char_start"], "char_end": p["char_end"],
                              "quote": p["text"], "display": p["text"]})
                rows.append({"question_id": q.id, "source_id": sid, "rank": rank,
                             "passage_id": p["passage_id"], "score": round(float(scores[i]), 3),
                             "note_ids": nid})
    return (pd.DataFrame(rows, columns=["question_id", "source_id", "rank", "passage_id", "score",
                                        "note_ids"]), notes)


def contrast(inputs: Inputs, tables: dict[str, pd.DataFrame], positions: pd.DataFrame,
             passages: pd.DataFrame) -> dict[str, pd.DataFrame]:
    srcs = tables["sources"]
    source_ids = sorted(srcs.loc[srcs["copy_of"] == "", "source_id"])   # a copy is no new voice
    passages = passages[passages["source_id"].isin(source_ids)]
    ev, ev_notes = evidence(inputs, passages)
    notes = tables["notes"]
    known = set(notes["note_id"])
    new = [n for n in ev_notes if n["note_id"] not in known]
    if new:
        extra = with_passage_place(pd.DataFrame(new).drop_duplicates("note_id"), passages)
        notes = pd.concat([notes, extra[notes.columns]], ignore_index=True)
        notes = notes.sort_values(["source_id", "char_start", "char_end"], kind="stable").reset_index(drop=True)
    body = passages[passages["kind"].isin(["body", "sidebar"])]
    return {**tables, "notes": notes, "positions": positions_table(inputs, positions),
            "coverage": coverage(tables, source_ids),
            "framing": framing(tables, body, inputs.codebook.lexicon.model), "evidence": ev}
