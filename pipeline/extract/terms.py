"""Plan terms: which plan version a sentence talks about, which provision, and what number.

The plan comes from an alias in the sentence or, failing that, from the version under
discussion in the same section (the last one named there). Provisions are codebook regexes.
"""

from __future__ import annotations

import logging
import re

import pandas as pd

from pipeline.extract.events import item_id
from pipeline.extract.numbers import find_quantities
from pipeline.extract.screen import Screen, TextIndex, candidates
from pipeline.inputs import Lexicon, Plan, Provision

log = logging.getLogger("pipeline")

def _number_words(n: int, ones: list[str], tens: list[str]) -> str | None:
    """``n`` in words from the lexicon's lists ("28" → "twenty[\\s-]+eight"), None without them."""
    if n < 20:
        return re.escape(ones[n]) if n < len(ones) else None
    t, o = divmod(n, 10)
    if t - 2 >= len(tens) or (o and o >= len(ones)):
        return None
    return re.escape(tens[t - 2]) + ("" if o == 0 else f"[\\s-]+{re.escape(ones[o])}")


def alias_pattern(alias: str, lexicon: Lexicon | None = None) -> str:
    """An alias as written, but with spaces and hyphens interchangeable and numbers under 100
    also matching their words ("28-point" = "twenty eight point" = "28 point")."""
    ones = lexicon.number_words if lexicon else []
    tens = lexicon.tens_words if lexicon else []
    parts = []
    for token in re.split(r"[\s-]+", alias.strip()):
        words = _number_words(int(token), ones, tens) if token.isdigit() and int(token) < 100 else None
        parts.append(f"(?:{token}|{words})" if words else re.escape(token))
    return r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?![\w-])"


PlanPattern = tuple[re.Pattern, str, bool]


def build_plan_patterns(plans: list[Plan], lexicon: Lexicon | None = None) -> list[PlanPattern]:
    """(regex, plan_id, direct): direct when the pattern names the plan itself (an alias), not
    only something it is known by, such as the place it was drafted in (a `patterns:` entry)."""
    pats: list[PlanPattern] = []
    for plan in plans:
        for alias in plan.aliases:
            pats.append((re.compile(alias_pattern(alias, lexicon), re.IGNORECASE), plan.id, True))
        if plan.points:   # its count of points names a version too ("now runs to 19 points")
            pats.append((re.compile(alias_pattern(f"{plan.points} point", lexicon).removesuffix(r"(?![\w-])")
                                    + r"s?(?![\w-])", re.IGNORECASE), plan.id, True))
        for pattern in plan.patterns:
            pats.append((re.compile(pattern, re.IGNORECASE), plan.id, False))
    return pats


def plan_noun_regex(lexicon: Lexicon) -> re.Pattern:
    """Words that make a place name stand for a plan ("the Geneva draft", "the plan agreed in
    Geneva"): from the lexicon, so another topic brings its own."""
    nouns = sorted(lexicon.plan_nouns, key=len, reverse=True)
    if not nouns:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in nouns) + r")(?![\w-])",
                      re.IGNORECASE)


def named_plans(text: str, hits: list[tuple[int, str, bool]], nouns: re.Pattern,
                reach: int = 40) -> list[str]:
    """Plans a sentence names itself, for linking an event to a version: every alias hit; a
    place-like pattern only with no alias in the sentence and a plan word within `reach`
    characters ("talks in Geneva" names no plan, "the draft agreed in Geneva" does)."""
    direct = [p for _, p, d in hits if d]
    if direct:
        return list(dict.fromkeys(direct))
    out = []
    for at, plan_id, _ in hits:
        if nouns.search(text, max(0, at - reach), at + reach + 20):
            out.append(plan_id)
    return list(dict.fromkeys(out))


def plans_in(text: str, patterns: list[PlanPattern]) -> list[tuple[int, str, bool]]:
    hits = []
    for regex, plan_id, direct in patterns:
        m = regex.search(text)
        if m:
            hits.append((m.start(), plan_id, direct))
    return sorted(set(hits))


def _columns(sentences: pd.DataFrame, *names: str) -> list[list]:
    """Columns as plain lists: iterating pandas string columns element by element is slow."""
    return [sentences[n].tolist() for n in names]


def plans_in_all(texts: list[str], patterns: list[PlanPattern],
                 wanted: list[bool]) -> list[list[tuple[int, str, bool]]]:
    """`plans_in` for every wanted text at once; each regex runs only on the texts that contain
    its literals (see extract/screen.py)."""
    index = TextIndex(texts)
    hits: list[list[tuple[int, str, bool]]] = [[] for _ in texts]
    for regex, plan_id, direct in patterns:
        screen = Screen(regex)
        cand = candidates(screen, index)
        for i in range(len(texts)) if cand is None else sorted(cand):
            if wanted[i]:
                m = regex.search(texts[i])
                if m:
                    hits[i].append((m.start(), plan_id, direct))
    return [sorted(set(h)) if h else h for h in hits]


SHORT_PIECE_WORDS = 1500   # a news piece, not a sectioned analysis: its headline sets its subject


