"""Command line: `briefing build|check` (also `python -m pipeline`).

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

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_LOCKED = 0, 1, 2, 75

HELP = {
    "build": "validate inputs/ and build output/ (briefing.pdf, briefing.html, tables, manifest)",
    "check": "validate inputs/ only: schemas, quotes and references; writes nothing",
}

EPILOG = ("exit codes: 0 built, checked or up to date; 1 internal error (a bug); "
          "2 bad input (the message names file, line and fix); "
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
    check = args.command == "check"
    from contextlib import nullcontext

    from pipeline.render.stage import RenderHost

    # loads WeasyPrint and the templates' fonts meanwhile
    with nullcontext() if check else RenderHost(args.root / "templates") as host:
        return _run(args, check, host)


def _run(args: argparse.Namespace, check: bool, host: object) -> int:
    from pipeline.build import build
    from pipeline.errors import BuildLocked, EngineBug, InputError

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
    except EngineBug as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("error: internal error: a bug in the pipeline, not in inputs/; output/ was not changed",
              file=sys.stderr)
        return EXIT_INTERNAL
    except Exception:  # noqa: BLE001 - anything else is a bug: show it, exit 1
        traceback.print_exc()
        print("error: internal error: a bug in the pipeline, not in inputs/ (please report the "
              "traceback above)", file=sys.stderr)
        return EXIT_INTERNAL
    if not args.quiet:
        rows = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        what = "inputs are valid" if result.status == "checked" else f"built output/ ({result.pages} pages)"
        print(f"{what} in {result.seconds:.1f} s: {rows}")
    return EXIT_OK


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written, published and unlocked by now; tearing down pandas and friends
    # would only add about 0.3 s to every build.
    os._exit(code)
