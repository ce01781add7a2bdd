"""Cheap literal screens in front of codebook regexes.

Most sentences match none of the plan and provision patterns, yet a regex such as
`(?<![\\w-])28[\\s-]+point` or `\\bterritor(?:y|ies)\\b` compiled with IGNORECASE has no literal
prefix for `re` to jump to, so it is tried at every character. A `Screen` reads, from the
parsed pattern, literal strings of which every match must contain at least one ("point",
"territor"); a plain substring test rules most sentences out before the regex runs. A screen
never changes a result: when nothing safe can be read from a pattern it simply runs the regex.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

try:  # the parser behind `re` (Python 3.11+); without it every screen just runs its regex
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover
    _p = _c = None  # type: ignore[assignment]

# Non-ASCII characters that IGNORECASE matches to ASCII letters (İ ı ſ and the Kelvin sign).
# A text containing one is searched with the regex directly.
UNSAFE_FOR_FOLD = ("\u0130", "\u0131", "\u017f", "\u212a")
_REPEATS = tuple(getattr(_c, n) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if _c is not None and hasattr(_c, n))
_ATOMIC = getattr(_c, "ATOMIC_GROUP", object())


def fold(text: str) -> str | None:
    """The text as IGNORECASE screens read it (lower case), or None if only the regex will do."""
    if not text.isascii() and any(ch in text for ch in UNSAFE_FOR_FOLD):
        return None
    return text.lower()


class Screen:
    """A compiled regex with a literal pre-test; `search`/`finditer` behave exactly like the regex's."""

    __slots__ = ("regex", "needles", "ignorecase")

    def __init__(self, pattern: str | re.Pattern, flags: int = 0):
        self.regex = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
        self.ignorecase = bool(self.regex.flags & re.IGNORECASE)
        self.needles = required_literals(self.regex.pattern, self.regex.flags)
        if self.needles and self.ignorecase:
            self.needles = tuple(tuple(dict.fromkeys(n.lower() for n in group)) for group in self.needles)

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def may_match(self, text: str, folded: str | None = None) -> bool:
        """False only when the regex certainly does not match `text`. For IGNORECASE screens,
        pass `fold(text)` when testing many screens against one text."""
        if not self.needles:
            return True
        if self.ignorecase:
            hay = fold(text) if folded is None else folded
            if hay is None:
                return True
        else:
            hay = text
        return all(any(n in hay for n in group) for group in self.needles)

    def search(self, text: str, folded: str | None = None) -> re.Match | None:
        return self.regex.search(text) if self.may_match(text, folded) else None

    def finditer(self, text: str, folded: str | None = None):  # noqa: ANN201 - iterator of matches
        return self.regex.finditer(text) if self.may_match(text, folded) else iter(())


@functools.lru_cache(maxsize=4096)   # per source, the same few hundred patterns come back
def required_literals(pattern: str, flags: int = 0) -> tuple[tuple[str, ...], ...] | None:
    """Sets of ASCII strings such that every match of `pattern` contains at least one string
    of each set; None if nothing is known. At most three sets, the most selective first."""
    if _p is None:
        return None
    try:
        found = sorted(set(_required(list(_p.parse(pattern, flags)))), key=_score, reverse=True)[:3]
    except Exception:  # noqa: BLE001 - a private parser that changed shape: just do not screen
        return None
    return tuple(tuple(sorted(s)) for s in found) or None


def _score(needles: frozenset[str]) -> tuple[int, int]:
    return min(len(n) for n in needles), -len(needles)


def _required(items: list) -> list[frozenset[str]]:
    """For a sequence of parsed items: sets of literals, each of which must be hit by a match."""
    out: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _c.LITERAL and av < 128:
            run.append(chr(av))
            continue
        if run:
            out.append(frozenset({"".join(run)}))
            run = []
        if op is _c.BRANCH:
            best = [max(r, key=_score) if r else None for r in (_required(list(seq)) for seq in av[1])]
            if best and all(best):
                out.append(frozenset().union(*best))  # type: ignore[arg-type]
        elif op is _c.SUBPATTERN and not av[1] and not av[2]:   # a group with no flag changes
            out.extend(_required(list(av[3])))
        elif op in _REPEATS and av[0] >= 1:
            out.extend(_required(list(av[2])))
        elif op is _ATOMIC:
            out.extend(_required(list(av)))
    if run:
        out.append(frozenset({"".join(run)}))
    return out


@functools.lru_cache(maxsize=1024)
def screen_of(pattern: str | re.Pattern, flags: int = 0) -> Screen:
    """`Screen(pattern, flags)`, made once per pattern: the per-source work screens the same
    codebook patterns for every source (a Screen never changes once made)."""
    return Screen(pattern, flags)


class TextIndex:
    """Many texts, folded and joined, so that one `str.find` loop finds a literal in all of them:
    `Screen.candidates(index)` then names the few texts a regex has to be tried on."""

    def __init__(self, texts: list[str], ignorecase: bool = True):
        self.ignorecase = ignorecase
        self.size = len(texts)
        self.always: set[int] = set()   # texts a literal test cannot rule out
        parts: list[str] = []
        for i, text in enumerate(texts):
            hay = fold(text) if ignorecase else text
            if hay is None or "\0" in hay:
                self.always.add(i)
                hay = ""
            parts.append(hay)
        self.parts = parts
        self.ends = list(accumulate(len(p) + 1 for p in parts))   # text i ends before ends[i] - 1
        self.big = "\0".join(parts)
        self._hits: dict[str, set[int]] = {}

    def containing(self, needle: str) -> set[int]:
        """Indexes of the texts that contain `needle` (plus those only a regex can decide)."""
        hits = self._hits.get(needle)
        if hits is None:
            hits = set(self.always)
            if "\0" in needle:
                hits = set(range(self.size))
            else:
                ends, find = self.ends, self.big.find
                pos = find(needle)
                while pos >= 0:
                    i = bisect_right(ends, pos)
                    hits.add(i)
                    pos = find(needle, ends[i])
            self._hits[needle] = hits
        return hits


def candidates(screen: Screen, index: TextIndex) -> set[int] | None:
    """Indexes of the texts `screen` may match (None: all of them). The most selective group
    of literals is looked up in the whole index; the others only in the texts that remain."""
    if not screen.needles or screen.ignorecase != index.ignorecase:
        return None
    first, *rest = screen.needles
    out: set[int] = set().union(*(index.containing(n) for n in first))
    parts, always = index.parts, index.always
    for group in rest:
        out = {i for i in out if i in always or any(n in parts[i] for n in group)}
    return out


def longest_first(words: Iterable[str]) -> str:
    """A case-sensitive regex of literal words, each tried longest first where one is the start
    of another: what `"|".join(map(re.escape, sorted(words, key=len, reverse=True)))` matches,
    in the same order of preference, written as a trie. `re` tries an alternation's branches
    one after the other at every position; the trie shares their first letters, which made the
    corpus-wide passes over hundreds of names (actor naming) several times faster. Not for an
    IGNORECASE regex: two branches that differ only in case would both be tried there."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != _END]
        if not branches:
            return ""
        if _END in node:         # a word ends here: its longer words first, then this one
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return emit(trie)      # no words: "", as joining none gives


_END = ""    # the trie's mark of a word's end (no character is the empty string)
