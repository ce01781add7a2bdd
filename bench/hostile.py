"""Heavy and hostile inputs (issue 24's done-when): peak memory and time, measured.

Each case runs in a fresh process that reports its own peak resident size (ru_maxrss) and that
of the processes it waited for (the render host). Inputs are generated here
(tests/hostile_inputs.py), never committed. Prints one line per case and saves
bench/hostile.json.

    .venv/bin/python bench/hostile.py [--pages 1500] [--skip-pdf]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_inputs import text_pdf, write_docx, yaml_alias_bomb  # noqa: E402

PROBE = """
import resource, sys
from pipeline.__main__ import main
try:
    code = main(["build", "--root", sys.argv[1], "--quiet"])
finally:
    hwm = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")]
    own = (hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"PEAK {own:.0f} {kids:.0f}", file=sys.stderr)
sys.exit(code)
"""


def project(tmp: Path, name: str) -> Path:
    dest = tmp / name
    shutil.copytree(ROOT / "inputs", dest / "inputs")
    shutil.copytree(ROOT / "templates", dest / "templates")
    return dest


def run(root: Path, timeout: float) -> dict:
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", PROBE, str(root)], cwd=ROOT, capture_output=True,
                            text=True, timeout=timeout)
    seconds = time.perf_counter() - t0
    peak = [line.split()[1:] for line in result.stderr.splitlines() if line.startswith("PEAK ")]
    own, kids = (float(peak[-1][0]), float(peak[-1][1])) if peak else (float("nan"),) * 2
    message = next((line.strip() for line in result.stderr.splitlines()
                    if "MB" in line and ("limit" in line or "alias" in line)), "")
    return {"exit": result.returncode, "seconds": round(seconds, 2), "peak_mb_build": own,
            "peak_mb_children": kids, "message": message}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1500)
    ap.add_argument("--skip-pdf", action="store_true")
    args = ap.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp_name:
        tmp = Path(tmp_name)

        root = project(tmp, "docx")
        write_docx(root / "inputs/sources/inflates.docx", inflated_mb=1100)
        results["docx inflating to 1.1 GB"] = run(root, 300)

        root = project(tmp, "yaml")
        (root / "inputs/sources/aliases.txt").write_text("Alias bomb\n\nBody text.\n")
        (root / "inputs/sources/aliases.yaml").write_text(yaml_alias_bomb(1, 3000))
        results["YAML sidecar: 1 MB string x 3000 aliases"] = run(root, 300)

        if not args.skip_pdf:
            root = project(tmp, "pdf")
            (root / "inputs/sources/long-report.pdf").write_bytes(text_pdf(args.pages))
            results[f"{args.pages}-page text PDF, full build"] = run(root, 3600)
    for case, r in results.items():
        print(f"{case}: exit {r['exit']}, {r['seconds']} s, peak {r['peak_mb_build']:.0f} MB "
              f"(render host and other children: {r['peak_mb_children']:.0f} MB) {r['message']}")
    out = ROOT / "bench" / "hostile.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps({**previous, **results}, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
