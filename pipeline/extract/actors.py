"""Actor mentions: codebook aliases, transliteration near-misses, and people, organisations
and news media the codebook lacks.

All names come from the codebook or from the text; the engine only knows how names behave in
running text, and that knowledge (titles, reporting verbs, name particles, credit lines,
speaker labels...) is lexicon data (inputs/codebook/lexicon.yaml). A run of capitalised words
becomes a discovered actor only on a cue a reader would use: a title before it ("Press
Secretary Karoline Leavitt"), a reporting verb after it ("Maria Zakharova stated"), an
apposition (", who ...", ", the EU's top diplomat"), a transcript speaker label, or for news
media "X reported". A full name is one mention; only its last word is ever compared with
codebook surnames, so a given name ("Dmitri") never becomes another person ("Dmitriev").
A discovered person's surname then finds their later mentions ("Halvorsen said").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from pipeline.inputs import Actor, Lexicon, Place

log = logging.getLogger(__name__)

POSSESSIVE = r"(?:['’]s\b|['’](?!\w))?"
# Upper-case letters of the Latin scripts (ASCII, Latin-1, Latin Extended-A/B): a name token
# starts with one, so "Zielińska", "Ólafsdóttir" and "Łukasz" are names like "Smith".
_UPPER = "".join(c for c in map(chr, range(0x250)) if c.isupper())
UP = "[" + re.escape(_UPPER) + "]"
NAME_TOKEN = UP + r"[^\W\d_]*(?:['’\-]" + UP + r"?[^\W\d_]+)*"
CAPS_TOKEN = UP + r"[" + re.escape(_UPPER) + r"'’\-]+"
EPITHET_CUT = re.compile(r"[.;:!?()\"“”\n—]|,\s")
APPOSITIVE = re.compile(r",\s+([^,.;:()]{3,70})[,.;]")
POSSESSIVE_END = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class ActorMatcher:
    """Compiled once per codebook and lexicon; matching a text is then a few regex passes."""

    regex: re.Pattern
    lookup: dict[str, str]
    surnames: dict[str, str]
    threshold: float
    person_ids: frozenset[str]
    given_names: frozenset[str]
    cues: NameCues


@dataclass(frozen=True)
class NameCues:
    """The lexicon's knowledge of names in running text, compiled."""

    run: re.Pattern            # a run of capitalised words, particles allowed inside
    title_end: re.Pattern      # text ending in a title (or honorific): a name follows
    title_of: re.Pattern       # text ending in "<title> of (the)": "Secretary of State Marco Rubio"
    verb_after: re.Pattern     # ", said" / " has said" / " stated" right after a name
    media_after: re.Pattern    # " reported" right after a name
    cue_before: re.Pattern     # "said " / "according to " / "I'm " right before a name
    media_before: re.Pattern   # "reported by " / "broadcaster " right before a name
    apposition: re.Pattern     # ", who" / ", the ..." / ", chief executive" right after a name
    speaker: re.Pattern        # "MS. LEAVITT:" / "SERGEY LAVROV:" at the start of a paragraph
    credit: re.Pattern         # "(Reporting by ...", "Edited by ..." at the start of a sentence
    stop: frozenset[str]
    particles: frozenset[str]
    titles: frozenset[str]
    org_heads: frozenset[str]
    media_heads: frozenset[str]
    roles: frozenset[str]


def _alts(words: list[str] | tuple[str, ...]) -> str:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words) if words else r"(?!x)x"


