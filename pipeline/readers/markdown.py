"""Markdown (.md): CommonMark parsed by markdown-it-py, written out as plain paragraphs.

Headings (`#`, underlined) become section headings; link, image, emphasis and code syntax is
removed so a quote copied from the rendered page matches the text; a wrapped paragraph becomes
one line. A front-matter block (`---` ... `---`, `key: value` lines) gives title, author, date,
outlet and URL; it is read line by line, never as YAML, so it cannot run or expand anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.readers import TABLE_CELL, Reading, join_blocks, version
from pipeline.readers.dateline import date_line, line_note, with_hint
from pipeline.readers.text import decode
from pipeline.vocab import Format

FRONT_KEYS = {"title": "title", "author": "author", "authors": "author", "by": "author",
              "date": "published", "published": "published", "outlet": "outlet", "site": "outlet",
              "publisher": "outlet", "source": "outlet", "url": "url", "canonical": "url", "link": "url"}
FRONT_LINE = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*?)\s*$")
TAG = re.compile(r"<[^>]*>")
# Raw HTML a Markdown file carries: what a browser does not show as text (a script, a style sheet,
# a template) is not body text either; the rest keeps its words without the tags.
HIDDEN_HTML = re.compile(r"<(script|style|template|noscript)\b[^>]*>.*?(</\1\s*>|\Z)", re.I | re.S)
HIDDEN_OPEN = re.compile(r"^<(script|style|template|noscript)\b", re.I)
HIDDEN_CLOSE = re.compile(r"^</(script|style|template|noscript)\s*>", re.I)


def front_matter(text: str) -> tuple[dict[str, str], str, int]:
    """(metadata, text after the block, characters it took)."""
    if not text.startswith("---\n"):
        return {}, text, 0
    lines = text.split("\n")
    for i in range(1, min(len(lines), 80)):
        if lines[i].strip() in ("---", "..."):
            meta: dict[str, str] = {}
            for line in lines[1:i]:
                m = FRONT_LINE.match(line)
                if m and m.group(1).lower() in FRONT_KEYS and m.group(2):
                    value = m.group(2).strip().strip("\"'").strip()
                    meta.setdefault(FRONT_KEYS[m.group(1).lower()], value)
            used = sum(len(x) + 1 for x in lines[: i + 1])
            return meta, text[used:], used
    return {}, text, 0


def _inline_text(token) -> str:  # noqa: ANN001 - a markdown-it inline token
    out: list[str] = []
    hidden = 0                       # inside an inline <script> or <style>
    for child in token.children or []:
        if child.type == "html_inline":
            if HIDDEN_OPEN.match(child.content) and not child.content.endswith("/>"):
                hidden += 1
            elif HIDDEN_CLOSE.match(child.content):
                hidden = max(0, hidden - 1)
            continue
        if hidden:
            continue
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(" ".join(c.content for c in child.children or [] if c.type == "text"))
        elif child.type == "html_inline":
            continue
    return "".join(out)


def blocks_of(source: str) -> list[tuple[str, str]]:
    """(kind, text) per paragraph, heading, list item, quote line or table row."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    blocks: list[tuple[str, str]] = []
    heading = False
    row: list[str] | None = None
    for tok in md.parse(source):
        if tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            blocks.append(("body", TABLE_CELL.join(c for c in row if c)))
            row = None
        elif tok.type == "inline":
            text = _inline_text(tok)
            if row is not None:
                row.append(text.strip())
            else:
                blocks.append(("heading" if heading else "body", text))
        elif tok.type in ("fence", "code_block"):
            blocks.extend(("body", line) for line in tok.content.split("\n") if line.strip())
        elif tok.type == "html_block":
            plain = TAG.sub(" ", HIDDEN_HTML.sub(" ", tok.content))
            if plain.strip():
                blocks.append(("body", plain))
    return blocks


def read(path: Path, data: bytes) -> Reading:
    raw = decode(data, "Markdown")
    meta, body, _ = front_matter(raw)
    blocks = blocks_of(body)
    title = meta.get("title", "")
    # A first heading, or a first block that repeats the front matter's title, is the title; a
    # first paragraph is not (ingest decides for it as for plain text).
    if blocks and (blocks[0][0] == "heading" and not title
                   or title and " ".join(blocks[0][1].split()) == " ".join(title.split())):
        title = blocks[0][1]
        blocks = blocks[1:]
    if not title and not blocks:
        return Reading("", Format.MD, version("markdown-it-py"), meta)
    text, hints = join_blocks(blocks, title)
    notes = ("metadata from the file's front matter",) if meta else ()
    if not meta.get("published"):
        # The file's own lines, as written: a release line under a press office's bold line
        # ("**Press Office**" then "*Released 3 December 2025*") is one paragraph to Markdown,
        # so the text as read never has the date on a line of its own. date_line takes the
        # first line for the title: the blank lines after a front matter block go first.
        found = date_line(body.lstrip())
        if found is not None:
            meta = {**meta, "published": found[0]}
            notes = (*notes, line_note(found[1]))
            hints = with_hint(hints, text, found[1])
    return Reading(text, Format.MD, version("markdown-it-py"), meta, hints, structured=True,
                   dropped_chars=max(0, len(raw) - len(text)), notes=notes, titled=bool(title) or None)
