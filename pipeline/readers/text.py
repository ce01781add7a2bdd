"""Plain text (.txt): the file as written, UTF-8, with \\r\\n as \\n. Headings are guessed by
ingest (a short unpunctuated line over text), as every plain-text export shows them."""

from __future__ import annotations

from pathlib import Path

from pipeline.readers import ReadError, Reading


def decode(data: bytes, what: str = "text") -> str:
    """UTF-8 text with \\r\\n as \\n; binary or mis-encoded bytes are a user error with the line.
    A leading UTF-8 byte-order mark is an encoding marker, not text: it never reaches a title."""
    utf16 = _utf16(data)
    if utf16:
        raise ReadError(f"the file is {utf16} text (what Windows calls 'Unicode'), not UTF-8",
                        "re-save it as UTF-8 (Notepad: File > Save as, Encoding: UTF-8; or "
                        "iconv -f UTF-16 -t UTF-8 old.txt > new.txt)")
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
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _utf16(data: bytes) -> str:
    """'UTF-16' (with its byte-order mark, or NUL bytes in every other place, as ASCII text
    saved as UTF-16 has), else ''."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = data[:400]
    if len(head) < 4:
        return ""
    even, odd = head[0::2], head[1::2]
    for zeros, other, name in ((odd, even, "UTF-16 (little-endian)"), (even, odd, "UTF-16 (big-endian)")):
        if zeros.count(0) >= 0.7 * len(zeros) and other.count(0) <= 0.1 * len(other):
            return name
    return ""


def read(path: Path, data: bytes) -> Reading:
    return Reading(decode(data), "txt", "UTF-8 text as written")
