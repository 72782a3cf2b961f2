"""Error pages in the service's style, and the health check."""

from uuid import UUID

from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from prevent_portal.audit.alerts import unusual_not_found_check
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record


def permission_denied(request, exception=None):
    # Every refusal is audited (docs/security.md §11): repeated 403s are a signal.
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.ACCESS_DENIED,
        summary=f"Refused {request.method} {request.path}"[:500],
    )
    return render(request, "403.html", status=403)


def case_url_name(request) -> str | None:
    """The URL name, if the request's URL names a case-work record by id; else None.

    Case-work records, and only they, are addressed by UUID (tests/audit/test_case_ids.py
    holds every case-work pattern to it), so a UUID captured from the URL marks one. A
    path that matches no pattern (a malformed id) is not a case URL: no record can have
    that address.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or not any(isinstance(value, UUID) for value in match.kwargs.values()):
        return None
    return match.view_name


def page_not_found(request, exception=None):
    # A 404 on a case URL is audited and watched (docs/audit.md): guessing case ids, or
    # asking for cases out of scope, must leave a trace. The event names the URL pattern,
    # never the path: the id asked for may be someone's real case.
    name = case_url_name(request)
    if name is not None and getattr(request.user, "is_authenticated", False):
        audit_record(
            actor=request.user,
            verb=AuditEvent.Verb.NOT_FOUND,
            summary=f"Not found: {name}",
            changes={"url_name": name, "method": request.method},
            path="/" + request.resolver_match.route,
        )
        unusual_not_found_check(user=request.user)
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without context processors: the database may be the problem.
    return HttpResponseServerError(loader.get_template("500.html").render({}))


@login_not_required
@require_GET
@never_cache
# Outside ATOMIC_REQUESTS: opening the request's transaction needs the database, and would
# fail before this view could answer 503.
@transaction.non_atomic_requests
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
