"""Review worksheets: every machine-found item of a source, written in the annotation format,
so that accepting an item is one move (copy it, as written, into
`inputs/annotations/<source_id>.yaml`) and it carries everything the briefing shows of it:
date as precise as the briefing gives it, title, actors, place and plan version.

Machine-made actor ids (`auto-...`) work as they are in an accepted item (s3_review resolves
them against the actors extraction finds); an actor is fixed by copying its entry from the
`actors:` block. Items an analyst corrected are reviewed, so they leave the unreviewed lists
and are named in a comment instead.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pipeline.frames import table_rows
from pipeline.inputs import Inputs
from pipeline.labels import clip, date_label
from pipeline.language import ENGLISH, Language, language_of
from pipeline.tables.schema import Tables

HEADER = """\
# Machine-found items for {sid} (unreviewed). Generated at every build; do not edit here.
# To accept an item: copy it as written into inputs/annotations/{sid}.yaml under the same key
#   (events:, plan_terms:); it is accepted whole, with its date, title, actors, place and plan.
#   Edit any field there if it is wrong; the quote must stay verbatim.
# Actor ids that begin with `auto-` are people the machine found in the text; they work as they
#   are in an accepted item. To fix such an actor's name, type or role, copy its entry from
#   actors: below into actors: in that file (keep the id) and edit it there.
# To drop an item from the briefing: add its id under `reject:` in that file.
# To fix some fields without copying the item: add `corrections: [{{id: <id>, plan: ..., date: ...}}]`
#   in that file (an event takes date, title, actors, place, plan; a plan term takes plan,
#   provision, position, value, unit).
"""
CHECK_DATE = "# after publication ({published}): check the date\n"


def annotation_date(start: str, end: str, precision: str, language: Language = ENGLISH) -> str | None:
    """The date as an annotation writes it, as precise as the table has it: `2025-08-15`,
    `2025-08`, `2025`, words the date reader takes back to the same span ("early Dec 2025",
    "Q4 2025"), else the range `start/end`. Checked by reading each candidate back."""
    from pipeline.review import date_fields

    if not start:
        return None
    candidates = {"day": [start], "month": [start[:7]], "year": [start[:4]]}.get(precision, [])
    if precision not in ("day", "month", "year", "range"):
        candidates.append(date_label(start, end, precision))
    for text in candidates:
        back = date_fields(text, language)
        if back and (back["date_start"], back["date_end"], back["precision"]) == (start, end, precision):
            return text
    return start if start == end else f"{start}/{end}"


# libyaml's emitter when PyYAML has it (200 sources' worksheets: 0.24 s instead of 1.73 s); no anchors,
# so an item shared by two sources is written out in full in each worksheet.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: object) -> bool:
        return True


def _one_or_list(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


def worksheets(inputs: Inputs, tables: Tables, memo: Any = None) -> dict[str, str]:
    """Each source's review worksheet (its YAML text), by source id. One pass over each table,
    filing every machine-found row under each of its sources: filtering the tables once per
    source made this quadratic (3.5 s of a 200-source build). `memo` (a pipeline.cache.Memo)
    remembers each sheet's YAML by its content: adding one source to 2,000 changes a dozen
    sheets, and writing the YAML of every one cost 22 s."""
    return _with_evidence(_sheets({s.id: s.sidecar.published for s in inputs.sources},
                                  inputs.codebook.lexicon.model, tables, memo), tables)


# What a sheet's items are made from: build_tables' tables, which contrast leaves as they are
# (it adds notes for its evidence, read by _with_evidence, and pack numbers the notes).
READS = {"notes": ["note_id", "quote", "source_id"], "events": None, "plan_terms": None, "actors": None,
         "plan_candidates": None, "provision_candidates": None,
         "plan_candidate_hits": None, "provision_candidate_hits": None}


# Sources from which the worksheets are worth a worker of their own, started for them if need be
# (~1.5 CPU-s): 2,000 sources' sheets are ~4 s of work; a few hundred's, less than starting one.
ON_A_WORKER_FROM = 500


def start_worksheets(inputs: Inputs, tables: Tables, store: Any, submit: Callable[..., Callable[[], list]],
                     scratch: Path) -> Callable[[Tables], Iterator[tuple[str, str]]]:
    """worksheets() as a job for one of the build's workers, started as soon as build_tables has
    made `tables`, with the memo kept in `store` (a pipeline.cache.Store): the function returned
    waits for the sheets and gives them, (source id, text), one at a time, each with its
    evidence from the final tables (after contrast), which it is given.

    Why: making them is ~4 s of a 2,000-source build, most of it PyYAML's representer, and the
    build process had it to do while the PDF's parts were laid out, with every core busy; a
    worker does it on the core the build leaves idle while it contrasts, compares and packs.
    `submit` is per_source.Runner.submit. Only the tables a sheet reads go to the worker, not
    the sources' texts, and they go through a file in `scratch` (a folder the build removes),
    written as it is pickled: a job's message is pickled whole in the build process's memory
    (~200 MB of tables at 10,000 sources). Fewer sources than ON_A_WORKER_FROM: made in this
    process when waited for, unless the workers are already running (many sources to do)."""
    from pipeline.cache import function_key

    read = {name: (frame[columns] if columns else frame)
            for name, columns in READS.items() if (frame := tables.get(name)) is not None}
    published = {s.id: s.sidecar.published for s in inputs.sources}
    data = Path(scratch) / "worksheets.pickle"
    with open(data, "wb") as fh:
        pickle.dump((published, read), fh, protocol=pickle.HIGHEST_PROTOCOL)
    del read
    out = Path(scratch) / "sheets"
    job = (data, out, store.folder.resolve() if store.folder is not None else None, function_key(worksheets))
    wait = submit(worksheets_job, [job], alone=len(published) >= ON_A_WORKER_FROM)

    def finish(final: Tables) -> Iterator[tuple[str, str]]:
        sids = wait()[0]
        evidence = _evidence(final, set(sids))
        for i, sid in enumerate(sids):
            yield sid, (out / str(i)).read_text(encoding="utf-8") + evidence.get(sid, "")
    return finish


def worksheets_job(job: tuple, codebook: Any) -> list[str]:
    """The worksheets on a worker (start_worksheets), with the memo the build keeps, without
    their evidence: each written to a file of `out` named by its place in the list of source ids
    returned. Files, not the result's message: 10,000 sources' sheets are ~240 MB, which the
    build process would hold twice (the message, and the text it unpickles) beside its tables."""
    from pipeline.cache import Memo, Store

    data, out, folder, code = job
    with open(data, "rb") as fh:
        published, tables = pickle.load(fh)
    memo = Memo(Store(folder), "worksheets", code) if folder is not None else None
    sheets = _sheets(published, codebook.lexicon.model, tables, memo)
    if memo is not None:
        memo.save()
    out.mkdir(exist_ok=True)
    for i, text in enumerate(sheets.values()):
        (out / str(i)).write_text(text, encoding="utf-8")
    return list(sheets)


def _sheets(published: dict[str, Any], lexicon: Any, tables: Any, memo: Any) -> dict[str, str]:
    notes = dict(zip(tables["notes"]["note_id"], tables["notes"]["quote"], strict=True))
    note_source = dict(zip(tables["notes"]["note_id"], tables["notes"]["source_id"], strict=True))
    language = language_of(lexicon)
    docs: dict[str, dict[str, list]] = {sid: {"events": [], "plan_terms": [], "actors": []} for sid in published}
    corrected: dict[str, list[str]] = {sid: [] for sid in docs}
    late: dict[str, list[str]] = {sid: [] for sid in docs}
    dates: dict[tuple[str, str, str], str | None] = {}

    def own_quote(note_ids: list[str], sid: str) -> list[str]:
        """This source's sentence within a row that several sources report."""
        return next(([notes[n]] for n in note_ids if note_source.get(n) == sid and n in notes), [])

    def first_quotes(note_ids: list[str]) -> dict[str, list[str]]:
        """own_quote for every source of a row at once (a row many sources report, read once
        per source, was rows x sources x notes)."""
        out: dict[str, list[str]] = {}
        for n in note_ids:
            sid = note_source.get(n)
            if sid is not None and sid not in out and n in notes:
                out[sid] = [notes[n]]
        return out

    def own_id(machine_rows: list[str], sid: str) -> str | None:
        """This source's machine row id within a row several sources report (`source:id`)."""
        return next((r.split(":", 1)[1] for r in machine_rows if r.startswith(f"{sid}:")), None)

    def own_ids(machine_rows: list[str]) -> dict[str, str]:
        """Each source's machine row id within a row several sources report (`source:id`; the
        first for each source), read once per row, not once per source of the row."""
        out: dict[str, str] = {}
        for r in machine_rows:
            sid, sep, rid = r.partition(":")
            if sep and sid not in out:
                out[sid] = rid
        return out

    def file_under(source_ids: list[str], key: str, item: dict) -> None:
        for sid in dict.fromkeys(source_ids):
            if sid in docs:
                docs[sid][key].append(item)

    for r in table_rows(tables["events"]):
        if r["origin"] != "auto":
            continue
        if r["status"] != "unreviewed":
            for sid in dict.fromkeys(r["source_ids"]):
                if sid in corrected:
                    corrected[sid].append(f"#   {r['event_id']} (event): {clip(r['title'], 90)}\n")
            continue
        quotes, ids = first_quotes(r["note_ids"]), own_ids(r["machine_rows"])
        span = (r["date_start"], r["date_end"], r["precision"])
        if span not in dates:     # a few hundred spans among 9,000 events, each read back to check it
            dates[span] = annotation_date(*span, language)
        when = dates[span]
        for sid in dict.fromkeys(r["source_ids"]):
            if sid not in docs:
                continue
            item = {"id": ids.get(sid) or own_id(r["machine_rows"], sid) or r["event_id"]}
            if when is not None:
                item["date"] = when
            item["title"] = r["title"]
            item["actors"] = list(r["actors"])
            if r["places"]:
                item["place"] = _one_or_list(r["places"])
            if r["plan_id"]:
                item["plan"] = r["plan_id"]
            item["quotes"] = list(quotes.get(sid, []))
            docs[sid]["events"].append(item)
            if r.get("check"):
                late[sid].append(item["id"])
    for r in table_rows(tables["plan_terms"]):
        if r["origin"] != "auto":
            continue
        if r["status"] != "unreviewed":
            if r["source_id"] in corrected:
                corrected[r["source_id"]].append(
                    f"#   {r['term_id']} (plan term): {r['plan_id']} / {r['provision_id']}: "
                    f"{clip(r['position'], 70)}\n")
            continue
        item = {"id": r["term_id"], "plan": r["plan_id"], "provision": r["provision_id"], "position": r["position"]}
        if not pd.isna(r["value"]):
            item["value"] = float(r["value"])
            item["unit"] = r["unit"]
        item["quotes"] = own_quote(r["note_ids"], r["source_id"])
        file_under([r["source_id"]], "plan_terms", item)
    for r in table_rows(tables["actors"]):
        if r["origin"] != "auto":
            continue
        item = {"id": r["actor_id"], "name": r["name"], "type": r["type"], "role": r["role"],
                "aliases": list(r["aliases"])}
        file_under(r["source_ids"], "actors", item)
    candidates = candidate_sections(tables, set(docs), set(lexicon.unit_words.values()))
    out = {}
    for sid, doc in docs.items():
        body = _dump(doc, memo)
        for rid in late[sid]:       # ids are unique within a sheet's events; each starts a line
            body = body.replace(f"\n- id: {rid}\n",
                                f"\n{CHECK_DATE.format(published=published.get(sid))}- id: {rid}\n", 1)
        text = HEADER.format(sid=sid) + body + candidates.get(sid, "")
        if corrected[sid]:
            text += (f"\n# Corrected in inputs/annotations/{sid}.yaml (now reviewed, so not listed above):\n"
                     + "".join(corrected[sid]))
        out[sid] = text
    return out


