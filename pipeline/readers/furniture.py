"""The words a news site puts around an article (web_furniture.yaml), compiled once: the PDF
reader tells a printed page's article from its furniture by them, and the HTML reader finds
the site's name in its copyright line."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

FURNITURE_FILE = Path(__file__).with_name("web_furniture.yaml")


@functools.cache
def web_furniture() -> dict[str, re.Pattern]:
    """The furniture vocabulary (web_furniture.yaml), one pattern per section, matched against
    a whole paragraph (`lists`, `lines`, `bylines`) or its beginning (`ends`, `author`), or
    searched for (`owner`, see html.title_site); e-mail's `forwarded` subjects and
    `forward_lines` (readers/mail.py) from their beginning, its `mail_lines` whole; `author` as
    written, the others in any case."""
    data = yaml.safe_load(FURNITURE_FILE.read_text(encoding="utf-8"))
    return {section: re.compile("(?:" + "|".join(f"(?:{p})" for p in data[section]) + ")",
                                0 if section == "author" else re.I)
            for section in ("lists", "ends", "lines", "bylines", "author", "owner", "forwarded",
                            "forward_lines", "forward_rules", "forward_senders", "mail_lines")}


@functools.cache
def mail_furniture() -> re.Pattern:
    """What an e-mail reading leaves out, paragraph by paragraph: the `lines` of a web page and
    the newsletter's own (`mail_lines`), matched whole."""
    words = web_furniture()
    return re.compile(f"(?:{words['lines'].pattern})|(?:{words['mail_lines'].pattern})", re.I)
