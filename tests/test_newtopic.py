"""A briefing on a new topic, from nothing (issue 21): `briefing init`, sources dropped in, build.

The sources in tests/newtopic/ are news and analysis pieces written for these tests about a
made-up dispute (the Serran dam talks between Estavia and Valdoria), in the styles of wire copy,
a newspaper report, an explainer and a Markdown page; some have sidecars, some a date line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pypdf import PdfReader

from pipeline.__main__ import main
from tests.conftest import ROOT, make_project

NEWS = Path(__file__).parent / "newtopic"
CONTRACT_COLUMNS = {
    "sources": "source_id title author outlet published url kind words format copy_of",
    "passages": "passage_id source_id seq section kind char_start char_end text",
    "notes": "note_id source_id passage_id char_start char_end quote",
    "actors": "actor_id name type affiliation role aliases origin mentions",
    "mentions": "actor_id source_id passage_id char_start char_end surface",
    "events": "event_id date_start date_end date_text precision title actors plan_id source_ids note_ids "
              "origin status",
    "plans": "plan_id name date_start date_end precision points originator note_ids",
    "plan_terms": "term_id plan_id provision_id provision position value unit source_id note_ids origin status",
    "positions": "question_id question source_id position relation note_ids",
}


def _sections(html: str) -> dict[str, str]:
    """Each top-level section of the briefing's HTML by its id, with its markup."""
    return {m.group(1): m.group(2) for m in re.finditer(r'<section id="([\w-]+)"[^>]*>(.*?)</section>', html, re.S)}


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def _assert_no_empty_section(html: str) -> None:
    """Every section says something besides its heading and 'nothing here' lines."""
    for sid, markup in _sections(html).items():
        body = re.sub(r"<h2[^>]*>.*?</h2>", "", markup, flags=re.S)
        body = re.sub(r'<p class="empty">.*?</p>', "", body, flags=re.S)
        assert len(_text(body)) > 40, f"section {sid} is empty: {_text(markup)[:200]}"
        assert "<tbody></tbody>" not in re.sub(r"\s+", "", body), f"section {sid} has an empty table"


def _tables(root: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
            for p in sorted((root / "output" / "tables").glob("*.csv"))}


def _assert_contract_schemas(root: Path) -> None:
    """Every contract table has its columns, and passes its schema read back from the CSV
    (empty tables too: each column takes its schema's type)."""
    from pipeline.tables import validate
    from pipeline.tables.schema import TABLES

    for name, df in _tables(root).items():
        if name not in CONTRACT_COLUMNS:
            continue
        assert set(CONTRACT_COLUMNS[name].split()) <= set(df.columns), name
        for col, declared in TABLES[name].columns().items():
            if declared.contract and declared.kind in (int, float):
                df[col] = pd.to_numeric(df[col].replace("", None), errors="raise").astype(
                    "int64" if declared.kind is int else float)
        validate(name, df)


