"""Unusual access (issue 9a): someone doing much more of something watched than usual.

Three things are watched, each counted per user over the last
UNUSUAL_ACCESS_WINDOW_MINUTES (60):

- case views: the distinct cases opened (`unusual_access_check`, after each audited view
  of a case record; alerts start above UNUSUAL_ACCESS_MIN, 30);
- likely-match lookups: intake's check for a person already on record, which a user
  without the identity grant could use to probe names (`unusual_lookup_check`;
  UNUSUAL_ACCESS_LOOKUPS_MIN, 15);
- case pages not found: 404s on URLs that name a case-work record, which is what guessing
  ids, or asking for cases outside one's scope, looks like (`unusual_not_found_check`;
  UNUSUAL_ACCESS_NOT_FOUND_MIN, 10).

Above max(minimum, UNUSUAL_ACCESS_FACTOR (3) x the user's usual number per hour), one
SecurityAlert is raised for that kind and window: an audit event
(`security.unusual_access`), and an email to every active user who supervises case work
(usernames and counts only, never a case). Supervisors and administrators see the
alerts at /audit/alerts/ and acknowledge them (never the user the alert is about), and
an administrator can deactivate the account (which ends its sessions).

"Usual" is the average number per hour over the hours of the last
UNUSUAL_ACCESS_BASELINE_DAYS (30) in which the user did any, before the current window.
Hours with none are left out, so nights and leave do not make an ordinary busy hour look
unusual.

Cost per case view: one query (COUNT of distinct case ids among the user's view events
of the last hour, on the (actor, occurred_at) index of the audit table), and none when
this process saw the user open the same case within the window: opening a case already
counted cannot raise the count, so the tabs of one case cost one check. A lookup or a
case 404 costs one COUNT the same way. Only when a count passes its minimum, which is
rare, are the user row locked, the alerts of the window looked up, and the baseline
computed (three more queries).
"""

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
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
Kind = SecurityAlert.Kind


@dataclass(frozen=True)
class Watch:
    """One kind of unusual access: which audit events count, and from how many."""

    kind: str
    verb: str
    minimum_setting: str
    minimum_default: int
    # Count distinct targets (cases opened) rather than events (lookups, 404s).
    distinct_targets: bool = False
    target_type: str = ""
    # The audit summary and the email: "{username} {what}".
    what: str = ""


WATCHES = {
    Kind.CASE_VIEWS: Watch(
        Kind.CASE_VIEWS,
        AuditEvent.Verb.VIEW,
        "UNUSUAL_ACCESS_MIN",
        30,
        distinct_targets=True,
        target_type=CASE_TYPE,
        what="opened {count} case records",
    ),
    Kind.LOOKUPS: Watch(
        Kind.LOOKUPS,
        AuditEvent.Verb.LOOKUP,
        "UNUSUAL_ACCESS_LOOKUPS_MIN",
        15,
        what="ran {count} likely-match lookups",
    ),
    Kind.NOT_FOUND: Watch(
        Kind.NOT_FOUND,
        AuditEvent.Verb.NOT_FOUND,
        "UNUSUAL_ACCESS_NOT_FOUND_MIN",
        10,
        what="asked for {count} case pages that do not exist or are out of scope",
    ),
}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def window_minutes() -> int:
    return _setting("UNUSUAL_ACCESS_WINDOW_MINUTES", 60)


def minimum(watch: Watch) -> int:
    return _setting(watch.minimum_setting, watch.minimum_default)


def _events(user, watch: Watch):
    events = AuditEvent.objects.filter(actor=user, verb=watch.verb)
    return events.filter(target_type=watch.target_type) if watch.target_type else events


def _count(events, watch: Watch) -> int:
    if watch.distinct_targets:
        return events.values("target_id").distinct().count()
    return events.count()


