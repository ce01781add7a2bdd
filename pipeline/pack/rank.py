"""How the briefing ranks rows when it cannot print them all: the chronology, the plan matrix,
the who's who and the changes page rank the same way (README: "At any size the PDF stays a
briefing")."""

from __future__ import annotations

import pandas as pd


def significance(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Most corroborated (independent reports, not copies) first, then reviewed, then most recent."""
    corroboration = df.get("reports", pd.Series(1, index=df.index)).astype(int)
    reviewed = (df["status"] == "reviewed").astype(int)
    recency = df.get("date_start", pd.Series("", index=df.index)).fillna("")
    return corroboration * 10 + reviewed * 5, recency
