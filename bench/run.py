"""Benchmarks (issue 6, "fast at today's size and at 100x"): `make bench`.

Measures, each in a fresh temporary project (never in output/):
  seed-cold      full build of the seed, no cache, in a new process (`python -m pipeline build`)
  noop-make      `make` in a temporary copy of the repo whose output is up to date
  rebuild-1-ann  rebuild with cache after editing one annotation's title
  ladder         one project that grows as a desk's does, each size built on top of the previous
                 briefing (its output/ and .cache/ kept, as `make` would): the seed, then mixed
                 sources (bench/corpus.py: seed paragraphs recombined) up to 100, exact copies of
                 earlier texts up to 200, short mixed pieces beyond (1,000 sources ≈ 1 million words)
  scale          issue 22: projects of 2,000 and 10,000 long sources (bench/corpus.py, ≈ 2,500
                 words each: 5 and 25 million words), each built cold, then one source added
                 and built again on the cache (the daily rebuild); --scale, --scale-timeout
  extraction     body words / seconds of the ingest and extract stages (per-source work
                 included) on the largest ladder size
and, for each build: time per stage, peak memory (ru_maxrss of the build and what it waited
for), PDF pages in all and per section (from the PDF's bookmarks), and WeasyPrint's share (the
render stage). Ratios: each size's build over the seed cold build. With Chromium installed it
also prints the seed's HTML with headless Chromium for comparison (information only).

Peak memory is the build process's; the per-source workers (pipeline/per_source.py) are separate
processes, each holding one source at a time.

Prints a table and writes bench/results.json. Options: --sizes 20,100,200,1000 --repeat 2 --quick
--scale 2000,10000.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import add_copies, add_mixed, load_seed, make_corpus  # noqa: E402 - bench/ is not a package
from pages import pages_per_section  # noqa: E402

TARGETS = {  # name: (limit, unit, "max" | "min")
    "seed_cold_s": (5.0, "s", "max"),
    "noop_make_s": (0.2, "s", "max"),
    "rebuild_one_annotation_s": (3.0, "s", "max"),
    "extraction_words_per_s": (100_000, "words/s", "min"),
    "mixed_100_over_seed": (6.0, "x", "max"),
    "copies_200_over_seed": (10.0, "x", "max"),
    "peak_mb_any_size": (1536.0, "MB", "max"),
    "pdf_pages_any_size": (40.0, "pages", "max"),
    # issue 22: a year of long sources (bench/corpus.py, ≈ 2,500 words each), cold and "+1 source"
    "scale_2000_cold_over_seed": (20.0, "x", "max"),
    "scale_2000_plus_one_over_seed": (3.0, "x", "max"),
    "scale_2000_peak_mb": (1536.0, "MB", "max"),
    "scale_10000_completes": (1.0, "built", "min"),   # 1: the cold build finished within --scale-timeout
    "scale_10000_pdf_pages": (40.0, "pages", "max"),
    "scale_10000_peak_mb": (4096.0, "MB", "max"),
    "scale_news_pdf_pages": (40.0, "pages", "max"),    # sources mixed from real news (--scale-news)
}
MIXED_UP_TO, COPIES_UP_TO = 100, 200     # the ladder: mixed sources, then exact copies, then short pieces
SHORT_WORDS = (200, 600)                 # beyond 200 sources: wire-length pieces, ≈ 600 words each (overshoot included)
SHORT_FIRST = 1001                       # their synthetic numbers (other draws than the long ones)


@dataclass
class Run:
    """One child process: wall time, exit code and peak resident memory."""

    wall: float
    rc: int
    maxrss_mb: float
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False
    cpu_s: float = 0.0


@dataclass
class Build:
    label: str
    wall: float
    rc: int
    peak_mb: float
    cpu_s: float = 0.0               # user + system CPU of the build process
    build_seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    pdf_pages: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    body_words: int = 0
    sources: int = 0
    html_bytes: int = 0
    extract_cpu_s: float = 0.0       # CPU seconds of the extract stage (corpus builds only)
    finished: bool = True
    note: str = ""
    section_pages: dict[str, int] = field(default_factory=dict)
    over_seed: float | None = None   # wall time over the seed cold build's

    @property
    def render_share(self) -> float:
        render = self.stage_seconds.get("render", self.stage_seconds.get("render_unfinished", 0.0))
        return render / self.wall if self.wall else 0.0


def child_env(root: Path = REPO) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        timeout: float | None = None) -> Run:
    """Run a child; its own rusage (os.wait4) gives the peak memory of that process alone
    (also when it is killed at `timeout`)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall, proc.returncode, usage.ru_maxrss / 1024, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"), killed.is_set(), usage.ru_utime + usage.ru_stime)


