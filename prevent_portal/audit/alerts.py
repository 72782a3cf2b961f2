"""Unusual access (issue 9a): someone opening many more case records than usual.

After each audited view of a case record, `unusual_access_check` counts the distinct
cases the user has opened in the last UNUSUAL_ACCESS_WINDOW_MINUTES (60). Above
max(UNUSUAL_ACCESS_MIN (30), UNUSUAL_ACCESS_FACTOR (3) x the user's usual number per
hour), it raises one SecurityAlert for that window: an audit event
(`security.unusual_access`), and an email to every active user who supervises case work
(usernames and counts only, never a case). Supervisors and administrators see the
alerts at /audit/alerts/, acknowledge them, and an administrator can deactivate the
account (which ends its sessions).

"Usual" is the average number of distinct cases opened per hour, over the hours of the
last UNUSUAL_ACCESS_BASELINE_DAYS (30) in which the user opened any case, before the
current window. Hours with no case opened are left out, so nights and leave do not
make an ordinary busy hour look unusual.

Cost per case view: one query (COUNT of distinct case ids among the user's view events
of the last hour, on the (actor, occurred_at) index of the audit table), and none when
this process saw the user open the same case within the window: opening a case already
counted cannot raise the count, so the tabs of one case cost one check. Only when the
count passes UNUSUAL_ACCESS_MIN, which is rare, are the user row locked, the alerts of
the window looked up, and the baseline computed (three more queries).
"""

import math
import threading
from collections import OrderedDict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncHour
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm
from prevent_portal.audit.models import AuditEvent, SecurityAlert
from prevent_portal.audit.services import audit_record

CASE_TYPE = "referrals.referral"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def window_minutes() -> int:
    return _setting("UNUSUAL_ACCESS_WINDOW_MINUTES", 60)


def _case_views(user):
    return AuditEvent.objects.filter(actor=user, verb=AuditEvent.Verb.VIEW, target_type=CASE_TYPE)


def usual_per_hour(user, *, before, days: int) -> float:
    """The user's average distinct cases opened per active hour, `days` before `before`."""
    hours = (
        _case_views(user)
        .filter(occurred_at__gte=before - timedelta(days=days), occurred_at__lt=before)
        .annotate(hour=TruncHour("occurred_at"))
        .values("hour")
        .annotate(cases=Count("target_id", distinct=True))
        .values_list("cases", flat=True)
    )
    counts = list(hours)
    return sum(counts) / len(counts) if counts else 0.0


def supervisors():
    """Active users whose roles let them supervise case work: they receive the alerts."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.CASES_SUPERVISE in perms]
    return (
        get_user_model()
        .objects.filter(is_active=True, roles__role__in=roles)
        .distinct()
        .order_by("username")
    )


class RecentViews:
    """When this process last saw each user open each case (the most recent KEPT
    pairs), remembered once the view's audit event is committed."""

    KEPT = 10_000

    def __init__(self):
        self._seen: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def seen_since(self, key: tuple, since) -> bool:
        with self._lock:
            when = self._seen.get(key)
            return when is not None and when >= since

    def remember(self, key: tuple, when) -> None:
        with self._lock:
            self._seen[key] = when
            self._seen.move_to_end(key)
            while len(self._seen) > self.KEPT:
                self._seen.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()


recent_views = RecentViews()


def unusual_access_check(*, user, case_id=None) -> SecurityAlert | None:
    """Call after each audited view of a case record (`case_id`), in the same transaction.

    Returns the alert it raised, or None. At most one alert per user per window.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    now = timezone.now()
    window_start = now - timedelta(minutes=window_minutes())
    if case_id is not None:
        key = (user.pk, str(case_id))
        transaction.on_commit(lambda: recent_views.remember(key, now))
        if recent_views.seen_since(key, window_start):
            return None  # already counted in this window: the count cannot have grown
    minimum = _setting("UNUSUAL_ACCESS_MIN", 30)
    count = (
        _case_views(user)
        .filter(occurred_at__gte=window_start)
        .values("target_id")
        .distinct()
        .count()
    )
    if count <= minimum:
        return None
    return _raise_if_unusual(user=user, count=count, now=now, window_start=window_start)


@transaction.atomic
def _raise_if_unusual(*, user, count: int, now, window_start) -> SecurityAlert | None:
    # Two requests of the same user crossing the line together raise one alert.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if SecurityAlert.objects.filter(user=user, window_end__gt=window_start).exists():
        return None
    baseline = usual_per_hour(
        user, before=window_start, days=_setting("UNUSUAL_ACCESS_BASELINE_DAYS", 30)
    )
    threshold = max(
        _setting("UNUSUAL_ACCESS_MIN", 30),
        math.ceil(_setting("UNUSUAL_ACCESS_FACTOR", 3) * baseline),
    )
    if count <= threshold:
        return None
    alert = SecurityAlert.objects.create(
        user=user,
        window_start=window_start,
        window_end=now,
        case_count=count,
        baseline_per_hour=round(baseline, 2),
        threshold=threshold,
    )
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.UNUSUAL_ACCESS,
        summary=(
            f"Unusual access: {user.get_username()} opened {count} case records in "
            f"{window_minutes()} minutes (usually {baseline:.1f} an hour)"
        ),
        target=alert,
        changes={"cases": count, "usual_per_hour": round(baseline, 2), "threshold": threshold},
    )
    transaction.on_commit(lambda: _email_supervisors(alert))
    return alert


def _email_supervisors(alert: SecurityAlert) -> None:
    """Usernames and counts only: no case reference, no person."""
    recipients = [user.email for user in supervisors() if user.email]
    if not recipients:
        return
    body = render_to_string(
        "audit/email/unusual_access.txt",
        {
            "alert": alert,
            "username": alert.user.get_username(),
            "minutes": window_minutes(),
            "service_name": settings.SERVICE_NAME,
            "alerts_path": reverse("audit:alert-list"),
        },
    )
    send_mail(
        f"{settings.SERVICE_NAME}: unusual access by {alert.user.get_username()}",
        body,
        None,
        recipients,
    )


def open_alert_count(user) -> int | None:
    """The number of open alerts for someone who supervises case work; None (and no
    query) for anyone else."""
    from prevent_portal.accounts.roles import has_perm

    if not has_perm(user, Perm.CASES_SUPERVISE):
        return None
    return SecurityAlert.objects.filter(acknowledged_at__isnull=True).count()


class AlertError(Exception):
    """An alert that cannot be acknowledged (already acknowledged)."""


@transaction.atomic
def alert_acknowledge(*, actor, alert: SecurityAlert) -> SecurityAlert:
    """A supervisor or an administrator has looked into the alert. Audited."""
    current = SecurityAlert.objects.select_for_update().get(pk=alert.pk)
    if current.acknowledged_at is not None:
        raise AlertError("This alert has already been acknowledged")
    current.acknowledged_by = actor
    current.acknowledged_at = timezone.now()
    current.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.ACKNOWLEDGE,
        summary=f"Acknowledged the unusual access alert about {current.user.get_username()}",
        target=current,
        changes={"acknowledged": {"old": False, "new": True}},
    )
    return current