def _cues(lexicon: Lexicon) -> NameCues:
    particles = _alts(lexicon.name_particles)
    run = re.compile(NAME_TOKEN + r"(?: (?:(?:" + particles + r") )*" + NAME_TOKEN + r")*")
    titles = [*lexicon.titles, *lexicon.honorifics]
    title_alt = _alts(titles)
    verbs = _alts(lexicon.subject_verbs)
    aux = _alts(lexicon.subject_aux)
    media_verbs = _alts(lexicon.media_verbs)
    return NameCues(
        run=run,
        title_end=re.compile(r"(?<![\w])(?:" + title_alt + r")s?,? $", re.IGNORECASE),
        title_of=re.compile(r"(?<![\w])(?:" + title_alt + r") of (?:the )?$", re.IGNORECASE),
        # "Marko Petrović of the University of Belgrade notes": an "of ..." phrase may come first.
        verb_after=re.compile(r"^(?:['’]s)?(?: of (?:the )?" + NAME_TOKEN + r"(?: (?:of |the |and |for )*"
                              + NAME_TOKEN + r")*)?,? (?:(?:" + aux + r") )*(?:" + verbs + r")\b"),
        media_after=re.compile(r"^,? (?:(?:" + aux + r") )*(?:" + media_verbs + r")\b"),
        cue_before=re.compile(r"(?<![\w])(?:" + _alts([*lexicon.name_cues_before]) + r") (?:the )?$",
                              re.IGNORECASE),
        media_before=re.compile(r"(?<![\w])(?:(?:" + media_verbs + r") by|according to|"
                                + _alts(lexicon.media_heads) + r") (?:the )?$", re.IGNORECASE),
        # ", who ...", ", the EU's top diplomat", ", deputy head of ...", ", a former diplomat"
        apposition=re.compile(r"^, (?:who|whose|the|a|an|(?:[\w'’-]+ ){0,3}?(?:" + title_alt + r"))\b",
                              re.IGNORECASE),
        speaker=re.compile(r"^(?:(?:" + _alts([h.upper() for h in lexicon.honorifics]) + r") )?("
                           + CAPS_TOKEN + r"(?: " + CAPS_TOKEN + r"){0,3}):\s"),
        credit=re.compile(r"^[(\[]?(?:" + _alts(lexicon.credit_markers) + r") "),
        stop=frozenset(w.lower() for w in lexicon.name_stop_words),
        particles=frozenset(lexicon.name_particles),
        titles=frozenset(t.lower() for t in titles),
        org_heads=frozenset(lexicon.organisation_heads),
        media_heads=frozenset(lexicon.media_heads),
        roles=frozenset(r.upper() for r in lexicon.speaker_roles),
    )


def build_matcher(actors: list[Actor], lexicon: Lexicon, threshold: float = 80.0) -> ActorMatcher:
    lookup: dict[str, str] = {}
    surname_owner: dict[str, set[str]] = {}
    given: set[str] = set()
    for actor in actors:
        for alias in [actor.name, *actor.aliases]:
            lookup.setdefault(alias, actor.id)
        if actor.type == "person":
            last = actor.name.split()[-1]
            surname_owner.setdefault(last, set()).add(actor.id)
            for name in [actor.name, *actor.aliases]:
                words = name.split()
                if len(words) >= 2 and words[-1] == last:
                    given.add(words[-2])
    for last, owners in surname_owner.items():
        if len(owners) == 1:
            lookup.setdefault(last, next(iter(owners)))
    aliases = sorted(lookup, key=len, reverse=True)
    pattern = r"(?<![\w])(" + "|".join(re.escape(a) for a in aliases) + r")" + POSSESSIVE + r"(?![\w])"
    surnames = {s: next(iter(o)) for s, o in surname_owner.items() if len(o) == 1 and len(s) >= 5}
    persons = frozenset(a.id for a in actors if a.type == "person")
    return ActorMatcher(re.compile(pattern) if aliases else re.compile(r"(?!x)x"), lookup, surnames,
                        threshold, persons, frozenset(given - set(surname_owner)), _cues(lexicon))


