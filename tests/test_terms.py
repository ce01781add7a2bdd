"""Plan terms: which version a sentence speaks of, and which number belongs to which provision."""

from __future__ import annotations

import pandas as pd

from pipeline.extract.terms import build_plan_patterns, find_terms, plan_context
from pipeline.inputs import Lexicon, Plan, Provision

PLANS = [Plan(id="draft-a", name="Harbour draft", aliases=["harbour draft"], patterns=[r"\bHarbour\b"]),
         Plan(id="plan-12", name="12-point plan", aliases=["12-point plan", "12 points"])]
PROVISIONS = [Provision(id="fleet-cap", name="Fleet size", unit="ships", patterns=[r"\bfleet\b"]),
              Provision(id="structure", name="Number of points", unit="points", patterns=[r"\bpoints?\b"])]
LEX = Lexicon(unit_words={"ships": "ships", "points": "points", "point": "points"},
              number_words="zero one two three four five six seven eight nine ten eleven twelve".split())


def _terms(*sentences: tuple[str, str]) -> pd.DataFrame:
    rows = [{"sentence_id": f"s:p001.s{i:02d}", "source_id": "s", "passage_id": "s:p001", "kind": "body",
             "section": section, "char_start": i * 100, "char_end": i * 100 + len(text), "text": text}
            for i, (section, text) in enumerate(sentences)]
    df = pd.DataFrame(rows)
    ctx = plan_context(df, build_plan_patterns(PLANS, LEX))
    return find_terms(df, ctx, PROVISIONS, LEX)


def test_numbers_in_words_go_to_the_provision_with_their_unit() -> None:
    t = _terms(("", "The harbour draft would cap the fleet at twelve ships."))
    row = t[t["provision_id"] == "fleet-cap"].iloc[0]
    assert (row["plan_id"], row["value"], row["unit"]) == ("draft-a", 12.0, "ships")


def test_nearest_named_version_wins_in_a_sentence_naming_several() -> None:
    t = _terms(("", "The line from Harbour to the twelve point plan is straightforward."))
    row = t[t["provision_id"] == "structure"].iloc[0]
    assert row["plan_id"] == "plan-12"


def test_section_heading_sets_the_version_under_discussion() -> None:
    t = _terms(("Harbour: how it began", "Later the 12-point plan appeared."),
               ("Harbour: how it began", "The fleet would be capped at 40 ships."))
    fleet = t[t["provision_id"] == "fleet-cap"].iloc[0]
    assert (fleet["plan_id"], fleet["plan_basis"], fleet["value"]) == ("draft-a", "section", 40.0)


def test_numbers_in_plan_aliases_are_read_in_the_lexicon_language() -> None:
    """Number words come from the lexicon: another language's words, no code change."""
    other = Lexicon(number_words="zéro un deux trois quatre cinq six sept huit neuf dix onze douze".split())
    pats = build_plan_patterns([Plan(id="p12", name="p", aliases=["12 points"])], other)
    assert pats[0][0].search("le plan en douze points") and pats[0][0].search("les 12 points")
    assert not build_plan_patterns([Plan(id="p12", name="p", aliases=["12 points"])])[0][0].search("twelve points")
