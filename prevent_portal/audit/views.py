from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit import alerts
from prevent_portal.audit.filters import AuditEventFilter
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.selectors import audit_events, security_alerts
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.exports import csv_response


@permission_required(Perm.AUDIT_VIEW)
def event_list(request):
    event_filter = AuditEventFilter(request.GET, queryset=audit_events())
    events = event_filter.qs if event_filter.is_valid() else AuditEvent.objects.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/auditevent_list.html",
        {"filter": event_filter, "page": page, "query": _query_without_page(request)},
    )


@permission_required(Perm.AUDIT_VIEW)
def event_export(request):
    """The filtered audit log as CSV, for a separate store. The export is itself audited."""
    event_filter = AuditEventFilter(request.GET, queryset=audit_events())
    events = event_filter.qs if event_filter.is_valid() else AuditEvent.objects.none()
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary="Exported the audit log",
        target=("audit.auditevent", "export"),
        changes={"filters": {k: v for k, v in request.GET.items() if v}},
    )
    header = [
        "id", "occurred_at", "actor", "verb", "target_type", "target_id",
        "summary", "changes", "ip_address", "user_agent", "path",
    ]  # fmt: skip
    rows = (
        [
            e.pk,
            e.occurred_at.isoformat(),
            e.actor_username,
            e.verb,
            e.target_type,
            e.target_id,
            e.summary,
            e.changes,
            e.ip_address or "",
            e.user_agent,
            e.path,
        ]  # fmt: skip
        for e in events.iterator(chunk_size=2000)
    )
    return csv_response("audit-log.csv", header, rows)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Unusual access alerts (alerts.py): supervisors of case work and administrators.
ALERT_PERMS = (Perm.CASES_SUPERVISE, Perm.AUDIT_VIEW)


def _alerts_allowed(request) -> None:
    if not any(has_perm(request.user, perm) for perm in ALERT_PERMS):
        raise PermissionDenied(" or ".join(ALERT_PERMS))


def _alert_crumbs(*extra):
    return [("Security alerts", reverse("audit:alert-list")), *extra]


@never_cache
def alert_list(request):
    """Unusual access alerts, open ones first."""
    _alerts_allowed(request)
    page = Paginator(security_alerts(), settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/securityalert_list.html",
        {
            "page": page,
            "query": "",
            "open_count": security_alerts().filter(acknowledged_at__isnull=True).count(),
            "can_manage_users": has_perm(request.user, Perm.USERS_MANAGE),
            "can_read_audit": has_perm(request.user, Perm.AUDIT_VIEW),
            "minutes": alerts.window_minutes(),
            "crumbs": [("Security alerts", "")],
        },
    )


@never_cache
def alert_acknowledge(request, pk):
    """GET: the confirmation; POST: acknowledge (audited). 403 for the alert's subject."""
    _alerts_allowed(request)
    alert = get_object_or_404(security_alerts(), pk=pk)
    if not alerts.may_acknowledge(request.user, alert):
        raise PermissionDenied("The subject of an alert cannot acknowledge it")
    error = ""
    if request.method == "POST":
        try:
            alerts.alert_acknowledge(actor=request.user, alert=alert)
        except alerts.AlertError as failure:
            error = str(failure)
        else:
            messages.success(request, f"Alert about {alert.user.get_username()} acknowledged")
            return redirect("audit:alert-list")
    return render(
        request,
        "audit/securityalert_acknowledge.html",
        {
            "alert": alert,
            "error": error,
            "can_manage_users": has_perm(request.user, Perm.USERS_MANAGE),
            "crumbs": _alert_crumbs(("Acknowledge", "")),
        },
    )
