"""MFA (docs/security.md §6): enrolment, the code step, a code works once, recovery codes,
lockout after wrong codes, the administrator's reset, the demo secret."""

import io
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_portal.accounts.models import User
from prevent_portal.audit.models import AuditEvent
from tests.browser.fixtures import totp_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:mfa-verify")
ENROL = reverse("accounts:mfa-enrol")
HOME = reverse("reporting:dashboard")


def password_only(username: str) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    return client


def device_for(user, **extra) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="App", confirmed=True, **extra)


def test_after_the_password_a_user_with_an_app_is_asked_for_a_code(persona):
    device_for(persona("coordinator"))
    client = password_only("coordinator")
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2F"
    assert "Enter a code from your authenticator app" in client.get(VERIFY).content.decode()


def test_a_right_code_lets_the_user_in_and_is_audited(persona):
    device = device_for(persona("coordinator"))
    client = password_only("coordinator")
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/referrals/"})
    assert response.status_code == 302
    assert response["Location"] == "/referrals/"
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.LOGIN, summary="Passed MFA", actor__username="coordinator"
    ).exists()


def _cookie_only(session_key: str) -> Client:
    """A browser that holds nothing but this session cookie."""
    from django.conf import settings

    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return other


def test_passing_mfa_rotates_the_session_key_and_the_old_key_is_dead(persona):
    from prevent_portal.accounts.models import UserSession

    device = device_for(persona("coordinator"))
    client = password_only("coordinator")
    half_signed_in = client.session.session_key
    assert UserSession.objects.filter(session_key=half_signed_in).exists()
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response["Location"] == HOME
    signed_in = client.session.session_key
    assert signed_in != half_signed_in
    assert not Session.objects.filter(session_key=half_signed_in).exists()
    # The old key opens nothing: it is sent to sign in, not even to the MFA step.
    replay = _cookie_only(half_signed_in).get(HOME)
    assert replay["Location"].startswith(reverse("accounts:login"))
    assert client.get(HOME).status_code == 200
    # The user's list of sessions follows the new key, so that deactivation ends it.
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [signed_in]


def test_enrolling_rotates_the_session_key_too(persona):
    user = persona("coordinator")
    client = password_only("coordinator")
    client.get(ENROL)
    half_signed_in = client.session.session_key
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(ENROL, {"code": totp_code(device)})
    assert client.session.session_key != half_signed_in
    assert not Session.objects.filter(session_key=half_signed_in).exists()
    assert _cookie_only(half_signed_in).get(HOME)["Location"].startswith(reverse("accounts:login"))
    assert client.get(HOME).status_code == 200


def test_the_next_address_must_be_on_this_site(persona):
    device = device_for(persona("coordinator"))
    client = password_only("coordinator")
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == HOME


def test_a_code_works_once(persona):
    user = persona("coordinator")
    device = device_for(user)
    code = totp_code(device)
    first = password_only("coordinator")
    assert first.post(VERIFY, {"code": code})["Location"] == HOME
    second = password_only("coordinator")
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Enter a correct code" in response.content.decode()
    assert second.get(HOME).status_code == 302


def test_a_wrong_code_is_refused_shown_and_audited(persona):
    device_for(persona("coordinator"))
    client = password_only("coordinator")
    response = client.post(VERIFY, {"code": "000000"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Enter a code" in body
    assert "There is a problem" in body
    assert client.get(HOME).status_code == 302
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.LOGIN_FAILED,
        summary="Sign-in failed: wrong MFA code",
        actor_username="coordinator",
    ).exists()
    assert "000000" not in str(list(AuditEvent.objects.values()))


def test_an_empty_code_is_asked_for(persona):
    device_for(persona("coordinator"))
    response = password_only("coordinator").post(VERIFY, {"code": ""})
    assert "Enter the code" in response.content.decode()


def test_five_wrong_codes_lock_the_account_like_five_wrong_passwords(persona):
    user = persona("coordinator")
    device = device_for(user)
    client = password_only("coordinator")
    statuses = [client.post(VERIFY, {"code": "000000"}).status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    # The half-finished sign-in has ended, and the password no longer gets in.
    assert client.get(HOME).status_code == 302
    assert "_auth_user_id" not in client.session
    again = Client().post(
        reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD}
    )
    assert again.status_code == 429
    device.refresh_from_db()
    # django-otp's own growing delay applies as well (failures while throttled not counted).
    assert device.throttling_failure_count >= 1


def test_a_user_without_an_app_is_sent_to_enrol(persona):
    persona("education")
    client = password_only("education")
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)


def enrol(client, user):
    """Open the enrolment page and read the secret typed out on it."""
    body = client.get(ENROL).content.decode()
    secret = re.search(r'id="mfa-secret">(.*?)</p>', body, re.S).group(1)
    secret = re.sub(r"<[^>]+>|Key: |\s", "", secret)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return body, secret, device


