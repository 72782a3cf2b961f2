from django.db.models import F

from prevent_portal.audit.models import AuditEvent, SecurityAlert


def audit_events():
    """All audit events, newest first, with their actor loaded in the same query."""
    return AuditEvent.objects.select_related("actor")


def security_alerts():
    """Unusual access alerts, open ones first, then newest first."""
    return SecurityAlert.objects.select_related("user", "acknowledged_by").order_by(
        F("acknowledged_at").desc(nulls_first=True), "-raised_at", "-id"
    )