def new_project(dst: Path) -> Path:
    for sub in ("inputs", "templates"):
        shutil.copytree(REPO / sub, dst / sub)
    return dst


def build(root: Path, label: str, cache: bool) -> Build:
    """`python -m pipeline build` in a new process, as `make` runs it."""
    cmd = [sys.executable, "-m", "pipeline", "--root", str(root), "build", "--quiet"]
    r = run(cmd + ([] if cache else ["--no-cache"]), env=child_env())
    if r.rc != 0:
        raise SystemExit(f"bench: build of {label} failed (exit {r.rc}):\n{r.stderr[-3000:]}")
    return _finished(root, Build(label, r.wall, r.rc, r.maxrss_mb, r.cpu_s))


def _finished(root: Path, b: Build) -> Build:
    manifest = json.loads((root / "output" / "manifest.json").read_text())
    with open(root / "output" / "tables" / "sources.csv", newline="", encoding="utf-8") as fh:
        srcs = list(csv.DictReader(fh))
    b.build_seconds = manifest.get("build_seconds", 0.0)
    b.stage_seconds = manifest.get("stage_seconds", {})
    b.pdf_pages = manifest.get("pdf_pages", 0)
    b.rows = manifest.get("rows", {})
    b.body_words = sum(int(s["body_words"] or 0) for s in srcs)
    b.sources = len(srcs)
    html = root / "output" / "briefing.html"
    b.html_bytes = html.stat().st_size if html.exists() else 0
    b.section_pages = section_pages(root / "output" / "briefing.pdf")
    return b


def section_pages(pdf: Path) -> dict[str, int]:
    """{section title: pages it appears on}, from the PDF's bookmarks (bench/pages.py; a page
    two sections share counts for both)."""
    return pages_per_section(pdf) if pdf.exists() else {}


STAGE_LINE = re.compile(r"^STAGE (\w+): (?:cached \()?([\d.]+) s")


def build_watched(root: Path, label: str, timeout: float, cache: bool = False) -> Build:
    """A build through `pipeline.build.build` in a child that reports each stage as it ends, so
    a build stopped at `timeout` still shows where its time went."""
    r = run([sys.executable, str(Path(__file__).resolve()), "--child", str(root), *(["--cache"] if cache else [])],
            env=child_env(), timeout=timeout or None)
    stages = {m.group(1): float(m.group(2)) for m in map(STAGE_LINE.match, r.stdout.splitlines()) if m}
    extract_cpu = float(next((ln.split()[1] for ln in r.stdout.splitlines()
                              if ln.startswith("EXTRACT_CPU ")), 0.0))
    if r.rc == 0 and not r.timed_out:
        b = _finished(root, Build(label, r.wall, r.rc, r.maxrss_mb, r.cpu_s))
        b.stage_seconds = b.stage_seconds or stages
        b.extract_cpu_s = extract_cpu
        return b
    if not r.timed_out:
        raise SystemExit(f"bench: build of {label} failed (exit {r.rc}):\n{r.stderr[-3000:]}")
    running = next((s for s in ("load", "ingest", "extract", "review", "tables", "contrast", "pack",
                                "html", "worksheets", "render") if s not in stages), "publish")
    if running == "render":   # what is left of the wall time was spent rendering (and starting up)
        stages["render_unfinished"] = max(0.0, r.wall - sum(stages.values()))
    html = root / "bench-briefing.html"
    b = Build(label, r.wall, r.rc, r.maxrss_mb, r.cpu_s, stage_seconds=stages, finished=False,
              html_bytes=html.stat().st_size if html.exists() else 0,
              note=f"stopped after {timeout:.0f} s in the {running} stage")
    b.sources = len(list((root / "inputs" / "sources").glob("*.txt")))
    b.extract_cpu_s = extract_cpu
    b.body_words = int(next((ln.split()[1] for ln in r.stdout.splitlines()
                             if ln.startswith("BODY_WORDS ")), 0))
    return b


