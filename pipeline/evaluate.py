"""`make eval`: precision and recall of the machine extraction against the hand-built gold set.

Runs ingest and extract only (no annotations), on the seed sources (tests/gold/) and on the
synthetic wire fixtures (tests/fixtures/), so the scores measure the general engine rather
than the analysts' work. Matching rules are in tests/gold/README.md.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from pipeline.config import Sidecar, Source, load_inputs, load_yaml_model


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _source(path: Path, sidecar_path: Path | None) -> Source:
    import hashlib

    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    side = load_yaml_model(sidecar_path, Sidecar).model if sidecar_path else Sidecar()
    return Source(path.stem, path, text, side, sidecar_path is not None,
                  hashlib.sha256(text.encode()).hexdigest())


def gold_cases(root: Path) -> list[tuple[Source, dict]]:
    cases = []
    for gold_path in sorted((root / "tests" / "gold").glob("*.yaml")):
        gold = yaml.safe_load(gold_path.read_text())
        src = root / "inputs" / "sources" / f"{gold['source']}.txt"
        side = src.with_suffix(".yaml")
        cases.append((_source(src, side if side.exists() else None), gold))
    for gold_path in sorted((root / "tests" / "fixtures").glob("*.gold.yaml")):
        gold = yaml.safe_load(gold_path.read_text())
        stem = gold_path.name.removesuffix(".gold.yaml")
        src = gold_path.parent / f"{stem}.txt"
        side = gold_path.parent / f"{stem}.yaml"
        cases.append((_source(src, side if side.exists() else None), gold))
    return cases


def _matches_person(pred: str, gold_id: str) -> bool:
    return pred == gold_id or (pred.startswith("auto-") and pred.endswith("-" + gold_id))


def evaluate(root: Path) -> dict:
    from pipeline.s1_ingest import ingest
    from pipeline.s2_extract import extract

    inputs = load_inputs(root / "inputs")
    codebook = inputs.codebook
    person_ids = {a.id for a in codebook.actors.model if a.type == "person"}
    cases = gold_cases(root)
    sources = [s for s, _ in cases]
    _, passages, sentences = ingest(sources, codebook.lexicon.model)
    machine = extract(codebook, sources, sentences)
    kinds = dict(zip(passages["passage_id"], passages["kind"], strict=True))
    mentions = machine["mentions"]
    mentions = mentions[mentions["passage_id"].map(kinds).isin(["body", "sidebar"])]
    auto_ids = set(machine["auto_actors"]["actor_id"])

    actors, events, numbers = Score(), Score(), Score()
    per_source = {}
    for source, gold in cases:
        sid = source.id
        found = set(mentions[mentions["source_id"] == sid]["actor_id"])
        predicted = {a for a in found if a in person_ids or a in auto_ids}
        gold_people = set(gold["actors"]["people"])
        a = Score()
        a.tp = sum(1 for g in gold_people if any(_matches_person(p, g) for p in predicted))
        a.fn = len(gold_people) - a.tp
        a.fp = sum(1 for p in predicted if not any(_matches_person(p, g) for g in gold_people))
        ev = machine["events"][machine["events"]["source_id"] == sid]
        e = Score()
        matched_rows: set[int] = set()
        for g in gold.get("events", []):
            lo, hi = (date.fromisoformat(str(x)) for x in g["window"])
            hit = False
            for i, r in ev.iterrows():
                if not r["date_start"]:
                    continue
                text = source.text[int(r["char_start"]):int(r["char_end"])].lower()
                if lo <= date.fromisoformat(r["date_start"]) <= hi and any(k.lower() in text for k in g["keywords"]):
                    matched_rows.add(i)
                    hit = True
            if g.get("optional"):
                continue
            e.tp += hit
            e.fn += not hit
        e.fp = sum(1 for i in ev.index if i not in matched_rows)
        terms = machine["terms"][machine["terms"]["source_id"] == sid]
        pairs = {(plan, float(value)) for plan, value in zip(terms["plan_id"], terms["value"], strict=True)
                 if value is not None and value == value}
        n = Score()
        for g in gold.get("plan_numbers", []):
            ok = (g["plan"], float(g["value"])) in pairs
            n.tp += ok
            n.fn += not ok
        per_source[sid] = {"actors_p": round(a.precision, 3), "actors_r": round(a.recall, 3),
                           "events_found": f"{e.tp}/{e.tp + e.fn}", "numbers_found": f"{n.tp}/{n.tp + n.fn}"}
        for total, part in ((actors, a), (events, e), (numbers, n)):
            total.tp += part.tp
            total.fp += part.fp
            total.fn += part.fn
    words = int(passages[passages["kind"].isin(["body", "sidebar"])]["words"].sum())
    return {
        "actors": {"precision": round(actors.precision, 3), "recall": round(actors.recall, 3)},
        "events": {"recall": round(events.recall, 3), "precision": round(events.precision, 3),
                   "found": events.tp, "gold": events.tp + events.fn},
        "plan_numbers": {"recall": round(numbers.recall, 3), "found": numbers.tp,
                         "gold": numbers.tp + numbers.fn},
        "per_source": per_source, "sources": len(cases), "body_words": words,
    }


TARGETS = {("actors", "precision"): 0.95, ("actors", "recall"): 0.95,
           ("events", "recall"): 0.90, ("plan_numbers", "recall"): 0.90}


def main() -> int:
    result = evaluate(Path("."))
    print(f"{'table':<14}{'metric':<11}{'score':>7}{'target':>8}")
    ok = True
    for (table, metric), target in TARGETS.items():
        value = result[table][metric]
        ok &= value >= target
        print(f"{table:<14}{metric:<11}{value:>7.3f}{target:>8.2f}{'' if value >= target else '  BELOW'}")
    print(f"{'events':<14}{'precision':<11}{result['events']['precision']:>7.3f}{'(info)':>8}")
    print("\nper source:")
    for sid, row in result["per_source"].items():
        print(f"  {sid:<40} {json.dumps(row)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