def test_enrolment_shows_the_qr_code_and_the_secret_and_confirms_with_a_code(persona):
    import base64

    user = persona("education")
    client = password_only("education")
    body, secret, device = enrol(client, user)
    assert base64.b32decode(secret) == device.bin_key
    assert 'src="/accounts/mfa/set-up/qr-code.svg"' in body
    qr = client.get(reverse("accounts:mfa-qr-code"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg") and b"style" not in qr.content
    assert "no-store" in qr["Cache-Control"]
    # A wrong code confirms nothing.
    response = client.post(ENROL, {"code": "000000"})
    assert "Enter a correct code" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    # The code computed from the secret shown confirms it (once django-otp's short delay
    # after a wrong code has passed).
    device.throttle_reset()
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    response = client.post(ENROL, {"code": code})
    assert response["Location"].startswith(reverse("accounts:mfa-recovery-codes"))
    device.refresh_from_db()
    assert device.confirmed
    page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", page)
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    # Shown once only.
    assert client.get(reverse("accounts:mfa-recovery-codes")).status_code == 302
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(
        summary="Set up MFA (authenticator app and recovery codes)", target_id=str(user.pk)
    ).exists()
    # Set up now: the enrolment page cannot replace it.
    assert client.get(ENROL).status_code == 302


def test_enrolment_cannot_replace_a_confirmed_app_before_mfa(persona):
    device_for(persona("coordinator"))
    client = password_only("coordinator")
    assert client.get(ENROL)["Location"] == VERIFY
    assert client.get(reverse("accounts:mfa-qr-code"))["Location"] == ENROL
    assert TOTPDevice.objects.filter(confirmed=False).count() == 0


def test_a_recovery_code_works_once(persona):
    user = persona("coordinator")
    device_for(user)
    static = StaticDevice.objects.create(user=user, name="Recovery codes")
    static.token_set.create(token="abcd2345")
    static.token_set.create(token="efgh6789")
    client = password_only("coordinator")
    response = client.post(VERIFY, {"code": "abcd2345"})
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    again = password_only("coordinator")
    assert again.post(VERIFY, {"code": "abcd2345"}).status_code == 200
    assert list(static.token_set.values_list("token", flat=True)) == ["efgh6789"]


def test_an_administrator_resets_mfa_after_a_confirmation_page(client_as, persona):
    from tests.conftest import sign_in_with_mfa

    # An account without case access: reset at once (with case access it needs a
    # second person: tests/accounts/test_access_approval.py).
    target = persona("education")
    User.objects.filter(pk=target.pk).update(email="sam@example.org")
    elsewhere = Client()
    sign_in_with_mfa(elsewhere, "education")
    StaticDevice.objects.create(user=target, name="Recovery codes")
    key = elsewhere.session.session_key
    client = client_as("admin")
    url = reverse("accounts:user-mfa-reset", args=[target.pk])
    page = client.get(url).content.decode()
    assert "Reset MFA for Education Testperson?" in page
    response = client.post(url, {"version": target.version})
    assert response["Location"] == reverse("accounts:user-detail", args=[target.pk])
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    assert not Session.objects.filter(session_key=key).exists()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE, target_id=str(target.pk))
    assert event.actor.username == "admin"
    assert "Reset MFA" in event.summary
    # The account's holder is told, at the address on the account.
    [notice] = mail.outbox
    assert notice.to == ["sam@example.org"] and "were removed" in notice.body
    # Next sign-in: enrolment again.
    assert password_only("education").get(VERIFY)["Location"].startswith(ENROL)


def test_a_stale_reset_changes_nothing(client_as, persona):
    target = persona("channel")
    device_for(target)
    response = client_as("admin").post(
        reverse("accounts:user-mfa-reset", args=[target.pk]), {"version": target.version + 1}
    )
    assert response.status_code == 200
    assert "Someone else changed this user" in response.content.decode()
    assert TOTPDevice.objects.filter(user=target).exists()


def test_only_user_managers_may_reset_mfa(client_as, persona):
    target = persona("channel")
    device_for(target)
    url = reverse("accounts:user-mfa-reset", args=[target.pk])
    assert client_as("coordinator").post(url, {"version": target.version}).status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()


def test_seed_demo_gives_every_demo_user_the_published_secret(settings):
    from prevent_portal.accounts.management.commands import seed_demo

    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"\nDemo TOTP secret: {seed_demo.DEMO_TOTP_SECRET}\n" in out.getvalue()
    import base64

    key = base64.b32decode(seed_demo.DEMO_TOTP_SECRET).hex()
    for username, *_ in seed_demo.DEMO_USERS:
        devices = TOTPDevice.objects.filter(user=User.objects.get(username=username))
        assert [(d.key, d.confirmed) for d in devices] == [(key, True)]


def test_before_the_code_the_service_navigation_offers_no_areas(persona):
    device = device_for(persona("coordinator"))
    client = password_only("coordinator")
    page = client.get(VERIFY).content.decode()
    assert 'href="/referrals/"' not in page and 'href="/training/"' not in page
    client.post(VERIFY, {"code": totp_code(device), "next": "/"})
    assert 'href="/referrals/"' in client.get(HOME).content.decode()
