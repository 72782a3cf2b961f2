"""The PDF of an issued tension monitoring summary, for distribution to partners.

The renderer may fetch nothing but the portal's own static files (SECURITY.md 19): the
URL fetcher below serves files found by the static files finders under STATIC_URL of
a fixed, fictitious origin, and refuses every other URL (network, file:, data:).
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_ORIGIN = "https://portal.invalid"


class FetchRefused(ValueError):
    """The PDF asked for something other than one of the portal's static files."""


def _static_roots() -> list[Path]:
    roots = [Path(path).resolve() for path in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_file_for(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of the portal static file that `url` names; FetchRefused
    for any other URL."""
    parts = urlsplit(url)
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    if f"{parts.scheme}://{parts.netloc}" != PDF_ORIGIN or not parts.path.startswith(static_prefix):
        raise FetchRefused(f"Refused to fetch {url!r} while rendering a PDF")
    relative = unquote(parts.path[len(static_prefix) :])
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        raise FetchRefused(f"Refused to fetch {url!r} while rendering a PDF")
    found = finders.find(relative)
    if not found and settings.STATIC_ROOT:
        # Production serves collected, hashed names from STATIC_ROOT.
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise FetchRefused(f"No static file {relative!r}")
    path = Path(found).resolve()
    if not any(path.is_relative_to(root) for root in _static_roots()):
        raise FetchRefused(f"Refused to fetch {url!r} while rendering a PDF")
    mime_type, _ = mimetypes.guess_type(path.name)
    return path.read_bytes(), mime_type or "application/octet-stream"


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher: the portal's static files, nothing else."""

    def __init__(self):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        data, mime_type = static_file_for(url)
        return URLFetcherResponse(url, data, {"Content-Type": mime_type})


def summary_pdf(summary, *, context: dict) -> bytes:
    """Render the summary's printable template to PDF bytes."""
    html = render_to_string("community/summary_pdf.html", {"summary": summary, **context})
    return HTML(string=html, base_url=PDF_ORIGIN + "/", url_fetcher=StaticOnlyFetcher()).write_pdf()
