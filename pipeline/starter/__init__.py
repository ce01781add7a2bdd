"""`briefing init DIR`: a starter project for a new topic, and where a project's templates are.

A new briefing starts from nothing but its sources, so the starter holds no topic knowledge:
the topic files of the codebook are empty lists, each with a commented example, and the build
fills the gaps from the sources (discovered actors, plan versions the sources name, suggested
provisions) until an analyst writes them down. The language resources (lexicon.yaml) are not
about a topic, so they are copied from the engine's own project, which the team keeps current.

Templates: a project without a `templates/` folder is rendered with the engine's templates
(`templates_dir`), so a new project gets every fix to the look without copying anything; a
project that wants its own look copies `templates/` into its folder, and that copy wins.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

from pipeline.errors import InputError, Problem, display_path

HERE = Path(__file__).resolve().parent
ENGINE_ROOT = HERE.parent.parent            # the repository the pipeline package runs from
ENGINE_TEMPLATES = ENGINE_ROOT / "templates"
ENGINE_LEXICON = ENGINE_ROOT / "inputs" / "codebook" / "lexicon.yaml"
TOPIC_FILES = ("actors", "places", "plans", "provisions", "questions")
NOTE_NAMES = frozenset({"readme.md", "readme.txt"})   # notes in inputs/sources/, not sources


def is_note(path: Path) -> bool:
    """A README in inputs/sources/ (the starter writes one) is a note to the desk, not a source."""
    return path.name.lower() in NOTE_NAMES


def templates_dir(root: Path) -> Path:
    """The project's own templates/ when it has one, else the engine's."""
    own = Path(root) / "templates"
    return own if own.exists() or not ENGINE_TEMPLATES.is_dir() else ENGINE_TEMPLATES


def lexicon_text() -> str:
    """The engine's language resources as a new project gets them: with the one topic-worded
    label made neutral (also what a project's lexicon.yaml falls back on, pipeline/inputs/lexicon.py)."""
    text = ENGINE_LEXICON.read_text(encoding="utf-8")
    return re.sub(r"(?m)^framing_label:.*$", "framing_label: The subject and the diplomacy (phrases used)",
                  text)


KEPT = ("sources", "annotations")     # what a folder may hold already when a project is started in it


def init_project(folder: Path, title: str | None = None, today: date | None = None) -> list[Path]:
    """Write the starter project into `folder` (created if missing). A folder whose inputs/
    holds only the articles a desk already collected (sources/, annotations/) gets the rest
    around them; a project (briefing.yaml or a codebook) is never overwritten. Returns the
    files written."""
    folder = Path(folder)
    inputs = folder / "inputs"
    made = sorted(p.name for p in inputs.iterdir() if p.name not in KEPT) if inputs.is_dir() else []
    if made:
        raise InputError(Problem(display_path(inputs / made[0]), None,
                                 "already exists: init starts a project around sources/ and annotations/ only",
                                 "choose an empty or new folder, or build this one with "
                                 f"`briefing build --root {display_path(folder)}`"))
    if not ENGINE_LEXICON.is_file():
        raise InputError(Problem(display_path(ENGINE_LEXICON), None,
                                 "the engine's language resources are missing",
                                 "run init from a checkout of the pipeline installed with `make` "
                                 "(pip install -e .)"))
    title = title or f"Briefing: {folder.resolve().name.replace('-', ' ')}"
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        path = inputs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    briefing = (HERE / "briefing.yaml").read_text(encoding="utf-8")
    briefing = briefing.replace("__TITLE__", json.dumps(title, ensure_ascii=False))
    write("briefing.yaml", briefing.replace("__DATE__", (today or date.today()).isoformat()))
    for name in TOPIC_FILES:
        write(f"codebook/{name}.yaml", (HERE / "codebook" / f"{name}.yaml").read_text(encoding="utf-8"))
    write("codebook/lexicon.yaml", lexicon_text())
    if not (inputs / "sources" / "README.md").exists():
        write("sources/README.md", (HERE / "sources" / "README.md").read_text(encoding="utf-8"))
    (inputs / "annotations").mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(".cache/\n.output-*\n.build.lock\n", encoding="utf-8")
        written.append(ignore)
    return written


def copy_templates(folder: Path) -> Path:
    """The engine's templates copied into a project, for a desk that wants its own look."""
    dest = Path(folder) / "templates"
    shutil.copytree(ENGINE_TEMPLATES, dest)
    return dest
