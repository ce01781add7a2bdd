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


def build_plan_patterns(plans: list[Plan]) -> list[tuple[re.Pattern, str]]:
    pats: list[tuple[re.Pattern, str]] = []
    for plan in plans:
        for alias in plan.aliases:
            pats.append((re.compile(r"(?<![\w-])" + re.escape(alias) + r"(?![\w-])", re.IGNORECASE), plan.id))
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


def plan_context(sentences: pd.DataFrame, patterns: list[tuple[re.Pattern, str]]) -> pd.DataFrame:
    """For each sentence: plans named in it, and the plan in force from its section."""
    rows = []
    current: dict[tuple[str, str], str] = {}
    for rec in sentences.itertuples(index=False):
        named = [p for _, p in plans_in(rec.text, patterns)] if rec.kind in ("body", "sidebar") else []
        key = (rec.source_id, rec.section)
        in_force = current.get(key, "")
        if named:
            current[key] = named[-1]
        rows.append({"sentence_id": rec.sentence_id, "named": named,
                     "plan_id": named[0] if named else in_force,
                     "plan_basis": "sentence" if named else ("section" if in_force else "")})
    return pd.DataFrame(rows, columns=["sentence_id", "named", "plan_id", "plan_basis"])


def find_terms(sentences: pd.DataFrame, context: pd.DataFrame, provisions: list[Provision],
               lexicon: Lexicon) -> pd.DataFrame:
    compiled = [(p, [re.compile(x, re.IGNORECASE) for x in p.patterns]) for p in provisions]
    ctx = context.set_index("sentence_id")
    rows = []
    for rec in sentences.itertuples(index=False):
        if rec.kind not in ("body", "sidebar"):
            continue
        plan_id = ctx.at[rec.sentence_id, "plan_id"]
        if not plan_id:
            continue
        quantities = None
        for prov, regexes in compiled:
            if not any(r.search(rec.text) for r in regexes):
                continue
            if quantities is None:
                quantities = find_quantities(rec.text, lexicon.unit_words)
            value, unit = _value_for(prov, quantities)
            rows.append({
                "term_id": auto_id(rec.source_id, rec.char_start, prov.id),
                "plan_id": plan_id, "provision_id": prov.id,
                "position": rec.text.strip(), "value": value, "unit": unit or "",
                "plan_basis": ctx.at[rec.sentence_id, "plan_basis"],
                "source_id": rec.source_id, "passage_id": rec.passage_id,
                "char_start": rec.char_start, "char_end": rec.char_end,
            })
    return pd.DataFrame(rows, columns=["term_id", "plan_id", "provision_id", "position", "value",
                                       "unit", "plan_basis", "source_id", "passage_id",
                                       "char_start", "char_end"])


def _value_for(prov: Provision, quantities: list) -> tuple[float | None, str | None]:
    for q in quantities:
        if prov.unit and q.unit == prov.unit:
            return float(q.value), q.unit
    if prov.unit:
        for q in quantities:
            if q.unit is None and q.value >= 1000:
                return float(q.value), prov.unit
    return None, None
