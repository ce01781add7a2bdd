"""The seed briefing as a reader sees it: page images against committed references, and the PDF's
document features (metadata, outline, attachments, PDF/A identification, fonts, page furniture).

The references are small greyscale PNGs under tests/golden/ (one per page). After a change that
is meant to alter the pages, look at the new pages and then rewrite the references with
`make update-golden` (pytest tests/test_visual.py --update-golden).
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
SCALE = 0.4            # 72 dpi × 0.4 ≈ 29 dpi: enough to see layout, small enough to commit
MAX_MEAN_DIFF = 1.5    # mean absolute grey-level difference (0–255) allowed per page
DIFF_DIR_NAME = "visual-diff"


def _pages(pdf: Path) -> list:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=SCALE).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def _mean_diff(a, b) -> float:  # noqa: ANN001 - PIL images
    import numpy as np

    return float(np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16)).mean())


@pytest.fixture(scope="module")
def pdf(seed: Path) -> Path:
    return seed / "output" / "briefing.pdf"


def test_pages_match_references(pdf: Path, request: pytest.FixtureRequest,
                                tmp_path_factory: pytest.TempPathFactory) -> None:
    from PIL import Image, ImageChops

    pages = _pages(pdf)
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("page-*.png"):
            old.unlink()
        for i, page in enumerate(pages, start=1):
            page.save(GOLDEN / f"page-{i:02d}.png", optimize=True)
        return
    refs = sorted(GOLDEN.glob("page-*.png"))
    assert refs, "no reference pages in tests/golden/: run `make update-golden` and commit them"
    out = tmp_path_factory.mktemp(DIFF_DIR_NAME)
    problems = []
    if len(pages) != len(refs):
        problems.append(f"{len(pages)} pages, references have {len(refs)}")
    for i, (page, ref_path) in enumerate(zip(pages, refs, strict=False), start=1):
        with Image.open(ref_path) as ref_file:
            ref = ref_file.convert("L")
        if page.size != ref.size:
            problems.append(f"page {i}: size {page.size}, reference {ref.size}")
            continue
        diff = _mean_diff(page, ref)
        if diff > MAX_MEAN_DIFF:
            problems.append(f"page {i}: mean difference {diff:.2f} > {MAX_MEAN_DIFF}")
            page.save(out / f"page-{i:02d}-actual.png")
            ImageChops.invert(ImageChops.difference(page, ref)).save(out / f"page-{i:02d}-diff.png")
    assert not problems, ("pages differ from tests/golden/ (actual and diff images in "
                          f"{out}); if the change is intended, run `make update-golden`:\n"
                          + "\n".join(problems))


def test_references_stay_small() -> None:
    refs = list(GOLDEN.glob("page-*.png"))
    assert sum(p.stat().st_size for p in refs) < 1_500_000


def test_metadata_outline_and_attachments(seed: Path, pdf: Path) -> None:
    import yaml
    from pypdf import PdfReader

    brief = yaml.safe_load((seed / "inputs" / "briefing.yaml").read_text())
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta.title == brief["title"]
    assert meta.author == brief["author"]
    assert meta.subject == brief["subtitle"]
    assert "28-point plan" in meta["/Keywords"]
    day = str(brief["date"]).replace("-", "")
    assert meta["/CreationDate"].startswith(f"D:{day}") and meta["/ModDate"].startswith(f"D:{day}")

    def titles(items: list) -> list[str]:
        out: list[str] = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [item.title])
        return out

    outline = titles(reader.outline)
    for heading in ("Cover", "Contents", "Key points", "Chronology", "Plan-version matrix",
                    "How the analyses compare", "Who's who", "Source notes", "Appendix: sources"):
        assert heading in outline, heading
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Chronology" in top and "Did the Anchorage summit produce real understandings?" not in top

    attached = reader.attachments
    for name in ("sources", "passages", "notes", "actors", "mentions", "events", "plans",
                 "plan_terms", "positions"):
        assert f"{name}.csv" in attached, name
    events = attached["events.csv"][0].decode()
    assert events.startswith("event_id,") and "anchorage-summit" in events

    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in raw or 'pdfaid:part="3"' in raw
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in raw or 'pdfaid:conformance="B"' in raw
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_fonts_are_the_bundled_ones_and_embedded(pdf: Path) -> None:
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert fonts and all(f.startswith("Briefing-") for f in fonts), fonts


def test_furniture_landscape_matrix_and_draft_band(seed: Path, pdf: Path) -> None:
    import yaml
    from pypdf import PdfReader

    marking = yaml.safe_load((seed / "inputs" / "briefing.yaml").read_text())["marking"]
    reader = PdfReader(pdf)
    draft = "Draft: contains" in (reader.pages[0].extract_text() or "")   # the cover's flag
    landscape = []
    for i, page in enumerate(reader.pages, start=1):
        text = " ".join((page.extract_text() or "").split())
        assert text.count(marking) >= 2, f"page {i}: marking in header and footer"
        band = "DRAFT: CONTAINS UNREVIEWED MACHINE EXTRACTIONS" in text
        assert band == draft, f"page {i}: draft band {'missing' if draft else 'shown'}"
        assert f"Page {i} of {len(reader.pages)}" in text, f"page {i}: page number"
        box = page.mediabox
        if box.width > box.height:
            landscape.append(i)
            assert "Provision" in text, f"page {i}: matrix header not repeated"
    assert landscape and landscape == list(range(landscape[0], landscape[-1] + 1))
    first = " ".join((reader.pages[landscape[0] - 1].extract_text() or "").split())
    assert "Plan-version matrix" in first
