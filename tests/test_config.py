"""Loading and validating inputs/: every problem at once, the right line, a useful fix."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.errors import InputError, Problem
from pipeline.inputs import format_loc, load_inputs, read_yaml


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_inputs(root)
    return info.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_tiny_inputs_are_valid(inputs: Path) -> None:
    loaded = load_inputs(inputs)
    assert [s.id for s in loaded.sources] == ["harbour-talks"]
    assert set(loaded.annotations) == {"harbour-talks"}


def test_all_problems_are_reported_at_once(inputs: Path) -> None:
    """Two bad files (and two problems in one of them): one run names all of them."""
    edit(inputs / "briefing.yaml", "keep_builds: 2", "keep_builds: lots")
    (inputs / "codebook" / "actors.yaml").write_text(
        "- id: alice\n  type: person\n- id: Bob\n  name: Bob\n  type: robot\n")
    problems = problems_of(inputs)
    found = {(p.path, p.line, p.message.split(":")[0]) for p in problems}
    assert ("inputs/briefing.yaml", 7, "keep_builds") in found
    assert ("inputs/codebook/actors.yaml", 1, "[0].name") in found
    assert ("inputs/codebook/actors.yaml", 3, "[1].id") in found
    assert ("inputs/codebook/actors.yaml", 5, "[1].type") in found
    # and the message the CLI prints lists every one of them
    text = str(InputError(problems))
    assert "inputs/briefing.yaml:7" in text and "inputs/codebook/actors.yaml:5" in text


def test_problems_in_yaml_syntax_and_schema_of_different_files_together(inputs: Path) -> None:
    (inputs / "codebook" / "places.yaml").write_text("- id: portville\n   name: x\n  - bad\n")
    edit(inputs / "sources" / "harbour-talks.yaml", "kind: news", "kind: blog")
    paths = {p.path for p in problems_of(inputs)}
    assert paths == {"inputs/codebook/places.yaml", "inputs/sources/harbour-talks.yaml"}


def test_line_of_a_nested_list_item_key(inputs: Path) -> None:
    """`events[2].date` points at the third event's date line, not the file or the event."""
    ann = inputs / "annotations" / "harbour-talks.yaml"
    extra = "".join(
        f"  - id: extra-{k}\n"
        f"    title: Extra event {k}\n"
        f"    # a comment line, so lines and list positions drift apart\n"
        f"    date: {'2025-02-30' if k == 2 else '2025-03-0' + str(k)}\n"
        f"    quotes: [\"Alice Example met Bob Sample\"]\n"
        for k in (1, 2))
    edit(ann, "plan_terms:\n", extra + "plan_terms:\n")
    problems = problems_of(inputs)
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.path == "inputs/annotations/harbour-talks.yaml"
    assert p.line == line_of(ann, "date: 2025-02-30")
    assert p.message.startswith("events[2].date: '2025-02-30' is not a real date")


def test_line_numbers_in_list_typed_files(inputs: Path) -> None:
    """Codebook files are lists: `[1].date`, `[1].date.start`, and a missing key at its item."""
    plans = inputs / "codebook" / "plans.yaml"
    plans.write_text(
        "- id: harbour-plan\n"
        "  name: Harbour plan\n"
        "  date: 2025-03\n"
        "- id: second-plan\n"
        "  name: Second plan\n"
        "  points: many\n"
        "  date: {start: 2025-01,\n"
        "         end: 2025-13}\n"
        "- id: third-plan\n"
        "  aliases: [third]\n")
    problems = {p.message.split(":")[0]: p.line for p in problems_of(inputs)}
    assert problems == {"[1].points": 6, "[1].date.end": 8, "[2].name": 9}


def test_line_of_a_key_whose_value_starts_on_the_next_line(inputs: Path) -> None:
    """An unknown key holding a block is reported on the key's own line."""
    side = inputs / "sources" / "harbour-talks.yaml"
    side.write_text(side.read_text() + "extras:\n  note: x\n")
    (p,) = problems_of(inputs)
    assert (p.line, p.message) == (line_of(side, "extras:"), "extras: unknown key 'extras'")


def test_did_you_mean_for_misspelled_keys(inputs: Path) -> None:
    edit(inputs / "briefing.yaml", "keep_builds: 2", "keep_build: 2")
    edit(inputs / "sources" / "harbour-talks.yaml", "  comments_after:", "  coments_after:")
    problems = {p.path: p for p in problems_of(inputs)}
    brief = problems["inputs/briefing.yaml"]
    assert (brief.line, brief.message) == (7, "keep_build: unknown key 'keep_build'")
    assert brief.hint.startswith("did you mean 'keep_builds'? (known keys: title, subtitle")
    side = problems["inputs/sources/harbour-talks.yaml"]
    assert (side.line, side.message) == (8, "segmentation.coments_after: unknown key 'coments_after'")
    assert side.hint.startswith("did you mean 'comments_after'?")


def test_did_you_mean_for_unknown_ids(inputs: Path) -> None:
    edit(inputs / "annotations" / "harbour-talks.yaml", "[alice, bob]", "[alcie, bbo, zebra]")
    problems = problems_of(inputs)
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (5, "unknown actor 'alcie'", "did you mean 'alice'?"),
        (5, "unknown actor 'bbo'", "did you mean 'bob'?"),
        (5, "unknown actor 'zebra'", "add it to inputs/codebook/actors.yaml"),
    ]


