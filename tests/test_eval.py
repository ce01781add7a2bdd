"""Extraction quality floors against the hand-built gold set (`make eval` prints the scores).

The floors are the scores measured when they were set; a change that lowers one fails here.
Issue 3's targets: actors P/R >= 0.95, events >= 0.90 found in window, plan numbers R >= 0.90.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.evaluate import evaluate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def scores() -> dict:
    return evaluate(ROOT)


def test_actor_precision_and_recall(scores: dict) -> None:
    assert scores["actors"]["precision"] >= 0.95
    assert scores["actors"]["recall"] >= 0.95


def test_plan_number_recall(scores: dict) -> None:
    assert scores["plan_numbers"]["recall"] >= 0.90


def test_event_recall(scores: dict) -> None:
    # Measured 1.000 (35/35 required gold events) when set; the target is 0.90.
    assert scores["events"]["recall"] >= 0.90


def test_gold_covers_seed_and_fixtures(scores: dict) -> None:
    assert scores["sources"] == 5
    assert scores["events"]["gold"] >= 35   # one of 36 became optional: one event per sentence


# Development set (tests/devset/): per-style floors. They are the lowest per-style scores
# measured when set, rounded down; raise them as the engine improves (targets: events 0.90,
# actors 0.95), never lower them to let a change through.
# Measured when set: actor recall and event recall 1.000 in every style; plan figures 0.25
# (thinktank) to 1.000. Floors: the targets, and the lowest figure recall.
DEVSET_FLOORS = {"event_recall": 0.90, "actor_recall": 0.95, "figure_recall": 0.25}


@pytest.fixture(scope="module")
def devset() -> dict:
    from tools.evaluate import evaluate_devset

    return evaluate_devset(ROOT)


def test_devset_has_six_styles_and_fifteen_texts(devset: dict) -> None:
    assert devset["sources"] >= 15
    assert {"wire", "summit", "thinktank", "oped", "readout", "transcript"} <= set(devset["styles"])
    assert all(row["texts"] >= 2 for row in devset["styles"].values())


@pytest.mark.parametrize("metric", sorted(DEVSET_FLOORS))
def test_devset_floor_per_style(devset: dict, metric: str) -> None:
    low = {s: row[metric] for s, row in devset["styles"].items() if row[metric] < DEVSET_FLOORS[metric]}
    assert not low, f"{metric} below its floor {DEVSET_FLOORS[metric]} in {low}"


def test_devset_credit_lines_never_become_actors(devset: dict) -> None:
    leaks = {sid: row["leaks"] for sid, row in devset["per_source"].items() if row["leaks"]}
    assert not leaks


def test_devset_spelling_variants_resolve_to_the_right_person(devset: dict) -> None:
    wrong = {sid: row["variants_wrong"] for sid, row in devset["per_source"].items() if row["variants_wrong"]}
    assert not wrong


# Issue 19 round 3 (plan terms, discovered actors, candidate plans), measured when set on 50 texts:
# plan-term rows shown at a new project's threshold 64/64 right, discovered actors 180/180 real and
# rightly named, plans the codebook lacks offered as candidates 9/13. Floors: the 95%
# targets and the measured candidate recall, rounded down.
def test_devset_shown_plan_terms_and_discovered_actors_are_right(devset: dict) -> None:
    terms = [row["terms"] for row in devset["styles"].values() if row["terms"]]
    shown, right = sum(t["shown"] for t in terms), sum(t["shown_right"] for t in terms)
    assert shown >= 50 and right / shown >= 0.95
    autos = [row["autos"] for row in devset["styles"].values()]
    assert sum(a[0] for a in autos) / sum(a[1] for a in autos) >= 0.95


def test_devset_plans_the_codebook_lacks_are_offered_as_candidates(devset: dict) -> None:
    found = sum(row["candidates"][0] for row in devset["styles"].values())
    wanted = sum(row["candidates"][1] for row in devset["styles"].values())
    assert wanted >= 13 and found / wanted >= 0.65


# Issue 19 round 4 (actors3), measured when set on 58 texts: actors found 497/510 (0.975; the
# eight round-4 texts 102/109), discovered actors 284/285 real and rightly named, plan-term rows
# shown 76/76 right. Floors: rounded down.
def test_devset_actor_recall_overall_and_discovered_actors_found(devset: dict) -> None:
    found = sum(int(row["actors"].split("/")[0]) for row in devset["styles"].values())
    wanted = sum(int(row["actors"].split("/")[1]) for row in devset["styles"].values())
    assert wanted >= 500 and found / wanted >= 0.97
    autos = [row["autos"] for row in devset["styles"].values()]
    assert sum(a[1] for a in autos) >= 280 and sum(a[0] for a in autos) / sum(a[1] for a in autos) >= 0.99
