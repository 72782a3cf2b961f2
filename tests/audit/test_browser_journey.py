"""In Chromium: confirming identity before a case export; reviewing an unusual access alert."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from prevent_portal.audit.models import AuditEvent, SecurityAlert
from tests.browser.fixtures import totp_code, totp_device_for
from tests.conftest import PASSWORD, make_user
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_case_export_asks_for_the_password_and_a_code_first(
    page, sign_in, screenshot, axe_violations, reference_data
):
    make_user("exporter", "channel", first_name="Robin", last_name="Exporter")
    new_referral(given="Jamie", family="Testwood")
    sign_in("exporter")
    page.goto("/referrals/")
    page.get_by_role("link", name="Download these cases (CSV)").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/confirm-identity/" in page.url
    assert page.get_by_role("heading", name="Confirm it is you").is_visible()
    screenshot("audit-confirm-identity")
    assert axe_violations() == []

    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator(".govuk-error-summary")
    assert "Enter your correct password and a current code" in summary.inner_text()
    screenshot("audit-confirm-identity-error")
    assert axe_violations() == []

    # After a wrong code the authenticator is throttled for a second (django-otp); a person
    # takes longer than that to type again, a fast test may not.
    device = totp_device_for("exporter")
    device.throttle_reset()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    with page.expect_download() as download:
        page.get_by_role("button", name="Continue").click()
    assert download.value.suggested_filename.startswith("cases-")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "J. T. (name hidden)" in text and "Testwood" not in text
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).count() == 1


def test_a_supervisor_reviews_and_acknowledges_an_alert(
    page, sign_in, screenshot, axe_violations, reference_data
):
    make_user("coordinator", "coordinator", first_name="Sam", last_name="Overseer")
    worker = make_user("busy-worker", "channel", first_name="Alex", last_name="Busy")
    now = timezone.now()
    SecurityAlert.objects.create(
        user=worker,
        window_start=now - timedelta(hours=1),
        window_end=now,
        case_count=41,
        baseline_per_hour=2.5,
        threshold=30,
    )
    sign_in("coordinator")
    page.goto("/audit/alerts/")
    assert page.get_by_role("heading", name="Security alerts").is_visible()
    assert "1 open alert" in page.locator("caption").inner_text()
    screenshot("audit-security-alerts")
    assert axe_violations() == []

    page.get_by_role("link", name="Acknowledge the alert about busy-worker").click()
    page.wait_for_load_state("networkidle")
    screenshot("audit-security-alert-acknowledge")
    assert axe_violations() == []
    page.get_by_role("button", name="Acknowledge the alert").click()
    page.wait_for_load_state("networkidle")
    assert (
        "Alert about busy-worker acknowledged"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "0 open alerts" in page.locator("caption").inner_text()
    assert SecurityAlert.objects.get().acknowledged_at is not None


def test_a_supervisor_sees_who_opened_a_case_in_its_access_log(
    page, sign_in, screenshot, axe_violations, reference_data
):
    from referrals.services import referral_record_view

    make_user("coordinator", "coordinator", first_name="Sam", last_name="Overseer")
    worker = make_user("busy-worker", "channel", first_name="Alex", last_name="Busy")
    referral = new_referral(given="Jamie", family="Testwood")
    referral_record_view(actor=worker, referral=referral, section="Notes")
    sign_in("coordinator")
    page.goto(f"/referrals/case/{referral.pk}/")
    page.locator(".moj-sub-navigation").get_by_role("link", name="Access log").click()
    expect_url = f"/referrals/case/{referral.pk}/access-log/"
    assert page.url.endswith(expect_url)
    table = page.get_by_role("table")
    # Its opening of the log and of the case, the officer's view, the creation.
    assert "4 entries" in table.locator("caption").inner_text()
    rows = table.locator("tbody tr").all_inner_texts()
    assert "coordinator" in rows[0] and "(access log)" in rows[0]
    assert "busy-worker" in rows[2] and "(notes)" in rows[2]
    assert page.locator('.moj-sub-navigation [aria-current="page"]').inner_text() == "Access log"
    screenshot("case-access-log")
    assert axe_violations() == []
