"""Actor discovery rules (pipeline.extract.actors), on sentences written for these tests only.

The development set scores the rules per style; these tests pin each rule with phrasings the
development set does not use, and show that the rules come from the lexicon, not the code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from pipeline.extract.actors import build_matcher, find_mentions, slug
from pipeline.ingest import ingest
from pipeline.inputs import Sidecar, Source, load_inputs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def codebook():
    return load_inputs(ROOT / "inputs").codebook


def _run(codebook, text: str, lexicon=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    lexicon = lexicon or codebook.lexicon.model
    text = "Headline for the test\n\n" + text
    source = Source("t", Path("t.txt"), text, Sidecar(published="2025-11-20"), True,
                    hashlib.sha256(text.encode()).hexdigest())
    _, _, sentences = ingest([source], lexicon)
    matcher = build_matcher(codebook.actors.model, lexicon)
    return find_mentions(matcher, sentences, {"t": text}, lexicon, codebook.places.model)


def _names(autos: pd.DataFrame, kind: str = "person") -> set[str]:
    return set(autos[autos["type"] == kind]["name"])


def test_names_after_titles_and_their_later_surnames(codebook) -> None:
    mentions, autos = _run(codebook, "Interior Minister Astrid Kveldsen opened the session.\n\n"
                                     "Kveldsen later told the chamber that the bill would pass.")
    assert _names(autos) == {"Astrid Kveldsen"}
    assert list(mentions[mentions["actor_id"] == "auto-astrid-kveldsen"]["surface"]) == \
        ["Astrid Kveldsen", "Kveldsen"]


def test_subject_of_a_reporting_verb_and_verb_before_name(codebook) -> None:
    _, autos = _run(codebook, "Rafael Ortega Salinas stated that the border would stay shut.\n\n"
                              "\"We are not leaving,\" said Imani Wekesa, speaking by phone.")
    assert _names(autos) == {"Rafael Ortega Salinas", "Imani Wekesa"}


def test_media_from_codebook_and_discovered_from_reported(codebook) -> None:
    mentions, autos = _run(codebook, "Axios reported the draft first. The newspaper Dagens Ekko "
                                     "reported on Friday that the talks had stalled.")
    assert "axios" in set(mentions["actor_id"])
    assert _names(autos, "media") == {"Dagens Ekko"}
    assert _names(autos) == set()


def test_credit_lines_never_become_actors(codebook) -> None:
    mentions, autos = _run(codebook, "The minister resigned on Tuesday.\n\n"
                                     "(Reporting by Jan Kowalski in Warsaw; Editing by Ruth Abara)\n\n"
                                     "Compiled by Marta Lindgren")
    assert autos.empty and mentions.empty


def test_given_name_is_never_another_persons_surname(codebook) -> None:
    mentions, _ = _run(codebook, "Putin spokesman Dmitri Peskov said there was no new text.")
    people = mentions[mentions["actor_id"].isin(["peskov", "dmitriev"])]
    assert list(zip(people["actor_id"], people["surface"], strict=True)) == [("peskov", "Dmitri Peskov")]


def test_transcript_speaker_labels(codebook) -> None:
    mentions, autos = _run(codebook, "The interviewer is Nadia Okonjo.\n\n"
                                     "MS. OKONJO: Why now?\n\nQ: And the deadline?\n\n"
                                     "MARIA ZAKHAROVA: We have said it many times.")
    assert _names(autos) == {"Nadia Okonjo", "Maria Zakharova"}
    assert set(mentions[mentions["match"] == "speaker"]["surface"]) == {"OKONJO", "MARIA ZAKHAROVA"}


def test_organisations_and_non_names(codebook) -> None:
    _, autos = _run(codebook, "The Nordic Salmon Council said quotas would fall. On Tuesday "
                              "Russian officials said nothing. North Sea trawlers stayed in port.")
    assert _names(autos, "organisation") == {"Nordic Salmon Council"}
    assert _names(autos) == set()


def test_rules_come_from_the_lexicon(codebook) -> None:
    text = "Harbourmaster Ola Nordvik inspected the quay."
    lexicon = codebook.lexicon.model
    assert _names(_run(codebook, text)[1]) == set()
    more = lexicon.model_copy(update={"titles": [*lexicon.titles, "Harbourmaster"]})
    assert _names(_run(codebook, text, more)[1]) == {"Ola Nordvik"}
    fewer = lexicon.model_copy(update={"subject_verbs": []})
    assert _names(_run(codebook, "Rafael Ortega Salinas stated it.", fewer)[1]) == set()


def test_slug_folds_to_ascii() -> None:
    assert slug("Katarzyna Zielińska") == "katarzyna-zielinska"
    assert slug("Ursula von der Leyen") == "ursula-von-der-leyen"


def test_a_bare_by_opens_a_sentence_without_being_a_byline(codebook) -> None:
    _, autos = _run(codebook, "By Friday Fisheries Minister Ingrid Halvorsen had agreed to talks in Bergen.\n\n"
                              "By Tor Eriksen")
    assert _names(autos) == {"Ingrid Halvorsen"}
