"""A PEO records an outreach session for two schools and sees the figures change."""

import pytest
from django.utils import timezone

from education.models import OutreachSession
from prevent_portal.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _total(page, column):
    return int(page.locator("#figures-total td").nth(column).inner_text())


def test_a_peo_records_a_session_for_two_schools_and_the_figures_change(
    page, persona, make_setting, sign_in, screenshot, axe_violations
):
    persona("education")
    make_setting("Hollybrook Primary School", "Thanet", urn=880001, phase="Primary")
    make_setting("Larchmere Academy", "Dover", urn=880002, phase="Secondary")
    make_setting("Willowford School", "Medway", urn=880003)
    sign_in("education")

    page.goto("/education/")
    assert page.get_by_role("heading", name="Education", level=1).is_visible()
    assert (_total(page, 0), _total(page, 1), _total(page, 2)) == (0, 0, 0)
    assert axe_violations() == []

    page.get_by_role("link", name="Record an outreach session").first.click()
    page.get_by_label("Date of the session").fill(timezone.localdate().isoformat())
    page.get_by_label("Audience", exact=True).select_option(label="Secondary school staff")
    box = page.get_by_role("combobox", name="Settings reached")
    box.fill("holly")
    page.get_by_role("option", name="Hollybrook Primary School (URN 880001)").click()
    box.fill("880002")
    page.get_by_role("option", name="Larchmere Academy (URN 880002)").click()
    page.get_by_label("Number of attendees").fill("42")
    page.get_by_label("Format", exact=True).select_option(label="Face-to-face")
    page.get_by_label("Topic", exact=True).fill("Online radicalisation and gaming")
    assert axe_violations() == []
    screenshot("education-session-form")
    page.get_by_role("button", name="Save").click()

    assert page.get_by_text("Outreach session recorded").is_visible()
    session = OutreachSession.objects.get()
    assert sorted(s.urn for s in session.settings.all()) == [880001, 880002]
    assert session.peo.username == "education"
    assert AuditEvent.objects.filter(target_type="education.outreachsession").count() == 1

    page.get_by_role("link", name="Education", exact=True).first.click()
    page.wait_for_url("**/education/")
    row = page.get_by_role("row", name="Secondary school staff")
    assert row.get_by_role("cell").all_inner_texts() == ["1", "2", "42"]
    assert (_total(page, 0), _total(page, 1), _total(page, 2)) == (1, 2, 42)
    assert "2 different settings reached" in page.locator("#distinct-settings").inner_text()
    assert axe_violations() == []
    screenshot("education-figures")


def test_the_form_shows_errors_in_the_summary(
    page, persona, reference_data, sign_in, axe_violations
):
    persona("education")
    sign_in("education")
    page.goto("/education/sessions/add/")
    page.get_by_label("Date of the session").fill("")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the date of the session" in summary.inner_text()
    assert "Select the settings reached" in summary.inner_text()
    assert axe_violations() == []
