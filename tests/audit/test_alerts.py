"""Unusual access: many more case records opened than usual raises one alert (issue 9a)."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from prevent_portal.audit.alerts import unusual_access_check, usual_per_hour
from prevent_portal.audit.models import AuditEvent, SecurityAlert
from prevent_portal.audit.services import audit_record
from tests.conftest import make_user
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

ALERTS = reverse("audit:alert-list")


def views(user, count: int, *, at=None, monkeypatch=None):
    """`count` views of distinct cases by `user` (at `at`, if given)."""
    if at is not None:
        monkeypatch.setattr(timezone, "now", lambda: at)
    for _ in range(count):
        audit_record(
            actor=user,
            verb=AuditEvent.Verb.VIEW,
            summary="Viewed referral",
            target=("referrals.referral", str(uuid.uuid4())),
        )
    if at is not None:
        monkeypatch.undo()


@pytest.fixture
def worker(db):
    return make_user("busy-worker", "channel", email="busy@example.org")


@pytest.fixture
def supervisors(db):
    return [
        make_user("sup-one", "coordinator", email="one@example.org"),
        make_user("sup-two", "chair", email="two@example.org"),
        make_user("sup-gone", "coordinator", email="gone@example.org", is_active=False),
        make_user("not-sup", "admin", email="admin@example.org"),
    ]


def test_up_to_the_minimum_raises_nothing(worker, settings):
    settings.UNUSUAL_ACCESS_MIN = 30
    views(worker, 30)
    assert unusual_access_check(user=worker) is None
    assert not SecurityAlert.objects.exists()


def test_opening_the_same_case_again_does_not_count(worker, settings):
    settings.UNUSUAL_ACCESS_MIN = 3
    target = ("referrals.referral", str(uuid.uuid4()))
    for _ in range(10):
        audit_record(actor=worker, verb=AuditEvent.Verb.VIEW, summary="Viewed", target=target)
    assert unusual_access_check(user=worker) is None


def _counts(queries) -> int:
    """The window's count: COUNT(*) over the distinct cases of the user's view events."""
    return sum(
        "COUNT(" in query["sql"].upper() and "DISTINCT" in query["sql"].upper() for query in queries
    )


def test_a_case_counted_in_this_window_is_not_counted_again(
    worker, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The tabs of one case cost one check: opening a case already counted in the window
    cannot raise the count. A new case, or the same case after the window, is checked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.UNUSUAL_ACCESS_MIN = 3
    case = uuid.uuid4()
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as first,
    ):
        unusual_access_check(user=worker, case_id=case)
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as again,
    ):
        unusual_access_check(user=worker, case_id=case)
    with CaptureQueriesContext(connection) as other_case:
        unusual_access_check(user=worker, case_id=uuid.uuid4())
    assert (_counts(first), _counts(again), _counts(other_case)) == (1, 0, 1)
    # Another user opening the same case is counted for that user.
    with CaptureQueriesContext(connection) as someone_else:
        unusual_access_check(user=make_user("other-worker", "channel"), case_id=case)
    assert _counts(someone_else) == 1
    # After the window, the same case is counted again.
    later = timezone.now() + timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with CaptureQueriesContext(connection) as after_window:
        unusual_access_check(user=worker, case_id=case)
    assert _counts(after_window) == 1


def test_a_view_that_was_rolled_back_is_not_remembered(worker, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = uuid.uuid4()
    unusual_access_check(user=worker, case_id=case)  # never committed: nothing remembered
    with CaptureQueriesContext(connection) as again:
        unusual_access_check(user=worker, case_id=case)
    assert _counts(again) == 1


def test_past_the_minimum_with_no_history_raises_one_alert(
    worker, supervisors, settings, django_capture_on_commit_callbacks
):
    settings.UNUSUAL_ACCESS_MIN = 30
    views(worker, 31)
    with django_capture_on_commit_callbacks(execute=True):
        alert = unusual_access_check(user=worker)
    assert alert is not None
    assert (alert.user, alert.case_count, alert.threshold) == (worker, 31, 30)
    assert alert.baseline_per_hour == 0
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UNUSUAL_ACCESS)
    assert event.actor_username == "busy-worker"
    assert (event.changes["kind"], event.changes["count"]) == ("case_views", 31)
    # The email goes to active supervisors only; no case is named in it.
    [message] = mail.outbox
    assert sorted(message.to) == ["one@example.org", "two@example.org"]
    assert "busy-worker" in message.subject and "31" in message.body
    assert ALERTS in message.body
    assert "referrals.referral" not in message.body and "/case/" not in message.body


def test_at_most_one_alert_per_user_per_window(worker, settings, monkeypatch):
    settings.UNUSUAL_ACCESS_MIN = 5
    views(worker, 6)
    assert unusual_access_check(user=worker) is not None
    views(worker, 10)
    assert unusual_access_check(user=worker) is None
    assert SecurityAlert.objects.count() == 1
    # An hour and more later, a new burst is a new alert; the first burst is now part of
    # the user's usual rate (16 in one hour: 48 is the threshold).
    later = timezone.now() + timedelta(minutes=61)
    views(worker, 48, at=later, monkeypatch=monkeypatch)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert unusual_access_check(user=worker) is None
    monkeypatch.undo()
    views(worker, 1, at=later, monkeypatch=monkeypatch)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert unusual_access_check(user=worker) is not None
    assert SecurityAlert.objects.count() == 2


def test_a_user_who_usually_opens_many_cases_is_held_to_their_own_baseline(
    worker, settings, monkeypatch
):
    settings.UNUSUAL_ACCESS_MIN = 5
    settings.UNUSUAL_ACCESS_FACTOR = 3
    now = timezone.now()
    # Usually 4 distinct cases in an active hour (two hours, days ago): the threshold is 12.
    views(worker, 4, at=now - timedelta(days=3), monkeypatch=monkeypatch)
    views(worker, 4, at=now - timedelta(days=2), monkeypatch=monkeypatch)
    # Older than the baseline period: ignored.
    views(worker, 50, at=now - timedelta(days=40), monkeypatch=monkeypatch)
    assert usual_per_hour(worker, before=now - timedelta(hours=1), days=30) == 4
    views(worker, 12)
    assert unusual_access_check(user=worker) is None
    views(worker, 1)
    alert = unusual_access_check(user=worker)
    assert alert is not None and alert.threshold == 12 and alert.case_count == 13


def test_the_case_page_raises_the_alert(client, reference_data, settings, supervisors):
    settings.UNUSUAL_ACCESS_MIN = 2
    cases = [new_referral(family=f"Alerted{number}") for number in range(3)]
    user = make_user("page-reader", "channel")
    client.force_login(user)
    for referral in cases:
        response = client.get(reverse("referrals:referral-detail", kwargs={"pk": referral.pk}))
        assert response.status_code == 200
    client.get(reverse("casework:notes", kwargs={"pk": cases[0].pk}))  # a section too
    alert = SecurityAlert.objects.get()
    assert alert.user == user and alert.case_count == 3


def test_a_case_page_costs_the_same_whatever_the_earlier_views_and_checks_in_one_count(
    client_as, reference_data
):
    """The check is one COUNT on the audit table, whatever the number of earlier views."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("channel")
    cases = [new_referral(family=f"Budget{number}") for number in range(12)]
    counts = []
    for opened in (1, 12):
        for referral in cases[:opened]:
            client.get(reverse("referrals:referral-detail", kwargs={"pk": referral.pk}))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("referrals:referral-detail", kwargs={"pk": cases[0].pk}))
        checks = [
            q["sql"]
            for q in queries.captured_queries
            if "COUNT(" in q["sql"].upper() and "audit_auditevent" in q["sql"]
        ]
        assert len(checks) == 1, checks
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert not SecurityAlert.objects.exists()


