"""Who may open the audit pages besides the log itself (read by tests/test_url_walk.py).

Unusual access alerts: those who supervise case work (coordinator, chair) and
administrators (who read the audit log).
"""

ALERTS = {"coordinator", "chair", "admin"}

EXPECTED = {
    "audit:alert-list": ALERTS,
    "audit:alert-acknowledge": ALERTS,
}


def url_kwargs():
    from datetime import timedelta

    from django.utils import timezone

    from prevent_portal.audit.models import SecurityAlert
    from tests.conftest import make_user

    now = timezone.now()
    alert = SecurityAlert.objects.create(
        user=make_user("walk-alerted", "channel"),
        window_start=now - timedelta(hours=1),
        window_end=now,
        case_count=40,
        baseline_per_hour=2.0,
        threshold=30,
    )
    return {"audit:alert-acknowledge": {"pk": alert.pk}}
