"""Passwords (docs/security.md §8): Argon2, validators, reset by email, change, audit."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from prevent_portal.accounts.models import User
from prevent_portal.audit.models import AuditEvent
from tests.conftest import PASSWORD, sign_in_with_mfa

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-pebble-42"
ROOT = Path(__file__).resolve().parent.parent.parent


def test_passwords_are_hashed_with_argon2id(persona):
    """The portal's settings hash with Argon2id. The suite runs on tests/settings.py,
    which swaps in a fast hasher, so the real list is set here."""
    from prevent_portal import settings as portal_settings

    assert portal_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = persona("board")
    with override_settings(PASSWORD_HASHERS=portal_settings.PASSWORD_HASHERS):
        user.set_password(NEW_PASSWORD)
        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password(NEW_PASSWORD)


def test_the_production_settings_hash_with_argon2id():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prevent_portal.settings_production",
        "SECRET_KEY": "x" * 20 + "a-long-random-value-for-the-hasher-check-only-12345",
        "ALLOWED_HOSTS": "portal.example.invalid",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PASSWORD_HASHERS[0])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_test_settings_change_only_the_hasher():
    """tests/settings.py is the portal's settings with a fast hasher, and nothing else."""
    from prevent_portal import settings as portal_settings
    from tests import settings as test_settings

    def values(module):
        return {name: getattr(module, name) for name in dir(module) if name.isupper()}

    portal, tests = values(portal_settings), values(test_settings)
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "tests.settings"
    assert settings.PASSWORD_HASHERS == test_settings.PASSWORD_HASHERS
    assert {name for name in portal | tests if portal.get(name) != tests.get(name)} == {
        "PASSWORD_HASHERS"
    }


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
        ("jamie.testwood@example.org", "too similar"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    user = User(username="jamie", first_name="Jamie", email="jamie.testwood@example.org")
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert any(message in text for text in error.value.messages)


def test_a_long_password_without_composition_rules_is_accepted():
    validate_password("lantern orchard pebble quietly", User(username="jamie"))


def reset_link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", body).group(1)


def test_reset_sends_a_one_hour_link_and_sets_the_password(client, persona):
    user = persona("education")
    user.email = "education@example.org"
    user.save()
    response = client.post(reverse("accounts:password-reset"), {"email": "education@example.org"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    assert "one hour" in mail.outbox[0].body
    assert settings.PASSWORD_RESET_TIMEOUT == 3600

    page = client.get(reset_link(mail.outbox[0].body), follow=True)
    assert b"Set a new password" in page.content
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The user is told by email, and the change is audited without the password.
    assert mail.outbox[-1].subject == "Your Prevent Portal password was changed"
    event = AuditEvent.objects.get(summary="Changed their password (reset by email)")
    assert event.changes == {"password": {"changed": True}}
    assert NEW_PASSWORD not in str(event.changes)


def test_the_reset_page_does_not_say_whether_the_address_is_known(client, persona):
    persona("education")
    known = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert known["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_a_reset_link_works_once(client, persona):
    user = persona("education")
    url = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    form_url = client.get(url, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(url, follow=True)
    assert b"The link has expired or was already used" in again.content


def test_an_expired_link_is_refused(client, persona, settings):
    user = persona("education")
    settings.PASSWORD_RESET_TIMEOUT = -1
    url = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    assert b"The link has expired" in client.get(url, follow=True).content


def test_a_weak_new_password_shows_the_error_and_changes_nothing(client, persona):
    user = persona("education")
    url = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    form_url = client.get(url, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    body = response.content.decode()
    assert "<title>Error: Set a new password" in body
    assert "There is a problem" in body
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_reset_ends_every_other_session(client, persona):
    from django.test import Client

    persona("education")
    elsewhere = Client()
    sign_in_with_mfa(elsewhere, "education")
    assert elsewhere.get(reverse("reporting:dashboard")).status_code == 200
    user = User.objects.get(username="education")  # the token covers last_login
    url = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    form_url = client.get(url, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert elsewhere.get(reverse("reporting:dashboard")).status_code == 302


def test_a_signed_in_user_changes_their_password(client_as):
    client = client_as("board")
    user = User.objects.get(username="board")
    user.email = "board@example.org"
    user.save()
    wrong = client.post(
        reverse("accounts:password-change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your current password is not correct" in wrong.content.decode()
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password-change-done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert [m.to for m in mail.outbox] == [["board@example.org"]]
    assert AuditEvent.objects.filter(
        summary="Changed their password (changed while signed in)"
    ).exists()
    # Still signed in on this device.
    assert client.get(reverse("reporting:dashboard")).status_code == 200


def test_the_sign_in_page_links_to_the_reset(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password-reset") in body