def usual_per_hour(user, *, before, days: int, kind: str = Kind.CASE_VIEWS) -> float:
    """The user's average number per active hour (distinct cases opened, for case
    views), `days` before `before`."""
    watch = WATCHES[kind]
    counted = Count("target_id", distinct=True) if watch.distinct_targets else Count("id")
    hours = (
        _events(user, watch)
        .filter(occurred_at__gte=before - timedelta(days=days), occurred_at__lt=before)
        .annotate(hour=TruncHour("occurred_at"))
        .values("hour")
        .annotate(number=counted)
        .values_list("number", flat=True)
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
    return _check(user, WATCHES[Kind.CASE_VIEWS], now=now, window_start=window_start)


def unusual_lookup_check(*, user) -> SecurityAlert | None:
    """Call after each audited likely-match lookup of intake, in the same transaction."""
    return _check(user, WATCHES[Kind.LOOKUPS])


def unusual_not_found_check(*, user) -> SecurityAlert | None:
    """Call after each audited 404 on a case-work URL."""
    return _check(user, WATCHES[Kind.NOT_FOUND])


def _check(user, watch: Watch, *, now=None, window_start=None) -> SecurityAlert | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    now = now or timezone.now()
    window_start = window_start or now - timedelta(minutes=window_minutes())
    count = _count(_events(user, watch).filter(occurred_at__gte=window_start), watch)
    if count <= minimum(watch):
        return None
    return _raise_if_unusual(
        user=user, watch=watch, count=count, now=now, window_start=window_start
    )


@transaction.atomic
def _raise_if_unusual(*, user, watch: Watch, count: int, now, window_start):
    # Two requests of the same user crossing the line together raise one alert.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if SecurityAlert.objects.filter(
        user=user, kind=watch.kind, window_end__gt=window_start
    ).exists():
        return None
    baseline = usual_per_hour(
        user,
        before=window_start,
        days=_setting("UNUSUAL_ACCESS_BASELINE_DAYS", 30),
        kind=watch.kind,
    )
    threshold = max(minimum(watch), math.ceil(_setting("UNUSUAL_ACCESS_FACTOR", 3) * baseline))
    if count <= threshold:
        return None
    alert = SecurityAlert.objects.create(
        user=user,
        kind=watch.kind,
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
            f"Unusual access: {user.get_username()} {describe(alert)} in "
            f"{window_minutes()} minutes (usually {baseline:.1f} an hour)"
        ),
        target=alert,
        changes={
            "kind": watch.kind,
            "count": count,
            "usual_per_hour": round(baseline, 2),
            "threshold": threshold,
        },
    )
    transaction.on_commit(lambda: _email_supervisors(alert))
    return alert


def describe(alert: SecurityAlert) -> str:
    """What the user did, e.g. "opened 44 case records" (no case, no person)."""
    return WATCHES[alert.kind].what.format(count=alert.case_count)


def _email_supervisors(alert: SecurityAlert) -> None:
    """Usernames and counts only: no case reference, no person."""
    recipients = [user.email for user in supervisors() if user.email]
    if not recipients:
        return
    body = render_to_string(
        "audit/email/unusual_access.txt",
        {
            "alert": alert,
            "what": describe(alert),
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
    """An alert that cannot be acknowledged (already acknowledged, or about the actor)."""


def may_acknowledge(user, alert: SecurityAlert) -> bool:
    """Nobody acknowledges an alert about themselves: that would let the person whose
    access looked unusual close the question of it."""
    return user.pk != alert.user_id


@transaction.atomic
def alert_acknowledge(*, actor, alert: SecurityAlert) -> SecurityAlert:
    """A supervisor or an administrator other than the alert's subject has looked into
    the alert. Audited. The caller has checked the permission."""
    current = SecurityAlert.objects.select_for_update().get(pk=alert.pk)
    if not may_acknowledge(actor, current):
        raise AlertError(
            "You cannot acknowledge an alert about yourself: another supervisor or an "
            "administrator must acknowledge it"
        )
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
