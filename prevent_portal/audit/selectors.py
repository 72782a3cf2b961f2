from prevent_portal.audit.models import AuditEvent


def audit_events():
    """All audit events, newest first, with their actor loaded in the same query."""
    return AuditEvent.objects.select_related("actor")
