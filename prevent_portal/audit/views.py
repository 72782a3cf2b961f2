from django.core.paginator import Paginator
from django.shortcuts import render

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm
from prevent_portal.audit.filters import AuditEventFilter
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.selectors import audit_events
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
