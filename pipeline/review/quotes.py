"""Find an analyst's quote in a source, tolerating only what copy-paste legitimately changes.

Typographic vs straight quotes and whitespace runs may differ; nothing else. Offsets returned
are into the source text as the contract defines it, so `text[start:end]` is the verbatim quote.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

import pandas as pd

QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
                             "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'"})
ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")
WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    passage_id: str


class QuoteNotFound(Exception):
    """Why a quote could not be placed, with the closest real text to show the analyst."""

    def __init__(self, message: str, closest: str = "", hint: str = ""):
        super().__init__(message)
        self.message = message
        self.closest = closest
        self.hint = hint


class NormalisedText:
    """The source with quotes unified and whitespace collapsed, plus a map back to offsets."""

    def __init__(self, text: str, passages: pd.DataFrame):
        chars: list[str] = []
        index: list[int] = []
        prev_space = False
        for i, ch in enumerate(text.translate(QUOTE_CHARS)):
            if ch.isspace():
                if prev_space:
                    continue
                ch, prev_space = " ", True
            else:
                prev_space = False
            chars.append(ch)
            index.append(i)
        self.text = text
        self.norm = "".join(chars)
        self.index = index
        self.starts = passages["char_start"].tolist()
        self.ends = passages["char_end"].tolist()
        self.ids = passages["passage_id"].tolist()
        self.texts = passages["text"].tolist()

    def passage_at(self, start: int, end: int) -> str | None:
        k = bisect.bisect_right(self.starts, start) - 1
        if k >= 0 and start >= self.starts[k] and end <= self.ends[k]:
            return self.ids[k]
        return None

    def _occurrences(self, piece: str) -> list[int]:
        out, pos = [], self.norm.find(piece)
        while pos != -1:
            out.append(pos)
            pos = self.norm.find(piece, pos + 1)
        return out

    def locate(self, quote: str) -> Found:
        pieces = [normalise(p) for p in ELLIPSIS.split(quote.strip()) if p.strip()]
        if not pieces:
            raise QuoteNotFound("the quote is empty")
        candidates = []
        for pos in self._occurrences(pieces[0]):
            end = pos + len(pieces[0])
            ok = True
            for piece in pieces[1:]:
                nxt = self.norm.find(piece, end)
                if nxt == -1:
                    ok = False
                    break
                end = nxt + len(piece)
            if not ok:
                continue
            start_o, end_o = self.index[pos], self.index[end - 1] + 1
            pid = self.passage_at(start_o, end_o)
            if pid is not None:
                candidates.append(Found(start_o, end_o, pid))
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            # each paragraph once, the first few only: a one-letter quote occurs thousands of times
            paragraphs = list(dict.fromkeys(c.passage_id.rsplit(":p", 1)[1].lstrip("0") or "0"
                                            for c in candidates))
            shown = ", ".join(paragraphs[:MAX_LISTED])
            if len(paragraphs) > MAX_LISTED:
                shown += f" and {len(paragraphs) - MAX_LISTED} more"
            where = f"paragraph {shown}" if len(paragraphs) == 1 else f"paragraphs {shown}"
            raise QuoteNotFound(f"the quote occurs {len(candidates)} times ({where})",
                                hint="make it longer so that it names one place")
        raise QuoteNotFound("the quote is not in the source", self.closest(quote))

    def closest(self, quote: str) -> str:
        """The passage text most like the quote, trimmed to the aligned part, for the fix hint."""
        from rapidfuzz import fuzz, process

        q = normalise(ELLIPSIS.sub(" ", quote))
        if not self.texts:
            return ""
        best = process.extractOne(q, [normalise(t) for t in self.texts], scorer=fuzz.partial_ratio)
        if best is None:
            return ""
        k = best[2]
        text = self.texts[k]
        norm = normalise(text)
        align = fuzz.partial_ratio_alignment(q, norm)
        if align:
            a, b = align.dest_start, align.dest_end
            while a > 0 and norm[a - 1].isalnum():   # widen to whole words
                a -= 1
            while b < len(norm) and norm[b].isalnum():
                b += 1
            snippet = norm[a:b]
        else:
            snippet = text
        return f"paragraph {self.ids[k].rsplit(':p', 1)[1].lstrip('0')}: \"{snippet}\""


MAX_LISTED = 8


def normalise(text: str) -> str:
    return WS.sub(" ", text.translate(QUOTE_CHARS)).strip()


def note_id(source_id: str, start: int, end: int) -> str:
    """Stable across builds and unaffected by edits elsewhere in the inputs."""
    digest = hashlib.sha1(f"{source_id}:{start}:{end}".encode()).hexdigest()[:8]
    return f"n{digest}"
