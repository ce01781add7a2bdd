"""Confidence and abstention for machine-found rows (events, plan terms, actors).

Every machine row carries `confidence` (0-1) and `basis` (the evidence, in words); analyst and
codebook rows are 1.0 with basis "analyst" or "codebook". The extraction stages may set both
(events do: pipeline/extract/events.py); a machine row that arrives without them gets a default
from what the row itself records, so the mechanism holds whichever extractor made the row.
The PDF and HTML show machine rows only from `show_machine_from` (inputs/briefing.yaml); the
rest stay in the tables and in output/review/, and each section counts what it held back.
"""

from __future__ import annotations

import pandas as pd

from pipeline.frames import table_rows

# A plan term's plan link, as pipeline/extract/terms.py records it in `plan_basis`.
TERM_DEFAULTS = {"sentence": (0.85, "plan named in the sentence"),
                 "section": (0.6, "plan of the section"),
                 "": (0.4, "no plan named nearby")}


def _actor_default(row: dict) -> tuple[float, str]:
    n = int(row.get("mentions") or 0)
    score = 0.5 if n <= 1 else (0.7 if n == 2 else 0.85)
    if row.get("type") == "person" and row.get("aliases"):
        score = min(1.0, score + 0.05)
    return score, f"name found {n} time{'s' if n != 1 else ''}"


READ = ("confidence", "basis", "origin", "status")       # what with_confidence reads of a row
DEFAULT_READS = {"plan_terms": ("plan_basis",), "actors": ("mentions", "type", "aliases")}   # and for a default


def with_confidence(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """`df` with `confidence` and `basis` filled for every row: reviewed rows (analyst, codebook,
    corrected) 1.0; machine rows keep what their extractor gave, else a default."""
    df = df.copy()
    if "confidence" not in df.columns:
        df["confidence"] = float("nan")
    if "basis" not in df.columns:
        df["basis"] = ""
    conf, basis = [], []
    read = [c for c in (*READ, *DEFAULT_READS.get(name, ())) if c in df.columns]
    for row in table_rows(df[read]):       # only the columns read (a plan term has 15)
        c, b = row.get("confidence"), row.get("basis") or ""
        origin, status = row.get("origin", ""), row.get("status", "")
        if origin in ("analyst", "codebook"):
            c, b = 1.0, origin
        elif status == "reviewed":
            c, b = 1.0, "analyst correction"
        elif c is None or c != c or c == "":
            if name == "plan_terms":
                c, b = TERM_DEFAULTS.get(row.get("plan_basis") or "", TERM_DEFAULTS[""])
            elif name == "actors":
                c, b = _actor_default(row)
            else:
                c, b = 0.5, b or "machine"
        conf.append(round(float(c), 2))
        basis.append(b)
    df["confidence"] = pd.Series(conf, index=df.index, dtype=float)
    df["basis"] = pd.Series(basis, index=df.index, dtype=object)
    return df


def held_back(df: pd.DataFrame, threshold: float) -> pd.Series:
    """Machine rows no analyst has checked whose confidence is under the threshold."""
    if df.empty or "confidence" not in df.columns:
        return pd.Series(False, index=df.index)
    return (df["status"] == "unreviewed") & (df["confidence"].astype(float) < threshold)
