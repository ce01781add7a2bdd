"""What a lexicon compiles to is made once per lexicon object (pipeline/once.py), and a changed
lexicon (a new object) is compiled again: the caches never hand one lexicon's regexes to another."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.extract.candidates import compile_patterns, find_plan_candidates
from pipeline.inputs import load_inputs
from pipeline.language import ENGLISH, language_of
from pipeline.once import per_object

LEXICON = load_inputs(Path(__file__).resolve().parent.parent / "inputs").codebook.lexicon.model


def _rows(*texts: str) -> pd.DataFrame:
    return pd.DataFrame([{"sentence_id": f"s:p001.s{i:02d}", "source_id": "s", "passage_id": "s:p001",
                          "kind": "body", "section": "", "char_start": i * 300,
                          "char_end": i * 300 + len(t), "text": t} for i, t in enumerate(texts)])


def test_objects_are_matched_by_identity_not_by_equal_contents() -> None:
    calls: list[list[str]] = []

    @per_object
    def count(words: list[str]) -> int:
        calls.append(words)
        return len(calls)

    first, equal = ["a", "b"], ["a", "b"]
    assert count(first) == 1 and count(first) == 1
    assert count(equal) == 2          # an equal but distinct list is computed again
    assert calls == [first, equal]


def test_the_language_follows_each_lexicon_object() -> None:
    english = language_of(LEXICON)
    assert language_of(LEXICON) is english      # made once for this lexicon
    dutch_tens = ("twintig", "dertig")
    other = LEXICON.model_copy(update={"tens_words": list(dutch_tens)})
    assert language_of(other).tens_words == dutch_tens
    assert language_of(LEXICON) is english and english.tens_words != dutch_tens
    assert language_of(None) is ENGLISH


def test_plan_candidates_use_the_patterns_of_the_lexicon_they_are_given() -> None:
    text = _rows("Ostmark tabled the Harbour Compact on Monday.")
    nouns = [*LEXICON.plan_candidate_nouns, "compact"]
    wider = LEXICON.model_copy(update={"plan_candidate_nouns": nouns})
    assert compile_patterns(LEXICON) is compile_patterns(LEXICON)
    before = find_plan_candidates(text, [], LEXICON)
    assert not any("compact" in s.lower() for s in before["surface"])
    after = find_plan_candidates(text, [], wider)
    assert any("harbour compact" in s.lower() for s in after["surface"])
    again = find_plan_candidates(text, [], LEXICON)      # the first lexicon's patterns, still
    assert list(again["surface"]) == list(before["surface"])
