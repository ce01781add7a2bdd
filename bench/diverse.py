"""Seeded news corpus with real diversity: every source names its own people, bodies and places.

`bench/corpus.py` recombines the seed's paragraphs, so 2,000 of its sources still name the same
few dozen codebook actors and repeat the same events. A desk's year of news does not: thousands
of distinct people and happenings. This generator writes short news reports from sentence
patterns written for it (no outside text), with names invented from syllables: each source
has its own officials, organisations and towns, dated happenings at every precision the
pipeline knows (a day, a month, a week, part of a year, a year, a range), quotes and figures,
and a small shared cast (one name in five) so that some happenings are reported more than once.

    python bench/diverse.py --sources 500 --out /tmp/diverse500        # ~250,000 words
    python bench/diverse.py --sources 500 --out /tmp/d --wikinews DIR  # plus SemEval .tml articles
    python bench/diverse.py --sources 2000 --out /tmp/n --news ../shared/corpora/tempeval3-tbaq \
        --news ../shared/corpora/semeval2015-timeline     # mixed from 316 real news articles

`--wikinews` adds the Wikinews articles of the SemEval-2015 TimeLine corpus (a folder holding
`*.tml`; `../shared/corpora/semeval2015-timeline` has 60) as plain text, for measuring only:
the project keeps none of their text. The same arguments always give byte-identical files.
"""

from __future__ import annotations

import argparse
import calendar
import html
import random
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MONTHS = [calendar.month_name[i] for i in range(1, 13)]
ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr",
          "gr", "kr", "st", "tr", "vr", "sh", "th", "ch"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia"]
CODAS = ["", "", "n", "r", "l", "s", "k", "th", "nd", "rk", "v", "sk"]
TITLES = ["Minister", "Deputy Minister", "Trade Minister", "Fisheries Minister", "Mayor", "Governor",
          "spokeswoman", "spokesman", "Ambassador", "Commissioner", "chief negotiator", "Senator",
          "union leader", "chief executive", "Secretary General", "police chief", "adviser"]
ORG_HEADS = ["Authority", "Council", "Union", "Agency", "Commission", "Federation", "Institute",
             "Company", "Party", "Alliance", "Bank", "Board"]
ORG_FIELDS = ["Harbour", "Grain", "Rail", "Water", "Fisheries", "Energy", "Transport", "Timber",
              "Mining", "Textile", "Health", "Teachers'", "Farmers'", "Shipping"]
TOPICS = ["the harbour dispute", "the grain accord", "the rail link", "the water-sharing treaty",
          "the fishing quota deal", "the border crossing agreement", "the power line project",
          "the timber export ban", "the port concession", "the debt rescheduling plan"]
VERBS = ["met", "signed", "rejected", "announced", "visited", "opened talks with", "criticised",
         "welcomed", "suspended", "proposed"]
UNITS = ["jobs", "tonnes of grain", "kilometres of track", "million euros"]
WHEN_REPLY = ["within a week", "after the holidays", "by the end of the month"]
OUTLET_WORDS = ["Gazette", "Herald", "Courier", "Tribune", "Observer", "Post", "Chronicle", "Monitor"]


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + (rng.choice(CODAS) if i == syllables - 1 else "")
                   for i in range(syllables)).capitalize()


def person(rng: random.Random) -> str:
    return f"{word(rng, rng.choice([2, 2, 3]))} {word(rng, rng.choice([2, 3]))}"


def when(rng: random.Random, latest: int) -> tuple[str, int]:
    """A written date at one of the precisions sources use (in the three years up to `latest`),
    and its year."""
    year = rng.randint(latest - 3, latest)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    name = MONTHS[month - 1]
    form = rng.choice(["day", "day", "day", "month", "year", "range", "part", "week"])
    if form == "day":
        return f"on {day} {name} {year}", year
    if form == "month":
        return f"in {name} {year}", year
    if form == "year":
        return f"in {year}", year
    if form == "range":
        return f"from {day} to {min(day + rng.randint(1, 5), 28)} {name} {year}", year
    if form == "part":
        return f"in {rng.choice(['early', 'mid', 'late'])} {year}", year
    return f"in the week of {day} {name} {year}", year


