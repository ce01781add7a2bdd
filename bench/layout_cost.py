"""Layout cost of each part of a briefing, counted rather than timed: `python bench/layout_cost.py`.

Wall and CPU times on a shared machine move by 30% from one minute to the next, which hides a
10% change to the stylesheet. This counts work instead, which repeats exactly: Python function
calls while WeasyPrint lays out and writes each part, and Pango line layouts (WeasyPrint's
`get_first_line`, where most of its C time goes). Compare two stylesheets or templates by
running it before and after a change, or give extra CSS to try without editing anything:

    python bench/layout_cost.py                       # output/briefing.html, every part
    python bench/layout_cost.py --css 'ol.notes { columns: auto }' --parts 5
    python bench/layout_cost.py --public              # without render/patches.py
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def cost(html: str, base_url: str) -> tuple[int, int, int]:
    """(Python calls, Pango line layouts, pages) to lay out and write one part."""
    import weasyprint

    profile = cProfile.Profile()
    profile.enable()
    doc = weasyprint.HTML(string=html, base_url=base_url).render()
    doc.write_pdf()
    profile.disable()
    stats = pstats.Stats(profile)
    lines = sum(v[1] for k, v in stats.stats.items() if k[2] == "get_first_line")  # type: ignore[attr-defined]
    return stats.total_calls, lines, len(doc.pages)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("html", nargs="?", type=Path, default=REPO / "output" / "briefing.html")
    p.add_argument("--templates", type=Path, default=REPO / "templates")
    p.add_argument("--css", default="", help="extra CSS appended to the head of every part")
    p.add_argument("--parts", default="", help="part numbers to measure, e.g. 3,5 (default: all)")
    p.add_argument("--public", action="store_true", help="without render/patches.py (WeasyPrint's own layout)")
    args = p.parse_args(argv)
    if not args.html.exists():
        raise SystemExit(f"{args.html} not found: run `make` first, or give an HTML file")
    import weasyprint

    from pipeline.render import patches
    from pipeline.render.parts import split

    if not args.public:
        patches.apply()     # lay out as the renderer does (render/patches.py)

    base = args.templates.resolve().as_uri() + "/"
    parts = split(args.html.read_text(encoding="utf-8"))
    wanted = {int(n) for n in args.parts.split(",") if n} or {part.index for part in parts}
    weasyprint.HTML(string=parts[0].with_pages({}).html, base_url=base).render().write_pdf()  # first-use costs
    total = [0, 0, 0]
    print(f"{'part':>4} {'calls':>10} {'Pango lines':>12} {'pages':>6}")
    for part in parts:
        if part.index not in wanted:
            continue
        html = part.with_pages({}).html
        if args.css:
            html = html.replace("</head>", f"<style>{args.css}</style></head>", 1)
        row = cost(html, base)
        total = [a + b for a, b in zip(total, row, strict=True)]
        print(f"{part.index:>4} {row[0]:>10,} {row[1]:>12,} {row[2]:>6}")
    print(f"{'all':>4} {total[0]:>10,} {total[1]:>12,} {total[2]:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
