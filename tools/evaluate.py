"""`make eval`: precision and recall of the machine extraction against the hand-built gold set.

Runs ingest and extract only (no annotations). Two sets: the regression set (the seed sources,
tests/gold/, and the wire fixtures, tests/fixtures/) and the development set (tests/devset/:
texts in six styles, several on other topics, with people the codebook lacks), scored per
style because a rule that works on wire copy can fail on a transcript. The seeds were written
here and the engine was tuned on them; the development set is the closer stand-in for the
articles users bring. Matching rules are in tests/gold/README.md.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from pipeline.inputs import Briefing, Sidecar, Source, load_inputs, load_yaml_model


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


def devset_cases(root: Path) -> list[tuple[Source, dict]]:
    cases = []
    for gold_path in sorted((root / "tests" / "devset").glob("*.gold.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        stem = gold_path.name.removesuffix(".gold.yaml")
        side = gold_path.parent / f"{stem}.yaml"
        cases.append((_source(gold_path.parent / f"{stem}.txt", side if side.exists() else None), gold))
    return cases


def _matches_person(pred: str, gold_id: str) -> bool:
    return pred == gold_id or (pred.startswith("auto-") and pred.endswith("-" + gold_id))


def _machine(root: Path, cases: list[tuple[Source, dict]]) -> tuple[dict, pd.DataFrame, dict]:
    from pipeline.extract import extract
    from pipeline.ingest import ingest

    codebook = load_inputs(root / "inputs").codebook
    sources = [s for s, _ in cases]
    _, passages, sentences = ingest(sources, codebook.lexicon.model)
    machine = extract(codebook, sources, sentences)
    kinds = dict(zip(passages["passage_id"], passages["kind"], strict=True))
    mentions = machine["mentions"]
    machine["body_mentions"] = mentions[mentions["passage_id"].map(kinds).isin(["body", "sidebar"])]
    return machine, passages, {a.id: a.type for a in codebook.actors.model}


def _event_score(source: Source, gold: dict, ev: pd.DataFrame) -> Score:
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
    return e


def _all_happenings(source: Source, gold: dict, ev: pd.DataFrame) -> dict | None:
    """For golds that list every past dated happening (key ones marked `key: true`, the others
    optional): how many of all, and of the key ones, a machine event finds with the right date
    (keyword in its sentence, date_start in the window), at any confidence."""
    events = gold.get("events", [])
    if not any("key" in g for g in events):
        return None
    found = {"all": [0, 0], "key": [0, 0]}
    for g in events:
        hit = _event_score(source, {"events": [{**g, "optional": False}]}, ev).tp > 0
        for k in ("all", "key") if g.get("key") else ("all",):
            found[k][0] += hit
            found[k][1] += 1
    return found


def _number_score(gold: dict, terms: pd.DataFrame) -> Score:
    """Recall of the gold figures; where the gold lists every figure a reader could file under a
    codebook version (`plan_numbers_complete`), also the machine figures that are none of them
    (false positives: a figure under the wrong version, or a plan the codebook lacks)."""
    pairs = {(plan, float(value)) for plan, value in zip(terms["plan_id"], terms["value"], strict=True)
             if value is not None and value == value}
    n = Score()
    wanted = {(g["plan"], float(g["value"])) for g in gold.get("plan_numbers", []) or []}
    for g in gold.get("plan_numbers", []) or []:
        if g.get("optional"):
            continue
        ok = (g["plan"], float(g["value"])) in pairs
        n.tp += ok
        n.fn += not ok
    if gold.get("plan_numbers_complete"):
        n.fp = len(pairs - wanted)
    return n


# What a new project shows (`briefing init`; the seed's briefing.yaml shows everything).
NEW_PROJECT_THRESHOLD = Briefing.model_fields["show_machine_from"].default


def term_rows(gold: dict, terms: pd.DataFrame, threshold: float) -> dict[str, int] | None:
    """Row precision of the plan terms of a text whose gold lists `term_pairs` (every (plan,
    provision) a reader files a row of it under): a machine row is right when its (plan,
    provision) is one of them and its figure, if it has one, is that version's value for that
    provision in `plan_numbers`. Counted over every row and over the rows the briefing shows
    (confidence >= threshold); also the strict recall of the gold figures (plan, provision and
    value all right)."""
    if "term_pairs" not in gold:
        return None
    pairs = {tuple(p) for p in gold.get("term_pairs") or []}
    def provision(g: dict) -> str:      # older gold leaves a count of points without a provision
        return g.get("provision") or ("plan-structure" if g.get("unit") == "points" else "")

    numbers = {(g["plan"], provision(g), float(g["value"])) for g in gold.get("plan_numbers") or []}
    out = {"rows": 0, "right": 0, "shown": 0, "shown_right": 0, "gold": 0, "found": 0,
           "gold_shown_found": 0, "wrong": []}
    found: set[tuple] = set()
    shown_found: set[tuple] = set()
    # sentences no row may come from, whatever it files ("the Gaza deal came as a 20-point plan")
    never = [x.lower() for x in gold.get("not_term_sentences") or []]
    for plan, prov, value, conf, position in zip(terms["plan_id"], terms["provision_id"], terms["value"],
                                                 terms["confidence"], terms["position"], strict=True):
        has = value is not None and value == value
        ok = (plan, prov) in pairs and (not has or (plan, prov, float(value)) in numbers) \
            and not any(x in position.lower() for x in never)
        shown = float(conf) >= threshold
        out["rows"] += 1
        out["right"] += ok
        out["shown"] += shown
        out["shown_right"] += ok and shown
        if has:
            found.add((plan, prov, float(value)))
            if shown:
                shown_found.add((plan, prov, float(value)))
        if not ok:
            out["wrong"].append(f"{plan}/{prov}/{value if has else '-'}@{conf}")
    for g in gold.get("plan_numbers") or []:
        if g.get("optional"):
            continue
        key = (g["plan"], provision(g), float(g["value"]))
        out["gold"] += 1
        out["found"] += key in found
        out["gold_shown_found"] += key in shown_found
    return out


def _variants(source: Source, gold: dict, mentions: pd.DataFrame,
              body: list[tuple[int, int]]) -> tuple[int, int, list[str]]:
    """A spelling variant is resolved when every body occurrence of it is covered by a mention
    of the right actor and by no mention of another one."""
    spans = list(zip(mentions["char_start"], mentions["char_end"], mentions["actor_id"], strict=True))
    ok, wrong = 0, []
    for surface, actor in (gold.get("variants") or {}).items():
        hits = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", source.text)
                if any(p0 <= m.start() < p1 for p0, p1 in body)]
        good = bool(hits)
        for at in hits:
            over = {a for s0, s1, a in spans if s0 < at + len(surface) and at < s1}
            good &= bool(over) and all(_matches_person(a, actor) for a in over)
        ok += good
        if not good:
            wrong.append(surface)
    return ok, len(gold.get("variants") or {}), wrong


def _words_within(credit: str, name: str) -> bool:
    """A credit-line name leaked into a discovered actor's name: one holds the other's words in
    a row ("Tomas Brevik" in "Tomas Brevik", "Brevik" in "Tomas Brevik"), not just a shared word
    ("UkrNews Service" and "State Emergency Service of Ukraine")."""
    a, b = credit.lower().split(), name.lower().split()
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _candidate_plans(source: Source, gold: dict, machine: dict) -> tuple[int, int, list[str]] | None:
    """Plans the codebook lacks that the gold says the review worksheet should offer
    (`candidate_plans`, phrases in lower case): found when a plan candidate of the source (what
    its worksheet offers) contains the phrase."""
    if "candidate_plans" not in gold:
        return None
    wanted = [str(x).lower() for x in gold.get("candidate_plans") or []]
    pc = machine["plan_candidates"]
    names = [str(x).lower() for x in pc[pc["source_id"] == source.id]["surface"]]
    names += [str(x).lower() for x in pc[pc["source_id"] == source.id]["name"]]
    missed = [w for w in wanted if not any(w in n for n in names)]
    return len(wanted) - len(missed), len(wanted), missed


def evaluate_devset(root: Path) -> dict:
    """Per-style scores on tests/devset/: every named actor (codebook or discovered), dated
    events, plan figures, spelling variants, and credit-line names that leaked into actors."""
    cases = devset_cases(root)
    if not cases:
        return {"sources": 0, "styles": {}, "per_source": {}}
    threshold = load_inputs(root / "inputs").briefing.model.show_machine_from
    machine, passages, types = _machine(root, cases)
    body = passages[passages["kind"].isin(["body", "sidebar"])]
    mentions = machine["body_mentions"]
    autos = dict(zip(machine["auto_actors"]["actor_id"], machine["auto_actors"]["name"], strict=True))
    auto_types = dict(zip(machine["auto_actors"]["actor_id"], machine["auto_actors"]["type"], strict=True))
    styles: dict[str, dict] = {}
    per_source = {}
    for source, gold in cases:
        sid = source.id
        mine = mentions[mentions["source_id"] == sid]
        found = set(mine["actor_id"])
        wanted = list(gold["actors"].get("people", [])) + list(gold["actors"].get("others", []))
        a = Score()
        missed = [g for g in wanted if not any(_matches_person(p, g) for p in found)]
        a.tp, a.fn = len(wanted) - len(missed), len(missed)
        people = {p for p in found if types.get(p) == "person" or auto_types.get(p) == "person"}
        gold_people = gold["actors"].get("people", [])
        extra = sorted(p for p in people if not any(_matches_person(p, g) for g in gold_people))
        a.fp = len(extra)
        leaks = sorted({n for n in gold.get("not_actors", []) or []
                        if any(_words_within(n, autos.get(p, "")) for p in found)})
        e = _event_score(source, gold, machine["events"][machine["events"]["source_id"] == sid])
        mine_ev = machine["events"][machine["events"]["source_id"] == sid]
        shown_rows = mine_ev[mine_ev["confidence"] >= threshold]
        shown_ev = _event_score(source, gold, shown_rows)
        matched = len(shown_rows) - shown_ev.fp
        n = _number_score(gold, machine["terms"][machine["terms"]["source_id"] == sid])
        tr = term_rows(gold, machine["terms"][machine["terms"]["source_id"] == sid], NEW_PROJECT_THRESHOLD)
        # discovered actors named in the body: real and correctly named when one is a gold actor
        gold_all = wanted
        # the source's own outlet, found only as its reporter (participant False), is a real
        # medium but no participant: counted apart
        own_outlet = set(mine[~mine["participant"].astype(bool)]["actor_id"]) - set(
            mine[mine["participant"].astype(bool)]["actor_id"])
        auto_here = sorted(p for p in found if p in autos and p not in own_outlet)
        auto_wrong = [p for p in auto_here if not any(_matches_person(p, g) for g in gold_all)]
        spans = body[body["source_id"] == sid]
        v_ok, v_all, v_wrong = _variants(source, gold, mine,
                                         list(zip(spans["char_start"], spans["char_end"], strict=True)))
        # codebook actors the text does not name: an alias matched in another body's name
        # ("the UN Security Council" is not Russia's Security Council)
        cb_wrong = sorted(p for p in found if p not in autos and p not in wanted)
        cands = _candidate_plans(source, gold, machine)
        per_source[sid] = {"style": gold["style"], "actors": f"{a.tp}/{a.tp + a.fn}", "missed": missed,
                           "extra_people": extra, "events": f"{e.tp}/{e.tp + e.fn}",
                           "figures": f"{n.tp}/{n.tp + n.fn}", "wrong_figures": n.fp,
                           "variants_wrong": v_wrong, "leaks": leaks,
                           "autos": f"{len(auto_here) - len(auto_wrong)}/{len(auto_here)}",
                           "wrong_autos": auto_wrong, "wrong_codebook": cb_wrong}
        if (every := _all_happenings(source, gold, mine_ev)) is not None:
            per_source[sid]["happenings_all"] = every
        if cands is not None:
            per_source[sid]["candidates"] = f"{cands[0]}/{cands[1]}"
            per_source[sid]["candidates_missed"] = cands[2]
        if tr is not None:
            per_source[sid]["term_rows"] = (f"{tr['right']}/{tr['rows']} shown {tr['shown_right']}/"
                                            f"{tr['shown']} strict figures {tr['found']}/{tr['gold']}")
            per_source[sid]["wrong_terms"] = tr["wrong"]
        st = styles.setdefault(gold["style"], {"texts": 0, "actors": Score(), "events": Score(),
                                               "figures": Score(), "variants": [0, 0], "leaks": 0,
                                               "shown": Score(), "rows": [0, 0], "autos": [0, 0],
                                               "terms": None, "codebook": [0, 0], "cands": [0, 0]})
        st["codebook"][0] += len(cb_wrong)
        st["codebook"][1] += len([p for p in found if p not in autos])
        if cands is not None:
            st["cands"][0] += cands[0]
            st["cands"][1] += cands[1]
        st["autos"][0] += len(auto_here) - len(auto_wrong)
        st["autos"][1] += len(auto_here)
        if tr is not None:
            st["terms"] = st["terms"] or {k: 0 for k in tr if k != "wrong"}
            for k in st["terms"]:
                st["terms"][k] += tr[k]
        st["texts"] += 1
        for key, part in (("actors", a), ("events", e), ("figures", n), ("shown", shown_ev)):
            st[key].tp += part.tp
            st[key].fp += part.fp
            st[key].fn += part.fn
        st["rows"][0] += matched
        st["rows"][1] += len(shown_rows)
        st["variants"][0] += v_ok
        st["variants"][1] += v_all
        st["leaks"] += len(leaks)
    out = {}
    for style, st in sorted(styles.items()):
        out[style] = {"texts": st["texts"],
                      "event_recall": round(st["events"].recall, 3),
                      "events": f"{st['events'].tp}/{st['events'].tp + st['events'].fn}",
                      "actor_recall": round(st["actors"].recall, 3),
                      "actors": f"{st['actors'].tp}/{st['actors'].tp + st['actors'].fn}",
                      "people_precision": round(st["actors"].precision, 3),
                      "variants": f"{st['variants'][0]}/{st['variants'][1]}",
                      "variants_resolved": st["variants"][0] == st["variants"][1],
                      "figure_recall": round(st["figures"].recall, 3),
                      "figures": f"{st['figures'].tp}/{st['figures'].tp + st['figures'].fn}",
                      "figure_precision": round(st["figures"].precision, 3),
                      "credit_leaks": st["leaks"],
                      # machine events shown at show_machine_from: gold events found, and the share
                      # of shown rows that are a gold event in its window (a lower bound on
                      # precision: the gold lists key happenings only)
                      "shown_recall": round(st["shown"].recall, 3),
                      "shown_matched": f"{st['shown'].tp}/{st['shown'].tp + st['shown'].fn}",
                      "shown_rows": st["rows"][1], "shown_rows_matched": st["rows"][0],
                      "shown_precision_lb": round(st["rows"][0] / st["rows"][1], 3) if st["rows"][1] else 1.0,
                      "autos": st["autos"], "terms": st["terms"],
                      "codebook_wrong": st["codebook"], "candidates": st["cands"]}
    return {"sources": len(cases), "styles": out, "per_source": per_source, "threshold": threshold}


def evaluate(root: Path) -> dict:
    from pipeline.extract import extract
    from pipeline.ingest import ingest

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
        e = _event_score(source, gold, machine["events"][machine["events"]["source_id"] == sid])
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


DEVSET_TARGETS = {"event_recall": 0.90, "actor_recall": 0.95}


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
    dev = evaluate_devset(Path("."))
    print(f"\ndevelopment set (tests/devset/, {dev['sources']} texts): per style; targets "
          f"event recall >= {DEVSET_TARGETS['event_recall']}, actor recall >= {DEVSET_TARGETS['actor_recall']}")
    print(f"  {'style':<12}{'texts':>6}{'event R':>9}{'':>7}{'actor R':>9}{'':>7}{'people P':>9}"
          f"{'variants':>9}{'figures':>9}{'fig P':>7}{'leaks':>6}")
    for style, row in dev["styles"].items():
        below = [k for k, t in DEVSET_TARGETS.items() if row[k] < t]
        below += [] if row["variants_resolved"] else ["variants"]
        below += ["credit leaks"] if row["credit_leaks"] else []
        ok &= not below
        print(f"  {style:<12}{row['texts']:>6}{row['event_recall']:>9.3f}{row['events']:>7}"
              f"{row['actor_recall']:>9.3f}{row['actors']:>7}{row['people_precision']:>9.3f}"
              f"{row['variants']:>9}{row['figures']:>9}{row['figure_precision']:>7.3f}{row['credit_leaks']:>6}"
              + (f"  BELOW: {', '.join(below)}" if below else ""))
    print(f"\n  machine events the briefing shows (confidence >= show_machine_from = {dev['threshold']}):")
    for style, row in dev["styles"].items():
        print(f"  {style:<12}{row['shown_rows']:>4} shown, {row['shown_rows_matched']:>3} a gold event in its window "
              f"(precision >= {row['shown_precision_lb']:.3f}); gold events shown {row['shown_matched']}")
    every = [r["happenings_all"] for r in dev["per_source"].values() if "happenings_all" in r]
    if every:
        tot_all = [sum(e["all"][i] for e in every) for i in (0, 1)]
        tot_key = [sum(e["key"][i] for e in every) for i in (0, 1)]
        print(f"  texts whose gold lists every past dated happening ({len(every)}): found with the right date"
              f" (any confidence) all {tot_all[0]}/{tot_all[1]}, key {tot_key[0]}/{tot_key[1]}")
    print("\n  discovered actors named in the body that are a gold actor (real, correctly named):")
    tot = [0, 0]
    for style, row in dev["styles"].items():
        tot[0] += row["autos"][0]
        tot[1] += row["autos"][1]
        print(f"  {style:<12}{row['autos'][0]:>4}/{row['autos'][1]:<4}")
    print(f"  {'all':<12}{tot[0]:>4}/{tot[1]:<4} precision {tot[0] / tot[1] if tot[1] else 1.0:.3f}")
    cb = [sum(r["codebook_wrong"][k] for r in dev["styles"].values()) for k in (0, 1)]
    cand = [sum(r["candidates"][k] for r in dev["styles"].values()) for k in (0, 1)]
    print(f"  codebook actors found that the gold does not list (an alias inside another name): "
          f"{cb[0]} of {cb[1]}")
    print(f"  plans the codebook lacks offered as candidates (gold candidate_plans): {cand[0]}/{cand[1]}")
    print("\n  plan-term rows of texts whose gold lists term_pairs (version, provision and figure right;"
          f" shown: confidence >= {NEW_PROJECT_THRESHOLD}, a new project's default):")
    print(f"  {'style':<12}{'rows':>6}{'right':>6}{'P':>7}{'shown':>7}{'right':>6}{'P':>7}{'figs R':>9}{'shown R':>9}")
    tt = dict.fromkeys(("rows", "right", "shown", "shown_right", "gold", "found", "gold_shown_found"), 0)
    for row in dev["styles"].values():
        t = row["terms"]
        if not t:
            continue
        for k in tt:
            tt[k] += t[k]
    for style, t in [*((s, r["terms"]) for s, r in dev["styles"].items() if r["terms"]), ("all", tt)]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 1.0
        print(f"  {style:<12}{t['rows']:>6}{t['right']:>6}{ratio(t['right'], t['rows']):>7.3f}{t['shown']:>7}"
              f"{t['shown_right']:>6}{ratio(t['shown_right'], t['shown']):>7.3f}"
              f"{t['found']:>4}/{t['gold']:<4}{t['gold_shown_found']:>4}/{t['gold']:<4}")
    print("\n  per text:")
    for sid, row in dev["per_source"].items():
        print(f"  {sid:<36} {json.dumps(row, ensure_ascii=False)}")
    from tools.corpora import print_corpora

    print_corpora(Path("."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
