"""Makes the client's address and user agent available to audit.services.record.

Services take `actor=` but not the request; the context of the request they serve is
kept in a context variable for the length of the request.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    user_agent: str
    path: str


_current: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def context_from_request(request) -> RequestContext:
    # REMOTE_ADDR is the peer; behind a proxy, the proxy must set it (see docs/operations.md).
    return RequestContext(
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        path=request.path[:300],
    )


def current_context() -> RequestContext | None:
    return _current.get()


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(context_from_request(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
