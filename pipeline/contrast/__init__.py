"""Stage 5, contrast: where the analyses agree and disagree, computed from the tables.

Relations are derived from stance sets (same set: agree; overlapping: partial; disjoint:
disagree; one source: only-one), so no one types a verdict. Coverage, framing and evidence are
computed for every source, annotated or not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from pipeline.cache import digest
from pipeline.frames import table_rows
from pipeline.ingest.copies import carried_by, copies_index
from pipeline.inputs import Codebook, Inputs
from pipeline.language import language_of
from pipeline.once import per_object
from pipeline.review.quotes import note_id
from pipeline.tables import with_passage_place
from pipeline.tables.schema import CommonGround, Corroboration, Coverage, Evidence, Framing, Positions, Tables
from pipeline.vocab import AUTHORS_TEXT

TOKEN = re.compile(r"[a-z][a-z'’-]+")
MODIFIER_TOKEN = re.compile(r"\S+")
MODIFIER = re.compile(r"[^\W_][\w'’-]*")   # a word or a figure ("28-point"), no punctuation
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
    if not rows:
        return Positions.empty()
    out = Positions.frame(rows)
    qorder = {q: i for i, q in enumerate(questions)}
    out["_q"] = out["question_id"].map(qorder)
    out = out.sort_values(["_q", "source_id"], kind="stable").drop(columns="_q")
    return out.reset_index(drop=True)


def common_ground(positions: pd.DataFrame) -> pd.DataFrame:
    """Per question that two or more positions answer: the stances every source holding one
    shares (`shared`, sorted), the sources that hold one (`holders`, in table order) and whether
    any of them goes beyond the shared stances (`diverge`). Pack words it; it decides nothing."""
    rows = []
    for qid, group in positions.groupby("question_id", sort=False):
        if len(group) < 2:
            continue
        sets = {r["source_id"]: set(r["stance"]) for r in group.to_dict("records")}
        shared = set.intersection(*sets.values())
        rows.append({"question_id": qid, "shared": sorted(shared), "holders": list(sets),
                     "diverge": any(st - shared for st in sets.values())})
    return CommonGround.frame(rows)


def corroboration(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Who carried each event's story: every source that ran it (copies after the report they
    copy, `carriers`), the independent reports (`reports`, as events.csv counts them) and the
    distinct outlets among the carriers (`outlets`). A copy that names no outlet of its own (a
    page and the PDF printed from it) is the outlet of the report it copies, not a second one:
    the label must never claim more outlets than the sources show."""
    ids, outlets = sources["source_id"].tolist(), sources["outlet"].tolist()
    copy_of = {s: c for s, c in zip(ids, sources["copy_of"].tolist(), strict=True) if c}
    outlet = {s: o or short for s, o, short in zip(ids, outlets, sources["short"].tolist(), strict=True)}
    named = dict(zip(ids, outlets, strict=True))
    for s, c in copy_of.items():
        if not named[s]:
            outlet[s] = outlet[c]
    copies = copies_index(copy_of)
    rows = []
    for event_id, source_ids, reports in zip(events["event_id"].tolist(), events["source_ids"].tolist(),
                                             events["reports"].tolist(), strict=True):
        carriers = carried_by(source_ids, copy_of, copies)
        rows.append({"event_id": event_id, "carriers": carriers, "reports": int(reports),
                     "outlets": len({outlet[s] for s in carriers})})
    return Corroboration.frame(rows)


def coverage(tables: Tables, source_ids: list[str]) -> pd.DataFrame:
    """Which events, actors and plan versions each source speaks of."""
    rows = []
    for kind, df, id_col, label_col, src_col in (
        ("event", tables["events"], "event_id", "title", "source_ids"),
        ("actor", tables["actors"], "actor_id", "name", "source_ids"),
        ("plan", tables["plans"], "plan_id", "name", "source_ids"),
    ):
        for rec in table_rows(df):
            srcs = rec[src_col]
            if not srcs:
                continue
            rows.append({"item_type": kind, "item_id": rec[id_col], "label": rec[label_col],
                         "source_ids": srcs,
                         "shared": "all" if len(srcs) == len(source_ids) else
                         ("some" if len(srcs) > 1 else "only-one"),
                         "note_ids": rec.get("note_ids", [])})
    return Coverage.frame(rows)


