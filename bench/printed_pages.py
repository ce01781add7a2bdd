"""News pages printed to PDF from a browser, read as the pipeline reads them, against the same
pages saved as HTML (issue 20: "Save as PDF" must not bring the page's furniture into the body).

Pages of the public article-extraction benchmark (see bench/article_extraction.py for where
it is looked for) are printed with headless Chromium's own "Save as PDF" (Page.printToPDF
with the browser's header and footer: print date and time, title, URL, page n/m). Only the
page's own HTML is served (from memory, under its real URL); its stylesheets, scripts and
images are refused, so nothing is fetched and the print shows everything the markup holds
(menus and banners a stylesheet would hide included: harder than a real print). Each page is
then read twice through the pipeline (discovery, reader, ingest): as the saved HTML and as
the printed PDF; the body and sidebar passages of each are scored against the page's
`articleBody` (the benchmark's 4-token shingle measure). Printed below: mean body precision
and recall of both, the pages where the PDF's precision is lowest against the HTML's, and how
each PDF was dated (never by the print date).

    .venv/bin/python bench/printed_pages.py --pages 40     # `make eval` runs this
    .venv/bin/python bench/printed_pages.py --fresh         # print every page again

The prints are kept in .cache/printed-pages/ (--keep elsewhere) and read again from there on
the next run (printing is most of the time: ~4 minutes on 2 cores the first time, ~2 after),
so a change to the reader is measured on the same prints; a page that did not print is
remembered there too and not tried again (--fresh tries everything again).

The page's inline scripts are not run (cut off from their servers, some never let the print
finish); each page gets a fresh browser and --timeout seconds, and a page that does not print
in time is counted and left out of both readings (Chromium hangs on some real pages, from its
own command line too). Skips (exit 0) without the benchmark
or without Chromium. Numbers go to bench/printed_pages.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from article_extraction import locate, precision, recall, tp_fp_fn, unpack  # noqa: E402

PRINTED_SHARE = 0.5


def bodies(folder: Path) -> tuple[dict[str, str], dict[str, dict]]:
    from pipeline.ingest import ingest
    from pipeline.inputs import Lexicon, load_sources, load_yaml_model
    lexicon = load_yaml_model(REPO / "inputs" / "codebook" / "lexicon.yaml", Lexicon).model
    problems: list = []
    sources, _ = load_sources(folder, 50 * 1024 * 1024, problems, [], None)
    for p in problems:
        print(f"  refused: {p.path}: {p.message}", file=sys.stderr)
    src, passages, _ = ingest(sources, lexicon)
    kept = passages[passages["kind"].isin(["body", "sidebar"])]
    texts = kept.groupby("source_id")["text"].apply("\n".join).to_dict()
    meta = {r["source_id"]: r for r in src.to_dict("records")}
    return texts, meta


def all_text(pdf: bytes) -> str:
    """Every character the print holds (pdfplumber, no reading order): what any reader of it
    could find. Where this misses most of the article, the page printed blank or without its
    article (its body is drawn by scripts or hidden by a stylesheet), which no reader fixes."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def summary(rows: list[dict], label: str) -> dict:
    if not rows:
        return {"pages": 0}
    mean = {f: statistics.mean(r[f] for r in rows) for f in ("p_html", "r_html", "p_pdf", "r_pdf")}
    gap = mean["p_html"] - mean["p_pdf"]
    print(f"  {label} ({len(rows)} pages):")
    print(f"    body precision  HTML {mean['p_html']:.3f}  PDF {mean['p_pdf']:.3f}  (gap {gap:+.3f}, goal <= 0.05)")
    print(f"    body recall     HTML {mean['r_html']:.3f}  PDF {mean['r_pdf']:.3f}")
    return {"pages": len(rows), **mean, "gap": gap}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=40, help="how many pages (the first N by key)")
    ap.add_argument("--timeout", type=float, default=20, help="seconds a page may take to print")
    ap.add_argument("--keep", type=Path, default=REPO / ".cache" / "printed-pages",
                    help="where the prints are kept and read again from (default .cache/printed-pages)")
    ap.add_argument("--fresh", action="store_true", help="print every page again")
    args = ap.parse_args()
    args.reuse = None if args.fresh else args.keep
    where = locate()
    from tests.browser import Browser, executable

    if where is None or executable() is None:
        print("printed pages: benchmark or Chromium not found: skipped")
        return 0
    failed: list[str] = []
    printed_text: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="printed-") as tmp:
        base = unpack(where, Path(tmp) / "bench")
        truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
        keys = sorted(truth)[: args.pages]
        html_dir, pdf_dir = Path(tmp) / "html", Path(tmp) / "pdf"
        for d in (html_dir, pdf_dir):
            (d / "sources").mkdir(parents=True)
        for k in keys:
            data = gzip.decompress((base / "html" / f"{k}.html.gz").read_bytes())
            # One browser per page: a page whose print never finishes (Chromium hangs on some
            # real pages, from its command line too) costs its timeout, not the run.
            kept = args.reuse / f"{k[:12]}.pdf" if args.reuse else None
            if kept is not None and kept.is_file():
                pdf = kept.read_bytes()
            elif kept is not None and kept.with_suffix(".failed").is_file():
                failed.append(k)
                continue
            else:
                try:
                    with Browser(executable(), timeout=args.timeout) as browser:
                        pdf = browser.print_pdf(data, truth[k]["url"], scripts=False)
                except (TimeoutError, RuntimeError) as exc:
                    failed.append(k)
                    print(f"  not printed: {k[:12]} ({exc})", file=sys.stderr)
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"{k[:12]}.failed").write_text(f"{exc}\n")
                    continue
            (html_dir / "sources" / f"p{k[:20]}.html").write_bytes(data)
            (pdf_dir / "sources" / f"p{k[:20]}.pdf").write_bytes(pdf)
            printed_text[f"p{k[:20]}"] = all_text(pdf)
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / f"{k[:12]}.pdf").write_bytes(pdf)
        keys = [k for k in keys if k not in failed]
        html_text, html_meta = bodies(html_dir)
        pdf_text, pdf_meta = bodies(pdf_dir)
    rows = []
    for k in keys:
        sid = f"p{k[:20]}"
        gold = truth[k].get("articleBody", "")
        h, p = tp_fp_fn(gold, html_text.get(sid, "")), tp_fp_fn(gold, pdf_text.get(sid, ""))
        raw = tp_fp_fn(gold, printed_text.get(sid, ""))
        m = pdf_meta.get(sid, {})
        rows.append({"page": k, "url": truth[k]["url"], "p_html": precision(*h), "r_html": recall(*h),
                     "p_pdf": precision(*p), "r_pdf": recall(*p), "r_print": recall(*raw),
                     "published_html": html_meta.get(sid, {}).get("published", ""),
                     "published_pdf": m.get("published", ""), "title_pdf": m.get("title", ""),
                     "note_pdf": m.get("published_note", "")})
    print(f"printed pages: {len(rows)} benchmark pages printed by Chromium, read as PDF and as HTML "
          f"({len(failed)} more not printed within {args.timeout:g} s; prints kept in {args.keep})")
    whole = [r for r in rows if r["r_print"] >= PRINTED_SHARE]
    everything = summary(rows, "all printed pages")
    held = summary(whole, f"pages whose print holds the article (>= {PRINTED_SHARE:.0%} of it in the PDF's text)")
    dated = sum(bool(r["published_pdf"]) for r in rows)
    same = sum(r["published_pdf"] == r["published_html"] for r in rows if r["published_pdf"])
    print(f"  PDFs dated: {dated} (same date as the HTML reading: {same}); never the print date")
    print("  lowest PDF precision against the HTML's, article printed (pdf / html):")
    for r in sorted(whole, key=lambda r: r["p_pdf"] - r["p_html"])[:8]:
        print(f"    {r['page'][:12]}  {r['p_pdf']:.3f} / {r['p_html']:.3f}  "
              f"r {r['r_pdf']:.3f} / {r['r_html']:.3f}  {r['url'][:60]}")
    out = {"pages": len(rows), "not_printed": failed, "all": everything, "article_printed": held,
           "dated": dated, "same_date": same, "rows": rows}
    (REPO / "bench" / "printed_pages.json").write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    raise SystemExit(main())