def _epithet(text: str, start: int, end: int, terms: re.Pattern | None, stops: frozenset[str]) -> str:
    """The title or label a source puts next to a name: "Kremlin negotiator Kirill Dmitriev",
    "US negotiator/bag man Steve Witkoff", "Steve Witkoff, the New York real estate ally"."""
    if terms is None:
        return ""
    raw = text[max(0, start - 90):start].rstrip()
    raw = raw[:-1] if raw.endswith(",") else raw  # "Deputy Foreign Minister, Sergei Ryabkov"
    words = EPITHET_CUT.split(raw)[-1].split()
    if words and words[-1][:1].isupper() and not terms.fullmatch(words[-1]) \
            and not any(m.end() == len(" ".join(words)) for m in terms.finditer(" ".join(words))):
        words = words[:-1]  # a first name between title and surname: "negotiator Kirill Dmitriev"
    found = ""
    tail = " ".join(words)
    last = None
    for last in terms.finditer(tail):  # noqa: B007 - we want the last match
        pass
    if last and last.end() == len(tail):
        head = len(tail[: last.start()].split())
        while head > 0 and words[head - 1].lower() not in stops and len(words) - head < 5:
            head -= 1
        found = " ".join(words[head:])
    after = APPOSITIVE.match(text[end:end + 100])
    if after and terms.search(after.group(1)):
        found = f"{found} | {after.group(1)}".strip(" |")
    return found


def slug(name: str) -> str:
    """An id part from a name, folded to ASCII: "Katarzyna Zielińska" -> "katarzyna-zielinska"."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def _surname(words: list[str], particles: frozenset[str]) -> str:
    """The family name of a full name: its last word with any particles before it."""
    i = len(words) - 1
    while i > 1 and words[i - 1] in particles:
        i -= 1
    return " ".join(words[i:])


@dataclass
class _Found:
    """A name run the cues accepted, waiting for the corpus-wide second pass."""

    row: dict
    name: str
    kind: str        # person | organisation | media
    how: str
    role: str = ""


@dataclass
class FirstPass:
    """What one source's sentences gave before the corpus-wide second pass: mention rows (actor
    ids still empty for discovered names), the names found, the lone surnames waiting for an
    owner, and per sentence (by position) the spans already taken. `found` and `singles` hold
    the very dicts of `rows`: keep them together (one pickle keeps them shared)."""

    rows: list[dict]
    found: list[_Found]
    singles: list[tuple[dict, str, bool]]
    taken_by: dict[int, list[tuple[int, int]]]
    sentences: int


def find_mentions(matcher: ActorMatcher, sentences: pd.DataFrame, text_by_source: dict[str, str],
                  lexicon: Lexicon, places: list[Place]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (mentions, auto actors) for the given sentences (all kinds; callers filter)."""
    return resolve_mentions(matcher, [first_pass(matcher, sentences, lexicon, places)], sentences, lexicon)


