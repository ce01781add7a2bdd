"""Plan terms: which plan version a sentence talks about, which provision, and what number.

The plan comes from an alias in the sentence or, failing that, from the version under
discussion in the same section (the last one named there). Provisions are codebook regexes.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.config import Lexicon, Plan, Provision
from pipeline.extract.events import auto_id
from pipeline.extract.numbers import find_quantities
from pipeline.extract.screen import Screen, TextIndex, candidates

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                "seventeen", "eighteen", "nineteen"]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _number_words(n: int) -> str:
    if n < 20:
        return NUMBER_WORDS[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] + ("" if ones == 0 else f"[\\s-]+{NUMBER_WORDS[ones]}")


def alias_pattern(alias: str) -> str:
    """An alias as written, but with spaces and hyphens interchangeable and numbers under 100
    also matching their words ("28-point" = "twenty eight point" = "28 point")."""
    parts = []
    for token in re.split(r"[\s-]+", alias.strip()):
        if token.isdigit() and int(token) < 100:
            parts.append(f"(?:{token}|{_number_words(int(token))})")
        else:
            parts.append(re.escape(token))
    return r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?![\w-])"


def build_plan_patterns(plans: list[Plan]) -> list[tuple[re.Pattern, str]]:
    pats: list[tuple[re.Pattern, str]] = []
    for plan in plans:
        for alias in plan.aliases:
            pats.append((re.compile(alias_pattern(alias), re.IGNORECASE), plan.id))
        for pattern in plan.patterns:
            pats.append((re.compile(pattern, re.IGNORECASE), plan.id))
    return pats


def plans_in(text: str, patterns: list[tuple[re.Pattern, str]]) -> list[tuple[int, str]]:
    hits = []
    for regex, plan_id in patterns:
        m = regex.search(text)
        if m:
            hits.append((m.start(), plan_id))
    return sorted(set(hits))


def _columns(sentences: pd.DataFrame, *names: str) -> list[list]:
    """Columns as plain lists: iterating pandas string columns element by element is slow."""
    return [sentences[n].tolist() for n in names]


def plans_in_all(texts: list[str], patterns: list[tuple[re.Pattern, str]],
                 wanted: list[bool]) -> list[list[tuple[int, str]]]:
    """`plans_in` for every wanted text at once; each regex runs only on the texts that contain
    its literals (see extract/screen.py)."""
    index = TextIndex(texts)
    hits: list[list[tuple[int, str]]] = [[] for _ in texts]
    for regex, plan_id in patterns:
        screen = Screen(regex)
        cand = candidates(screen, index)
        for i in range(len(texts)) if cand is None else sorted(cand):
            if wanted[i]:
                m = regex.search(texts[i])
                if m:
                    hits[i].append((m.start(), plan_id))
    return [sorted(set(h)) if h else h for h in hits]


def plan_context(sentences: pd.DataFrame, patterns: list[tuple[re.Pattern, str]]) -> pd.DataFrame:
    """For each sentence: plans named in it, and the version under discussion in its section:
    the one the section heading names, else the last one named earlier in the section."""
    rows = []
    current: dict[tuple[str, str], str] = {}
    heading_plan: dict[str, str] = {}
    ids, sources, sections, kinds, texts = _columns(sentences, "sentence_id", "source_id", "section",
                                                    "kind", "text")
    found = plans_in_all(texts, patterns, [k in ("body", "sidebar") for k in kinds])
    for sentence_id, source_id, section, hits in zip(ids, sources, sections, found, strict=True):
        named = [p for _, p in hits]
        key = (source_id, section)
        if section not in heading_plan:
            in_heading = plans_in(section, patterns) if section else []
            heading_plan[section] = in_heading[0][1] if in_heading else ""
        in_force = heading_plan[section] or current.get(key, "")
        if named:
            current[key] = named[-1]
        rows.append({"sentence_id": sentence_id, "named": named, "named_at": hits,
                     "plan_id": named[0] if named else in_force,
                     "plan_basis": "sentence" if named else ("section" if in_force else "")})
    # object columns: callers walk them row by row, which pandas' string arrays make slow
    return pd.DataFrame(rows, columns=["sentence_id", "named", "named_at", "plan_id", "plan_basis"],
                        dtype=object)


def find_terms(sentences: pd.DataFrame, context: pd.DataFrame, provisions: list[Provision],
               lexicon: Lexicon) -> pd.DataFrame:
    ctx_ids, ctx_plans, ctx_basis, ctx_at = _columns(context, "sentence_id", "plan_id", "plan_basis",
                                                     "named_at")
    plan_of = dict(zip(ctx_ids, ctx_plans, strict=True))
    named_at = dict(zip(ctx_ids, ctx_at, strict=True))
    basis_of = dict(zip(ctx_ids, ctx_basis, strict=True))
    ids, sources, passages, kinds, starts, ends, texts = _columns(
        sentences, "sentence_id", "source_id", "passage_id", "kind", "char_start", "char_end", "text")
    index = TextIndex(texts)
    compiled = []
    for p in provisions:
        screens = [Screen(x, re.IGNORECASE) for x in p.patterns]
        cands = [candidates(s, index) for s in screens]
        compiled.append((p, [s.regex for s in screens],
                         None if any(c is None for c in cands) else set().union(*cands)))
    rows = []
    for i, (sentence_id, kind, text) in enumerate(zip(ids, kinds, texts, strict=True)):
        plan_id = plan_of.get(sentence_id, "")
        if kind not in ("body", "sidebar") or not plan_id:
            continue
        matched: list[tuple[Provision, int]] = []
        for prov, regexes, cand in compiled:
            if cand is not None and i not in cand:
                continue
            hits = [m.start() for r in regexes for m in [r.search(text)] if m]
            if hits:
                matched.append((prov, min(hits)))
        if not matched:
            continue
        values = _assign_values(matched, find_quantities(text, lexicon.unit_words))
        for prov, at in matched:
            for value, unit in values.get(prov.id) or [(None, None)]:
                rows.append({
                    "term_id": auto_id(sources[i], starts[i], prov.id, value),
                    "plan_id": _nearest_plan(named_at.get(sentence_id) or [], at, plan_id),
                    "provision_id": prov.id,
                    "position": text.strip(), "value": value, "unit": unit or "",
                    "plan_basis": basis_of[sentence_id],
                    "source_id": sources[i], "passage_id": passages[i],
                    "char_start": starts[i], "char_end": ends[i],
                })
    return pd.DataFrame(rows, columns=["term_id", "plan_id", "provision_id", "position", "value",
                                       "unit", "plan_basis", "source_id", "passage_id",
                                       "char_start", "char_end"])


def _nearest_plan(named_at: list[tuple[int, str]], at: int, default: str) -> str:
    """A sentence naming several versions: the provision belongs to the one named nearest to it
    ("from Istanbul to Anchorage to the twenty eight points")."""
    if len(named_at) < 2:
        return default
    return min(named_at, key=lambda hit: (abs(hit[0] - at), hit[0]))[1]


def _assign_values(matched: list[tuple[Provision, int]], quantities: list) -> dict[str, list]:
    """Give each number to one provision: the one whose unit it carries, else the nearest
    provision without a unit (a bare number of thousands goes to a provision counted in troops)."""
    out: dict[str, list] = {}
    for q in quantities:
        same_unit = [p for p, _ in matched if p.unit and p.unit == q.unit]
        if same_unit:
            target = same_unit[0]
        elif q.unit is None and q.value >= 1000 and any(p.unit == "troops" for p, _ in matched):
            target = next(p for p, _ in matched if p.unit == "troops")
        else:
            free = [(abs(pos - q.char_start), p.id, p) for p, pos in matched if not p.unit]
            if not free or q.unit == "points":
                continue
            target = min(free)[2]
        out.setdefault(target.id, []).append((float(q.value), q.unit or target.unit))
    return out
