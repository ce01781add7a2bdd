"""Stage 1, ingest: cut each source into labelled passages and sentences.

Ingest knows layout, not content: where headings, sidebars, reference lists, site trailers and
reader comments are. It never looks at actors or plans. Everything downstream cites passages by
their number, so a passage is one paragraph (one non-empty line) of the source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import pandas as pd

from pipeline.errors import safe_name
from pipeline.ingest.copies import find_copies
from pipeline.inputs import Lexicon, Source
from pipeline.labels import clip, short_outlet
from pipeline.language import ENGLISH, Language, language_of
from pipeline.vocab import AUTHORS_TEXT

TERMINAL = tuple(".,;:!…")
HEADING_KIND = "body"   # a section heading is a passage of its own; its section is itself
LABEL_LINE = re.compile(r"^[A-Z][^:.!?]{1,48}: \S")
# A footnote marker glued to the full stop ("250,000.[2] The", "in 2025.1 They", "said.”³ It")
# still ends the sentence; it belongs to neither side.
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?(?:\[\d{1,3}\]|\d{1,3}(?=\s)|[¹²³⁰⁴-⁹]{1,3})?\s+"
                          r"(?=[\"“‘'(\[]?[A-Z0-9])")
INNER_STOP = re.compile(r"[.!?]\s")
# A transcript turn ("Q: ...", "MS. LEAVITT: ...", "DUMONT: ...") is a paragraph even when it
# is a short question without a full stop.
SPEAKER_TURN = re.compile(r"^(?:Q|A|[A-Z][A-Z.'’ -]{1,40}):\s")
# The first line of a plain text is its title only when it looks like one: wire copy saved as
# text often starts with its lede, which must stay body (it carries the story's main events).
TITLE_MAX_WORDS = 20
TITLE_MAX_CHARS = 160
TITLE_CLOSING = tuple(".,;:…")          # a sentence or clause ends here: not a headline
CLOSERS = "\"'”’)]»*_"


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    blank_before: int


def _lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    blanks = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            out.append(Line(start, start + len(stripped), stripped, blanks))
            blanks = 0
        else:
            blanks += 1
        pos += len(raw) + 1
    return out


def _is_heading(line: Line, nxt: Line | None) -> bool:
    """Short, unpunctuated line followed by text: how every plain-text export shows a heading."""
    words = line.text.split()
    if nxt is None or len(words) > 12 or line.text.endswith(TERMINAL):
        return False
    if line.text[0] in "\"“‘'(" or not (line.text[0].isupper() or line.text[0].isdigit()):
        return False
    if SPEAKER_TURN.match(line.text):
        return False
    return not INNER_STOP.search(line.text)


def _norm_title(text: str) -> str:
    return " ".join(text.strip(" #*_\t").split()).casefold()


def _looks_like_title(line: Line, nxt: Line | None) -> bool:
    """Short, without closing punctuation, set off by a blank line: a headline, not a lede."""
    bare = line.text.rstrip(CLOSERS)
    return (len(line.text.split()) <= TITLE_MAX_WORDS and len(line.text) <= TITLE_MAX_CHARS
            and bool(bare) and not bare.endswith(TITLE_CLOSING) and (nxt is None or nxt.blank_before > 0))


def title_line(source: Source, lines: list[Line]) -> bool:
    """Whether the first line is the source's title. A reader that found the title in the
    file's markup (a web page's <title>, a PDF's document information, a Markdown heading) says
    so; for plain text the line must equal the sidecar's title or look like a headline."""
    if not lines:
        return False
    told = source.reading.titled if source.reading else None
    if told is not None:
        return told
    if source.sidecar.title and _norm_title(source.sidecar.title) == _norm_title(lines[0].text):
        return True
    return _looks_like_title(lines[0], lines[1] if len(lines) > 1 else None)


def _prefixes(phrases: list[str]) -> tuple[str, ...]:
    """Lower-cased phrases for one `str.startswith(tuple)` test per line."""
    return tuple(p.lower() for p in phrases if p)


