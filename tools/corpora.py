"""`make eval`, second half: the engine scored on real, public corpora written by others.

Reads `../shared/corpora/` (or `$BRIEFING_CORPORA`) when it is there and says so and skips when
it is not: the corpora are data for measuring, never copied into the repository, and nothing in
`make test` needs them.

- TimeBank/AQUAINT (TempEval-3 TBAQ): the date tagger (`find_dates`) on each document's text,
  resolved against its DCT. Relaxed recognition (any overlap) against the gold DATE/TIME
  expressions whose value is a calendar interval, and value accuracy: of the recognised ones, the
  share whose resolved interval is exactly the gold value's interval.
- SemEval-2015 Task 4 timelines (corpus_1, trial): each article is turned into plain text
  (headline, blank line, one detokenised sentence per line; published = DCT) and run through
  ingest and extract as the build runs them. A gold-dated sentence is one the gold chronology
  gives a calendar date (not XXXX-XX-XX). Reported: the share of gold-dated sentences with a
  machine event, the share of those whose date lies inside a gold date of the sentence, and
  precision: the share of machine events in gold-dated sentences whose date lies inside a gold
  date, per confidence threshold (what `show_machine_from` would show).
"""

from __future__ import annotations

import calendar
import hashlib
import html
import os
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pipeline.extract.dates import Anchor, DateSpan, find_dates
from pipeline.language import ENGLISH, language_of

THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9)


def corpora_root(root: Path) -> Path | None:
    """Where the shared corpora are, if anywhere."""
    env = os.environ.get("BRIEFING_CORPORA")
    for cand in ([Path(env)] if env else []) + [root.resolve().parent / "shared" / "corpora",
                                                Path("/work/shared/corpora")]:
        if cand.is_dir():
            return cand
    return None


# ------------------------------------------------------------------------------------------
# TimeBank / AQUAINT
# ------------------------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Timex:
    start: int
    end: int
    type: str
    value: str
    mod: str = ""


def strip_timeml(xml: str) -> tuple[str, str, list[Timex]]:
    """(DCT value, text of <TEXT> without tags, TIMEX3 spans in that text)."""
    dct_m = re.search(r"<DCT>.*?value=\"([^\"]+)\"", xml, re.S)
    dct = dct_m.group(1) if dct_m else ""
    body_m = re.search(r"<TEXT>(.*)</TEXT>", xml, re.S)
    body = body_m.group(1) if body_m else ""
    out: list[str] = []
    pos, length = 0, 0
    timexes: list[Timex] = []
    open_timex: list[tuple[int, dict]] = []
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(2) != "TIMEX3":
            continue
        if m.group(1):
            if open_timex:
                s, attrs = open_timex.pop()
                timexes.append(Timex(s, length, attrs.get("type", ""), attrs.get("value", ""),
                                     attrs.get("mod", "")))
        else:
            attrs = dict(_ATTR.findall(m.group(3)))
            if m.group(3).rstrip().endswith("/"):
                continue
            open_timex.append((length, attrs))
    out.append(html.unescape(body[pos:]))
    return dct, "".join(out), timexes


_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def parse_iso_value(value: str) -> tuple[date, date] | None:
    """The interval of a TimeML calendar value: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, YYYY-Qn,
    a season (meteorological: spring March-May) or a decade (199 = the 1990s); else None."""
    try:
        if re.fullmatch(r"\d{3}", value):
            return date(int(value) * 10, 1, 1), date(int(value) * 10 + 9, 12, 31)
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1), date(int(value), 12, 31)
        m = re.fullmatch(r"(\d{4})-(\d\d)", value)
        if m:
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value)
        if m:
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        m = re.fullmatch(r"(\d{4})-W(\d\d)", value)
        if m:
            d = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return d, d + timedelta(days=6)
        m = re.fullmatch(r"(\d{4})-Q([1-4])", value)
        if m:
            y, q = int(m[1]), int(m[2])
            return date(y, 3 * q - 2, 1), date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
        if m:
            y, (a, b) = int(m[1]), _SEASONS[m[2]]
            end_y, end_m = (y + 1, b - 12) if b > 12 else (y, b)
            return date(y, a, 1), date(end_y, end_m, calendar.monthrange(end_y, end_m)[1])
    except ValueError:
        return None
    return None