def child(root: Path, cache: bool = False) -> int:
    """The child side of build_watched: progress lines on stdout, the HTML kept for a look."""
    sys.path.insert(0, str(REPO))
    import pipeline.corpus as corpus_mod
    import pipeline.render.stage as render_mod
    from pipeline.build import build as run_build

    html_copy = root / "bench-briefing.html"
    render_html, ingest, extract = render_mod.render_html, corpus_mod.ingest, corpus_mod.extract
    cpu = {"t0": 0.0}

    def keep_html(*args: object) -> str:
        html = render_html(*args)
        html_copy.write_text(html, encoding="utf-8")
        return html

    def count_words(*args: object) -> object:
        cpu["t0"] = time.process_time()
        out = ingest(*args)
        print(f"BODY_WORDS {int(out[0][0]['body_words'].sum())}", flush=True)
        return out

    def timed_extract(*args: object) -> object:
        out = extract(*args)
        # CPU of this process over ingest and extract (the per-source work in a pool is not in it)
        print(f"EXTRACT_CPU {time.process_time() - cpu['t0']:.3f}", flush=True)
        return out

    render_mod.render_html, corpus_mod.ingest, corpus_mod.extract = keep_html, count_words, timed_extract
    run_build(root, use_cache=cache, progress=lambda msg: print(f"STAGE {msg}", flush=True))
    return 0


