"""Problems and their fixes: how a schema error becomes the exit-2 message that names the
file, the line and what to write instead.

A validator of ours raises `invalid(message, fix)`; every other pydantic error gets its fix
from TYPE_FIXES by its type; unknown keys and unknown ids get the closest known name.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from pipeline.errors import InputError, Problem, display_path
from pipeline.inputs.yamlmap import Loaded


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


def validate(path: Path, model: Any, data: Any, lines: dict) -> Loaded:
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
