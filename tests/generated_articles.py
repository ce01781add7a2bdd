"""Seeded generator of malformed-but-plausible articles for the robustness test.

Paragraphs of the development set and fixtures are recombined, names and dates shuffled, and
the layout broken in the ways real pasted text is broken: odd punctuation and invisible
characters, one endless sentence, one-word sentences, no sentence punctuation at all, shouting,
transcript labels, credit lines, headings without text, blank-line storms, CRLF, absurd numbers
and dates. The same (n, seed) always gives the same articles.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES = ["Vladimir Putin", "Zelenskyy", "Steve Witkoff", "Dmitri Peskov", "Ingrid Halvorsen",
         "Ursula von der Leyen", "Jean-Luc O'Neil-Smith", "Ólafur Ragnar Grímsson", "李明",
         "MARIA ZAKHAROVA", "al-Sayed", "Dr. Amara Okonkwo", "Q", "The The", "Mr.", "Reuters",
         "Kirill Dmitriyev Dmitriev Dmitri", "Press Secretary", "von", "X Æ A-12", "Sergey",
         "Axios reported", "Reporting by", "Ms. Ĳsselmeer", "Zoë d'Arc", "Nguyễn Văn An"]
DATES = ["on Monday", "Sunday", "last Thursday evening", "next Friday", "Dec. 32", "31 February 2025",
         "2025-13-01", "the 3rd", "in spring", "last week", "1999", "Q3 2026", "between 1 and 3 March",
         "from May 2025 to March 2024", "9999", "0 AD", "early January", "before the end of January",
         "a week after the summit", "on 29 February 2025", "in the autumn of 2031", "yesterday",
         "two days later", "mid-", "since the spring", "on 12/11/10", "in 2025-2026", "the 1st of never",
         "Monday Tuesday Wednesday", "in January February", "August 15, 2025", "15 Aug", "Aug 15 2025"]
NUMBERS = ["800,000,000,000,000 troops", "1e9 soldiers", "-5 points", "28-point-28-point plan",
           "Article 5-like guarantees", "0.000001 per cent", "a 1,000,000-point plan", "19 19 19 points",
           "$100 billion billion", "six hundred thousand thousand", "50%%", "½ of the army"]
ODD = ["…", "—", "–", "«", "»", "“", "”", "‘", "’", "(", ")", "[", "]", "!!!", "?!", ";;", ":", "•",
       "\t", "\u00a0", "\u200b", "\u202e", "🙂", "\ufeff", "\\", "{{", "}}", "<b>", "&amp;", "%s", "$1",
       "*", "_", "#", "|", "'", '"', "\u0301", "\u2028"]
MONTH_OR_DAY = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|"
                          r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                          r"(?:\s+\d{1,2})?(?:,?\s+\d{4})?\b")
FULL_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
PUBLISHED = [None, "2025", "2025-11", "2025-12-28", "1990-01-01", "2030-06-30", "2025-02-28", "2024-02-29"]
KINDS = ["analysis", "opinion", "news", "transcript", "official", "other"]


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    sidecar: dict
    kinds: tuple[str, ...]      # which distortions were applied (for failure messages)


def paragraphs() -> list[str]:
    out = []
    for path in sorted([*(HERE / "devset").glob("*.txt"), *(HERE / "fixtures").glob("*.txt")]):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        out.extend(lines[1:])
    return out


def _odd_punctuation(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(max(1, len(words) // 4)):
        i = rng.randrange(len(words))
        words[i] = rng.choice([words[i] + rng.choice(ODD), rng.choice(ODD) + words[i]])
    return " ".join(words)


def _endless(paras: list[str]) -> str:
    body = " ".join(paras)
    body = re.sub(r"[.!?]+(\s|$)", ", and ", body)
    return (body + " ") * max(1, 1500 // max(1, len(body.split())))


def _one_word(para: str) -> str:
    return " ".join(w.strip(".,;:!?") + "." for w in para.split() if w.strip(".,;:!?"))


def _no_punctuation(para: str) -> str:
    return re.sub(r"[.!?;:,]", "", para)


DISTORTIONS = ["names", "dates", "numbers", "odd", "endless", "one_word", "no_punct", "upper",
               "lower", "labels", "credits", "headings", "blank_storm", "crlf", "duplicate", "empty",
               "bom", "long_line"]


def generate(n: int = 300, seed: int = 13) -> list[Article]:
    rng = random.Random(seed)
    pool = paragraphs()
    out = []
    for k in range(n):
        paras = rng.sample(pool, rng.randint(1, 8))
        kinds = tuple(sorted(rng.sample(DISTORTIONS, rng.randint(1, 4))))
        if "names" in kinds:
            paras = [FULL_NAME.sub(lambda _m: rng.choice(NAMES), p) for p in paras]
        if "dates" in kinds:
            paras = [MONTH_OR_DAY.sub(lambda _m: rng.choice(DATES), p) for p in paras]
            paras.append(f"Talks {rng.choice(DATES)} and {rng.choice(DATES)} ended, {rng.choice(NAMES)} said.")
        if "numbers" in kinds:
            paras.append(f"The plan caps the army at {rng.choice(NUMBERS)} under {rng.choice(NUMBERS)}.")
        if "odd" in kinds:
            paras = [_odd_punctuation(rng, p) for p in paras]
        if "endless" in kinds:
            paras = [_endless(paras)]
        if "one_word" in kinds:
            paras = [_one_word(p) for p in paras]
        if "no_punct" in kinds:
            paras = [_no_punctuation(p) for p in paras]
        if "upper" in kinds:
            paras = [p.upper() for p in paras]
        if "lower" in kinds:
            paras = [p.lower() for p in paras]
        if "labels" in kinds:
            paras = [f"{rng.choice(['Q', 'A', 'HOST', 'MS. LEAVITT', 'SERGEY LAVROV', 'X'])}: {p}" for p in paras]
        if "credits" in kinds:
            paras.append(f"(Reporting by {rng.choice(NAMES)}; Editing by {rng.choice(NAMES)})")
            paras.insert(0, f"By {rng.choice(NAMES)}")
        if "headings" in kinds:
            paras = [x for p in paras for x in (rng.choice(["Background", "What next", "1. Notes",
                                                            "References", "Sources", "###"]), p)]
        if "duplicate" in kinds:
            paras = paras + paras
        if "empty" in kinds:
            paras = [] if rng.random() < 0.5 else ["   ", "\t"]
        if "long_line" in kinds:
            paras.append(" ".join(rng.choice(pool).split()[:5]) * 400)
        sep = "\n\n\n\n\n" if "blank_storm" in kinds else "\n\n"
        # An article has at least a title: an empty file is bad input (exit 2), not an article.
        title = rng.choice(["Plain title", "Title: with a colon", "\"Quoted\" title", "# heading", "yes",
                            "2025-12-28", "", "—", "A" * 300]) or ("" if any(p.strip() for p in paras) else "Untitled")
        text = (title + "\n\n" + sep.join(paras) + "\n")
        if "crlf" in kinds:
            text = text.replace("\n", "\r\n")
        if "bom" in kinds:
            text = "\ufeff" + text
        sidecar = {"title": title or None, "outlet": rng.choice(["Wire", "", "Ünïcode Daily"]),
                   "published": rng.choice(PUBLISHED), "kind": rng.choice(KINDS)}
        out.append(Article(f"gen-{k:03d}", text, sidecar, kinds))
    return out
