"""Measure the score a retrieval candidate must clear to be shown in the briefing.

Where a source has no analyst position on a question, the comparison may show the passage that
retrieval (BM25, pipeline/s5_contrast.evidence) ranks first, marked as unreviewed. Shown for
every question it was mostly filler, often one unrelated paragraph again and again. This script
labels each first-ranked candidate of the seeds and of the texts in tests/relevance/ as relevant
or not (tests/relevance/gold.yaml, plus the passages the seeds' analysts cite), and prints, for
each threshold on the BM25 score and on the passage's length, how many candidates would be
shown and how many of those are relevant. The chosen values are s5_contrast.CANDIDATE_MIN_SCORE
and CANDIDATE_MIN_WORDS; tests/test_contrast_wording.py checks they still hold the precision
measured here.

Usage: python bench/candidate_threshold.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "relevance"


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def labelled_candidates() -> list[dict]:
    """One row per (source, question): the first-ranked candidate, its score, length, relevance."""
    from pipeline.contrast import evidence
    from pipeline.ingest import ingest
    from pipeline.inputs import load_inputs

    gold = yaml.safe_load((GOLD / "gold.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        inputs_dir = Path(tmp) / "inputs"
        shutil.copytree(ROOT / "inputs", inputs_dir)
        for path in sorted(GOLD.glob("*.txt")) + sorted(GOLD.glob("*.yaml")):
            if path.name != "gold.yaml":
                shutil.copy(path, inputs_dir / "sources" / path.name)
        inputs = load_inputs(inputs_dir)
        _, passages, _ = ingest(inputs.sources, inputs.codebook.lexicon.model)
        ranked, _ = evidence(inputs, passages, top=1)
        annotations = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
                       for p in sorted((inputs_dir / "annotations").glob("*.yaml"))}
    text = dict(zip(passages["passage_id"], passages["text"], strict=True))
    questions = [q.id for q in inputs.codebook.questions.model]
    rows = []
    for group in ("seeds", "fixtures"):
        for sid, labels in gold[group].items():
            cited: dict[str, list[str]] = {}
            for pos in (annotations.get(sid) or {}).get("positions", []):
                cited.setdefault(pos["question"], []).extend(pos.get("quotes", []))
            for qid in questions:
                if group == "fixtures":
                    assert qid in labels, f"gold.yaml: {sid} has no label for {qid}"
                fragments = [*labels.get(qid, []), *cited.get(qid, [])]
                hit = ranked[(ranked["source_id"] == sid) & (ranked["question_id"] == qid)]
                if not len(hit):
                    rows.append({"group": group, "source_id": sid, "question_id": qid, "score": 0.0,
                                 "words": 0, "relevant": False, "text": ""})
                    continue
                passage = _flat(text[hit.iloc[0]["passage_id"]])
                rows.append({"group": group, "source_id": sid, "question_id": qid,
                             "score": float(hit.iloc[0]["score"]), "words": len(passage.split()),
                             "relevant": any(_flat(f) in passage for f in fragments), "text": passage})
    return rows


def shown(rows: list[dict], min_score: float, min_words: int) -> tuple[int, int]:
    """(candidates shown, relevant among them) at these thresholds."""
    picked = [r for r in rows if r["score"] >= min_score and r["words"] >= min_words]
    return len(picked), sum(r["relevant"] for r in picked)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from pipeline.contrast import CANDIDATE_MIN_SCORE, CANDIDATE_MIN_WORDS

    rows = labelled_candidates()
    relevant = sum(r["relevant"] for r in rows)
    print(f"{len(rows)} first-ranked candidates ({sum(r['group'] == 'seeds' for r in rows)} seeds, "
          f"{sum(r['group'] == 'fixtures' for r in rows)} fixtures), {relevant} relevant")
    print("min words  min score  shown  relevant  precision  recall")
    for words in (0, 12, 16, 20):
        for score in (0, 4, 5, 6, 7, 8, 9, 10):
            n, good = shown(rows, score, words)
            mark = "  <- chosen" if (score, words) == (CANDIDATE_MIN_SCORE, CANDIDATE_MIN_WORDS) else ""
            print(f"{words:9}  {score:9}  {n:5}  {good:8}  {good / n if n else 1:9.2f}  "
                  f"{good / relevant if relevant else 1:6.2f}{mark}")
    for r in rows:
        flag = "+" if r["relevant"] else "-"
        print(f"{flag} {r['score']:6.2f} {r['words']:3}w {r['source_id'][:22]:22} {r['question_id'][:24]:24} "
              f"{r['text'][:70]}")


if __name__ == "__main__":
    main()
