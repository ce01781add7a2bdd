"""Generators of heavy and hostile input files, written at test time (never committed).

Each returns bytes (or writes a file in bounded memory) shaped like what the security pass
fed the pipeline: a long text PDF, a .docx whose XML inflates far past its zipped size, a YAML
alias bomb, a UTF-16 text file, and so on. Deterministic: the same arguments, the same bytes.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from pathlib import Path

WORDS = ("the delegation said talks on the framework would resume after the ceasefire line was "
         "mapped and the monitors agreed a schedule for the exchange of prisoners").split()


def sentence(i: int, words: int = 14) -> str:
    """A plain, varied line of text (numbers keep lines distinct, so nothing looks repeated)."""
    picked = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(words)]
    return f"Item {i}: " + " ".join(picked) + "."


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def text_pdf(pages: int, lines: int = 40, broken: tuple[int, ...] = ()) -> bytes:
    """A text PDF of `pages` pages, `lines` lines of Helvetica each (a long report's shape).
    Pages numbered in `broken` (1-based) get a content stream that is not a content stream."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for page in range(1, pages + 1):
        if page in broken:
            content = b"BT /F1 11 Tf 72 720 Td (" + b"\x00\xff(((" * 40 + b" ET q q q [[[ <<< /F9 Tf"
        else:
            rows = [f"BT /F1 11 Tf 72 {760 - 16 * k} Td ({sentence(page * 100 + k)}) Tj ET"
                    for k in range(lines)]
            content = "\n".join(rows).encode("latin-1")
        objects.append(_stream(content))
        content_ref = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_ref} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>".encode()
    return _pdf(objects)


DOCX_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              b'<Default Extension="xml" ContentType="application/xml"/>'
              b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
              b'officedocument.wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
DOCX_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
DOCX_TAIL = b"</w:body></w:document>"


def _para(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def write_docx(path: Path, paragraphs: int = 3, *, inflated_mb: float = 0, node_mb: float = 0,
               body: bytes | None = None) -> Path:
    """A .docx written in bounded memory. `inflated_mb`: that much repeated paragraph XML
    (a zip bomb's shape: it deflates about 1000 to 1); `node_mb`: one text node that long;
    `body`: raw XML for the body (malformed on purpose, say)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", DOCX_TYPES)
        z.writestr("_rels/.rels", DOCX_RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as doc:
            doc.write(DOCX_HEAD)
            if body is not None:
                doc.write(body)
            for i in range(paragraphs):
                doc.write(_para(sentence(i)))
            if node_mb:
                chunk = b"word " * 200_000
                doc.write(b"<w:p><w:r><w:t>")
                for _ in range(int(node_mb * 1024 * 1024 / len(chunk)) + 1):
                    doc.write(chunk)
                doc.write(b"</w:t></w:r></w:p>")
            block = _para(sentence(1)) * 10_000
            for _ in range(int(inflated_mb * 1024 * 1024 / len(block)) + (1 if inflated_mb else 0)):
                doc.write(block)
            doc.write(DOCX_TAIL)
    return path


def yaml_alias_bomb(string_mb: float, references: int) -> str:
    """A sidecar whose one long string is referred to `references` times."""
    big = "x" * int(string_mb * 1024 * 1024)
    refs = "\n".join("  - *big" for _ in range(references))
    return f"title: Alias bomb\nkind: news\nbig: &big {big}\nextra:\n{refs}\n"


def peak_mb_of(code: str, *, cwd: Path, timeout: float = 300) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run `code` in a fresh Python and return (its peak resident MB, wall seconds, the result).
    The child reports its own peak (VmHWM), so nothing else this test process ran counts."""
    import time

    wrapped = f"try:\n{_indent(code)}\nfinally:\n{_indent(_report())}\n"
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", wrapped], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout)
    seconds = time.perf_counter() - t0
    kb = [int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("PEAK_KB")]
    return (kb[-1] / 1024 if kb else float("nan")), seconds, result


def _report() -> str:
    # VmHWM, the peak of this process's own memory map: ru_maxrss would carry over the peak of
    # the process that forked it (a large pytest run) across exec.
    return ("import sys\n"
            "kb = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
            "print('PEAK_KB', kb[0] if kb else __import__('resource').getrusage(0).ru_maxrss, file=sys.stderr)\n")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
