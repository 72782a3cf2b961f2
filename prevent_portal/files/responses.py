"""The one way a stored file leaves the portal: as a download, never shown in the page.

- `Content-Disposition: attachment`, with the original name made safe (RFC 6266: an
  ASCII fallback and the UTF-8 name), so the browser saves rather than opens it;
- the content type decided from the bytes at upload, never the browser's claim;
- `X-Content-Type-Options: nosniff`, so no browser guesses another type;
- `Cache-Control: no-store`, so no copy stays in a cache;
- the portal's Content-Security-Policy with `sandbox` added: a browser that showed the
  file anyway would treat it as a page of no origin, with no scripts.
"""

import unicodedata

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header


def sandbox_policy() -> str:
    from csp.utils import build_policy

    return build_policy() + "; sandbox"


def safe_filename(name: str, *, fallback: str = "document") -> str:
    """The name without path separators, control or format characters and quotes,
    at most 150 characters with its extension kept."""
    cleaned = "".join(
        char
        for char in unicodedata.normalize("NFC", name or "")
        if unicodedata.category(char)[0] != "C" and char not in '/\\"<>:|?*'
    ).strip(" .")
    if not cleaned:
        return fallback
    if len(cleaned) > 150:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = (stem[: 150 - len(extension) - 1] + dot + extension) if dot else cleaned[:150]
    return cleaned


def download_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=safe_filename(filename)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = sandbox_policy()
    response["Content-Length"] = str(len(data))
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response
