from datetime import timedelta

import pytest
from django.utils import timezone

from channel.models import PanelMeeting
from referrals.models import Referral
from tests.channel.conftest import GATHERING, move, on_agenda
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_panel_adopts_a_case_and_support_minutes_it_without_seeing_names(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    channel = persona("channel")
    channel.can_see_identities = True
    channel.save()
    persona("support")
    today = timezone.localdate()
    referral = new_referral(given="Jamie", family="Testwood", received=today - timedelta(days=10))
    move(referral, *GATHERING, on=today - timedelta(days=5))

    sign_in("channel")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Channel panels").click()
    assert page.get_by_role("heading", name="Channel panels").is_visible()
    assert axe_violations() == []
    page.get_by_role("link", name="Schedule a panel").click()
    page.get_by_role("button", name="Save the meeting").click()  # empty: errors first
    assert "Enter the date of the meeting" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations() == []
    page.get_by_label("Date of the meeting").fill(today.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Location").fill("Invented House, Committee Room 2")
    page.get_by_role("button", name="Save the meeting").click()
    assert "scheduled" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Add a case to the agenda").click()
    assert axe_violations() == []
    label = f"{referral.reference} – Jamie Testwood – Information gathering"
    page.get_by_label("Case").select_option(label=label)
    page.get_by_role("button", name="Add to the agenda").click()
    assert "added to the agenda" in page.locator(".govuk-notification-banner").inner_text()
    assert "Jamie Testwood" in page.locator("#agenda ~ table").first.inner_text()
    assert axe_violations() == []
    screenshot("channel-meeting-agenda")

    # A second case, added behind the scenes, then moved to the top of the agenda.
    second = new_referral(given="Alex", family="Fakeley", received=today - timedelta(days=9))
    move(second, *GATHERING, on=today - timedelta(days=4))
    on_agenda(PanelMeeting.objects.get(), second)
    page.reload()
    page.get_by_role("link", name="Change the order").click()
    assert axe_violations() == []
    page.get_by_role("button", name=f"Move up {second.reference}").click()
    rows = page.locator("tbody tr")
    assert second.reference in rows.nth(0).inner_text()
    screenshot("channel-agenda-order")
    page.get_by_role("link", name="Back to the meeting").click()

    page.get_by_role("link", name=f"Record the decision on {referral.reference}").click()
    assert axe_violations() == []
    page.get_by_label("Adopt as a Channel case").check()
    page.get_by_label("Reason for the decision").fill("Panel agreed Channel support (invented).")
    screenshot("channel-decision-form")
    page.get_by_role("button", name="Record the decision").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Consent" in banner
    referral.refresh_from_db()
    assert referral.status == "consent"
    assert axe_violations() == []
    screenshot("channel-meeting-decided")
    meeting_url = page.url.split("#")[0]
    page.goto(f"/referrals/case/{referral.pk}/panel/")
    assert "Adopt as a Channel case" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("channel-case-panel-section")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")

    sign_in("support")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Channel panels").click()
    assert axe_violations() == []
    screenshot("channel-panel-list-support")
    page.get_by_role("link", name=f"{today:%-d %B %Y}").first.click()
    main = page.locator("main").inner_text()
    assert referral.reference in main
    for hidden in ("Testwood", "Jamie", "Fakeley", "Adopt as a Channel case", "Consent"):
        assert hidden not in main, hidden
    assert page.get_by_role("link", name="Produce the panel pack (PDF)").count() == 0
    assert page.get_by_role("link", name=referral.reference).count() == 0
    assert axe_violations() == []
    page.get_by_role("link", name="Record the minutes").click()
    page.get_by_label("Minutes").fill(f"Panel opened at 10:00. {referral.reference} discussed.")
    page.get_by_role("button", name="Save the minutes").click()
    page.get_by_role("link", name="Add an attendee").click()
    page.get_by_label("Representative's name").fill("Pat Inventwell")
    page.get_by_label("Partner organisation").select_option(label="Kent Police")
    page.get_by_label("Present", exact=True).check()
    page.get_by_role("button", name="Add the attendee").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Circulate the minutes")
    page.get_by_label("Owner").fill("Business support")
    page.get_by_label("Due date").fill((today + timedelta(days=5)).isoformat())
    assert axe_violations() == []
    page.get_by_role("button", name="Save the action").click()
    main = page.locator("main").inner_text()
    assert "Pat Inventwell" in main and "Circulate the minutes" in main
    assert "Panel opened at 10:00" in main and "Testwood" not in main
    assert axe_violations() == []
    screenshot("channel-meeting-support")
    assert page.url.split("#")[0] == meeting_url
    response = page.goto(f"/referrals/case/{referral.pk}/panel/")
    assert response.status == 403
    assert Referral.objects.get(pk=referral.pk).status == "consent"
