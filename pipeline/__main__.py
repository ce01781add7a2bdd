"""Command line: `briefing build|check` (also `python -m pipeline`).

A thin layer over pipeline.build: it turns InputError into exit 2 with a message naming the
file, line and fix, prints progress only on a terminal, and never prompts.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_LOCKED = 0, 1, 2, 75

HELP = {
    "build": "validate inputs/ and build output/ (briefing.pdf, briefing.html, tables, manifest)",
    "check": "validate inputs/ only: schemas, quotes and references; writes nothing",
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="briefing", description="Build the briefing pack from inputs/.")
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    sub = p.add_subparsers(dest="command", required=True)
    for name, text in HELP.items():
        s = sub.add_parser(name, help=text, description=text)
        s.add_argument("--no-cache", action="store_true", help="ignore .cache/ and rebuild every stage")
        s.add_argument("--quiet", "-q", action="store_true", help="print only errors and warnings")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s", stream=sys.stderr)
    from pipeline.build import build
    from pipeline.errors import BuildLocked, InputError

    tty = sys.stderr.isatty() and not args.quiet
    progress = (lambda msg: print(f"  {msg}", file=sys.stderr)) if tty else None
    try:
        result = build(args.root, check_only=args.command == "check", progress=progress,
                       use_cache=not args.no_cache)
    except BuildLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except InputError as exc:
        n = len(exc.problems)
        print(f"error: {n} problem{'s' if n != 1 else ''} in the inputs; output/ was not changed.",
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INPUT
    if not args.quiet:
        rows = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        what = "inputs are valid" if result.status == "checked" else f"built output/ ({result.pages} pages)"
        print(f"{what} in {result.seconds:.1f} s: {rows}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
