"""bench/cpu_profile.py sorts py-spy's samples into the buckets its table prints."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import cpu_profile  # noqa: E402 - bench/ is a folder of scripts, not a package

HOST = "<module> (pipeline/render/host.py:400);main (pipeline/render/host.py:50)"
WORKER = HOST + ";render_part (pipeline/render/worker.py:60)"
BUILD = "<module> (pipeline/__main__.py:130);main (pipeline/__main__.py:80);build (pipeline/build.py:130)"


def test_samples_land_in_their_buckets_and_waiting_is_left_out(tmp_path: Path) -> None:
    raw = tmp_path / "stacks.raw"
    raw.write_text("\n".join([
        f"{WORKER};layout_document (weasyprint/layout/__init__.py:10);get_first_line (weasyprint/text.py:5) 30",
        f"{WORKER};write_pdf (weasyprint/document.py:20) 10",
        f"{WORKER};Connection._recv (multiprocessing/connection.py:395) 50",
        f"{HOST};_find_and_load (<frozen importlib._bootstrap>:1) 8",
        f"{HOST};join (pipeline/render/join.py:40) 2",
        f"{BUILD};_find_and_load (<frozen importlib._bootstrap>:1) 6",
        f"{BUILD};extract (pipeline/extract/__init__.py:20);find_dates (pipeline/extract/dates.py:900) 4",
    ]) + "\n")
    result = cpu_profile.summarise(raw, rate=100)
    assert result["cpu_s_sampled"] == 0.6 and result["idle_s_dropped"] == 0.5
    assert result["buckets"] == {"worker: layout": 0.3, "worker: drawing and PDF": 0.1, "host: imports": 0.08,
                                 "build: imports": 0.06, "build: pipeline stages and writing": 0.04,
                                 "host: join and scheduling": 0.02}
    assert result["pipeline_functions"] == {"extract/__init__.py:extract": 0.04, "extract/dates.py:find_dates": 0.04}