def first_pass(matcher: ActorMatcher, sentences: pd.DataFrame, lexicon: Lexicon,
               places: list[Place]) -> FirstPass:
    """The per-sentence pass over some sentences (one source's, in the per-source work): each
    sentence is read on its own, so passes over parts concatenate to the pass over the whole."""
    place_words = {a for p in places for a in [p.name, *p.aliases]}
    cues = matcher.cues
    terms = _terms_regex(tuple(lexicon.titles) + tuple(lexicon.epithets))
    stops = frozenset(w.lower() for w in lexicon.epithet_boundaries)
    rows: list[dict] = []
    found: list[_Found] = []
    singles: list[tuple[dict, str, bool]] = []    # (row, surname, titled): second pass
    taken_by: dict[int, list[tuple[int, int]]] = {}
    known: dict[str, str | None] = {}   # token -> _known_person(token): tokens repeat a lot

    def known_person(token: str) -> str | None:
        if token not in known:
            known[token] = _known_person(matcher, token)
        return known[token]

    def row(actor_id: str, sid: str, pid: str, s0: int, a: int, b: int, sentence: str, how: str) -> dict:
        return {"actor_id": actor_id, "source_id": sid, "passage_id": pid,
                "char_start": s0 + a, "char_end": s0 + b, "surface": sentence[a:b],
                "epithet": _epithet(sentence, a, b, terms, stops), "match": how}

    columns = [sentences[c].tolist() for c in ("source_id", "passage_id", "char_start", "text", "sentence_id")]
    for k, (sid, pid, s_start, sentence, sent_id) in enumerate(zip(*columns, strict=True)):
        taken: list[tuple[int, int]] = []
        alias_rows: dict[int, dict] = {}
        for m in matcher.regex.finditer(sentence):
            a, b = m.span(1)
            taken.append((a, b))
            r = row(matcher.lookup[m.group(1)], sid, pid, s_start, a, b, sentence, "alias")
            alias_rows[a] = r
            rows.append(r)
        credit = cues.credit.match(sentence)
        if credit and (len(credit.group()) > 3 or len(sentence.split()) <= 8):
            taken_by[k] = [(0, len(sentence))]
            continue  # a credit line or a short "By <name>" byline: the newsroom's names
        if str(sent_id).endswith(".s01"):
            sp = cues.speaker.match(sentence)
            if sp and sp.group(1) not in cues.roles and not any(
                    a < sp.end(1) and sp.start(1) < b for a, b in taken):
                a, b = sp.span(1)
                name = " ".join(w.capitalize() for w in sp.group(1).split())
                words = name.split()
                person = matcher.lookup.get(name) or known_person(words[-1])
                taken.append((a, b))
                if person:
                    rows.append(row(person, sid, pid, s_start, a, b, sentence, "speaker"))
                elif len(words) >= 2:
                    r = row("", sid, pid, s_start, a, b, sentence, "speaker")
                    found.append(_Found(r, name, "person", "speaker"))
                    rows.append(r)
                else:
                    r = row("", sid, pid, s_start, a, b, sentence, "speaker")
                    singles.append((r, name, True))
                    rows.append(r)
        accepted: list[tuple[int, int, str]] = []   # (start, end, kind) of names accepted here
        pending: list[tuple[int, int, list[str]]] = []
        for m in cues.run.finditer(sentence):
            a, b = m.span()
            if b - a < 2 or (" " not in m.group() and m.group().lower() in cues.stop):
                continue   # most runs are one capitalised word opening the sentence
            if any(ta <= a and b <= tb for ta, tb in taken):
                continue   # all of it is a codebook alias
            for seg in _segments(m, taken):
                _one_run(seg, sentence, sid, pid, s_start, cues, matcher, place_words, taken,
                         alias_rows, rows, found, singles, accepted, pending, known_person, row)
        # "Chief negotiators Valentina Rocha and Kenji Morimoto": a name joined by "and" to an
        # accepted person is a person too.
        for a, b, words in pending:
            if any(kind == "person" and (sentence[e:a] == " and " or sentence[b:s] == " and ")
                   for s, e, kind in accepted):
                r = row("", sid, pid, s_start, a, b, sentence, "coordinated")
                found.append(_Found(r, " ".join(words), "person", "coordinated"))
                rows.append(r)
                taken.append((a, b))
        taken_by[k] = taken
    return FirstPass(rows, found, singles, taken_by, len(sentences))


def resolve_mentions(matcher: ActorMatcher, passes: list[FirstPass], sentences: pd.DataFrame,
                     lexicon: Lexicon) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The corpus-wide part: discovered names become actors (one per name, a surname going to
    the one full name the corpus gives it), then later mentions by surname. `passes` cover
    `sentences` in order."""
    rows: list[dict] = []
    found: list[_Found] = []
    singles: list[tuple[dict, str, bool]] = []
    taken_by: dict[int, list[tuple[int, int]]] = {}
    offset = 0
    for p in passes:
        rows += p.rows
        found += p.found
        singles += p.singles
        taken_by.update({offset + k: v for k, v in p.taken_by.items()})
        offset += p.sentences
    cues = matcher.cues
    terms = _terms_regex(tuple(lexicon.titles) + tuple(lexicon.epithets))
    stops = frozenset(w.lower() for w in lexicon.epithet_boundaries)

    def row(actor_id: str, sid: str, pid: str, s0: int, a: int, b: int, sentence: str, how: str) -> dict:
        return {"actor_id": actor_id, "source_id": sid, "passage_id": pid,
                "char_start": s0 + a, "char_end": s0 + b, "surface": sentence[a:b],
                "epithet": _epithet(sentence, a, b, terms, stops), "match": how}

    autos = _name_autos(found, cues)
    _second_pass(matcher, sentences, taken_by, autos, singles, rows, cues, row)
    rows = [r for r in rows if r["actor_id"]]
    mentions = pd.DataFrame(rows, columns=["actor_id", "source_id", "passage_id", "char_start",
                                           "char_end", "surface", "epithet", "match"])
    used = set(mentions["actor_id"])
    auto = pd.DataFrame([a for a in autos.values() if a["actor_id"] in used],
                        columns=["actor_id", "name", "type", "affiliation", "role", "aliases"])
    return mentions, auto


def _segments(m: re.Match, taken: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The run's word spans, cut where a codebook alias already took words."""
    base, end = m.span()
    spans, pos = [], base
    for word in m.group().split(" "):
        spans.append((pos, pos + len(word)))
        pos += len(word) + 1
    inside = [(ta, tb) for ta, tb in taken if ta < end and base < tb]
    if not inside:
        return [spans]
    out: list[list[tuple[int, int]]] = [[]]
    for a, b in spans:
        if any(a < tb and ta < b for ta, tb in inside):
            out.append([])
        else:
            out[-1].append((a, b))
    return [s for s in out if s]


