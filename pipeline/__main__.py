"""Command line: `briefing build|check|init` (also `python -m pipeline`).

A thin layer over pipeline.build: it turns InputError into exit 2 with a message naming the
file, line and fix, prints progress only on a terminal, and never prompts.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import textwrap
import traceback
from pathlib import Path

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_ENVIRONMENT, EXIT_LOCKED = 0, 1, 2, 74, 75

HELP = {
    "build": "validate inputs/ and build output/ (briefing.pdf, briefing.html, tables, manifest)",
    "check": "validate inputs/ only: schemas, quotes and references; writes nothing",
}

EPILOG = ("exit codes: 0 built, checked or up to date; 1 internal error (a bug); "
          "2 bad input (the message names file, line and fix); "
          "74 the environment failed (disk full, permission denied, a name too long for the file "
          "system: the message names the path and the fix); "
          "75 another build held the lock past lock_timeout")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="briefing", description="Build the briefing pack from inputs/.",
                                epilog=EPILOG)
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    sub = p.add_subparsers(dest="command", required=True)
    for name, text in HELP.items():
        s = sub.add_parser(name, help=text, description=text, epilog=EPILOG)
        # --root is accepted before or after the subcommand (`briefing build --root DIR`).
        s.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                       help="project folder (default: .)")
        s.add_argument("--no-cache", action="store_true", help="ignore .cache/ and rebuild every stage")
        s.add_argument("--quiet", "-q", action="store_true", help="print only errors and warnings")
    text = ("write a starter project for a new topic into DIR: inputs/ with the language resources, "
            "empty topic files (each with a commented example) and a folder for the sources")
    s = sub.add_parser("init", help=text, description=text,
                       epilog="then drop sources into DIR/inputs/sources/ and run `briefing build --root DIR`")
    s.add_argument("dir", type=Path, metavar="DIR", help="the new project's folder (created if missing)")
    s.add_argument("--title", help="the briefing's title (default: from the folder's name)")
    s.add_argument("--own-templates", action="store_true",
                   help="copy the templates into DIR/templates/ to change the look (default: the "
                        "engine's templates are used)")
    return p


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (not the one at import), so repeated in-process
    runs, and tests capturing stderr, each see their own warnings."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("warning: %(message)s"))

    @property
    def stream(self):  # noqa: ANN201 - the logging module's own attribute
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def _setup_logging() -> None:
    log = logging.getLogger()
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        log.addHandler(_StderrHandler())
    if log.level == logging.NOTSET or log.level > logging.WARNING:
        log.setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    # A build allocates millions of small objects (pandas, pydantic) and lives for seconds:
    # collecting cycles every 700 allocations cost 0.2 s of CPU per seed build, every 50,000 0.07 s.
    gc.set_threshold(50_000, 20, 100)
    args = parser().parse_args(argv)
    _setup_logging()
    if args.command == "init":
        return _init(args)
    check = args.command == "check"
    from contextlib import nullcontext

    from pipeline.render.stage import RenderHost

    # loads WeasyPrint and the templates' fonts meanwhile
    from pipeline.starter import templates_dir

    with nullcontext() if check else RenderHost(templates_dir(args.root)) as host:
        return _run(args, check, host)


def _init(args: argparse.Namespace) -> int:
    from pipeline.errors import InputError
    from pipeline.readers import SUFFIXES_IN_WORDS
    from pipeline.starter import copy_templates, init_project

    try:
        init_project(args.dir, args.title)
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_INPUT
    if args.own_templates:
        copy_templates(args.dir)
    root = args.dir
    from pipeline.readers import reader_for

    folder = Path(root) / "inputs" / "sources"
    found = sum(1 for f in folder.iterdir() if f.is_file() and f.name != "README.md" and reader_for(f)) \
        if folder.is_dir() else 0
    have = f"; {found} source{'s' if found != 1 else ''} already there, kept" if found else ""
    print(f"wrote a starter project in {root}/:\n"
          f"  {root}/inputs/briefing.yaml          title, date, author (key points come later)\n"
          f"  {root}/inputs/codebook/              language resources; empty topic files with examples\n"
          f"  {root}/inputs/sources/               drop the articles here ({SUFFIXES_IN_WORDS}){have}\n"
          f"  {root}/inputs/annotations/           reviews, one file per source, once you start\n"
          + (f"next: briefing build --root {root}" if found else
             f"next: copy sources into {root}/inputs/sources/, then run: briefing build --root {root}"))
    return EXIT_OK


def _run(args: argparse.Namespace, check: bool, host: object) -> int:
    from pipeline.build import build
    from pipeline.errors import BuildLocked, EngineBug, EnvironmentFault, InputError

    tty = sys.stderr.isatty() and not args.quiet
    progress = (lambda msg: print(f"  {msg}", file=sys.stderr)) if tty else None
    try:
        if not check:
            # A build killed mid-publish left a temp folder (or output/ moved aside): repair it
            # now, even if this run then stops on bad input.
            from pipeline.publish import recover_if_idle

            recover_if_idle(args.root, args.root / "output")
        # `check` writes nothing at all, not even the stage cache.
        result = build(args.root, check_only=check, progress=progress,
                       use_cache=not (args.no_cache or check), host=host)
    except BuildLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except InputError as exc:
        n = len(exc.problems)
        print(f"error: {n} problem{'s' if n != 1 else ''} in the inputs; output/ was not changed.",
              file=sys.stderr)
        for problem in exc.problems:
            print(textwrap.indent(str(problem), "  "), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        raise
    except EnvironmentFault as exc:
        return _environment(exc)
    except EngineBug as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("error: internal error: a bug in the pipeline, not in inputs/; output/ was not changed",
              file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # noqa: BLE001 - anything else is a bug: show it, exit 1
        fault = EnvironmentFault.of(exc)
        if fault is not None:
            return _environment(fault)
        traceback.print_exc()
        print("error: internal error: a bug in the pipeline, not in inputs/ (please report the "
              "traceback above)", file=sys.stderr)
        return EXIT_INTERNAL
    if not args.quiet:
        rows = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        what = "inputs are valid" if result.status == "checked" else f"built output/ ({result.pages} pages)"
        print(f"{what} in {result.seconds:.1f} s: {rows}")
    return EXIT_OK


def _environment(fault: Exception) -> int:
    print("error: the environment failed (not the inputs, not a bug); output/ was not changed.",
          file=sys.stderr)
    for problem in getattr(fault, "problems", []):
        print(textwrap.indent(str(problem), "  "), file=sys.stderr)
    return EXIT_ENVIRONMENT


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written, published and unlocked by now; tearing down pandas and friends
    # would only add about 0.3 s to every build.
    os._exit(code)