def framing(tables: Tables, war_rows: list[dict], min_sources: int = 2) -> pd.DataFrame:
    """Titles and epithets each source attaches to the same people, then each source's words for
    the war (`war_rows`, one per source, made by source_parts)."""
    mentions = tables["mentions"]
    mentions = mentions[mentions["kind"].isin(AUTHORS_TEXT) & (mentions["epithet"] != "")]
    names = dict(zip(tables["actors"]["actor_id"], tables["actors"]["name"], strict=True))
    multi = tables["actors"][tables["actors"]["source_ids"].map(len) >= min_sources]
    rows = []
    # one pass over the mentions, not a filter per actor (actors x mentions)
    by_actor = dict(iter(mentions[mentions["actor_id"].isin(set(multi["actor_id"]))].groupby("actor_id", sort=False)))
    for actor_id in multi["actor_id"]:
        sub = by_actor.get(actor_id)
        if sub is None:
            continue
        for sid, group in sub.groupby("source_id"):
            counts = Counter(e.split(" | ")[0] or e for e in group["epithet"].tolist())
            ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
            terms = "; ".join(f"{t} ({n})" if n > 1 else t for t, n in ranked)
            rows.append({"subject": names.get(actor_id, actor_id), "subject_id": actor_id,
                         "source_id": sid, "terms": terms})
    return Framing.frame(rows + war_rows)


@dataclass(frozen=True)
class Reading:
    """What a source's parts read of the codebook (the questions, the lexicon's word lists),
    compiled once per codebook in each process that computes them."""

    queries: list[tuple[str, list[str]]]    # each question's words, stop words removed
    query_stop: frozenset[str]
    stop: frozenset[str]                    # what ends a phrase's modifiers
    numbers: frozenset[str]
    head: re.Pattern
    follow: re.Pattern | None
    label: str
    adjectives: frozenset[str]              # the -ing words that qualify a noun (english.yaml)

    @classmethod
    @per_object
    def of(cls, codebook: Codebook) -> Reading:
        lexicon = codebook.lexicon.model
        query_stop = frozenset(w.lower() for w in lexicon.stop_words)
        queries = [(q.id, [t for t in TOKEN.findall(" ".join([q.question, *q.keywords]).lower())
                           if t not in query_stop]) for q in codebook.questions.model]
        language = language_of(lexicon)
        heads = "|".join(re.escape(h) for h in sorted(lexicon.framing_heads, key=len, reverse=True))
        # a head followed by another head or a title ("peace envoy") is a modifier, not the noun
        # (longest first, then by text: a set's order changes with every process, and so did the
        # memo key, so each source's words were computed again on every build)
        nouns = sorted({*lexicon.framing_heads, *(t for t in [*lexicon.titles, *lexicon.epithets] if " " not in t)},
                       key=lambda t: (-len(t), t))
        return cls(queries, query_stop, frozenset(w.lower() for w in [*lexicon.stop_words, *lexicon.determiners]),
                   frozenset(w.lower() for w in [*language.number_words, *language.tens_words]),
                   re.compile(r"\b(?:" + (heads or r"(?!x)x") + r")\b", re.IGNORECASE),
                   re.compile(r"(?:" + "|".join(map(re.escape, nouns)) + r")\b", re.IGNORECASE) if nouns else None,
                   lexicon.framing_label, frozenset(language.ing_adjectives))

    def key(self) -> str:
        """What a remembered part was computed with (the memo's key covers it)."""
        return digest(self.queries, sorted(self.query_stop), sorted(self.stop), sorted(self.numbers),
                      self.head.pattern, self.follow.pattern if self.follow else "", self.label, TOP,
                      sorted(self.adjectives))


PART_COLUMNS = ["passage_id", "char_start", "char_end", "text", "section"]


def source_parts(job: dict[str, Any], codebook: Codebook) -> tuple[list[dict], list[dict], dict]:
    """One source's evidence rows and their notes, and its words for the war: each reads that
    source's passages alone (`job`: its id and its authors' passages as PART_COLUMNS lists), so
    a cold build computes them on the build's workers and a rebuild remembers them by the
    source's passages (contrast's `memo`)."""
    reading = Reading.of(codebook)
    sid, group = job["source_id"], job["passages"]
    rows, notes = _evidence_of(sid, group, reading.queries, reading.query_stop, TOP)
    return rows, notes, _war_words(sid, group["text"], reading.head, reading.stop, reading.numbers,
                                   reading.follow, reading.label, reading.adjectives)


