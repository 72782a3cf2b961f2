from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import CaseNote, Intervention, RiskFlag
from referrals.models import Referral
from tests.casework.conftest import TO_CONSENT, move, provider
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_channel_adopts_a_case_with_consent_and_works_it(
    page, persona, sign_in, screenshot, axe_violations
):
    channel = persona("channel")
    channel.can_see_identities = True
    channel.save()
    today = timezone.localdate()
    received = today - timedelta(days=30)
    referral = move(new_referral(received=received), *TO_CONSENT, on=received + timedelta(days=5))
    provider("Invented Mentoring Partnership", accredited=True)
    day = (received + timedelta(days=10)).isoformat()

    sign_in("channel")
    page.goto(f"/referrals/case/{referral.pk}/consent-and-support/")
    assert axe_violations() == []
    page.get_by_role("link", name="Record consent").click()
    page.get_by_role("button", name="Record consent").click()  # empty: errors first
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select whether consent was given, declined or withdrawn" in summary
    assert axe_violations() == []
    screenshot("casework-consent-errors")
    page.get_by_label("Given", exact=True).check()
    page.get_by_label("The person", exact=True).check()  # a child: refused by the service
    page.get_by_label("Date", exact=True).fill(day)
    page.get_by_role("button", name="Record consent").click()
    assert "under 18 on that date" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("A parent or carer").check()
    page.get_by_label("Their name").fill("Pat Invented-Parent")
    page.get_by_role("button", name="Record consent").click()
    assert "Consent given recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "Adopted as a Channel case" in page.locator("main").inner_text()
    assert Referral.objects.get(pk=referral.pk).status == "adopted"
    assert axe_violations() == []

    page.get_by_role("link", name="Add an intervention").click()
    page.get_by_label("Type of intervention").select_option(
        label="Intervention Provider (ideological mentoring)"
    )
    page.get_by_label("Provider").select_option(
        label="Invented Mentoring Partnership (Home Office accredited)"
    )
    page.get_by_label("Goal").fill("Challenge invented ideas met online")
    page.get_by_label("Start date").fill(day)
    page.get_by_label("Number of sessions").fill("8")
    assert axe_violations() == []
    page.get_by_role("button", name="Save the intervention").click()
    assert "Intervention added" in page.locator(".govuk-notification-banner").inner_text()
    assert Intervention.objects.count() == 1
    assert axe_violations() == []
    screenshot("casework-consent-and-support")

    page.get_by_role("link", name="Notes", exact=True).click()
    page.get_by_role("link", name="Add a note").click()
    page.get_by_label("Date and time of contact").fill(f"{day}T10:30")
    page.get_by_label("Home visit").check()
    page.get_by_label("Note", exact=True).fill("Visited the invented family home")
    assert axe_violations() == []
    page.get_by_role("button", name="Add the note").click()
    assert "Visited the invented family home" in page.locator(".moj-timeline").inner_text()
    assert CaseNote.objects.count() == 1
    assert axe_violations() == []
    screenshot("casework-notes")

    page.get_by_role("link", name="Risk and escalations").click()
    page.get_by_role("link", name="Raise a risk flag or record an escalation").click()
    page.get_by_label("Escalated to children's social care").check()
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("To whom").fill("Invented children's services front door")
    page.get_by_label("Reason").fill("Invented new safeguarding concern")
    assert axe_violations() == []
    screenshot("casework-risk-form")
    page.get_by_role("button", name="Raise the flag").click()
    assert RiskFlag.objects.count() == 1

    page.get_by_role("link", name="Case", exact=True).click()
    banner = page.get_by_role("region", name="Open risk flags (1)")
    assert banner.is_visible()
    assert "Escalated to children's social care" in banner.inner_text()
    assert axe_violations() == []
    screenshot("casework-case-with-risk-banner")