def test_duplicate_keys_are_all_reported_with_their_lines(inputs: Path) -> None:
    (inputs / "codebook" / "questions.yaml").write_text(
        "- id: talks-outcome\n  question: Q?\n  question: Q again?\n"
        "  stances: {framework: x, framework: y}\n")
    problems = problems_of(inputs)
    assert [(p.line, p.message) for p in problems] == [
        (3, "key 'question' appears twice"), (4, "key 'framework' appears twice")]


def test_duplicate_ids_point_at_the_second_definition(inputs: Path) -> None:
    ann = inputs / "annotations" / "harbour-talks.yaml"
    edit(ann, "plan_terms:\n", "  - id: harbour-talks-open\n    title: Again\n"
                              "    quotes: [\"Alice Example met Bob Sample\"]\nplan_terms:\n")
    (p,) = problems_of(inputs)
    assert p.line == 9 and p.message == "duplicate event id 'harbour-talks-open' (first at line 2)"


@pytest.mark.parametrize("text", ["2025-13-40", "2025-02-30", "2025-00-10"])
def test_impossible_dates_are_input_errors_not_crashes(inputs: Path, text: str) -> None:
    """PyYAML raises a bare ValueError for these; they must come out as a located problem."""
    edit(inputs / "annotations" / "harbour-talks.yaml", "date: 2025-03-03", f"date: {text}")
    (p,) = problems_of(inputs)
    assert p.line == 3 and f"'{text}' is not a real date" in p.message


def test_date_expressions_the_tagger_reads_still_pass(inputs: Path) -> None:
    for value in ['"late 2025"', '"2022-02/2024"', "2025-03", '"2025-03-01/2025-03-10"']:
        edit(inputs / "annotations" / "harbour-talks.yaml", "date: 2025-03-03", f"date: {value}")
        load_inputs(inputs)
        edit(inputs / "annotations" / "harbour-talks.yaml", f"date: {value}", "date: 2025-03-03")


def test_yes_no_booleans_get_a_quoting_hint(inputs: Path) -> None:
    edit(inputs / "annotations" / "harbour-talks.yaml", "stance: framework", "stance: no")
    (p,) = problems_of(inputs)
    assert p.line == 18 and "put the value in quotes" in p.hint


def test_symlinked_codebook_file_outside_inputs_is_refused(inputs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((inputs / "codebook" / "actors.yaml").read_text())
    target = inputs / "codebook" / "actors.yaml"
    target.unlink()
    target.symlink_to(outside)
    (p,) = problems_of(inputs)
    assert p.path == "inputs/codebook/actors.yaml"
    assert p.message == f"is a link to {outside}, outside inputs/"


def test_symlinks_inside_inputs_are_fine(inputs: Path) -> None:
    shared = inputs / "codebook" / "shared-places.yaml"
    (inputs / "codebook" / "places.yaml").rename(shared)
    (inputs / "codebook" / "places.yaml").symlink_to("shared-places.yaml")
    assert [p.id for p in load_inputs(inputs).codebook.places.model] == ["portville"]


def test_symlinked_inputs_folder_is_resolved_as_a_whole(tmp_path: Path, inputs: Path) -> None:
    """inputs/ itself may be a link (a shared checkout); links inside are judged against it."""
    link = tmp_path / "linked-inputs"
    link.symlink_to(inputs)
    assert load_inputs(link).sources[0].id == "harbour-talks"


def test_broken_source_is_reported_once(inputs: Path) -> None:
    """An unreadable source is one problem: its annotations and key points are not 'unknown'."""
    (inputs / "sources" / "harbour-talks.txt").write_bytes(b"caf\xe9\n")
    (p,) = problems_of(inputs)
    assert p.path == "inputs/sources/harbour-talks.txt" and "not valid UTF-8" in p.message


def test_alias_bomb_and_recursive_alias_are_refused_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]" for k in range(1, 10)]
    bomb.write_text("\n".join(levels) + "\n")
    loop = tmp_path / "loop.yaml"
    loop.write_text("x: &x {y: [*x]}\n")
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="more than 200000 values once YAML aliases"):
        read_yaml(bomb)
    with pytest.raises(InputError, match="alias refers to itself"):
        read_yaml(loop)
    assert time.perf_counter() - t0 < 3


def test_ordinary_aliases_still_work(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("base: &who [alice, bob]\nagain: *who\n")
    data, lines = read_yaml(path)
    assert data == {"base": ["alice", "bob"], "again": ["alice", "bob"]}
    assert lines[("again",)] == 2 and lines[("again", 1)] == 1


def test_yaml_tags_are_refused_not_executed(tmp_path: Path) -> None:
    path = tmp_path / "tag.yaml"
    marker = tmp_path / "ran"
    path.write_text(f'x: !!python/object/apply:os.system ["touch {marker}"]\n')
    with pytest.raises(InputError, match="could not determine a constructor"):
        read_yaml(path)
    assert not marker.exists()


def test_format_loc() -> None:
    assert format_loc(("events", 2, "date")) == "events[2].date"
    assert format_loc((1, "date", "start")) == "[1].date.start"
    assert format_loc(()) == "(top level)"
