"""Cut the briefing's HTML into parts that WeasyPrint can lay out separately.

Layout is most of a build's time, so each part is laid out on its own: in parallel on a cold
build, and only when its HTML changed on a rebuild. The template marks where parts start with
`<!--part-->` at the top level of <body>; whatever comes before the first marker (the head,
the draft band, the running-header carrier) is repeated in every part. A template without
markers is one part, which is still correct, only slower.

Source text cannot forge a marker or a link: the template autoescapes every value, so `<`
and `"` from a source never reach this module as markup.

Two things cross parts and are settled after layout: links to an element in another part
(rewritten to `xref:ID` here, turned back into PDF destinations by render/join.py), and page
numbers in the contents (`<a class="page-ref" href="#ID">`, filled into `data-page`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MARKER = "<!--part-->"
XREF = "xref:"
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')
_PAGE_REF = re.compile(r'<a class="page-ref"( data-page="[^"]*")? href="(#|xref:)([^"]+)"')
PLACEHOLDER = "00"   # as wide as a two-digit page number, so a part's page count does not move


@dataclass(frozen=True)
class Part:
    index: int
    html: str            # a complete document: the shared head and prefix, then this part

    @property
    def key(self) -> str:
        return hashlib.sha256(self.html.encode()).hexdigest()[:20]

    @property
    def page_refs(self) -> list[str]:
        """Ids whose page numbers this part prints (its contents list)."""
        return [m.group(3) for m in _PAGE_REF.finditer(self.html)]

    def with_pages(self, pages: dict[str, int] | None) -> Part:
        """This part with its page references filled in (a placeholder where not yet known)."""
        def fill(m: re.Match) -> str:
            number = str(pages[m.group(3)]) if pages and m.group(3) in pages else PLACEHOLDER
            return f'<a class="page-ref" data-page="{number}" href="{m.group(2)}{m.group(3)}"'
        return Part(self.index, _PAGE_REF.sub(fill, self.html))


def split(html: str) -> list[Part]:
    """The parts of a briefing, each a full HTML document, links to other parts as xref:."""
    if MARKER not in html:
        return [Part(0, html)]
    prefix, *bodies = html.split(MARKER)
    close = "</body>"
    last = bodies[-1]
    cut = last.rfind(close)
    suffix = last[cut:] if cut >= 0 else ""
    bodies[-1] = last[:cut] if cut >= 0 else last
    shared = set(_ID.findall(prefix))
    parts = []
    for i, body in enumerate(bodies):
        own = shared | set(_ID.findall(body))
        body = _HREF.sub(lambda m, own=own: m.group(0) if m.group(1) in own else f'href="{XREF}{m.group(1)}"', body)
        parts.append(Part(i, prefix + body + suffix))
    return parts