def alert_for(user) -> SecurityAlert:
    now = timezone.now()
    return SecurityAlert.objects.create(
        user=user,
        window_start=now - timedelta(hours=1),
        window_end=now,
        case_count=44,
        baseline_per_hour=3.5,
        threshold=30,
    )


@pytest.mark.parametrize("persona_name", ["coordinator", "chair", "admin"])
def test_supervisors_and_administrators_see_the_alerts(client_as, worker, persona_name):
    alert_for(worker)
    page = client_as(persona_name).get(ALERTS).content.decode()
    assert "busy-worker" in page and "44" in page and "3.5" in page
    assert "1 open alert" in page
    deactivate = reverse("accounts:user-deactivate", args=[worker.pk])
    # Only an administrator may deactivate; the others are told to ask.
    assert (deactivate in page) is (persona_name == "admin")


@pytest.mark.parametrize("persona_name", ["channel", "support", "board", "education"])
def test_others_are_refused_the_alerts(client_as, worker, persona_name):
    alert = alert_for(worker)
    client = client_as(persona_name)
    assert client.get(ALERTS).status_code == 403
    acknowledge = reverse("audit:alert-acknowledge", args=[alert.pk])
    assert client.post(acknowledge).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledging_needs_a_confirmation_and_post_and_is_audited(client_as, worker):
    alert = alert_for(worker)
    client = client_as("coordinator")
    acknowledge = reverse("audit:alert-acknowledge", args=[alert.pk])
    page = client.get(acknowledge).content.decode()
    assert "Acknowledge the alert about busy-worker?" in page
    alert.refresh_from_db()
    assert alert.acknowledged_at is None  # GET changes nothing
    response = client.post(acknowledge)
    assert response.status_code == 302 and response["Location"] == ALERTS
    alert.refresh_from_db()
    assert alert.acknowledged_by.username == "coordinator"
    assert alert.acknowledged_at is not None
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.ACKNOWLEDGE)
    assert event.actor_username == "coordinator" and "busy-worker" in event.summary
    assert "0 open alerts" in client.get(ALERTS).content.decode()
    # A second acknowledgement is refused with a GOV.UK error.
    again = client.post(acknowledge).content.decode()
    assert "There is a problem" in again and "already been acknowledged" in again


