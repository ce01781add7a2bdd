"""Stage 2, extract: machine-found actors, events and plan terms from the sentences.

Reads the codebook, never the annotations. Comments, references and boilerplate are mentioned
in `mentions` (for completeness) but never feed events or plan terms.
"""

from __future__ import annotations

import pandas as pd

from pipeline.extract.actors import build_matcher, find_mentions
from pipeline.extract.candidates import find_plan_candidates, find_provision_candidates, with_unlinked
from pipeline.extract.dates import Anchor, remember_dates
from pipeline.extract.events import find_events
from pipeline.extract.terms import (
    build_plan_patterns,
    find_plan_terms,
    known_words,
    plan_context,
    plan_own_words,
    topic_regex,
)
from pipeline.inputs import Codebook, Source
from pipeline.language import language_of
from pipeline.vocab import ActorType


def topic_names(codebook: Codebook) -> list[str]:
    """Names that say a source is on the codebook's subject. Where plans name their `parties`:
    those actors and everyone affiliated to them, as named (a trade deal that names Washington
    and Geneva is not about a Ukraine settlement); else the codebook's actors (media aside: an
    outlet reports any topic) and places."""
    parties = {p for plan in codebook.plans.model for p in plan.parties}
    if parties:
        party_names = {a.name for a in codebook.actors.model if a.id in parties}
        # a body's short form that is only part of its name ("Security Council" of the Russian
        # Federation) may be anyone's: it says nothing of the subject
        return [n for a in codebook.actors.model
                if a.id in parties or (a.affiliation and a.affiliation in party_names)
                for n in (a.name, *a.aliases)
                if a.type == ActorType.PERSON or n == a.name or n not in a.name] + \
            [n for p in codebook.places.model if p.id in parties for n in (p.name, *p.aliases)]
    names = [n for a in codebook.actors.model if a.type != ActorType.MEDIA for n in (a.name, *a.aliases)]
    return names + [n for p in codebook.places.model for n in (p.name, *p.aliases)]


def extract(codebook: Codebook, sources: list[Source], sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    remember_dates(True)
    try:
        return _extract(codebook, sources, sentences)
    finally:
        remember_dates(False)


def _extract(codebook: Codebook, sources: list[Source], sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    lexicon = codebook.lexicon.model
    language = language_of(lexicon)      # handed to each reader of dates and figures: no module state
    matcher = build_matcher(codebook.actors.model, lexicon)
    texts = {s.id: s.text for s in sources}
    outlets = {s.id: s.sidecar.outlet or "" for s in sources}
    mentions, auto_actors = find_mentions(matcher, sentences, texts, lexicon, codebook.places.model, outlets,
                                          {s.id: s.sidecar.author or "" for s in sources})
    patterns = build_plan_patterns(codebook.plans.model, lexicon)
    headlines = {s.id: s.sidecar.title or s.text.lstrip().split("\n", 1)[0] for s in sources}
    cb_names = [n for a in codebook.actors.model for n in (a.name, *a.aliases, a.affiliation)]
    cb_names += [n for p in codebook.places.model for n in (p.name, *p.aliases)]
    cb_names += [n for p in codebook.plans.model for n in (p.name, *p.aliases, p.originator)]
    points = {p.id: p.points for p in codebook.plans.model if p.points}
    context = plan_context(sentences, patterns, headlines, lexicon, known_words(cb_names), points,
                           plan_own_words(codebook.plans.model), topic_regex(topic_names(codebook)))
    plan_of = {sid: pid for sid, pid in zip(context["sentence_id"], context["linked"], strict=True)
               if pid}
    anchors = {s.id: Anchor.parse(s.sidecar.published) for s in sources}
    kinds = {s.id: s.sidecar.kind or "" for s in sources}
    # A source's own outlet reports its events; it does not take part in them.
    participants = mentions[mentions["participant"].astype(bool)]
    persons = {a.id for a in codebook.actors.model if a.type == ActorType.PERSON} \
        | set(auto_actors.loc[auto_actors["type"] == ActorType.PERSON, "actor_id"])
    events = find_events(sentences, participants, codebook.places.model, anchors, lexicon, plan_of, kinds,
                         language, persons)
    # Figures of plans the codebook lacks stay unlinked (`unlinked_terms`, with `candidate_plan`).
    terms, unlinked = find_plan_terms(sentences, context, codebook.provisions.model, lexicon,
                                      codebook.plans.model, language)
    # Plan versions and provisions the codebook does not define yet, for the worksheets
    plan_candidates = with_unlinked(find_plan_candidates(sentences, codebook.plans.model, lexicon),
                                    unlinked, sentences, lexicon)
    plan_name = {p.id: p.name for p in codebook.plans.model}
    known = {sid: plan_name.get(named[0], named[0])
             for sid, named in zip(context["sentence_id"], context["named"], strict=True) if named}
    provision_candidates = find_provision_candidates(sentences, plan_candidates, known, lexicon,
                                                     codebook.provisions.model, language)
    return {"mentions": mentions, "auto_actors": auto_actors, "events": events, "terms": terms,
            "unlinked_terms": unlinked, "plan_candidates": plan_candidates,
            "provision_candidates": provision_candidates}
