"""Where a cold build's CPU goes, across every process: `make profile`.

A build is three kinds of process (the build, the render host, one WeasyPrint worker per part),
so a profiler of one process misses most of it. This samples all of them with py-spy
(`--subprocesses`; `make profile` installs it into .venv on first use), then sorts each sample
into a few buckets that say what to work on: WeasyPrint's layout, drawing and PDF writing, and
HTML parsing in the workers; imports in the build and in the host; and the pipeline's own
functions, inclusive. Prints a table and writes bench/cpu_profile.json. Sampling slows every
process (a seed build sampled at 200 Hz counts about 5.6 CPU-s against 4.1 unsampled), so read
the shares, not the seconds.

    python bench/cpu_profile.py                      # the seed, cold
    python bench/cpu_profile.py --sources 200        # the synthetic corpus (bench/corpus.py)
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus  # noqa: E402 - bench/ is not a package
from run import new_project  # noqa: E402

# py-spy counts a process blocked in these as busy: a paused worker or the build waiting on a pipe.
IDLE = ("_PollLikeSelector.select ", "Connection._recv ", "select ", "poll ", "sleep ", "Popen._wait ")
WRAPPERS = ("__main__.py:", "build.py:build", "build.py:_build", "build.py:Stages.")   # contain everything
FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^:()]+)(?::\d+)?\)$")
BUCKETS = [   # first match wins: (bucket, a frame or file the stack must contain)
    ("worker: layout", "layout_document"),
    ("worker: drawing and PDF", "write_pdf"),
    ("worker: HTML parse and style", "render_part"),
    ("host: imports", "_find_and_load", "pipeline/render/host.py"),
    ("host: warm-up (fonts, stylesheets, a sample page)", "pipeline/render/reuse.py"),
    ("host: join and scheduling", "pipeline/render/host.py"),
    ("build: imports", "_find_and_load"),
]


def bucket(stack: str) -> str:
    for name, *needles in BUCKETS:
        if all(n in stack for n in needles):
            return name
    return "build: pipeline stages and writing"


def summarise(raw: Path, rate: int) -> dict:
    """py-spy's raw (collapsed) stacks → seconds per bucket and per pipeline function."""
    buckets: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = idle = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        if stack.rsplit(";", 1)[-1].startswith(IDLE):
            idle += n
            continue
        total += n
        buckets[bucket(stack)] += n
        if "pipeline/render/" in stack:
            continue
        seen = set()
        for frame in stack.split(";"):
            m = FRAME.match(frame)
            if m and "pipeline/" in m["file"] and "_find_and_load" not in stack:
                name = f"{m['file'].split('pipeline/', 1)[1]}:{m['func']}"
                if name not in seen and not name.startswith(WRAPPERS):
                    seen.add(name)
                    functions[name] += n
    seconds = lambda n: round(n / rate, 3)  # noqa: E731
    return {"cpu_s_sampled": seconds(total), "idle_s_dropped": seconds(idle), "rate_hz": rate,
            "buckets": {k: seconds(v) for k, v in buckets.most_common()},
            "pipeline_functions": {k: seconds(v) for k, v in functions.most_common(25)}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sources", type=int, default=0, help="profile a synthetic corpus of this many sources")
    p.add_argument("--rate", type=int, default=200, help="samples per second per process")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "cpu_profile.json")
    args = p.parse_args(argv)
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if not spy:
        print("error: py-spy is not installed\n  fix: make profile (installs it into .venv)", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="briefing-profile-"))
    try:
        root = tmp / "project"
        if args.sources:
            make_corpus(root, args.sources)
        else:
            new_project(root)
        raw = tmp / "stacks.raw"
        cmd = [spy, "record", "--subprocesses", "--rate", str(args.rate), "--format", "raw", "--output", str(raw),
               "--", sys.executable, "-m", "pipeline", "--root", str(root), "build", "--no-cache", "--quiet"]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
        if r.returncode != 0 or not raw.exists():
            print(f"error: py-spy failed (exit {r.returncode}):\n{r.stderr[-2000:]}", file=sys.stderr)
            return 1
        result = {"project": f"synthetic, {args.sources} sources" if args.sources else "seed",
                  **summarise(raw, args.rate)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{result['project']}: {result['cpu_s_sampled']:.2f} CPU-s sampled at {args.rate} Hz in every process "
          f"(and {result['idle_s_dropped']:.2f} s of waiting on pipes, left out)")
    for name, s in result["buckets"].items():
        print(f"  {s:7.2f} s  {100 * s / result['cpu_s_sampled']:5.1f}%  {name}")
    print("pipeline functions (build process, inclusive):")
    for name, s in list(result["pipeline_functions"].items())[:15]:
        print(f"  {s:7.2f} s  {name}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