def _one_run(seg: list[tuple[int, int]], sentence: str, sid: str, pid: str, s0: int, cues: NameCues,
             matcher: ActorMatcher, place_words: set[str], taken: list[tuple[int, int]],
             alias_rows: dict[int, dict], rows: list[dict], found: list[_Found],
             singles: list[tuple[dict, str, bool]], accepted: list[tuple[int, int, str]],
             pending: list, known_person, row) -> None:
    """Decide what one run of capitalised words is: part of a codebook name, a discovered
    person, organisation or medium, a near-miss spelling of a codebook surname, or nothing."""
    words = [sentence[a:b] for a, b in seg]
    # Edges that are sentence openers, dates or titles: "On Tuesday", "Press Secretary".
    while seg and words[0].lower() in cues.stop:
        seg, words = seg[1:], words[1:]
    while seg and (words[-1].lower() in cues.stop or words[-1] in cues.particles):
        seg, words = seg[:-1], words[:-1]
    if not seg or words[-1].lower() in cues.titles:
        return   # a title without a name ("the Foreign Minister", "Press Secretary")
    titled = False
    for i in range(len(seg) - 1, -1, -1):       # the longest title ending before a name word
        if cues.title_end.search(sentence[max(0, seg[i][0] - 60):seg[i][0]]):
            seg, words, titled = seg[i:], words[i:], True
            break
    if not titled and len(seg) >= 3 and cues.title_of.search(sentence[max(0, seg[0][0] - 60):seg[0][0]]):
        seg, words, titled = seg[-2:], words[-2:], True   # "Minister of Foreign Trade Lucía Ferreyra"
    while seg and words[0].lower() in cues.titles:
        seg, words = seg[1:], words[1:]
    if not seg:
        return
    a, b = seg[0][0], seg[-1][1]
    last = POSSESSIVE_END.sub("", words[-1])
    if last != words[-1]:
        b -= len(words[-1]) - len(last)
        words[-1] = last
    name = " ".join(words)
    if name in place_words or any(w in place_words for w in words) or len(last) < 2:
        return
    before, after = sentence[max(0, a - 60):a], sentence[b:b + 60]
    # "Dmitri Peskov", "Sergey Lavrov": given names right before a codebook surname are part
    # of that one mention, never a person of their own.
    nxt = alias_rows.get(b + 1)
    if nxt is not None and len(words) <= 2 and sentence[b] == " " and nxt["actor_id"] in matcher.person_ids \
            and " " not in nxt["surface"]:
        nxt["char_start"] = s0 + a
        nxt["surface"] = sentence[a:nxt["char_end"] - s0]
        taken.append((a, b))
        return
    # A codebook person under another spelling: only the last word is a surname candidate.
    person = None if set(words) & (cues.org_heads | cues.media_heads) else known_person(last)
    if person:
        log.info("fuzzy match %r -> %s (%s)", name, person, sid)
        start = a if len(words) <= 3 else seg[-1][0]
        taken.append((start, b))
        rows.append(row(person, sid, pid, s0, start, b, sentence, "fuzzy"))
        accepted.append((start, b, "person"))
        return
    has = set(words)
    media = bool(has & cues.media_heads) or bool(cues.media_before.search(before))
    org = bool(has & cues.org_heads)
    speaks = bool(cues.verb_after.match(after))
    reports = bool(cues.media_after.match(after))
    if (reports and (len(words) == 1 or media)) or (media and (speaks or reports)):
        _accept(found, rows, accepted, taken, row("", sid, pid, s0, a, b, sentence, "media"),
                name, "media", a, b)
        return
    if org:
        if speaks or reports:
            _accept(found, rows, accepted, taken, row("", sid, pid, s0, a, b, sentence, "cue"),
                    name, "organisation", a, b)
        return
    person_cue = titled or speaks or bool(cues.apposition.match(after)) or bool(cues.cue_before.search(before))
    if len(words) == 1:
        # One word is a person only as the surname of someone the text names in full, or
        # right after a title ("Secretary Rubio"); second pass.
        if person_cue:
            r = row("", sid, pid, s0, a, b, sentence, "title" if titled else "cue")
            singles.append((r, last, titled))
            rows.append(r)
            taken.append((a, b))
            accepted.append((a, b, "person"))
        return
    if len(words) > 4:
        return
    if person_cue:
        _accept(found, rows, accepted, taken, row("", sid, pid, s0, a, b, sentence,
                                                   "title" if titled else "cue"), name, "person", a, b)
    else:
        pending.append((a, b, words))