@pytest.fixture(scope="module")
def new_topic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`briefing init`, the news pieces dropped in, `briefing build`: built once for the module."""
    root = tmp_path_factory.mktemp("newtopic") / "serran-briefing"
    assert main(["init", str(root), "--title", "The Serran dam talks"]) == 0
    for path in NEWS.iterdir():
        shutil.copy(path, root / "inputs" / "sources" / path.name)
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    return root


def test_init_writes_a_starter_project_with_empty_topic_files(tmp_path: Path, capsys) -> None:
    root = tmp_path / "second-topic"
    assert main(["init", str(root), "--title", "Harbour talks: what the sources say"]) == 0
    assert "briefing build --root" in capsys.readouterr().out
    inputs = root / "inputs"
    briefing = yaml.safe_load((inputs / "briefing.yaml").read_text())
    assert briefing["title"] == "Harbour talks: what the sources say"
    assert briefing["author"] and briefing["date"] and briefing["key_points"] == []
    for name in ("actors", "places", "plans", "provisions", "questions"):
        text = (inputs / "codebook" / f"{name}.yaml").read_text()
        assert yaml.safe_load(text) == [], name
        assert "# Example" in text and "#   " in text or "# - id:" in text, name   # a commented example
    lexicon = yaml.safe_load((inputs / "codebook" / "lexicon.yaml").read_text())
    seed = yaml.safe_load((ROOT / "inputs" / "codebook" / "lexicon.yaml").read_text())
    assert lexicon["plan_candidate_patterns"] == seed["plan_candidate_patterns"]
    assert lexicon["title"] if "title" in lexicon else lexicon["titles"] == seed["titles"]
    assert "war" not in lexicon["framing_label"]
    assert (inputs / "sources" / "README.md").is_file()
    assert (inputs / "annotations").is_dir() and not any((inputs / "annotations").iterdir())
    assert not (root / "templates").exists()                 # the engine's templates are used
    # a second init into the same folder refuses to overwrite it
    assert main(["init", str(root)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_init_starts_a_project_around_the_articles_a_desk_already_collected(tmp_path: Path, capsys) -> None:
    root = tmp_path / "desk"
    (root / "inputs" / "sources").mkdir(parents=True)
    shutil.copy(NEWS / "geneva-round.txt", root / "inputs" / "sources" / "geneva-round.txt")
    assert main(["check", "--root", str(root)]) == 2     # no briefing.yaml: the fix names init
    assert f"briefing init {root}" in capsys.readouterr().err
    assert main(["init", str(root)]) == 0
    out = capsys.readouterr().out
    assert "1 source already there, kept" in out and f"next: briefing build --root {root}" in out
    assert (root / "inputs" / "sources" / "geneva-round.txt").read_bytes() \
        == (NEWS / "geneva-round.txt").read_bytes()
    assert (root / "inputs" / "briefing.yaml").is_file() and (root / "inputs" / "codebook" / "lexicon.yaml").is_file()
    assert main(["check", "--root", str(root)]) == 0
    assert main(["init", str(root)]) == 2                # now a project: never overwritten


def test_the_sources_note_is_not_read_as_a_source(tmp_path: Path) -> None:
    from pipeline.inputs import load_inputs

    root = tmp_path / "p"
    assert main(["init", str(root)]) == 0
    shutil.copy(NEWS / "geneva-round.txt", root / "inputs" / "sources" / "geneva-round.txt")
    inputs = load_inputs(root / "inputs")
    assert [s.id for s in inputs.sources] == ["geneva-round"]
    assert "sources/README.md" in inputs.file_hashes      # still an input: editing it rebuilds


def test_new_topic_builds_within_bounds_with_a_chronology_and_no_empty_section(new_topic: Path) -> None:
    manifest = yaml.safe_load((new_topic / "output" / "manifest.json").read_text())
    pages = len(PdfReader(new_topic / "output" / "briefing.pdf").pages)
    assert pages == manifest["pdf_pages"] and pages <= 40
    html = (new_topic / "output" / "briefing.html").read_text()
    sections = _sections(html)
    assert "key-points" not in sections and "#key-points" not in html      # no key points: left out
    assert "changes" not in sections                 # a first build has nothing to compare with
    events = _tables(new_topic)["events"]
    assert len(events) >= 8 and events["date_start"].str.startswith("2026-03").sum() >= 4
    chronology = _text(sections["chronology"])
    assert "Lisbon" in chronology and "Geneva" in chronology
    _assert_no_empty_section(html)
    _assert_contract_schemas(new_topic)


def test_new_topic_matrix_names_the_plan_versions_the_sources_name(new_topic: Path) -> None:
    html = (new_topic / "output" / "briefing.html").read_text()
    matrix = _text(_sections(html)["plans"])
    assert "No plan version is defined for this briefing yet" in matrix
    for name in ("12-point plan", "Lisbon draft", "Geneva draft", "Valdorian counter-proposal",
                 "Nairobi framework"):
        assert name in matrix, name
    assert "<table" not in _sections(html)["plans"]
    assert "named by 4 sources" in matrix          # the 12-point plan: four pieces name it


def test_no_codebook_actors_the_whos_who_shows_the_discovered_ones(new_topic: Path) -> None:
    who = _text(_sections((new_topic / "output" / "briefing.html").read_text())["who"])
    assert "No actors are defined for this briefing yet" in who
    for name in ("Tomas Reiner", "Lena Corvell", "Idris Haldane"):
        assert name in who


def test_no_questions_the_comparison_section_says_so(new_topic: Path) -> None:
    contrast = _text(_sections((new_topic / "output" / "briefing.html").read_text())["contrast"])
    assert "No questions for comparing the analyses are defined" in contrast
    assert "Coverage: what each source mentions" in contrast


def test_worksheet_blocks_are_accepted_by_copying_them_into_the_codebook(new_topic: Path, tmp_path: Path) -> None:
    """The worksheet's `plans:` and `provisions:` blocks, copied as written into the codebook,
    make a plan-version matrix with the figures the sources give."""
    root = tmp_path / "accepted"
    shutil.copytree(new_topic / "inputs", root / "inputs")
    sheet = yaml.safe_load((new_topic / "output" / "review" / "lisbon-talks-end.yaml").read_text())
    lisbon = next(p for p in sheet["plans"] if p["name"] == "Lisbon draft")
    assert lisbon["aliases"] == ["Lisbon draft"] and lisbon["id"] == "lisbon-draft"
    nine = next(p for p in sheet["plans"] if p.get("points") == 9)
    assert nine["aliases"] == ["nine-point text"]
    release = next(p for p in sheet["provisions"] if p["id"] == "annual-release")
    assert release["patterns"] == [r"\bannual\s+release\b"] and "unit" not in release   # not a unit_words unit
    assert release == {"id": "annual-release", "name": "Annual release", "patterns": release["patterns"]}
    period = next(p for p in sheet["provisions"] if p["id"] == "filling-period")
    assert period.get("unit") in (None, "years")
    text = (new_topic / "output" / "review" / "lisbon-talks-end.yaml").read_text()
    # copy the blocks as a person would: the text under `plans:` / `provisions:`, comments and all
    plans_text = text.split("\nplans:\n", 1)[1].split("\n# Provisions", 1)[0]
    provisions_text = text.split("\nprovisions:\n", 1)[1]
    (root / "inputs" / "codebook" / "plans.yaml").write_text(plans_text)
    (root / "inputs" / "codebook" / "provisions.yaml").write_text(provisions_text)
    # Show every machine-found term: what is tested is that the copied blocks make a matrix, not
    # which terms pass show_machine_from (tested in test_anchoring/test_pack).
    briefing = root / "inputs" / "briefing.yaml"
    briefing.write_text(briefing.read_text() + "\nshow_machine_from: 0\n")
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    tables = _tables(root)
    assert "lisbon-draft" in set(tables["plans"]["plan_id"])
    terms = tables["plan_terms"]
    lisbon_release = terms[(terms["plan_id"] == "lisbon-draft") & (terms["provision_id"] == "annual-release")]
    assert "38000000000" in set(lisbon_release["value"])
    html = (root / "output" / "briefing.html").read_text()
    assert '<table class="matrix">' in _sections(html)["plans"]


def test_candidates_leave_out_versions_the_codebook_knows(tmp_path: Path) -> None:
    """On the seed, whose codebook defines its plan versions, no candidate plan is offered;
    with plans.yaml emptied, the versions its sources name are, with their counts of points."""
    from pipeline.extract.candidates import find_plan_candidates
    from pipeline.ingest import ingest
    from pipeline.inputs import load_inputs

    inputs = load_inputs(ROOT / "inputs")
    lexicon = inputs.codebook.lexicon.model
    _, _, sentences = ingest(inputs.sources, lexicon)
    assert find_plan_candidates(sentences, inputs.codebook.plans.model, lexicon).empty
    found = find_plan_candidates(sentences, [], lexicon)
    names = dict(zip(found["key"], found["points"], strict=True))
    assert {k: names[k] for k in ("28-point", "20-point", "27-point")} == {"28-point": 28, "20-point": 20,
                                                                          "27-point": 27}
    assert "geneva version" in names and "anchorage framework" in names


def _seed_without_reviews(root: Path, *, empty_codebook: bool) -> Path:
    make_project(root)
    shutil.rmtree(root / "templates")            # the engine's templates: as a new project has
    for path in (root / "inputs" / "annotations").iterdir():
        path.unlink()
    briefing = root / "inputs" / "briefing.yaml"
    doc = yaml.safe_load(briefing.read_text())
    doc.pop("key_points")
    briefing.write_text(yaml.safe_dump(doc, allow_unicode=True))
    if empty_codebook:
        for name in ("actors", "plans", "questions"):
            (root / "inputs" / "codebook" / f"{name}.yaml").write_text("[]\n")
    return root


def test_seed_without_annotations_and_key_points_builds(tmp_path: Path) -> None:
    """The first day of any briefing: sources, no reviews. Exit 0, positions.csv empty but with
    its columns, the comparison section says that nothing is annotated."""
    root = _seed_without_reviews(tmp_path / "seed", empty_codebook=False)
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    tables = _tables(root)
    assert tables["positions"].empty
    assert set(CONTRACT_COLUMNS["positions"].split()) <= set(tables["positions"].columns)
    _assert_contract_schemas(root)
    html = (root / "output" / "briefing.html").read_text()
    sections = _sections(html)
    assert "key-points" not in sections
    assert "No analysis has been annotated yet" in _text(sections["contrast"])
    assert '<table class="summary">' not in sections["contrast"]
    assert '<table class="matrix">' in sections["plans"]
    _assert_no_empty_section(html)


def test_seed_with_an_empty_codebook_builds_every_section(tmp_path: Path) -> None:
    root = _seed_without_reviews(tmp_path / "seed", empty_codebook=True)
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    _assert_contract_schemas(root)
    tables = _tables(root)
    assert tables["plans"].empty and tables["plan_terms"].empty and tables["positions"].empty
    assert set(tables["actors"]["origin"]) == {"auto"}
    html = (root / "output" / "briefing.html").read_text()
    sections = _sections(html)
    assert "28-point plan" in _text(sections["plans"]) and "<table" not in sections["plans"]
    assert "No questions for comparing" in _text(sections["contrast"])
    assert "No actors are defined" in _text(sections["who"])
    _assert_no_empty_section(html)
    assert len(PdfReader(root / "output" / "briefing.pdf").pages) <= 40


def test_a_mistyped_reject_id_exits_2_naming_the_closest_id(new_topic: Path, tmp_path: Path, capsys) -> None:
    root = tmp_path / "typo"
    shutil.copytree(new_topic / "inputs", root / "inputs")
    shutil.copytree(new_topic / "output", root / "output")
    sheet = yaml.safe_load((root / "output" / "review" / "geneva-round.yaml").read_text())
    real = sheet["events"][0]["id"]
    typo = real[:-1] + ("0" if real[-1] != "0" else "1")
    (root / "inputs" / "annotations" / "geneva-round.yaml").write_text(f"# reviewed\nreject:\n  - {typo}\n")
    capsys.readouterr()
    assert main(["build", "--root", str(root), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"inputs/annotations/geneva-round.yaml:3: no machine-found item '{typo}'" in err
    assert f"did you mean '{real}'?" in err
    # corrections: the same
    (root / "inputs" / "annotations" / "geneva-round.yaml").write_text(
        f"corrections:\n  - id: {typo}\n    title: Geneva round ends\n")
    assert main(["check", "--root", str(root)]) == 2
    assert f"did you mean '{real}'?" in capsys.readouterr().err
    # the real id takes effect
    (root / "inputs" / "annotations" / "geneva-round.yaml").write_text(f"reject:\n  - {real}\n")
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    assert real not in (root / "output" / "tables" / "events.csv").read_text()


def test_repeated_per_source_warnings_are_one_line_with_a_count() -> None:
    from pipeline.readers.discover import summarise_warnings

    many = [f"inputs/sources/s{i}.txt: no sidecar s{i}.yaml: title from first line, publication date "
            "unknown, kind 'other'" for i in range(7)]
    derived = [f"inputs/sources/S {i}.txt: builds as source 's-{i}' (annotations go in "
               f"inputs/annotations/s-{i}.yaml)" for i in range(2)]
    out = summarise_warnings(["inputs/codebook/places.yaml: missing; using an empty places list",
                              *many, *derived])
    assert out[0].startswith("inputs/codebook/places.yaml")
    assert derived[0] in out and derived[1] in out            # two are shown as they are
    (line,) = [w for w in out if "no sidecar" in w]
    assert line.startswith("7 sources have no sidecar (s0.txt, s1.txt, s2.txt and 4 more)")
    assert len(out) == 4


def test_a_key_point_citing_a_removed_source_names_the_source_files(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path / "p")
    for path in (root / "inputs" / "sources").glob("weekend-update-165.*"):
        path.unlink()
    (root / "inputs" / "annotations" / "weekend-update-165.yaml").unlink()
    assert main(["check", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "unknown source 'weekend-update-165'" in err
    assert "the sources are the files in inputs/sources/ (anchorage-framework-telegraph)" in err
    assert "put the file 'weekend-update-165.txt'" in err
    assert "codebook" not in err


def test_the_template_s_own_words_do_not_name_another_topic(new_topic: Path) -> None:
    """The seed's topic was a war: the words the template itself writes (headings, the notes
    under a table) must fit any briefing, a dam's talks too."""
    html = (new_topic / "output" / "briefing.html").read_text()
    own = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html) + re.findall(r'<p class="muted small">(.*?)</p>', html)
    assert any(h.startswith("Framing") for h in own)           # the framing table is there
    assert not [t for t in own if re.search(r"\bwar\b", t)]
    # the cover's note on the sources fits wire copy as well as analyses ("The sources are
    # partisan analyses" was printed over a briefing of news reports)
    note = re.search(r'<p class="cover-note">(.*?)</p>', html).group(1)
    assert "analyses" not in note and "who claims what" in note


def test_the_cover_names_a_source_without_an_outlet_once(new_topic: Path) -> None:
    """A source with no outlet is called by its title: the cover printed it twice ("Lisbon talks
    end without...: Lisbon talks end without a deal")."""
    html = (new_topic / "output" / "briefing.html").read_text()
    cover = re.search(r"<dt>Sources</dt><dd>(.*?)</dd>", html, re.S).group(1)
    pairs = re.findall(r"<li><b>(.*?)</b>: (.*?) <span", cover)
    assert re.findall(r"<li><b>", cover)                     # the sources are listed
    assert not [(s, t) for s, t in pairs if t.startswith(s.rstrip(".…").strip())]