def _with_evidence(sheets: dict[str, str], tables: Any) -> dict[str, str]:
    """The sheets, each with contrast's candidate support for positions at its end."""
    evidence = _evidence(tables, set(sheets))
    return {sid: text + evidence.get(sid, "") for sid, text in sheets.items()}


def _evidence(tables: Any, sids: set[str]) -> dict[str, str]:
    """Each sheet's last section, from the final tables: contrast's candidate support for
    positions (the evidence table, and the notes contrast added for it)."""
    evidence: dict[str, dict[str, list[str]]] = {}
    rows = table_rows(tables["evidence"])
    wanted = {r["note_ids"][0] for r in rows if r["source_id"] in sids}   # one passage, one note
    notes = {n: q for n, q in zip(tables["notes"]["note_id"].tolist(), tables["notes"]["quote"].tolist(), strict=True)
             if n in wanted}
    for r in rows:
        if r["source_id"] in sids:
            quote = clip(notes.get(r["note_ids"][0], ""), 160)
            evidence.setdefault(r["source_id"], {}).setdefault(r["question_id"], []).append(
                f"#     {r['rank']}. {r['passage_id']} (score {r['score']}): {quote}\n")
    out = {}
    for sid, questions in evidence.items():
        text = "\n# Candidate support for positions (BM25 ranking of this source's paragraphs):\n"
        for qid, lines in questions.items():
            text += f"#   {qid}:\n" + "".join(lines)
        out[sid] = text
    return out


