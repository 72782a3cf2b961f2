"""PDF rendering with WeasyPrint that fetches nothing but the portal's own static files.

SECURITY.md §19: the renderer must not reach the network or the file system. Templates
refer to static files with {% static %}; with BASE_URL below, those become URLs of a
fixed, fictitious origin that the fetcher maps to files found by the staticfiles
finders (or collected in STATIC_ROOT). Every other URL (network, file:, data:) is refused.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes. The template must be self-contained
    (no request context processors) and link its stylesheet with {% static %}."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher()).write_pdf()