def _hinted(source: Source, lines: list[Line]) -> list[str]:
    """The kind its reader gave each line ('' where the format says nothing): headings of a
    web page or Markdown file, reader comments, footnotes of a PDF."""
    spans = sorted(source.reading.hints, key=lambda h: h.start) if source.reading else []
    starts = [h.start for h in spans]
    out = []
    for line in lines:
        k = bisect_right(starts, line.start) - 1
        out.append(spans[k].kind if k >= 0 and line.start < spans[k].end else "")
    return out


# A line that is only a wire dateline: a capitalised place, maybe a region or a date, maybe an
# agency in brackets, then a dash (or the "_" older wire copy used) and nothing else.
DATELINE_LINE = re.compile(r"(?=.*\(|.*(?:--|[-–—_])[^\S\n]*$)[A-Z][A-Z/ .'-]*[A-Z](?:,[^\S\n][^-–—_()\n]{2,30}?)?"
                           r"(?:[^\S\n]*\([^)\n]{1,40}\))?[^\S\n]*(?:--|[-–—_])?[^\S\n]*")


def segment(source: Source, lexicon: Lexicon) -> tuple[dict, list[dict]]:
    """Label one source's lines; returns source-level facts and passage rows."""
    hints = source.sidecar.segmentation
    lines = _lines(source.text)
    told = _hinted(source, lines)
    structured = bool(source.reading and source.reading.structured)
    titled = title_line(source, lines)
    # A line that is only a wire dateline ("NAIROBI, Kenya (AP) _", "WASHINGTON, August 13
    # (Xinhua) --") names no story: a text is then called by its first words after it.
    facts = {"title_line": lines[0].text if titled and not DATELINE_LINE.fullmatch(lines[0].text) else "",
             "subtitle": "",
             "first_line": next((line.text for line in lines if not DATELINE_LINE.fullmatch(line.text)), "")}
    boiler = _prefixes(list(lexicon.boilerplate) + list(hints.boilerplate))
    sign_off = (hints.comments_after or "").lower()
    ref_heads = {h.lower() for h in lexicon.reference_headings}
    sidebar_heads = {h.lower() for h in hints.sidebars}
    rows: list[dict] = []
    mode = "body"          # body | reference | boilerplate | comment
    section = ""
    in_sidebar = False
    seen_body = False
    after_sign_off = False
    i = 0
    if titled:
        rows.append({"section": "", "kind": "title", "char_start": lines[0].start,
                     "char_end": lines[0].end, "text": lines[0].text})
        i = 1
        if (not structured and len(lines) > 1 and lines[1].blank_before == 0
                and _is_heading(lines[1], lines[2] if len(lines) > 2 else None)):
            facts["subtitle"] = lines[1].text
            rows.append({"section": "", "kind": "title", "char_start": lines[1].start,
                         "char_end": lines[1].end, "text": lines[1].text})
            i = 2
    while i < len(lines):
        line = lines[i]
        hint = told[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        i += 1
        if hint in ("comment", "reference", "boilerplate"):
            rows.append({"section": section if hint == "reference" else "", "kind": hint,
                         "char_start": line.start, "char_end": line.end, "text": line.text})
            continue
        if mode != "comment" and (after_sign_off or (seen_body and line.blank_before >= lexicon.comment_gap)):
            mode = "comment"
        if mode != "comment":
            if boiler and line.text.lower().startswith(boiler):
                mode = "boilerplate"
            elif line.text.lower().rstrip(":") in ref_heads:
                mode = "reference"
                section = line.text
                rows.append({"section": section, "kind": "reference", "char_start": line.start,
                             "char_end": line.end, "text": line.text})
                continue
            elif mode == "body" and (hint == "heading" if structured else _is_heading(line, nxt)):
                section = line.text
                in_sidebar = line.text.lower() in sidebar_heads or _sidebar_block(lines, i)
                rows.append({"section": section, "kind": HEADING_KIND, "char_start": line.start,
                             "char_end": line.end, "text": line.text})
                continue
        kind = mode
        if mode == "body" and in_sidebar:
            if LABEL_LINE.match(line.text) or section.lower() in sidebar_heads:
                kind = "sidebar"
            else:
                in_sidebar = False
        seen_body = seen_body or kind == "body"
        if sign_off and sign_off in line.text.lower():
            after_sign_off = True
        rows.append({"section": section if mode in ("body", "reference") else "",
                     "kind": kind, "char_start": line.start, "char_end": line.end,
                     "text": line.text})
    return facts, rows


def _sidebar_block(lines: list[Line], i: int) -> bool:
    """A heading over two or more 'Label: text' lines is a boxed sidebar."""
    run = 0
    while i + run < len(lines) and LABEL_LINE.match(lines[i + run].text) and len(lines[i + run].text) < 400:
        run += 1
    return run >= 2


def _decimal_in_title(text: str, m: re.Match, language: Language) -> bool:
    """'New $4.5 Billion Merger': a decimal before a capitalised scale word (a headline's title
    case), not a full stop with a footnote marker ("in 2025.1 They")."""
    glued = text[max(0, m.start() - 2):m.end()]
    after = _NEXT_WORD.match(text, m.end())
    return _DECIMAL_GLUED.fullmatch(glued) is not None and after is not None \
        and after.group(0).lower() in language.scale_words


_NEXT_WORD = re.compile(r"[^\W\d_]+")
_DECIMAL_GLUED = re.compile(r"\d\.\d{1,3}\s+")     # "4.5 " of "$4.5 Billion": the stop and its "footnote"


def split_sentences(text: str, offset: int = 0, language: Language = ENGLISH) -> list[tuple[int, int, str]]:
    """Sentence spans with absolute offsets; the language's abbreviations ('Dec.', 'Dr.': the
    resource's list and the lexicon's dotted honorifics) do not end a sentence."""
    abbreviations = language.abbreviations
    spans: list[tuple[int, int, str]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        before = text[start:m.start()].rstrip("\"”’'").rsplit(None, 1)
        last = before[-1].rstrip(".").lower() if before else ""
        if last in abbreviations or (len(last) == 1 and "a" <= last <= "z"):
            continue
        if _decimal_in_title(text, m, language):
            continue
        spans.append((start, m.start(), text[start:m.start()]))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text), text[start:]))
    return [(offset + s, offset + e, t) for s, e, t in spans if t.strip()]


