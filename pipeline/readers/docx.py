"""Word documents (.docx): paragraphs by python-docx, headings from the paragraph styles.

Title and author come from the document's core properties where set; tables are read row by
row. Older .doc files are a different (binary) format and are refused with what to do.
"""

from __future__ import annotations

import io
from pathlib import Path

from pipeline.readers import ReadError, Reading, join_blocks, version


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
    blocks: list[tuple[str, str]] = []
    title = ""
    for par in document.paragraphs:
        style = (par.style.name if par.style is not None else "").lower()
        text = par.text
        if not text.strip():
            continue
        if style == "title" and not title:
            title = text
            continue
        blocks.append(("heading" if style.startswith("heading") else "body", text))
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            blocks.append(("body", " | ".join(dict.fromkeys(c for c in cells if c))))
    props = document.core_properties
    title = title or (props.title or "").strip()
    text, hints = join_blocks(blocks, title)
    meta = {"title": title, "author": (props.author or "").strip()}
    return Reading(text, "docx", version("python-docx"), {k: v for k, v in meta.items() if v}, hints,
                   structured=True, titled=bool(title) or None)