def article(index: int, corpus_seed: int, shared: list[tuple[str, str]], places_shared: list[str]
            ) -> tuple[str, str, int]:
    """(text, sidecar yaml, words) of report number `index`."""
    rng = random.Random(f"briefing-diverse:{corpus_seed}:{index}")
    cast = [(person(rng), rng.choice(TITLES)) for _ in range(rng.randint(6, 12))]
    cast += rng.sample(shared, k=max(1, len(cast) // 5))
    orgs = [f"{word(rng, 2)} {rng.choice(ORG_FIELDS)} {rng.choice(ORG_HEADS)}" for _ in range(rng.randint(2, 4))]
    places = [word(rng, rng.choice([2, 3])) for _ in range(rng.randint(2, 4))] + rng.sample(places_shared, k=1)
    topic = rng.choice(TOPICS)
    lead_name, lead_title = cast[0]
    published = rng.randint(2020, 2026)
    date, year = when(rng, published)
    title = f"{lead_title[:1].upper()}{lead_title[1:]} {lead_name} {rng.choice(VERBS)} {topic}"
    paras = []
    for k in range(rng.randint(5, 12)):
        (a, ta), (b, tb) = rng.sample(cast, 2)
        d, _ = when(rng, published) if k else (date, year)
        place, org = rng.choice(places), rng.choice(orgs)
        figure = f"{rng.randint(2, 950):,}"
        sentences = [
            f"{d[0].upper()}{d[1:]}, {ta} {a} {rng.choice(VERBS)} {tb} {b} in {place} over {topic}.",
            f"The {org} said the talks covered {figure} {rng.choice(UNITS)}.",
            f"“We have made our position clear,” {a.split()[-1]} told reporters, adding that the {org} would "
            f"{rng.choice(['review the terms', 'not accept delays', 'publish its proposal', 'consult its members'])}.",
            f"{b.split()[-1]} was expected to reply {rng.choice(WHEN_REPLY)}.",
        ]
        rng.shuffle(sentences[1:])
        paras.append(" ".join(sentences[: rng.randint(2, 4)]))
    if index % 2 == 0:       # every other report covers the peace talks, in long sentences
        paras = peace_report(rng, cast, places, published) + paras[:2]
    text = "\n\n".join([title, *paras]) + "\n"
    outlet = f"The {word(random.Random(f'outlet:{index % 60}'), 2)} {OUTLET_WORDS[index % len(OUTLET_WORDS)]}"
    sidecar = "\n".join([
        f"title: \"{title}\"",
        f"short: \"Report {index:04d}\"",
        f"outlet: \"{outlet}\"",
        f"published: \"{published}-12-{rng.randint(1, 28):02d}\"",
        "kind: news",
    ]) + "\n"
    return text, sidecar, len(text.split())


PLANS = ["the 28-point plan", "Ukraine's 20-point plan", "the 27 points", "the Geneva version"]
CLAUSES = ["would cap Ukraine's armed forces at {n},000 troops",
           "would freeze the front along the line of contact",
           "would leave the question of territory in the Donbas to a later summit",
           "would rule out NATO membership and write neutrality into the constitution",
           "would use {n} billion dollars of frozen assets for reconstruction",
           "would lift sanctions in stages over {n} months",
           "would hold elections within {n} days of a ceasefire",
           "would give Ukraine security guarantees modelled on Article 5"]


def peace_report(rng: random.Random, cast: list[tuple[str, str]], places: list[str], published: int
                 ) -> list[str]:
    """Long sentences of the kind a wire report on the peace talks carries: several named
    people, a plan version and what it is said to contain, a date at some precision."""
    paras = []
    for _ in range(rng.randint(4, 9)):
        people = rng.sample(cast, min(len(cast), rng.randint(3, 5)))
        d, _ = when(rng, published)
        named = ", ".join(f"{t} {n}" for n, t in people[1:-1])
        plan = rng.choice(PLANS)
        clause = rng.choice(CLAUSES).format(n=rng.randint(2, 900))
        condition = rng.choice(CLAUSES).format(n=rng.randint(2, 900))
        paras.append(
            f"{d[0].upper()}{d[1:]}, {people[0][1]} {people[0][0]} told {named} and {people[-1][1]} "
            f"{people[-1][0]} at a meeting in {rng.choice(places)} that {plan} {clause}, according to "
            f"two officials briefed on the talks who asked not to be named because the discussions "
            f"were private. {people[-1][0].split()[-1]} said the proposal {condition} "
            f"only if the other side agreed first, and warned that the talks could collapse.")
    return paras


def add_diverse(folder: Path, first: int, count: int, corpus_seed: int = 1) -> int:
    """Write reports number first .. first + count - 1 into `folder`; their words."""
    rng = random.Random(f"briefing-diverse-cast:{corpus_seed}")
    shared = [(person(rng), rng.choice(TITLES)) for _ in range(200)]
    places_shared = [word(rng, 2) for _ in range(40)]
    words = 0
    for index in range(first, first + count):
        text, sidecar, w = article(index, corpus_seed, shared, places_shared)
        (folder / f"report-{index:04d}.txt").write_text(text, encoding="utf-8")
        (folder / f"report-{index:04d}.yaml").write_text(sidecar, encoding="utf-8")
        words += w
    return words


def wikinews_text(tml: Path) -> tuple[str, str]:
    """(plain text, publication date) of one SemEval TimeLine .tml article: headline, blank line,
    the sentences detokenised (the tokeniser's spaces before punctuation removed)."""
    raw = tml.read_text(encoding="utf-8")
    dct = re.search(r'<DCT>.*?value="(\d{4}-\d{2}-\d{2})"', raw, re.S)
    sentences = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in re.findall(r"<s id=\"\d+\">(.*?)</s>", raw, re.S)]
    sentences = [re.sub(r"\s+([.,;:!?')%])", r"\1", re.sub(r"([($])\s+", r"\1", s)).replace("`` ", "“")
                 .replace(" ''", "”").replace(" 's", "'s") for s in sentences]
    body = "\n\n".join(sentences[1:]) if len(sentences) > 1 else ""
    return f"{sentences[0] if sentences else tml.stem}\n\n{body}\n", dct.group(1) if dct else ""


def add_wikinews(folder: Path, corpus: Path) -> int:
    words = 0
    for i, tml in enumerate(sorted(corpus.rglob("*.tml")), start=1):
        text, published = wikinews_text(tml)
        (folder / f"wikinews-{i:03d}.txt").write_text(text, encoding="utf-8")
        (folder / f"wikinews-{i:03d}.yaml").write_text(
            f"title: \"{text.splitlines()[0].replace(chr(34), '')}\"\nshort: \"Wikinews {i:03d}\"\n"
            f"outlet: \"Wikinews\"\npublished: \"{published}\"\nkind: news\n", encoding="utf-8")
        words += len(text.split())
    return words


def news_paragraphs(tml: Path) -> tuple[list[str], str]:
    """(paragraphs, publication date) of one TimeML news article: a TempEval `<TEXT>` split at
    blank lines, or a SemEval TimeLine article's sentences (wikinews_text), tags stripped."""
    raw = tml.read_text(encoding="utf-8", errors="replace")
    dct = re.search(r'<DCT>.*?value="(\d{4}-\d{2}-\d{2})', raw, re.S)
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    if body:
        paras = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split())
                 for p in re.split(r"\n\s*\n", body.group(1))]
    else:
        paras = wikinews_text(tml)[0].split("\n\n")
    return [p for p in paras if len(p.split()) >= 8], dct.group(1) if dct else ""


