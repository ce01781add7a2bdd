"""Join the separately rendered parts into one PDF/A-3b briefing.

The first part (the cover) is the starting point (pypdf's public PdfWriter(clone_from=...)):
it brings the document-level objects WeasyPrint wrote for it: the XMP metadata with the PDF/A
identification, the output intent, the attached tables, the document information, the file /ID.
Every part brings its pages; their named destinations and bookmarks are merged in page order,
and links that render/parts.py turned into `xref:ID` (targets in another part) become links to
the destination ID again. Only pypdf's public API. Nothing here lays out text or touches fonts.
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    Fit,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from pipeline.render.embed import Embedded
from pipeline.render.parts import XREF

log = logging.getLogger("pipeline")


def read(data: bytes) -> PdfReader:
    """A part's PDF, parsed. About half of a join is parsing the parts (their objects sit in
    compressed object streams), so the render host reads each part as soon as it has it,
    while other parts are still being laid out, and join() starts from these."""
    reader = PdfReader(io.BytesIO(data))
    len(reader.pages)           # loads the object stream with the pages, links and fonts
    return reader


def join(readers: list[PdfReader], attached: list[Embedded] | None = None, created: datetime | None = None) -> bytes:
    """One PDF from the parts' PDFs, in order, as read() parsed them, with the `attached` files
    (render/embed.py: already compressed), dated `created`. The file /ID is the first part's
    (WeasyPrint's: the build id, then a digest of that part, whose cover changes with every
    build id)."""
    if not readers:
        raise ValueError("no parts to join")
    first = readers[0]
    writer = PdfWriter(clone_from=first)      # the cover's catalog, information, /ID and pages
    writer.pdf_header = first.pdf_header
    page_refs: list[list] = [[page.indirect_reference for page in writer.pages]]
    for reader in readers[1:]:
        page_refs.append([writer.add_page(page).indirect_reference for page in reader.pages])

    root = writer.root_object
    if attached:     # the files and, for PDF/A-3, the catalog's list of them (/AF)
        root[NameObject("/AF")] = ArrayObject(_embed(writer, attached, created))
    names = root.get("/Names")
    names = names.get_object() if names is not None else DictionaryObject()
    dests = _destinations(readers, page_refs)
    if dests:
        flat = ArrayObject()
        for name in sorted(dests):
            flat.extend([TextStringObject(name), dests[name]])
        names[NameObject("/Dests")] = DictionaryObject({NameObject("/Names"): flat})
    elif "/Dests" in names:
        del names["/Dests"]
    if names:
        root[NameObject("/Names")] = names
    _relink(writer, set(dests))
    for reader, refs in zip(readers[1:], page_refs[1:], strict=True):
        _outline(writer, reader, reader.outline, refs, None)
    if "/Outlines" in root:
        writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


OCTETS = "/application/octet-stream"


def _embed(writer: PdfWriter, files: list[Embedded], created: datetime | None) -> list:
    """The files as PDF/A-3 associated files (as WeasyPrint writes an attachment), their streams
    as render/embed.py compressed them: references to their file specifications."""
    when = TextStringObject((created or datetime(1970, 1, 1, tzinfo=UTC)).strftime("D:%Y%m%d%H%M%SZ"))
    specs = []
    for file in files:
        attachment = writer.add_attachment(file.name, b"")
        spec = attachment.pdf_object
        stream = spec["/EF"]["/F"].get_object()
        stream.set_data(file.stream)         # a plain stream writes its bytes as they are
        stream.update({
            NameObject("/Filter"): NameObject("/FlateDecode"),
            NameObject("/Subtype"): NameObject("/text/csv" if file.name.endswith(".csv") else OCTETS),
            NameObject("/Params"): DictionaryObject({
                NameObject("/CheckSum"): ByteStringObject(file.md5), NameObject("/Size"): NumberObject(file.size),
                NameObject("/CreationDate"): when, NameObject("/ModDate"): when})})
        spec.update({NameObject("/UF"): TextStringObject(file.name), NameObject("/Desc"): TextStringObject(file.name),
                     NameObject("/AFRelationship"): NameObject("/Unspecified")})
        specs.append(spec.indirect_reference)
    return specs


def _destinations(readers: list[PdfReader], page_refs: list[list]) -> dict[str, ArrayObject]:
    """Every part's named destinations, pointing at the joined pages (first part wins a clash)."""
    dests: dict[str, ArrayObject] = {}
    for reader, refs in zip(readers, page_refs, strict=True):
        for name, dest in reader.named_destinations.items():
            number = reader.get_destination_page_number(dest)
            if number < 0 or name in dests:
                continue
            dests[name] = ArrayObject([refs[number], NameObject("/XYZ"), _num(dest.left),
                                       _num(dest.top), NumberObject(0)])
    return dests


def _num(value: object) -> FloatObject | NullObject:
    return NullObject() if value is None or isinstance(value, NullObject) else FloatObject(value)


def _relink(writer: PdfWriter, known: set[str]) -> None:
    """Links to xref:ID become links to destination ID; a link to a missing ID is dropped."""
    for page in writer.pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        kept = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if isinstance(uri, str) and uri.startswith(XREF):
                target = uri[len(XREF):]
                if target not in known:
                    log.warning("link to #%s dropped: no element has that id", target)
                    continue
                del annot[NameObject("/A")]
                annot[NameObject("/Dest")] = TextStringObject(target)
            kept.append(ref)
        page[NameObject("/Annots")] = kept


def _outline(writer: PdfWriter, reader: PdfReader, items: list, refs: list, parent: object) -> None:
    """Copy a part's bookmarks under `parent`, keeping their nesting and positions."""
    last = None
    for item in items:
        if isinstance(item, list):
            if last is not None:
                _outline(writer, reader, item, refs, last)
            continue
        number = reader.get_destination_page_number(item)
        fit = Fit.xyz(left=item.left, top=item.top, zoom=None)
        last = writer.add_outline_item(title=item.title, page_number=refs[number], parent=parent, fit=fit)