def _war_words(sid: str, texts: list[str], head: re.Pattern, stop: frozenset[str], numbers: frozenset[str],
               follow: re.Pattern | None, label: str, adjectives: frozenset[str]) -> dict:
    """One source's framing row for the war: its phrases headed by a framing head, most used first."""
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    # words this source writes in lower case: "Full-scale invasion" opening a sentence
    # is shown as "full-scale invasion", "Russia's invasion" stays as it is
    lower_words = {w for text in texts for w in TOKEN.findall(text)}
    for text in texts:
        for found, initial in noun_phrases(text, head, stop, numbers, follow, adjectives):
            key = found.lower()
            counts[key] += 1
            first, _, rest = found.partition(" ")
            shown = f"{first.lower()} {rest}" if initial and first.lower() in lower_words else found
            surfaces.setdefault(key, Counter())[shown] += 1 if initial else 2
    top = [(surfaces[k].most_common(1)[0][0], n) for k, n in counts.most_common(12)]
    return {"subject": label, "subject_id": "_war", "source_id": sid,
            "terms": "; ".join(f"{t} ({n})" for t, n in top)}


def noun_phrases(text: str, head: re.Pattern, stop: frozenset[str], numbers: frozenset[str],
                 follow: re.Pattern | None, adjectives: frozenset[str]) -> list[tuple[str, bool]]:
    """The phrases with a framing head as their noun, as written, and whether each opens a
    sentence: "full-scale invasion", "Russia's invasion", "twenty eight point plan". The head
    takes up to two modifiers (a number in words counts as one) right before it; a function
    word or punctuation ends them, so "capped the war", "where the plan" and "slogan with
    settlement" are verb or prepositional phrases, not names for the war, and give nothing."""
    out = []
    for m in head.finditer(text):
        gap = len(text[m.end():m.end() + 3]) - len(text[m.end():m.end() + 3].lstrip(" "))
        if gap and (follow or head).match(text, m.end() + gap):
            continue    # "peace" of "new peace plan", "peace envoy": the head is the last noun
        offset = max(0, m.start() - 160)
        tokens = list(MODIFIER_TOKEN.finditer(text, offset, m.start()))
        taken: list[re.Match] = []
        modifiers = 0
        while tokens and modifiers < 2:
            tok = tokens[-1]
            gap = text[tok.end(): (taken[0].start() if taken else m.start())]
            bare = tok.group(0).strip("’'").lower()
            if gap.strip() or not MODIFIER.fullmatch(bare) or bare in stop:
                break
            if bare.endswith("ing") and len(bare) > 4 and "-" not in bare and bare not in adjectives:
                break   # "after signing peace", "of sabotaging Trump's plan": a verb and its object
            taken.insert(0, tokens.pop())
            if bare in numbers:     # the rest of a number in words: "twenty eight"
                while tokens and tokens[-1].group(0).lower() in numbers \
                        and not text[tokens[-1].end(): taken[0].start()].strip():
                    taken.insert(0, tokens.pop())
            modifiers += 1
        if not taken:
            continue
        lead = text[offset: taken[0].start()].rstrip()
        initial = (not lead and offset == 0) or (lead[-1:] in ".!?:“\"")
        out.append((" ".join([*(t.group(0) for t in taken), m.group(0)]), initial))
    return out


# A candidate passage is shown for a source without a position only when BM25 scores it at
# least this high and it is at least this long (shorter ones are list items, captions and
# one-line asides). Measured on the seeds and tests/relevance/: bench/candidate_threshold.py.
# Measured on 55 first-ranked candidates (22 seed, 33 fixture; 22 relevant): at 7.0 and 20
# words, 14 are shown and 13 of them are relevant (precision 0.93, recall 0.59); showing every
# first candidate, as before, gave 22 relevant in 55 (0.40).
CANDIDATE_MIN_SCORE = 7.0
CANDIDATE_MIN_WORDS = 20


TOP = 3     # candidate passages kept per question and source


def evidence(inputs: Inputs, passages: pd.DataFrame, top: int = TOP) -> tuple[pd.DataFrame, list[dict]]:
    """Rank each source's body passages for each question (BM25) as candidate support, keeping
    `top` per question (what contrast does through source_parts; bench/candidate_threshold.py
    ranks with top=1)."""
    reading = Reading.of(inputs.codebook)
    rows, notes = [], []
    for sid, group in by_source(passages[passages["kind"].isin(AUTHORS_TEXT)], PART_COLUMNS):
        found = _evidence_of(sid, group, reading.queries, reading.query_stop, top)
        rows += found[0]
        notes += found[1]
    return Evidence.frame(rows), notes


