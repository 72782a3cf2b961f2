"""The coordinator logs a session from the home page and finds it in the list."""

from datetime import date

import pytest
from django.utils import timezone

from governance.models import Partner
from tests.training.helpers import make_session
from training.models import TrainingSession

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_coordinator_logs_a_session_and_sees_it_in_the_list_and_totals(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("coordinator")
    make_session(on=date(2020, 5, 1), attendees=10)  # a session of an earlier year
    sign_in("coordinator")
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Training").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Training", level=1).is_visible()
    page.get_by_role("link", name="Log a session").click()
    page.wait_for_load_state("networkidle")

    # Submitting nothing shows the error summary first.
    page.get_by_role("button", name="Save the session").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator(".govuk-error-summary")
    assert "Enter the date of the session" in summary.inner_text()
    assert axe_violations() == []
    screenshot("training-session-form-errors")

    page.get_by_label("Date of the session").fill(timezone.localdate().isoformat())
    page.get_by_label("Course").select_option(label="Prevent and Radicalisation")
    page.get_by_label("Virtual").check()
    audience = page.get_by_role("combobox", name="Audience organisations")
    audience.fill("kent pol")
    page.get_by_role("option", name="Kent Police").click()
    page.get_by_label("Add an organisation not in the list").fill("Invented Youth Forum")
    page.get_by_label("District").select_option(label="Swale")
    page.get_by_label("Number of attendees").fill("27")
    assert axe_violations() == []
    screenshot("training-session-form")
    page.get_by_role("button", name="Save the session").click()
    page.wait_for_load_state("networkidle")

    session = TrainingSession.objects.get(attendees=27)
    assert page.get_by_text(f"Session {session.reference} saved").is_visible()
    assert sorted(p.name for p in session.audiences.all()) == [
        "Invented Youth Forum",
        "Kent Police",
    ]
    assert Partner.objects.get(name="Invented Youth Forum").sector == "other"

    page.get_by_role("link", name="Training", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    # The list opens on this financial year: today's session, not the one of 2020.
    table = page.locator("table")
    assert session.reference in table.inner_text()
    assert "1 session, 27 attendees" in table.locator("caption").inner_text()
    assert page.get_by_text("the start of this financial year").is_visible()
    assert axe_violations() == []
    screenshot("training-session-list")
    page.get_by_role("link", name="Show sessions from every year").click()
    page.wait_for_load_state("networkidle")
    assert "2 sessions, 37 attendees" in table.locator("caption").inner_text()
    assert "37" in table.locator("tfoot").inner_text()
    assert page.get_by_label("From").input_value() == ""