def published_note(source: Source) -> str:
    """Which rule gave the source its date (or why it has none), for sources.csv and the
    appendix: the analyst's own note, the sidecar, the file's metadata or date line (the
    reader's note), or unknown with the reason."""
    side = source.sidecar
    if side.published_note:
        return side.published_note
    if side.published:
        return "from the sidecar"
    undated = source.reading.meta.get("undated", "") if source.reading else ""
    return undated or "unknown: no date in the sidecar or in the file"


def distinct_shorts(rows: list[dict], given: set[str]) -> None:
    """Two articles from one outlet would both be cited as "The Harbour Ledger": a short name
    the sidecar did not set gets the date, or the id, when another source has the same one."""
    for attempt in ("published", "source_id"):
        seen: dict[str, int] = {}
        for r in rows:
            seen[r["short"].casefold()] = seen.get(r["short"].casefold(), 0) + 1
        for r in rows:
            if seen[r["short"].casefold()] > 1 and r["source_id"] not in given and r[attempt]:
                base = r["short"].split(" (")[0] if attempt == "source_id" else r["short"]
                r["short"] = f"{base} ({r[attempt]})"


PASSAGE_COLUMNS = ["passage_id", "source_id", "seq", "section", "kind", "char_start", "char_end", "text", "words"]
SENTENCE_COLUMNS = ["sentence_id", "passage_id", "source_id", "seq", "kind", "section", "char_start",
                    "char_end", "text"]