def test_an_unknown_alert_is_404(client_as):
    assert client_as("admin").get(reverse("audit:alert-acknowledge", args=[999])).status_code == 404


def test_no_alerts_shows_an_empty_state(client_as):
    assert (
        "There have been no unusual access alerts."
        in client_as("chair").get(ALERTS).content.decode()
    )


def test_my_work_shows_supervisors_the_open_alerts(client_as, reference_data, worker):
    alert_for(worker)
    page = client_as("coordinator").get(reverse("worklist:index")).content.decode()
    assert "1 open security alert" in page and ALERTS in page
    assert (
        "open security alert"
        not in client_as("channel").get(reverse("worklist:index")).content.decode()
    )


def test_the_remembered_views_are_bounded(monkeypatch):
    from prevent_portal.audit.alerts import RecentViews

    monkeypatch.setattr(RecentViews, "KEPT", 3)
    seen = RecentViews()
    now = timezone.now()
    for case in "abcd":
        seen.remember((1, case), now)
    assert not seen.seen_since((1, "a"), now)  # the oldest went first
    assert all(seen.seen_since((1, case), now) for case in "bcd")
    assert not seen.seen_since((2, "b"), now)  # per user
    assert not seen.seen_since((1, "b"), now + timedelta(seconds=1))  # before the window


def test_the_subject_of_an_alert_can_never_acknowledge_it(client, reference_data):
    """Not from the list, not from the confirmation page, not by a crafted POST, not
    through the service: another supervisor or an administrator must."""
    from prevent_portal.audit.alerts import AlertError, alert_acknowledge

    subject = make_user("alerted-coordinator", "coordinator")
    alert = alert_for(subject)
    client.force_login(subject)
    acknowledge = reverse("audit:alert-acknowledge", args=[alert.pk])
    listing = client.get(ALERTS).content.decode()
    assert "alerted-coordinator" in listing and acknowledge not in listing
    assert "another supervisor or an administrator must acknowledge it" in listing
    assert client.get(acknowledge).status_code == 403
    assert client.post(acknowledge).status_code == 403
    with pytest.raises(AlertError):
        alert_acknowledge(actor=subject, alert=alert)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and alert.acknowledged_by is None
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.ACKNOWLEDGE).exists()
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.ACCESS_DENIED).count() == 2
    # Someone else still can.
    client.force_login(make_user("other-coordinator", "coordinator"))
    assert acknowledge in client.get(ALERTS).content.decode()
    assert client.post(acknowledge).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by.username == "other-coordinator"
