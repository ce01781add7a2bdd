"""pipeline/extract/screen.py: the trie written for an alternation of names matches what the
alternation matches, with the same preference."""

from __future__ import annotations

import random
import re

from pipeline.extract.actors import POSSESSIVE
from pipeline.extract.screen import longest_first


def test_a_trie_of_names_matches_as_their_alternation_longest_first() -> None:
    rng = random.Random(7)
    alphabet = "abAB .'’-éZ"
    tried = 0
    for _ in range(400):
        words = list({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5)))
                      for _ in range(rng.randint(1, 12))})
        words += [w + "".join(rng.choice(alphabet) for _ in range(2)) for w in words[:3]]  # a word's longer word
        joined = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
        for before, after in ((r"(?<![\w])(", r")" + POSSESSIVE + r"(?![\w])"),
                              (r"(?<![\w-])(", r")" + POSSESSIVE + r"(?![\w-])")):
            plain, trie = re.compile(before + joined + after), re.compile(before + longest_first(words) + after)
            for _ in range(10):
                text = "".join(rng.choice(alphabet + "xyz's") for _ in range(rng.randint(0, 30)))
                assert [(m.span(), m.span(1)) for m in trie.finditer(text)] == \
                    [(m.span(), m.span(1)) for m in plain.finditer(text)], (words, text)
                tried += 1
    assert tried == 8000
    assert longest_first(["Putin", "Put", "EU", "EU Commission"]) == r"(?:EU(?:\ Commission)?|Put(?:in)?)"
    assert re.fullmatch(longest_first(["EU", "EU Commission"]), "EU Commission")
    assert longest_first([]) == ""                 # as joining no words gives
