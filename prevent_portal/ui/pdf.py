"""PDF rendering with WeasyPrint that fetches nothing but the portal's own static files.

SECURITY.md §19: the renderer must not reach the network or the file system. Templates
refer to static files with {% static %}; with BASE_URL below, those become URLs that the
fetcher maps to files found by Django's staticfiles finders. Every other URL is refused.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A host that cannot exist (RFC 6761 .invalid): nothing is ever fetched from it.
BASE_URL = "https://portal.invalid/"


class RefusedResource(ValueError):
    """A PDF tried to load something other than one of the portal's static files."""


class StaticFilesOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        if (
            parts.scheme != "https"
            or parts.netloc != "portal.invalid"
            or not parts.path.startswith(static_prefix)
        ):
            raise RefusedResource(f"PDF resource refused: {url[:100]}")
        relative = unquote(parts.path[len(static_prefix) :])
        if not relative or ".." in relative.split("/"):
            raise RefusedResource(f"PDF resource refused: {url[:100]}")
        path = finders.find(relative)
        if not path:
            raise RefusedResource(f"No such static file: {relative[:100]}")
        mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes. The template must be self-contained
    (no request context processors) and link its stylesheet with {% static %}."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher()).write_pdf()
