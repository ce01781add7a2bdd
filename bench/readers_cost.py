"""What each source format costs to read: one cold read per format in a fresh process (the
reader's imports included, as a build's first file of that format pays them), then the mean of
warm reads of the same file. Fixtures from tests/fixtures/readers/ and the seed's .txt.

    .venv/bin/python bench/readers_cost.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIX = REPO / "tests" / "fixtures" / "readers"
FILES = {
    "txt": REPO / "inputs" / "sources" / "weekend-update-165.txt",
    "md": FIX / "black-sea-notes.md",
    "html": FIX / "harbour-ledger-monitors.html",
    "pdf (3 pages)": FIX / "corridor-brief.pdf",
}
CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
path = Path({path!r}) if {path!r} else None
t0 = time.perf_counter()
from pipeline.readers import read
if path is None:
    import docx, io
    d = docx.Document(); d.add_heading("Ferry talks", 0)
    for i in range(30): d.add_paragraph("The harbour authority said ferries would run again. " * 4)
    buf = io.BytesIO(); d.save(buf); data = buf.getvalue(); path = Path("memo.docx")
    t0 = time.perf_counter()
else:
    data = path.read_bytes()
r = read(path, data)
cold = time.perf_counter() - t0
t1 = time.perf_counter()
for _ in range({n}):
    read(path, data)
warm = (time.perf_counter() - t1) / {n}
print(json.dumps({{"cold": cold, "warm": warm, "chars": len(r.text)}}))
"""


def measure(path: Path | None, n: int = 10) -> dict:
    code = CHILD.format(repo=str(REPO), path=str(path) if path else "", n=n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    rows = {fmt: measure(path) for fmt, path in FILES.items()}
    rows["docx (30 paragraphs)"] = measure(None)
    print(f"{'format':22} {'cold (first file, imports)':>28} {'warm per source':>16} {'chars':>7}")
    for fmt, r in rows.items():
        print(f"{fmt:22} {r['cold'] * 1000:25.0f} ms {r['warm'] * 1000:13.1f} ms {r['chars']:7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
