"""The input schemas: what every file under inputs/ may contain, and every default.

One pydantic model per file kind (briefing.yaml, the codebook files, annotations, sidecars);
a key that is not declared here is refused (`extra="forbid"`), and a key declared here must
be read somewhere in the pipeline: no option is accepted and then ignored. What loading
returns (`Source`, `Codebook`, `Inputs`) is declared at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.inputs.problems import date_fix, invalid
from pipeline.inputs.yamlmap import Loaded
from pipeline.readers import Reading
from pipeline.readers.discover import ID_RE
from pipeline.vocab import DATED_PRECISIONS, ActorType, SourceKind, values

AUTO_ACTOR_PREFIX = "auto-"        # ids extraction gives the actors it discovers
PARTIAL_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ACTOR_TYPES = tuple(values(ActorType))         # the closed sets come from pipeline/vocab.py
SOURCE_KINDS = tuple(values(SourceKind))
MAX_SOURCE_BYTES_DEFAULT = 20 * 1024 * 1024
# Rows the capped sections print at most, past which each prints its most significant rows (the
# full tables are attached): changes on the changes page (all in changes.json), notes (rows print
# fewer notes each past it), sources listed in the appendix. events, plan_terms and actors have no
# row cap unless one is given: their page_budget bounds them (pipeline/pack/fit.py).
MAX_ROWS_DEFAULTS = {"changes": 12, "notes": 300, "sources": 40}


def _to_text(value: Any) -> Any:
    """YAML turns 2025-08-15 into a date and 2025 into an int; we want the text as written."""
    if isinstance(value, date | int) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def check_partial_date(value: str) -> str:
    if not PARTIAL_DATE_RE.match(value):
        raise invalid(f"'{value}' is not an ISO date", date_fix(value))
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise invalid(f"'{value}' is not a real date ({exc})", date_fix(value)) from None
    return value


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        fix = "use lowercase letters, digits and '-' only"
        raise invalid(f"'{value}' is not a valid id", f"{fix}: '{slug}'" if slug else fix)
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Segmentation(Strict):
    comments_after: str | None = None
    sidebars: list[str] = []
    boilerplate: list[str] = []


class Sidecar(Strict):
    title: str | None = None
    short: str | None = None
    author: str = ""
    outlet: str = ""
    published: str | None = None
    published_note: str = ""
    url: str = ""
    kind: Literal[SOURCE_KINDS] = "other"  # type: ignore[valid-type]
    segmentation: Segmentation = Segmentation()

    _text = field_validator("published", mode="before")(_to_text)

    @field_validator("published")
    @classmethod
    def _published(cls, v: str | None) -> str | None:
        return None if v is None else check_partial_date(v)


class Actor(Strict):
    id: str
    name: str
    type: Literal[ACTOR_TYPES]  # type: ignore[valid-type]
    affiliation: str = ""
    role: str = ""
    aliases: list[str] = []

    _id = field_validator("id")(_check_id)


class Place(Strict):
    id: str
    name: str
    aliases: list[str] = []

    _id = field_validator("id")(_check_id)


class DateRange(Strict):
    start: str
    end: str

    _text = field_validator("start", "end", mode="before")(_to_text)
    _dates = field_validator("start", "end")(check_partial_date)


class Plan(Strict):
    id: str
    name: str
    date: str | DateRange | None = None
    points: int | None = None
    originator: str = ""
    # Codebook actors the plan is a settlement between (or places that stand for them, "kyiv"): a
    # source naming none of them (nor anyone affiliated to them) speaks of another plan when it
    # gives only a count of points.
    parties: list[str] = []
    aliases: list[str] = []
    patterns: list[str] = []
    description: str = ""

    _id = field_validator("id")(_check_id)
    _text = field_validator("date", mode="before")(_to_text)

    @field_validator("date")
    @classmethod
    def _date(cls, v: str | DateRange | None) -> str | DateRange | None:
        return check_partial_date(v) if isinstance(v, str) else v

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return [_check_regex(p) for p in v]


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise invalid(f"pattern {pattern!r} is not a valid regular expression: {exc}",
                      "balance the brackets, and put a backslash before a literal ( ) [ ] . ? * +"
                      ) from None
    return pattern


class Provision(Strict):
    id: str
    name: str
    unit: str | None = None
    patterns: list[str] = Field(min_length=1)
    description: str = ""

    _id = field_validator("id")(_check_id)

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, v: list[str]) -> list[str]:
        return [_check_regex(p) for p in v]


class Question(Strict):
    id: str
    question: str
    stances: dict[str, str] = Field(min_length=1)
    keywords: list[str] = []

    _id = field_validator("id")(_check_id)


class Lexicon(Strict):
    # false: a key left out is empty, not the engine's list (pipeline/inputs/lexicon.py): for a
    # lexicon of another language, or one kept small on purpose
    engine_lists: bool = True
    titles: list[str] = []
    epithets: list[str] = []
    event_verbs: list[str] = []
    reference_headings: list[str] = []
    boilerplate: list[str] = []
    comment_gap: int = Field(default=3, ge=2)
    unit_words: dict[str, str] = {}
    # How names behave in running text (pipeline/extract/actors.py); see lexicon.yaml.
    name_particles: list[str] = []
    honorifics: list[str] = []
    name_stop_words: list[str] = []
    epithet_boundaries: list[str] = []
    subject_verbs: list[str] = []
    subject_aux: list[str] = []
    office_titles: list[str] = []     # "Egypt's Foreign Minister": the owner is a state or body
    modal_verbs: list[str] = []       # "will conclude": a name right before one and a verb acts
    modal_non_actions: list[str] = []  # "will be", "will not": no action after the modal
    name_cues_before: list[str] = []
    media_verbs: list[str] = []
    media_heads: list[str] = []
    organisation_heads: list[str] = []
    credit_markers: list[str] = []
    speaker_roles: list[str] = []
    role_words: list[str] = []        # "National", "Deputy": build titles and offices, never a name alone
    organisation_members: list[str] = []  # "an AFP journalist", "a Boeing spokesman": an organisation before
    media_members: list[str] = []     # "journalist", "correspondent": ... and that organisation a medium
    organisation_nouns: list[str] = []  # "the militant group Hamas", "planemaker Airbus": an organisation follows
    rival_nouns: list[str] = []  # of them, said of people too: "rival Ryanair" but "rival Joe Lhota"
    not_organisations: list[str] = []  # all-capital words that are not organisations ("CEO", "GDP")
    state_names: list[str] = []       # "Norway", "Saudi Arabia": the world's states, actors wherever named
    state_place_words: list[str] = []  # "in", "between": a state's name after one is a place
    state_cues_before: list[str] = []  # "the government of", "Foreign Minister of": a state's name follows
    organisation_openers: list[str] = []  # "Jabhat", "Harakat": a name opening with one is an organisation
    name_determiners: list[str] = []  # "the", "whose": before a name with an organisation head, an organisation
    corporate_suffixes: list[str] = []  # "Apple Inc" is "Apple": legal forms after a firm's name
    not_organisation_heads: list[str] = []  # "Conference", "Street": names of things and places, not actors
    thing_openers: list[str] = []           # "Hurricane Melissa", "Storm Ciarán": names of things, not actors
    place_prepositions: list[str] = []  # "in", "at": a name after one is a place, not a person
    demonym_endings: list[str] = []   # "Russian", "Israeli": adjectives of nationality, not organisations
    comparison_clause_words: list[str] = []  # ", well above the 600,000 of the 28-point plan": a measure compared with
    rival_plan_words: list[str] = []  # "counter-proposal": a plan of another party, never a known version
    not_value_cues: list[str] = []    # "not at", "rather than": the figure after is not the version's
    plan_omits_cues: list[str] = []   # "the Geneva text does not mention": that plan owns no figure of its clause
    absent_from_plan_cues: list[str] = []  # "a figure absent from the Geneva text": likewise, before the plan
    in_no_plan_cues: list[str] = []   # "appears in neither draft": no version but one named in its clause owns a figure
    word_abbreviations: dict[str, list[str]] = {}   # "point": ["pt"]: an alias's word, shortened
    currency_symbols: list[str] = []  # "$", "€": a figure after one is money, whatever word follows it
    # Contrast (pipeline/contrast/__init__.py): function words, and the heads of the phrases a source
    # uses for what the briefing is about ("full-scale invasion", "the conflict").
    stop_words: list[str] = []
    framing_heads: list[str] = []
    framing_label: str = "Phrases used for the subject"
    reporting_verbs: list[str] = []   # "said on Tuesday": a report's date, not the event's
    future_words: list[str] = []      # "will", "is due to": a bare weekday or month goes forward
    past_words: list[str] = []        # "said", "stood": it stays behind the publication date
    past_suffixes: list[str] = []     # regular past endings of lower-case words ("-ed")
    determiners: list[str] = []       # "the", "its": after a future marker's "to" they start a noun, not a verb
    number_words: list[str] = []      # zero … nineteen, in order: "twenty eight point" = "28-point"
    tens_words: list[str] = []        # twenty … ninety, in order
    plan_nouns: list[str] = []        # words that make a place name stand for a plan version
    plan_references: list[str] = []   # "the plan": the version a short piece is about
    reference_nouns: list[str] = []   # "Article 5", "point 3": numbers that are labels
    provision_anaphora: list[str] = []  # "raised it to 800,000": refers to the last provision
    label_suffixes: list[str] = []    # "5-like", "Minsk-2-style": numbers that are labels
    # Candidate plan versions and provisions for the worksheets (pipeline/extract/candidates.py)
    plan_candidate_nouns: list[str] = []      # "plan", "counter-proposal", "draft", "framework"
    plan_candidate_verbs: list[str] = []      # "the framework agreed in Nairobi"
    plan_candidate_patterns: list[str] = []   # regexes with slots {number} {noun} {verb} {name} {place}
    provision_candidate_patterns: list[str] = []  # ... {quantity} {qualifier}: "a filling period of 7 years"
    figure_qualifiers: list[str] = []         # "at least", "up to": words between a measure and its figure
    unit_modifiers: list[str] = []            # "cubic" metres: a unit of two words

    @field_validator("plan_candidate_patterns", "provision_candidate_patterns")
    @classmethod
    def _candidate_patterns(cls, v: list[str]) -> list[str]:
        return [_check_regex(re.sub(r"\{\w+\}", "x", p)) and p for p in v]
    # Events: which clause dates a happening, and what is no happening (pipeline/extract/events.py)
    subordinators: list[str] = []     # "since", "after", "which": that clause's date is another's
    link_words: list[str] = []        # "later", "the same day": the paragraph's reference time
    greetings: list[str] = []         # "Hi, everyone.": no happening
    introductions: list[str] = []     # "My guest today is ...": no happening
    deadline_words: list[str] = []    # "will buy ... by March": a deadline, not a happening
    infinitive_markers: list[str] = []  # "asked them to present ... by March": a deadline too
    conditional_words: list[str] = []  # "if", "unless": no happening
    content_markers: list[str] = []   # "calls for", "under the plan": what a plan contains
    perfect_aux: list[str] = []       # "has won": just before publication
    participant_pronouns: list[str] = []  # "she", "they": a participant named before
    reduced_clause_openers: list[str] = []  # "Jobs, born in 1955, ...": an apposition's date is another's
    continuing_suffixes: list[str] = []  # ", launching ...": the clause goes on telling the one before
    after_words: list[str] = []       # "after talks on Sunday": a happening counted from that date
    comparison_words: list[str] = []  # "up 82% from a year ago": a comparison's base, not a time
    figure_comparison_words: list[str] = []  # "up from 26 yesterday": the figure's date, a comparison's base
    percent_words: list[str] = []     # "4.1 per cent", "4.1%": a figure's unit, read before its date
    range_words: list[str] = []       # "from May to June": a range, not a comparison
    definite_articles: list[str] = []  # "the 1991 agreement": a date naming an earlier thing
    relative_markers: list[str] = []  # "the plan that envoys brought on Dec. 2": another happening
    relative_words: list[str] = []    # "which", "who": a date after one dates a noun's background, not the story's
    deadline_nouns: list[str] = []    # "Thursday was the deadline": a target, not a happening's time
    irrealis_words: list[str] = []    # "should meet this week": wished, expected or planned
    commitment_words: list[str] = []  # "have agreed to meet Monday": the date after one is the act's
    present_words: list[str] = []     # "right now": the moment of writing, mostly a state
    happening_nouns: list[str] = []   # "the deal was approved": a happening named before, at its time
    happening_openers: list[str] = []  # "In his speech, ...": prepositions before such a noun
    clock_words: list[str] = []       # "at 08:30 UTC": a time of day, on the reference day
    comparative_words: list[str] = []  # "three days later than planned": a delay, not a date
    progressive_aux: list[str] = []   # "is flying": a present progressive, at the time of writing
    date_subject_verbs: list[str] = []  # "Sunday was chosen as its date": the date is the subject
    since_words: list[str] = []       # "since December": the date a state the main clause tells began
    period_words: list[str] = []      # "a loan for 2026-27": after a noun, the period of a thing, not a time
    earlier_words: list[str] = []     # "Earlier, X said": before the narrative's time, never the story's day
    present_reporting_verbs: list[str] = []  # "says": said at the time of writing, not at the story's happening
    habitual_words: list[str] = []    # "The airline already offers ...": a habit or state, not the story's happening
    past_copulas: list[str] = []      # "was", "were": with a position word after them, a description
    position_words: list[str] = []    # "The words were atop a picture": where a thing was, not a happening
    headline_labels: list[str] = []   # "Analysis: ...": a genre label, the headline tells no happening
    headline_non_events: list[str] = []  # "Why the talks failed", "Live:": headlines that tell no happening
    present_suffixes: list[str] = []  # "Airbus wins": a headline's verb in the present, after a name
    not_present_endings: list[str] = []  # "Congress", "Airbus": words in those endings that are no verb
    reporting_participles: list[str] = []  # ", saying the company has ...": what follows was said


class SourceQuote(Strict):
    source: str
    quote: str = Field(min_length=1)


class KeyPoint(Strict):
    text: str = Field(min_length=1)
    quotes: list[SourceQuote] = Field(min_length=1)


class EventMerge(Strict):
    """When machine-found reports count as one happening (pipeline/review/happenings.py)."""

    enabled: bool = True
    window_days: int = Field(default=1, ge=0, le=366)       # dates may differ by this much
    precisions: list[Literal[DATED_PRECISIONS]] = [         # type: ignore[valid-type]
        "day", "week", "part", "month"]                      # dated at least this finely
    shared_people: int = Field(default=2, ge=1)              # named people both reports name
    people_with_place: int = Field(default=1, ge=1)          # ... or this many and a shared place
    shared_wording: float = Field(default=0.6, gt=0, le=1)   # ... or an actor/place and this share of words
    people_types: list[Literal[ACTOR_TYPES]] = ["person"]    # type: ignore[valid-type]
    places_must_agree: bool = True                           # both name places, none shared: two happenings
    min_quote_words: int = Field(default=6, ge=1)            # an analyst quote this long identifies a sentence


class Briefing(Strict):
    title: str
    subtitle: str = ""
    date: date
    author: str = ""
    marking: str = ""
    keep_builds: int = Field(default=5, ge=0, le=100)
    lock_timeout: float = Field(default=60, ge=0)
    max_source_mb: float = Field(default=20, gt=0)
    # rows a capped section prints at most (pipeline/pack); MAX_ROWS_DEFAULTS fills the keys not given
    max_rows: dict[Literal["events", "plan_terms", "actors", "changes", "notes", "sources"],
                   int] = Field(default_factory=lambda: dict(MAX_ROWS_DEFAULTS))
    # pages each capped section may fill; it prints, of its ranked rows, what fits (pipeline/pack/fit.py)
    page_budget: dict[Literal["chronology", "matrix", "framing", "who", "notes", "coverage"],
                      Annotated[float, Field(gt=0, le=40)]] = {}
    sources_in_detail: int = Field(default=6, ge=1)   # sources shown side by side; others counted
    # The lowest confidence a machine-found row (event, plan term, actor) needs to be shown in the
    # PDF and HTML; the others stay in the tables and output/review/ (pipeline/confidence.py).
    show_machine_from: float = Field(default=0.85, ge=0, le=1)
    notes_per_row: int = Field(default=4, ge=1)       # note numbers printed per row ("+N more")
    event_merge: EventMerge = EventMerge()
    key_points: list[KeyPoint] = []

    @field_validator("max_rows", mode="before")
    @classmethod
    def _no_positions_cap(cls, v: Any) -> Any:
        if isinstance(v, dict) and "positions" in v:
            raise invalid("'positions' is not a limit: the comparison prints one row per question "
                          "in questions.yaml and one column per source shown side by side",
                          "remove `positions:` from max_rows; to compare fewer sources, lower "
                          "sources_in_detail")
        return v

    @field_validator("max_rows")
    @classmethod
    def _row_defaults(cls, v: dict[str, int]) -> dict[str, int]:
        return {**MAX_ROWS_DEFAULTS, **v}


ISO_LIKE_RE = re.compile(r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$")


def check_date_expression(value: str | None) -> str | None:
    """An annotation date: ISO or partial (checked here), a range `a/b`, or words the date
    tagger reads ("late 2025"). ISO-shaped parts must be real dates and a range must not end
    before it starts; words are left to the tagger."""
    if value is None:
        return None
    parts = [p.strip() for p in value.split("/")] if "/" in value else [value.strip()]
    if len(parts) > 2 or not all(parts):
        raise invalid(f"'{value}' is not a date or a range 'start/end'",
                      f"{date_fix(value)}; a range is two dates joined by '/': 2025-12-01/2025-12-10")
    iso = [p for p in parts if ISO_LIKE_RE.match(p)]
    for part in iso:
        check_partial_date(part)
    if len(parts) == 2 and len(iso) == 2 and _first_day(parts[0]) > _last_day(parts[1]):
        raise invalid(f"the range '{value}' ends before it starts",
                      f"put the earlier date first: {parts[1]}/{parts[0]}")
    return value


def _first_day(value: str) -> date:
    y, m, d = ([int(p) for p in value.split("-")] + [1, 1])[:3]
    return date(y, m, d)


def _last_day(value: str) -> date:
    import calendar

    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    y, m = parts[0], parts[1] if len(parts) > 1 else 12
    return date(y, m, calendar.monthrange(y, m)[1])


def _listed(value: str | list[str] | None) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


class AnnEvent(Strict):
    id: str
    date: str | None = None
    title: str
    actors: list[str] = []
    place: str | list[str] | None = None      # one place id, or a list when it names several
    plan: str | None = None
    quotes: list[str] = Field(min_length=1)

    _id = field_validator("id")(_check_id)
    _text = field_validator("date", mode="before")(_to_text)
    _date = field_validator("date")(check_date_expression)

    @property
    def places(self) -> list[str]:
        return _listed(self.place)


class AnnTerm(Strict):
    id: str | None = None
    plan: str
    provision: str
    position: str
    value: float | None = None
    unit: str | None = None
    quotes: list[str] = Field(min_length=1)


class AnnPosition(Strict):
    question: str
    stance: str | list[str]
    position: str
    quotes: list[str] = Field(min_length=1)

    @property
    def stances(self) -> list[str]:
        return [self.stance] if isinstance(self.stance, str) else list(self.stance)


class Correction(Strict):
    """New values for some fields of one machine-found item (pipeline/review/corrections.py says which
    fields each kind of item takes, and refuses the others)."""

    id: str
    date: str | None = None
    title: str | None = None
    actors: list[str] | None = None
    place: str | list[str] | None = None
    plan: str | None = None
    provision: str | None = None
    position: str | None = None
    value: float | None = None
    unit: str | None = None

    _text = field_validator("date", mode="before")(_to_text)
    _date = field_validator("date")(check_date_expression)

    @property
    def places(self) -> list[str]:
        return _listed(self.place)


class Annotation(Strict):
    events: list[AnnEvent] = []
    plan_terms: list[AnnTerm] = []
    positions: list[AnnPosition] = []
    actors: list[Actor] = []
    reject: list[str] = []
    corrections: list[Correction] = []


@dataclass(frozen=True)
class Source:
    id: str
    path: Path
    text: str                  # the normalised text every offset indexes (output/sources/<id>.txt)
    sidecar: Sidecar           # the sidecar over the file's own metadata (pipeline/inputs/sources.py)
    has_sidecar: bool
    sha256: str
    reading: Reading | None = None        # how the text was obtained (format, extractor, hints)
    metadata_from: tuple[str, ...] = ()   # sidecar fields taken from the file itself


@dataclass(frozen=True)
class Codebook:
    actors: Loaded[list[Actor]]
    places: Loaded[list[Place]]
    plans: Loaded[list[Plan]]
    provisions: Loaded[list[Provision]]
    questions: Loaded[list[Question]]
    lexicon: Loaded[Lexicon]


@dataclass(frozen=True)
class Inputs:
    root: Path
    briefing: Loaded[Briefing]
    sources: list[Source]
    codebook: Codebook
    annotations: dict[str, Loaded[Annotation]]
    file_hashes: dict[str, str]
    warnings: list[str]
