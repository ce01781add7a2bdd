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

Organisations the codebook lacks are found by the words around them, never by their shape
alone: a member noun after the name ("an AFP journalist", "a Boeing spokesman"), an
organisation noun before it ("the militant group Hamas"), an acronym defined in brackets or
used as the subject of a speaking verb. One name is one actor: a name that starts or ends
another found in the same source ("Abdel Karim" / "Abdel Karim al-Nasser", "Ali Kaya" /
"Mehmet Ali Kaya") and an all-caps speaker label with a title ("MINISTER HALVORSEN:") are
mentions of the longer name. A codebook organisation matches only where the words that
qualify it in the text agree with it ("Ukraine's National Security Council" is not Russia's
"Security Council"). A source's own outlet is mentioned but not a participant of what it
reports (mentions' `participant` column). Every discovered actor and every mention carries a
`confidence` (0-1) and a `basis` in words.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from pipeline.extract.screen import longest_first
from pipeline.inputs import Actor, Lexicon, Place
from pipeline.language import language_of
from pipeline.vocab import ActorType, PassageKind

log = logging.getLogger(__name__)

POSSESSIVE = r"(?:['’]s\b|['’](?!\w))?"
# Upper-case letters of the Latin scripts (ASCII, Latin-1, Latin Extended-A/B): a name token
# starts with one, so "Zielińska", "Ólafsdóttir" and "Łukasz" are names like "Smith".
_UPPER = "".join(c for c in map(chr, range(0x250)) if c.isupper())
UP = "[" + re.escape(_UPPER) + "]"
NAME_TOKEN = UP + r"[^\W\d_]*(?:['’\-]" + UP + r"?[^\W\d_]+)*"
CAPS_TOKEN = UP + r"[" + re.escape(_UPPER) + r"'’\-]+"
ACRONYM = r"(?<![\w-])([A-Z][A-Z&]{1,5}s?)(?![\w-])"
# ... with digits: "G7", "G20", "M12", "P5+1" (one or two letters: "SGD1" is money)
DIGIT_ACRONYM = r"[A-Z]{1,2}\d{1,2}(?:\+\d)?(?![\w+-])"
_ACRONYM_WORD = re.compile(r"[A-Z][A-Z&]{1,5}s?|" + DIGIT_ACRONYM)
EPITHET_CUT = re.compile(r"[.;:!?()\"“”\n—]|,\s|\s[-–]\s")   # ("Nov 30 - President Clinton": a spaced dash)
APPOSITIVE = re.compile(r",\s+([^,.;:()]{3,70})[,.;]")
POSSESSIVE_END = re.compile(r"['’][sS]?$")   # ("NASA'S Kathy Lueders": an all-caps owner)


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
    words_of: dict[str, frozenset[str]]   # actor id -> words of its names, role and affiliation
    media_ids: frozenset[str] = frozenset()   # the codebook's news media


@dataclass(frozen=True)
class NameCues:
    """The lexicon's knowledge of names in running text, compiled."""

    run: re.Pattern            # a run of capitalised words, particles allowed inside
    title_end: re.Pattern      # text ending in a title (or honorific): a name follows
    title_of: re.Pattern       # text ending in "<title> of (the)": "Secretary of State Marco Rubio"
    verb_after: re.Pattern     # ", said" / " has said" / " stated" right after a name
    acts_after: re.Pattern     # " signed" / " has approved": a lower-case past form right after a name
    media_after: re.Pattern    # " reported" right after a name
    cue_before: re.Pattern     # "said " / "according to " / "I'm " right before a name
    media_before: re.Pattern   # "reported by " / "broadcaster " right before a name
    according_before: re.Pattern   # "according to " right before a name, no article between
    apposition: re.Pattern     # ", who" / ", the ..." / ", chief executive" right after a name
    speaker: re.Pattern        # "MS. LEAVITT:" / "SERGEY LAVROV:" at the start of a paragraph
    credit: re.Pattern         # "(Reporting by ...", "Edited by ..." at the start of a sentence
    stop: frozenset[str]
    particles: frozenset[str]
    titles: frozenset[str]
    org_heads: frozenset[str]
    media_heads: frozenset[str]
    roles: frozenset[str]
    role_words: frozenset[str]
    member_after: re.Pattern   # "<X> journalist" / "<X>'s spokesman": X is an organisation
    media_members: frozenset[str]
    member_words: frozenset[str]
    org_before: re.Pattern     # "the militant group <X>": X is an organisation
    acronym_before: re.Pattern  # "diplomats from the " / "tabled by ": an acronym after is an organisation
    org_after: re.Pattern      # ", the anti-corruption group that": the name before is an organisation
    org_noun_next: re.Pattern  # " carrier": a name right before an organisation noun modifies it
    rival_before: re.Pattern   # "rival ", "partner ": organisation nouns said of people too
    adjective_before: re.Pattern   # "the official ", "her official ": a determiner and one lower-case word
    org_openers: frozenset[str]  # "Jabhat", "Harakat": a name opening with one is an organisation's
    name_determiner: re.Pattern  # "the " / "whose " right before a name: with an organisation head, an organisation
    states: frozenset[str]     # names of the world's states ("Norway", "Saudi Arabia")
    state_before: re.Pattern   # "the government of " / "Foreign Minister of " right before a state's name
    state_cue_ends: frozenset[tuple[str]]   # the last words of those cues ("of",): a cheap test first
    state_place: re.Pattern    # "in " / "between Italy and " right before a state's name: a place
    not_orgs: frozenset[str]
    not_org_heads: frozenset[str]
    thing_openers: frozenset[str]
    corporate: frozenset[str]
    place_before: re.Pattern
    demonym: re.Pattern
    office_owned: re.Pattern   # "'s Foreign Minister": the owner of an office
    past_verb: re.Pattern      # " gave", " signed": a verb in the past right after a word


def _alts(words: list[str] | tuple[str, ...]) -> str:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words) if words else r"(?!x)x"