def calendar_interval(value: str) -> tuple[date, date] | None:
    """The interval a TIMEX3 value names, when it is a calendar one (not PAST_REF, XXXX-…)."""
    return parse_iso_value(value.split("T", 1)[0])


def _part_left_out(sp: DateSpan, t: Timex) -> bool:
    """The gold expression leaves out a part word the machine read ("early" of "early October",
    "late-" of "late-November"): the annotator tagged the month alone."""
    if not sp.char_start < t.start < sp.char_end:
        return False
    lead = " ".join(sp.text[:t.start - sp.char_start].replace("-", " ").lower().split())
    return lead in ENGLISH.period_parts


def value_right(sp: DateSpan, t: Timex, want: tuple[date, date]) -> bool:
    """The machine's interval is the gold value's. Three allowances for how TimeML writes values:
    a modified value ("early December": value 1999-12, mod START) is right when the machine's
    interval lies inside it, and so is one whose part word the annotator left outside the tag
    ("early [October]": value 1998-10, no mod); a machine range ("from 1994 to 1997") that
    TimeML splits into two expressions is right for each part whose end it shares."""
    if (sp.start, sp.end) == want:
        return True
    if sp.start is None or sp.end is None:
        return False
    if (t.mod in ("START", "END", "MID", "EARLY", "LATE") or _part_left_out(sp, t)) \
            and want[0] <= sp.start and sp.end <= want[1]:
        return True
    long = sp.char_end - sp.char_start > t.end - t.start
    return sp.precision == "range" and long and (sp.start == want[0] or sp.end == want[1])


def score_timebank(root: Path, base: Path) -> dict | None:
    from pipeline.inputs import load_inputs

    folder = base / "tempeval3-tbaq"
    lex = load_inputs(root / "inputs").codebook.lexicon.model
    language = language_of(lex)
    files = sorted(folder.glob("*/*.tml"))
    if not files:
        return None
    gold_n = found = correct = machine_n = machine_ok = 0
    wrong: list[str] = []
    # per part (TimeBank, AQUAINT): gold, found, correct, machine, machine overlapping a gold one
    parts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    t0 = time.perf_counter()
    words = 0
    for path in files:
        dct, text, timexes = strip_timeml(path.read_text(encoding="utf-8"))
        anchor = Anchor.parse(dct[:10]) if re.match(r"\d{4}-\d\d-\d\d", dct) else Anchor.parse(None)
        words += len(text.split())
        spans = find_dates(text, anchor, language)
        part = parts[path.parent.name]
        machine_n += len(spans)
        part[3] += len(spans)
        for sp in spans:
            ok = any(t.start < sp.char_end and sp.char_start < t.end for t in timexes)
            machine_ok += ok
            part[4] += ok
        for t in timexes:
            if t.type not in ("DATE", "TIME"):
                continue
            want = calendar_interval(t.value)
            if want is None:
                continue
            gold_n += 1
            part[0] += 1
            hit = [sp for sp in spans if sp.char_start < t.end and t.start < sp.char_end]
            if not hit:
                continue
            found += 1
            part[1] += 1
            sp = hit[0]
            if value_right(sp, t, want):
                correct += 1
                part[2] += 1
            elif len(wrong) < 400:
                wrong.append(f"{path.stem}: {text[t.start:t.end]!r} gold {t.value} got {sp.start}..{sp.end}"
                             f" dct {dct} :: "
                             + " ".join(text[max(0, t.start - 90):t.end + 50].split()))
    seconds = time.perf_counter() - t0
    recall = found / gold_n if gold_n else 0.0
    precision = machine_ok / machine_n if machine_n else 0.0
    return {"documents": len(files), "gold": gold_n, "found": found, "correct": correct,
            "value_accuracy": correct / found if found else 0.0,
            "relaxed_recall": recall, "relaxed_precision": precision,
            "relaxed_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "words_per_s": words / seconds if seconds else 0.0, "wrong": wrong,
            "parts": {name: _part_scores(*counts) for name, counts in sorted(parts.items())}}


