"""PDF rendering with WeasyPrint that fetches nothing but the portal's own static files.

docs/security.md §19: the renderer must not reach the network or the file system. Templates
refer to static files with {% static %}; with BASE_URL below, those become URLs of a
fixed, fictitious origin that the fetcher maps to files found by the staticfiles
finders (or collected in STATIC_ROOT). Every other URL (network, file:, data:) is refused.
"""

import io
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A host that cannot exist (RFC 6761 .invalid): nothing is ever fetched from it.
PDF_ORIGIN = "https://portal.invalid"
BASE_URL = PDF_ORIGIN + "/"


class RefusedResource(ValueError):
    """A PDF tried to load something other than one of the portal's static files."""


def _static_roots() -> list[Path]:
    roots = [Path(path).resolve() for path in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_file_for(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of the portal static file that `url` names;
    RefusedResource for any other URL."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    if f"{parts.scheme}://{parts.netloc}" != PDF_ORIGIN or not parts.path.startswith(static_prefix):
        raise RefusedResource(f"PDF resource refused: {url[:100]!r}")
    relative = unquote(parts.path[len(static_prefix) :])
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        raise RefusedResource(f"PDF resource refused: {url[:100]!r}")
    found = finders.find(relative)
    if not found and settings.STATIC_ROOT:
        # Production serves collected, hashed names from STATIC_ROOT.
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise RefusedResource(f"No such static file: {relative[:100]!r}")
    path = Path(found).resolve()
    if not any(path.is_relative_to(root) for root in _static_roots()):
        raise RefusedResource(f"PDF resource refused: {url[:100]!r}")
    mime_type, _ = mimetypes.guess_type(path.name)
    return path.read_bytes(), mime_type or "application/octet-stream"


class StaticFilesOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher: the portal's static files, nothing else."""

    def __init__(self):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        data, mime_type = static_file_for(url)
        return URLFetcherResponse(url, body=data, headers={"Content-Type": mime_type})


def _header_scope(cell, row) -> pikepdf.Name:
    """A header cell's /Scope: a cell in the table head heads its column; a header
    cell that starts a row in the body heads that row (the GOV.UK pattern
    `<th scope="row">`); any other header cell heads its column."""
    section = row.get("/P")
    if section is not None and section.get("/S") == pikepdf.Name.THead:
        return pikepdf.Name.Column
    cells = [kid for kid in row.get("/K", []) if isinstance(kid, pikepdf.Dictionary)]
    if cells and cells[0].objgen == cell.objgen:
        return pikepdf.Name.Row
    return pikepdf.Name.Column


def _add_header_scopes(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint links data cells to their headers (/Headers) but gives header cells
    no /Scope, which PDF/UA checkers (docs/accessibility.md) ask for on every /TH."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    pending = [root]
    seen = set()
    while pending:
        node = pending.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
            continue
        if node.objgen != (0, 0):
            seen.add(node.objgen)
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            pending.extend(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            pending.append(kids)
        if node.get("/S") != pikepdf.Name.TH:
            continue
        scope = _header_scope(node, node.get("/P", pikepdf.Dictionary()))
        attributes = node.get("/A")
        if isinstance(attributes, pikepdf.Array):
            attributes = next((a for a in attributes if a.get("/O") == pikepdf.Name.Table), None)
        if attributes is None:
            node.A = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
        else:
            attributes.Scope = scope


def write_pdf(html: str) -> bytes:
    """The PDF of a standalone HTML document: PDF/UA-1 (tagged structure, the document's
    language and title, XMP metadata that declares PDF/UA), header cells with their scope,
    and nothing fetched but the portal's own static files. Every PDF the portal makes
    goes through here; `tests/ui/test_pdf_ua.py` checks each kind with `pdfua`."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher())
    written = document.write_pdf(pdf_variant="pdf/ua-1")
    with pikepdf.open(io.BytesIO(written)) as pdf:
        _add_header_scopes(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes. The template must be self-contained
    (no request context processors) and link its stylesheet with {% static %}."""
    return write_pdf(render_to_string(template_name, context))
