"""A Channel coordinator without the identity grant records a referral of someone who may
already be on record; a coordinator with the grant confirms it is the same person.

The match page must say only that a possible match exists (no name, no case), and every
page passes axe.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from referrals.models import PersonMatchReview, Referral
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_match_not_shown_is_confirmed_by_a_coordinator_with_the_grant(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    from referrals.reference import load_reference_models

    load_reference_models()
    persona("channel")  # no identity grant
    coordinator = persona("coordinator")
    coordinator.can_see_identities = True
    coordinator.save()
    earlier = new_referral(
        given="Jamie", family="Testwood", born=date(2010, 5, 1), received=date(2026, 3, 2)
    )
    received = timezone.localdate() - timedelta(days=2)

    sign_in("channel")
    page.goto("/referrals/new/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Given names").fill("Jo")
    page.get_by_label("Family name").fill("Testwood")
    page.get_by_label("Date of birth", exact=True).fill("2010-05-01")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    main = page.locator("main")
    assert page.locator("h1").inner_text() == "Has this person been referred before?"
    warning = page.locator(".govuk-warning-text").inner_text()
    assert "A possible match exists" in warning and "identity grant must confirm it" in warning
    text = main.inner_text()
    for hidden in (earlier.reference, "Jamie", "J. T.", "Dover", "1 May 2010"):
        assert hidden not in text, hidden
    assert axe_violations() == []
    screenshot("referrals-intake-possible-match-without-the-grant")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Address").fill("2 Invented Row, Nowhere Town")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Referrer's name").fill("Robin Madeup")
    page.get_by_label("Sector of referral").select_option(label="Education")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Islamist", exact=True).first.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Describe the concerns").fill("Shared invented propaganda")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Date the referral was received").fill(received.isoformat())
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    assert "marked for a supervisor or a user with the identity grant" in main.inner_text()
    assert axe_violations() == []
    page.get_by_role("button", name="Record the referral").click()
    referral = Referral.objects.exclude(pk=earlier.pk).get()
    assert "may already be on record" in main.inner_text()
    assert earlier.reference not in main.inner_text()
    assert axe_violations() == []
    screenshot("referrals-case-possible-match-banner")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")

    sign_in("coordinator")
    page.goto("/my-work/")
    page.get_by_role("link", name="Confirm the possible matches").click()
    assert "1 possible match to confirm" in main.inner_text()
    assert axe_violations() == []
    page.get_by_role("link", name=referral.reference).click()
    text = main.inner_text()
    assert "Jo Testwood" in text and "Jamie Testwood" in text and earlier.reference in text
    assert axe_violations() == []
    screenshot("referrals-confirm-a-possible-match")
    page.get_by_role("button", name="Continue").click()  # nothing chosen: the error first
    assert "Select the person on record" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations() == []
    page.get_by_label("Yes, the same person as Jamie Testwood").check()
    page.get_by_role("button", name="Continue").click()
    assert "Move referral" in page.locator("h1").inner_text()
    assert axe_violations() == []
    screenshot("referrals-confirm-a-possible-match-move")
    page.get_by_role("button", name="Move the referral").click()
    assert "confirmed" in page.locator(".govuk-notification-banner").first.inner_text()
    assert axe_violations() == []
    referral.refresh_from_db()
    assert referral.person_id == earlier.person_id
    assert PersonMatchReview.objects.get().status == PersonMatchReview.Status.SAME_PERSON