def _part_scores(gold: int, found: int, correct: int, machine: int, machine_ok: int) -> dict:
    recall = found / gold if gold else 0.0
    precision = machine_ok / machine if machine else 0.0
    return {"gold": gold, "found": found, "correct": correct,
            "value_accuracy": correct / found if found else 0.0,
            "relaxed_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0}


# ------------------------------------------------------------------------------------------
# SemEval-2015 timelines
# ------------------------------------------------------------------------------------------

_DETOK = [(re.compile(r"``\s*"), '"'), (re.compile(r"\s*''"), '"'),
          (re.compile(r"\s+([,.;:!?%)\]])"), r"\1"), (re.compile(r"([(\[$£€#])\s+"), r"\1"),
          (re.compile(r"\s+('s|n't|'re|'ve|'ll|'d|'m)\b"), r"\1"), (re.compile(r"\s+-\s+"), " - ")]


def detokenise(tokens: str) -> str:
    text = " ".join(tokens.split())
    for pat, rep in _DETOK:
        text = pat.sub(rep, text)
    return text


@dataclass
class Article:
    doc_id: str
    dct: str
    text: str
    sentence_at: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, sentence id)


def semeval_article(path: Path) -> Article:
    xml = path.read_text(encoding="utf-8")
    doc_id = re.search(r"<DOCID>(.*?)</DOCID>", xml, re.S).group(1).strip()  # type: ignore[union-attr]
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", xml, re.S).group(1)  # type: ignore[union-attr]
    head_m = re.search(r"<EXTRAINFO>(.*?)</EXTRAINFO>", xml, re.S)
    headline = detokenise(html.unescape(head_m.group(1))) if head_m else doc_id
    text = headline + "\n\n"
    art = Article(doc_id, dct[:10], "")
    for m in re.finditer(r"<s id=\"(\d+)\">(.*?)</s>", xml, re.S):
        sent = detokenise(html.unescape(re.sub(r"<[^>]+>", "", m.group(2))))
        if not sent:
            continue
        if sent == headline:
            art.sentence_at.append((0, len(headline), int(m.group(1))))
            continue
        art.sentence_at.append((len(text), len(text) + len(sent), int(m.group(1))))
        text += sent + "\n"
    art.text = text
    return art


def _gold_interval(value: str) -> tuple[date, date] | None:
    parts = (value.split("-") + ["XX", "XX"])[:3]
    y, m, d = parts
    if y == "XXXX":
        return None
    return parse_iso_value(y if m == "XX" else (f"{y}-{m}" if d == "XX" else f"{y}-{m}-{d}"))


