"""Candidate plan versions and provisions: what the sources call plans, for the codebook.

A new briefing starts with no plan versions, yet its sources name them: "a 20-point plan",
"the European counter-proposal", "the Geneva draft", "the framework agreed in Nairobi". This
module finds such names, so that each source's worksheet can offer them in the format of
`plans.yaml` (the analyst accepts one by copying its block) and the matrix section can say
which versions the sources name while none is defined. Figures given beside a plan name
("an annual release of 38 billion cubic metres") are offered the same way as provisions.

Candidates are suggestions for a person, never rows of the briefing's tables: a plan version
the codebook already knows (by alias, pattern or count of points) is not offered again. The
phrase patterns are the lexicon's (`plan_candidate_patterns`, `provision_candidate_patterns`),
with slots the lexicon's word lists fill, so another language or register needs no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipeline.extract.numbers import find_quantities
from pipeline.extract.terms import build_plan_patterns
from pipeline.inputs import Lexicon, Plan, Provision
from pipeline.language import Language, language_of
from pipeline.once import per_object
from pipeline.vocab import AUTHORS_TEXT

PLAN_COLUMNS = ["source_id", "key", "name", "points", "surface", "sentence_id", "passage_id",
                "char_start", "char_end", "text"]
PROVISION_COLUMNS = ["source_id", "key", "name", "unit", "value", "figure", "plan", "sentence_id",
                     "passage_id", "char_start", "char_end", "text"]
_CAP = r"[A-Z][\w’'.&-]*[\w]"           # a capitalised word ("EU", "Valdorian", "Sharm el-Sheikh")
_CAPS = _CAP + r"(?:\s+" + _CAP + r"){0,3}"


def _alternatives(words: list[str]) -> str:
    alts = [re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]?") for w in
            sorted(words, key=len, reverse=True)]
    return "(?:" + "|".join(alts) + ")" if alts else r"(?!x)x"


def _number(language: Language) -> str:
    words = [*language.number_words[2:], *language.tens_words]
    tens = _alternatives(list(language.tens_words))
    ones = _alternatives(list(language.number_words[1:10]))
    spelled = f"(?:{tens}[\\s-]+{ones}|{_alternatives(words)})" if words else r"(?!x)x"
    return rf"(?:\d{{1,3}}|(?i:{spelled}))"


@dataclass(frozen=True)
class Patterns:
    plans: list[re.Pattern]
    provisions: list[re.Pattern]
    plan_screen: re.Pattern       # a sentence without one of these words names no plan
    figure_screen: re.Pattern     # ... without a digit or number word gives no figure


@per_object
def compile_patterns(lexicon: Lexicon) -> Patterns:
    """The lexicon's phrase patterns with their slots filled: {number}, {noun} (plan nouns),
    {verb}, {name} (one to four capitalised words), {place} (the same), {quantity}
    (a figure: the number reader checks it afterwards) and {qualifier} ("at least"). Number
    words are the language resource's (pipeline/language.py)."""
    language = language_of(lexicon)
    spelled = [*language.number_words[2:], *language.tens_words]
    slots = {
        "number": _number(language),
        "noun": "(?i:" + _alternatives(lexicon.plan_candidate_nouns) + ")",
        "verb": "(?i:" + _alternatives(lexicon.plan_candidate_verbs) + ")",
        "name": _CAPS, "place": _CAPS,
        "quantity": r"(?:\d[\d,.]*|(?i:" + _alternatives(spelled)
                    + r"))(?:\s+(?i:thousand|million|billion))?",
        "qualifier": "(?i:" + _alternatives(lexicon.figure_qualifiers) + ")",
    }

    def fill(pattern: str) -> re.Pattern:
        return re.compile(re.sub(r"\{(\w+)\}", lambda m: slots.get(m.group(1), m.group(0)), pattern))

    nouns = _alternatives([*lexicon.plan_candidate_nouns, "point", "points"])
    numbers = _alternatives(spelled)
    return Patterns([fill(p) for p in lexicon.plan_candidate_patterns],
                    [fill(p) for p in lexicon.provision_candidate_patterns],
                    re.compile(rf"(?<![\w-]){nouns}(?![\w-])", re.IGNORECASE),
                    re.compile(rf"\d|(?i:(?<![\w-]){numbers}(?![\w-]))"))


