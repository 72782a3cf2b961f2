"""Sessions (docs/security.md §9): idle timeout, absolute limit, server-side end."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevent_portal.accounts.middleware import SIGNED_IN_AT
from prevent_portal.accounts.models import User, UserSession
from prevent_portal.accounts.services import user_deactivate
from tests.conftest import sign_in_with_mfa

pytestmark = pytest.mark.django_db

HOME = "reporting:dashboard"


def signed_in(username="coordinator") -> Client:
    client = Client()
    response = sign_in_with_mfa(client, username)
    assert response.status_code == 302
    return client


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_the_idle_timeout_is_thirty_minutes_and_each_request_moves_it_on(persona, settings):
    persona("coordinator")
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = signed_in()
    row = session_row(client)
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(reverse(HOME))
    remaining = session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def _session_writes(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(HOME)).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if "django_session" in query["sql"] and not query["sql"].startswith("SELECT")
    ]


def test_a_second_request_within_the_minute_does_not_write_the_session(persona, settings):
    persona("coordinator")
    assert settings.SESSION_REFRESH_SECONDS == 60
    client = signed_in()
    client.get(reverse(HOME))
    assert _session_writes(client) == []
    # A minute on (the row a minute nearer its expiry), the next request writes it again.
    row = session_row(client)
    Session.objects.filter(pk=row.pk).update(expire_date=row.expire_date - timedelta(seconds=61))
    assert len(_session_writes(client)) == 1
    remaining = session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_an_idle_session_is_over_on_the_server(persona):
    persona("coordinator")
    client = signed_in()
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse(HOME))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_session_ends_ten_hours_after_sign_in_however_active(persona, settings):
    persona("coordinator")
    assert settings.SESSION_ABSOLUTE_SECONDS == 10 * 60 * 60
    client = signed_in()
    key = client.session.session_key
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 10 * 60 * 60 + 60
    session.save()
    assert client.get(reverse(HOME)).status_code == 200  # nine hours 59 minutes: fine
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 10 * 60 * 60 - 1
    session.save()
    response = client.get(reverse(HOME))
    assert response["Location"] == reverse("accounts:login")
    assert not Session.objects.filter(session_key=key).exists()
    follow = client.get(response["Location"])
    assert "You have been signed out" in follow.content.decode()


def test_sign_in_starts_the_clock_and_lists_the_session(persona):
    user = persona("coordinator")
    client = signed_in()
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 60
    assert UserSession.objects.get(user=user).session_key == client.session.session_key


def test_force_login_works_with_the_limits(client_as):
    # Every app's tests sign in this way.
    assert client_as("board").get(reverse(HOME)).status_code == 200


def test_sign_out_deletes_the_session_on_the_server(persona):
    persona("coordinator")
    client = signed_in()
    key = client.session.session_key
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.exists()
    # Replaying the old cookie gets nothing.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(reverse(HOME)).status_code == 302


def test_deactivation_ends_every_session_of_the_user(persona):
    user = persona("coordinator")
    admin = persona("admin")
    laptop, phone = signed_in(), signed_in()
    other = signed_in("admin")
    keys = {laptop.session.session_key, phone.session.session_key}
    user_deactivate(actor=admin, user=user, version=user.version)
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert laptop.get(reverse(HOME)).status_code == 302
    assert phone.get(reverse(HOME)).status_code == 302
    assert other.get(reverse(HOME)).status_code == 200
    assert not User.objects.get(pk=user.pk).is_active


def test_keep_alive_needs_post_and_answers_no_content(client_as):
    client = client_as("board")
    assert client.get(reverse("accounts:session-keep-alive")).status_code == 405
    assert client.post(reverse("accounts:session-keep-alive")).status_code == 204


def test_keep_alive_does_not_revive_an_ended_session(client):
    response = client.post(reverse("accounts:session-keep-alive"))
    assert response.status_code == 302


def test_keep_alive_needs_the_csrf_token(persona):
    persona("board")
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="board"))
    assert client.post(reverse("accounts:session-keep-alive")).status_code == 403


def test_signed_in_pages_carry_the_timeout_warning(client_as, client):
    body = client_as("board").get(reverse(HOME)).content.decode()
    assert 'data-module="portal-timeout-warning"' in body
    assert 'data-timeout-seconds="1800"' in body
    assert 'data-warning-seconds="120"' in body
    assert "Stay signed in" in body
    client.post(reverse("accounts:logout"))
    assert "portal-timeout-warning" not in client.get(reverse("accounts:login")).content.decode()
