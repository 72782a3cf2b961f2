from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.models import Referral, ReferralEvent
from referrals.services import referral_transition
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_channel_records_the_gateway_outcome_and_a_stale_tab_is_refused(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    channel = persona("channel")
    today = timezone.localdate()
    referral = new_referral(received=today - timedelta(days=10))
    referral_transition(
        actor=channel,
        referral=referral,
        to_status="police_gateway",
        reason="Sent to the invented gateway desk",
        occurred_on=today - timedelta(days=8),
        expected_version=1,
    )
    url = f"/referrals/case/{referral.pk}/"

    sign_in("channel")
    page.goto(url)
    stale = page.context.new_page()  # a second tab, opened before the step is recorded
    stale.goto(url)
    assert axe_violations() == []

    page.get_by_role("button", name="Record the step").click()  # empty: errors first
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select what happened next" in summary and "Enter the reason" in summary
    assert axe_violations() == []

    page.get_by_label("Proceed: gather information").check()
    page.get_by_label("Reason or notes").fill("Vulnerability found at the gateway")
    page.get_by_label("Date of the step").fill((today - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Record the step").click()
    assert (
        "Recorded: Information gathering" in page.locator(".govuk-notification-banner").inner_text()
    )
    items = page.locator(".moj-timeline__item")
    assert items.count() == 2
    assert "Information gathering" in items.first.inner_text()
    assert "Vulnerability found at the gateway" in items.first.inner_text()
    assert page.get_by_label("Discussed at a Channel panel").is_visible()
    assert axe_violations() == []
    screenshot("referrals-case-step-recorded")

    stale.get_by_label("No further action").check()
    stale.get_by_label("Reason or notes").fill("No concern")
    stale.get_by_label("Date of the step").fill((today - timedelta(days=1)).isoformat())
    stale.get_by_role("button", name="Record the step").click()
    assert "changed by someone else" in stale.locator(".govuk-error-summary").inner_text()
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == ("information_gathering", 3)
    assert ReferralEvent.objects.filter(referral=referral).count() == 2
