"""Word documents (.docx): paragraphs by python-docx, headings from the paragraph styles.

Title and author come from the document's core properties where set; tables are read row by
row where they stand, their cells set apart as every reader does (TABLE_CELL). Older .doc files
are a different (binary) format and are refused with what to do.
"""

from __future__ import annotations

import io
from pathlib import Path

from pipeline.readers import TABLE_CELL, ReadError, Reading, join_blocks, version
from pipeline.vocab import Format


def read(path: Path, data: bytes) -> Reading:
    import zipfile

    import docx
    from docx.opc.exceptions import OpcError
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        # malformed XML, or a text node past libxml2's 10 MB limit (never parsed as a huge tree)
        too_long = "too long" in (exc.msg or "") or "limit" in (exc.msg or "")
        raise ReadError(f"cannot be read as a Word .docx document: its XML is "
                        f"{'too large' if too_long else 'broken'} ({exc.msg or type(exc).__name__})",
                        "split the document, or save its text as .txt" if too_long else
                        "open it in a word processor and save it as .docx again, or as PDF") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, zipfile.LargeZipFile) as exc:
        raise ReadError(f"cannot be read as a Word .docx document ({type(exc).__name__})",
                        "open it in a word processor and save it as .docx again, or as PDF") from None
    from docx.table import Table

    blocks: list[tuple[str, str]] = []
    title = ""
    # paragraphs and tables in the order they stand: a table belongs to the section it is in
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks += [("body", TABLE_CELL.join(c for c in _cells(row) if c)) for row in item.rows]
            continue
        style = (item.style.name if item.style is not None else "").lower()
        text = item.text
        if not text.strip():
            continue
        if style == "title" and not title:
            title = text
            continue
        blocks.append(("heading" if style.startswith("heading") else "body", text))
    props = document.core_properties
    title = title or (props.title or "").strip()
    text, hints = join_blocks(blocks, title)
    meta = {"title": title, "author": (props.author or "").strip()}
    return Reading(text, Format.DOCX, version("python-docx"), {k: v for k, v in meta.items() if v}, hints,
                   structured=True, titled=bool(title) or None)


def _cells(row) -> list[str]:  # noqa: ANN001 - a python-docx table row
    """A row's cells, a cell merged across columns once: python-docx gives it once per column
    it spans (`grid_span`). Two columns that say the same ("800,000 | 800,000") stay two."""
    out: list[str] = []
    skip = 0
    for cell in row.cells:
        if skip:
            skip -= 1
            continue
        skip = max(1, cell.grid_span) - 1
        out.append(cell.text.strip())
    return out

