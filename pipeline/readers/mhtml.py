"""Web pages saved as one file (.mhtml, .mht: a browser's "Webpage, Single File"): a MIME
archive of the page and what it shows. The page itself is read as a saved web page
(readers/html.py); the archive adds only the address it was saved from.

The archive's own `Date:` header is when the page was saved, never when it was published, so it
is not read, as a printed page's print date is not (readers/pdf.py).
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from pathlib import Path

from pipeline.readers import ReadError, Reading
from pipeline.vocab import Format

SAVE_AGAIN = "save the page again from the browser (Save as: \"Webpage, Single File\" or \"Webpage, HTML only\")"


def read(path: Path, data: bytes) -> Reading:
    from pipeline.readers import html

    archive = email.message_from_bytes(data, policy=email.policy.compat32)
    if not archive.is_multipart() and archive.get_content_type() != "text/html":
        raise ReadError("is not a web page archive (no MIME parts)", SAVE_AGAIN)
    saved_from = (archive.get("Snapshot-Content-Location") or archive.get("Content-Location") or "").strip()
    page = _page(archive, saved_from)
    if page is None:
        raise ReadError("holds no web page (no text/html part)", SAVE_AGAIN)
    reading = html.read(path, html.with_charset(page.get_payload(decode=True) or b"", page.get_content_charset()))
    meta = dict(reading.meta)
    if saved_from and not meta.get("url") and saved_from.startswith(("http://", "https://")):
        meta["url"] = saved_from
    return replace(reading, format=Format.MHTML, meta=meta,
                   extractor=f"MIME archive (Python email), {reading.extractor}")


def _page(archive: email.message.Message, saved_from: str) -> email.message.Message | None:
    """The archive's page: the text/html part saved from the archive's address, else the first
    (frames and embedded documents come after it)."""
    pages = [p for p in archive.walk() if p.get_content_type() == "text/html"]
    if not pages:
        return None
    same = [p for p in pages if (p.get("Content-Location") or "").strip() == saved_from] if saved_from else []
    return (same or pages)[0]
