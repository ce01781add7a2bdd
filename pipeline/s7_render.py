"""Stage 7, render: the packed view → HTML (Jinja2, autoescaped) → PDF (WeasyPrint).

Source text is data: every value is escaped, and the URL fetcher serves files under
`templates/` only, so nothing in a source, annotation or stylesheet can make the renderer read
a local file elsewhere or reach the network. A blocked fetch fails the build (exit 2).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import jinja2

from pipeline.errors import InputError, Problem, display_path


def html_env(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def check_templates(templates: Path) -> None:
    """Refuse links under templates/ that lead outside it, before anything reads them.

    Jinja's loader and the hash of the templates would otherwise follow such a link, so
    `templates/notes.txt -> /etc/passwd` could be {% include %}d into the briefing."""
    root = templates.resolve()
    problems = []
    for folder, dirs, files in os.walk(templates):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(Problem(display_path(path), None,
                                        f"is a link to {path.resolve()}, outside templates/",
                                        "copy the file into templates/ instead of linking to it"))
    if problems:
        raise InputError(problems)


def render_html(view: dict, templates: Path) -> str:
    check_templates(templates)
    try:
        return html_env(templates).get_template("briefing.html.j2").render(**view)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        name = getattr(exc, "filename", None) or "templates/briefing.html.j2"
        raise InputError(Problem(name, line, f"template error: {exc}",
                                 "fix the template (see README, 'Templates')")) from None


def _fetcher(templates: Path, blocked: list[str]):  # noqa: ANN202 - WeasyPrint's own type
    import weasyprint

    root = templates.resolve()

    class TemplatesOnly(weasyprint.URLFetcher):
        """Serves files under templates/ and refuses everything else."""

        def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return weasyprint.urls.URLFetcherResponse(url, body=path.read_bytes(),
                                                         headers={"Content-Type": _mime(path)})
            blocked.append(url)
            raise weasyprint.urls.FatalURLFetchingError(f"blocked: {url}")

    return TemplatesOnly()


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
            ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}.get(path.suffix, "application/octet-stream")


def render_pdf(html: str, templates: Path, attachments: list[tuple[str, str]], meta: dict) -> tuple[bytes, int]:
    import weasyprint

    blocked: list[str] = []
    fetcher = _fetcher(templates, blocked)
    try:
        doc = weasyprint.HTML(string=html, base_url=templates.resolve().as_uri() + "/",
                              url_fetcher=fetcher)
        files = [weasyprint.Attachment(string=data, base_url=templates.resolve().as_uri() + "/",
                                       url_fetcher=fetcher, name=name, description=name,
                                       created=meta["created"], modified=meta["created"])
                 for name, data in attachments]
        rendered = doc.render()
        pdf = rendered.write_pdf(attachments=files, pdf_identifier=meta["identifier"].encode(),
                                 pdf_variant=meta.get("variant"))
    except weasyprint.urls.FatalURLFetchingError:
        if not blocked:
            raise
    if blocked:   # a refused fetch fails the build even where WeasyPrint only logged it
        raise InputError(Problem("templates/", None,
                                 f"rendering tried to fetch {blocked[0]}, outside templates/",
                                 "templates may only use files under templates/ (no remote or "
                                 "absolute URLs)"))
    return pdf, len(rendered.pages)