def grow(root: Path, target: int, seed: object) -> str:
    """Add sources to the project at `root` until it has `target` in all (see MIXED_UP_TO):
    what was added, in words."""
    folder = root / "inputs" / "sources"
    ids = sorted(p.stem for p in folder.glob("*.txt"))
    own = [i for i in ids if not i.startswith(("synth-", "copy-"))]
    mixed = [i for i in ids if i.startswith("synth-") and int(i.split("-")[1]) < SHORT_FIRST]
    copies = [i for i in ids if i.startswith("copy-")]
    short = [i for i in ids if i.startswith("synth-") and int(i.split("-")[1]) >= SHORT_FIRST]
    added = []
    want = max(0, min(target, MIXED_UP_TO) - len(own)) - len(mixed)
    if want > 0:
        words = add_mixed(folder, seed, len(mixed) + 1, want)
        added.append(f"{want} mixed ({words:,} words)")
        mixed = sorted(p.stem for p in folder.glob("synth-*.txt"))
    want = max(0, min(target, COPIES_UP_TO) - MIXED_UP_TO) - len(copies)
    if want > 0:
        # half of them copies of the seed's own texts, the rest of mixed sources
        originals = [own[i % len(own)] for i in range((want + 1) // 2)] + mixed[:want // 2]
        words = add_copies(folder, originals, len(copies) + 1, want)
        added.append(f"{want} exact copies ({words:,} words)")
    want = max(0, target - COPIES_UP_TO) - len(short)
    if want > 0:
        words = add_mixed(folder, seed, SHORT_FIRST + len(short), want, words_per_source=SHORT_WORDS)
        added.append(f"{want} short mixed ({words:,} words)")
    return ", ".join(added) or "nothing"


def ladder(root: Path, sizes: list[int], timeout: float, say: Callable[[str], None]) -> list[Build]:
    """The seed, then each size built on top of the previous briefing in one project."""
    seed = load_seed()
    new_project(root)
    steps = [build_watched(root, "ladder: seed", timeout, cache=True)]
    say(f"  ladder seed: {steps[-1].wall:.2f} s, {steps[-1].pdf_pages} pages")
    for n in sizes:
        added = grow(root, n, seed)
        b = build_watched(root, f"ladder: {n} sources", timeout, cache=True)
        b.note = f"added {added}" + (f"; {b.note}" if b.note else "")
        steps.append(b)
        say(f"  ladder {n}: {b.wall:.2f} s, {b.peak_mb:.0f} MB, {b.pdf_pages if b.finished else '?'} pages, "
            f"{b.body_words:,} body words ({b.note})")
        if not b.finished:
            break
    return steps


NEWS_CORPORA = [REPO.parent / "shared" / "corpora" / name for name in ("tempeval3-tbaq", "semeval2015-timeline")]


def scale(tmp: Path, sizes: list[int], timeout: float, say: Callable[[str], None],
          news: list[Path] | None = None) -> list[Build]:
    """Issue 22's sizes: for each, a fresh project of that many long sources (bench/corpus.py, as
    `python bench/corpus.py --sources N` makes it), built cold, then one more source and `make`
    again (the daily rebuild). A build stopped at `timeout` ends the ladder. With `news` (folders
    of TimeML articles), the sources are mixed from those real articles instead (bench/diverse.py
    --news: real people and happenings by the hundred, which the page bound must hold against);
    such builds are labelled "news"."""
    seed = load_seed()
    steps: list[Build] = []
    kind = "news " if news else ""
    for n in sizes:
        root = tmp / f"scale-{kind.strip() or 'synthetic'}-{n}"
        if news:
            import diverse

            stats = diverse.make_corpus(root, n, news=news)
        else:
            stats = make_corpus(root, n)
        cold = build_watched(root, f"scale: {n} {kind}sources cold", timeout, cache=True)
        cold.note = f"{stats['words']:,} words" + (f"; {cold.note}" if cold.note else "")
        steps.append(cold)
        say(f"  scale {n} {kind}cold: {cold.wall:.1f} s, {cold.peak_mb:.0f} MB, "
            f"{cold.pdf_pages if cold.finished else '?'} pages ({cold.note})")
        if not cold.finished:
            break
        if news:     # one more report of the same kind
            diverse.add_news_mix(root / "inputs" / "sources", news, 1, first=n + 1)
        else:
            add_mixed(root / "inputs" / "sources", seed, n, 1)
        plus = build_watched(root, f"scale: {n} {kind}sources +1", timeout, cache=True)
        steps.append(plus)
        say(f"  scale {n} {kind}+1 source: {plus.wall:.1f} s, {plus.peak_mb:.0f} MB, "
            f"{plus.pdf_pages if plus.finished else '?'} pages")
        shutil.rmtree(root, ignore_errors=True)
        if not plus.finished:
            break
    return steps


def _scale_targets(steps: list[Build], seed_wall: float) -> dict:
    def step(label: str) -> Build | None:
        return next((b for b in steps if b.label == label), None)

    out = {}
    for b in steps:
        b.over_seed = b.wall / seed_wall
    cold, plus, big, big_plus = (step("scale: 2000 sources cold"), step("scale: 2000 sources +1"),
                                 step("scale: 10000 sources cold"), step("scale: 10000 sources +1"))
    out["scale_2000_cold_over_seed"] = verdict("scale_2000_cold_over_seed", cold.over_seed if cold else None,
                                               lower_bound=bool(cold and not cold.finished))
    out["scale_2000_plus_one_over_seed"] = verdict("scale_2000_plus_one_over_seed",
                                                   plus.over_seed if plus else None)
    out["scale_2000_peak_mb"] = verdict("scale_2000_peak_mb", max((b.peak_mb for b in (cold, plus) if b),
                                                                  default=None))
    out["scale_10000_completes"] = verdict("scale_10000_completes", float(big.finished) if big else None)
    out["scale_10000_pdf_pages"] = verdict("scale_10000_pdf_pages", max(
        (b.pdf_pages for b in (big, big_plus) if b and b.finished), default=None))
    out["scale_10000_peak_mb"] = verdict("scale_10000_peak_mb", max((b.peak_mb for b in (big, big_plus) if b),
                                                                    default=None),
                                         lower_bound=bool(big and not big.finished))
    real = [b for b in steps if " news " in b.label and b.finished]
    if real:
        out["scale_news_pdf_pages"] = verdict("scale_news_pdf_pages", max(b.pdf_pages for b in real))
    return out


def edit_annotation_title(root: Path, n: int) -> str:
    """Change the first annotation title in the first annotation file; returns the file name."""
    path = sorted((root / "inputs" / "annotations").glob("*.yaml"))[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("title:"):
            lines[i] = f"{line.rstrip()} (bench edit {n})"
            break
    path.write_text("\n".join(lines), encoding="utf-8")
    return path.name


def repo_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
        files = [f for f in out.stdout.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
    keep = ("inputs/", "templates/", "pipeline/", "scripts/")
    on_disk = [p.relative_to(REPO).as_posix() for sub in keep for p in (REPO / sub).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts]
    # tracked files plus the working tree's untracked inputs/templates/pipeline files (a fresh
    # clone has none; a working copy may)
    return sorted(set(files) | set(on_disk) | {"Makefile", "pyproject.toml"})


def noop_make(tmp: Path, repeat: int) -> dict:
    """`make` in a copy of the repo whose output/ is up to date; no Python may start."""
    if not shutil.which("make"):
        return {"skipped": "make not found"}
    root = tmp / "repo"
    for rel in repo_files():
        src = REPO / rel
        if src.is_file():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, root / rel)
    # A private .venv whose python logs every start, with the Makefile's stamps in place, so
    # make's graph is the real one but nothing is installed and any Python start is caught.
    venv_bin = root / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    started = tmp / "python-started.log"
    wrapper = venv_bin / "python"
    wrapper.write_text(f"#!/bin/sh\necho \"$*\" >> '{started}'\nexec '{sys.executable}' \"$@\"\n")
    wrapper.chmod(0o755)
    for stamp in (".installed", ".sysdeps"):
        (root / ".venv" / stamp).touch()
    env = {k: v for k, v in child_env(root).items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    # The first build through make itself, as a user's: the Makefile keeps state of its own
    # (.cache/inputs.state, the inputs' fingerprint), which a build run directly would not write.
    first = run(["make"], cwd=root, env=env)
    if first.rc != 0:
        return {"skipped": f"build in the repo copy failed: {first.stderr[-500:]}"}
    started.unlink(missing_ok=True)
    dry = run(["make", "-n"], cwd=root, env=env)
    question = run(["make", "-q"], cwd=root, env=env)
    walls = [run(["make"], cwd=root, env=env).wall for _ in range(repeat)]
    return {"median_s": statistics.median(walls), "min_s": min(walls), "runs_s": walls,
            "make_q_exit": question.rc, "make_n_output": dry.stdout.strip()[:300],
            "python_started": started.exists()}


def chromium_ratio(seed_root: Path, render_s: float, tmp: Path) -> dict:
    exe = next((e for e in ("chromium", "chromium-browser", "google-chrome") if shutil.which(e)), None)
    if not exe:
        return {"skipped": "chromium not installed (apt-get install chromium)"}
    site = tmp / "chromium"
    shutil.copytree(seed_root / "templates", site)
    shutil.copy(seed_root / "output" / "briefing.html", site / "briefing.html")
    walls, pages = [], 0
    for i in range(2):
        pdf = site / f"out{i}.pdf"
        profile = tempfile.mkdtemp(dir=tmp)
        r = run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                 (site / "briefing.html").as_uri()])
        if r.rc != 0 or not pdf.exists():
            return {"skipped": f"{exe} failed (exit {r.rc}): {r.stderr[-300:]}"}
        walls.append(r.wall)
        pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))
    best = min(walls)
    return {"exe": exe, "chromium_s": best, "runs_s": walls, "chromium_pages": pages,
            "weasyprint_render_s": render_s, "weasyprint_over_chromium": render_s / best}


