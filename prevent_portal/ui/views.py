"""Error pages in the service's style, and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record


def permission_denied(request, exception=None):
    # Every refusal is audited (SECURITY.md 11): repeated 403s are a signal.
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.ACCESS_DENIED,
        summary=f"Refused {request.method} {request.path}"[:500],
    )
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
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
