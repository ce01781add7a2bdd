"""Actor mentions: codebook aliases, transliteration near-misses, and titled unknown people.

All names come from the codebook; the engine only knows how names behave in English text
(possessives, surnames, titles in front of names).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from pipeline.config import Actor, Lexicon, Place
from pipeline.extract.screen import fold

log = logging.getLogger(__name__)

POSSESSIVE = r"(?:['’]s\b|['’](?!\w))?"
NAME_TOKEN = r"[A-Z][a-zà-ÿ'’\-]+"
STOP_BEFORE = frozenset((
    "the a an and or with by of to from that in on for but as when while said says was is were are "
    "who which after before at than then").split())
EPITHET_CUT = re.compile(r"[.;:!?()\"“”\n—]|,\s")
APPOSITIVE = re.compile(r",\s+([^,.;:()]{3,70})[,.;]")
POSSESSIVE_END = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class ActorMatcher:
    """Compiled once per codebook; matching a text is then one regex pass plus a fuzzy check."""

    regex: re.Pattern
    lookup: dict[str, str]
    surnames: dict[str, str]
    title_regex: re.Pattern | None
    token_regex: re.Pattern
    threshold: float


def build_matcher(actors: list[Actor], lexicon: Lexicon, threshold: float = 80.0) -> ActorMatcher:
    lookup: dict[str, str] = {}
    surname_owner: dict[str, set[str]] = {}
    for actor in actors:
        for alias in [actor.name, *actor.aliases]:
            lookup.setdefault(alias, actor.id)
        if actor.type == "person":
            last = actor.name.split()[-1]
            surname_owner.setdefault(last, set()).add(actor.id)
    for last, owners in surname_owner.items():
        if len(owners) == 1:
            lookup.setdefault(last, next(iter(owners)))
    aliases = sorted(lookup, key=len, reverse=True)
    pattern = r"(?<![\w])(" + "|".join(re.escape(a) for a in aliases) + r")" + POSSESSIVE + r"(?![\w])"
    titles = sorted(lexicon.titles, key=len, reverse=True)
    title_regex = None
    if titles:
        title_regex = re.compile(
            r"\b(?i:(" + "|".join(re.escape(t) for t in titles) + r"))\b,?\s+"
            r"(" + NAME_TOKEN + r"(?:\s+" + NAME_TOKEN + r"){1,2})")
    surnames = {s: next(iter(o)) for s, o in surname_owner.items() if len(o) == 1 and len(s) >= 5}
    return ActorMatcher(re.compile(pattern) if aliases else re.compile(r"(?!x)x"), lookup, surnames,
                        title_regex, re.compile(NAME_TOKEN), threshold)


def _epithet(text: str, start: int, end: int, terms: re.Pattern | None) -> str:
    """The title or label a source puts next to a name: "Kremlin negotiator Kirill Dmitriev",
    "US negotiator/bag man Steve Witkoff", "Steve Witkoff, the New York real estate ally"."""
    if terms is None:
        return ""
    raw = text[max(0, start - 90):start].rstrip()
    raw = raw[:-1] if raw.endswith(",") else raw  # "Deputy Foreign Minister, Sergei Ryabkov"
    words = EPITHET_CUT.split(raw)[-1].split()
    if words and words[-1][:1].isupper() and not terms.fullmatch(words[-1]):
        words = words[:-1]  # a first name between title and surname: "negotiator Kirill Dmitriev"
    found = ""
    tail = " ".join(words)
    last = None
    for last in terms.finditer(tail):  # noqa: B007 - we want the last match
        pass
    if last and last.end() == len(tail):
        head = len(tail[: last.start()].split())
        while head > 0 and words[head - 1].lower() not in STOP_BEFORE and len(words) - head < 5:
            head -= 1
        found = " ".join(words[head:])
    after = APPOSITIVE.match(text[end:end + 100])
    if after and terms.search(after.group(1)):
        found = f"{found} | {after.group(1)}".strip(" |")
    return found


def find_mentions(matcher: ActorMatcher, sentences: pd.DataFrame, text_by_source: dict[str, str],
                  lexicon: Lexicon, places: list[Place]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (mentions, auto actors) for the given sentences (all kinds; callers filter)."""
    place_words = {a for p in places for a in [p.name, *p.aliases]}
    rows: list[dict] = []
    autos: dict[str, dict] = {}
    terms = _terms_regex(tuple(lexicon.titles) + tuple(lexicon.epithets))
    # A titled name needs one of the titles (any case) in the sentence: a substring test
    # rules most sentences out before the title regex runs.
    lowered = sorted({t.lower() for t in lexicon.titles}, key=len)
    titles = tuple(t for i, t in enumerate(lowered) if not any(u in t for u in lowered[:i]))
    known: dict[str, str | None] = {}   # token → _known_person(token): tokens repeat a lot

    def known_person(token: str) -> str | None:
        if token not in known:
            known[token] = _known_person(matcher, token)
        return known[token]

    columns = [sentences[c].tolist() for c in ("source_id", "passage_id", "char_start", "text")]
    for sid, pid, s_start, sentence in zip(*columns, strict=True):
        taken: list[tuple[int, int]] = []
        for m in matcher.regex.finditer(sentence):
            a, b = m.span(1)
            taken.append((a, b))
            rows.append(_row(matcher.lookup[m.group(1)], sid, pid, s_start, a, b, sentence,
                             terms, "alias"))
        folded = fold(sentence)
        if matcher.title_regex is not None and (folded is None or any(t in folded for t in titles)):
            for m in matcher.title_regex.finditer(sentence):
                a, b = m.span(2)
                if any(a < tb and ta < b for ta, tb in taken):
                    continue
                name = m.group(2)
                if name in place_words or any(tok in place_words for tok in name.split()):
                    continue
                person = known_person(name.split()[-1])
                if person:
                    log.info("fuzzy match %r -> %s (%s)", name, person, sid)
                    taken.append((a, b))
                    rows.append(_row(person, sid, pid, s_start, a, b, sentence, terms, "fuzzy"))
                    continue
                actor_id = "auto-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
                autos.setdefault(actor_id, {"actor_id": actor_id, "name": name, "type": "person",
                                            "affiliation": "", "role": m.group(1),
                                            "aliases": name.split()[-1]})
                taken.append((a, b))
                rows.append(_row(actor_id, sid, pid, s_start, a, b, sentence, terms, "title"))
        for m in matcher.token_regex.finditer(sentence):
            a, b = m.span()
            if b - a < 5 or any(a < tb and ta < b for ta, tb in taken):
                continue  # (a token shorter than 5 is never a near-miss surname, see below)
            token = POSSESSIVE_END.sub("", m.group())
            if len(token) < 5 or token in matcher.lookup:
                continue
            actor_id = known_person(token)
            if actor_id:
                log.info("fuzzy match %r -> %s (%s)", token, actor_id, sid)
                rows.append(_row(actor_id, sid, pid, s_start, a, a + len(token), sentence,
                                 terms, "fuzzy"))
    mentions = pd.DataFrame(rows, columns=["actor_id", "source_id", "passage_id", "char_start",
                                           "char_end", "surface", "epithet", "match"])
    auto = pd.DataFrame(list(autos.values()),
                        columns=["actor_id", "name", "type", "affiliation", "role", "aliases"])
    return mentions, auto


