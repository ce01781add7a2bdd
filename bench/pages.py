"""Pages per section of a built briefing, read from the PDF's own outline (bookmarks).

    python bench/pages.py output/briefing.pdf [more.pdf ...]

Each top-level bookmark (one per section, the cover first) points at a page and a height on
it. A section runs from there to where the next one starts. Two measures per section:
- `pages`: the pages it appears on (a section that starts mid-page shares that page with the
  one before it, so the sum over sections can exceed the page count);
- `length`: how much paper it fills, in pages: the share of the first page below its start,
  whole pages after, and the share of the last page above the next section's start. The
  printable height of a page is taken from the outline itself (the highest bookmark on a page
  of that size marks the top margin; the bottom margin is taken as equal).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def section_pages(pdf: Path) -> list[dict]:
    """[{title, first, last, pages, length}] in reading order; pages are 1-based."""
    from pypdf import PdfReader

    reader = PdfReader(Path(pdf))
    heights = [float(p.mediabox.height) for p in reader.pages]
    marks = []
    for item in reader.outline:
        if isinstance(item, list):          # the children of the entry before
            continue
        page = reader.get_destination_page_number(item)
        top = item.get("/Top")
        marks.append((str(item.title), page, float(top) if top is not None else heights[page]))
    marks.sort(key=lambda m: (m[1], -m[2]))
    content_top: dict[float, float] = {}
    for _, page, top in marks:
        content_top[heights[page]] = max(content_top.get(heights[page], 0.0), top)

    def usable(page: int) -> tuple[float, float]:
        """(top, bottom) of the printable area of a page."""
        h = heights[page]
        top = content_top.get(h, h)
        return top, h - top

    def at_top(page: int, y: float) -> bool:
        top, bottom = usable(page)
        return y >= top - 0.02 * (top - bottom)

    out = []
    for i, (title, page, y) in enumerate(marks):
        if i + 1 < len(marks):
            _, next_page, next_y = marks[i + 1]
            last = next_page - 1 if at_top(next_page, next_y) and next_page > page else next_page
        else:
            next_page, next_y, last = len(heights), 0.0, len(heights) - 1
        length = 0.0
        for p in range(page, last + 1):
            top, bottom = usable(p)
            start = min(y, top) if p == page else top
            end = next_y if (p == next_page and i + 1 < len(marks)) else bottom
            length += max(0.0, start - max(end, bottom)) / (top - bottom)
        out.append({"title": title, "first": page + 1, "last": last + 1, "pages": last - page + 1,
                    "length": round(length, 2)})
    return out


def pages_per_section(pdf: Path) -> dict[str, int]:
    """{section title: pages it appears on}, in reading order (the cover first)."""
    return {s["title"]: s["pages"] for s in section_pages(pdf)}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in [a for a in args if not a.startswith("--")] or ["output/briefing.pdf"]:
        rows = section_pages(Path(path))
        if "--json" in args:
            print(json.dumps({"pdf": path, "sections": rows}))
            continue
        print(path)
        for s in rows:
            print(f"  {s['first']:3d}-{s['last']:<3d} {s['pages']:3d} pages  {s['length']:5.2f} filled  {s['title']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