def _points(text: str, lexicon: Lexicon) -> int | None:
    if text.isdigit():
        return int(text)
    words = re.split(r"[\s-]+", text.lower())
    language = language_of(lexicon)
    ones = [w.lower() for w in language.number_words]
    tens = [w.lower() for w in language.tens_words]
    value = 0
    for w in words:
        if w in tens:
            value += 10 * (tens.index(w) + 2)
        elif w in ones:
            value += ones.index(w)
        else:
            return None
    return value or None


def _canonical_noun(noun: str) -> str:
    return re.sub(r"[\s-]+", "-", noun.lower()).removesuffix("s") if noun else ""


def find_plan_candidates(sentences: pd.DataFrame, plans: list[Plan], lexicon: Lexicon,
                         body: dict[str, list] | None = None) -> pd.DataFrame:
    """Every plan name in the body sentences that no codebook plan version matches. `body`:
    body_columns(sentences), when the caller has it (per source, it is read once for both finders)."""
    patterns = compile_patterns(lexicon)
    if not patterns.plans:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    known = build_plan_patterns(plans, lexicon)
    known_points = {p.points for p in plans if p.points}
    stop = {w.lower() for w in lexicon.name_stop_words}
    rows = []
    body = body if body is not None else body_columns(sentences)
    for i in _screened(body["text"], [patterns.plan_screen]):
        rec = {k: v[i] for k, v in body.items()}
        text = rec["text"]
        spans: list[tuple[int, int]] = []
        for regex in patterns.plans:
            for m in regex.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in spans):
                    continue      # an earlier (more specific) pattern already took these words
                groups = {k: v for k, v in m.groupdict().items() if v}
                name_words = (groups.get("name") or groups.get("place") or "").split()
                while name_words and name_words[0].lower() in stop:
                    name_words = name_words[1:]
                points = _points(groups["points"], lexicon) if "points" in groups else None
                if not name_words and points is None:
                    continue
                if points is not None and (points < 2 or points in known_points):
                    continue
                if any(r.search(text[max(0, m.start() - 1):m.end() + 1]) for r, _, _ in known):
                    continue      # the codebook already knows this version
                noun = _canonical_noun(groups.get("noun", ""))
                if name_words:
                    label = " ".join(name_words)
                    key = f"{label.lower()} {noun}".strip()
                    name = f"{label} {groups.get('noun', '').lower()}".strip()
                    if points and not re.search(r"\d|point", name):
                        name = f"{name} ({points} points)"
                else:
                    key = f"{points}-point"
                    name = f"{points}-point {groups['noun'].lower()}" if groups.get("noun") else f"{points} points"
                spans.append((m.start(), m.end()))
                rows.append({"source_id": rec["source_id"], "key": key, "name": name, "points": points,
                             "surface": _trim_article(m.group(0)), "sentence_id": rec["sentence_id"],
                             "passage_id": rec["passage_id"], "char_start": rec["char_start"],
                             "char_end": rec["char_end"], "text": text})
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def with_unlinked(plan_hits: pd.DataFrame, unlinked: pd.DataFrame, sentences: pd.DataFrame,
                  lexicon: Lexicon) -> pd.DataFrame:
    """The plan candidates, and the plans extraction kept figures apart for (unlinked terms: "a
    19-point framework" in a piece on a trade deal, "Kyiv's counter-proposal"), each once per
    source, so the worksheet proposes every plan the codebook lacks, even one whose count of
    points a codebook version shares (the phrase patterns leave those out)."""
    if unlinked.empty:
        return plan_hits
    sentence_of = {(s, a): i for s, a, i in zip(sentences["source_id"], sentences["char_start"],
                                                sentences["sentence_id"], strict=True)}
    have = {(s, k) for s, k in zip(plan_hits["source_id"], plan_hits["key"], strict=True)}
    rows = []
    for rec in unlinked.to_dict("records"):
        name = _trim_article(str(rec["candidate_plan"]))
        if not name:
            continue
        count = re.match(r"(\d{1,3}|[A-Za-z]+)[\s-]+points?\b", name)
        points = _points(count.group(1), lexicon) if count else None
        rest = name[count.end():].strip() if count else name
        key = f"{points}-point" if points and not re.search(r"[A-Z]", rest) else name.lower()
        if (rec["source_id"], key) in have:
            continue
        have.add((rec["source_id"], key))
        rows.append({"source_id": rec["source_id"], "key": key, "name": name, "points": points, "surface": name,
                     "sentence_id": sentence_of.get((rec["source_id"], rec["char_start"]), ""),
                     "passage_id": rec["passage_id"], "char_start": rec["char_start"],
                     "char_end": rec["char_end"], "text": rec["position"]})
    if not rows:
        return plan_hits
    return pd.concat([plan_hits, pd.DataFrame(rows, columns=PLAN_COLUMNS)], ignore_index=True)