def _accept(found: list[_Found], rows: list[dict], accepted: list, taken: list, r: dict, name: str,
            kind: str, a: int, b: int) -> None:
    found.append(_Found(r, name, kind, r["match"]))
    rows.append(r)
    accepted.append((a, b, kind))
    taken.append((a, b))


def _name_autos(found: list[_Found], cues: NameCues) -> dict[str, dict]:
    """Discovered actors, one per name; their ids are written into their mention rows."""
    autos: dict[str, dict] = {}
    full: dict[str, set[str]] = {}   # surname -> full names: "Von der Leyen said" is Ursula's
    for f in found:
        words = f.name.split()
        if f.kind == "person" and _surname(words, cues.particles) != f.name:
            full.setdefault(_surname(words, cues.particles).lower(), set()).add(f.name)
    for f in found:
        owners = full.get(f.name.lower(), set()) if f.kind == "person" else set()
        name = next(iter(owners)) if len(owners) == 1 else f.name
        actor_id = "auto-" + (slug(name) or "name")
        f.row["actor_id"] = actor_id
        if actor_id not in autos:
            words = f.name.split()
            alias = _surname(words, cues.particles) if f.kind == "person" else ""
            autos[actor_id] = {"actor_id": actor_id, "name": f.name, "type": f.kind,
                               "affiliation": "", "role": f.row.get("epithet", "").split(" | ")[0],
                               "aliases": alias}
    return autos


