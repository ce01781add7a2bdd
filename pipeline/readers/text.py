"""Plain text (.txt): the file as written, UTF-8, with \\r\\n as \\n. Headings are guessed by
ingest (a short unpunctuated line over text), as every plain-text export shows them."""

from __future__ import annotations

from pathlib import Path

from pipeline.readers import ReadError, Reading
from pipeline.vocab import Format


def decode(data: bytes, what: str = "text") -> str:
    """UTF-8 text with \\r\\n as \\n; binary or mis-encoded bytes are a user error with the line."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ReadError(f"file contains NUL bytes: it looks binary, not {what}",
                        "save it as UTF-8 plain text", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                        "re-save the file as UTF-8", line) from None
    return text.replace("\r\n", "\n")


def read(path: Path, data: bytes) -> Reading:
    return Reading(decode(data), Format.TXT, "UTF-8 text as written")
