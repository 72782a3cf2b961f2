from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_channel_records_a_referral_and_a_board_member_cannot_open_it(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    channel = persona("channel")
    channel.can_see_identities = True
    channel.save()
    persona("board")
    received = timezone.localdate() - timedelta(days=3)

    sign_in("channel")
    page.goto("/referrals/")
    assert axe_violations() == []
    page.get_by_role("link", name="Record a new referral").click()
    assert axe_violations() == []
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()  # empty: errors first
    assert "Enter the given names" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations() == []
    screenshot("referrals-intake-person-errors")
    page.get_by_label("Given names").fill("Jamie")
    page.get_by_label("Family name").fill("Testwood")
    page.get_by_label("Date of birth", exact=True).fill("2011-06-15")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    assert axe_violations() == []
    page.get_by_label("Address").fill("1 Invented Row, Nowhere Town")
    page.get_by_label("District").select_option(label="Dover")
    page.get_by_role("button", name="Continue").click()
    assert axe_violations() == []
    page.get_by_label("Referrer's name").fill("Robin Madeup")
    page.get_by_label("Sector of referral").select_option(label="Education")
    page.get_by_role("button", name="Continue").click()
    assert axe_violations() == []
    page.get_by_label("Islamist", exact=True).first.check()
    page.get_by_role("button", name="Continue").click()
    assert axe_violations() == []
    page.get_by_label("Describe the concerns").fill("Shared invented propaganda in class")
    page.get_by_role("button", name="Continue").click()
    assert axe_violations() == []
    page.get_by_label("Date the referral was received").fill(received.isoformat())
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    assert "Check your answers" in page.locator("h1").inner_text()
    assert "Jamie Testwood" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("referrals-intake-check")
    page.get_by_role("button", name="Record the referral").click()
    referral = Referral.objects.get()
    assert referral.reference in page.locator(".govuk-notification-banner").inner_text()
    assert axe_violations() == []
    screenshot("referrals-case-page")
    page.goto("/referrals/")
    assert page.get_by_role("link", name=referral.reference).is_visible()
    screenshot("referrals-case-list")
    case_url = page.url.replace("/referrals/", f"/referrals/case/{referral.pk}/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")

    sign_in("board")
    response = page.goto(case_url)
    assert response.status == 403
    text = page.locator("body").inner_text()
    assert "Testwood" not in text and referral.reference not in text
    assert axe_violations() == []
    screenshot("referrals-case-board-403")