def add_news_mix(folder: Path, corpora: list[Path], count: int, corpus_seed: int = 1,
                 words_per_source: tuple[int, int] = (1400, 2600)) -> int:
    """`count` sources mixed from real news articles (every `*.tml` under `corpora`, read and
    never copied into the repo): each takes whole paragraphs of four to ten articles, in
    article order, until it has its words, and is dated a few days after its latest article.
    This is the held-out check's kind of corpus: real people, bodies, places and happenings,
    hundreds of them, each reported by several sources. Returns the words written."""
    articles = [a for a in (news_paragraphs(t) for c in corpora for t in sorted(Path(c).rglob("*.tml"))) if a[0]]
    if not articles:
        return 0
    words = 0
    for index in range(1, count + 1):
        rng = random.Random(f"briefing-news-mix:{corpus_seed}:{index}")
        picked = rng.sample(range(len(articles)), k=min(len(articles), rng.randint(4, 10)))
        want, paras, used = rng.randint(*words_per_source), [], 0
        for a in picked:
            for para in articles[a][0]:
                if used >= want:
                    break
                paras.append(para)
                used += len(para.split())
        dates = sorted(articles[a][1] for a in picked if articles[a][1])
        published = dates[-1][:8] + f"{min(28, int(dates[-1][8:10]) + rng.randint(0, 3)):02d}" if dates else ""
        title = " ".join(paras[0].split()[:12]).rstrip(",;:")
        text = "\n\n".join([title, *paras]) + "\n"
        (folder / f"news-{index:04d}.txt").write_text(text, encoding="utf-8")
        (folder / f"news-{index:04d}.yaml").write_text(
            f"title: \"News mix {index:04d}\"\nshort: \"News {index:04d}\"\n"
            f"outlet: \"Outlet {index % 97:02d}\"\n" + (f"published: \"{published}\"\n" if published else "")
            + "kind: news\n", encoding="utf-8")
        words += len(text.split())
    return words