def semeval_gold(folder: Path) -> dict[tuple[str, int], list[tuple[date, date]]]:
    """(doc id, sentence id) -> the calendar dates the gold chronologies give its events."""
    gold: dict[tuple[str, int], list[tuple[date, date]]] = defaultdict(list)
    for path in sorted((folder / "timelines").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            span = _gold_interval(parts[1])
            if span is None:
                continue
            for ref in parts[2:]:
                doc, sent, *_ = ref.split("-")
                if span not in gold[(doc, int(sent))]:
                    gold[(doc, int(sent))].append(span)
    return gold


def score_semeval(root: Path, base: Path) -> dict | None:
    from pipeline.extract import extract
    from pipeline.ingest import ingest
    from pipeline.inputs import Sidecar, Source, load_inputs

    out: dict = {}
    codebook = load_inputs(root / "inputs").codebook
    for name in ("corpus_1", "trial"):
        folder = base / "semeval2015-timeline" / name
        if not (folder / "timeml").is_dir():
            continue
        gold = semeval_gold(folder)
        articles = [semeval_article(p) for p in sorted((folder / "timeml").glob("*.tml"))]
        sources = [Source(f"d{a.doc_id}", Path(f"{a.doc_id}.txt"), a.text,
                          Sidecar(published=a.dct, kind="news"), True,
                          hashlib.sha256(a.text.encode()).hexdigest()) for a in articles]
        t0 = time.perf_counter()
        _, passages, sentences = ingest(sources, codebook.lexicon.model)
        t1 = time.perf_counter()
        machine = extract(codebook, sources, sentences)
        t2 = time.perf_counter()
        events = machine["events"]
        if "confidence" not in events:   # an engine without the confidence columns
            events = events.assign(confidence=1.0, basis=events.get("date_basis", ""))
        by_doc = {f"d{a.doc_id}": a for a in articles}
        # machine events per gold sentence
        rows: list[tuple[tuple[str, int], date | None, date | None, float, str]] = []
        for sid, c0, ds, de, conf, basis in zip(events["source_id"], events["char_start"], events["date_start"],
                                                events["date_end"], events["confidence"], events["basis"],
                                                strict=True):
            art = by_doc[sid]
            sent = next((s for a0, a1, s in art.sentence_at if a0 <= c0 < a1), -1)
            rows.append(((art.doc_id, sent), date.fromisoformat(ds) if ds else None,
                         date.fromisoformat(de) if de else None, float(conf), basis))
        dated = set(gold)
        result = {"documents": len(articles), "gold_dated_sentences": len(dated),
                  "machine_events": len(rows),
                  "words_per_s": sum(len(a.text.split()) for a in articles) / (t2 - t1) if t2 > t1 else 0.0,
                  "ingest_s": t1 - t0, "extract_s": t2 - t1, "thresholds": {}, "by_basis": {}}
        for thr in THRESHOLDS:
            shown = [r for r in rows if r[3] >= thr]
            judged = [r for r in shown if r[0] in dated and r[1] is not None]
            right = [r for r in judged if any(g0 <= r[1] and r[2] <= g1 for g0, g1 in gold[r[0]])]
            covered = {r[0] for r in judged}
            inside = {r[0] for r in right}
            result["thresholds"][thr] = {
                "shown": len(shown), "judged": len(judged), "right": len(right),
                "precision": len(right) / len(judged) if judged else 0.0,
                "found": len(covered), "found_share": len(covered) / len(dated) if dated else 0.0,
                "inside": len(inside), "inside_share": len(inside) / len(covered) if covered else 0.0,
                "recall_right": len(inside) / len(dated) if dated else 0.0}
        basis_stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            if r[0] in dated and r[1] is not None:
                basis_stats[r[4]][0] += 1
                basis_stats[r[4]][1] += any(g0 <= r[1] and r[2] <= g1 for g0, g1 in gold[r[0]])
        result["by_basis"] = dict(sorted(basis_stats.items(), key=lambda kv: -kv[1][0]))
        out[name] = result
    return out


def print_corpora(root: Path) -> None:
    base = corpora_root(root)
    if base is None:
        print("\npublic corpora: ../shared/corpora/ not found (set BRIEFING_CORPORA); skipped")
        return
    print(f"\npublic corpora ({base}):")
    tb = score_timebank(root, base)
    if tb is None:
        print("  tempeval3-tbaq: not found; skipped")
    else:
        print(f"  TimeBank/AQUAINT ({tb['documents']} docs, {tb['gold']} calendar DATE/TIME): "
              f"value accuracy {tb['value_accuracy']:.3f} ({tb['correct']}/{tb['found']}; target 0.92), "
              f"relaxed P {tb['relaxed_precision']:.3f} R {tb['relaxed_recall']:.3f} F1 {tb['relaxed_f1']:.3f}, "
              f"tagger {tb['words_per_s']:,.0f} words/s")
        print("    " + "; ".join(f"{name} value {p['value_accuracy']:.3f} ({p['correct']}/{p['found']}), relaxed F1 "
                                 f"{p['relaxed_f1']:.3f}" for name, p in tb["parts"].items()))
        if os.environ.get("EVAL_VERBOSE"):
            for w in tb["wrong"]:
                print("     ", w)
    sem = score_semeval(root, base)
    for name, r in (sem or {}).items():
        print(f"  SemEval-2015 {name} ({r['documents']} articles, {r['gold_dated_sentences']} gold-dated sentences, "
              f"{r['machine_events']} machine events, extract {r['words_per_s']:,.0f} words/s):")
        print(f"    {'from':>5}{'shown':>7}{'judged':>8}{'right':>7}{'precision':>10}"
              f"{'found':>7}{'share':>7}{'inside':>8}{'share':>7}{'recall':>8}")
        for thr, t in r["thresholds"].items():
            print(f"    {thr:>5.2f}{t['shown']:>7}{t['judged']:>8}{t['right']:>7}{t['precision']:>10.3f}"
                  f"{t['found']:>7}{t['found_share']:>7.3f}{t['inside']:>8}{t['inside_share']:>7.3f}"
                  f"{t['recall_right']:>8.3f}")
        print("    by basis (judged, right): " + "; ".join(
            f"{b or '-'} {n}/{k}" for b, (n, k) in r["by_basis"].items()))
    print("  (found: gold-dated sentences with a machine event at that threshold; inside: of those, dated inside "
          "a gold date; precision: machine events in gold-dated sentences dated inside a gold date)")


if __name__ == "__main__":
    print_corpora(Path("."))
