"""What a source may inflate to, checked before it is inflated.

The size limit in briefing.yaml (`max_source_mb`) is about memory, so it applies to what a file
expands to, not only to its bytes on disk: a 4 MB .docx whose XML inflates to 1 GB, or a PDF
whose content streams are zip bombs, is refused with exit 2 before anything is inflated. The
sizes are read from the zip directory (Python's zipfile never returns more than a member's
declared size) or counted by inflating in small chunks that are thrown away.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

from pipeline.readers import ReadError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
FIX = "split it into smaller files, save the text as .txt, or raise max_source_mb in inputs/briefing.yaml"


def over_limit(what: str, max_bytes: int) -> ReadError:
    return ReadError(f"{what}, over the {max_bytes / MB:g} MB limit (max_source_mb); nothing was inflated "
                     "past it", FIX)


def check_zip(data: bytes, max_bytes: int) -> None:
    """A zip-based document (.docx): its members' inflated sizes, from the zip's own
    directory, added up before any member is read."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return                                   # the reader says why it cannot open it
    total = sum(i.file_size for i in infos)
    if total > max_bytes:
        largest = max(infos, key=lambda i: i.file_size)
        raise over_limit(f"unzips to {total / MB:.1f} MB ({largest.filename}: "
                         f"{largest.file_size / MB:.1f} MB)", max_bytes)


def check_text(text: str, max_bytes: int) -> None:
    """The text a reader made, for formats whose text is not bounded by the file's size."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise over_limit(f"its text is {size / MB:.1f} MB", max_bytes)


def _flate_only(stream: Any) -> bool:
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    try:
        filters = stream.get_filters()
    except Exception:  # noqa: BLE001 - a broken filter entry: pdfminer reports it when it decodes
        return False
    return bool(filters) and all(f in LITERALS_FLATE_DECODE for f, _ in filters) and len(filters) == 1


def inflated_size(stream: Any, cap: int) -> int:
    """A PDF stream's decoded size, up to `cap` + 1, counted in 1 MB chunks (a flate stream),
    or its raw size (anything else). Encrypted streams are left to pdfminer (their raw bytes
    are not deflate data yet)."""
    raw = getattr(stream, "rawdata", None)
    if raw is None:
        data = getattr(stream, "data", None)
        return len(data) if data is not None else 0
    if getattr(stream, "decipher", None) or not _flate_only(stream):
        return len(raw)
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending and size <= cap:
            size += len(inflater.decompress(pending, MB))
            pending = inflater.unconsumed_tail
    except zlib.error:
        return size                              # corrupt: pdfminer inflates what it can
    return size


def check_pdf_page(page: Any, number: int, max_bytes: int) -> None:
    """One page's content streams, inflated in bounded memory before pdfminer inflates them."""
    from pdfminer.pdftypes import resolve1

    total = 0
    for ref in page.page_obj.contents or []:
        stream = resolve1(ref)
        total += inflated_size(stream, max_bytes - total)
        if total > max_bytes:
            raise over_limit(f"page {number} inflates to more than {max_bytes / MB:g} MB", max_bytes)