def verdict(name: str, value: float | None, lower_bound: bool = False) -> dict:
    """value against its target; a lower bound (a build stopped early) can only fail a max."""
    limit, unit, kind = TARGETS[name]
    ok = None if value is None else (value <= limit if kind == "max" else value >= limit)
    if lower_bound and ok:
        ok = None
    out = {"value": value, "target": limit, "unit": unit, "kind": kind, "ok": ok}
    if lower_bound:
        out["at_least"] = True
    return out


def reference_job(repeats: int = 5) -> float:
    """Seconds for a fixed pure-Python job (regex, dict and integer work; best of `repeats`).

    Recorded at the start and end of every bench beside the results, because this workplace's
    machines have differed by 3x in speed from one session to the next: two results.json files
    are comparable only after dividing by their reference times.
    """
    text = " ".join(f"word{i % 997} {i}" for i in range(120_000))
    pattern = re.compile(r"\b(word\d+) (\d+)\b")
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        counts: dict[str, int] = {}
        for m in pattern.finditer(text):
            counts[m.group(1)] = counts.get(m.group(1), 0) + int(m.group(2))
        sorted(counts.items(), key=lambda kv: kv[1])
        sum(i * i for i in range(1_200_000))
        best = min(best, time.perf_counter() - t)
    return best


