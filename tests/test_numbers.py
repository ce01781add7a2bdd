"""Table-driven tests for quantity extraction (pipeline.extract.numbers)."""

from __future__ import annotations

import pytest

from pipeline.extract.numbers import Quantity, find_quantities

UNITS = {
    "troops": "troops", "men": "troops", "soldiers": "troops", "point": "points",
    "points": "points", "explosions": "explosions", "options": "options", "%": "percent",
    "km": "km",
}

# (text, [(value, unit, text), ...]) — every quantity expected, in order.
CASES: list[tuple[str, list[tuple[float | int, str | None, str]]]] = [
    ("The substack climbed above 100,000 subscribers.", [(100000, None, "100,000")]),
    ("a force of 250 000 troops", [(250000, "troops", "250 000")]),
    ("some 1.5 million men", [(1500000, "troops", "1.5 million")]),
    ("the 20-point plan", [(20, "points", "20")]),
    # a scale glued to the digits (notes, headlines); "5m" is not read as millions
    ("army of 600k, no NATO", [(600000, None, "600k")]),
    ("a $90bn loan", [(90000000000, None, "90bn")]),
    ("a 5m wall", [(5, None, "5")]),
    ("its 20 points were outlined", [(20, "points", "20")]),
    ("a ceiling around one hundred and eighty five thousand.",
     [(185000, None, "one hundred and eighty five thousand")]),
    ("Kyiv argued for two hundred and fifty thousand, roughly",
     [(250000, None, "two hundred and fifty thousand")]),
    ("eight hundred thousand soldiers", [(800000, "troops", "eight hundred thousand")]),
    ("a twenty eight point document", [(28, "points", "twenty eight")]),
    ("Twenty-eight points were listed", [(28, "points", "Twenty-eight")]),
    ("a nineteen point plan", [(19, "points", "nineteen")]),
    ("a million men", [(1000000, "troops", "a million")]),
    ("ten major explosions", [(10, "explosions", "ten")]),
    ("ten", [(10, None, "ten")]),
    ("one of two options", [(2, "options", "two")]),
    ("one soldiers' wage", [(1, "troops", "one")]),
    ("about 3 thousand men", [(3000, "troops", "3 thousand")]),
    ("a 20% rise, 3.5 km away, 10km", [(20, "percent", "20"), (3.5, "km", "3.5"),
                                      (10, "km", "10")]),
    ("It cost $2.5 billion.", [(2500000000, None, "2.5 billion")]),
    ("a dozen drones and two dozen tanks", [(12, None, "a dozen"), (24, None, "two dozen")]),
    ("some 2000 troops were sent", [(2000, "troops", "2000")]),
    ("The 2,022 troops", [(2022, "troops", "2,022")]),
    ("one two three", [(2, None, "two"), (3, None, "three")]),
    # nothing to report
    ("one wonders whether it matters", []),
    ("the first and second drafts", []),
    ("In 2022 the war began; 2022 to 2024 was attrition.", []),
    ("He met on August 15 and three days ago; a few weeks later", []),
    ("F-16 jets, Update #165, at 10:30 on 24/7, version 3.2.1", []),
    ("1st and 2nd place, 15th day", []),
    ("nothing often happens here", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_quantities(text: str, expected: list[tuple[float | int, str | None, str]]) -> None:
    found = find_quantities(text, UNITS)
    assert [(q.value, q.unit, q.text) for q in found] == expected
    for q in found:
        assert text[q.char_start:q.char_end] == q.text


def test_values_are_ints_when_whole() -> None:
    (q,) = find_quantities("1.5 million men", UNITS)
    assert isinstance(q.value, int)
    (q,) = find_quantities("3.5 km", UNITS)
    assert isinstance(q.value, float)


def test_without_unit_words() -> None:
    assert find_quantities("the 20-point plan and 250 000 troops") == [
        Quantity(20, None, "20", 4, 6), Quantity(250000, None, "250 000", 22, 29)]


def test_unit_lookup_ignores_case_of_text() -> None:
    (q,) = find_quantities("Twenty Troops", UNITS)
    assert (q.value, q.unit) == (20, "troops")