def _known_person(matcher: ActorMatcher, token: str) -> str | None:
    """A surname, or a transliteration a letter or two away from one (Zelenskyy, Peskow)."""
    from rapidfuzz import fuzz, process

    token = POSSESSIVE_END.sub("", token)
    if token in matcher.lookup and token in matcher.surnames:
        return matcher.surnames[token]
    if len(token) < 5:
        return None
    best = process.extractOne(token, list(matcher.surnames), scorer=fuzz.ratio,
                              score_cutoff=matcher.threshold)
    if best and best[0][0] == token[0] and abs(len(best[0]) - len(token)) <= 2:
        return matcher.surnames[best[0]]
    return None


def _row(actor_id: str, sid: str, pid: str, s_start: int, a: int, b: int, sentence: str,
         terms: re.Pattern | None, how: str) -> dict:
    return {"actor_id": actor_id, "source_id": sid, "passage_id": pid,
            "char_start": s_start + a, "char_end": s_start + b, "surface": sentence[a:b],
            "epithet": _epithet(sentence, a, b, terms), "match": how}


@lru_cache(maxsize=8)
def _terms_regex(terms: tuple[str, ...]) -> re.Pattern | None:
    if not terms:
        return None
    alts = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + alts + r")(?![\w])", re.IGNORECASE)
