"""Input schemas and loading: the only module that reads `inputs/`.

Every YAML file is parsed with a line map so that a pydantic error on `events[3].quotes[0]`
can be reported as `annotations/x.yaml:42`. All problems across all files are collected and
raised together, so one `make check` shows everything to fix.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from pipeline.errors import InputError, Problem, display_path
from pipeline.readers import Reading

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
AUTO_ACTOR_PREFIX = "auto-"        # ids extraction gives the actors it discovers
PARTIAL_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ACTOR_TYPES = ("person", "state", "organisation", "bloc", "media", "other")
SOURCE_KINDS = ("analysis", "opinion", "news", "transcript", "official", "other")
MAX_SOURCE_BYTES_DEFAULT = 20 * 1024 * 1024


def _to_text(value: Any) -> Any:
    """YAML turns 2025-08-15 into a date and 2025 into an int; we want the text as written."""
    if isinstance(value, date | int) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def invalid(message: str, fix: str) -> PydanticCustomError:
    """A validator's error with its fix kept apart from the message, so that the fix is printed
    on its own `fix:` line like every other problem's."""
    return PydanticCustomError("invalid_value", "{message}", {"message": message, "fix": fix})


def date_fix(value: str) -> str:
    """How to write a date typed in another order or form: `16/12/2025` and `2025-16-12` become
    `2025-12-16`; when day and month could be either way round, both readings are offered."""
    nums = re.findall(r"\d+", value)
    orders: list[tuple[str, str, str]] = []
    if len(nums) == 3 and len(nums[0]) == 4:
        orders = [(nums[0], nums[1], nums[2]), (nums[0], nums[2], nums[1])]
    elif len(nums) == 3 and len(nums[2]) == 4:
        orders = [(nums[2], nums[1], nums[0]), (nums[2], nums[0], nums[1])]
    readings: list[str] = []
    for y, m, d in orders:
        try:
            text = date(int(y), int(m), int(d)).isoformat()
        except ValueError:
            continue
        if text != value and text not in readings:
            readings.append(text)
    if readings:
        return f"write it as YYYY-MM-DD: {' or '.join(readings)}"
    return "write a real date as YYYY-MM-DD (2025-12-16), or YYYY-MM / YYYY when the day or month is unknown"


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
    not_organisations: list[str] = []  # all-capital words that are not organisations ("CEO", "GDP")
    corporate_suffixes: list[str] = []  # "Apple Inc" is "Apple": legal forms after a firm's name
    not_organisation_heads: list[str] = []  # "Conference", "Street": names of things and places, not actors
    place_prepositions: list[str] = []  # "in", "at": a name after one is a place, not a person
    demonym_endings: list[str] = []   # "Russian", "Israeli": adjectives of nationality, not organisations
    rival_plan_words: list[str] = []  # "counter-proposal": a plan of another party, never a known version
    not_value_cues: list[str] = []    # "not at", "rather than": the figure after is not the version's
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
    conditional_words: list[str] = []  # "if", "unless": no happening
    content_markers: list[str] = []   # "calls for", "under the plan": what a plan contains
    perfect_aux: list[str] = []       # "has won": just before publication
    participant_pronouns: list[str] = []  # "she", "they": a participant named before


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
    precisions: list[Literal["day", "week", "part", "month", "season", "quarter", "range", "year"]] = [
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
    max_rows: dict[Literal["events", "plan_terms", "actors", "positions", "changes", "notes", "sources"],
                   int] = {}
    # pages each capped section may fill; it prints, of its ranked rows, what fits (pipeline/pack/fit.py)
    page_budget: dict[Literal["chronology", "matrix", "framing", "who", "notes"],
                      Annotated[float, Field(gt=0, le=40)]] = {}
    sources_in_detail: int = Field(default=6, ge=1)   # sources shown side by side; others counted
    # The lowest confidence a machine-found row (event, plan term, actor) needs to be shown in the
    # PDF and HTML; the others stay in the tables and output/review/ (pipeline/confidence.py).
    show_machine_from: float = Field(default=0.85, ge=0, le=1)
    notes_per_row: int = Field(default=4, ge=1)       # note numbers printed per row ("+N more")
    event_merge: EventMerge = EventMerge()
    key_points: list[KeyPoint] = []


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


M = TypeVar("M")


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model plus where each of its values sits in the file."""

    path: Path
    model: M
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def line_of(self, *loc: Any) -> int | None:
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return None

    def problem(self, loc: tuple[Any, ...], message: str, hint: str = "") -> Problem:
        return Problem(display_path(self.path), self.line_of(*loc), message, hint)


@dataclass(frozen=True)
class Source:
    id: str
    path: Path
    text: str                  # the normalised text every offset indexes (output/sources/<id>.txt)
    sidecar: Sidecar           # the sidecar over the file's own metadata (pipeline/readers/discover.py)
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


# --------------------------------------------------------------------------- YAML with lines

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_YAML_VALUES = 200_000      # values after alias expansion: stops "billion laughs" files early
MAX_YAML_DEPTH = 50            # inputs nest five levels at most
MAX_YAML_EXPANDED = MAX_YAML_BYTES   # characters of text once aliases are expanded (one 1 MB string
                                     # referred to 1,000 times is 1 GB once validated and hashed)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 5x faster
    """The safe loader, except that an impossible date (2025-02-30) stays text.

    PyYAML turns anything shaped like a date into `datetime.date` and raises a bare ValueError
    for 2025-13-40; kept as text, the schema reports it with its key and line instead.
    """

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _key_text(node: yaml.Node) -> Any:
    return node.value if isinstance(node, yaml.ScalarNode) else repr(node)


def _line_map(root: yaml.Node, path: Path) -> tuple[dict[tuple[Any, ...], int], list[Problem]]:
    """Line of every value (the key's line for mapping entries); duplicate keys as problems.

    Walks iteratively with a budget: an alias bomb or a recursive alias is refused here, before
    the document is constructed or validated.
    """
    lines: dict[tuple[Any, ...], int] = {}
    dupes: list[Problem] = []
    stack: list[tuple[yaml.Node, tuple[Any, ...], int]] = [(root, (), root.start_mark.line + 1)]
    visited = 0
    expanded = 0
    while stack:
        node, loc, line = stack.pop()
        visited += 1
        if isinstance(node, yaml.ScalarNode):
            expanded += len(node.value)
            if expanded > MAX_YAML_EXPANDED:
                raise InputError.at(path, line, f"more than {MAX_YAML_EXPANDED // (1024 * 1024)} MB of text "
                                    "once YAML aliases (*name) are expanded",
                                    "write the values out; do not refer to long values with aliases")
        if visited > MAX_YAML_VALUES or len(loc) > MAX_YAML_DEPTH:
            loop = _alias_loop(root)
            if loop is not None:
                raise InputError.at(path, loop.start_mark.line + 1, "a YAML alias refers to itself",
                                    "remove the recursive alias (*name inside &name)")
            if len(loc) > MAX_YAML_DEPTH:
                raise _too_deep(path, line)
            raise InputError.at(path, None, f"more than {MAX_YAML_VALUES} values once YAML aliases "
                                "(*name) are expanded", "write the values out; do not nest aliases")
        lines.setdefault(loc, line)
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = _key_text(key_node)
                expanded += len(key) if isinstance(key, str) else 0
                key_line = key_node.start_mark.line + 1
                if key in seen:
                    dupes.append(Problem(display_path(path), key_line, f"key '{key}' appears twice",
                                         "keep one of them"))
                seen.add(key)
                stack.append((value_node, (*loc, key), key_line))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, (*loc, i), item.start_mark.line + 1))
    return lines, sorted(dupes, key=lambda d: d.line or 0)


def _too_deep(path: Path, line: int | None) -> InputError:
    """One message for deep nesting, whichever layer notices it first (our walk, libyaml's own
    limit, or Python's recursion limit), so users and tests see the same words everywhere."""
    return InputError.at(path, line, f"YAML nested more than {MAX_YAML_DEPTH} levels deep",
                         "flatten it: input files need only a few levels of nesting")


def _alias_loop(root: yaml.Node) -> yaml.Node | None:
    """A collection node that contains itself (through aliases), if any: a depth-first walk
    over distinct nodes, so it is quick even on an alias bomb."""
    state: dict[int, int] = {}          # 1: on the current path, 2: done
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            state[id(node)] = 2
            continue
        if state.get(id(node)) == 2:
            continue
        state[id(node)] = 1
        stack.append((node, True))
        children = ([v for _k, v in node.value] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        for child in children:
            if state.get(id(child)) == 1:
                return child
            if state.get(id(child)) is None:
                stack.append((child, False))
    return None


def read_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse YAML safely, keeping a line for every value; duplicate keys are errors."""
    raw = _read_text(path, max_bytes=MAX_YAML_BYTES,
                     too_big="input YAML files are small: is this the right file?")
    loader = _Loader(raw)
    try:
        try:
            node = loader.get_single_node()
            lines, dupes = _line_map(node, path) if node is not None else ({}, [])
            if dupes:
                raise InputError(dupes)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem, context = getattr(exc, "problem", None), getattr(exc, "context", None)
        reason = problem or str(exc)
        if context and reason.startswith("but "):
            reason = f"{context}, {reason}"
        if "nesting depth" in reason:   # libyaml >= 0.2.6 (PyYAML 6.0.3+) stops deep nesting itself
            raise _too_deep(path, line) from None
        hint = "check indentation, colons and quoting on that line"
        if "constructor for the tag" in reason:
            hint = "input files are plain YAML: remove the '!!' tag (tags are never executed)"
        raise InputError.at(path, line, f"invalid YAML: {reason}", hint) from None
    except RecursionError:
        raise _too_deep(path, None) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise InputError.at(path, None, f"invalid YAML value: {exc}",
                            "check dates and numbers in the file") from None
    return data, lines


# Names pydantic puts into error locations for union members and validator wrappers.
_TYPE_TAGS = {"str", "int", "float", "bool", "bytes", "date", "datetime", "none", "dict", "list"}


def _clean_loc(loc: tuple[Any, ...], lines: dict, missing: bool) -> tuple[Any, ...]:
    """Drop pydantic's union tags ('str', 'list[str]', 'DateRange', ...) from a location."""
    out: list[Any] = []
    for k, part in enumerate(loc):
        if isinstance(part, str) and (*out, part) not in lines:
            last_missing = missing and k == len(loc) - 1
            tag = (any(c in part for c in "[(-") or part[:1].isupper() or part in _TYPE_TAGS)
            if tag and not last_missing:
                continue
        out.append(part)
    return tuple(out)


def format_loc(loc: tuple[Any, ...]) -> str:
    """`events[2].date`, `[0].id` for list files, `(top level)` for the document."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _validate(path: Path, model: Any, data: Any, lines: dict) -> Loaded:
    from pydantic import TypeAdapter

    adapter = TypeAdapter(model)
    try:
        value = adapter.validate_python(data if data is not None else _empty_for(model))
    except ValidationError as exc:
        problems: dict[tuple[int | None, str], Problem] = {}
        errors = [(_clean_loc(tuple(e["loc"]), lines, e["type"] == "missing"), e) for e in exc.errors()]
        deeper = {loc[:n] for loc, _e in errors for n in range(len(loc))}
        for loc, err in errors:
            if err["type"].endswith("_type") and loc in deeper:
                # A union member of the wrong shape ('should be a valid string') next to the
                # member the value was meant for, which has its own, deeper problem: keep that.
                continue
            where = format_loc(loc)
            msg = err["msg"].removeprefix("Value error, ")
            hint = type_fix(err)
            if err["type"].startswith("date_") and isinstance(err.get("input"), str):
                msg = f"'{err['input']}' is not a date: {msg}"
            if err["type"] == "extra_forbidden":
                hint = _did_you_mean(str(loc[-1]), model, loc)
                msg = f"unknown key '{loc[-1]}'"
            elif err["type"] == "missing":
                hint = f"add `{loc[-1]}:`" if loc else hint
            elif isinstance(err.get("input"), bool):
                hint = ("YAML reads yes/no/on/off/true/false as a boolean: put the value in "
                        "quotes if you mean the word")
            line = Loaded(path, None, lines).line_of(*loc)
            prev = problems.get((line, where))
            if prev is not None:        # one value failing each member of a union: one problem
                if msg not in prev.message:
                    problems[(line, where)] = Problem(prev.path, line, f"{prev.message}, or {msg}",
                                                      prev.hint or hint)
                continue
            problems[(line, where)] = Problem(display_path(path), line, f"{where}: {msg}", hint)
        raise InputError(list(problems.values())) from None
    return Loaded(path, value, lines)


# The fix for each kind of schema error pydantic reports (its error `type`); `{...}` is filled
# from the error's context. A validator of ours gives its own fix (see `invalid`).
TYPE_FIXES = {
    "missing": "add the missing key",
    "string_type": "write text here; put it in quotes if YAML reads it as a number, date or list",
    "string_too_short": "write some text here, or remove the key",
    "too_short": "give at least {min_length} item(s): [a, b], or one '- item' line each",
    "list_type": "write a list: [a, b], or one '- item' line each",
    "dict_type": "write `key: value` lines here",
    "model_type": "write `key: value` lines here (see docs/formats.md)",
    "model_attributes_type": "write `key: value` lines here (see docs/formats.md)",
    "literal_error": "use one of: {expected}",
    "int_type": "write a whole number, such as 5",
    "int_parsing": "write a whole number, such as 5",
    "int_from_float": "write a whole number, such as 5",
    "float_type": "write a number, such as 2.5",
    "float_parsing": "write a number, such as 2.5",
    "finite_number": "write an ordinary number",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "greater_than": "use a number above {gt}",
    "greater_than_equal": "use a number of at least {ge}",
    "less_than": "use a number below {lt}",
    "less_than_equal": "use a number of at most {le}",
    "date_type": "write the date as YYYY-MM-DD, such as 2025-12-16",
    "date_parsing": "write the date as YYYY-MM-DD, such as 2025-12-16",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD, such as 2025-12-16",
    "date_from_datetime_inexact": "write the date as YYYY-MM-DD, without a time",
    "date_future": "use a date that is not in the future",
    "extra_forbidden": "remove it",
}


def type_fix(err: Any) -> str:
    """The fix line for one pydantic error: the validator's own, else the one for its type,
    else where the format is documented (so that no message goes out without a fix)."""
    ctx = err.get("ctx") or {}
    if ctx.get("fix"):
        return str(ctx["fix"])
    if err["type"].startswith("date_") and isinstance(err.get("input"), str):
        return date_fix(err["input"])
    template = TYPE_FIXES.get(err["type"])
    if template is None:
        return "see docs/formats.md for what this key takes"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0].rstrip(" :") or "see docs/formats.md for what this key takes"


def _empty_for(model: Any) -> Any:
    return [] if getattr(model, "__origin__", None) is list else {}


def _did_you_mean(key: str, model: Any, loc: tuple) -> str:
    fields = _fields_at(model, loc[:-1])
    if not fields:
        return "remove it"
    match = closest_name(key, fields)
    known = ", ".join(fields)
    return f"did you mean '{match}'? (known keys: {known})" if match else f"known keys: {known}"


def _fields_at(model: Any, loc: tuple) -> list[str]:
    """Walk the model along a location to list the keys allowed there."""
    current = model
    for part in loc:
        if getattr(current, "__origin__", None) is list:
            current = current.__args__[0]
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return []
            current = info.annotation
            args = getattr(current, "__args__", ())
            for arg in args:
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    current = arg
    if getattr(current, "__origin__", None) is list:
        current = current.__args__[0]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def load_yaml_model(path: Path, model: Any) -> Loaded:
    data, lines = read_yaml(path)
    return _validate(path, model, data, lines)


# --------------------------------------------------------------------------- sources


_UNREADABLE = "make the file readable by the user running the build (or remove it)"


def _read_text(path: Path, max_bytes: int,
               too_big: str = "split it, or raise max_source_mb in inputs/briefing.yaml") -> str:
    """Read UTF-8 text defensively: size, binary and encoding problems are user errors."""
    from pipeline.readers import ReadError
    from pipeline.readers.text import decode

    data = read_bytes(path, max_bytes, too_big)
    try:
        return decode(data)
    except ReadError as exc:
        raise InputError.at(path, exc.line, exc.message, exc.hint) from None


def read_bytes(path: Path, max_bytes: int,
               too_big: str = "split it, or raise max_source_mb in inputs/briefing.yaml") -> bytes:
    """A regular file's bytes, within a size limit; anything else is a user error."""
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError.at(path, None, f"cannot read file: {exc.strerror}", _UNREADABLE) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError.at(path, None, "is not a regular file (a folder, pipe or device)",
                            "replace it with a plain UTF-8 text file")
    size = info.st_size
    if size > max_bytes:
        mb = 1024 * 1024
        raise InputError.at(path, None, f"file is {size / mb:.1f} MB, over the "
                            f"{max_bytes / mb:g} MB limit", too_big)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError.at(path, None, f"cannot read file: {exc.strerror}", _UNREADABLE) from None


def safe_file(path: Path, root: Path) -> None:
    """Refuse symlinks that lead outside inputs/: sources are data we own, not pointers."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise InputError.at(path, None, f"is a link to {resolved}, outside inputs/",
                            "copy the file into inputs/ instead of linking to it")


def _outside_links(root: Path) -> list[Problem]:
    """Every link under inputs/ (file or folder, at any depth) that leads outside inputs/.

    Checked before anything is read, so no input file can make the build read, hash or
    print a file elsewhere on the machine (`inputs/codebook/actors.yaml -> /etc/passwd`)."""
    problems: list[Problem] = []
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink():
                resolved = path.resolve()
                if not resolved.is_relative_to(real_root):
                    problems.append(Problem(display_path(path), None,
                                            f"is a link to {resolved}, outside inputs/",
                                            "copy the file into inputs/ instead of linking to it"))
    return problems


# --------------------------------------------------------------------------- everything


CODEBOOK_FILES = {
    "actors": list[Actor],
    "places": list[Place],
    "plans": list[Plan],
    "provisions": list[Provision],
    "questions": list[Question],
    "lexicon": Lexicon,
}


def load_inputs(root: Path, cache: Path | None = None) -> Inputs:
    """Read and validate every input file; raise one InputError listing every problem.
    `cache` holds readings of web pages and PDFs between builds (pipeline/readers/discover.py)."""
    from pipeline.readers.discover import load_sources

    problems: list[Problem] = []
    warnings: list[str] = []
    root = Path(root)
    if not root.is_dir():
        raise InputError.at(root, None, "missing folder", "run from the project root, or pass --root")
    links = _outside_links(root)
    if links:
        raise InputError(links)

    def attempt(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except InputError as exc:
            problems.extend(exc.problems)
            return None

    briefing_path = root / "briefing.yaml"
    if briefing_path.exists():
        briefing = attempt(load_yaml_model, briefing_path, Briefing)
    else:
        problems.append(Problem(display_path(briefing_path), None, "missing",
                                "create it with at least `title:` and `date:` (see README)"))
        briefing = None
    max_bytes = int((briefing.model.max_source_mb if briefing else 20) * 1024 * 1024)
    sources, source_ids = load_sources(root, max_bytes, problems, warnings, cache)

    books: dict[str, Loaded] = {}
    broken: set[str] = set()           # codebook files that failed: no "unknown id" noise from them
    for name, model in CODEBOOK_FILES.items():
        path = root / "codebook" / f"{name}.yaml"
        if not path.exists():
            books[name] = Loaded(path, Lexicon() if name == "lexicon" else [], {})
            warnings.append(f"{display_path(path)}: missing; using an empty {name} list")
            continue
        loaded = attempt(load_yaml_model, path, model)
        if loaded is None:
            broken.add(name)
        books[name] = loaded if loaded else Loaded(path, Lexicon() if name == "lexicon" else [], {})

    annotations: dict[str, Loaded[Annotation]] = {}
    ann_dir = root / "annotations"
    # `source_ids`: every source that exists, loaded or not: a broken source is reported once,
    # not again as "unknown" by every file that refers to it.
    if ann_dir.is_dir():
        for path in sorted(ann_dir.glob("*.yaml")):
            if path.stem not in source_ids:
                problems.append(Problem(display_path(path), None,
                                        f"annotations for unknown source '{path.stem}'",
                                        _suggest(path.stem, source_ids, "rename it to match a source")))
                continue
            loaded = attempt(load_yaml_model, path, Annotation)
            if loaded:
                annotations[path.stem] = loaded

    codebook = Codebook(**books)
    problems.extend(check_references(briefing, codebook, annotations, source_ids, broken))
    if problems:
        raise InputError(problems)

    hashes = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        hashes[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return Inputs(root, briefing, sources, codebook, annotations, hashes, warnings)


def closest_name(value: str, known: set[str] | list[str]) -> str | None:
    """The known name a typo most likely meant: within two edits (a swap of neighbours counts
    as one: bbo → bob), else the best fuzzy match scoring 70 or more."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    names = sorted(known)
    if not names or not value:
        return None
    limit = 1 if len(value) <= 4 else 2
    near = process.extractOne(value, names, scorer=OSA.distance, score_cutoff=limit)
    if near is not None:
        return near[0]
    match = process.extractOne(value, names, score_cutoff=70)
    return match[0] if match else None


def source_fix(value: str, known: set[str] | list[str]) -> str:
    """The fix for a reference to a source that does not exist: sources are the files in
    inputs/sources/ (not codebook entries), so name the closest id and the ones there are."""
    ids = sorted(known)
    listed = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    there = f"the sources are the files in inputs/sources/ ({listed})" if ids else "inputs/sources/ has no source"
    near = closest_name(value, known)
    if near:
        return f"did you mean '{near}'? ({there})"
    return f"{there}: cite one of them, or put the file '{value}.txt' (or .md, .html, .pdf) back in inputs/sources/"


def _suggest(value: str, known: set[str] | list[str], fallback: str) -> str:
    match = closest_name(value, known)
    return f"did you mean '{match}'?" if match else fallback


def check_references(briefing: Loaded[Briefing] | None, codebook: Codebook,
                     annotations: dict[str, Loaded[Annotation]], source_ids: set[str],
                     broken: set[str] = frozenset()) -> list[Problem]:
    """Every id used anywhere must exist; ids defined twice are errors. References into a
    codebook file in `broken` (it failed to load, already reported) are not checked."""
    problems: list[Problem] = []

    def unique(loaded: Loaded, items: list, what: str, base: tuple = ()) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                first = loaded.line_of(*base, [x.id for x in items].index(item.id), "id")
                also = f" (first at line {first})" if first else ""
                problems.append(loaded.problem((*base, i, "id"),
                                               f"duplicate {what} id '{item.id}'{also}",
                                               "give each entry its own id"))
            seen.add(item.id)
        return seen

    actor_ids = unique(codebook.actors, codebook.actors.model, "actor")
    place_ids = unique(codebook.places, codebook.places.model, "place")
    plan_ids = unique(codebook.plans, codebook.plans.model, "plan")
    provision_ids = unique(codebook.provisions, codebook.provisions.model, "provision")
    questions = {q.id: q for q in codebook.questions.model}
    unique(codebook.questions, codebook.questions.model, "question")

    def ref(loaded: Loaded, loc: tuple, value: str | None, known: set[str], what: str) -> None:
        if f"{what}s" in broken:
            return
        if value is not None and value not in known:
            if what == "actor" and value.startswith(AUTO_ACTOR_PREFIX):
                return  # a machine-found actor: only extraction knows them (s3_review checks)
            hint = (source_fix(value, known) if what == "source"
                    else _suggest(value, known, f"add it to inputs/codebook/{what}s.yaml"))
            problems.append(loaded.problem(loc, f"unknown {what} '{value}'", hint))

    for i, kp in enumerate(briefing.model.key_points if briefing else []):
        for j, q in enumerate(kp.quotes):
            ref(briefing, ("key_points", i, "quotes", j, "source"), q.source, source_ids, "source")

    for ann in annotations.values():
        a = ann.model
        unique(ann, a.events, "event", ("events",))
        local_actors = actor_ids | {x.id for x in a.actors}
        for i, ev in enumerate(a.events):
            for j, actor in enumerate(ev.actors):
                ref(ann, ("events", i, "actors", j), actor, local_actors, "actor")
            for j, place in enumerate(ev.places):
                ref(ann, ("events", i, "place", *((j,) if isinstance(ev.place, list) else ())),
                    place, place_ids, "place")
            ref(ann, ("events", i, "plan"), ev.plan, plan_ids, "plan")
        for i, t in enumerate(a.plan_terms):
            ref(ann, ("plan_terms", i, "plan"), t.plan, plan_ids, "plan")
            ref(ann, ("plan_terms", i, "provision"), t.provision, provision_ids, "provision")
        for i, p in enumerate(a.positions):
            ref(ann, ("positions", i, "question"), p.question, set(questions), "question")
            q = questions.get(p.question)
            if q:
                for stance in p.stances:
                    if stance not in q.stances:
                        problems.append(ann.problem(
                            ("positions", i, "stance"), f"unknown stance '{stance}' for {q.id}",
                            f"use one of: {', '.join(q.stances)}"))
        for i, c in enumerate(a.corrections):
            for j, actor in enumerate(c.actors or []):
                ref(ann, ("corrections", i, "actors", j), actor, local_actors, "actor")
            for j, place in enumerate(c.places):
                ref(ann, ("corrections", i, "place", *((j,) if isinstance(c.place, list) else ())),
                    place, place_ids, "place")
            ref(ann, ("corrections", i, "plan"), c.plan, plan_ids, "plan")
            ref(ann, ("corrections", i, "provision"), c.provision, provision_ids, "provision")
        seen_q: set[str] = set()
        for i, p in enumerate(a.positions):
            if p.question in seen_q:
                problems.append(ann.problem(("positions", i, "question"),
                                            f"second position on '{p.question}' for this source",
                                            "merge them into one position with several quotes"))
            seen_q.add(p.question)
    return problems
