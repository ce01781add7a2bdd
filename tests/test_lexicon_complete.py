"""A project's lexicon.yaml completed from the engine's (pipeline/inputs/lexicon.py): a desk's
older project gets the word lists added since its `briefing init`, keeps what it sets itself,
and the engine's lists count as an input of the build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pipeline.inputs import load_inputs
from pipeline.inputs.lexicon import ENGINE_ENTRY
from pipeline.starter import ENGINE_LEXICON, init_project

STORY = "Port strike talks resume\n\nDockworkers voted on Monday to resume talks.\n"


def _project(tmp_path: Path) -> Path:
    init_project(tmp_path / "p")
    (tmp_path / "p" / "inputs" / "sources" / "a.txt").write_text(STORY, encoding="utf-8")
    return tmp_path / "p" / "inputs"


def _drop(lexicon: Path, *keys: str) -> None:
    text = lexicon.read_text(encoding="utf-8")
    for key in keys:
        text, n = re.subn(rf"(?ms)^{key}:.*?(?=^\S|\Z)", "", text)
        assert n == 1, key
    lexicon.write_text(text, encoding="utf-8")


def test_a_key_the_project_lacks_takes_the_engine_s_list_and_the_build_says_so(tmp_path: Path) -> None:
    inputs = _project(tmp_path)
    _drop(inputs / "codebook" / "lexicon.yaml", "figure_comparison_words", "percent_words")
    loaded = load_inputs(inputs)
    engine = yaml.safe_load(ENGINE_LEXICON.read_text(encoding="utf-8"))
    lexicon = loaded.codebook.lexicon.model
    assert lexicon.figure_comparison_words == engine["figure_comparison_words"]
    assert lexicon.percent_words == engine["percent_words"]
    note = [w for w in loaded.warnings if "lexicon.yaml" in w]
    assert len(note) == 1 and "figure_comparison_words, percent_words" in note[0] and "[]" in note[0]
    assert ENGINE_ENTRY in loaded.file_hashes


@pytest.mark.parametrize("line", [
    "percent_words: []\n",      # the key set, empty: the project's
    "engine_lists: false\n",    # every key left out stays empty (a lexicon for another language)
])
def test_a_key_set_empty_or_engine_lists_off_keeps_the_list_empty(tmp_path: Path, line: str) -> None:
    inputs = _project(tmp_path)
    path = inputs / "codebook" / "lexicon.yaml"
    _drop(path, "percent_words")
    path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    loaded = load_inputs(inputs)
    assert loaded.codebook.lexicon.model.percent_words == []
    assert loaded.codebook.lexicon.model.titles            # what the file sets is kept
    assert not [w for w in loaded.warnings if "lexicon.yaml" in w]
    assert ENGINE_ENTRY not in loaded.file_hashes      # nothing of the engine's was used


def test_a_missing_lexicon_is_the_engine_s_not_an_empty_one(tmp_path: Path) -> None:
    inputs = _project(tmp_path)
    (inputs / "codebook" / "lexicon.yaml").unlink()
    loaded = load_inputs(inputs)
    assert loaded.codebook.lexicon.model.titles          # the engine's titles, not none
    assert loaded.codebook.lexicon.model.framing_label.startswith("The subject")   # the neutral label
    assert any("lexicon.yaml: missing; using the engine's" in w for w in loaded.warnings)


def test_the_engine_s_lists_are_an_input_a_change_to_them_changes_the_hashes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = _project(tmp_path)
    _drop(inputs / "codebook" / "lexicon.yaml", "percent_words")
    before = load_inputs(inputs).file_hashes[ENGINE_ENTRY]
    engine = tmp_path / "engine" / "lexicon.yaml"
    engine.parent.mkdir()
    engine.write_text(ENGINE_LEXICON.read_text(encoding="utf-8").replace("per cent", "pc"), encoding="utf-8")
    monkeypatch.setattr("pipeline.starter.ENGINE_LEXICON", engine)
    after = load_inputs(inputs)
    assert after.file_hashes[ENGINE_ENTRY] != before
    assert "pc" in after.codebook.lexicon.model.percent_words


def test_an_older_project_gets_a_later_extraction_fix(tmp_path: Path) -> None:
    """A figure's comparison base ("from 4.9 per cent in September", the lexicon's
    figure_comparison_words): an older project without the key no longer shows it as the day of
    the news, as the engine's own project does not; a project that turns the key off does."""
    from pipeline.extract import extract
    from pipeline.ingest import ingest

    inputs = _project(tmp_path)
    (inputs / "sources" / "a.txt").write_text(
        "Jobless rate rises\n\nUnemployment rose to 5.2 per cent, from 4.9 per cent in September, "
        "the statistics office said.\n", encoding="utf-8")
    (inputs / "sources" / "a.yaml").write_text("title: Jobless rate rises\npublished: 2026-11-18\nkind: news\n",
                                               encoding="utf-8")
    lexicon = inputs / "codebook" / "lexicon.yaml"

    def september() -> float:
        loaded = load_inputs(inputs)
        _, _, sentences = ingest(loaded.sources, loaded.codebook.lexicon.model)
        events = extract(loaded.codebook, loaded.sources, sentences)["events"]
        return float(events.loc[events["date_text"] == "September", "confidence"].max())

    engine_project = september()
    _drop(lexicon, "figure_comparison_words")
    assert september() == engine_project < 0.85
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "figure_comparison_words: []\n", encoding="utf-8")
    assert september() >= 0.85          # turned off: read as before the key existed


def test_a_list_the_project_sets_that_lacks_the_engine_s_new_words_is_named(tmp_path: Path) -> None:
    """A list a project sets is its own, so words added to the engine's later never reach it: the
    build names them (the words are not used: the project's list stands)."""
    inputs = _project(tmp_path)
    path = inputs / "codebook" / "lexicon.yaml"
    text, n = re.subn(r"(?m)^deadline_nouns: \[.*\]$", "deadline_nouns: [deadline, ultimatum]",
                      path.read_text(encoding="utf-8"))
    assert n == 1
    path.write_text(text, encoding="utf-8")
    loaded = load_inputs(inputs)
    note = [w for w in loaded.warnings if "lack words" in w]
    assert len(note) == 1 and "deadline_nouns: target date, cut-off date, cutoff, due date and 1 more" in note[0]
    assert loaded.codebook.lexicon.model.deadline_nouns == ["deadline", "ultimatum"]
    assert ENGINE_ENTRY not in loaded.file_hashes