def fmt_stages(stages: dict[str, float]) -> str:
    return " ".join(f"{k} {v:.2f}" for k, v in stages.items())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmarks; writes bench/results.json")
    p.add_argument("--sizes", default="20,100,200,1000",
                   help="ladder sizes (sources in all, each built on the previous), comma-separated")
    p.add_argument("--repeat", type=int, default=2, help="seed cold builds and annotation rebuilds")
    p.add_argument("--quick", action="store_true", help="one repeat, ladder up to 20 sources only")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results.json")
    p.add_argument("--keep", action="store_true", help="keep the temporary projects")
    p.add_argument("--timeout", type=float, default=300.0,
                   help="stop a ladder build after this many seconds (its stages so far are kept; 0: never)")
    p.add_argument("--scale", default="2000,10000",
                   help="issue 22's sizes of long sources, each built cold then with one more source "
                        "(comma-separated; empty: skip)")
    p.add_argument("--scale-timeout", type=float, default=1800.0,
                   help="stop a scale build after this many seconds (0: never)")
    p.add_argument("--scale-news", default="2000",
                   help="sizes built again from sources mixed from real news articles (the TimeML corpora "
                        "in ../shared/corpora, when present; empty: skip)")
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--cache", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return child(args.child, args.cache)
    sizes = [20] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    repeat = 1 if args.quick else max(1, args.repeat)
    tmp = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    t_all = time.perf_counter()
    speed_start = reference_job()
    try:
        say(f"bench: temporary projects in {tmp}; reference job {speed_start:.3f} s")
        seed = []
        for i in range(repeat):
            seed.append(build(new_project(tmp / f"seed-{i}"), "seed cold", cache=False))
            say(f"  seed cold #{i + 1}: {seed[-1].wall:.2f} s")
        seed_best = min(seed, key=lambda b: b.wall)

        root = new_project(tmp / "rebuild")
        warm = build(root, "seed, filling the cache", cache=True)
        rebuilds = []
        for i in range(repeat):
            edited = edit_annotation_title(root, i + 1)
            rebuilds.append(build(root, f"rebuild after editing {edited}", cache=True))
            say(f"  rebuild #{i + 1}: {rebuilds[-1].wall:.2f} s")
        rebuild_best = min(rebuilds, key=lambda b: b.wall)

        noop = noop_make(tmp / "noop", repeat=5)
        say(f"  no-op make: {noop.get('median_s', noop.get('skipped'))}")

        corpora = ladder(tmp / "ladder", sizes, args.timeout, say)
        for b in corpora:
            b.over_seed = b.wall / seed_best.wall
        big = max(corpora, key=lambda b: b.sources) if corpora else None
        # extraction runs in the per-source work (ingest stage) and the corpus-wide step (extract)
        extract_s = (big.stage_seconds.get("ingest", 0.0) + big.stage_seconds.get("extract", 0.0)) if big else 0.0
        words_per_s = big.body_words / extract_s if big and extract_s else None

        grown = scale(tmp, [] if args.quick else [int(x) for x in args.scale.split(",") if x],
                      args.scale_timeout, say)
        news = [d for d in NEWS_CORPORA if d.is_dir()]
        news_sizes = [] if args.quick else [int(x) for x in args.scale_news.split(",") if x]
        if news_sizes and not news:
            say(f"  scale news: skipped ({NEWS_CORPORA[0].parent} not found)")
        elif news_sizes:
            grown += scale(tmp, news_sizes, args.scale_timeout, say, news=news)

        chrome = chromium_ratio(tmp / "seed-0", seed_best.stage_seconds.get("render", 0.0), tmp)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    targets = {
        "seed_cold_s": verdict("seed_cold_s", seed_best.wall),
        "noop_make_s": verdict("noop_make_s", noop.get("median_s")),
        "rebuild_one_annotation_s": verdict("rebuild_one_annotation_s", rebuild_best.wall),
        "extraction_words_per_s": verdict("extraction_words_per_s", words_per_s),
        "mixed_100_over_seed": _ratio(corpora, MIXED_UP_TO, "mixed_100_over_seed"),
        "copies_200_over_seed": _ratio(corpora, COPIES_UP_TO, "copies_200_over_seed"),
        "peak_mb_any_size": verdict("peak_mb_any_size", max((b.peak_mb for b in corpora), default=None),
                                    lower_bound=any(not b.finished for b in corpora)),
        "pdf_pages_any_size": verdict("pdf_pages_any_size",
                                      max((b.pdf_pages for b in corpora if b.finished), default=None)),
    }
    if grown:
        targets.update(_scale_targets(grown, seed_best.wall))
    if any(not b.finished for b in corpora):
        targets["pdf_pages_any_size"]["ok"] = False      # a size that did not finish has no bounded PDF
    results = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "weasyprint": _version("weasyprint"),
                    "pandas": _version("pandas"),
                    "reference_job_s": {"start": speed_start, "end": reference_job()}},
        "bench_seconds": round(time.perf_counter() - t_all, 1),
        "targets": targets,
        "seed_cold": [asdict(b) for b in seed],
        "seed_warm_cache_fill": asdict(warm),
        "rebuild_one_annotation": [asdict(b) for b in rebuilds],
        "noop_make": noop,
        "ladder": [asdict(b) for b in corpora],
        "scale": [asdict(b) for b in grown],
        "extraction": {"body_words": big.body_words if big else 0, "extract_s": extract_s,
                       "words_per_s": words_per_s, "extract_cpu_s": big.extract_cpu_s if big else 0.0,
                       "words_per_cpu_s": big.body_words / big.extract_cpu_s
                       if big and big.extract_cpu_s else None},
        "weasyprint_share": {b.label: round(b.render_share, 3) for b in [seed_best, rebuild_best, *corpora]},
        "pdf_pages": {b.label: b.pdf_pages if b.finished else None for b in [seed_best, *corpora]},
        "section_pages": {b.label: b.section_pages for b in [*corpora, *grown] if b.finished},
        "chromium": chrome,
    }
    args.out.write_text(json.dumps(_round(results), indent=2, sort_keys=False) + "\n")
    print_table(results, [*seed, warm, *rebuilds, *corpora, *grown])
    print_sections(corpora)
    print_sections(grown)
    print(f"\nwrote {args.out}")
    return 0


