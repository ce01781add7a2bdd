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
    python bench/cpu_profile.py --ladder 20,100,200,1000   # `make profile`: at each size of
                                                     # bench/run.py's ladder, built on the previous
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
from run import grow, new_project  # noqa: E402

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


def record(spy: str, root: Path, rate: int, raw: Path, cache: bool) -> str | None:
    """py-spy over one build of `root`; an error message, or None."""
    cmd = [spy, "record", "--subprocesses", "--rate", str(rate), "--format", "raw", "--output", str(raw),
           "--", sys.executable, "-m", "pipeline", "--root", str(root), "build", "--quiet",
           *([] if cache else ["--no-cache"])]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if r.returncode != 0 or not raw.exists():
        return f"py-spy failed (exit {r.returncode}):\n{r.stderr[-2000:]}"
    return None


def ladder(spy: str, sizes: list[int], rate: int, tmp: Path) -> list[dict]:
    """Each size of bench/run.py's ladder, built with its cache on top of the previous one."""
    from corpus import load_seed

    seed = load_seed()
    root = new_project(tmp / "ladder")
    steps = []
    for n in [0, *sizes]:
        added = grow(root, n, seed) if n else "the seed"
        raw = tmp / f"stacks-{n}.raw"
        error = record(spy, root, rate, raw, cache=True)
        if error:
            raise SystemExit(f"error: {error}")
        sources = len(list((root / "inputs" / "sources").glob("*.txt")))
        steps.append({"project": f"ladder, {sources} sources (added {added})", **summarise(raw, rate)})
        print(f"  {sources} sources: {steps[-1]['cpu_s_sampled']:.1f} CPU-s sampled", file=sys.stderr, flush=True)
    return steps


def print_ladder(steps: list[dict]) -> None:
    heads = [step["project"].split(",")[1].split("(")[0].strip().removesuffix(" sources") for step in steps]
    names = list(dict.fromkeys(b for step in steps for b in step["buckets"]))
    print(f"CPU-seconds sampled, every process, by size (sources){'':<8}" + "".join(f"{h:>9}" for h in heads))
    for name in names:
        print(f"  {name[:52]:<52}" + "".join(f"{step['buckets'].get(name, 0):>9.2f}" for step in steps))
    print(f"  {'all':<52}" + "".join(f"{step['cpu_s_sampled']:>9.2f}" for step in steps))
    for head, step in zip(heads, steps, strict=True):
        top = ", ".join(f"{k} {v:.2f}" for k, v in list(step["pipeline_functions"].items())[:6])
        print(f"{head} sources, pipeline functions (inclusive): {top}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sources", type=int, default=0, help="profile a synthetic corpus of this many sources")
    p.add_argument("--ladder", default="", help="sizes of bench/run.py's ladder, e.g. 20,100,200,1000")
    p.add_argument("--rate", type=int, default=0, help="samples per second per process "
                   "(default 200, or 50 with --ladder)")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "cpu_profile.json")
    args = p.parse_args(argv)
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if not spy:
        print("error: py-spy is not installed\n  fix: make profile (installs it into .venv)", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="briefing-profile-"))
    if args.ladder:
        rate = args.rate or 50
        try:
            steps = ladder(spy, [int(n) for n in args.ladder.split(",") if n], rate, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        args.out.write_text(json.dumps({"ladder": steps}, indent=2) + "\n")
        print_ladder(steps)
        print(f"wrote {args.out}")
        return 0
    args.rate = args.rate or 200
    try:
        root = tmp / "project"
        if args.sources:
            make_corpus(root, args.sources)
        else:
            new_project(root)
        raw = tmp / "stacks.raw"
        error = record(spy, root, args.rate, raw, cache=False)
        if error:
            print(f"error: {error}", file=sys.stderr)
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