def _dump(doc: dict, memo: Any) -> str:
    """A sheet's YAML; with a memo, by the hash of the sheet's repr (repr tells 5 from '5' and
    5.0, which YAML writes differently)."""
    def dump() -> str:
        return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)

    if memo is None:
        return dump()
    return memo.get(hashlib.sha256(repr(doc).encode()).hexdigest()[:32], dump)


PLANS_HEADER = """
# Plan versions this source names that inputs/codebook/plans.yaml does not define (machine-found).
# To accept one: copy its block, as written, into inputs/codebook/plans.yaml (a list), then add
#   its date and originator, which the sentences quoted under it may tell. Two blocks that are
#   one version: keep one and move the other's aliases into it.
"""
PROVISIONS_HEADER = """
# Provisions: figures this source gives beside a plan version (machine-found). To accept one: copy
#   its block into inputs/codebook/provisions.yaml and widen its patterns (regular expressions) to
#   the other words the sources use for it.
"""


def _block(item: dict, comments: list[str]) -> str:
    """One list item in the codebook's format, followed by its evidence as comments."""
    text = yaml.dump([item], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text + "".join(f"  # {c}\n" for c in comments)


def candidate_sections(tables: dict[str, pd.DataFrame], sources: set[str], units: set[str]) -> dict[str, str]:
    """Per source, the `plans:` and `provisions:` blocks for the candidates it names, each with
    this source's sentences (every one, clipped) and how many sources name it. A provision's
    unit is given only when the lexicon's unit_words read it (`units`): a unit they do not know
    would keep every figure out of the matrix, so it is a comment saying how to add it."""
    from pipeline.extract.candidates import PLAN_COLUMNS, PROVISION_COLUMNS

    plans = tables.get("plan_candidates", pd.DataFrame())
    provisions = tables.get("provision_candidates", pd.DataFrame())
    hits = tables.get("plan_candidate_hits", pd.DataFrame(columns=PLAN_COLUMNS))
    figures = tables.get("provision_candidate_hits", pd.DataFrame(columns=PROVISION_COLUMNS))
    sentences: dict[tuple[str, str], list[str]] = {}
    for frame in (hits, figures):
        for r in frame.to_dict("records"):
            said = sentences.setdefault((r["source_id"], r["key"]), [])
            quote = f'"{clip(r["text"], 160)}"'
            if quote not in said:
                said.append(quote)
    parts: dict[str, dict[str, list[str]]] = {sid: {"plans": [], "provisions": []} for sid in sources}
    for r in plans.to_dict("records"):
        item = {"id": r["id"], "name": r["name"]}
        if r["points"] is not None and not pd.isna(r["points"]):
            item["points"] = int(r["points"])
        item["aliases"] = list(r["aliases"])
        for sid in r["source_ids"]:
            if sid in parts:
                others = len(r["source_ids"]) - 1
                lead = f"named by this source{f' and {others} other' + ('s' if others != 1 else '') if others else ''}:"
                parts[sid]["plans"].append(_block(item, [lead, *sentences.get((sid, r["key"]), [])]))
    for r in provisions.to_dict("records"):
        item = {"id": r["id"], "name": r["name"]}
        unit_note = []
        if r["unit"] in units:
            item["unit"] = r["unit"]
        elif r["unit"]:
            word = r["unit"].split()[-1]
            unit_note = [f"figures in {r['unit']}: to compare them by unit, add `{word}: {r['unit']}` under "
                         f"unit_words in inputs/codebook/lexicon.yaml and `unit: {r['unit']}` here"]
        item["patterns"] = [r"\b" + re.escape(r["key"]).replace(r"\ ", r"\s+") + r"\b"]
        for sid in r["source_ids"]:
            if sid in parts:
                mine = [f for f, s in zip(r["figures"], _figure_sources(figures, r["key"]), strict=False) if s == sid]
                parts[sid]["provisions"].append(_block(item, ["figures given: " + "; ".join(mine or r["figures"]),
                                                              *unit_note, *sentences.get((sid, r["key"]), [])]))
    out = {}
    for sid, p in parts.items():
        text = ""
        if p["plans"]:
            text += PLANS_HEADER + "plans:\n" + "".join(p["plans"])
        if p["provisions"]:
            text += PROVISIONS_HEADER + "provisions:\n" + "".join(p["provisions"])
        if text:
            out[sid] = text
    return out


def _figure_sources(figures: pd.DataFrame, key: str) -> list[str]:
    return figures.loc[figures["key"] == key, "source_id"].tolist() if len(figures) else []
