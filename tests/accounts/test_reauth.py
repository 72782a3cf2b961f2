"""Re-authentication before a case export (docs/security.md §16): password and a fresh code."""

import time
from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from prevent_portal.accounts.reauth import REAUTH_AT_SESSION_KEY
from prevent_portal.audit.models import AuditEvent
from tests.browser.fixtures import totp_code, totp_device_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CONFIRM = reverse("accounts:confirm-identity")
EXPORT = reverse("referrals:case-export")


@pytest.fixture
def channel(client_as, reference_data):
    return client_as("channel")


def confirm(client, *, password=PASSWORD, code=None, next_url=EXPORT):
    if code is None:
        code = totp_code(totp_device_for("channel"))
    return client.post(CONFIRM, {"password": password, "code": code, "next": next_url})


def set_confirmed_at(client, when: float):
    session = client.session
    session[REAUTH_AT_SESSION_KEY] = when
    session.save()


def test_signing_in_is_not_enough_the_export_asks_to_confirm(channel):
    response = channel.get(EXPORT + "?status=received")
    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM}?next={quote(EXPORT + '?status=received', safe='')}"
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()


def test_the_confirm_page_is_a_govuk_form(channel):
    page = channel.get(CONFIRM, {"next": EXPORT}).content.decode()
    assert "Confirm it is you" in page
    assert 'name="password"' in page and 'type="password"' in page
    assert 'autocomplete="one-time-code"' in page
    assert f'value="{EXPORT}"' in page


def test_password_and_a_fresh_code_let_the_export_through(channel):
    response = confirm(channel)
    assert response.status_code == 302
    assert response["Location"] == EXPORT
    assert channel.get(EXPORT).status_code == 200
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.REAUTH)
    assert event.actor_username == "channel"
    assert PASSWORD not in str(event.changes) + event.summary


def test_a_confirmation_lasts_the_max_age_then_expires(channel, settings):
    settings.REAUTH_MAX_AGE_SECONDS = 300
    set_confirmed_at(channel, time.time() - 290)
    assert channel.get(EXPORT).status_code == 200
    set_confirmed_at(channel, time.time() - 301)
    response = channel.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(CONFIRM + "?next=")
    # A timestamp from the future (a tampered or broken clock) never counts.
    set_confirmed_at(channel, time.time() + 3600)
    assert channel.get(EXPORT).status_code == 302


def test_the_max_age_is_a_setting(channel, settings):
    settings.REAUTH_MAX_AGE_SECONDS = 60
    set_confirmed_at(channel, time.time() - 90)
    assert channel.get(EXPORT).status_code == 302


@pytest.mark.parametrize("wrong", ["password", "code"])
def test_a_wrong_password_or_code_is_refused_audited_and_counted(channel, wrong):
    from axes.models import AccessAttempt

    device = totp_device_for("channel")
    code = totp_code(device)
    bad_code = f"{(int(code) + 1) % 1_000_000:06d}"
    response = confirm(
        channel,
        password="not-the-password" if wrong == "password" else PASSWORD,
        code=bad_code if wrong == "code" else code,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert 'href="#id_password"' in page  # the summary links to the field
    assert "Enter your correct password and a current code" in page
    assert channel.get(EXPORT).status_code == 302  # still not confirmed
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.LOGIN_FAILED)
    assert event.actor_username == "channel"
    assert "not-the-password" not in str(event.changes) + event.summary
    assert bad_code not in str(event.changes) + event.summary
    assert AccessAttempt.objects.get(username="channel").failures_since_start == 1


def test_empty_fields_get_govuk_messages(channel):
    page = channel.post(CONFIRM, {"password": "", "code": ""}).content.decode()
    assert "Enter your password" in page
    assert "Enter the code from your authenticator app" in page


def test_a_code_works_once(channel):
    code = totp_code(totp_device_for("channel"))
    assert confirm(channel, code=code).status_code == 302
    set_confirmed_at(channel, 0)
    response = confirm(channel, code=code)
    assert response.status_code == 200
    assert channel.get(EXPORT).status_code == 302


def test_a_recovery_code_is_not_accepted(channel):
    from prevent_portal.accounts.mfa import recovery_codes_create
    from prevent_portal.accounts.models import User

    recovery = recovery_codes_create(User.objects.get(username="channel"))[0]
    assert confirm(channel, code=recovery).status_code == 200
    assert channel.get(EXPORT).status_code == 302


def test_five_failures_lock_and_end_the_session(channel):
    for _ in range(4):
        assert confirm(channel, password="wrong-wrong-wrong").status_code == 200
    response = confirm(channel, password="wrong-wrong-wrong")
    assert response.status_code == 429
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.LOCKOUT).count() == 1
    # Signed out: the export now sends to the sign-in page.
    response = channel.get(EXPORT)
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "http:///evil.example"]
)
def test_the_next_address_must_be_on_this_site(channel, next_url):
    response = confirm(channel, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:dashboard")


def test_a_user_without_the_permission_gets_403_not_the_confirm_page(client_as, reference_data):
    response = client_as("board").get(EXPORT)
    assert response.status_code == 403


def test_the_confirm_page_opens_without_an_export_waiting(channel):
    response = confirm(channel, next_url="")
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:dashboard")


@fuzz_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    password=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    code=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    next_url=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
)
def test_fuzzed_input_never_fails_and_never_confirms(channel, password, code, next_url):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()  # keep the session from being locked out
    response = channel.post(
        CONFIRM, {"password": password, "code": code, "next": next_url.replace("\x00", "")}
    )
    assert response.status_code in (200, 302)
    assert REAUTH_AT_SESSION_KEY not in channel.session
