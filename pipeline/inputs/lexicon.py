"""A project's language resources, completed from the engine's.

`briefing init` copies the engine's lexicon.yaml into a new project, and the team keeps adding
word lists to the engine's copy (each with an extraction fix that reads it). A project made
before a list existed would otherwise read it as empty, so a desk's older project silently
missed every such fix. Here, a key the project's file does not set takes the engine's value,
and the build says which keys it took; a key the project sets, even to `[]`, is the project's.
What was taken counts as an input (`ENGINE_ENTRY` in the input hashes): a change to the
engine's lists reruns the work that reads them, and the manifest records it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from pipeline.errors import EngineBug, display_path
from pipeline.inputs.schema import Lexicon
from pipeline.inputs.yamlmap import Loaded

ENGINE_ENTRY = "codebook/lexicon.yaml+engine"    # the input hash of the engine's lists, when used
SHOWN = 4                                        # keys named in the build's message, then "and N more"


def engine_lexicon() -> tuple[Lexicon, str] | None:
    """The engine's lexicon as a new project gets it, and the hash of its text; None when this
    installation has no engine project to take it from."""
    from pipeline.starter import ENGINE_LEXICON, lexicon_text

    if not ENGINE_LEXICON.is_file():
        return None
    text = lexicon_text()
    try:
        # libyaml's safe loader where PyYAML has it: read at every build (50 ms in pure Python)
        model = Lexicon.model_validate(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {})
    except Exception as exc:   # noqa: BLE001 - the engine's own file: a bug, not the desk's input
        raise EngineBug("lexicon", [], [f"the engine's {ENGINE_LEXICON} does not validate: {exc}"]) from exc
    return model, hashlib.sha256(text.encode("utf-8")).hexdigest()


def complete(loaded: Loaded[Lexicon] | None, path: Path) -> tuple[Loaded[Lexicon] | None, list[str], str | None]:
    """(the project's lexicon with the keys it leaves out taken from the engine's, messages for
    the build's warnings, the engine lexicon's hash when any of it was used). `loaded` None: the
    file is missing (a file that failed to validate is reported elsewhere and never completed)."""
    if loaded is not None and not loaded.model.engine_lists:
        return loaded, [], None         # turned off
    engine = engine_lexicon()
    if engine is None:
        if loaded is None:
            return Loaded(path, Lexicon(), {}), [f"{display_path(path)}: missing; using an empty lexicon"], None
        return loaded, [], None
    model, sha = engine
    where = display_path(path)
    if loaded is None:
        return (Loaded(path, model, {}),
                [f"{where}: missing; using the engine's language resources (copy them into the project "
                 "with `briefing init` in a new folder to change them)"], sha)
    notes = [note] if (note := behind(loaded.model, model, where)) else []
    absent = [k for k in Lexicon.model_fields if k not in loaded.model.model_fields_set
              and k in model.model_fields_set and k != "engine_lists"]
    if not absent:
        return loaded, notes, None
    named = ", ".join(absent[:SHOWN]) + (f" and {len(absent) - SHOWN} more" if len(absent) > SHOWN else "")
    completed = loaded.model.model_copy(update={k: getattr(model, k) for k in absent})
    return (Loaded(loaded.path, completed, loaded.lines),
            [f"{where}: does not set {named}; the engine's lists are used (copy a key from the engine's "
             "lexicon.yaml to change it, set it to [] to turn it off, or set engine_lists: false)", *notes], sha)


def behind(project: Lexicon, engine: Lexicon, where: str) -> str | None:
    """A message naming the words the engine's lists have and the project's own lists lack (a
    list the project sets is its own, so words the team adds later never reach it): for the
    desk to add them, or to say engine_lists: false to keep its lists as they are."""
    missing: dict[str, list[str]] = {}
    for key in sorted(project.model_fields_set & engine.model_fields_set):
        mine, theirs = getattr(project, key), getattr(engine, key)
        if isinstance(mine, list) and isinstance(theirs, list) and mine:    # [] turns a list off
            have = set(map(str, mine))
            lacking = [str(w) for w in theirs if str(w) not in have]
            if lacking:
                missing[key] = lacking
    if not missing:
        return None
    shown = "; ".join(f"{k}: {', '.join(ws[:SHOWN])}" + (f" and {len(ws) - SHOWN} more" if len(ws) > SHOWN else "")
                      for k, ws in list(missing.items())[:SHOWN])
    more = f"; and {len(missing) - SHOWN} more lists" if len(missing) > SHOWN else ""
    return (f"{where}: {len(missing)} of its lists lack words the engine's lexicon.yaml has ({shown}{more}): "
            "add them to use them, or set engine_lists: false to keep your lists as they are")
