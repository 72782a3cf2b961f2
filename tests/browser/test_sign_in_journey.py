import pytest

from prevent_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_signs_in_and_sees_the_dashboard(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("coordinator")
    page.goto("/")
    assert "/accounts/sign-in/" in page.url
    assert axe_violations() == []
    screenshot("sign-in")

    sign_in("coordinator")
    assert page.get_by_role("heading", name="Welcome, Coordinator").is_visible()
    nav = page.get_by_role("navigation", name="Menu")
    for label in ("Cases", "Training", "Education", "Community", "Partnership", "Figures"):
        assert nav.get_by_role("link", name=label).is_visible()
    assert nav.get_by_role("link", name="Audit log").count() == 0
    assert page.get_by_text("Kent and Medway Prevent Partnership").first.is_visible()
    # GOV.UK Frontend's JavaScript ran (the module script loaded and initialised).
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    assert axe_violations() == []
    screenshot("dashboard-coordinator")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.LOGOUT).count() == 1


def test_a_wrong_password_shows_the_error_summary(
    page, persona, sign_in, screenshot, axe_violations
):
    persona("board")
    sign_in("board", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct username and password" in summary.inner_text()
    # GOV.UK Frontend moves focus to the error summary.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert axe_violations() == []
    screenshot("sign-in-error")


@pytest.mark.parametrize("username", ["board", "admin", "education", "channel"])
def test_each_role_sees_its_own_home(page, persona, reference_data, sign_in, screenshot, username):
    persona(username)
    sign_in(username)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    screenshot(f"dashboard-{username}")


def test_a_paginated_list_passes_the_accessibility_scan(
    page, persona, reference_data, sign_in, axe_violations
):
    persona("admin")
    sign_in("admin")
    page.goto("/partnership/reference/partners/")
    assert page.get_by_text("Page 1 of 2").is_visible()
    assert axe_violations() == []
    page.get_by_role("link", name="Next page").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Page 2 of 2").is_visible()
    assert axe_violations() == []
