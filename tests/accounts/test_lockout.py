"""Lockout after repeated failures (docs/security.md §7), with django-axes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from prevent_portal.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


def attempt(client, username, password="wrong-password-123", address="192.0.2.10"):  # noqa: S107
    return client.post(
        reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_four_failures_still_let_the_right_password_in(client, persona):
    persona("coordinator")
    for _ in range(4):
        assert attempt(client, "coordinator").status_code == 200
    response = attempt(client, "coordinator", PASSWORD)
    assert response.status_code == 302
    # A success clears the count.
    assert not AccessAttempt.objects.exists()


def test_the_fifth_failure_locks_the_username_from_that_address(client, persona):
    persona("coordinator")
    for _ in range(4):
        attempt(client, "coordinator")
    locked = attempt(client, "coordinator")
    assert locked.status_code == 429
    assert "Sign-in locked for 15 minutes" in locked.content.decode()
    # Now even the right password is refused, and nobody is signed in.
    refused = attempt(client, "coordinator", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_and_address_only(client, persona):
    persona("coordinator")
    persona("board")
    for _ in range(5):
        attempt(client, "coordinator")
    # A colleague at the same address, and the same user elsewhere, are not locked.
    assert attempt(client, "board", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert attempt(client, "coordinator", PASSWORD, address="198.51.100.7").status_code == 302


def test_an_unknown_username_is_locked_in_the_same_way(client, persona):
    persona("coordinator")
    responses = {}
    for username in ("coordinator", "nobody-here"):
        for _ in range(5):
            response = attempt(client, username)
        responses[username] = response
    known, unknown = responses["coordinator"], responses["nobody-here"]
    assert known.status_code == unknown.status_code == 429
    assert known.content.decode().replace("coordinator", "X") == unknown.content.decode().replace(
        "nobody-here", "X"
    )


def test_the_lock_lifts_after_fifteen_minutes(client, persona):
    persona("coordinator")
    for _ in range(5):
        attempt(client, "coordinator")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "coordinator", PASSWORD).status_code == 302


def test_attempts_while_locked_do_not_extend_the_cool_off(client, persona):
    persona("coordinator")
    for _ in range(5):
        attempt(client, "coordinator")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))
    attempt(client, "coordinator")  # while locked
    # Six minutes on: sixteen since the lockout, six since the last attempt.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=6))
    assert attempt(client, "coordinator", PASSWORD).status_code == 302


def test_each_failure_and_the_lockout_are_audited_once(client, persona):
    persona("coordinator")
    for _ in range(5):
        attempt(client, "coordinator")
    attempt(client, "coordinator")  # refused while locked: a failed sign-in too
    events = AuditEvent.objects.filter(
        verb=AuditEvent.Verb.LOGIN_FAILED, actor_username="coordinator"
    )
    assert events.filter(summary="Sign-in failed").count() == 6
    assert not events.filter(summary__startswith="Sign-in locked").exists()
    lockouts = AuditEvent.objects.filter(verb=AuditEvent.Verb.LOCKOUT, actor_username="coordinator")
    assert lockouts.count() == 1
    assert lockouts.get().ip_address == "192.0.2.10"


def test_the_password_is_never_kept_in_the_attempts(client, persona):
    persona("coordinator")
    attempt(client, "coordinator", "a-secret-wrong-one-77")
    stored = AccessAttempt.objects.get()
    assert "a-secret-wrong-one-77" not in stored.post_data


def test_each_test_starts_with_no_failures():
    # Attempts live in the database, which every test starts empty (rolled back, or
    # flushed after a browser test): one test's failures never lock out the next.
    assert not AccessAttempt.objects.exists()
