"""Plan terms: which version a sentence speaks of, and which number belongs to which provision."""

from __future__ import annotations

from pathlib import Path

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
    return _terms_with(LEX, *sentences)


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


# ---------------------------------------------------------------- issue 19, classes 11-13
RIVAL_LEX = LEX.model_copy(update={"rival_plan_words": ["counter-proposal", "counterproposal"],
                                   "stop_words": ["the", "a", "it", "its"]})
PLANS_POINTS = [Plan(id="draft-a", name="Harbour draft", aliases=["harbour draft"], patterns=[r"\bHarbour\b"]),
                Plan(id="plan-12", name="12-point plan", points=12, aliases=["12-point plan", "12 points"])]


def _split(*sentences: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from pipeline.extract.terms import find_plan_terms, known_words

    rows = [{"sentence_id": f"s:p001.s{i:02d}", "source_id": "s", "passage_id": "s:p001", "kind": "body",
             "section": section, "char_start": i * 300, "char_end": i * 300 + len(text), "text": text}
            for i, (section, text) in enumerate(sentences)]
    df = pd.DataFrame(rows)
    known = known_words(["Harbour draft", "12-point plan", "Norland", "Ostmark"])
    ctx = plan_context(df, build_plan_patterns(PLANS_POINTS, RIVAL_LEX), lexicon=RIVAL_LEX, known_words=known)
    return find_plan_terms(df, ctx, PROVISIONS, RIVAL_LEX, PLANS_POINTS)


def test_class11_figure_belongs_to_the_version_of_its_own_clause() -> None:
    linked, unlinked = _split(("", "The harbour draft capped the fleet at 40 ships, while a counter-proposal "
                                   "raised the fleet limit from 40 to 55 ships."))
    fleet = linked[linked["provision_id"] == "fleet-cap"]
    assert list(zip(fleet["plan_id"], fleet["value"], strict=True)) == [("draft-a", 40.0)]
    assert fleet.iloc[0]["basis"] == "figure in own clause"
    assert list(zip(unlinked["candidate_plan"], unlinked["value"], strict=True)) == [("counter-proposal", 55.0)]


def test_reported_clauses_joined_by_and_that_each_keep_their_own_version() -> None:
    """"X noted that the 12-point plan had capped the fleet at 40, and that the Harbour draft
    raised the figure to 55": each "that" clause names its own version; the 40 is nearer the
    Harbour draft's name, but it is the 12-point plan's figure (an official readout put a
    600,000 army cap under the Geneva text this way)."""
    t = _terms(("", "The minister noted that the 12-point plan had proposed capping the fleet at 40 ships, "
                    "and that the harbour draft raised the figure to 55 ships."))
    fleet = t[t["provision_id"] == "fleet-cap"]
    assert sorted(zip(fleet["plan_id"], fleet["value"], strict=True)) == [("draft-a", 55.0), ("plan-12", 40.0)]


def test_class11_only_the_new_figure_of_a_change_is_the_versions() -> None:
    linked, _ = _split(("", "The harbour draft raised the fleet from 40 to 55 ships."))
    assert list(linked[linked["provision_id"] == "fleet-cap"]["value"]) == [55.0]


def test_class12_a_plan_the_codebook_lacks_stays_unlinked() -> None:
    linked, unlinked = _split(
        ("", "Ostmark's own 12-point plan for Veldoria caps the fleet at 30 ships."),
        ("", "It would also cap the fleet at 25 ships."),
        ("", "Norland's counterproposal keeps the fleet at 60 ships."))
    assert linked.empty
    assert set(unlinked["value"]) == {12.0, 30.0, 60.0}
    assert any("Veldoria" in c for c in unlinked["candidate_plan"])
    # the version the codebook knows is still found where nothing says otherwise
    known, _ = _split(("", "The Norland 12-point plan caps the fleet at 30 ships."))
    assert list(zip(known["plan_id"], known["value"], strict=True))[0] == ("plan-12", 30.0)


def test_class13_a_contradicting_point_count_is_not_the_versions() -> None:
    linked, unlinked = _split(("", "The harbour draft has either 14 points or 12 points."),
                              ("", "The 12-point plan was cut from 12 to 9 points."))
    counts = linked[linked["provision_id"] == "structure"]
    assert set(zip(counts["plan_id"], counts["value"], strict=True)) == {("plan-12", 12.0)}
    assert list(zip(unlinked["candidate_plan"], unlinked["value"], strict=True)) == [("9-point version", 9.0)]
    assert all(0 <= c <= 1 for c in [*linked["confidence"], *unlinked["confidence"]])


def test_a_figure_that_counts_something_else_or_is_negated_is_no_value() -> None:
    lex = RIVAL_LEX.model_copy(update={"not_value_cues": ["not at", "rather than"]})
    rows = [{"sentence_id": "s:p001.s00", "source_id": "s", "passage_id": "s:p001", "kind": "body",
             "section": "", "char_start": 0, "char_end": 200,
             "text": "The harbour draft, two people said, fixes the fleet at 40 ships, not at 90 ships."}]
    df = pd.DataFrame(rows)
    from pipeline.extract.terms import find_plan_terms

    ctx = plan_context(df, build_plan_patterns(PLANS_POINTS, lex), lexicon=lex)
    linked, _ = find_plan_terms(df, ctx, PROVISIONS, lex, PLANS_POINTS)
    assert list(linked["value"]) == [40.0]


def test_class12_a_later_bare_count_of_an_unknown_plan_is_that_plan() -> None:
    from pipeline.extract.terms import find_plan_terms, known_words

    rows = [{"sentence_id": f"s:p001.s{i:02d}", "source_id": "s", "passage_id": "s:p001", "kind": "body",
             "section": "", "char_start": i * 300, "char_end": i * 300 + len(t), "text": t}
            for i, t in enumerate(["The 12-point plan for Veldoria was signed.",
                                   "Its 12 points cap the fleet at 30 ships."])]
    df = pd.DataFrame(rows)
    ctx = plan_context(df, build_plan_patterns(PLANS_POINTS, RIVAL_LEX), lexicon=RIVAL_LEX,
                       known_words=known_words(["Harbour draft"]), plan_points={"plan-12": 12})
    assert list(ctx["linked"]) == ["", ""]
    linked, unlinked = find_plan_terms(df, ctx, PROVISIONS, RIVAL_LEX, PLANS_POINTS)
    assert linked.empty and 30.0 in set(unlinked["value"])


# ---------------------------------------------------------------- issue 19, round 2
def _rows(*texts: str) -> pd.DataFrame:
    return pd.DataFrame([{"sentence_id": f"s:p001.s{i:02d}", "source_id": "s", "passage_id": "s:p001",
                          "kind": "body", "section": "", "char_start": i * 300,
                          "char_end": i * 300 + len(t), "text": t} for i, t in enumerate(texts)])


def _round2(*texts: str, lex: Lexicon | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    from pipeline.extract.terms import find_plan_terms, known_words, plan_own_words

    lex = lex or RIVAL_LEX
    plans = [*PLANS_POINTS[:1], Plan(id="plan-12", name="12-point plan", points=12, originator="Norland",
                                     aliases=["12-point plan", "12 points"])]
    df = _rows(*texts)
    ctx = plan_context(df, build_plan_patterns(plans, lex), lexicon=lex,
                       known_words=known_words(["Harbour draft", "12-point plan", "Norland"]),
                       plan_points={"plan-12": 12}, plan_words=plan_own_words(plans))
    return find_plan_terms(df, ctx, PROVISIONS, lex, plans)


def test_a_bare_count_before_another_plans_qualified_one_is_that_plan() -> None:
    """"a 12-point plan" early in a piece that then speaks of "the 12-point plan for Veldoria"."""
    linked, unlinked = _round2("The Veldoria deal came as a 12-point plan with a fleet of 30 ships.",
                               "The 12-point plan for Veldoria was signed on Monday.")
    assert linked.empty
    assert 30.0 in set(unlinked["value"])


def test_a_count_qualified_by_the_versions_own_words_is_the_version_but_bare_ones_are_doubtful() -> None:
    linked, _ = _round2("The 12-point plan for Veldoria was signed.",
                        "Norland's 12-point plan caps the fleet at 40 ships.",
                        "The 12-point plan also keeps 12 points of principle.")
    own = linked[linked["value"] == 40.0]
    assert list(zip(own["plan_id"], own["confidence"], strict=True)) == [("plan-12", 0.9)]
    bare = linked[linked["position"].str.startswith("The 12-point plan also")]
    assert not bare.empty and (bare["confidence"] < 0.85).all()
    assert bare["basis"].str.contains("two plans of this count").all()


def test_a_count_of_another_named_plan_is_that_plans() -> None:
    """"the 12 points of the Harbour peace plan" are the Harbour plan's, a name the codebook
    knows though not the version's own; "of the Norland peace plan" is the version."""
    lex = RIVAL_LEX.model_copy(update={"plan_nouns": ["plan", "draft"]})
    linked, _ = _round2("The 12 points of the Harbour peace plan cap the fleet at 40 ships.", lex=lex)
    assert "plan-12" not in set(linked["plan_id"])
    linked, unlinked = _round2("The 12 points or 11 points of the Veldoria peace plan cap the fleet at 40 ships.",
                               lex=lex)
    assert linked.empty and 40.0 in set(unlinked["value"])
    linked, _ = _round2("The 12 points of the Norland peace plan cap the fleet at 40 ships.", lex=lex)
    assert ("plan-12", 40.0) in set(zip(linked["plan_id"], linked["value"], strict=True))


def test_a_place_without_a_plan_word_files_no_shown_term() -> None:
    linked, _ = _round2("Talks held in Harbour ended without a deal on the fleet.")
    assert not linked.empty and (linked["plan_id"] == "draft-a").all()
    assert (linked["confidence"] < 0.85).all()


def test_figures_that_count_other_things_or_sit_in_another_clause_are_no_values() -> None:
    prov = [*PROVISIONS, Provision(id="ports", name="Ports", patterns=[r"\bports?\b"])]
    from pipeline.extract.terms import find_plan_terms

    df = _rows("The harbour draft capped the fleet at 1,200 ships and shut the ports, as the navy "
               "counted 3,400 drones.",
               "The harbour draft passed by 51 to 49, although the ports remain closed.",
               "The harbour draft opens the ports to 2,000 cubic metres of cargo.")
    ctx = plan_context(df, build_plan_patterns(PLANS_POINTS, RIVAL_LEX), lexicon=RIVAL_LEX)
    lex = RIVAL_LEX.model_copy(update={"unit_modifiers": ["cubic"]})
    linked, _ = find_plan_terms(df, ctx, prov, lex, PLANS_POINTS)
    values = set(zip(linked["provision_id"], linked["value"].fillna(0), strict=True))
    assert ("fleet-cap", 1200.0) in values
    assert not {v for p, v in values if v in (3400.0, 51.0, 49.0)}
    assert ("ports", 2000.0) in values      # a measure is a value for a provision without a unit


def test_alias_words_have_short_forms_from_the_lexicon() -> None:
    lex = LEX.model_copy(update={"word_abbreviations": {"point": ["pt"]}})
    pats = build_plan_patterns([Plan(id="p12", name="p", aliases=["12-point plan"])], lex)
    assert pats[0][0].search("the 12-pt plan")
    assert not build_plan_patterns([Plan(id="p12", name="p", aliases=["12-point plan"])], LEX)[0][0].search(
        "the 12-pt plan")


# ---------------------------------------------------------------- issue 19, round 3
PLANS_R3 = [Plan(id="draft-a", name="Harbour draft", points=9, aliases=["harbour draft"], patterns=[r"\bHarbour\b"]),
            Plan(id="plan-12", name="12-point plan", points=12, originator="Norland",
                 aliases=["12-point plan", "12 points", "12-point"])]
PROV_R3 = [*PROVISIONS, Provision(id="army", name="Army", unit="troops", patterns=[r"\barmy\b"]),
           Provision(id="rebuild", name="Reconstruction", patterns=[r"\breconstruction\b"])]
LEX_R3 = RIVAL_LEX.model_copy(update={
    "unit_words": {**RIVAL_LEX.unit_words, "troops": "troops"},
    "rival_plan_words": ["counter-proposal", "amendments", "redraft"], "stop_words": ["the", "a", "it", "its", "and"],
    "plan_nouns": ["plan", "framework", "roadmap", "draft"], "currency_symbols": ["$"]})


def _round3(*texts: str, topic: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    import re

    from pipeline.extract.terms import find_plan_terms, known_words, plan_own_words

    df = _rows(*texts)
    ctx = plan_context(df, build_plan_patterns(PLANS_R3, LEX_R3), lexicon=LEX_R3,
                       known_words=known_words(["Harbour draft", "12-point plan", "Norland"]),
                       plan_points={"draft-a": 9, "plan-12": 12}, plan_words=plan_own_words(PLANS_R3),
                       topic=re.compile(topic) if topic else None)
    return find_plan_terms(df, ctx, PROV_R3, LEX_R3, PLANS_R3)


def test_a_count_changed_down_to_another_names_the_new_version_for_the_clause() -> None:
    """"took the 12 points down to 9 and lifted the fleet cap to 55 ships": 9 points and 55 ships
    are the 9-point version's; the 12 is the version changed."""
    linked, _ = _round3("Negotiators took the 12 points down to 9 and lifted the fleet cap to 55 ships.")
    got = set(zip(linked["plan_id"], linked["provision_id"], linked["value"], strict=True))
    assert ("draft-a", "fleet-cap", 55.0) in got and ("draft-a", "structure", 9.0) in got
    assert not any(p == "plan-12" for p, _, _ in got)


def test_a_sum_of_money_is_never_an_army_size() -> None:
    linked, _ = _round3("The 12-point plan puts the army at 800,000 and asks for $800 billion for reconstruction.")
    got = set(zip(linked["provision_id"], linked["value"], strict=True))
    assert ("army", 800000.0) in got and ("rebuild", 800e9) in got and ("army", 800e9) not in got


def test_a_rival_word_that_describes_the_named_version_or_its_object_leaves_it_linked() -> None:
    linked, unlinked = _round3(
        "Norland's 12-point plan is a counter-proposal to the Ostmark text, and it keeps the fleet at 40 ships.",
        "Ostmark handed over its amendments to the 12-point plan.",
        "Ostmark's amendments would cut the fleet to 20 ships.",
        "The Ostmark redraft keeps 35 ships in the fleet.")
    got = set(zip(linked["plan_id"], linked["provision_id"], linked["value"], strict=True))
    assert ("plan-12", "fleet-cap", 40.0) in got and ("plan-12", "structure", 12.0) in got
    assert {20.0, 35.0} <= set(unlinked["value"]) and not {20.0, 35.0} & set(linked["value"])


def test_a_name_between_the_count_and_the_plan_noun_is_another_plan() -> None:
    linked, unlinked = _round3("The 12-point Veldoria roadmap capped the fleet at 30 ships.")
    assert linked.empty
    assert "12-point Veldoria roadmap" in set(unlinked["candidate_plan"])


def test_off_subject_a_count_of_points_is_another_plan_and_a_place_only_a_place() -> None:
    """A source that names none of the plans' parties: "a 12-point framework" is its own plan (a
    candidate), "talks in Harbour" file nothing."""
    linked, unlinked = _round3("The two carmakers agreed a 12-point framework in Harbour on Monday.",
                               "The fleet of car carriers grows to 14 ships.", topic=r"\bNorland\b")
    assert linked.empty
    assert "12-point framework" in set(unlinked["candidate_plan"])
    # on the subject, the same words are the version
    on, _ = _round3("Norland agreed a 12-point framework in Harbour on Monday.", topic=r"\bNorland\b")
    assert "plan-12" in set(on["plan_id"])


def test_topic_is_the_plans_parties_and_their_people_not_every_codebook_name() -> None:
    from pipeline.extract import topic_names
    from pipeline.extract.terms import topic_regex
    from pipeline.inputs import load_inputs

    codebook = load_inputs(Path(__file__).resolve().parent.parent / "inputs").codebook
    topic = topic_regex(topic_names(codebook))
    assert not topic.search("The United States and Tavora met in Geneva; the White House and Washington "
                            "welcomed it. The UN Security Council took note.")
    assert topic.search("Ukrainian negotiators left early.") and topic.search("Zelenskyy said no.")


def test_declarations_and_capitalised_agreements_on_a_name_are_candidate_plans() -> None:
    from pipeline.extract.candidates import find_plan_candidates
    from pipeline.inputs import load_inputs

    lexicon = load_inputs(Path(__file__).resolve().parent.parent / "inputs").codebook.lexicon.model
    found = find_plan_candidates(_rows("Both sides back the 12-point Lomé Declaration, which was signed in May.",
                                       "The Accord on Maritime Boundaries takes effect in June.",
                                       "An agreement on Monday is unlikely.",
                                       "Ostmark had tabled a counter-proposal in October."), [], lexicon)
    surfaces = {s.lower() for s in found["surface"]}
    assert any("lomé declaration" in s for s in surfaces)
    assert any("accord on maritime boundaries" in s for s in surfaces)
    assert not any("monday" in s for s in surfaces)
    assert "Ostmark counter-proposal" in set(found["name"])


def test_the_worksheet_offers_the_plans_whose_figures_stayed_unlinked() -> None:
    """"a 12-point framework" in a piece on another subject: no version's row, and a candidate plan
    for the worksheet although a codebook version has 12 points."""
    from pipeline.extract.candidates import find_plan_candidates, with_unlinked

    df = _rows("The two carmakers agreed a 12-point framework in Harbour on Monday.",
               "Ostmark's amendments would cut the fleet to 20 ships.")
    linked, unlinked = _round3(*df["text"], topic=r"\bNorland\b")
    assert linked.empty
    hits = with_unlinked(find_plan_candidates(df, PLANS_R3, LEX_R3), unlinked, df, LEX_R3)
    got = dict(zip(hits["key"], hits["name"], strict=True))
    assert got.get("12-point") == "12-point framework"
    assert any("amendments" in n for n in got.values())
    assert set(hits["sentence_id"]) <= set(df["sentence_id"])


# ---------------------------------------------------------------- issue 19 round 4 (actors3)
COMPARE_LEX = LEX.model_copy(update={"comparison_clause_words": ["well above", "above", "up from"]})


def _terms_with(lexicon: Lexicon, *sentences: tuple[str, str]) -> pd.DataFrame:
    rows = [{"sentence_id": f"s:p001.s{i:02d}", "source_id": "s", "passage_id": "s:p001", "kind": "body",
             "section": section, "char_start": i * 100, "char_end": i * 100 + len(text), "text": text}
            for i, (section, text) in enumerate(sentences)]
    df = pd.DataFrame(rows)
    ctx = plan_context(df, build_plan_patterns(PLANS, lexicon))
    return find_terms(df, ctx, PROVISIONS, lexicon)


def test_a_version_named_only_as_the_measure_compared_with_does_not_take_the_figure() -> None:
    sentences = (("", "Officials studied the harbour draft."),
                 ("", "It sets the fleet at 40 ships, well above the 25 ships of the 12-point plan."))
    t = _terms_with(COMPARE_LEX, *sentences)
    fleet = {(r.plan_id, r.value) for r in t[t["provision_id"] == "fleet-cap"].itertuples()}
    assert ("plan-12", 25.0) in fleet and ("draft-a", 40.0) in fleet
    assert ("plan-12", 40.0) not in fleet
    # without the lexicon's comparison words the sentence's one version takes both figures
    t = _terms_with(LEX, *sentences)
    assert ("plan-12", 40.0) in {(r.plan_id, r.value) for r in t[t["provision_id"] == "fleet-cap"].itertuples()}


OMIT_LEX = LEX.model_copy(update={"plan_omits_cues": ["does not mention", "is silent"],
                                  "absent_from_plan_cues": ["absent from", "not in"]})


def test_a_plan_said_to_lack_a_figure_does_not_own_it() -> None:
    """"Kyiv rejects any cap below 800,000, a figure the Geneva text does not mention": the
    figure is Kyiv's, and the sentence says the plan lacks it (a real-style explainer put it
    under the Geneva text at 0.9). Another version named in its own clause keeps its figure."""
    sentences = (("", "Officials reject any fleet below 55 ships, a figure the harbour draft does not mention."),
                 ("", "A fleet of 70 ships, a figure absent from the harbour draft, was floated."),
                 ("", "The 12-point plan capped the fleet at 40 ships, while the harbour draft, by contrast, "
                      "is silent on it."),
                 ("Harbour", "Kyiv wants 90 ships in the fleet, not in the harbour draft."))
    def fleet(lexicon: Lexicon) -> set[tuple[str, float]]:
        rows = [{"sentence_id": f"s:p001.s{i:02d}", "source_id": "s", "passage_id": "s:p001", "kind": "body",
                 "section": section, "char_start": i * 200, "char_end": i * 200 + len(text), "text": text}
                for i, (section, text) in enumerate(sentences)]
        df = pd.DataFrame(rows)
        t = find_terms(df, plan_context(df, build_plan_patterns(PLANS, lexicon), lexicon=lexicon),
                       PROVISIONS, lexicon)
        return {(r.plan_id, r.value) for r in t[t["provision_id"] == "fleet-cap"].itertuples()}

    assert fleet(OMIT_LEX) == {("plan-12", 40.0)}
    # without the lexicon's cues the same sentences file the figures under the draft
    assert ("draft-a", 55.0) in fleet(LEX)


def test_the_engine_lexicon_knows_omission_cues() -> None:
    """The shipped word lists catch the sentence a new article put wrong, and leave a plain
    statement of a version's figure alone."""
    from pipeline.extract.terms import _omission_cues
    from pipeline.inputs.load import load_yaml_model

    lex = load_yaml_model(Path(__file__).parent.parent / "inputs" / "codebook" / "lexicon.yaml", Lexicon).model
    after, before = _omission_cues(tuple(lex.plan_omits_cues), tuple(lex.absent_from_plan_cues))
    assert after.match(" text does not mention") and after.match(" draft, by contrast, is silent on it")
    assert before.search("a figure absent from the ")
    assert not after.match(" plan caps the army at 600,000 and does not mention Crimea")
    assert not after.match(" text sets the ceiling at 800,000")


def _passages_terms(lexicon: Lexicon, *passages: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One sentence per passage, in order, as a reader gives a table's rows."""
    from pipeline.extract.terms import find_plan_terms, known_words

    rows = [{"sentence_id": f"s:p{i:03d}.s01", "source_id": "s", "passage_id": f"s:p{i:03d}", "kind": "body",
             "section": "Harbour", "char_start": i * 200, "char_end": i * 200 + len(t), "text": t}
            for i, t in enumerate(passages, start=1)]
    df = pd.DataFrame(rows)
    ctx = plan_context(df, build_plan_patterns(PLANS_POINTS, lexicon), lexicon=lexicon,
                       known_words=known_words(["Harbour draft", "12-point plan"]))
    return find_plan_terms(df, ctx, PROVISIONS, lexicon, PLANS_POINTS)


def test_a_tables_figure_belongs_to_its_columns_version_not_the_sections() -> None:
    """A newsletter's comparison table: the row label names the provision, the column header
    the version. Before, each row was read as a sentence of the section ("Harbour") and every
    figure in it, the other version's and a party's own ask, was filed under the draft."""
    linked, unlinked = _passages_terms(
        RIVAL_LEX,
        "Provision | 12-point plan | Harbour draft | Norland's counter-proposal",
        "Fleet size | 40 ships | 55 ships | 70 ships",
        "Fleet cap | 30 ships | 45 ships",                  # an empty cell left out: no longer aligned
        "The harbour draft keeps the fleet at 55 ships.")
    table = linked[linked["basis"].str.contains("table")]
    assert sorted(zip(table["plan_id"], table["value"], strict=True)) == [("draft-a", 55.0), ("plan-12", 40.0)]
    assert set(table["confidence"]) == {0.75} and set(table["plan_basis"]) == {"table"}
    assert 30.0 not in set(linked["value"]) and 45.0 not in set(linked["value"])
    assert list(zip(unlinked["candidate_plan"], unlinked["value"], strict=True)) == [
        ("Norland's counter-proposal", 70.0)]
    # prose after the table is read as prose again
    assert ("draft-a", 55.0, "figure in own clause") in set(zip(linked["plan_id"], linked["value"], linked["basis"],
                                                                   strict=True))


def test_a_table_with_a_row_per_version() -> None:
    linked, _ = _passages_terms(LEX, "Version | Fleet size", "12-point plan | 40 ships", "Harbour draft | 55 ships",
                                "Someone else's plan | 90 ships")
    assert sorted(zip(linked["plan_id"], linked["value"], strict=True)) == [("draft-a", 55.0), ("plan-12", 40.0)]


def test_a_figure_said_to_be_in_no_version_is_filed_under_none() -> None:
    lex = RIVAL_LEX.model_copy(update={"in_no_plan_cues": ["in neither draft"],
                                 "provision_anaphora": ["that number"]})
    linked, _ = _passages_terms(lex, "The harbour draft keeps the fleet at 55 ships.",
                                "Norland floated 70 ships for the fleet, but that number appears in neither draft.")
    assert list(linked[linked["provision_id"] == "fleet-cap"]["value"]) == [55.0]


def test_a_table_is_a_run_of_row_passages_of_one_kind() -> None:
    from pipeline.extract.terms import table_rows

    texts = ["Fleet talks | The Harbour Ledger", "Provision | Harbour draft", "Fleet size | 40 ships",
             "Fleet cap | 30 ships", "A sentence. Another | with a pipe.", "Lone | row"]
    passages = ["p1", "p2", "p3", "p4", "p5", "p5", "p6"][:len(texts)]
    passages[4:6] = ["p5", "p5"]
    kinds = ["title", "body", "body", "body", "body", "body"]
    assert table_rows(["s"] * 6, passages, kinds, texts) == {2: 1, 3: 1}