def _cues(lexicon: Lexicon) -> NameCues:
    language = language_of(lexicon)
    particles = _alts(lexicon.name_particles)
    # "al-Nasser", "bin-Salman": a particle glued by a hyphen to a name is a name word too.
    token = r"(?:" + DIGIT_ACRONYM + r"|" + NAME_TOKEN + r"|(?:" + particles + r")-" + NAME_TOKEN + r")"
    run = re.compile(token + r"(?: (?:(?:" + particles + r") )*" + token + r")*")
    titles = [*lexicon.titles, *lexicon.honorifics]
    title_alt = _alts(titles)
    verbs = _alts(lexicon.subject_verbs)
    aux = _alts(lexicon.subject_aux)
    media_verbs = _alts(lexicon.media_verbs)
    return NameCues(
        run=run,
        title_end=re.compile(r"(?<![\w])(?:" + title_alt + r")s?,? $", re.IGNORECASE),
        # ("Minister of State at the Ministry of Foreign Affairs", "an economist at the Institute")
        title_of=re.compile(r"(?<![\w])(?:" + title_alt + r") (?:of|for|at) (?:the )?$", re.IGNORECASE),
        # "Marko Petrović of the University of Belgrade notes": an "of ..." phrase may come first.
        acts_after=re.compile(r"(?:['’]s)?(?:(?: (?:" + aux + r"))* [a-z]{2,}(?:"
                              + "|".join(re.escape(x) for x in lexicon.past_suffixes or ["ed"]) + r")\b"
                              + r"| (?:" + _alts(lexicon.modal_verbs) + r")(?: not)?(?: [a-z]+ly)? (?!(?:"
                              + _alts(lexicon.modal_non_actions) + r")\b)[a-z]{3,}\b)"),
        verb_after=re.compile(r"^(?:['’]s)?(?: of (?:the )?" + NAME_TOKEN + r"(?: (?:of |the |and |for )*"
                              + NAME_TOKEN + r")*)?,? (?:(?:" + aux + r") )*(?:" + verbs + r")\b"),
        media_after=re.compile(r"^,? (?:(?:" + aux + r") )*(?:" + media_verbs + r")\b"),
        cue_before=re.compile(r"(?<![\w])(?:" + _alts([*lexicon.name_cues_before]) + r") (?:the )?$",
                              re.IGNORECASE),
        according_before=re.compile(r"(?<![\w])according to $", re.IGNORECASE),
        media_before=re.compile(r"(?<![\w])(?:(?:" + media_verbs + r") by|according to|"
                                + _alts(lexicon.media_heads) + r") (?:the )?$", re.IGNORECASE),
        # ", who ...", ", the EU's top diplomat", ", deputy head of ...", ", a former diplomat"
        office_owned=re.compile(r"['’]s (?:[A-Za-z-]+ ){0,2}?(?:" + _alts(lexicon.office_titles) + r")\b",
                                re.IGNORECASE),
        # (a word has a letter: "Hallandale Beach, Florida - Secretary of State ...", a wire
        # dateline, is no apposition to a title)
        apposition=re.compile(r"^, (?:who|whose|the|a|an|(?:(?!-+ )[\w'’-]+ ){0,3}?(?:" + title_alt + r"))\b",
                              re.IGNORECASE),
        # (up to five words: "FOREIGN MINISTER ÅSE MARIT HOLTEN:"; a broadcast transcript gives
        # the speaker's office in capitals after a comma on the first turn: "VOLODYMYR
        # ZELENSKYY, PRESIDENT OF UKRAINE:")
        speaker=re.compile(r"^(?:(?:" + _alts([h.upper() for h in lexicon.honorifics]) + r"|[A-Z]{2,5}\.) )?("
                           + CAPS_TOKEN + r"(?: " + CAPS_TOKEN + r"){0,4})(?:, " + CAPS_TOKEN + r"(?: "
                           + CAPS_TOKEN + r"){0,7})?:\s"),
        credit=re.compile(r"^[(\[]?(?:" + _alts(lexicon.credit_markers) + r") "),
        # numbers in words open sentences too ("Two officials familiar with the talks said")
        stop=frozenset(w.lower() for w in (*lexicon.name_stop_words, *language.number_words,
                                           *language.tens_words)),
        particles=frozenset(lexicon.name_particles),
        titles=frozenset(t.lower() for t in titles),
        org_heads=frozenset(lexicon.organisation_heads),
        media_heads=frozenset(lexicon.media_heads),
        roles=frozenset(r.upper() for r in lexicon.speaker_roles),
        role_words=frozenset(lexicon.role_words),
        member_after=re.compile(r"(?:['’]s?)? (?:(?:senior|deputy|vice|chief|executive|former|acting) ){0,2}(?:"
                                + _alts(lexicon.organisation_members) + r")(?![\w-])"),
        media_members=frozenset(w.lower() for w in lexicon.media_members),
        member_words=frozenset(w.lower() for w in lexicon.organisation_members),
        rival_before=re.compile(r"(?<![\w-])(?:" + _alts(lexicon.rival_nouns) + r")(,)? (?:the )?$")
        if lexicon.rival_nouns else re.compile(r"(?!x)x"),
        adjective_before=re.compile(r"(?<![\w'’-])(?i:" + _alts(list(language.determiners)) + r") [a-z]+ $"),
        org_before=re.compile(r"(?<![\w-])(?:" + _alts(lexicon.organisation_nouns) + r")(,)? (?:the )?$",
                              re.IGNORECASE),
        acronym_before=re.compile(r"(?<![\w-])(?:(?:" + _alts(lexicon.organisation_members) + r") (?:of|from)|by)"
                                  r" (?:the )?()\Z", re.IGNORECASE),   # (group 1: no comma, as org_before's)
        org_after=re.compile(r",? (?:the|a|an) (?:[\w-]+ ){0,3}?(?:" + _alts(lexicon.organisation_nouns)
                             + r")()(?= that\b| which\b| based\b|[,.;])"),
        org_noun_next=re.compile(r" (?:" + _alts(lexicon.organisation_nouns) + r")\b"),
        name_determiner=re.compile(r"(?<![\w])(?:" + _alts(lexicon.name_determiners) + r") \Z", re.IGNORECASE),
        states=frozenset(lexicon.state_names),
        org_openers=frozenset(lexicon.organisation_openers),
        state_place=re.compile(r"(?<![\w])(?:" + _alts(lexicon.state_place_words) + r") (?:(?:the )?" + UP
                               + r"[\w'’-]*,? (?:(?:and|or) )?)*\Z"),
        state_cue_ends=frozenset((c.split()[-1],) for c in lexicon.state_cues_before if c.split())
        | frozenset((c.split()[-1].lower(),) for c in lexicon.state_cues_before if c.split()),
        state_before=re.compile(r"(?<![\w])(?:" + _alts(lexicon.state_cues_before) + r") \Z", re.IGNORECASE),
        not_orgs=frozenset(lexicon.not_organisations),
        not_org_heads=frozenset(lexicon.not_organisation_heads),
        thing_openers=frozenset(lexicon.thing_openers),
        corporate=frozenset(lexicon.corporate_suffixes),
        place_before=re.compile(r"(?<![\w])(?:" + _alts(lexicon.place_prepositions) + r") $"),
        demonym=re.compile(r"(?:" + _alts(lexicon.demonym_endings) + r")$"),
        past_verb=re.compile(r" (?:" + _alts([*lexicon.past_words, *lexicon.subject_verbs]) + r"|[a-z]{2,}(?:"
                             + "|".join(re.escape(x) for x in lexicon.past_suffixes or ["ed"]) + r"))\b"),
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
    by_id = {a.id: a for a in actors}
    words_of: dict[str, frozenset[str]] = {}
    for actor in actors:
        text = " ".join([actor.name, *actor.aliases, actor.affiliation, actor.role])
        home = next((a for a in actors if a.name == actor.affiliation), None) if actor.affiliation else None
        if home is not None and home.id in by_id:
            text += " " + " ".join([home.name, *home.aliases])
        words_of[actor.id] = frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", text))
    for last, owners in surname_owner.items():
        if len(owners) == 1:
            lookup.setdefault(last, next(iter(owners)))
    aliases = sorted(lookup, key=len, reverse=True)
    pattern = r"(?<![\w])(" + longest_first(aliases) + r")" + POSSESSIVE + r"(?![\w])"
    surnames = {s: next(iter(o)) for s, o in surname_owner.items() if len(o) == 1 and len(s) >= 5}
    persons = frozenset(a.id for a in actors if a.type == "person")
    media = frozenset(a.id for a in actors if a.type == "media")
    return ActorMatcher(re.compile(pattern) if aliases else re.compile(r"(?!x)x"), lookup, surnames,
                        threshold, persons, frozenset(given - set(surname_owner)), _cues(lexicon), words_of, media)


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
    apposed = _noun_phrase(after.group(1), terms, stops) if after else ""
    if apposed:
        found = f"{found} | {apposed}".strip(" |")
    return found


def _noun_phrase(phrase: str, terms: re.Pattern, stops: frozenset[str]) -> str:
    """An apposition as a title or epithet with its noun head, or "" when it is not one.
    ", the New York real estate ally who had his ear," -> "the New York real estate ally";
    ", through its elected president," and ", during which the US seems to be acting like an
    agent of Russia," are clauses about something else, not labels: "". A leading article may
    open the phrase; a possessive ("its president") names someone else's title."""
    words = phrase.split()
    first = 1 if words and words[0].lower() in ("the", "a", "an") else 0
    cut = next((i for i in range(first, len(words)) if words[i].lower() in stops), len(words))
    head = " ".join(words[first:cut])
    if not head or cut - first > 6:
        return ""
    last = None
    for last in terms.finditer(head):  # noqa: B007 - we want the last match
        pass
    if last is None or last.end() != len(head):
        return ""
    return " ".join(words[:cut])


def slug(name: str) -> str:
    """An id part from a name, folded to ASCII: "Katarzyna Zielińska" -> "katarzyna-zielinska"."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def _surname(words: list[str], particles: frozenset[str]) -> str:
    """The family name of a full name: its last word with any particles before it, capitalised
    or not ("de Vries", "Al Saadi", "Ould Cheikh Sidi" is not: only particles join)."""
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in particles:
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


# How sure a mention or a discovered actor is, by the evidence that found it (see the module
# docstring): (confidence, basis). Discovered actors take the best of their mentions' evidence,
# a little more for each further independent cue.
EVIDENCE = {
    "alias": (0.95, "codebook alias"),
    "alias+qualifier": (0.97, "codebook alias with qualifier"),
    "fuzzy": (0.7, "spelling near a codebook surname"),
    "speaker": (0.9, "transcript speaker label"),
    "asker": (0.85, "reporter's name and paper after a question label"),
    "title": (0.9, "title + name"),
    "cue": (0.85, "name + speech cue"),
    "media": (0.8, "medium + 'reported'"),
    "coordinated": (0.7, "joined by 'and' to a named person"),
    "surname": (0.85, "surname of a person named in full"),
    "part": (0.85, "part of a name given in full"),
    "named-earlier": (0.75, "surname + speech cue, full name earlier"),
    "org-noun": (0.85, "organisation noun + name"),
    "member": (0.8, "name + member noun"),
    "defined": (0.9, "acronym in brackets"),
    "acronym-subject": (0.75, "acronym + speech verb"),
    "head-subject": (0.8, "name with an organisation head + verb"),
    "definite-subject": (0.75, "'the' + name + speech verb"),
    "determined-head": (0.8, "'the' + name with an organisation head"),
    "state-name": (0.9, "name of a state"),
    "opener": (0.8, "name opening with a word for a front or movement"),
    "coordinated-org": (0.7, "joined by 'and' to a named organisation"),
    "state-cue": (0.8, "government or office of + name"),
    "org": (0.8, "name of a discovered organisation"),
}
SURNAME_ONLY = (0.6, "title + surname only")


@dataclass
class FirstPass:
    """What some sentences (one source's, in the per-source work) gave before the corpus-wide
    part: mention rows (actor ids still empty for discovered names), the names found, the lone
    surnames waiting for an owner, per sentence (by position) the spans already taken, the
    organisation evidence, and the (source, alias) pairs that named another body. `found` and
    `singles` hold the very dicts of `rows`: keep them together (one pickle keeps them shared)."""

    rows: list[dict]
    found: list[_Found]
    singles: list[tuple[dict, str, bool]]
    taken_by: dict[int, list[tuple[int, int]]]
    org_ev: _OrgEvidence
    other_body: set[tuple[str, str]]
    sentences: int


def find_mentions(matcher: ActorMatcher, sentences: pd.DataFrame, text_by_source: dict[str, str],
                  lexicon: Lexicon, places: list[Place], outlets: dict[str, str] | None = None,
                  authors: dict[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (mentions, auto actors) for the given sentences (all kinds; callers filter).

    `outlets` (source id -> its outlet, from the sidecar) marks the mentions of a source's own
    outlet in that source `participant=False`: it reports the events, it does not take part.
    `authors` (source id -> its author) drops a source's author named in it (see _own_authors)."""
    return resolve_mentions(matcher, [first_pass(matcher, sentences, lexicon, places)], sentences,
                            text_by_source, lexicon, places, outlets, authors)


def _row_maker(lexicon: Lexicon):  # noqa: ANN202 - a closure over the lexicon's epithet words
    terms = _terms_regex(tuple(lexicon.titles) + tuple(lexicon.epithets))
    stops = frozenset(w.lower() for w in [*lexicon.epithet_boundaries, *lexicon.determiners])

    def row(actor_id: str, sid: str, pid: str, s0: int, a: int, b: int, sentence: str, how: str) -> dict:
        return {"actor_id": actor_id, "source_id": sid, "passage_id": pid,
                "char_start": s0 + a, "char_end": s0 + b, "surface": sentence[a:b],
                "epithet": _epithet(sentence, a, b, terms, stops), "match": how}
    return row


SENTENCE_READ = ("source_id", "passage_id", "char_start", "text", "sentence_id")
SHARED_IDS = ("source_id", "passage_id")


def _sentence_columns(sentences: pd.DataFrame, names: tuple[str, ...] = SENTENCE_READ,
                      shared: bool = False) -> list[list]:
    """The sentences' columns as lists; `shared`: each id one string object however many rows
    repeat it (for the whole corpus: read row by row, a million sentences' source and passage
    ids were two million strings, ~150 MB at 10,000 sources, held at the build's peak while the
    corpus's names are resolved; one source's few hundred are not worth the factorising)."""
    out: list[list] = []
    for c in names:
        if shared and c in SHARED_IDS:
            codes, uniques = pd.factorize(sentences[c], use_na_sentinel=False)
            values = uniques.tolist()
            out.append([values[i] for i in codes.tolist()])
        else:
            out.append(sentences[c].tolist())
    return out


def _transcripts(columns: list[list], cues: NameCues) -> set[str]:
    """The sources set out as a transcript: a role label ("Q:", "MODERATOR:") or a speaker who
    takes the floor twice ("PIERRE-ANTOINE DU MONT: ... DU MONT: ..."), by the all-caps labels
    that open their paragraphs. One label, or labels each used once, are a dateline ("NEW
    DELHI:"), a caption's ("FILE PHOTO:") or a wire story's run-in heads ("KEEPING SCORE:",
    "DROPPING YIELDS:" in an AP market report), not turns."""
    turns: dict[str, list[str]] = {}
    found: set[str] = set()
    for sid, _pid, _start, sentence, sent_id in zip(*columns, strict=True):
        if not str(sent_id).endswith(".s01"):
            continue
        if (role := _ROLE_LABEL.match(sentence)) and role.group(1) in cues.roles:
            found.add(sid)
        elif sp := _speaker_label(sentence, cues):
            speaker = sp.group(1).split()[-1]
            speakers = turns.setdefault(sid, [])
            if speaker in speakers:
                found.add(sid)
            speakers.append(speaker)
    return found


def _speaker_label(sentence: str, cues: NameCues) -> re.Match | None:
    """The all-caps label opening a paragraph ("MARIA ZAKHAROVA:"), unless a word of it is one
    of not_organisations ("FILE PHOTO:", "BREAKING:"): the page's or a caption's, never a turn."""
    sp = cues.speaker.match(sentence)
    return sp if sp and cues.not_orgs.isdisjoint(sp.group(1).split()) else None


def _titled_label(label: str, cues: NameCues) -> bool:
    """'MINISTER HALVORSEN', 'GEN. OKAFOR': a speaker label that opens with a title or role."""
    first = label.split()[0]
    return " " in label and (first.lower() in cues.titles or first.capitalize() in cues.role_words)


def first_pass(matcher: ActorMatcher, sentences: pd.DataFrame, lexicon: Lexicon,
               places: list[Place]) -> FirstPass:
    """The per-sentence pass over some sentences (one source's, in the per-source work): each
    sentence is read on its own, so passes over parts concatenate to the pass over the whole
    (resolve_mentions joins them)."""
    place_words = {a for p in places for a in [p.name, *p.aliases]}
    cues = matcher.cues
    rows: list[dict] = []
    found: list[_Found] = []
    singles: list[tuple[dict, str, bool]] = []    # (row, surname, titled): second pass
    taken_by: dict[int, list[tuple[int, int]]] = {}
    known: dict[str, str | None] = {}   # token -> _known_person(token): tokens repeat a lot
    org_ev = _OrgEvidence()
    other_body: set[tuple[str, str]] = set()   # (source, alias) that named another body there

    def known_person(token: str) -> str | None:
        if token not in known:
            known[token] = _known_person(matcher, token)
        return known[token]

    row = _row_maker(lexicon)
    columns = _sentence_columns(sentences)
    transcripts = _transcripts(columns, cues)
    # headlines in title case or capitals ("CEO Appointment Process Agreed"): no person found there
    headings = {k for k, (kind, sentence) in enumerate(zip(sentences["kind"].tolist(), columns[3], strict=True))
                if kind == PassageKind.TITLE and _heading(sentence)} if "kind" in sentences else set()
    for k, (sid, pid, s_start, sentence, sent_id) in enumerate(zip(*columns, strict=True)):
        taken: list[tuple[int, int]] = []
        alias_rows: dict[int, dict] = {}
        for m in matcher.regex.finditer(sentence):
            a, b = m.span(1)
            actor_id = matcher.lookup[m.group(1)]
            how = "alias"
            if actor_id not in matcher.person_ids:
                qualifiers = _qualifiers(sentence, a, b, cues)
                if qualifiers and not _agrees(qualifiers, matcher.words_of.get(actor_id, frozenset())):
                    log.info("alias %r not %s: qualified by %s (%s)", m.group(1), actor_id, qualifiers, sid)
                    other_body.add((sid, m.group(1)))
                    continue
                how = "alias+qualifier" if qualifiers else how
            taken.append((a, b))
            r = row(actor_id, sid, pid, s_start, a, b, sentence, how)
            alias_rows[a] = r
            rows.append(r)
        credit = cues.credit.match(sentence)
        if credit and (len(credit.group()) > 3 or len(sentence.split()) <= 8):
            taken_by[k] = [(0, len(sentence))]
            continue  # a credit line or a short "By <name>" byline: the newsroom's names
        if str(sent_id).endswith(".s01"):
            role = _ROLE_LABEL.match(sentence)
            asker = _ASKER.search(sentence, role.end()) if role and role.group(1) in cues.roles else None
            if asker and not set(asker.group(1).split()) & (cues.role_words | cues.org_heads) \
                    and not any(w.lower() in cues.stop or w.lower() in cues.titles for w in asker.group(1).split()):
                # "Q: Ruth Amsel, Metal Bulletin Daily.": a reporter names herself and her paper
                for g, kind in ((1, "person"), (2, "media")):
                    x, y = asker.span(g)
                    if any(x < tb and ta < y for ta, tb in taken):
                        continue    # "Q: Lena Park, Reuters.": a codebook medium, already matched
                    r = row("", sid, pid, s_start, x, y, sentence, "asker")
                    found.append(_Found(r, asker.group(g), kind, "asker"))
                    rows.append(r)
                    taken.append((x, y))
        if str(sent_id).endswith(".s01"):
            sp = _speaker_label(sentence, cues)
            if sp and sp.group(1) not in cues.roles \
                    and (sid in transcripts or sp.start(1) > 0 or _titled_label(sp.group(1), cues)) \
                    and not any(
                    a < sp.end(1) and sp.start(1) < b for a, b in taken):
                a, b = sp.span(1)
                label = sp.group(1).split()
                # "MINISTER HALVORSEN:", "GEN. OKAFOR:": the title is a role, the rest the name.
                while len(label) > 1 and (label[0].lower() in cues.titles
                                          or label[0].capitalize() in cues.role_words):
                    a += len(label[0]) + 1
                    label = label[1:]
                # "FERREIRA DA COSTA:": the particles inside a name stay lower case
                # and each part of a hyphenated one is capitalised ("JAN-WILLEM": "Jan-Willem")
                name = " ".join(w.lower() if i and w.lower() in cues.particles
                                else "-".join(p.capitalize() for p in w.split("-"))
                                for i, w in enumerate(label))
                words = name.split()
                person = matcher.lookup.get(name) or known_person(words[-1])
                taken.append((sp.start(1), b))
                if " ".join(label) in cues.roles:
                    pass
                elif person:
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
            if _HYPHEN_ADJECTIVE.fullmatch(m.group()):
                continue   # "Mubarak-era ministers", "Kyiv-based analysts": an adjective
            if any(ta <= a and b <= tb for ta, tb in taken):
                continue   # all of it is a codebook alias
            org_ev.look(m, sentence, k, cues)
            for seg in _segments(m, taken):
                _one_run(seg, sentence, sid, pid, s_start, cues, matcher, place_words, taken,
                         alias_rows, rows, found, singles, accepted, pending, known_person, row, org_ev, k,
                         heading=k in headings)
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
    return FirstPass(rows, found, singles, taken_by, org_ev, other_body, len(sentences))


def resolve_mentions(matcher: ActorMatcher, passes: list[FirstPass], sentences: pd.DataFrame,
                     text_by_source: dict[str, str], lexicon: Lexicon, places: list[Place],
                     outlets: dict[str, str] | None = None, authors: dict[str, str] | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The corpus-wide part: organisations accepted on the evidence of the whole corpus,
    discovered names made actors (one per name, a surname going to the one full name the corpus
    gives it), later mentions by surname, own outlets, confidence. `passes` cover `sentences`
    in order; they are consumed (their rows become the mentions)."""
    place_words = {a for p in places for a in [p.name, *p.aliases]}
    cues = matcher.cues
    row = _row_maker(lexicon)
    columns = _sentence_columns(sentences, SENTENCE_READ[:4], shared=True)    # no sentence ids: not read here
    rows: list[dict] = []
    found: list[_Found] = []
    singles: list[tuple[dict, str, bool]] = []
    taken_by: dict[int, list[tuple[int, int]]] = {}
    org_ev = _OrgEvidence()
    other_body: set[tuple[str, str]] = set()
    offset = 0
    for p in passes:
        if offset:
            for r in p.rows:
                if "_k" in r:
                    r["_k"] += offset
        rows += p.rows
        found += p.found
        singles += p.singles
        taken_by.update({offset + k: v for k, v in p.taken_by.items()})
        org_ev.extend(p.org_ev, offset)
        other_body |= p.other_body
        offset += p.sentences

    known_names = set(matcher.lookup) | place_words
    _organisations(org_ev, found, rows, known_names, cues, columns, taken_by, row, singles)
    pending_singles = {id(r) for r, _, _ in singles}
    rows = [r for r in rows if r["actor_id"] or "_k" not in r or id(r) in pending_singles]
    autos = _name_autos(found, cues)
    _firms_named_in_full(autos, found, text_by_source, cues)
    _expand_acronyms(autos, rows, text_by_source, matcher, cues)
    _second_pass(matcher, columns, taken_by, autos, singles, rows, cues, row, text_by_source)
    del columns
    # A source that names another country's "Security Council" leaves its bare "the Security
    # Council" ambiguous: no codebook mention there.
    rows = [r for r in rows if r["actor_id"]
            and not (r["match"] == "alias" and (r["source_id"], r["surface"]) in other_body)]
    _surnames_not_media(autos, rows, cues)
    rows = _own_authors(rows, autos, authors or {}, cues)
    _own_outlets(rows, autos, matcher, outlets or {})
    _reporting_media(rows, autos, matcher, text_by_source or {})
    for r in rows:
        r["confidence"], r["basis"] = EVIDENCE.get(r["match"], (0.8, r["match"]))
    _score_autos(autos, rows)
    mentions = pd.DataFrame(rows, columns=["actor_id", "source_id", "passage_id", "char_start",
                                           "char_end", "surface", "epithet", "match", "participant",
                                           "confidence", "basis"])
    used = set(mentions["actor_id"].tolist())
    auto = pd.DataFrame([a for a in autos.values() if a["actor_id"] in used],
                        columns=["actor_id", "name", "type", "affiliation", "role", "aliases",
                                 "confidence", "basis"])
    return mentions, auto


def _firms_named_in_full(autos: dict[str, dict], found: list[_Found], texts: dict[str, str],
                         cues: NameCues) -> None:
    """A 'person' whose whole name its own source also gives with a company's suffix is that
    company ("Control Data reported ..." in a story headed "Control Data Corp., which ..."; a
    headline is not read for names): an organisation, with no surname of its own."""
    if not cues.corporate:
        return
    suffix = r",?[^\S\n]+(?:" + "|".join(re.escape(c) for c in sorted(cues.corporate, key=len, reverse=True)) \
        + r")(?![\w'’-])"
    # each (name, source) once: a person is found at every mention
    pairs = dict.fromkeys((f.row.get("actor_id", ""), f.row["source_id"]) for f in found)
    for actor_id, sid in pairs:
        auto = autos.get(actor_id)
        if auto is None or auto["type"] != "person" or " " not in auto["name"]:
            continue
        if re.search(r"(?<![\w'’-])" + re.escape(auto["name"]) + suffix, texts.get(sid, "")):
            auto["type"], auto["aliases"] = "organisation", ""


def _surnames_not_media(autos: dict[str, dict], rows: list[dict], cues: NameCues) -> None:
    """"According to Ushakov" suits a medium, but in a source that names Yury Ushakov it is him:
    a one-word medium that is the surname of a person found in the same source is that person."""
    media = {a["actor_id"]: a["name"] for a in autos.values()
             if a["type"] == ActorType.MEDIA and " " not in a["name"]}
    if not media:
        return
    people: dict[tuple[str, str], set[str]] = {}
    person_ids = {a["actor_id"]: a for a in autos.values() if a["type"] == ActorType.PERSON and a["aliases"]}
    for r in rows:
        p = person_ids.get(r["actor_id"])
        if p:
            for key in _surname_keys(p["aliases"], cues.particles):
                people.setdefault((r["source_id"], key), set()).add(p["actor_id"])
    moved: set[str] = set()
    for r in rows:
        name = media.get(r["actor_id"])
        owners = people.get((r["source_id"], name), set()) if name else set()
        if len(owners) == 1:
            moved.add(r["actor_id"])
            r["actor_id"], r["match"] = next(iter(owners)), "surname"
    left = {r["actor_id"] for r in rows}
    for actor_id in moved - left:
        autos.pop(actor_id, None)


def _qualifiers(sentence: str, a: int, b: int, cues: NameCues) -> list[str]:
    """The capitalised words that qualify a name in the text: those right before it, back to the
    first title or function word ("Ukraine's National | Security Council"), and an "of <Name>"
    right after it ("Security Council of Ukraine")."""
    out: list[str] = []
    pos = a
    while len(out) < 3:
        m = _WORD_BEFORE.search(sentence, max(0, pos - 40), pos)
        if not m and not out and sentence[a:b].split()[-1] in cues.org_heads:
            # "Beraka's National Defence and | Security Council": the name began before "and"
            # (a body's name only: "France and | Germany" are two)
            m = _AND_WORD_BEFORE.search(sentence, max(0, pos - 40), pos)
        if not m:
            break
        word = POSSESSIVE_END.sub("", m.group(1))
        if word.lower() in cues.stop or word.lower() in cues.titles or word in cues.particles:
            break
        out.append(word)
        pos = m.start()
    after = _OF_AFTER.match(sentence, b)
    if after and after.group(1).lower() not in cues.stop:
        out.append(after.group(1))
    return out


_WORD_BEFORE = re.compile(r"(" + UP + r"[\w'’.-]*) \Z")
_AND_WORD_BEFORE = re.compile(r"(" + UP + r"[\w'’.-]*) (?:and|&) \Z")
_OF_AFTER = re.compile(r" of (?:the )?(" + UP + r"[\w-]*)")


def _agrees(qualifiers: list[str], words: frozenset[str]) -> bool:
    """Every qualifier is one of the actor's own words (names, aliases, affiliation, role), or
    shares its first five letters with one ("Russian" / "Russia")."""
    for q in qualifiers:
        low = q.lower()
        if low in words or (len(low) >= 5 and any(w.startswith(low[:5]) for w in words)):
            continue
        return False
    return True


class _OrgEvidence:
    """Organisations the codebook lacks, by the words around their names (corpus-wide)."""

    def __init__(self) -> None:
        self.kinds: dict[str, set[str]] = {}                  # name -> evidence kinds
        self.spans: list[tuple[int, int, int, str, str]] = []  # (sentence k, start, end, name, kind)
        self.media: set[str] = set()
        self.long_of: dict[str, str] = {}                     # acronym -> long name
        self.same: dict[str, str] = {}                        # long name -> first long name
        self.initial: set[str] = set()                        # names seen opening a sentence
        self.defs: list[tuple[str, str]] = []                 # (acronym, long name), in order
        self.pairs: list[tuple[str, str, int, int, int]] = []  # (name, name joined by "and", k, a, b)

    def define(self, name: str, long_name: str) -> None:
        self.defs.append((name, long_name))
        first = self.long_of.setdefault(name, long_name)
        if first != long_name:
            self.same[long_name] = first    # one acronym, two spellings: one actor

    def extend(self, other: _OrgEvidence, offset: int) -> None:
        """Add the evidence of the sentences after these (`other`'s sentence k is k + offset
        here), as if one pass had read them all."""
        for name, kinds in other.kinds.items():
            self.kinds.setdefault(name, set()).update(kinds)
        self.spans += [(k + offset, a, b, name, kind) for k, a, b, name, kind in other.spans]
        self.media |= other.media
        self.initial |= other.initial
        self.pairs += [(n, p, k + offset, a, b) for n, p, k, a, b in other.pairs]
        for name, long_name in other.defs:
            self.define(name, long_name)

    def add(self, name: str, kind: str, k: int, a: int, b: int, media: bool = False) -> None:
        self.kinds.setdefault(name, set()).add(kind)
        self.spans.append((k, a, b, name, kind))
        if media:
            self.media.add(name)

    def look(self, m: re.Match, sentence: str, k: int, cues: NameCues) -> None:
        a, b = m.span()
        words = m.group().split()
        while words and words[0].lower() in cues.stop:
            a += len(words[0]) + 1
            words = words[1:]
        owner = ""
        for i, w in enumerate(words):   # "Google's Android": the owner is the name
            if POSSESSIVE_END.search(w) and i < len(words) - 1:
                owned = words[i + 1:]
                generic = owned[-1] in cues.org_heads and all(
                    x in cues.role_words or x in cues.org_heads or x.lower() in _CONNECTORS for x in owned)
                if (owned[0] in cues.org_heads and owned[-1] in cues.org_heads) or generic:
                    # "Norland's Ministry", "Ukraine's Defence Ministry", "Kazakhstan's Security
                    # Council": the organisation, named with its owner when its own words are
                    # only words of offices ("Kazakhstan Security Council")
                    if generic and len(words[:i + 1]) == 1:
                        owner = POSSESSIVE_END.sub("", w)
                    a += len(" ".join(words[:i + 1])) + 1
                    words = owned
                else:
                    words = words[:i + 1]
                break
        if not words or len(words) > 5 or _thing_name(words, cues):
            return
        name = POSSESSIVE_END.sub("", " ".join(words))
        b = a + len(name)
        plural = _PLURAL_OWNS_HEAD.match(sentence, b) if words[-1].endswith("s") and len(words) < 5 else None
        if plural and plural.group(1) in cues.org_heads and plural.group(1) not in cues.not_org_heads:
            # "the Coastal Riggers' Union said": the run stopped at the apostrophe of one name
            b = plural.end()
            words = [*words, plural.group(1)]
            name = sentence[a:b]
        joined = _RUN_AND_BEFORE.search(sentence, max(0, a - 60), a) \
            if words[-1] in cues.org_heads and not owner and b == a + len(" ".join(words)) else None
        first = joined.group(1).split() if joined else []
        while first and first[0].lower() in cues.stop:
            first = first[1:]
        if first and (first[-1] not in cues.org_heads or first[-1] in cues.not_org_heads
                      or len([w for w in first if "." not in w]) == 1) \
                and len(first) + len(words) <= 6 and " ".join(first) not in cues.states:
            # (a head word alone is no name of its own: "Securities and Exchange Commission")
            # ... but "Talks between Norway and Northern Shipping Company": a state is a party
            # "Beraka's National Defence and Security Council", "the AU Peace and Security
            # Council": the name goes on before "and" (the run stopped there)
            start = joined.end(1) - len(" ".join(first))
            if POSSESSIVE_END.search(first[0]) and len(first) > 1:
                owner = POSSESSIVE_END.sub("", first[0])
                start += len(first[0]) + 1
                first = first[1:]
            a = start
            words = [*first, "and", *words]
            name = sentence[a:b]
        head = words[-1]     # the organisation head, before any "of ..." tail
        tail = _OF_TAIL.match(sentence, b) if words[-1] in cues.org_heads and b == m.end() else None
        if tail:
            # "Ministry of Trade and Industry", "Office of the Prime Minister": one name
            b = tail.end()
            name = sentence[a:b]
            words = name.split()
            while len(words) > 2 and words[-1].rstrip(".").lower() in cues.titles \
                    and words[-2].lower() not in _CONNECTORS:   # ("International Court of Justice")
                b -= len(words[-1]) + 1     # "... of Foreign Affairs Dr. Maryam": an honorific follows
                words = words[:-1]
                name = sentence[a:b]
        if owner and all(x in cues.role_words or x in cues.org_heads or x.lower() in _CONNECTORS for x in words):
            name = f"{owner} {name}"
        acronym = len(words) == 1 and _ACRONYM_WORD.fullmatch(name) is not None
        after = sentence[b:b + 1]     # "" at the end of the sentence (a name with an "of" tail)
        member = cues.member_after.match(sentence, m.end()) if m.end() == b or (after and after in "'’") \
            else None
        if acronym and not member:
            # "the UN's monitoring mission", "the IAEA's inspectors": an acronym owning something
            member = _ACRONYM_OWNS.match(sentence, b)
        if not member and after and after in "'’" and (len(words) == 1 or (
                len(words) <= 3 and not any(w in cues.role_words or w.lower() in cues.titles for w in words))):
            # "Egypt's Foreign Minister", "South Korea's trade minister": the office's state or body
            member = cues.office_owned.match(sentence, b)
        before = cues.org_before.search(sentence, max(0, a - 30), a) or (
            cues.acronym_before.search(sentence, max(0, a - 40), a) if acronym else None) or (
            # "within the G20 and the OSCE": an acronym with digits after "the" is a body's
            _THE_BEFORE_G.search(sentence, max(0, a - 4), a) if acronym and any(c.isdigit() for c in name)
            else None) or (
            cues.org_after.match(sentence, b) if not POSSESSIVE_END.search(sentence[b:b + 2]) else None)
        if before and before.group(1) and len(words) == 1 and not acronym:
            before = None   # "the union, Smith said": after a comma, only a name of several words or
            # an acronym ("the competition regulator, the ACM,", "the union, IG Stahlwerk")
        elif before and len(words) > 1 and words[-1] not in cues.org_heads \
                and cues.rival_before.search(sentence, max(0, a - 30), a):
            before = None   # "Republican rival Joe Lhota": a noun said of people too
        defined = acronym and a > 0 and sentence[a - 1] == "(" and sentence[b:b + 1] == ")"
        subject = len(words) == 1 and cues.verb_after.match(sentence[b:b + 60]) is not None
        # "The Tamsk Port Authority said", "Nordvik Star Lines signed": a name of several words
        # ending in an organisation head, acting
        headed = len(words) > 1 and (tail is not None or (head in cues.org_heads
                                                          and head not in cues.not_org_heads)) \
            and any(cues.verb_after.match(sentence[at:at + 60]) is not None
                    or cues.acts_after.match(sentence, at) is not None for at in _acting_at(sentence, b))
        # "the Secretary General of the Lagoon Council": a title's organisation
        titled = len(words) > 1 and head in cues.org_heads and head not in cues.not_org_heads \
            and cues.title_of.search(sentence[max(0, a - 60):a]) is not None
        headed = headed or titled
        # "the Constitutional Court", "whose Democratic Alliance won", "Tessaly's Supreme Security
        # Council": a determiner (or an owner) before a name of several words ending in an
        # organisation head names that organisation, whatever follows
        # (not when an "of / for" tail runs on into a person's name after an office's word: "the
        # Air Force for Acquisition Darleen Druyun")
        person_tail = tail is not None and len(words) >= 4 and words[-3] in cues.role_words \
            and not set(words[-2:]) & (cues.role_words | cues.org_heads | _CONNECTORS)
        determined = len(words) > 1 and head in cues.org_heads and head not in cues.not_org_heads \
            and head not in cues.media_heads and not person_tail \
            and (bool(owner) or cues.name_determiner.search(sentence, max(0, a - 8), a) is not None)
        # "Norway", "Saudi Arabia": a state's name; "the government of Tessaly", "Foreign Minister
        # of Sorland": a state the lexicon does not know, by the office or government it has
        state = not acronym and (name in cues.states or (
            len(words) == 1 and tuple(sentence[max(0, a - 12):a].rsplit(None, 1)[-1:]) in cues.state_cue_ends
            and cues.state_before.search(sentence, max(0, a - 50), a) is not None))
        if state and name in cues.states and (cues.state_place.search(sentence, max(0, a - 80), a)
                                              or _DATELINE_BEFORE.search(sentence, 0, a)):
            # "built in Switzerland", "the ridge between Italy and Switzerland", "TROMSO, Norway,":
            # the state as a place: no evidence that it acts
            self.add(name, "state-place", k, a, b)
        elif state:
            self.add(name, "state-name" if name in cues.states else "state-cue", k, a, b)
        # "Jabhat al-Nour freed two engineers": a name that opens with a word for a front, a
        # movement or a party (in the language it was borrowed from) is an organisation's
        opener = len(words) > 1 and words[0] in cues.org_openers
        if opener:
            self.add(name, "opener", k, a, b)
        if len(words) <= 3 and not (member or before or defined or headed or determined):
            # "Vattenfors and Nordel agreed", "the merger of Telvaldo and Movicom": a name
            # joined by "and" to an organisation's is one (decided once all are known)
            partner = _AND_NAME.match(sentence, b) or (
                _NAME_AND_BEFORE.search(sentence, max(0, a - 60), a) if sentence.endswith((" and ", " & "), 0, a)
                else None)
            inside_word = a > 0 and (sentence[a - 1].isalnum() or sentence[a - 1] == "-")   # "iPad", "Chicago-based"
            modifier = cues.org_noun_next.match(sentence, b) is not None   # "Surinam carrier X": an adjective
            if partner and not inside_word and not modifier and not any("-" in w and w.split("-")[-1].islower()
                                                                          for w in words):
                other = partner.group(1).split()
                while other and other[0].lower() in cues.stop:
                    other = other[1:]
                if other:
                    self.pairs.append((name, POSSESSIVE_END.sub("", " ".join(other)), k, a, b))
        if not (member or before or defined or subject or headed or determined):
            return      # most runs: no organisation evidence at all
        if _only_offices(name.split(), cues):
            return      # "as Chief Executive Officer and Board director": offices, no organisation
        if _fragment(sentence, a, b, len(words), cues) and tail is None and not titled \
                and not (acronym and before):   # ("Ambassadors of the G7": no longer name)
            return      # "the Project on Government Oversight": part of a longer name
        if a == 0 and len(words) > 1:
            self.initial.add(name)   # "Actual Airbus employee ...": the first word may be any word
        if member:
            noun = member.group().split()[-1].lower()
            self.add(name, "member", k, a, b, noun in cues.media_members)
        if before:
            self.add(name, "org-noun", k, a, b, any(n in before.group().lower() for n in _MEDIA_NOUNS))
        if defined:
            long = _LONG_BEFORE.search(sentence, 0, a - 1)
            if long and set(long.group(1).split()) & (cues.org_heads | cues.media_heads) \
                    and not _thing_name(long.group(1).split(), cues):
                self.add(name, "defined", k, a, b)   # "United States Air Force (USAF)"
                start = long.start(1)
                long_words = long.group(1).split()
                # "Tigray People's Liberation Front (TPLF)": a possessive the initials spell is the name's
                whole = _initials_tail(long.group(1), name)
                owned = bool(whole) and any(POSSESSIVE_END.search(w) for w in whole.split()[:-1])
                for i in range(len(long_words) - 2, -1, -1):   # "the United Kingdom's Royal Air Force"
                    if POSSESSIVE_END.search(long_words[i]) and not owned:
                        start += len(" ".join(long_words[:i + 1])) + 1
                        long_words = long_words[i + 1:]
                        break
                for word in long_words[:-1]:    # "The Rapid Support Forces"
                    if word.lower() not in cues.stop:
                        break
                    start += len(word) + 1
                    long_words = long_words[1:]
                # "Secretary of the National Security and Defence Council of Ukraine (NSDC)": an
                # office's words before "of (the)" are a title, not the body's name
                cut = next((i for i, w in enumerate(long_words[:-1]) if w in ("of", "for", "at")), 0)
                if cut and all(w.lower() in cues.titles or w in cues.role_words for w in long_words[:cut]):
                    drop = long_words[:cut + 1] + (["the"] if long_words[cut + 1] == "the" else [])
                    start += len(" ".join(drop)) + 1
                # "the Kordanan Armed Forces and the Eastern Support Forces (ESF)": the shortest
                # tail whose initials spell the acronym
                tail = _initials_tail(sentence[start:long.end(1)], name)
                if tail:
                    start = long.end(1) - len(tail)
                long_name = sentence[start:long.end(1)]
                self.define(name, long_name)
                self.add(long_name, "defined", k, start, long.end(1))
        if headed:
            self.add(name, "head-subject", k, a, b)
        elif determined:
            self.add(name, "determined-head", k, a, b)
        if acronym and subject:
            self.add(name, "acronym-subject", k, a, b)
        elif subject and _THE_BEFORE.search(sentence, max(0, a - 4), a) and not cues.demonym.search(name) \
                and not name.endswith("s"):
            # "the Treasury said", "the Pentagon said": a person takes no article
            self.add(name, "definite-subject", k, a, b)
        elif subject:
            self.kinds.setdefault(name, set()).add("subject")


_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "in", "&", "de", "du", "des", "del", "der", "di"})
_NAME_AND_BEFORE = re.compile(r"(?<![\w'’-])((?:" + UP + r"[\w'’-]*)(?: " + UP + r"[\w'’-]*)*) (?:and|&) \Z")
_PLURAL_OWNS_HEAD = re.compile(r"['’] (" + UP + r"[\w-]*)(?![\w'’-])")
_RUN_AND_BEFORE = re.compile(r"(?<![\w'’-])((?:" + UP + r"[\w'’-]*['’]s )?(?:" + UP + r"[\w'’-]* )*" + UP
                             + r"[\w'’-]*) (?:and|&) \Z")
_DATELINE_BEFORE = re.compile(r"\A[A-Z][A-Z'’ .-]+, \Z")


def initials(words: list[str]) -> str:
    """The initials of a name's words, connectors aside ("Organization for Security and
    Co-operation in Europe" -> "OSCE")."""
    return "".join(w[0].upper() for w in words if w.lower() not in _CONNECTORS and w[:1].isalpha())


def _initials_tail(long_name: str, acronym: str) -> str:
    """The shortest tail of a long name whose initials are the acronym, else ""."""
    words = long_name.split(" ")
    want = acronym.rstrip("s").upper()
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower() in _CONNECTORS:
            continue
        if initials(words[i:]) == want:
            return " ".join(words[i:])
    return ""


def _expand_acronyms(autos: dict[str, dict], rows: list[dict], texts: dict[str, str],
                     matcher: ActorMatcher, cues: NameCues) -> None:
    """A discovered organisation known by an acronym the text never puts in brackets ("the AU's
    mediator" in a story on an "African Union summit") is the one organisation name of its
    sources whose initials spell it: one actor under its full name, the acronym its alias."""
    bare = {actor_id for actor_id, a in autos.items() if a["type"] != ActorType.PERSON and not a["aliases"]
            and _ACRONYM_WORD.fullmatch(a["name"])}
    if not bare:
        return
    sources: dict[str, set[str]] = {}
    for r in rows:
        if r["actor_id"] in bare:
            sources.setdefault(r["actor_id"], set()).add(r["source_id"])
    runs: dict[str, list[str]] = {}      # per source, its runs of capitalised words (read once)
    renamed: dict[str, str] = {}
    for actor_id in sorted(bare):
        a = autos[actor_id]
        longs = set()
        for sid in sources.get(actor_id, ()):
            if sid not in runs:
                runs[sid] = [m.group() for m in _LONG_RUN.finditer(texts.get(sid, ""))]
            for run in runs[sid]:
                tail = _initials_tail(run, a["name"])
                last = tail.split()[-1] if tail else ""
                if tail and (last in cues.org_heads or last in cues.media_heads) and last not in cues.not_org_heads:
                    longs.add(tail)
        if len(longs) != 1:
            continue
        long_name = next(iter(longs))
        new_id = matcher.lookup.get(long_name) or "auto-" + slug(long_name)
        if new_id not in autos and new_id not in matcher.lookup.values():
            autos[new_id] = {**a, "actor_id": new_id, "name": long_name, "aliases": a["name"]}
        del autos[actor_id]
        renamed[actor_id] = new_id
    if renamed:
        for r in rows:
            if r["actor_id"] in renamed:
                r["actor_id"] = renamed[r["actor_id"]]


def _acting_at(sentence: str, b: int) -> tuple[int, ...]:
    """Where a name's verb may start: right after it, or after a second name joined by "and"
    ("the Port Authority and Star Lines signed")."""
    more = _AND_NAME.match(sentence, b)
    return (b, more.end()) if more else (b,)


_CONNECTOR = r"(?:of|on|for|de|du|des|del|der|di)"
_FRAGMENT_BEFORE = re.compile(UP + r"[\w'’-]* " + _CONNECTOR + r" (?:the )?\Z")
_FRAGMENT_AFTER = re.compile(r" (?:of|de|du|des|del|der|di) (?:the )?" + UP)
_AND_BEFORE = re.compile(UP + r"[\w'’.-]* (" + UP + r"[\w'’-]*) (?:and|&) \Z")   # "U.S. Immigration and"
_AND_ONE_BEFORE = re.compile(r"(?<![\w'’.-])(" + UP + r"[\w'’-]*) (?:and|&) \Z")
_TAIL_AND_BEFORE = re.compile(UP + r"[\w'’-]* for (?:the )?" + UP + r"[\w'’-]*(?: " + UP
                              + r"[\w'’-]*)? (?:and|&) \Z")
_AND_NAME = re.compile(r" (?:and|&) ((?:" + UP + r"[\w'’-]*)(?: " + UP + r"[\w'’-]*)*)")


def _ends_longer_name(sentence: str, a: int, titles: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether the words before `a` make the name there the end of a longer one: "Project on |
    Harbour Safety", "the Centre for Addiction and | Mental Health". `titles`: the words that,
    before the connector, make it a title's domain instead ("Commissioner for | Competition")."""
    fragment = _FRAGMENT_BEFORE.search(sentence, max(0, a - 40), a)
    return bool((fragment and fragment.group().split()[0].lower() not in titles)
                or _TAIL_AND_BEFORE.search(sentence, max(0, a - 60), a))


def _fragment(sentence: str, a: int, b: int, n_words: int, cues: NameCues) -> bool:
    """A name that is part of a longer one: joined by "of / on / for" to capitalised words
    ("People's Republic | of China", "Project on | Government Oversight"), the end of its "for"
    tail after "and" ("Centre for Addiction and | Mental Health"), or, for a name of several
    words, by "and" to words ending in an organisation word ("European Aeronautic Defence | and
    Space Company")."""
    if _ends_longer_name(sentence, a) or _FRAGMENT_AFTER.match(sentence, b):
        return True
    joined = _AND_BEFORE.search(sentence, max(0, a - 40), a) or _AND_ONE_BEFORE.search(sentence, max(0, a - 40), a)
    conjunct = [w for w in joined.group(0).split()[:-1] if w.lower() not in cues.stop and "." not in w] \
        if joined else []     # ("U.S." before a name is its owner, not a word of it)
    # a head word alone before "and" is no name of its own ("The Securities and Exchange Commission")
    if joined and (joined.group(1) not in cues.org_heads or len(conjunct) == 1) \
            and joined.group(1) not in cues.states and sentence[a:b].split()[-1] in cues.org_heads:
        return True     # "National Security and | Defence Council", "Reno and Immigration and |
        # Naturalization Service": the tail of one name (a state's name before "and" is its own)
    more = _AND_NAME.match(sentence, b) if n_words > 1 else None
    if more and sentence[a:b].split()[-1] in cues.org_heads:
        return False    # "the Port Authority and Star Lines": two organisations, each with its head
    return bool(more and set(more.group(1).split()) & cues.org_heads)


_MEDIA_NOUNS = ("news agency", "broadcaster", "newspaper", "daily", "outlet", "channel")
# A long name before its acronym: capitalised words joined by one or two connectors
# ("International Committee of the Red Cross (ICRC)", "Organization for Security and
# Co-operation in Europe (OSCE)").
_LONG_JOIN = r"(?: (?:of|for|and|the|de|du|des|in|on|&)(?: the)? | )"
_LONG_BEFORE = re.compile(r"((?:" + UP + r"[\w'’&-]*)" + _LONG_JOIN + r"?"
                          r"(?:(?:" + UP + r"[\w'’&-]*)" + _LONG_JOIN + r")*"
                          + UP + r"[\w'’&-]*) \Z")
# ... and such a name anywhere in a text
_PLURAL_POSSESSIVE_IN_NAME = re.compile(r"['’] " + UP)
_LONG_RUN = re.compile(r"(?:" + UP + r"[\w'’&-]*)(?:" + _LONG_JOIN + r"(?:" + UP + r"[\w'’&-]*))+")


def _organisations(ev: _OrgEvidence, found: list[_Found], rows: list[dict], known: set[str],
                   cues: NameCues, columns: list[list], taken_by: dict[int, list], row,
                   singles: list[tuple[dict, str, bool]]) -> None:
    """Accept the organisations the evidence supports, add their mentions (the evidence spans
    and every later stand-alone use of the name), and give found 'people' with organisation
    evidence ("Northrop Grumman CEO ...") the organisation type."""
    person_words = {w for f in found if f.kind == "person" for w in f.name.split()}
    # ("Israel Katz" does not make Israel a person: a state's name yields to a person's surname only)
    surnames = {f.name.split()[-1] for f in found if f.kind == "person"}
    person_names = {f.name for f in found if f.kind == "person"}
    accepted: dict[str, tuple[str, str]] = {}    # name -> (type, best evidence)
    for name, kinds in ev.kinds.items():
        words = name.split()
        if name in known or name in cues.not_orgs or all(w in cues.role_words or w.lower() in cues.titles
                                                          for w in words):
            continue
        strong = kinds & {"member", "org-noun", "defined", "acronym-subject", "head-subject", "definite-subject",
                          "determined-head", "opener"}
        statehood = kinds & {"state-name", "state-cue"}
        # (a name the lexicon lists as a state's is that state even where a cue took it for a
        # person's: "North Korea said")
        if statehood and name not in surnames and (name not in person_names or "state-name" in statehood):
            accepted[name] = ("state", max(statehood, key=lambda x: EVIDENCE[x][0]))
            continue
        if not strong:
            continue
        acronym = len(words) == 1 and _ACRONYM_WORD.fullmatch(name) is not None
        if acronym:
            if name in cues.not_orgs or name.rstrip("s") in cues.not_orgs:
                continue
        elif len(words) == 1:
            if name in person_words or name.lower() in cues.stop or name in cues.org_heads \
                    or name in cues.media_heads:
                continue    # "Union officials": a generic word, not a name
            demonym = cues.demonym.search(name) is not None
            if "org-noun" not in kinds and "definite-subject" not in kinds \
                    and not ("member" in kinds and (not demonym or "subject" in kinds)):
                continue
        elif not kinds & {"member", "org-noun", "defined", "head-subject", "determined-head", "opener"} or (
                name in person_names and not kinds & {"member", "org-noun", "head-subject"}):
            continue
        elif name in ev.initial and ev.kinds.get(" ".join(words[1:]), set()) & {"member", "org-noun", "defined"}:
            continue    # "Actual Airbus employee": Airbus
        best = max(strong, key=lambda x: EVIDENCE[x][0])
        accepted[name] = ("media" if name in ev.media else "organisation", best)
    for name, partner, k, a, b in ev.pairs:
        words = name.split()
        if name in accepted or name in known or partner not in accepted or accepted[partner][0] != "organisation" \
                or name in person_words or name in person_names or name.lower() in cues.stop \
                or words[-1] in cues.not_org_heads or cues.demonym.search(name) \
                or all(w in cues.role_words or w in cues.org_heads for w in words):
            continue
        if name.rstrip("s") in cues.not_orgs:
            continue    # ("the US and UK", "Q3 and Q4")
        accepted[name] = ("organisation", "coordinated-org")
        ev.add(name, "coordinated-org", k, a, b)
    if not accepted:
        return
    for f in found:     # "Northrop Grumman said" was taken for a person
        if f.name in accepted:
            f.kind = accepted[f.name][0]
    sids, pids, starts, texts = columns[0], columns[1], columns[2], columns[3]
    # "The paramilitary group RSF denied": a lone word first held as a possible surname.
    keep = []
    for single in singles:
        r, surname, _ = single
        if surname in accepted and (surname not in person_words or (
                accepted[surname][0] == "state" and surname not in surnames)) and "_k" in r:
            k = r["_k"]
            a, b = r["char_start"] - starts[k], r["char_end"] - starts[k]
            taken_by[k] = [t for t in taken_by.get(k, []) if t != (a, b)]
        else:
            keep.append(single)
    singles[:] = keep
    canonical = {n: ev.long_of[n] for n in accepted if n in ev.long_of and ev.long_of[n] in accepted}
    canonical.update({n: first for n, first in ev.same.items() if n in accepted and first in accepted})

    # An acronym is its long name in the sources that name it in full, and in the sources of the
    # same story (two other names in common with one of those): "National Super Alliance (NASA)"
    # in an election story does not make a launch story's NASA that coalition.
    named_in: dict[str, set[str]] = {}
    names_in: dict[str, set[str]] = {}
    for k, _a, _b, name, _kind in ev.spans:
        named_in.setdefault(name, set()).add(sids[k])
        if name in accepted:
            names_in.setdefault(sids[k], set()).add(name)
    for f in found:
        names_in.setdefault(f.row["source_id"], set()).add(f.name)
    for r in rows:
        if r.get("actor_id"):
            names_in.setdefault(r["source_id"], set()).add(r["actor_id"])
    homes: dict[tuple[str, str], str] = {}

    def home(name: str, k: int) -> str:
        long, here = canonical.get(name, name), sids[k]
        if long == name or here in named_in.get(long, ()):
            return long
        if (name, here) not in homes:
            mine = names_in.get(here, set()) - {name, long}
            same_story = any(len(mine & names_in.get(there, set())) >= SAME_STORY_NAMES
                             for there in sorted(named_in.get(long, ())))
            homes[name, here] = long if same_story else name
        return homes[name, here]

    def type_of(name: str) -> str:
        # the acronym of a state's name is that state ("United Arab Emirates (UAE)")
        long = accepted[canonical.get(name, name)][0]
        return long if long == "state" else accepted[name][0]

    for k, a, b, name, kind in ev.spans:
        if name not in accepted:
            continue
        taken = taken_by.setdefault(k, [])
        # "the Ministry of Foreign Affairs of Ukraine": a name may hold a codebook name in its
        # "of" tail (both are mentioned); any other overlap means the words are another name's
        tail_at = texts[k].find(" of ", a, b)
        if any(a < tb and ta < b and not (tail_at >= 0 and tail_at < ta and tb <= b) for ta, tb in taken):
            continue
        taken.append((a, b))
        r = row("", sids[k], pids[k], starts[k], a, b, texts[k], kind if kind in EVIDENCE else "org")
        found.append(_Found(r, home(name, k), type_of(name), accepted[name][1]))
        rows.append(r)
    # Later uses of the name on its own: "Boeing said", "Hamas's leadership".
    names = sorted(accepted, key=len, reverse=True)
    regex = re.compile(r"(?<![\w-])(" + longest_first(names) + r")" + POSSESSIVE + r"(?![\w-])")
    for k, sentence in enumerate(texts):
        if regex.search(sentence) is None:
            continue
        taken = taken_by.setdefault(k, [])
        for m in regex.finditer(sentence):
            a, b = m.span(1)
            if any(a < tb and ta < b for ta, tb in taken) or _inside_run(sentence, a, b, cues):
                continue
            name = m.group(1)
            taken.append((a, b))
            r = row("", sids[k], pids[k], starts[k], a, b, sentence, "org")
            found.append(_Found(r, home(name, k), type_of(name), "org"))
            rows.append(r)


_ROLE_LABEL = re.compile(r"([A-Z][A-Z' -]{0,30}):\s")
# A question's opening in a transcript: "Q: Mr. Okuma, Mariana Pires, Financial Courant." or
# "QUESTION: Ruth Amsel, Metal Bulletin Daily." (the reporter's name and paper, the sentence's end)
_ASKER = re.compile(r"(?<=[:,] )(" + NAME_TOKEN + r"(?: " + NAME_TOKEN + r"){1,2}), (" + NAME_TOKEN
                    + r"(?: " + NAME_TOKEN + r"){0,3})\.?\s*\Z")
_OWNER_BEFORE = re.compile(r"(?<![\w'’-])(" + UP + r"[\w-]*)['’]s \Z")
_THE_BEFORE = re.compile(r"(?<![\w])the \Z")
_THE_BEFORE_G = re.compile(r"(?<![\w])[Tt]he ()\Z")   # (group 1: no comma, as org_before's)
_CAP_BEFORE = re.compile(UP + r"[\w'’-]* \Z")
_CAP_AFTER = re.compile(r" " + UP + r"[^\W\d_]")


_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def _heading(sentence: str) -> bool:
    """A headline in title case or capitals ("CEO Appointment Process Agreed", "UK General
    Election Aftermath"): its capitals say nothing of names, so no person is found in it (one
    named in the body is still marked there, by the second pass). Only headlines: a caption or a
    line of titles ("US President Jimmy Carter, Israeli Prime Minister Menachem Begin and ...")
    is mostly capitals too."""
    words = _LONG_WORD.findall(sentence)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _inside_run(sentence: str, a: int, b: int, cues: NameCues) -> bool:
    """A name inside a longer capitalised name ("Boeing Commercial Airplanes") is not that name."""
    before = _CAP_BEFORE.search(sentence, max(0, a - 30), a)
    if before and before.group().strip().lower() not in cues.stop:
        return True
    return _CAP_AFTER.match(sentence, b) is not None


SAME_STORY_NAMES = 2        # other names two sources share for an acronym in one to be the other's long name
BYLINE_MENTIONS = 2         # an author's mentions in their own text that a byline makes, at most
BYLINE_REACH = 600          # characters from the top of a source where its byline stands
_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;&]|\band\b)\s*")


def _own_authors(rows: list[dict], autos: dict[str, dict], authors: dict[str, str], cues: NameCues) -> list[dict]:
    """A source's author named in its byline ("Dr Ines Ahl, Senior Fellow" on a line of its own
    at the top) writes it, and was shown in who's who as a person it names: those mentions go,
    as a credit line's names do. Only discovered actors, matched by their whole name ("Ines Ahl"
    for the author "Dr Ines Ahl"); another source naming the author keeps them."""
    own: dict[str, set[str]] = {}
    titles = cues.titles | {t.rstrip(".") for t in cues.titles}
    for sid, author in authors.items():
        for part in _AUTHOR_SPLIT.split(author or ""):
            words = part.split()
            while words and words[0].lower() in titles:
                words = words[1:]
            if len(words) >= 2:
                own.setdefault(sid, set()).add(" ".join(words).casefold())
    if not own:
        return rows
    named: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        if r["actor_id"] in autos and autos[r["actor_id"]]["name"].casefold() in own.get(r["source_id"], ()):
            named.setdefault((r["source_id"], r["actor_id"]), []).append(r)
    # Only a byline: named once or twice, at the top. An interviewer or a podcast's host is the
    # author too, and speaks all through the transcript: a participant, kept.
    gone = {id(r) for found in named.values()
            if len(found) <= BYLINE_MENTIONS and all(r["char_start"] < BYLINE_REACH for r in found) for r in found}
    return [r for r in rows if id(r) not in gone] if gone else rows


def _own_outlets(rows: list[dict], autos: dict[str, dict], matcher: ActorMatcher,
                 outlets: dict[str, str]) -> None:
    """A source's own outlet (its sidecar's `outlet`) is the reporter of what it tells, never a
    participant: its mentions in that source get participant=False."""
    names_of: dict[str, set[str]] = {}
    for alias, actor_id in matcher.lookup.items():
        names_of.setdefault(actor_id, set()).add(alias)
    for a in autos.values():
        names_of.setdefault(a["actor_id"], set()).add(a["name"])
    folded = {sid: _fold(o) for sid, o in outlets.items() if o}
    # "QARASHEHR, December 9 (QNA)", "a QNA correspondent" in a source of the Qaraman News
    # Agency: the outlet under its initials
    acronym_of = {sid: initials(re.sub(r"\s*\([^)]*\)", "", o).split()) for sid, o in outlets.items() if o}
    own: dict[tuple[str, str], bool] = {}
    fold_of: dict[str, str] = {}

    def in_outlet(name: str, outlet: str) -> bool:
        """The name as a whole word of the outlet's name: looked for as a substring first, as
        most names are in no outlet (a regular expression per name cost 0.6 s at 2,000 sources)."""
        f = fold_of.get(name)
        if f is None:
            f = fold_of[name] = _fold(name)
        return f in outlet and re.search(r"(?<!\w)" + re.escape(f) + r"(?!\w)", outlet) is not None

    for r in rows:
        key = (r["source_id"], r["actor_id"])
        if key not in own:
            outlet = folded.get(r["source_id"])
            acronym = acronym_of.get(r["source_id"], "")
            own[key] = bool(outlet) and any(
                (len(n) >= 3 and in_outlet(n, outlet)) or (len(acronym) >= 2 and n == acronym)
                for n in names_of.get(r["actor_id"], ()))
        r["participant"] = not own[key]


def _reporting_media(rows: list[dict], autos: dict[str, dict], matcher: ActorMatcher,
                     texts: dict[str, str]) -> None:
    """A news medium named only through its reporter ("an AFP reporter saw supporters gather", "a
    Reuters photographer counted ...") witnesses the happening, it does not take part: that
    mention gets participant=False, as the source's own outlet's do (class 10). A medium that
    reports ("Bloomberg reported on November 25") is the actor of its report: it stays."""
    cues = matcher.cues
    media = {a["actor_id"] for a in autos.values() if a["type"] == ActorType.MEDIA} | matcher.media_ids
    for r in rows:
        if r["actor_id"] not in media or not r["participant"]:
            continue
        text = texts.get(r["source_id"], "")
        member = cues.member_after.match(text, r["char_end"])
        if member and member.group().split()[-1].lower() in cues.media_members:
            r["participant"] = False


def _fold(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", text).casefold().strip()


def _score_autos(autos: dict[str, dict], rows: list[dict]) -> None:
    """A discovered actor's confidence: its best evidence, +0.03 for each further mention found
    by a cue of its own (at most 0.97); a person known only by a surname stays at 0.6."""
    best: dict[str, tuple[float, str]] = {}
    cued: dict[str, int] = {}
    for r in rows:
        if r["actor_id"] not in autos or r["match"] in ("surname", "org", "part"):
            continue
        c = EVIDENCE.get(r["match"], (0.7, r["match"]))
        if c > best.get(r["actor_id"], (0.0, "")):
            best[r["actor_id"]] = c
        cued[r["actor_id"]] = cued.get(r["actor_id"], 0) + 1
    for actor_id, a in autos.items():
        conf, basis = best.get(actor_id, EVIDENCE["org"] if a["type"] != "person" else SURNAME_ONLY)
        if a["type"] == "person" and " " not in a["name"]:
            conf, basis = SURNAME_ONLY
        conf = min(0.97, conf + 0.03 * max(0, cued.get(actor_id, 1) - 1))
        a["confidence"], a["basis"] = round(conf, 2), "discovered: " + basis


def _thing_name(words: list[str], cues: NameCues) -> bool:
    """A name of a thing, an event or a place, not of a body: it ends in such a head ("the
    Geneva Summit"), opens with one and its tail ("the Treaty of Amity and Cooperation (TAC)"),
    or opens with a word that names a thing ("Hurricane Melissa", "Storm Ciarán")."""
    return bool(words) and (words[-1] in cues.not_org_heads or (
        len(words) > 2 and words[0] in cues.not_org_heads and words[1] in ("of", "on", "for"))
        or (len(words) > 1 and words[0] in cues.thing_openers))


def _only_offices(words: list[str], cues: NameCues) -> bool:
    """'Chief Executive Officer and Board': a title's words joined to an organisation head, no
    name (a title inside a part of the name is a word of it: "General Mills", "Justice
    Department", "Regional Court of Justice")."""
    ends = [w for w, after in zip(words, [*words[1:], ""], strict=True) if after in ("and", "&")]
    return any(w.lower() in cues.titles and w not in cues.org_heads for w in ends) and all(
        w in cues.role_words or w in cues.org_heads or w.lower() in cues.titles or w.lower() in _CONNECTORS
        for w in words)


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
             pending: list, known_person, row, org_ev: _OrgEvidence | None = None, k: int = 0,
             heading: bool = False) -> None:
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
    for i in range(len(words) - 2, -1, -1):   # "USAF's Mobility Command": the owned name
        if POSSESSIVE_END.search(words[i]):
            seg, words = seg[i + 1:], words[i + 1:]
            break
    titled = False
    for i in range(len(seg) - 1, -1, -1):       # the longest title ending before a name word
        window = max(0, seg[i][0] - 60)
        title = cues.title_end.search(sentence[window:seg[i][0]])
        if title:
            # "Northrop Grumman CEO Ron Sugar": the words before a member title name his firm.
            at = window + title.start()
            prefix = [(x, y) for x, y in seg[:i] if y <= at]
            while prefix and sentence[prefix[-1][0]:prefix[-1][1]] in cues.role_words:
                prefix = prefix[:-1]    # "Boeing Executive Vice President": Boeing
            # ... and so does an acronym before any title ("MITI Deputy Secretary-General Nurul")
            lone_acronym = len(prefix) == 1 and _ACRONYM_WORD.fullmatch(sentence[prefix[0][0]:prefix[0][1]]) \
                is not None and sentence[prefix[0][0]:prefix[0][1]] not in cues.not_orgs
            if org_ev is not None and prefix and (
                    lone_acronym or title.group().split()[-1].lower().rstrip(",") in cues.member_words):
                org_ev.add(sentence[prefix[0][0]:prefix[-1][1]], "member", k, prefix[0][0], prefix[-1][1])
            seg, words, titled = seg[i:], words[i:], True
            break
    run_start = seg[0][0] if seg else 0     # before its role words ("Office of | Foreign Assets Control")
    while seg and words[0] in cues.role_words and not set(words) & (cues.org_heads | cues.media_heads):
        seg, words = seg[1:], words[1:]     # "National Security Adviser": a title, not a name
    if not titled and len(seg) >= 3 and not set(words) & cues.org_heads \
            and cues.title_of.search(sentence[max(0, seg[0][0] - 60):seg[0][0]]):
        seg, words, titled = seg[-2:], words[-2:], True   # "Minister of Foreign Trade Lucía Ferreyra"
    while seg and words[0].lower() in cues.titles:
        seg, words = seg[1:], words[1:]
    if not seg:
        return
    a, b = seg[0][0], seg[-1][1]
    if words[-1].endswith("s") and _PLURAL_POSSESSIVE_IN_NAME.match(sentence, b):
        return   # "the Nordic Port Operators' Association": the start of a longer name, not one
    last = POSSESSIVE_END.sub("", words[-1])
    if last != words[-1]:
        b -= len(words[-1]) - len(last)
        words[-1] = last
    name = " ".join(words)
    if name in place_words or any(w in place_words for w in words) or len(last) < 2 \
            or (len(words) > 1 and (_states_only(words, cues.states) or _thing_name(words, cues))):
        return      # ("US President Trump says India Pakistan agreed": two states, no person)
    if len(words) == 2 and cues.demonym.search(words[0]) and words[1].endswith("s") \
            and len(words[1]) > 6 and cues.demonym.search(words[1][:-1]):
        return      # "Cuban Americans said": a group of people, not a person named Americans
    if words[-1].endswith("s") and not words[-1].endswith("ss") and name not in cues.states \
            and not set(words) & (cues.org_heads | cues.media_heads) \
            and _THE_BEFORE_G.search(sentence, max(0, a - 4), a):
        return      # "behind the Lunar Owls, who", "the Greek Cypriots said": a team or a people
    before, after = sentence[max(0, a - 60):a], sentence[b:b + 60]
    if after.startswith(".") and words[-1] in cues.corporate:
        after = after[1:]       # "Apple Inc. announced": the abbreviation's dot
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
    org = bool(has & cues.org_heads)
    # "according to the Defence Ministry": a cue that suits a medium, but the name's own head
    # says it is an organisation of another kind
    # "according to the Italian foreign ministry": a word of nationality before a lower-case
    # noun is an adjective of the noun phrase, not a medium's name
    adjective = len(words) == 1 and cues.demonym.search(name) is not None and _LOWER_NEXT.match(after) is not None
    cued = bool(cues.media_before.search(before))
    according = cued and len(words) >= 2 and words[0].lower() not in cues.particles \
        and cues.according_before.search(before) is not None
    if according:
        # "according to Karin Dahl, the chief economist": a medium has a head ("according to the
        # Nordic Ledger"), an article ("according to the ...") or one word ("according to
        # Interfax"), or opens with its own ("according to Der Spiegel"). Two names alone may be
        # a person's or a firm's ("according to Nordbank Research"): the cue says neither.
        cued = False
    media = bool(has & cues.media_heads) or (cued and not has & (cues.org_heads - cues.media_heads) and not adjective)
    # "distributors in North America, today announced": the verb is the sentence subject's; a
    # name after a preposition of place that ends at a comma is a place
    speaks = bool(cues.verb_after.match(after)) and not (after.startswith(",") and cues.place_before.search(before))
    reports = bool(cues.media_after.match(after))
    if (reports and (len(words) == 1 or media)) or (media and (speaks or reports)):
        _accept(found, rows, accepted, taken, row("", sid, pid, s0, a, b, sentence, "media"),
                name, "media", a, b)
        return
    if media and (speaks or reports or cues.cue_before.search(before)):
        _accept(found, rows, accepted, taken, row("", sid, pid, s0, a, b, sentence, "media"),
                name, "media", a, b)   # "according to Times Online"
        return
    if org:
        # "X said", "X reported", "according to X": an organisation named as a source acts;
        # "the Council said", "The Union said": a bare head is no name
        if (speaks or reports or cues.cue_before.search(before)) and words[-1] not in cues.not_org_heads \
                and not (len(words) == 1 and words[0] in cues.org_heads) \
                and not _fragment(sentence, a, b, len(words), cues):
            owner = _OWNER_BEFORE.search(sentence, max(0, a - 40), a)
            if owner and words[-1] in cues.org_heads and all(
                    w in cues.role_words or w in cues.org_heads or w.lower() in _CONNECTORS for w in words):
                name = f"{owner.group(1)} {name}"   # "Kazakhstan's Security Council said": whose
            _accept(found, rows, accepted, taken, row("", sid, pid, s0, a, b, sentence, "cue"),
                    name, "organisation", a, b)
        return
    # ", the ..." after "in San Francisco" tells of a place, not a person.
    apposition = bool(cues.apposition.match(after)) and (according or not cues.place_before.search(before))
    person_cue = titled or speaks or apposition or (bool(cues.cue_before.search(before)) and not according)
    if len(words) == 1:
        # One word is a person only as the surname of someone the text names in full, or
        # right after a title ("Secretary Rubio"); second pass. One word between an article's
        # word and a lower-case noun is an adjective ("the official Chinese news agency", "her
        # official Twitter page"), not a surname ("President Erdogan said", "the spokesman
        # Peskov said").
        if person_cue and not heading \
                and not (cues.adjective_before.search(before) and _LOWER_NEXT.match(after) and not speaks):
            r = row("", sid, pid, s0, a, b, sentence, "title" if titled else "cue")
            r["_k"] = k
            singles.append((r, last, titled))
            rows.append(r)
            taken.append((a, b))
            accepted.append((a, b, "person"))
        return
    if len([w for w in words if w.lower() not in cues.particles]) > 4 \
            or any(_ACRONYM_WORD.fullmatch(w) for w in words):
        return      # "Mac OS X Lion": a person's name has no all-capital word (particles aside:
        # "Faisal bin Nasser bin Khalifa Al Saadi" is four names)
    if not titled and (_ends_longer_name(sentence, a)
                       or (run_start < a and _ends_longer_name(sentence, run_start, cues.titles))):
        # "Project on | Harbour Safety said", "Office of | Foreign Assets Control said": the end
        # of a longer name ("Commissioner for | Competition Neelie Kroes": a title's domain)
        return
    if person_cue and not heading:
        _accept(found, rows, accepted, taken, row("", sid, pid, s0, a, b, sentence,
                                                   "title" if titled else "cue"), name, "person", a, b)
    else:
        pending.append((a, b, words))


_LOWER_NEXT = re.compile(r" [a-z]")
_HYPHEN_ADJECTIVE = re.compile(r"[^\W\d_][\w'’.]*-[a-z]+")     # one word: a name's parts are capitalised


def _accept(found: list[_Found], rows: list[dict], accepted: list, taken: list, r: dict, name: str,
            kind: str, a: int, b: int) -> None:
    found.append(_Found(r, name, kind, r["match"]))
    rows.append(r)
    accepted.append((a, b, kind))
    taken.append((a, b))


def _name_autos(found: list[_Found], cues: NameCues) -> dict[str, dict]:
    """Discovered actors, one per name; their ids are written into their mention rows. A
    person's name that starts or ends exactly one longer name found in the same source is that
    person ("Abdel Karim" and "Karim al-Nasser" are "Abdel Karim al-Nasser")."""
    autos: dict[str, dict] = {}
    full: dict[str, set[str]] = {}   # surname -> full names: "Von der Leyen said" is Ursula's
    by_source: dict[str, set[str]] = {}
    for f in found:
        words = f.name.split()
        if f.kind == "person":
            by_source.setdefault(f.row["source_id"], set()).add(f.name)
        if f.kind == "person" and _surname(words, cues.particles) != f.name:
            full.setdefault(_surname(words, cues.particles).lower(), set()).add(f.name)
    for f in found:
        if f.kind != "person":
            by_org = by_source.setdefault("org:" + f.row["source_id"], set())
            by_org.add(f.name)
    org_names = {f.name for f in found if f.kind != "person"}
    bare: dict[str, str] = {}
    for name in org_names:      # "Apple Inc" / "Apple"
        words = name.split()
        if len(words) > 1 and words[-1] in cues.corporate and " ".join(words[:-1]) in org_names:
            bare[name] = " ".join(words[:-1])
    longer: dict[tuple[str, str], str] = {}
    for sid, names in by_source.items():
        for name in names:
            words = name.split()
            if len(words) < 2:
                continue
            owners = {n for n in names if len(n.split()) > len(words) and (
                n.split()[:len(words)] == words or n.split()[-len(words):] == words)}
            if len(owners) == 1:
                longer[(sid, name)] = next(iter(owners))
    for f in found:
        owners = full.get(f.name.lower(), set()) if f.kind == "person" else set()
        name = next(iter(owners)) if len(owners) == 1 else f.name
        key = f.row["source_id"] if f.kind == "person" else "org:" + f.row["source_id"]
        if f.name in bare:
            name = bare[f.name]
        if (key, f.name) in longer:     # "China Eastern" / "China Eastern Airlines"
            name = longer[(key, f.name)]
            while (key, name) in longer:
                name = longer[(key, name)]
        actor_id = "auto-" + (slug(name) or "name")
        f.row["actor_id"] = actor_id
        kind = "state" if name in cues.states else f.kind     # "North Korea's firing", "Saudi Arabia's minister"
        if actor_id not in autos:
            words = name.split()
            alias = _surname(words, cues.particles) if kind == "person" else ""
            autos[actor_id] = {"actor_id": actor_id, "name": name, "type": kind,
                               "affiliation": "", "role": f.row.get("epithet", "").split(" | ")[0],
                               "aliases": alias}
        elif autos[actor_id]["type"] != kind and kind != "person" and autos[actor_id]["type"] != "state":
            autos[actor_id]["type"] = kind    # organisation evidence wins over a person's cue
        surface = POSSESSIVE_END.sub("", f.row["surface"])
        if kind != "person" and surface != name and not autos[actor_id]["aliases"]:
            autos[actor_id]["aliases"] = surface    # "RSF" for "Rapid Support Forces"
    return autos


def _second_pass(matcher: ActorMatcher, columns: list[list], taken_by: dict[int, list],
                 autos: dict[str, dict], singles: list[tuple[dict, str, bool]], rows: list[dict],
                 cues: NameCues, row, text_by_source: dict[str, str] | None = None) -> None:
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
    # a person's surname keys, and their full name: "led by Abdel Rahim Daglo" with no cue is
    # the person "Daglo told ..." named
    keys = {a["actor_id"]: [*_surname_keys(a["aliases"], cues.particles), *_compound_surname(a["name"], cues),
                            a["name"]] for a in people}
    for a in people:
        for key in keys[a["actor_id"]]:
            for s in src_of.get(a["actor_id"], ()):
                by_source.setdefault((s, key.lower()), set()).add(a["actor_id"])
            anywhere.setdefault(key.lower(), set()).add(a["actor_id"])

    def owner(sid: str, surname: str, local_only: bool = False) -> str | None:
        local = by_source.get((sid, surname.lower()), set())
        if len(local) == 1:
            return next(iter(local))
        glob = anywhere.get(surname.lower(), set())
        return next(iter(glob)) if len(glob) == 1 and not local and not local_only else None

    # "Vice Premier Ma Kaiwen ... Ma said", "Sheikh Faisal bin Nasser ... Sheikh Faisal": a name
    # written family name first, or a person called by the first of their names
    first_of: dict[tuple[str, str], set[str]] = {}
    for a in people:
        for s in src_of.get(a["actor_id"], ()):
            first_of.setdefault((s, a["name"].split()[0].lower()), set()).add(a["actor_id"])
    named_earlier: set[str] = set()
    for r, surname, titled in singles:
        actor_id = owner(r["source_id"], surname)
        if actor_id is None and len(first_of.get((r["source_id"], surname.lower()), ())) == 1 \
                and not anywhere.get(surname.lower()):
            actor_id = next(iter(first_of[(r["source_id"], surname.lower())]))
            r["match"] = "part"
        if actor_id is None and not titled:
            # "Employee Phil Schiller discussed ... Schiller said": the text gave the full name
            # earlier without a cue; the speaking surname takes it (given name + surname).
            full = _full_name_before(text_by_source or {}, r, surname, cues)
            if full is None:
                continue   # left without an actor id: dropped
            actor_id = "auto-" + slug(full)
            autos.setdefault(actor_id, {"actor_id": actor_id, "name": full, "type": "person",
                                        "affiliation": "", "role": "", "aliases": surname})
            r["match"] = "named-earlier"
            by_source.setdefault((r["source_id"], surname.lower()), set()).add(actor_id)
            by_source.setdefault((r["source_id"], full.lower()), set()).add(actor_id)
            named_earlier.add(full)
        if actor_id is None:
            surname = surname.capitalize() if surname.isupper() else surname   # "GEN. ODUYA:"
            actor_id = "auto-" + (slug(surname) or "name")
            autos.setdefault(actor_id, {"actor_id": actor_id, "name": surname, "type": "person",
                                        "affiliation": "", "role": r["epithet"].split(" | ")[0],
                                        "aliases": surname})
            anywhere.setdefault(surname.lower(), {actor_id})
        r["actor_id"] = actor_id
    # "saw Lu and Whitlock shake hands": the first word of a two-word name, inside a sentence (a
    # sentence may open on any capitalised word), is the family name of a name written family
    # name first ("Lu Weiming") or the person called by a given name
    firsts = {}
    for a in people:
        words = a["name"].split()
        first = words[0]
        if len(words) == 2 and len(first) >= 2 and first.lower() not in cues.stop \
                and first.lower() not in cues.titles and first not in matcher.lookup \
                and first not in matcher.given_names:
            for s in src_of.get(a["actor_id"], ()):
                if len(first_of.get((s, first.lower()), ())) == 1 and not by_source.get((s, first.lower())):
                    firsts.setdefault(first, set()).add(s)
    for first, srcs in firsts.items():
        for s in srcs:
            by_source.setdefault((s, first.lower()), set()).update(first_of[(s, first.lower())])
    names = sorted({key for a in people for key in keys[a["actor_id"]] if key.lower() not in cues.stop
                    and len(key) >= 3 and key not in matcher.lookup} | set(firsts) | named_earlier)
    if not names:
        return
    variants = sorted({v for n in names for v in (n, n[0].upper() + n[1:])}, key=len, reverse=True)
    regex = re.compile(r"(?<![\w])(" + longest_first(variants) + r")" + POSSESSIVE + r"(?![\w])")
    # A bare surname counts only for a person of its own source: each source looks for its own
    # people's surnames (the whole regex still runs where one is present, so a longer name
    # elsewhere in the corpus keeps its words), which keeps this pass linear in the corpus.
    spellings: dict[str, list[str]] = {}
    for n in names:
        spellings.setdefault(n.lower(), []).extend((n, n[0].upper() + n[1:]))
    gathered: dict[str, dict[str, None]] = {}
    for s, low in by_source:
        gathered.setdefault(s, {}).update(dict.fromkeys(spellings.get(low, ())))
    local = {s: tuple(found) for s, found in gathered.items()}    # each spelling once
    for k, (sid, pid, s0, sentence) in enumerate(zip(*columns[:4], strict=True)):
        if not any(v in sentence for v in local.get(sid, ())):
            continue
        taken = taken_by.get(k, [])
        for m in regex.finditer(sentence):
            a, b = m.span(1)
            if any(a < tb and ta < b for ta, tb in taken):
                continue
            nxt = _PARTICLE_NEXT.match(sentence, m.end())
            if _inside_run(sentence, a, b, cues) or (nxt and nxt.group(1) in cues.particles):
                continue    # "Nasser bin Fahad al-Kuwari": the first word of another name
            if m.group(1) in firsts and not sentence[:a].strip(" \"'“‘([—-") \
                    and not cues.past_verb.match(sentence, m.end()):
                continue    # "Innocent civilians were ...": a first word opening a sentence ("Seo
                # gave reporters nothing" acts)
            actor_id = owner(sid, m.group(1), local_only=True)   # a bare word: this text's people only
            if actor_id:
                taken.append((a, b))
                rows.append(row(actor_id, sid, pid, s0, a, b, sentence, "surname"))


# " of Trade and Industry", " of the Red Cross", " of Foreign Affairs": after an organisation
# head, the rest of its name
_OF_TAIL = re.compile(r" (?:of|for) (?:the )?" + UP + r"[\w'’-]*(?: " + UP + r"[\w'’-]*)*"
                      r"(?: (?:and|&) " + UP + r"[\w'’-]*(?: " + UP + r"[\w'’-]*)*)?"
                      # "... of the Republic of Kordana", "... of Foreign Affairs of Ukraine"
                      r"(?: of (?:the )?" + UP + r"[\w'’-]*(?: " + UP + r"[\w'’-]*)*)?")
_ACRONYM_OWNS = re.compile(r"['’]s (?:[a-z]+ ){0,2}[a-z]{3,}")
_PARTICLE_NEXT = re.compile(r" ([a-z]+) " + UP)


def _full_name_before(texts: dict[str, str], r: dict, surname: str, cues: NameCues) -> str | None:
    """The "<Given> <Surname>" written earlier in the source, when exactly one given name goes
    with that surname there and it is no title, office, organisation or function word."""
    text = texts.get(r["source_id"], "")[:r["char_start"]]
    if not text or len(surname) < 3 or surname not in text:    # (no expression compiled for none)
        return None
    # "Abdel Rahim Daglo": up to three given names, the words of titles and offices left out
    pattern = r"(?<![\w'’-])((?:" + UP + r"[a-z]+ ){1,3})" + re.escape(surname) + r"(?![\w-])"

    def plain(g: str) -> bool:
        return g.lower() not in cues.stop and g.lower() not in cues.titles and g not in cues.role_words \
            and g not in cues.org_heads and g not in cues.media_heads and g.lower() not in cues.member_words

    given = set()
    for m in re.finditer(pattern, text):
        if cues.office_owned.match(text, m.end()):
            return None     # "South Korea's trade minister ... Korea had answered": a state
        words = m.group(1).split()
        if len(words) > 1 and re.search(r"(?:\A|[.!?:]\s+|\n)\Z", text[:m.start()]):
            words = words[1:]   # "Engineer Ruben Molnar" opening a sentence: any word is capitalised
        while words and not plain(words[0]):
            words = words[1:]
        if words and all(plain(w) for w in words):
            given.add(" ".join(words))
    return f"{next(iter(given))} {surname}" if len(given) == 1 else None


def _compound_surname(name: str, cues: NameCues) -> list[str]:
    """A family name of two parts joined by a particle, after the given names ("Esteban Ruiz de
    Alarcón" -> "Ruiz de Alarcón", "Anne-Claire Dubois de Montreuil" -> "Dubois de Montreuil"):
    later mentions use it whole, so it is a key of its own. A particle right after the first
    name opens the surname itself ("Hendrik van der Walt"): nothing to add."""
    words = name.split()
    at = next((i for i, w in enumerate(words) if w in cues.particles), 0)
    if at >= 2 and at < len(words) - 1 and words[at - 1] not in cues.particles \
            and words[at - 1].lower() not in cues.stop:
        return [" ".join(words[at - 1:])]
    return []


def _surname_keys(surname: str, particles: frozenset[str]) -> list[str]:
    """A surname and, for one glued to a particle ("al-Nasser"), the name without it ("Nasser")."""
    head, dash, rest = surname.partition("-")
    if dash and head in particles and len(rest) >= 4 and " " not in surname:
        return [surname, rest]
    return [surname]


def _states_only(words: list[str], states: frozenset[str]) -> bool:
    """Whether a run of words is state names one after another ("India Pakistan", "United
    States Canada")."""
    ends = {0}
    for i in range(1, len(words) + 1):
        if any(j in ends and " ".join(words[j:i]) in states for j in range(max(0, i - 6), i)):
            ends.add(i)
    return len(words) in ends


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
