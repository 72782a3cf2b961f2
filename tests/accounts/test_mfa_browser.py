"""In Chromium: the whole MFA journey, with an axe scan of each MFA page."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def code_from(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app holding `secret` shows (now, or a step later: the
    portal accepts one step of clock drift, and a step already used never again)."""
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password_step(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def test_enrol_save_recovery_codes_sign_out_and_sign_in_with_a_code(
    page, persona, reference_data, screenshot, axe_violations
):
    persona("education")
    password_step(page, "education")
    # No authenticator yet: enrolment, whatever page was asked for.
    assert page.url.endswith("/accounts/mfa/set-up/?next=%2F")
    page.goto("/training/")
    assert "/accounts/mfa/" in page.url
    page.wait_for_load_state("networkidle")
    assert "/accounts/mfa/set-up/" in page.url
    qr = page.get_by_role("img", name=re.compile("QR code"))
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot("accounts-mfa-enrol")
    assert axe_violations() == []
    secret = re.sub(r"Key:|\s", "", page.locator("#mfa-secret").inner_text())
    assert len(secret) == 32

    # A wrong code first: the error summary and the field's message.
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    screenshot("accounts-mfa-enrol-error")
    assert axe_violations() == []
    time.sleep(1.1)  # django-otp's delay after a wrong code

    page.get_by_label("Code from your authenticator app").fill(code_from(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/mfa/recovery-codes/" in page.url
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    screenshot("accounts-mfa-recovery-codes")
    assert axe_violations() == []
    page.get_by_role("link", name="I have saved my recovery codes").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/training/")

    page.locator(".portal-header").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/sign-in/" in page.url

    password_step(page, "education")
    assert "/accounts/mfa/?next=" in page.url
    screenshot("accounts-mfa-verify")
    assert axe_violations() == []
    page.get_by_label("Code", exact=True).fill(code_from(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).is_visible()
    assert "/accounts/" not in page.url

    # A recovery code, on another sign-in, works once.
    page.locator(".portal-header").get_by_role("button", name="Sign out").click()
    password_step(page, "education")
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/" not in page.url
    assert "9 left" in page.locator("body").inner_text()
    screenshot("accounts-mfa-recovery-code-used")


def test_an_administrator_resets_mfa_in_the_browser(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("admin")
    target = persona("education")  # no case access: reset at once
    sign_in("admin")
    page.goto(f"/accounts/users/{target.pk}/")
    page.get_by_role("link", name="Reset MFA").click()
    page.wait_for_load_state("networkidle")
    screenshot("accounts-mfa-reset-confirm")
    assert axe_violations() == []
    page.get_by_role("button", name=re.compile("Reset MFA for")).click()
    page.wait_for_load_state("networkidle")
    assert "MFA reset for" in page.locator("body").inner_text()
    assert "Not set up" in page.locator("body").inner_text()
