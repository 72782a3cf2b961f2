"""Browser journeys: a supervisor imports earlier referrals; two people edit one case."""

import pytest

from referrals.models import Referral
from tests.referrals.test_import import GOOD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_imports_earlier_referrals_in_the_browser(
    page, persona, reference_data, sign_in, screenshot, axe_violations, tmp_path
):
    coordinator = persona("coordinator")
    coordinator.can_see_identities = True
    coordinator.save()
    bad = tmp_path / "history-with-errors.csv"
    bad.write_text(GOOD + ",,Nameless,,,Robot,,Education,Islamist,,2025-01-01,,,,,,,\n")
    good = tmp_path / "history.csv"
    good.write_text(GOOD)

    sign_in("coordinator")
    page.goto("/referrals/")
    page.get_by_role("link", name="Import earlier referrals").click()
    assert axe_violations() == []
    page.get_by_role("button", name="Upload and check").click()  # no file: an error
    assert "Select a CSV file" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Line 5:" in summary and "“Robot” is not a sex" in summary
    assert page.get_by_role("button", name="Import").count() == 0
    assert axe_violations() == []
    screenshot("referrals-import-errors")

    page.get_by_role("link", name="Correct the file and upload it again").click()
    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    assert "3 rows in the file" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("referrals-import-preview")
    page.get_by_role("button", name="Import 3 referrals").click()
    assert "3 referrals imported" in page.locator(".govuk-notification-banner").inner_text()
    assert Referral.objects.count() == 3

    imported = Referral.objects.get(reference="PR-2023-0040")
    page.goto(f"/referrals/case/{imported.pk}/")
    text = page.locator("main").inner_text()
    assert "Imported from the team's earlier records" in text
    assert "1 June 2029" in text  # disposal review due: six years after it left
    assert axe_violations() == []
    screenshot("referrals-imported-case")


def test_two_people_edit_one_referral_and_the_second_is_told(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    from tests.referrals.conftest import new_referral

    channel = persona("channel")
    channel.can_see_identities = True
    channel.save()
    referral = new_referral(actor=channel)
    sign_in("channel")
    page.goto(f"/referrals/case/{referral.pk}/")
    page.get_by_role("link", name="Change sector of referral").click()
    assert axe_violations() == []
    # Meanwhile someone else saves a change of the same referral.
    other = page.context.new_page()
    other.goto(f"/referrals/case/{referral.pk}/edit/referral/")
    other.get_by_label("Describe the concerns").fill("Changed in another tab")
    other.get_by_role("button", name="Save changes").click()
    other.close()

    page.get_by_label("Sector of referral").select_option(label="Police")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "changed by someone else" in summary
    assert axe_violations() == []
    screenshot("referrals-edit-conflict")
    referral.refresh_from_db()
    assert referral.concerns == "Changed in another tab"
    assert referral.sector.name == "Education"

    page.goto(f"/referrals/case/{referral.pk}/")
    page.get_by_role("link", name="Change nationality").click()
    assert axe_violations() == []
    screenshot("referrals-edit-person")
    page.get_by_label("Nationality").fill("Invented")
    page.get_by_role("button", name="Save changes").click()
    assert "saved" in page.locator(".govuk-notification-banner").inner_text()
    screenshot("referrals-case-after-edit")