def body_columns(sentences: pd.DataFrame) -> dict[str, list]:
    """Body and sidebar sentences as plain column lists (pandas rows are slow to walk)."""
    body = sentences[sentences["kind"].isin(AUTHORS_TEXT)]
    return {c: body[c].tolist() for c in ("sentence_id", "source_id", "passage_id", "char_start", "char_end",
                                          "text")}


def _screened(texts: list[str], regexes: list[re.Pattern]) -> list[int]:
    """Indexes of the texts that may match one of `regexes` (a literal test, extract/screen.py)."""
    from pipeline.extract.screen import TextIndex, candidates, screen_of

    index = TextIndex(texts)
    found: set[int] = set()
    for regex in regexes:
        cand = candidates(screen_of(regex), index)
        if cand is None:
            return list(range(len(texts)))
        found |= cand
    return sorted(found)


def _trim_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def find_provision_candidates(sentences: pd.DataFrame, plan_hits: pd.DataFrame, known: dict[str, str],
                              lexicon: Lexicon, provisions: list[Provision] | None = None,
                              language: Language | None = None, body: dict[str, list] | None = None
                              ) -> pd.DataFrame:
    """Figures given in a sentence that names a plan (a candidate in `plan_hits`, or a codebook
    version: `known` maps such sentences to it, as extraction found them), each with what it
    measures, read from the lexicon's patterns ("a filling period of at least seven years" →
    filling period, 7 years). A measure a codebook provision's patterns already match is not
    offered again. `language`: the build's (dates are not figures); by default the lexicon's
    over English."""
    language = language or language_of(lexicon)
    patterns = compile_patterns(lexicon)
    defined = [re.compile(x, re.IGNORECASE) for p in provisions or [] for x in p.patterns]
    if not patterns.provisions:
        return pd.DataFrame(columns=PROVISION_COLUMNS)
    named: dict[str, str] = dict(known)
    for sid, name in zip(plan_hits["sentence_id"], plan_hits["name"], strict=True):
        named.setdefault(sid, name)        # the first plan a sentence names is what it speaks of
    modifiers = {w.lower() for w in lexicon.unit_modifiers}
    stop = {w.lower() for w in lexicon.stop_words}
    rows = []
    body = body if body is not None else body_columns(sentences)
    for i, sentence_id in enumerate(body["sentence_id"]):
        plan = named.get(sentence_id)
        if not plan:
            continue
        rec = {k: v[i] for k, v in body.items()}
        text = rec["text"]
        if not patterns.figure_screen.search(text):
            continue        # most sentences give no figure of anything
        found = [m for regex in patterns.provisions for m in regex.finditer(text)]
        if not found:
            continue
        quantities = find_quantities(text, lexicon.unit_words, lexicon.reference_nouns, lexicon.label_suffixes,
                                     language)
        for m in found:
            groups = m.groupdict()
            name_words = (groups.get("name") or "").lower().split()
            cut = max((i + 1 for i, w in enumerate(name_words) if w in stop), default=0)
            name_words = name_words[cut:]          # "split the difference" -> "difference"
            q = next((q for q in quantities if m.start() <= q.char_start < m.end()), None)
            if not name_words or q is None or q.value < 2:
                continue
            after = (groups.get("unit") or "").lower().split()
            if after and after[0] in modifiers:   # "cubic metres", "square kilometres"
                after = [" ".join(after[:2])]
            unit = q.unit or (after[0] if after and after[0] not in stop else "")
            if not unit:
                continue       # a figure that counts nothing named is no measure to offer
            end = m.start("unit") + len(unit) if groups.get("unit") and not q.unit else q.char_end
            name = " ".join(name_words)
            if any(r.search(m.group("name")) for r in defined):
                continue
            rows.append({"source_id": rec["source_id"], "key": name, "name": name, "unit": unit,
                         "value": float(q.value), "figure": text[q.char_start:max(end, q.char_end)].strip(),
                         "plan": plan, "sentence_id": rec["sentence_id"], "passage_id": rec["passage_id"],
                         "char_start": rec["char_start"], "char_end": rec["char_end"], "text": text})
    return pd.DataFrame(rows, columns=PROVISION_COLUMNS).drop_duplicates(["sentence_id", "key", "value"])