def _ratio(steps: list[Build], sources: int, name: str) -> dict:
    step = next((b for b in steps if b.label == f"ladder: {sources} sources"), None)
    if step is None:
        return verdict(name, None)
    return verdict(name, step.over_seed, lower_bound=not step.finished)


def print_sections(steps: list[Build]) -> None:
    """Pages per section at each size of the ladder, one column per size."""
    done = [b for b in steps if b.finished and b.section_pages]
    if not done:
        return
    titles = list(dict.fromkeys(t for b in done for t in b.section_pages))
    heads = [b.label.removeprefix("ladder: ").removeprefix("scale: ").removesuffix(" sources")
             .replace(" sources ", " ").replace("news ", "n") for b in done]
    width = max(8, *(len(h) + 1 for h in heads))
    print(f"\n{'pages per section':<40}" + "".join(f"{h:>{width}}" for h in heads))
    for title in titles:
        print(f"{title[:40]:<40}" + "".join(f"{b.section_pages.get(title, 0):>{width}}" for b in done))
    print(f"{'PDF':<40}" + "".join(f"{b.pdf_pages:>{width}}" for b in done))
    print(f"{'peak MB':<40}" + "".join(f"{b.peak_mb:>{width}.0f}" for b in done))
    print(f"{'wall s / seed cold build':<40}" + "".join(f"{b.over_seed or 0:>{width}.2f}" for b in done))