def make_corpus(out: Path, n_sources: int, corpus_seed: int = 1, wikinews: Path | None = None,
                repo: Path = REPO, news: list[Path] | None = None) -> dict:
    """A project at `out`: the seed's inputs and templates, then reports up to n_sources in all
    (the seed's two and any Wikinews articles counted); with `news`, the rest are mixed from
    those real articles (add_news_mix) instead of invented. Returns {"sources", "words"}."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(repo / "inputs", out / "inputs")
    if (repo / "templates").exists():
        shutil.copytree(repo / "templates", out / "templates")
    folder = out / "inputs" / "sources"
    have = len(list(folder.glob("*.txt")))
    words = add_wikinews(folder, wikinews) if wikinews else 0
    have = len([p for p in folder.iterdir() if p.suffix != ".yaml"])
    if news:
        words += add_news_mix(folder, news, max(0, n_sources - have), corpus_seed)
    else:
        words += add_diverse(folder, 1, max(0, n_sources - have), corpus_seed)
    return {"sources": max(n_sources, have), "words": words}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sources", type=int, default=500, help="sources in all, the seed's included")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--wikinews", type=Path,
                   help="folder of SemEval TimeLine .tml files (read, never copied into the repo)")
    p.add_argument("--news", type=Path, action="append",
                   help="folder of TimeML news articles (*.tml, e.g. ../shared/corpora/tempeval3-tbaq; "
                        "repeatable): the sources are mixed from their paragraphs (read, never copied "
                        "into the repo)")
    args = p.parse_args(argv)
    news = [d for d in args.news or [] if d.exists()]
    for d in set(args.news or []) - set(news):
        print(f"{d}: not found, left out", file=sys.stderr)
    if args.wikinews and not args.wikinews.exists():
        print(f"{args.wikinews}: not found, building without the Wikinews articles", file=sys.stderr)
        args.wikinews = None
    stats = make_corpus(args.out, args.sources, args.seed, args.wikinews, news=news)
    print(f"{args.out}: {stats['sources']} sources, {stats['words']:,} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
