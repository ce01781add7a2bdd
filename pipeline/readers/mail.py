"""E-mail messages saved as files (.eml: Thunderbird, Apple Mail, Outlook's "Save as", Gmail's
"Download message"): how newsletters and briefings reach a desk.

The message's text is its HTML part read as a saved web page (readers/html.py), else its plain
text, paragraph by paragraph. Its headers say what a page's metadata would: the subject is the
title, the sender's name the outlet, and the Date header the day it was sent, in the sender's
own time zone. A forwarded message is another matter: its Date header is when it was
forwarded, so the reader gives no date and says so (the build asks for `published` in the
sidecar), and the forwarding's header block is left out of a plain-text body. The words that
tell a forward (subject prefixes, "Forwarded message" lines, Outlook's rule over "From:") are
data, in web_furniture.yaml.

Attachments are not read: one in a format the build reads is named in a warning, with how to
add it as a source; the others (pictures, invitations) are counted in one.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

from pipeline.readers import ReadError, Reading, join_blocks, reader_for
from pipeline.readers.furniture import mail_furniture, web_furniture
from pipeline.vocab import Format

SAVE_AGAIN = "save the message again from the mail program (File > Save As, as an .eml file)"
WRAPPED = 50          # a line this long was wrapped by the mail program: the next one goes on it
HEADER_LINE = re.compile(r"\s*[^\W\d_][\w .-]{0,24}:\s")   # "From: ...", "Sent: ...", "Objet : ..."
SIGNATURE = "-- "     # RFC 3676: the line that opens the sender's signature
LIST_ITEM = re.compile(r"\s*(?:[-*•–]|\d{1,2}[.)])\s")


def read(path: Path, data: bytes) -> Reading:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not any(message[h] for h in ("From", "Subject", "Date")):
        raise ReadError("is not an e-mail message (no From, Subject or Date header)", SAVE_AGAIN)
    assert isinstance(message, EmailMessage)
    subject = _subject(str(message["Subject"] or ""))
    words = web_furniture()
    forwarded = bool(words["forwarded"].match(str(message["Subject"] or "").strip()))
    body = message.get_body(preferencelist=("html", "plain"))
    if body is None:
        raise ReadError("holds no text (no text/plain or text/html part)", SAVE_AGAIN)
    reading = _html(path, body, subject) if body.get_content_type() == "text/html" else None
    if reading is None:
        plain = message.get_body(preferencelist=("plain",))
        if plain is None:
            raise ReadError("holds no text: its HTML part has no article text and it has no plain-text part",
                            SAVE_AGAIN)
        reading, forwards = _plain(plain, subject)
    else:
        forwards = any(words["forward_lines"].match(line.strip()) for line in reading.text.split("\n"))
    forwarded = forwarded or forwards
    meta = dict(reading.meta)
    meta["title"] = subject or meta.get("title", "")
    notes = ["title from the message's subject"]
    name, _address = email.utils.parseaddr(str(message["From"] or ""))
    if forwarded:
        meta.pop("published", None)
        meta["undated"] = "a forwarded e-mail: its Date header is when it was forwarded, not when it was first sent"
    else:
        if name:
            meta["outlet"] = name
            notes.append("outlet from the sender's name")
        sent = _sent(message)
        if sent:
            meta["published"] = sent
            notes.append(f"date from the message's Date header ({sent}, the sender's time zone)")
    attached = [part.get_filename() or part.get_content_type() for part in message.iter_attachments()]
    # a report attached in a format the build reads is named with what to do; pictures and the
    # like, which no build reads, are counted
    readable = [name for name in attached if reader_for(Path(name))]
    others = len(attached) - len(readable)
    lost = (*(f"attachment '{name}' not read (save it into inputs/sources/ to read it as a source of its own)"
              for name in readable),
            *([f"{others} other attachment{'s' if others > 1 else ''} (pictures, invitations, ...) not read"]
              if others else []))
    # the page's own notes are of metadata the headers replace: only the headers' are kept
    return replace(reading, format=Format.EML, meta={k: v for k, v in meta.items() if v},
                   notes=tuple(notes), lost=(*reading.lost, *lost),
                   extractor=f"e-mail (Python email), {reading.extractor}")


def _subject(raw: str) -> str:
    """The subject without "Fwd:", "Re:" and their kind, however many."""
    subject = " ".join(raw.split())
    prefix = web_furniture()["forwarded"]
    while (m := prefix.match(subject)) and m.end() < len(subject):
        subject = subject[m.end():].lstrip()
    return subject


def _sent(message: EmailMessage) -> str:
    """The Date header's day, as the sender's clock read it; '' when it is missing or not a date."""
    try:
        when = email.utils.parsedate_to_datetime(str(message["Date"] or ""))
    except (TypeError, ValueError, IndexError):
        return ""
    return when.date().isoformat() if when is not None else ""


def _html(path: Path, part: EmailMessage, subject: str) -> Reading | None:
    from pipeline.readers import html

    body = html.with_charset(part.get_payload(decode=True) or b"", part.get_content_charset())
    try:
        # the subject is the title the briefing shows, not the HTML's <title> (often the
        # newsletter's name, the same every day)
        return html.read(path, body, mail_furniture(), whole=True, title=subject)
    except ReadError:
        return None


def _plain(part: EmailMessage, subject: str) -> tuple[Reading, bool]:
    """A plain-text body as paragraphs: lines the mail program wrapped are joined, short lines
    (a list, an address) kept apart; quoting marks, a forwarding's header block and the
    signature are left out. With whether a forwarding was seen."""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError) as exc:
        raise ReadError(f"its text cannot be decoded ({exc})", SAVE_AGAIN) from None
    lines = [re.sub(r"^(?:>\s?)+", "", line.rstrip()) for line in text.replace("\r\n", "\n").split("\n")]
    words = web_furniture()
    forward, furniture = words["forward_lines"], mail_furniture()

    def opens_forward(at: int) -> bool:
        here = lines[at].strip()
        return bool(forward.match(here)) or (
            bool(words["forward_rules"].fullmatch(here)) and at + 1 < len(lines)
            and bool(words["forward_senders"].match(lines[at + 1].strip())))

    blocks: list[tuple[str, str]] = []
    dropped = 0
    paragraph: list[str] = []
    in_header = seen = False

    def flush() -> None:
        # a line goes on the one before it when that one was wrapped (long) and this one does
        # not open a list item: "GRID DEAL SIGNED" stays a heading over its wrapped paragraph
        runs: list[list[str]] = []
        for line in paragraph:
            if runs and len(runs[-1][-1]) >= WRAPPED and not LIST_ITEM.match(line):
                runs[-1].append(line)
            else:
                runs.append([line])
        blocks.extend(("body", " ".join(run)) for run in runs)
        paragraph.clear()

    for at, line in enumerate(lines):
        if line == SIGNATURE.rstrip():      # lines are read without their trailing space
            dropped += sum(len(rest) for rest in lines[at:])
            break
        if opens_forward(at):
            flush()
            in_header = seen = True
            dropped += len(line)
            continue
        if in_header:
            if HEADER_LINE.match(line):
                dropped += len(line)
                continue
            if line.strip():
                in_header = False     # the forwarded message's own text: still a forward (seen)
            else:
                continue
        if not line.strip():
            flush()
            continue
        if furniture.fullmatch(" ".join(line.split())):
            dropped += len(line)
            continue
        paragraph.append(line.strip())
    flush()
    joined, hints = join_blocks(blocks, subject)
    if not joined.strip():
        raise ReadError("holds no text (its plain-text part is empty)", SAVE_AGAIN)
    return Reading(joined, Format.EML, "plain text", hints=hints, structured=False, dropped_chars=dropped,
                   titled=bool(subject) or None), seen
