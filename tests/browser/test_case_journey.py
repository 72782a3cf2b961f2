"""A Channel case from referral to the 6-month post-exit review, in the browser.

The Channel coordinator records the referral through the multi-page form, records the
police gateway outcome, puts the case on a panel agenda, records adoption and consent,
adds an intervention, exits the case and records the 6-month review. A board member who
then opens the case's URLs sees nothing of it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Intervention
from prevent_portal.audit.models import AuditEvent
from referrals.models import Referral
from tests.browser.checks import check_error_state, check_page
from tests.casework.conftest import provider

pytestmark = pytest.mark.django_db(transaction=True)


def record_step(page, label: str, on, reason: str) -> None:
    page.get_by_label(label, exact=True).check()
    page.get_by_label("Reason or notes").fill(reason)
    page.get_by_label("Date of the step").fill(on.isoformat())
    page.get_by_role("button", name="Record the step").click()
    assert "Recorded" in page.locator(".govuk-notification-banner").inner_text()


def test_a_case_from_referral_to_its_six_month_review(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    channel = persona("channel")
    channel.can_see_identities = True
    channel.save()
    persona("board")
    provider("Invented Mentoring Partnership", accredited=True)
    today = timezone.localdate()
    received = today - timedelta(days=270)
    panel_day = received + timedelta(days=30)
    exited = received + timedelta(days=60)  # about seven months ago

    # 1. The referral, through the multi-page form.
    sign_in("channel")
    page.goto("/referrals/")
    page.get_by_role("link", name="Record a new referral").click()
    check_page(page, axe_violations)
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()  # empty: errors first
    check_error_state(page, axe_violations, screenshot, "journey-intake-errors",
                      expect="There is a problem")  # fmt: skip
    page.get_by_label("Given names").fill("Morgan")
    page.get_by_label("Family name").fill("Journeyfield")
    page.get_by_label("Date of birth", exact=True).fill("1998-02-11")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Address").fill("9 Invented Close, Nowhere Town")
    page.get_by_label("District").select_option(label="Thanet")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Referrer's name").fill("Sam Madeup")
    page.get_by_label("Sector of referral").select_option(label="Health")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Extreme Right-Wing", exact=True).first.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Describe the concerns").fill("Invented concerns about online material")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Date the referral was received").fill(received.isoformat())
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    assert "Check your answers" in page.locator("h1").inner_text()
    check_page(page, axe_violations, screenshot, "journey-check-answers")
    page.get_by_role("button", name="Record the referral").click()
    referral = Referral.objects.get()
    case_url = f"/referrals/case/{referral.pk}/"
    assert page.url.endswith(case_url)

    # 2. The police gateway, then information gathering.
    record_step(
        page,
        "Sent to the police gateway assessment",
        received + timedelta(days=2),
        "Passed to the gateway",
    )
    record_step(
        page,
        "Proceed: gather information",
        received + timedelta(days=7),
        "Gateway found vulnerability (invented)",
    )
    assert axe_violations() == []
    screenshot("journey-case-gathering")

    # 3. A panel: schedule it, put the case on the agenda, adopt.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Channel panels").click()
    page.get_by_role("link", name="Schedule a panel").click()
    page.get_by_label("Date of the meeting").fill(panel_day.isoformat())
    page.get_by_label("Location").fill("Invented House, Room 1")
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_role("link", name="Add a case to the agenda").click()
    page.get_by_label("Case").select_option(
        label=f"{referral.reference} – Morgan Journeyfield – Information gathering"
    )
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_role("link", name=f"Record the decision on {referral.reference}").click()
    page.get_by_label("Adopt as a Channel case").check()
    page.get_by_label("Reason for the decision").fill("Panel agreed support (invented)")
    page.get_by_role("button", name="Record the decision").click()
    referral.refresh_from_db()
    assert referral.status == "consent"
    assert axe_violations() == []
    screenshot("journey-panel-decided")

    # 4. Consent given: the case is adopted; an intervention.
    page.goto(f"{case_url}consent-and-support/")
    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("Given", exact=True).check()
    page.get_by_label("The person", exact=True).check()
    page.get_by_label("Date", exact=True).fill((panel_day + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Record consent").click()
    assert Referral.objects.get(pk=referral.pk).status == "adopted"
    page.get_by_role("link", name="Add an intervention").click()
    page.get_by_label("Type of intervention").select_option(
        label="Intervention Provider (ideological mentoring)"
    )
    page.get_by_label("Provider").select_option(
        label="Invented Mentoring Partnership (Home Office accredited)"
    )
    page.get_by_label("Goal").fill("Explore invented grievances with a mentor")
    page.get_by_label("Start date").fill((panel_day + timedelta(days=5)).isoformat())
    page.get_by_label("Number of sessions").fill("6")
    page.get_by_role("button", name="Save the intervention").click()
    assert Intervention.objects.filter(plan__referral=referral).count() == 1
    assert axe_violations() == []
    screenshot("journey-support-plan")

    # 5. Exit, then the 6-month post-exit review.
    page.get_by_role("link", name="Case", exact=True).click()
    record_step(page, "Exited Channel", exited, "Support completed; no further concerns")
    record_step(
        page,
        "Post-exit review (6 or 12 months)",
        today,
        "Six-month review: no new concerns (invented)",
    )
    referral.refresh_from_db()
    assert referral.status == "post_exit_review"
    assert referral.left_process_on == exited
    assert referral.disposal_due_on.year == exited.year + 6
    timeline = page.locator(".moj-timeline").inner_text()
    for step in ("Exited Channel", "Post-exit review", "Consent", "Police gateway"):
        assert step.lower() in timeline.lower(), step
    assert axe_violations() == []
    screenshot("journey-six-month-review")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")

    # 6. A board member sees nothing of the case, on any of its pages.
    sign_in("board")
    for path in ("", "consent-and-support/", "panel/", "notes/", "assessments/"):
        response = page.goto(f"{case_url}{path}")
        assert response.status in (403, 404), path
        text = page.locator("body").inner_text()
        assert "Journeyfield" not in text and referral.reference not in text, path
    assert not AuditEvent.objects.filter(
        actor_username="board", verb=AuditEvent.Verb.VIEW, target_id=str(referral.pk)
    ).exists()
