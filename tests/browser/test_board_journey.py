from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import PlanAction
from tests.governance.factories import make_action, make_area, make_assessment, make_plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_updates_progress_and_the_board_sees_the_new_rag(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    today = timezone.localdate()
    plan = make_plan(starts_on=today - timedelta(days=90), ends_on=today + timedelta(days=275))
    action = make_action(
        plan, reference="4.1", heading=4, description="Deliver Prevent Awareness sessions",
        status="on_track", rag="green", due_on=today + timedelta(days=60),
    )  # fmt: skip
    make_action(plan, reference="4.2", heading=4, status="at_risk", rag="amber",
                due_on=today + timedelta(days=60))  # fmt: skip
    action.risk_areas.add(make_area(make_assessment(), title="Online radicalisation"))
    persona("coordinator")
    persona("board")

    sign_in("coordinator")
    page.goto(f"/partnership/actions/{action.pk}/")
    assert axe_violations() == []
    page.get_by_role("link", name="Add a progress update").click()
    page.get_by_role("button", name="Save the update").click()  # empty: errors first
    summary = page.locator(".govuk-error-summary")
    assert "Enter the progress made" in summary.inner_text()
    assert axe_violations() == []
    screenshot("governance-progress-errors")
    page.get_by_label("Date of the update").fill(today.isoformat())
    page.get_by_label("Status").select_option("off_track")
    page.get_by_label("Red").check()
    page.get_by_label("Progress").fill("Trainers were redeployed; sessions paused.")
    page.get_by_role("button", name="Save the update").click()
    assert (
        "Progress update on action 4.1 saved"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert page.locator(".moj-timeline").get_by_text("Trainers were redeployed").is_visible()
    assert axe_violations() == []
    screenshot("governance-action-detail")
    assert PlanAction.objects.get(pk=action.pk).rag == "red"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")

    sign_in("board")
    page.goto("/partnership/")
    assert axe_violations() == []
    screenshot("governance-hub-board")
    page.get_by_role("link", name="Board view: progress, overdue actions and risks").click()
    bar = page.locator('svg[aria-label^="Training"]')
    assert bar.get_attribute("aria-label") == "Training: 1 red, 1 amber"
    assert bar.locator('rect[data-rag="red"]').count() == 1
    assert bar.locator('rect[data-rag="green"]').count() == 0
    changes = page.get_by_role("table", name="1 progress update")
    assert "Trainers were redeployed" in changes.inner_text()
    assert page.get_by_role("link", name="Add a progress update").count() == 0
    assert axe_violations() == []
    screenshot("reporting-board-view")