def print_table(results: dict, builds: list[Build]) -> None:
    ref = results["machine"]["reference_job_s"]
    print(f"\nmachine: {results['machine']['cpus']} CPUs; reference job {ref['start']:.3f} s at the start, "
          f"{ref['end']:.3f} s at the end (lower is faster; compare results only after dividing by it)")
    print(f"\n{'target':<26} {'measured':>14} {'target':>14}  ok")
    for name, t in results["targets"].items():
        value = "n/a" if t["value"] is None else f"{t['value']:,.2f} {t['unit']}"
        value = f">={value}" if t.get("at_least") else value
        sign = "<=" if t["kind"] == "max" else ">="
        ok = "-" if t["ok"] is None else ("yes" if t["ok"] else "NO")
        print(f"{name:<26} {value:>14} {sign} {t['target']:>9,.1f} {t['unit']:<4} {ok}")
    print(f"\n{'build':<44} {'wall s':>7} {'peak MB':>8} {'pages':>5} {'HTML kB':>8} {'render%':>7}"
          "  stages (s)")
    for b in builds:
        pages = str(b.pdf_pages) if b.finished else "?"
        print(f"{b.label[:44]:<44} {b.wall:>7.2f} {b.peak_mb:>8.0f} {pages:>5} {b.html_bytes / 1024:>8.0f} "
              f"{100 * b.render_share:>6.0f}%  {fmt_stages(b.stage_seconds)}")
        if b.over_seed is not None:
            print(f"{'':<44} {b.sources} sources, {b.body_words:,} body words, {b.over_seed:.2f}x the seed cold build")
        if b.note:
            print(f"{'':<44} {b.note}")
    noop = results["noop_make"]
    if "median_s" in noop:
        print(f"\nno-op make: median {noop['median_s']:.3f} s over {len(noop['runs_s'])} runs; "
              f"make -q exit {noop['make_q_exit']}; Python started: {noop['python_started']}")
    else:
        print(f"\nno-op make: skipped ({noop['skipped']})")
    ex = results["extraction"]
    if ex["words_per_s"]:
        print(f"extraction: {ex['body_words']:,} body words in {ex['extract_s']:.2f} s = "
              f"{ex['words_per_s']:,.0f} words/s"
              + (f" ({ex['words_per_cpu_s']:,.0f} words per CPU second)" if ex["words_per_cpu_s"] else ""))
    ch = results["chromium"]
    if "skipped" in ch:
        print(f"chromium: skipped ({ch['skipped']})")
    else:
        print(f"chromium: {ch['chromium_s']:.2f} s for the seed HTML ({ch['chromium_pages']} pages) vs "
              f"WeasyPrint render {ch['weasyprint_render_s']:.2f} s: ratio "
              f"{ch['weasyprint_over_chromium']:.1f}x (information only)")


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _round(obj: object) -> object:
    if isinstance(obj, float):
        return round(obj, 3)
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round(v) for v in obj]
    return obj


if __name__ == "__main__":
    sys.exit(main())
