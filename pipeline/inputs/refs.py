"""Reference checks across files: every id used anywhere exists, none is defined twice."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import Problem, display_path
from pipeline.inputs.problems import closest_name, source_fix
from pipeline.inputs.schema import AUTO_ACTOR_PREFIX, Annotation, Briefing, Codebook
from pipeline.inputs.yamlmap import Loaded


def unknown_annotation(path: Path, source_ids: set[str]) -> Problem | None:
    """An annotations file must be named after a source (broken sources included: their
    problem is reported once, by the source)."""
    if path.stem in source_ids:
        return None
    return Problem(display_path(path), None, f"annotations for unknown source '{path.stem}'",
                   _suggest(path.stem, source_ids, "rename it to match a source"))


def _suggest(value: str, known: set[str] | list[str], fallback: str) -> str:
    match = closest_name(value, known)
    return f"did you mean '{match}'?" if match else fallback


def check_references(briefing: Loaded[Briefing] | None, codebook: Codebook,
                     annotations: dict[str, Loaded[Annotation]], source_ids: set[str],
                     broken: set[str] = frozenset()) -> list[Problem]:
    """Every id used anywhere must exist; ids defined twice are errors. References into a
    codebook file in `broken` (it failed to load, already reported) are not checked."""
    problems: list[Problem] = []

    def unique(loaded: Loaded, items: list, what: str, base: tuple = ()) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                first = loaded.line_of(*base, [x.id for x in items].index(item.id), "id")
                also = f" (first at line {first})" if first else ""
                problems.append(loaded.problem((*base, i, "id"),
                                               f"duplicate {what} id '{item.id}'{also}",
                                               "give each entry its own id"))
            seen.add(item.id)
        return seen

    actor_ids = unique(codebook.actors, codebook.actors.model, "actor")
    place_ids = unique(codebook.places, codebook.places.model, "place")
    plan_ids = unique(codebook.plans, codebook.plans.model, "plan")
    provision_ids = unique(codebook.provisions, codebook.provisions.model, "provision")
    questions = {q.id: q for q in codebook.questions.model}
    unique(codebook.questions, codebook.questions.model, "question")

    def ref(loaded: Loaded, loc: tuple, value: str | None, known: set[str], what: str) -> None:
        if f"{what}s" in broken:
            return
        if value is not None and value not in known:
            if what == "actor" and value.startswith(AUTO_ACTOR_PREFIX):
                return  # a machine-found actor: only extraction knows them (s3_review checks)
            hint = (source_fix(value, known) if what == "source"
                    else _suggest(value, known, f"add it to inputs/codebook/{what}s.yaml"))
            problems.append(loaded.problem(loc, f"unknown {what} '{value}'", hint))

    if "plans" not in broken:
        for i, plan in enumerate(codebook.plans.model):
            for j, party in enumerate(plan.parties):
                ref(codebook.plans, (i, "parties", j), party, actor_ids, "actor")

    for i, kp in enumerate(briefing.model.key_points if briefing else []):
        for j, q in enumerate(kp.quotes):
            ref(briefing, ("key_points", i, "quotes", j, "source"), q.source, source_ids, "source")

    for ann in annotations.values():
        a = ann.model
        unique(ann, a.events, "event", ("events",))
        local_actors = actor_ids | {x.id for x in a.actors}
        for i, ev in enumerate(a.events):
            for j, actor in enumerate(ev.actors):
                ref(ann, ("events", i, "actors", j), actor, local_actors, "actor")
            for j, place in enumerate(ev.places):
                ref(ann, ("events", i, "place", *((j,) if isinstance(ev.place, list) else ())),
                    place, place_ids, "place")
            ref(ann, ("events", i, "plan"), ev.plan, plan_ids, "plan")
        for i, t in enumerate(a.plan_terms):
            ref(ann, ("plan_terms", i, "plan"), t.plan, plan_ids, "plan")
            ref(ann, ("plan_terms", i, "provision"), t.provision, provision_ids, "provision")
        for i, p in enumerate(a.positions):
            ref(ann, ("positions", i, "question"), p.question, set(questions), "question")
            q = questions.get(p.question)
            if q:
                for stance in p.stances:
                    if stance not in q.stances:
                        problems.append(ann.problem(
                            ("positions", i, "stance"), f"unknown stance '{stance}' for {q.id}",
                            f"use one of: {', '.join(q.stances)}"))
        for i, c in enumerate(a.corrections):
            for j, actor in enumerate(c.actors or []):
                ref(ann, ("corrections", i, "actors", j), actor, local_actors, "actor")
            for j, place in enumerate(c.places):
                ref(ann, ("corrections", i, "place", *((j,) if isinstance(c.place, list) else ())),
                    place, place_ids, "place")
            ref(ann, ("corrections", i, "plan"), c.plan, plan_ids, "plan")
            ref(ann, ("corrections", i, "provision"), c.provision, provision_ids, "provision")
        seen_q: set[str] = set()
        for i, p in enumerate(a.positions):
            if p.question in seen_q:
                problems.append(ann.problem(("positions", i, "question"),
                                            f"second position on '{p.question}' for this source",
                                            "merge them into one position with several quotes"))
            seen_q.add(p.question)
    return problems