def plan_context(sentences: pd.DataFrame, patterns: list[PlanPattern],
                 headlines: dict[str, str] | None = None, lexicon: Lexicon | None = None
                 ) -> pd.DataFrame:
    """For each sentence: plans named in it, and the version under discussion in its section:
    the one the section heading names, else the last one named earlier in the section. In a
    short piece, a sentence speaking of "the plan" (lexicon `plan_references`) means the version
    its headline or lede names, whatever else was mentioned on the way. `linked` is the plan a
    sentence itself names, for linking its event (see named_plans)."""
    lexicon = lexicon or Lexicon()
    nouns = plan_noun_regex(lexicon)
    generic = _phrase_regex(lexicon.plan_references)
    rows = []
    current: dict[tuple[str, str], str] = {}
    heading_plan: dict[str, str] = {}
    ids, sources, sections, kinds, texts, passages = _columns(
        sentences, "sentence_id", "source_id", "section", "kind", "text", "passage_id")
    found = plans_in_all(texts, patterns, [k in ("body", "sidebar") for k in kinds])
    default = _document_plans(sources, kinds, passages, texts, found, patterns, headlines or {})
    for sentence_id, source_id, section, text, hits in zip(ids, sources, sections, texts, found,
                                                           strict=True):
        named = [p for _, p, _ in hits]
        key = (source_id, section)
        if section not in heading_plan:
            in_heading = plans_in(section, patterns) if section else []
            heading_plan[section] = in_heading[0][1] if in_heading else ""
        in_force = heading_plan[section] or current.get(key, "")
        subject = default.get(source_id, "")
        if subject and not heading_plan[section] and (not in_force or generic.search(text)):
            in_force = subject
        if named:
            current[key] = named[-1]
        linked = named_plans(text, hits, nouns) if hits else []
        rows.append({"sentence_id": sentence_id, "named": named, "named_at": hits,
                     "plan_id": named[0] if named else in_force,
                     "plan_basis": "sentence" if named else ("section" if in_force else ""),
                     "linked": linked[0] if linked else ""})
    # object columns: callers walk them row by row, which pandas' string arrays make slow
    return pd.DataFrame(rows, columns=["sentence_id", "named", "named_at", "plan_id", "plan_basis",
                                       "linked"], dtype=object)


def _phrase_regex(phrases: list[str]) -> re.Pattern:
    if not phrases:
        return re.compile(r"(?!x)x")
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alts + r")(?![\w-])", re.IGNORECASE)


def _document_plans(sources: list[str], kinds: list[str], passages: list[str], texts: list[str],
                    found: list[list[tuple[int, str, bool]]], patterns: list[PlanPattern],
                    headlines: dict[str, str]) -> dict[str, str]:
    """Per short source, the version it is about: the first one its headline names by alias,
    else the first one its lede (first body paragraph) names by alias."""
    words: dict[str, int] = {}
    lede: dict[str, str] = {}
    lede_plan: dict[str, str] = {}
    for source_id, kind, passage_id, text, hits in zip(sources, kinds, passages, texts, found,
                                                       strict=True):
        words[source_id] = words.get(source_id, 0) + len(text.split())
        if kind != "body":
            continue
        lede.setdefault(source_id, passage_id)
        if lede[source_id] == passage_id and source_id not in lede_plan:
            direct = [p for _, p, d in hits if d]
            if direct:
                lede_plan[source_id] = direct[0]
    out = {}
    for source_id, count in words.items():
        if count > SHORT_PIECE_WORDS:
            continue
        title = [p for _, p, d in plans_in(headlines.get(source_id, ""), patterns) if d]
        plan = title[0] if title else lede_plan.get(source_id, "")
        if plan:
            out[source_id] = plan
    return out


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
    seen: set[str] = set()
    anaphor = _phrase_regex(lexicon.provision_anaphora)
    previous: tuple[str, list[tuple[Provision, int]]] = ("", [])   # (passage, its provisions)
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
        quantities = find_quantities(text, lexicon.unit_words, lexicon.reference_nouns,
                                     lexicon.label_suffixes)
        if previous[0] == passages[i]:
            # "The 28-point plan set the ceiling at 600,000. The 19-point text raised it to
            # 800,000": a figure referred back to ("it", "the figure") counts what the
            # paragraph's previous sentence counted.
            here = {p.id for p, _ in matched}
            units = {p.unit for p, _ in matched if p.unit}
            before = [p for p, _ in previous[1] if p.unit and p.id not in here and p.unit not in units]
            ref = anaphor.search(text)
            if len(before) == 1 and ref and any(
                    q.unit in (None, before[0].unit) and q.value >= 10 for q in quantities):
                matched.append((before[0], ref.start()))
        if matched:
            previous = (passages[i], matched)
        else:
            previous = (passages[i], [])
            continue
        values = _assign_values(matched, quantities)
        for prov, at in matched:
            # The same figure twice in a sentence is one term; ids count a provision's figures
            # in the sentence, so they hold while the number reader improves.
            for k, (value, unit) in enumerate(dict.fromkeys(values.get(prov.id) or [(None, None)])):
                term_id = item_id(sources[i], text, "term", prov.id, *([k] if k else []))
                if term_id in seen:
                    log.info("plan terms: %s repeats a sentence of %s; kept the first",
                             sentence_id, sources[i])
                    continue
                seen.add(term_id)
                rows.append({
                    "term_id": term_id,
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