def _evidence_of(sid: str, group: dict[str, list], queries: list[tuple[str, list[str]]], stop: frozenset[str],
                 top: int) -> tuple[list[dict], list[dict]]:
    from rank_bm25 import BM25Okapi

    # A section heading is a body passage of its own section (ingest): it states no position.
    stated = [i for i, (text, section) in enumerate(zip(group["text"], group["section"], strict=True))
              if text != section]
    group = {c: [group[c][i] for i in stated] for c in ("passage_id", "char_start", "char_end", "text")}
    docs = [[t for t in TOKEN.findall(x.lower()) if t not in stop] for x in group["text"]]
    if not any(docs):
        return [], []
    bm25 = BM25Okapi(docs)
    rows, notes = [], []
    for qid, query in queries:
        scores = bm25.get_scores(query)
        ranked = sorted(range(len(docs)), key=lambda i: (-scores[i], i))[:top]
        for rank, i in enumerate(ranked, start=1):
            if scores[i] <= 0:
                continue
            pid, start, end, text = (group[c][i] for c in ("passage_id", "char_start", "char_end", "text"))
            nid = note_id(sid, start, end)
            notes.append({"note_id": nid, "source_id": sid, "passage_id": pid, "char_start": start,
                          "char_end": end, "quote": text, "display": text})
            rows.append({"question_id": qid, "source_id": sid, "rank": rank, "passage_id": pid,
                         "score": round(float(scores[i]), 3), "note_ids": [nid]})
    return rows, notes


def by_source(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, dict[str, list]]]:
    """(source id, {column: values}) for each source, sorted by id, its rows in the frame's
    order: what groupby("source_id") gives, as plain lists (a pandas group per source cost
    seconds at 2,000 sources)."""
    values = {c: frame[c].tolist() for c in columns}
    sids = frame["source_id"].tolist()
    runs: list[tuple[str, int, int]] = []      # each source's rows are one run in the joined tables
    start = 0
    for i in range(1, len(sids) + 1):
        if i == len(sids) or sids[i] != sids[start]:
            runs.append((sids[start], start, i))
            start = i
    if len({sid for sid, _, _ in runs}) == len(runs):
        return [(sid, {c: v[a:b] for c, v in values.items()}) for sid, a, b in sorted(runs)]
    rows: dict[str, list[int]] = {}
    for i, sid in enumerate(sids):
        rows.setdefault(sid, []).append(i)
    return [(sid, {c: [v[i] for i in at] for c, v in values.items()}) for sid, at in sorted(rows.items())]


def part_jobs(codebook: Codebook, sources: pd.DataFrame, passages: pd.DataFrame) -> list[tuple[str, dict]]:
    """(key, job) for source_parts, one per source that is no copy (a copy is no new voice): its
    authors' passages, keyed by them and by what the parts read of the codebook. Made as soon as
    ingest has found the copies, so the build can start the parts on its workers while it
    extracts and reviews, and take them at contrast (build.py)."""
    source_ids = set(sources.loc[sources["copy_of"] == "", "source_id"])
    mask = (passages["source_id"].isin(source_ids) & passages["kind"].isin(AUTHORS_TEXT)).to_numpy()
    own = passages.loc[mask, ["source_id", *PART_COLUMNS]]     # the columns read, not every column
    said = Reading.of(codebook).key()
    return [(digest("parts", said, sid, *group.values()), {"source_id": sid, "passages": group})
            for sid, group in by_source(own, PART_COLUMNS)]


def contrast(inputs: Inputs, tables: Tables, positions: pd.DataFrame, passages: pd.DataFrame,
             parts: Callable[[], list[tuple[list[dict], list[dict], dict]]] | None = None) -> Tables:
    """The tables with what contrast computes: positions with their relation, coverage,
    framing and evidence (published), common ground and corroboration (laid out by pack).
    `parts` gives source_parts' results for part_jobs(the tables' sources, `passages`), in
    order (waiting for the workers that compute them); computed here when not given."""
    srcs = tables["sources"]
    source_ids = sorted(srcs.loc[srcs["copy_of"] == "", "source_id"].tolist())   # a copy is no new voice
    passages = passages[passages["source_id"].isin(source_ids)]
    found = parts() if parts is not None else [
        source_parts(job, inputs.codebook) for _, job in part_jobs(inputs.codebook, srcs, passages)]
    ev = Evidence.frame([row for rows, _, _ in found for row in rows])
    notes = tables["notes"]
    known = set(notes["note_id"].tolist())
    new = [n for _, cited, _ in found for n in cited if n["note_id"] not in known]
    if new:
        extra = with_passage_place(pd.DataFrame(new).drop_duplicates("note_id"), passages)
        notes = pd.concat([notes, extra[notes.columns]], ignore_index=True)
        notes = notes.sort_values(["source_id", "char_start", "char_end"], kind="stable").reset_index(drop=True)
    positions = positions_table(inputs, positions)
    return replace(tables, notes=notes, positions=positions, common_ground=common_ground(positions),
                   corroboration=corroboration(tables["events"], srcs), coverage=coverage(tables, source_ids),
                   framing=framing(tables, [war for _, _, war in found]), evidence=ev)
