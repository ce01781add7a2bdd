"""Plan terms: which plan version a sentence talks about, which provision, and what number.

The plan comes from an alias in the sentence or, failing that, from the version under
discussion in the same section (the last one named there). Provisions are codebook regexes.

A figure belongs to the version named in its own clause ("the 28-point plan set the ceiling at
600,000, while a counter-proposal raised it to 800,000": 800,000 is the counter-proposal's). A
plan the codebook does not know is never filed under one it does: a clause speaking of another
party's plan (lexicon `rival_plan_words`) or an alias qualified by a name the codebook does not
know ("the 20-point plan for Gaza") leaves its figures unlinked, returned apart with the plan
as written (`candidate_plan`) for the review worksheet. In "from 600,000 to 800,000" only the
new figure is the clause's version's. A point count describes a version: one that contradicts
the version's own count ("14 points or 12 points", "cut from 14 to 9") is not its count. Every
row carries `confidence` (0-1) and `basis` in words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import lru_cache

import pandas as pd

from pipeline.extract.events import item_id
from pipeline.extract.numbers import find_quantities
from pipeline.extract.screen import Screen, TextIndex, candidates, screen_of
from pipeline.inputs import Lexicon, Plan, Provision
from pipeline.language import Language, language_of
from pipeline.readers import TABLE_CELL
from pipeline.vocab import AUTHORS_TEXT

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
    language = language_of(lexicon) if lexicon else None     # number words: the language resource's
    ones = list(language.number_words) if language else []
    tens = list(language.tens_words) if language else []
    short = {k.lower(): v for k, v in (lexicon.word_abbreviations if lexicon else {}).items()}
    parts = []
    for token in re.split(r"[\s-]+", alias.strip()):
        words = _number_words(int(token), ones, tens) if token.isdigit() and int(token) < 100 else None
        if words:
            parts.append(f"(?:{token}|{words})")
        elif token.lower() in short:     # "28-pt plan" = "28-point plan"
            parts.append("(?:" + "|".join(re.escape(w) for w in (token, *short[token.lower()])) + ")")
        else:
            parts.append(re.escape(token))
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
        screen = screen_of(regex)
        cand = candidates(screen, index)
        for i in range(len(texts)) if cand is None else sorted(cand):
            if wanted[i]:
                m = regex.search(texts[i])
                if m:
                    hits[i].append((m.start(), plan_id, direct))
    return [sorted(set(h)) if h else h for h in hits]


PLACE_DOUBT = "place named, no plan word"
OFF_TOPIC_DOUBT = "the source names no codebook actor or place"
SHARED_COUNT_DOUBT = "two plans of this count in the source"
DOUBTFUL = 0.6      # under show_machine_from's default: kept in the tables, held back from the PDF

SHORT_PIECE_WORDS = 1500   # a news piece, not a sectioned analysis: its headline sets its subject


def topic_regex(names: list[str]) -> re.Pattern | None:
    """The codebook's own actors and places as whole words, as written ("Kyiv", "Rustem Umerov"),
    a one-word name of six letters or more also with another ending ("Ukrainian", "Russian",
    "Zelenskyy"): a source naming none of them is about something else."""
    names = sorted({n for n in names if len(n) >= 3}, key=len, reverse=True)
    if not names:
        return None
    alts = [re.escape(n[:-1]) + r"\w{0,3}" if " " not in n and len(n) >= 6 else re.escape(n) for n in names]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")


def plan_own_words(plans: list[Plan]) -> dict[str, frozenset[str]]:
    """Per version, the lower-case words of its own name, aliases and originator: a capitalised
    qualifier among them ("Zelensky's 20-point plan" for the plan Zelensky's government outlined)
    says the text means that version, where a bare "the 20-point plan" may mean another plan of
    the same count spoken of in the same source."""
    return {p.id: known_words([p.name, *p.aliases, p.originator]) for p in plans}


def plan_context(sentences: pd.DataFrame, patterns: list[PlanPattern],
                 headlines: dict[str, str] | None = None, lexicon: Lexicon | None = None,
                 known_words: frozenset[str] | None = None,
                 plan_points: dict[str, int] | None = None,
                 plan_words: dict[str, frozenset[str]] | None = None,
                 topic: re.Pattern | None = None) -> pd.DataFrame:
    """For each sentence: plans named in it, and the version under discussion in its section:
    the one the section heading names, else the last one named earlier in the section. In a
    short piece, a sentence speaking of "the plan" (lexicon `plan_references`) means the version
    its headline or lede names, whatever else was mentioned on the way. `linked` is the plan a
    sentence itself names, for linking its event (see named_plans).

    `known_words` (lower-case words of the codebook's names) turns on the qualifier check: an
    alias qualified by a capitalised word outside them is another plan (`candidates`: (offset,
    plan as written)), as is a rival plan word; a sentence whose last plan mention is such a
    candidate leaves the following sentences of its section without a version. Once a source
    speaks of such a plan with a count of points ("the 20-point plan for Velmara"), a bare
    mention of that count in it ("Twenty points, one signature"), before or after, is that plan
    too (`plan_points`: each version's own count), unless the source also qualifies the count
    with the version's own words ("Zelensky's 20-point plan", `plan_words`): then a bare mention
    takes the sense of the nearest qualified mention before it (else after it) and is doubtful
    (`doubt`: plan -> reason, which lowers the confidence of its terms).

    A place-like pattern ("Geneva") with no plan noun near it ("talks held in Geneva") may name
    no version: what it files in its sentence is doubtful, except a figure in its own clause
    ("in the Istanbul talks ... proposed a force of 85,000"). It still sets the version under
    discussion (the codebook says such a place stands for its version), whose terms are
    below the default threshold anyway.

    `topic` (see topic_regex) matches the codebook's own actors and places: in a source that
    names none of them (a piece on Gaza's 20-point plan) a version known by its count alone is
    doubtful everywhere."""
    lexicon = lexicon or Lexicon()
    nouns = plan_noun_regex(lexicon)
    generic = _phrase_regex(lexicon.plan_references)
    rows = []
    current: dict[tuple[str, str], str] = {}
    heading_plan: dict[str, str] = {}
    ids, sources, sections, kinds, texts, passages = _columns(
        sentences, "sentence_id", "source_id", "section", "kind", "text", "passage_id")
    found = plans_in_all(texts, patterns, [k in AUTHORS_TEXT for k in kinds])
    rival = _phrase_regex(lexicon.rival_plan_words)
    rival_in = candidates(Screen(rival), TextIndex(texts)) if lexicon.rival_plan_words else set()
    cands_of: list[list[tuple[int, str]]] = []
    doubts: list[dict[str, str]] = [{} for _ in texts]
    points = plan_points or {}
    own = plan_words or {}
    # First the senses a source gives each count of points: (sentence, offset, plan as written;
    # "" for the codebook's version), so a bare mention can take the nearest one.
    senses: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    qualified: dict[tuple[int, int], str] = {}
    if known_words is not None:
        for i, (text, hits) in enumerate(zip(texts, found, strict=True)):
            for hit in hits:
                if not hit[2] or hit[1] not in points:
                    continue
                foreign = _foreign_qualifier(text, hit, patterns, known_words, lexicon, own.get(hit[1]))
                sense = foreign if foreign else ("" if _own_qualifier(text, hit[0], own.get(hit[1]))
                                                 else None)
                if sense is not None:
                    qualified[(i, hit[0])] = sense
                    senses.setdefault((sources[i], points[hit[1]]), []).append((i, hit[0], sense))
    off_topic: set[str] = set()
    if topic is not None:
        on_topic = {src for src, text in zip(sources, texts, strict=True) if topic.search(text)}
        off_topic = set(sources) - on_topic
        for i, hits in enumerate(found):
            if sources[i] in off_topic:
                # a place that stands for a version ("Geneva") is only a place in a piece on
                # another subject ("talks in Geneva" on a trade deal)
                found[i] = hits = [h for h in hits if h[2]]
                for _, plan_id, _ in hits:
                    doubts[i].setdefault(plan_id, OFF_TOPIC_DOUBT)
    for i, (text, hits) in enumerate(zip(texts, found, strict=True)):
        cands = [(m.start(), _plan_phrase(text, m.start(), m.end())) for m in rival.finditer(text)] \
            if kinds[i] in AUTHORS_TEXT and (rival_in is None or i in rival_in) else []
        if hits and known_words is not None:
            kept = []
            for hit in hits:
                if (i, hit[0]) in qualified:
                    foreign = qualified[(i, hit[0])]
                elif hit[2] and sources[i] in off_topic and _count_alias(text, hit, patterns):
                    # "a 19-point framework" in a piece on a trade deal: a count of points is all
                    # it shares with the version
                    foreign = _count_alias(text, hit, patterns, lexicon)
                elif hit[2]:
                    foreign = _foreign_qualifier(text, hit, patterns, known_words, lexicon, own.get(hit[1]))
                    known = senses.get((sources[i], points.get(hit[1], -1)), [])
                    if not foreign and known:
                        foreign = _nearest_sense(known, i, hit[0])
                        if any(not sense for *_, sense in known) and any(sense for *_, sense in known):
                            doubts[i][hit[1]] = SHARED_COUNT_DOUBT
                else:
                    foreign = ""
                if foreign:
                    cands.append((hit[0], foreign))
                    log.info("plan terms: %r is not %s (unknown qualifier)", foreign, hit[1])
                else:
                    kept.append(hit)
            found[i] = kept
        cands_of.append(sorted(cands))
    default = _document_plans(sources, kinds, passages, texts, found, patterns, headlines or {})
    omits = _omission_cues(tuple(lexicon.plan_omits_cues), tuple(lexicon.absent_from_plan_cues))
    for sentence_id, source_id, section, text, hits, cands, doubt in zip(
            ids, sources, sections, texts, found, cands_of, doubts, strict=True):
        # a place alone ("talks held in Geneva") names no version; with a plan noun near it does
        placed = set(named_plans(text, [h for h in hits if not h[2]], nouns)) if hits else set()
        bare_place = {p for _, p, d in hits if not d and p not in placed} - {p for _, p, d in hits if d}
        for plan_id in bare_place:
            doubt.setdefault(plan_id, PLACE_DOUBT)
        named = [p for _, p, _ in hits]
        key = (source_id, section)
        if section not in heading_plan:
            in_heading = plans_in(section, patterns) if section else []
            heading_plan[section] = in_heading[0][1] if in_heading else ""
        in_force = heading_plan[section] or current.get(key, "")
        subject = default.get(source_id, "")
        if subject and not heading_plan[section] and (not in_force or generic.search(text)):
            in_force = subject
        if cands and not named and not heading_plan[section]:
            in_force = ""     # "a counter-proposal ...": the text speaks of another plan
        if named:
            current[key] = named[-1]
        if cands and (not hits or cands[-1][0] > hits[-1][0]):
            current[key] = ""
        linked = named_plans(text, hits, nouns) if hits else []
        rows.append({"sentence_id": sentence_id, "named": named, "named_at": hits,
                     "plan_id": named[0] if named else in_force,
                     "plan_basis": "sentence" if named else ("section" if in_force else ""),
                     "linked": linked[0] if linked else "", "candidates": cands, "doubt": doubt,
                     "omitting": _omitting(text, hits, patterns, omits) if hits else []})
    # object columns: callers walk them row by row, which pandas' string arrays make slow
    return pd.DataFrame(rows, columns=["sentence_id", "named", "named_at", "plan_id", "plan_basis",
                                       "linked", "candidates", "doubt", "omitting"], dtype=object)


@lru_cache(maxsize=8)
def _omission_cues(after: tuple[str, ...], before: tuple[str, ...]
                   ) -> tuple[re.Pattern | None, re.Pattern | None]:
    """(cue right after a plan mention, cue right before one) that says the plan lacks what the
    clause speaks of: "a figure the Geneva text does not mention", "absent from the 28-point
    plan". A few words may come between ("the Geneva text, by contrast, is silent")."""
    def alts(cues: tuple[str, ...]) -> str:
        return "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(set(cues), key=len, reverse=True))
    # up to three words between, none of which joins another clause ("... and does not mention")
    between = r"(?:[\s,]+(?!(?:and|but|or|while|whereas|which|that)\b)[\w'’-]+){0,3}?[\s,]+"
    return (re.compile(between + "(?:" + alts(after) + r")(?![\w-])", re.IGNORECASE) if after else None,
            re.compile(r"(?<![\w-])(?:" + alts(before) + r")\s+(?:[\w'’-]+\s+){0,2}\Z", re.IGNORECASE)
            if before else None)


def _omitting(text: str, hits: list[tuple[int, str, bool]], patterns: list[PlanPattern],
              cues: tuple[re.Pattern | None, re.Pattern | None]) -> list[tuple[int, str]]:
    """The plan mentions (offset, plan) that a lexicon cue says lack what their clause speaks of:
    such a plan never owns a figure of that sentence (see find_plan_terms)."""
    after, before = cues
    out = []
    for hit in hits:
        at, plan_id, _ = hit
        end = max([m.end() for regex, pid, _ in patterns if pid == plan_id
                   for m in [regex.match(text, at)] if m], default=at)
        if (after is not None and after.match(text, end)) or \
                (before is not None and before.search(text, max(0, at - 60), at)):
            out.append((at, plan_id))
    return out


def _alias_end(text: str, hit: tuple[int, str, bool], patterns: list[PlanPattern]) -> int:
    """Where the longest direct alias of the hit's plan that starts at the hit ends."""
    at, plan_id, _ = hit
    end = at
    for regex, pid, direct in patterns:
        if pid == plan_id and direct:
            m = regex.match(text, at)
            if m:
                end = max(end, m.end())
    return end


def _count_alias(text: str, hit: tuple[int, str, bool], patterns: list[PlanPattern],
                 lexicon: Lexicon | None = None) -> str:
    """The plan as written when an alias hit names a version by its count of points alone ("a
    19-point framework", "the 20 points"), with the noun after it ("19-point framework",
    "20-point list"); else ""."""
    at, plan_id, _ = hit
    end = _alias_end(text, hit, patterns)
    alias = text[at:end]
    if not re.search(r"\d|point|pts?\b", alias, re.IGNORECASE):
        return ""
    if lexicon is None:
        return alias
    m = plan_noun_regex(lexicon).search(text, end, end + 40)
    if m and text[end:m.start()].strip(" -").count(" ") <= 2:      # "19-point trade framework"
        return (alias + text[end:m.end()]).strip()
    nxt = re.match(r"[^\S\n]+([a-z][\w-]*)", text[end:end + 30])     # "20-point list"
    stops = {w.lower() for w in lexicon.stop_words}
    return (alias + nxt.group(0)).strip() if nxt and nxt.group(1) not in stops else alias


def _nearest_sense(senses: list[tuple[int, int, str]], i: int, at: int) -> str:
    """The sense of the qualified mention of a count nearest before (sentence i, offset at),
    else the first one after it: "" for the codebook's version, else the plan as written."""
    before = [s for s in senses if (s[0], s[1]) <= (i, at)]
    return (before[-1] if before else senses[0])[2]


def _own_qualifier(text: str, at: int, words: frozenset[str] | None) -> bool:
    """A capitalised word right before an alias that is one of the version's own words
    ("Zelensky's 20-point plan", "Ukraine's 20-point plan")."""
    if not words:
        return False
    before = re.search(r"((?:[A-Z][\w'’.-]*\s+){1,3})\Z", text[max(0, at - 50):at])
    for w in before.group(1).split() if before else []:
        w = re.sub(r"['’]s?$", "", w).rstrip(".").lower()
        if len(w) >= 4 and (w in words or any(k.startswith(w[:5]) for k in words if len(k) >= 5)):
            return True
    return False


def _plan_phrase(text: str, start: int, end: int) -> str:
    """A plan as the text writes it: the phrase with the capitalised words or possessive right
    before it ("Hamas's counter-proposal", "the Sudanese counter-proposal")."""
    m = re.search(r"(?:[A-Z][\w'’.-]*\s+){0,3}\Z", text[max(0, start - 60):start])
    head = m.group().strip() if m else ""
    return (head + " " + text[start:end]).strip()


# "... draft of the European peace plan": up to a few words after the count, "of the", names, and
# (checked apart) a plan noun, with "peace" or another lower-case word between
_OF_NAMED_PLAN = re.compile(r"(?:[^\S\n]+(?:or|and|[\w-]+)){0,4}?[^\S\n]+of[^\S\n]+the[^\S\n]+"
                            r"((?:[A-Z][\w'’.-]*[^\S\n]+){1,3})(?:[a-z]+[^\S\n]+)?")


def _foreign_qualifier(text: str, hit: tuple[int, str, bool], patterns: list[PlanPattern],
                       known: frozenset[str], lexicon: Lexicon, own: frozenset[str] | None = None) -> str:
    """The plan as written when an alias hit is qualified by a capitalised word the codebook
    does not know: before it ("the Gaza 20-point plan", "Sudan's 20-point plan") or in a
    "for / on / in <Name>" right after its plan noun ("the 20-point plan for Gaza"); else "".
    A count that is "of the <Name> plan" is that plan's unless the name is one of the version's
    own words (`own`), even a name the codebook knows ("the 28-point or 27-point draft of the
    European peace plan" is the European counter-proposal, not the US drafts)."""
    at, plan_id, _ = hit
    end = _alias_end(text, hit, patterns)
    stops = {w.lower() for w in lexicon.stop_words} | {w.lower() for w in lexicon.name_stop_words}
    if own is not None and (named := _OF_NAMED_PLAN.match(text, end)):
        noun = plan_noun_regex(lexicon).match(text, named.end())
        names = [re.sub(r"['’]s?$", "", w).rstrip(".") for w in named.group(1).split()]
        if noun and not any(w.lower() in own or w.lower() in stops for w in names):
            return text[at:noun.end()]
    before = re.search(r"((?:[A-Z][\w'’.-]*\s+){1,3})\Z", text[max(0, at - 50):at])
    words = before.group(1).split() if before else []
    after = re.match(r"(?:[\s-]*[a-z]+){0,2}?\s+(?:for|on|in|over)\s+(?:the\s+)?([A-Z][\w'’.-]*)",
                     text[end:end + 50])
    tail_len = after.end() if after else 0
    if after:
        words.append(after.group(1))
    else:
        # "the 20-point Luanda roadmap": a name between the count and the plan noun
        between = re.match(r"((?:[^\S\n]+[A-Z][\w'’.-]*){1,3})[^\S\n]+(?=[a-z])", text[end:end + 60])
        noun = plan_noun_regex(lexicon).match(text, end + between.end()) if between else None
        if noun:
            tail_len = noun.end() - end
            words += between.group(1).split()
    for w in words:
        w = re.sub(r"['’]s?$", "", w).rstrip(".")
        if not w or w.lower() in stops or w.lower() in known:
            continue
        if len(w) >= 5 and any(k.startswith(w.lower()[:5]) for k in known if len(k) >= 5):
            continue   # "Ukrainian" / "Ukraine"
        tail = text[end:end + tail_len]
        head = before.group(1).split() if before else []
        while head and head[0].lower() in stops:     # "The 20-point Luanda roadmap"
            head = head[1:]
        return (" ".join(head) + " " if head else "") + text[at:end] + tail
    return ""


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
               lexicon: Lexicon, plans: list[Plan] | None = None) -> pd.DataFrame:
    """Machine plan terms filed under a codebook version (see find_plan_terms)."""
    return find_plan_terms(sentences, context, provisions, lexicon, plans)[0]


TERM_COLUMNS = ["term_id", "plan_id", "provision_id", "position", "value", "unit", "plan_basis",
                "source_id", "passage_id", "char_start", "char_end", "confidence", "basis",
                "candidate_plan"]
# (confidence, basis) of a term by where its version was found.
TERM_EVIDENCE = {
    "clause": (0.9, "figure in own clause"),
    # a provision word with no figure in a clause naming a version: of 19 on the development set
    # and the seeds, about two in three were the version's term (issue 19): held back by default
    "clause-none": (0.75, "plan named in own clause, no figure"),
    "points": (0.9, "point count names the version"),
    "sentence": (0.75, "plan named in the sentence"),
    "section": (0.6, "plan under discussion in the section"),
    "headline": (0.6, "plan the piece is about"),
    "anaphora": (0.6, "figure referred back"),
    "other-plan": (0.5, "plan from context; sentence speaks of another plan"),
    "unlinked": (0.8, "plan the codebook lacks, in own clause"),
    "contradicts": (0.8, "point count differs from the version's"),
    # a table's cell under a column (or beside a row label) naming the version: no table in the
    # development set measures it yet, so it is held back by default
    "table": (0.75, "figure in a table under the version's column"),
}
# ", and the Geneva text ...", ", and that the Geneva text ...": a new subject after "and" (a
# reported clause's "that" too) opens a clause of its own
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\s-\s|,\s(?=(?:while|whereas|but|although|though|which|unlike|"
                           r"compared|against|after|before|and\s(?:that\s)?(?:a|an|the|its|their)\b))|"
                           r"\s(?=(?:while|whereas|but)\s)")
_FROM = re.compile(r"\bfrom\s+(?:about\s+|around\s+|some\s+|roughly\s+)?\Z", re.IGNORECASE)
_TO = re.compile(r"\A\s*(?:[a-z]+\s+)?(?:to|down to|up to)\s+(?:about\s+|around\s+)?\Z")
# "took the 28 points down to 19", "pulled 600,000 back to 500,000": a direction says the first
# figure is the one changed, without a "from"
_TO_DIRECTION = re.compile(r"\A\s*(?:[a-z]+\s+)?(?:down|back|up)\s+to\s+(?:about\s+|around\s+)?\Z")


def _clause_of(text: str, pos: int, compare: re.Pattern | None = None) -> tuple[int, int]:
    """The clause a position is in: between the breaks (";", a dash, ", while", ", which" ...,
    and with `compare` the lexicon's comparison phrases: ", well above the 600,000 of ...")."""
    start, end = 0, len(text)
    breaks = sorted([*_CLAUSE_BREAK.finditer(text), *(compare.finditer(text) if compare else ())],
                    key=lambda m: m.start())
    for m in breaks:
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


@lru_cache(maxsize=8)
def _comparison_break(words: tuple[str, ...]) -> re.Pattern | None:
    """", well above", ", up from": a comma before one of the lexicon's comparison phrases opens
    the clause of the measure compared with."""
    if not words:
        return None
    alts = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(r",\s(?=(?:" + alts + r")\b)", re.IGNORECASE)


def _old_figures(text: str, quantities: list, not_value: re.Pattern | None = None) -> set[int]:
    """Indices of the figures that are not the clause's version's value: the first of "from X
    to Y" (the value before a change, which belongs to the version changed), and one after a
    lexicon `not_value_cues` phrase ("fixed, not at the million men")."""
    old = set()
    for j, q in enumerate(quantities):
        if not_value is not None and not_value.search(text, max(0, q.char_start - 40), q.char_start):
            old.add(j)
        if j + 1 < len(quantities) and (
                (_FROM.search(text, 0, q.char_start) and _TO.match(text[q.char_end:quantities[j + 1].char_start]))
                or _TO_DIRECTION.match(text[q.char_end:quantities[j + 1].char_start])):
            old.add(j)
    return old


def _changed_units(quantities: list, old: set[int]) -> list:
    """The new figure of a change takes the unit of the old one when it has none of its own
    ("from 28 points to 19", "the 28 points down to 19": 19 points)."""
    out = list(quantities)
    for j in sorted(old):
        if j + 1 < len(out) and out[j + 1].unit is None and out[j].unit:
            out[j + 1] = replace(out[j + 1], unit=out[j].unit)
    return out


def known_words(codebook_names: list[str]) -> frozenset[str]:
    """Lower-case words of the codebook's names (actors, places, plans): a plan qualified only by
    these may be a known version; one qualified by another name is not."""
    return frozenset(w.lower() for n in codebook_names for w in re.findall(r"[^\W\d_]+", n))


def find_plan_terms(sentences: pd.DataFrame, context: pd.DataFrame, provisions: list[Provision],
                    lexicon: Lexicon, plans: list[Plan] | None = None,
                    language: Language | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(terms under a codebook version, terms of a plan the codebook lacks). Both carry
    `confidence` and `basis`; the second names the plan as written in `candidate_plan`.
    `language`: the build's (dates are not figures); by default the lexicon's over English."""
    language = language or language_of(lexicon)
    compare = _comparison_break(tuple(lexicon.comparison_clause_words))
    ctx_ids, ctx_plans, ctx_basis, ctx_at = _columns(context, "sentence_id", "plan_id", "plan_basis",
                                                     "named_at")
    ctx_cands = context["candidates"].tolist() if "candidates" in context else [[] for _ in ctx_ids]
    doubt_of = dict(zip(ctx_ids, context["doubt"].tolist() if "doubt" in context else [{} for _ in ctx_ids],
                        strict=True))
    omitting_of = dict(zip(ctx_ids, context["omitting"].tolist(), strict=True)) if "omitting" in context else {}
    plan_of = dict(zip(ctx_ids, ctx_plans, strict=True))
    named_at = dict(zip(ctx_ids, ctx_at, strict=True))
    basis_of = dict(zip(ctx_ids, ctx_basis, strict=True))
    cands_of = dict(zip(ctx_ids, ctx_cands, strict=True))
    points_of = {p.id: p.points for p in plans or [] if p.points}
    by_points = {n: [pid for pid, m in points_of.items() if m == n] for n in set(points_of.values())}
    ids, sources, passages, kinds, starts, ends, texts = _columns(
        sentences, "sentence_id", "source_id", "passage_id", "kind", "char_start", "char_end", "text")
    index = TextIndex(texts)
    compiled = []
    for p in provisions:
        screens = [screen_of(x, re.IGNORECASE) for x in p.patterns]
        cands = [candidates(s, index) for s in screens]
        compiled.append((p, [s.regex for s in screens],
                         None if any(c is None for c in cands) else set().union(*cands)))
    rows: list[dict] = []
    unlinked: list[dict] = []
    seen: set[str] = set()
    anaphor = _phrase_regex(lexicon.provision_anaphora)
    # words after a figure that do not say what it counts ("600,000 in peacetime", "800,000
    # under the plan", "600,000 while ..."): the lexicon's function and boundary words
    function_words = frozenset(w.lower() for w in (*lexicon.stop_words, *lexicon.name_stop_words,
                                                   *lexicon.epithet_boundaries))
    not_value = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(
        lexicon.not_value_cues, key=len, reverse=True)) + r")\s+(?:\w+\s+){0,2}\Z", re.IGNORECASE) \
        if lexicon.not_value_cues else None
    previous: tuple[str, list[tuple[Provision, int]]] = ("", [])   # (passage, its provisions)
    header_of = table_rows(sources, passages, kinds, texts)
    in_table = set(header_of) | set(header_of.values())
    in_no_plan = _phrase_regex(lexicon.in_no_plan_cues) if lexicon.in_no_plan_cues else None
    for i, (sentence_id, kind, text) in enumerate(zip(ids, kinds, texts, strict=True)):
        plan_id = plan_of.get(sentence_id, "")
        others = cands_of.get(sentence_id) or []
        if kind not in AUTHORS_TEXT or not (plan_id or others) or i in in_table:
            continue     # a table's row is no sentence: its version is its column's (below)
        matched: list[tuple[Provision, int]] = []
        for prov, regexes, cand in compiled:
            if cand is not None and i not in cand:
                continue
            hits = [m.start() for r in regexes for m in [r.search(text)] if m]
            if hits:
                matched.append((prov, min(hits)))
        quantities = None     # read only when needed: most sentences here name no provision
        referred = ""
        if previous[0] == passages[i]:
            # "The 28-point plan set the ceiling at 600,000. The 19-point text raised it to
            # 800,000": a figure referred back to ("it", "the figure") counts what the
            # paragraph's previous sentence counted.
            here = {p.id for p, _ in matched}
            units = {p.unit for p, _ in matched if p.unit}
            before = [p for p, _ in previous[1] if p.unit and p.id not in here and p.unit not in units]
            ref = anaphor.search(text)
            if len(before) == 1 and ref:
                quantities = find_quantities(text, lexicon.unit_words, lexicon.reference_nouns,
                                             lexicon.label_suffixes, language)
                if any(q.unit in (None, before[0].unit) and q.value >= 10 for q in quantities):
                    matched.append((before[0], ref.start()))
                    referred = before[0].id
        if matched:
            previous = (passages[i], matched)
        else:
            previous = (passages[i], [])
            continue
        if quantities is None:
            quantities = find_quantities(text, lexicon.unit_words, lexicon.reference_nouns,
                                         lexicon.label_suffixes, language)
        old = _old_figures(text, quantities, not_value)
        if old:
            log.info("plan terms: %s: the 'from' figure of a change is left out (%s)", sentence_id,
                     ", ".join(quantities[j].text for j in sorted(old)))
        quantities = _changed_units(quantities, old)
        kept = [q for j, q in enumerate(quantities) if j not in old]
        values = _assign_values(matched, kept, text, function_words, tuple(lexicon.currency_symbols),
                                frozenset(w.lower() for w in lexicon.unit_modifiers))
        alternatives = _alternatives(text, [q for q in kept if q.unit in ("points", None)])
        hits_here = _clause_versions(named_at.get(sentence_id) or [], quantities, old, by_points)
        # "800,000, a figure the Geneva text does not mention": that plan owns none of the
        # sentence's figures, and one in its clause is filed under no version
        omitting = omitting_of.get(sentence_id) or []
        lacking = {p for _, p in omitting}
        if omitting:
            hits_here = [h for h in hits_here if (h[0], h[1]) not in set(omitting)]
        owner = "" if plan_id in lacking and plan_id not in {h[1] for h in hits_here} else plan_id
        prior = plan_of.get(ids[i - 1], "") if i and passages[i - 1] == passages[i] else ""
        if referred and not values.get(referred):
            # the provision referred back to was added only to take a figure: none came
            matched = [(p, at) for p, at in matched if p.id != referred]
        for prov, at in matched:
            # The same figure twice in a sentence is one term; ids count a provision's figures
            # in the sentence, so they hold while the number reader improves.
            figures = list({(v, u): (v, u, x) for v, u, x in reversed(values.get(prov.id) or [(None, None, at)])
                            }.values())[::-1]
            for k, (value, unit, pos) in enumerate(figures):
                if omitting:
                    c0, c1 = _clause_of(text, pos, compare)
                    if any(c0 <= at < c1 for at, _ in omitting):
                        log.info("plan terms: %s: %s is in a clause saying %s lacks it; filed under no "
                                 "version", sentence_id, prov.id, ", ".join(sorted(lacking)))
                        continue
                plan, basis_key, candidate = _version_of(
                    text, pos, value is not None, hits_here, others, owner, basis_of[sentence_id], compare,
                    "" if prior in lacking else prior)
                if referred == prov.id and basis_key not in ("clause", "clause-none", "unlinked"):
                    basis_key = "anaphora"
                if in_no_plan is not None and basis_key not in ("clause", "points", "unlinked") \
                        and in_no_plan.search(text):
                    # "Kyiv has floated 800,000, but that number appears in neither draft": only
                    # a version named in the figure's own clause may still own it
                    continue
                if value is not None and prov.unit == "points" and basis_key != "unlinked" \
                        and pos in alternatives:
                    continue    # "14 points or 12 points": neither is the version's count
                if value is not None and prov.unit == "points" and basis_key != "unlinked":
                    owners = by_points.get(int(value), []) if float(value).is_integer() else []
                    if len(owners) == 1:
                        plan, basis_key, candidate = owners[0], "points", ""
                    elif plan and plan in points_of and points_of[plan] != value:
                        plan, basis_key, candidate = "", "contradicts", f"{_num(value)}-point version"
                conf, basis = TERM_EVIDENCE[basis_key]
                reason = (doubt_of.get(sentence_id) or {}).get(plan, "") if plan else ""
                # a figure in the clause of a place that stands for a version ("in the Istanbul
                # talks ... proposed a force of 85,000") keeps its weight; anything else filed
                # through a bare place, or a bare count two plans share, is doubtful
                if reason and not (basis_key == "clause" and reason == PLACE_DOUBT):
                    conf, basis = min(conf, DOUBTFUL), f"{basis}; {reason}"
                row = {"provision_id": prov.id, "position": text.strip(), "value": value,
                       "unit": unit or "", "plan_basis": basis_of[sentence_id] if plan else "",
                       "source_id": sources[i], "passage_id": passages[i],
                       "char_start": starts[i], "char_end": ends[i], "confidence": conf,
                       "basis": basis, "candidate_plan": candidate}
                if not plan:
                    if candidate:
                        unlinked.append({"term_id": item_id(sources[i], text, "unlinked", prov.id, k),
                                         "plan_id": "", **row})
                    continue
                term_id = item_id(sources[i], text, "term", prov.id, *([k] if k else []))
                if term_id in seen:
                    log.info("plan terms: %s repeats a sentence of %s; kept the first",
                             sentence_id, sources[i])
                    continue
                seen.add(term_id)
                rows.append({"term_id": term_id, "plan_id": plan, **row})
    for i, h in header_of.items():
        if kinds[i] not in AUTHORS_TEXT:
            continue
        head_hits = [(at, p) for at, p, _ in named_at.get(ids[h]) or []]
        for prov, k, value, unit, plan, candidate in _table_figures(
                texts[i], texts[h], [(at, p) for at, p, _ in named_at.get(ids[i]) or []], head_hits,
                cands_of.get(ids[h]) or [], compiled, lexicon, language):
            conf, basis = TERM_EVIDENCE["table"]
            row = {"provision_id": prov.id, "position": texts[i].strip(), "value": value, "unit": unit,
                   "plan_basis": "table" if plan else "", "source_id": sources[i], "passage_id": passages[i],
                   "char_start": starts[i], "char_end": ends[i], "confidence": conf,
                   "basis": basis if plan else "plan the codebook lacks, in a table's column",
                   "candidate_plan": candidate}
            if not plan:
                unlinked.append({"term_id": item_id(sources[i], texts[i], "unlinked", prov.id, k),
                                 "plan_id": "", **row})
                continue
            term_id = item_id(sources[i], texts[i], "term", prov.id, *([k] if k else []))
            if term_id not in seen:
                seen.add(term_id)
                rows.append({"term_id": term_id, "plan_id": plan, **row})
    return (pd.DataFrame(rows, columns=TERM_COLUMNS),
            pd.DataFrame(unlinked, columns=TERM_COLUMNS).drop_duplicates("term_id"))


def table_rows(sources: list[str], passages: list[str], kinds: list[str], texts: list[str]) -> dict[int, int]:
    """The sentences that are a table's rows under its first (the header): a run of passages in
    a row, of one kind (a title "Talks | The Ledger" heads no table), each one sentence whose
    cells the reader set apart (TABLE_CELL). Row index -> header index. Neither the header nor
    the rows are read as sentences of the section."""
    out: dict[int, int] = {}
    header = -1
    n = len(texts)
    for i, text in enumerate(texts):
        alone = (i == 0 or passages[i - 1] != passages[i]) and (i + 1 == n or passages[i + 1] != passages[i])
        if TABLE_CELL not in text or not alone:
            header = -1
        elif header >= 0 and sources[i] == sources[i - 1] and kinds[i] == kinds[header] \
                and (i - 1 == header or i - 1 in out):
            out[i] = header
        else:
            header = i
    return out


def _cell(text: str, pos: int) -> int:
    return text.count(TABLE_CELL, 0, pos)


def _table_figures(row: str, header: str, row_hits: list[tuple[int, str]], head_hits: list[tuple[int, str]],
                   head_cands: list[tuple[int, str]], compiled: list, lexicon: Lexicon, language: Language
                   ) -> list[tuple[Provision, int, float, str, str, str]]:
    """(provision, index, value, unit, plan, candidate plan) of a table row's figures. The row's
    label (first cell) names the provision and the column's header the version ("Army ceiling |
    600,000 | ..." under "Provision | 28-point plan | ..."), or the other way round (a row per
    version, a column per provision). A row whose cells do not line up with the header's (an
    empty cell the reader left out) gives nothing, nor does a column naming no version or more
    than one; a column naming a plan the codebook lacks ("Kyiv's counter-proposal") gives the
    figure unlinked, as prose does."""
    cells, heads = row.split(TABLE_CELL), header.split(TABLE_CELL)
    if len(cells) != len(heads) or len(cells) < 2:
        return []

    def provisions(text: str) -> list[Provision]:
        return [p for p, regexes, _ in compiled if any(r.search(text) for r in regexes)]

    label_plans = {p for at, p in row_hits if _cell(row, at) == 0}
    # a label naming a version heads a row per version: the provision is the column's ("12-point
    # plan" is no row of point counts)
    label_provisions = [] if label_plans else provisions(cells[0])
    out = []
    counts: dict[str, int] = {}
    for q in find_quantities(row, lexicon.unit_words, lexicon.reference_nouns, lexicon.label_suffixes, language):
        j = _cell(row, q.char_start)
        if j == 0:
            continue
        provs = label_provisions or provisions(heads[j])
        plans = label_plans | {p for at, p in head_hits if _cell(header, at) == j}
        named = [name for at, name in head_cands if _cell(header, at) == j]
        if len(provs) != 1 or len(plans) + bool(named) != 1:
            continue
        prov = provs[0]
        if prov.unit and q.unit and q.unit != prov.unit:
            continue
        k = counts.get(prov.id, 0)
        counts[prov.id] = k + 1
        out.append((prov, k, float(q.value), q.unit or prov.unit or "", next(iter(plans), ""),
                    "" if plans else named[0]))
    return out


_OR = re.compile(r"\A\s*(?:points?\s+)?or\s+\Z")


def _clause_versions(hits: list[tuple[int, str, bool]], quantities: list, old: set[int],
                     by_points: dict[int, list[str]]) -> list[tuple[int, str, bool]]:
    """The versions a sentence names, for filing its figures: a count of points that is the old
    figure of a change ("took the 28 points down to 19") names the version changed, not the one
    the clause's other figures belong to; the new count names that one when a single version
    has it."""
    if not old:
        return hits
    gone = {quantities[j].char_start for j in old}
    out = [h for h in hits if h[0] not in gone]
    for j in old:
        if j + 1 < len(quantities) and quantities[j + 1].unit == "points":
            owners = by_points.get(int(quantities[j + 1].value), []) \
                if float(quantities[j + 1].value).is_integer() else []
            if len(owners) == 1:
                out.append((quantities[j + 1].char_start, owners[0], True))
    return sorted(set(out))


def _alternatives(text: str, quantities: list) -> set[int]:
    """Offsets of figures given as alternatives ("14 points or 12 points", "14 or 12 points")."""
    out = set()
    for q, nxt in zip(quantities, quantities[1:], strict=False):
        if _OR.match(text[q.char_end:nxt.char_start]):
            out |= {q.char_start, nxt.char_start}
    return out


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _version_of(text: str, pos: int, has_figure: bool, hits: list[tuple[int, str, bool]],
                others: list[tuple[int, str]], default: str, default_basis: str,
                compare: re.Pattern | None = None, prior: str = "") -> tuple[str, str, str]:
    """(plan id, evidence key, candidate plan) for a figure (or a provision without one) at
    `pos`: a plan the codebook lacks in its own clause wins (unlinked), then a version named in
    its clause, then the version named nearest in the sentence, then the section's. A version
    named only in a comparison ("It keeps the army at 800,000, well above the 600,000 of the
    28-point plan") is the measure the figure is compared with, never the figure's version."""
    c0, c1 = _clause_of(text, pos, compare)
    if compare is not None:
        spans = [_clause_of(text, m.end(), compare) for m in compare.finditer(text)]
        measures = {h[1] for h in hits if any(a <= h[0] < b and not a <= pos < b for a, b in spans)}
        hits = [h for h in hits if h[1] not in measures]
        if default in measures:
            # the section's version is this sentence's measure: the figure's is the one the
            # paragraph spoke of before ("It" = the previous sentence's plan), if any
            default = prior if prior not in measures else ""
    own = [h for h in hits if c0 <= h[0] < c1]
    # "Zelensky's 20-point plan ... is a counter-draft to the American one": the rival word says
    # what the version named before it is; "amendments to the 20-point framework": the count is
    # the version's own
    rival = [(abs(at - pos), name) for at, name in others if c0 <= at < c1
             and not any(h[0] < at and _COPULA.search(text, h[0], at) for h in own)]
    if rival and not any(h[0] == pos for h in own):
        return "", "unlinked", min(rival)[1]
    if own:
        return _nearest_plan(own, pos, own[0][1]) if len(own) > 1 else own[0][1], \
            "clause" if has_figure else "clause-none", ""
    if hits:
        return _nearest_plan(hits, pos, hits[0][1]) if len(hits) > 1 else hits[0][1], "sentence", ""
    if others:
        return default, "other-plan", ""
    return default, "headline" if default_basis == "headline" else "section", ""


def _nearest_plan(named_at: list[tuple[int, str]], at: int, default: str) -> str:
    """A sentence naming several versions: the provision belongs to the one named nearest to it
    ("from Istanbul to Anchorage to the twenty eight points")."""
    if len(named_at) < 2:
        return default
    return min(named_at, key=lambda hit: (abs(hit[0] - at), hit[0]))[1]


_COPULA = re.compile(r"\b(?:is|was|are|were|as)\s+(?:(?:a|an|the|its|their)\s+)?(?:[a-z]+\s+)?\Z")
_NEXT = re.compile(r"[^\S\n]+([A-Za-z]+)")


def _assign_values(matched: list[tuple[Provision, int]], quantities: list, text: str = "",
                   function_words: frozenset[str] = frozenset(),
                   currencies: tuple[str, ...] = (), measures: frozenset[str] = frozenset()
                   ) -> dict[str, list]:
    """Give each number to one provision: the one whose unit it carries, else the nearest
    provision without a unit (a bare number of thousands goes to a provision counted in troops).
    A number that counts a noun no provision counts ("two people familiar with the talks",
    "three hours of talks") is no provision's value. Each value is (value, unit, offset)."""
    out: dict[str, list] = {}
    for q in quantities:
        # "1,250 drones", "2,100 assaults", "5,000 square kilometres", "40,000 tonnes": a noun
        # right after a figure that is no unit the lexicon knows says what it counts
        counted = _NEXT.match(text, q.char_end) if q.unit is None and text else None
        if counted and counted.group(1)[0].isupper():     # "2,100 Russian assaults"
            counted = _NEXT.match(text, counted.end())
        money = any(text.endswith(c, 0, q.char_start) for c in currencies)
        # "38 billion cubic metres": a measure, a value for a provision without a unit of its own
        measure = bool(counted) and counted.group(1).lower() in measures
        if counted and counted.group(1).lower() not in function_words and not money and not measure \
                and counted.group(1)[0].islower():
            continue
        same_unit = [p for p, _ in matched if p.unit and p.unit == q.unit]
        if same_unit:
            target = same_unit[0]
        elif q.unit is None and q.value >= 1000 and not measure and not money \
                and any(p.unit == "troops" for p, _ in matched):
            target = next(p for p, _ in matched if p.unit == "troops")
        else:
            # a provision without a unit takes a figure of its own clause only ("ended two days
            # of talks ..., although the question of territory remains open": no territory figure)
            clause = _clause_of(text, q.char_start) if text else None
            free = [(abs(pos - q.char_start), p.id, p) for p, pos in matched
                    if not p.unit and (clause is None or _clause_of(text, pos) == clause)]
            if not free or q.unit == "points":
                continue
            target = min(free)[2]
        out.setdefault(target.id, []).append((float(q.value), q.unit or target.unit, q.char_start))
    return out
