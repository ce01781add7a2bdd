"""The review tests' project: the tiny project (tests/bad_inputs/_tiny) plus the wire story in
tests/review_session/, built in-process on a shared render host, and readers for what each
review step must change: the tables, the worksheet, the HTML and the PDF text."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tests.conftest import make_project

HERE = Path(__file__).parent
SESSION = HERE / "review_session"
TINY = HERE / "bad_inputs" / "_tiny" / "inputs"
WIRE = "wire-harbour"


def make_review_project(dest: Path) -> Path:
    root = make_project(dest, inputs=TINY)
    for name in (f"{WIRE}.txt", f"{WIRE}.yaml"):
        shutil.copy(SESSION / name, root / "inputs" / "sources" / name)
    for book in ("plans", "places", "provisions"):
        path = root / "inputs" / "codebook" / f"{book}.yaml"
        path.write_text(path.read_text() + (SESSION / f"{book}-extra.yaml").read_text())
    return root


@dataclass
class Built:
    root: Path
    tables: dict[str, pd.DataFrame]
    html: str

    def sheet(self, sid: str = WIRE) -> dict[str, Any]:
        return yaml.safe_load((self.root / "output" / "review" / f"{sid}.yaml").read_text())

    def sheet_text(self, sid: str = WIRE) -> str:
        return (self.root / "output" / "review" / f"{sid}.yaml").read_text()

    @cached_property
    def pdf_text(self) -> str:
        """The PDF's text as pdftotext gives it, whitespace collapsed."""
        import pdfplumber

        with pdfplumber.open(self.root / "output" / "briefing.pdf") as pdf:
            return " ".join(" ".join((page.extract_text() or "") for page in pdf.pages).split())

    @cached_property
    def pdf_matrix(self) -> dict[tuple[str, str], str]:
        """The PDF's plan-version matrix as {(provision, plan name): cell text}, read by
        pdfplumber's table finder (the cells wrap, so page text would interleave them)."""
        import pdfplumber

        out = {}
        with pdfplumber.open(self.root / "output" / "briefing.pdf") as pdf:
            for page in pdf.pages:
                for table in page.extract_tables():
                    if table and table[0] and table[0][0] == "Provision":
                        plans = [(c or "").split("\n")[0] for c in table[0][1:]]
                        for row in table[1:]:
                            for plan, cell in zip(plans, row[1:], strict=True):
                                out[(" ".join((row[0] or "").split()), plan)] = " ".join((cell or "").split())
        return out

    def row(self, table: str, key: str, value: str) -> dict[str, str]:
        rows = self.tables[table][self.tables[table][key] == value].to_dict("records")
        assert len(rows) == 1, f"{table}.csv: {len(rows)} rows with {key} = {value!r}"
        return rows[0]

    def chronology_row(self, title: str) -> str:
        """The HTML of the chronology row whose event title starts with `title`."""
        rows = [r for r in re.findall(r'<tr class="(?:reviewed|unreviewed)">.*?</tr>', self.html, re.S)
                if f'<td>{_esc(title)}' in r]
        assert len(rows) == 1, f"{len(rows)} chronology rows titled {title!r}"
        return rows[0]


def _esc(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def copy_built(base: Built, dest: Path, cache: bool = False) -> Path:
    """A copy of a built project to edit (with `cache`, also its stage and page caches)."""
    for name in ("inputs", "templates", "output", *((".cache",) if cache else ())):
        shutil.copytree(base.root / name, dest / name)
    return dest


def build_project(root: Path, host: Any) -> Built:
    from pipeline.build import build

    build(root, host=host)
    tables = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
              for p in sorted((root / "output" / "tables").glob("*.csv"))}
    return Built(root, tables, (root / "output" / "briefing.html").read_text())


def item(sheet: dict[str, Any], key: str, quote_start: str) -> dict[str, Any]:
    """The worksheet item whose quote starts with these words (ids are the machine's business)."""
    found = [i for i in sheet[key] if i["quotes"] and i["quotes"][0].startswith(quote_start)]
    assert len(found) == 1, f"{len(found)} {key} items quoting {quote_start!r}"
    return found[0]


def annotate(root: Path, sid: str, edit: Any) -> None:
    """Change inputs/annotations/<sid>.yaml (created if missing) with `edit(doc)`."""
    path = root / "inputs" / "annotations" / f"{sid}.yaml"
    doc = yaml.safe_load(path.read_text()) if path.exists() else {}
    edit(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def matrix(html: str) -> dict[tuple[str, str], str]:
    """The plan-version matrix as {(provision name, plan name): cell HTML}."""
    table = re.search(r'<table class="matrix">(.*?)</table>', html, re.S)
    if table is None:
        return {}
    plans = re.findall(r"<th>([^<]*)<div", table.group(1))
    out = {}
    for name, cells in re.findall(r'<tr><th class="m-prov" scope="row">(.*?)</th>(.*?)</tr>', table.group(1), re.S):
        for plan, cell in zip(plans, re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S), strict=True):
            out[(name, plan)] = cell
    return out
