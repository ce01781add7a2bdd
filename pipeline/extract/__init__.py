"""Stage 2, extract: machine-found actors, events and plan terms from the sentences.

Reads the codebook, never the annotations. Comments, references and boilerplate are mentioned
in `mentions` (for completeness) but never feed events or plan terms.
"""

from __future__ import annotations

import pandas as pd

from pipeline.extract.actors import build_matcher, find_mentions
from pipeline.extract.dates import Anchor, use_tense_words
from pipeline.extract.events import find_events
from pipeline.extract.terms import build_plan_patterns, find_terms, plan_context
from pipeline.inputs import Codebook, Source


def extract(codebook: Codebook, sources: list[Source], sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    lexicon = codebook.lexicon.model
    use_tense_words(lexicon.future_words, lexicon.past_words, lexicon.past_suffixes, lexicon.determiners)
    matcher = build_matcher(codebook.actors.model, lexicon)
    texts = {s.id: s.text for s in sources}
    mentions, auto_actors = find_mentions(matcher, sentences, texts, lexicon, codebook.places.model)
    patterns = build_plan_patterns(codebook.plans.model, lexicon)
    headlines = {s.id: s.sidecar.title or s.text.lstrip().split("\n", 1)[0] for s in sources}
    context = plan_context(sentences, patterns, headlines, lexicon)
    plan_of = {sid: pid for sid, pid in zip(context["sentence_id"], context["linked"], strict=True)
               if pid}
    anchors = {s.id: Anchor.parse(s.sidecar.published) for s in sources}
    kinds = {s.id: s.sidecar.kind or "" for s in sources}
    events = find_events(sentences, mentions, codebook.places.model, anchors, lexicon, plan_of, kinds)
    terms = find_terms(sentences, context, codebook.provisions.model, lexicon)
    return {"mentions": mentions, "auto_actors": auto_actors, "events": events, "terms": terms}