def _second_pass(matcher: ActorMatcher, sentences: pd.DataFrame, taken_by: dict[int, list],
                 autos: dict[str, dict], singles: list[tuple[dict, str, bool]], rows: list[dict],
                 cues: NameCues, row) -> None:
    """Later mentions of discovered people by surname alone. With a cue ("Halvorsen said",
    "Secretary Rubio", "DUMONT:") the person may be named in full in another source, if only
    one found person has that surname; a bare surname ("Hegseth did not") only in its own."""
    by_source: dict[tuple[str, str], set[str]] = {}
    anywhere: dict[str, set[str]] = {}
    people = [a for a in autos.values() if a["type"] == "person" and a["aliases"]]
    src_of: dict[str, set[str]] = {}
    for r in rows:
        if r["actor_id"] in autos:
            src_of.setdefault(r["actor_id"], set()).add(r["source_id"])
    for a in people:
        for s in src_of.get(a["actor_id"], ()):
            by_source.setdefault((s, a["aliases"].lower()), set()).add(a["actor_id"])
        anywhere.setdefault(a["aliases"].lower(), set()).add(a["actor_id"])

    def owner(sid: str, surname: str, local_only: bool = False) -> str | None:
        local = by_source.get((sid, surname.lower()), set())
        if len(local) == 1:
            return next(iter(local))
        glob = anywhere.get(surname.lower(), set())
        return next(iter(glob)) if len(glob) == 1 and not local and not local_only else None

    for r, surname, titled in singles:
        actor_id = owner(r["source_id"], surname)
        if actor_id is None and not titled:
            continue   # left without an actor id: dropped
        if actor_id is None:
            actor_id = "auto-" + (slug(surname) or "name")
            autos.setdefault(actor_id, {"actor_id": actor_id, "name": surname, "type": "person",
                                        "affiliation": "", "role": r["epithet"].split(" | ")[0],
                                        "aliases": surname})
            anywhere.setdefault(surname.lower(), {actor_id})
        r["actor_id"] = actor_id
    names = sorted({a["aliases"] for a in people if a["aliases"].lower() not in cues.stop
                    and len(a["aliases"]) >= 3 and a["aliases"] not in matcher.lookup})
    if not names:
        return
    variants = sorted({v for n in names for v in (n, n[0].upper() + n[1:])}, key=len, reverse=True)
    regex = re.compile(r"(?<![\w])(" + "|".join(re.escape(v) for v in variants) + r")" + POSSESSIVE + r"(?![\w])")
    # A bare surname counts only for a person of its own source: each source looks for its own
    # people's surnames (the whole regex still runs where one is present, so a longer name
    # elsewhere in the corpus keeps its words), which keeps this pass linear in the corpus.
    spellings: dict[str, list[str]] = {}
    for n in names:
        spellings.setdefault(n.lower(), []).extend((n, n[0].upper() + n[1:]))
    local: dict[str, list[str]] = {}
    for s, low in by_source:
        local.setdefault(s, []).extend(spellings.get(low, ()))
    cols = [sentences[c].tolist() for c in ("source_id", "passage_id", "char_start", "text")]
    for k, (sid, pid, s0, sentence) in enumerate(zip(*cols, strict=True)):
        if not any(v in sentence for v in local.get(sid, ())):
            continue
        taken = taken_by.get(k, [])
        for m in regex.finditer(sentence):
            a, b = m.span(1)
            if any(a < tb and ta < b for ta, tb in taken):
                continue
            actor_id = owner(sid, m.group(1), local_only=True)   # a bare word: this text's people only
            if actor_id:
                taken.append((a, b))
                rows.append(row(actor_id, sid, pid, s0, a, b, sentence, "surname"))


def _known_person(matcher: ActorMatcher, token: str) -> str | None:
    """A surname, or a transliteration a letter or two away from one (Zelenskyy, Peskow); never
    a given name ("Dmitri" is not "Dmitriev": a surname's shorter start is a first name)."""
    from rapidfuzz import fuzz, process

    token = POSSESSIVE_END.sub("", token)
    if token in matcher.lookup and token in matcher.surnames:
        return matcher.surnames[token]
    if len(token) < 5 or token in matcher.given_names:
        return None
    best = process.extractOne(token, list(matcher.surnames), scorer=fuzz.ratio,
                              score_cutoff=matcher.threshold)
    if not best or best[0][0] != token[0] or abs(len(best[0]) - len(token)) > 2:
        return None
    if best[0].startswith(token) and len(best[0]) - len(token) >= 2:
        return None
    if matcher.given_names:
        given = process.extractOne(token, list(matcher.given_names), scorer=fuzz.ratio)
        if given and given[1] >= best[1]:
            return None
    return matcher.surnames[best[0]]


@lru_cache(maxsize=8)
def _terms_regex(terms: tuple[str, ...]) -> re.Pattern | None:
    if not terms:
        return None
    alts = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + alts + r")(?![\w])", re.IGNORECASE)
