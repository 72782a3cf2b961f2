"""Refuse a request body too large to be an upload of the portal, before it is read."""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader

from prevent_portal.ui.uploads import size_label


class RequestBodyLimitMiddleware:
    """A request whose Content-Length is over settings.REQUEST_BODY_MAX_BYTES gets a 413
    page, and none of its body is read: not by the CSRF check, not into a temporary file.
    The proxy in front should refuse such a request first (docs/deployment.md); this
    holds when it does not. Without a Content-Length (a chunked body) Django reads no
    body at all, so the header is all there is to check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            # Rendered without context processors, like the 500 page: nothing of the
            # request is needed, and its session has not been read.
            page = loader.get_template("413.html").render({"limit": size_label(limit)})
            return HttpResponse(page, status=413)
        return self.get_response(request)
