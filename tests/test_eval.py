"""Extraction quality floors against the hand-built gold set (`make eval` prints the scores).

The floors are the scores measured when they were set; a change that lowers one fails here.
Issue 3's targets: actors P/R >= 0.95, events >= 0.90 found in window, plan numbers R >= 0.90.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import evaluate

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
