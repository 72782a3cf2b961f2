"""In Chromium: an administrator proposes case access, a coordinator approves it; axe on
every page of the journey."""

import pytest

from prevent_portal.accounts.models import AccountChange, User
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page):
    page.locator(".portal-header").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def test_an_administrator_proposes_case_access_and_the_coordinator_approves_it(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("admin")
    persona("coordinator")
    sam = make_user(
        "sam", "education", first_name="Sam", last_name="Larkfield", email="sam@example.org"
    )
    sign_in("admin")
    page.goto(f"/accounts/users/{sam.pk}/change/")
    page.get_by_label("Channel coordinator").check()
    page.get_by_label("May see identities in case records").check()
    page.get_by_role("button", name="Save").click()
    body = page.locator("body").inner_text()
    assert "must approve Channel coordinator and May see identities on the Access" in body
    assert "Waiting for a second person's approval" in body
    assert axe_violations() == []
    screenshot("accounts-approval-proposed")
    assert User.objects.get(pk=sam.pk).role_codes == ["education"]

    page.goto("/accounts/users/")
    page.get_by_role("link", name="Access approvals: 1 waiting").click()
    assert page.get_by_role("heading", name="Access approvals").is_visible()
    assert axe_violations() == []
    screenshot("accounts-approval-list-admin")
    page.locator("table").get_by_role("link", name="Sam Larkfield").click()
    # The administrator may withdraw, not approve.
    assert page.get_by_role("button", name="Withdraw the change").is_visible()
    assert page.get_by_role("button", name="Approve the change").count() == 0
    screenshot("accounts-approval-detail-admin")
    sign_out(page)

    sign_in("coordinator")
    assert "1 change to staff accounts' case access waits for your approval" in (
        page.locator("body").inner_text()
    )
    screenshot("accounts-approval-home-banner")
    page.get_by_role("link", name="Review the changes").click()
    page.locator("table").get_by_role("link", name="Sam Larkfield").click()
    assert page.get_by_role("heading", name="Give Sam Larkfield case access?").is_visible()
    assert axe_violations() == []
    screenshot("accounts-approval-detail-coordinator")
    page.get_by_role("button", name="Approve the change").click()
    assert "Roles and grants for Sam Larkfield approved" in page.locator("body").inner_text()
    assert axe_violations() == []
    screenshot("accounts-approval-approved")
    sam = User.objects.get(pk=sam.pk)
    assert sorted(sam.role_codes) == ["channel", "education"] and sam.can_see_identities
    assert AccountChange.objects.get(user=sam).decided_by.username == "coordinator"


def test_an_administrator_is_told_they_cannot_change_their_own_roles(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    admin = persona("admin")
    User.objects.filter(pk=admin.pk).update(email="admin@example.org")
    sign_in("admin")
    page.goto(f"/accounts/users/{admin.pk}/change/")
    page.get_by_label("Prevent coordinator").check()
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "You cannot change your own roles or grants" in summary.inner_text()
    assert axe_violations() == []
    screenshot("accounts-approval-own-roles-refused")
    assert User.objects.get(pk=admin.pk).role_codes == ["admin"]
