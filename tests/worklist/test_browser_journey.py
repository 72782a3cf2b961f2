from datetime import timedelta

import pytest
from django.utils import timezone

from channel.models import PanelMeeting
from tests.referrals.conftest import new_referral
from worklist.models import Task

pytestmark = pytest.mark.django_db(transaction=True)


def test_channel_coordinator_completes_an_overdue_task_from_my_work(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    channel = persona("channel")
    today = timezone.localdate()
    referral = new_referral(actor=channel, received=today - timedelta(days=30))
    new_referral(actor=channel, family="Fakeley", received=today - timedelta(days=2))
    PanelMeeting.objects.create(meeting_date=today + timedelta(days=10), location="Invented Hall")
    gateway = referral.tasks.get()
    assert gateway.due_on < today

    sign_in("channel")
    page.get_by_role("link", name="My work").first.click()
    page.wait_for_url("**/my-work/")
    overdue = page.locator("table", has_text="past their due date")
    assert referral.reference in overdue.inner_text()
    assert "Invented Hall" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("worklist-my-work")

    overdue.get_by_role("link", name=referral.reference).click()
    assert "Tasks" in page.locator("h2.govuk-heading-m").first.inner_text()
    assert "Overdue" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("worklist-case-tasks")

    page.get_by_role("link", name="Mark as done").click()
    assert "Mark this task as done?" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("worklist-task-complete")
    page.get_by_role("button", name="Mark as done").click()
    assert "Task marked as done" in page.locator(".govuk-notification-banner").inner_text()
    assert "Done on" in page.locator("main").inner_text()
    assert Task.objects.get(pk=gateway.pk).status == "done"
    assert axe_violations() == []
    screenshot("worklist-case-tasks-done")

    page.get_by_role("link", name="Add a task").click()
    page.get_by_role("button", name="Add the task").click()  # empty: errors first
    assert "Enter what needs to be done" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations() == []
    screenshot("worklist-task-add-errors")
    page.get_by_label("What needs to be done").fill("Ask the invented school for an update")
    page.get_by_label("Due date").fill((today + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Add the task").click()
    assert "Task added" in page.locator(".govuk-notification-banner").inner_text()

    page.goto("/my-work/")
    text = page.locator("main").inner_text()
    assert "You have no overdue tasks." in text
    assert "Ask the invented school for an update" in text
    assert axe_violations() == []
    screenshot("worklist-my-work-after")