CANDIDATE_PLAN_COLUMNS = ["key", "id", "name", "points", "aliases", "sources", "source_ids", "note_ids"]
CANDIDATE_PROVISION_COLUMNS = ["key", "id", "name", "unit", "figures", "plans", "sources", "source_ids",
                               "note_ids"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "candidate"


def candidate_tables(plan_hits: pd.DataFrame, provision_hits: pd.DataFrame, known_notes: set[str]
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """One row per candidate (most sources first, then first seen), each with a note for the
    first sentence of every source naming it; and those notes not yet in the notes table."""
    from pipeline.review.quotes import note_id

    notes: dict[str, dict] = {}

    def note(rec: dict) -> str:
        nid = note_id(rec["source_id"], rec["char_start"], rec["char_end"])
        if nid not in known_notes and nid not in notes:
            notes[nid] = {"note_id": nid, "source_id": rec["source_id"], "passage_id": rec["passage_id"],
                          "char_start": rec["char_start"], "char_end": rec["char_end"],
                          "quote": rec["text"], "display": rec["text"]}
        return nid

    def grouped(hits: pd.DataFrame) -> list[tuple[str, list[dict]]]:
        groups: dict[str, list[dict]] = {}
        for rec in hits.to_dict("records"):
            groups.setdefault(rec["key"], []).append(rec)
        return sorted(groups.items(), key=lambda kv: -len({r["source_id"] for r in kv[1]}))

    plan_rows, ids = [], set()
    for key, recs in grouped(plan_hits):
        firsts = list({r["source_id"]: r for r in reversed(recs)}.values())[::-1]
        names = [r["name"] for r in recs]
        named = [n for n in names if not n.endswith(" points")] or names   # "28-point plan" over "28 points"
        name = max(sorted(set(named)), key=named.count)
        pid = _slug(name)
        while pid in ids:
            pid += "-2"
        ids.add(pid)
        points = next((int(r["points"]) for r in recs if pd.notna(r["points"])), None)
        plan_rows.append({"key": key, "id": pid, "name": name, "points": points,
                          "aliases": list({a.casefold(): a for a in sorted({r["surface"] for r in recs},
                                                                         reverse=True)}.values())[::-1],
                          "sources": len(firsts), "source_ids": [r["source_id"] for r in firsts],
                          "note_ids": [note(r) for r in firsts]})
    prov_rows, ids = [], set()
    for key, recs in grouped(provision_hits):
        firsts = list({r["source_id"]: r for r in reversed(recs)}.values())[::-1]
        units = [r["unit"] for r in recs if r["unit"]]
        pid = _slug(key)
        while pid in ids:
            pid += "-2"
        ids.add(pid)
        prov_rows.append({"key": key, "id": pid, "name": key[:1].upper() + key[1:],
                          "unit": max(sorted(set(units)), key=units.count) if units else "",
                          "figures": [f"{r['figure']} ({r['plan']})" for r in recs],
                          "plans": sorted({r["plan"] for r in recs}), "sources": len(firsts),
                          "source_ids": [r["source_id"] for r in firsts], "note_ids": [note(r) for r in firsts]})
    return (pd.DataFrame(plan_rows, columns=CANDIDATE_PLAN_COLUMNS),
            pd.DataFrame(prov_rows, columns=CANDIDATE_PROVISION_COLUMNS), list(notes.values()))