def ingest(sources: list[Source], lexicon: Lexicon) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sources → (sources table, passages table, sentences table)."""
    return combine(sources, [ingest_one(source, lexicon) for source in sources])


def ingest_one(source: Source, lexicon: Lexicon) -> tuple[dict, list[dict], list[dict]]:
    """One source's row of the sources table (before the corpus-wide short names and copies),
    its passage rows and its sentence rows: the per-source part of ingest."""
    language = language_of(lexicon)      # handed to the sentence splitter: no module state
    pas_rows, sen_rows = [], []
    facts, rows = segment(source, lexicon)
    side = source.sidecar
    body_words = 0
    for seq, row in enumerate(rows, start=1):
        pid = f"{source.id}:p{seq:03d}"
        words = len(row["text"].split())
        if row["kind"] in AUTHORS_TEXT:
            body_words += words
        pas_rows.append({"passage_id": pid, "source_id": source.id, "seq": seq, **row,
                         "words": words})
        for k, (s, e, t) in enumerate(split_sentences(row["text"], row["char_start"], language), start=1):
            sen_rows.append({"sentence_id": f"{pid}.s{k:02d}", "passage_id": pid,
                             "source_id": source.id, "seq": seq, "kind": row["kind"],
                             "section": row["section"], "char_start": s, "char_end": e,
                             "text": t})
    reading = source.reading
    title = side.title or facts["title_line"] or clip(facts["first_line"], 80)
    src_row = {
        "source_id": source.id,
        "title": title,
        # an outlet's name is short and clipped bare; a title cut short says so ("…")
        "short": side.short or (short_outlet(side.outlet) if side.outlet else clip(title, 40)),
        "author": side.author, "outlet": side.outlet,
        "published": side.published or "", "published_note": published_note(source),
        "url": side.url, "kind": side.kind,
        "words": len(source.text.split()), "body_words": body_words,
        "passages": len(rows), "has_sidecar": source.has_sidecar,
        "sha256": source.sha256,
        "format": reading.format if reading else "txt", "copy_of": "",
        "file": safe_name(source.path.name),      # no bidi override reaches the appendix
        "extractor": reading.extractor if reading else "UTF-8 text as written",
        "furniture_chars": reading.dropped_chars if reading else 0,
        "metadata_from": list(source.metadata_from),
    }
    return src_row, pas_rows, sen_rows


def combine(sources: list[Source], parts: list[tuple[dict, list[dict], list[dict]]],
            copies: dict[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The corpus-wide part of ingest over `ingest_one`'s results (in the order of `sources`):
    distinct short names, and copies (found here unless the caller found them already from
    per-source signatures)."""
    return frames(sources, [dict(p[0]) for p in parts], [r for p in parts for r in p[1]],
                  [r for p in parts for r in p[2]], copies)


def frames(sources: list[Source], src_rows: list[dict], passages: list[dict] | dict[str, list],
           sentences: list[dict] | dict[str, list], copies: dict[str, str] | None = None
           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """combine()'s tables from the joined rows, or the joined columns (the per-source results
    read from their Arrow files: no dict per row); pandas gives the same frame either way."""
    # joined columns holding no row: none, as pandas makes empty columns from rows (object)
    passages = passages if not isinstance(passages, dict) or any(map(len, passages.values())) else []
    sentences = sentences if not isinstance(sentences, dict) or any(map(len, sentences.values())) else []
    distinct_shorts(src_rows, {s.id for s in sources if s.sidecar.short})
    sources_df = pd.DataFrame(src_rows, columns=list(src_rows[0]) if src_rows else None)
    pas = pd.DataFrame(passages, columns=PASSAGE_COLUMNS)
    if len(sources_df):
        if copies is None:
            copies = find_copies(pas, copy_order(src_rows))
        sources_df["copy_of"] = [copies.get(s, "") for s in sources_df["source_id"]]
    sen = pd.DataFrame(sentences, columns=SENTENCE_COLUMNS)
    return sources_df, pas, sen


def copy_order(src_rows: list[dict]) -> list[str]:
    """Which of a group of copies is the first: earliest published, then by id."""
    order = sorted(src_rows, key=lambda r: (not r["published"], r["published"], r["source_id"]))
    return [r["source_id"] for r in order]
