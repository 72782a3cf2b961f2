import pytest

from tests.vaf.conftest import days_ago, gathering_case, structure
from vaf.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)


def rate_all(page, level_label, *, except_for=None):
    """Every factor at `level_label`, except {factor wording: level label}."""
    except_for = except_for or {}
    for factor in structure().factors:
        group = page.get_by_role("group", name=f"{factor.position}. {factor.wording}")
        group.get_by_label(except_for.get(factor.wording, level_label), exact=True).check()


def test_channel_records_two_assessments_and_sees_the_changes(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    channel = persona("channel")
    channel.can_see_identities = True
    channel.save()
    referral = gathering_case(actor=channel, received_days_ago=60)

    sign_in("channel")
    page.goto(f"/referrals/case/{referral.pk}/")
    page.get_by_role("navigation", name="Sections of this case").get_by_role(
        "link", name="Assessments"
    ).click()
    assert "No VAF assessment has been recorded" in page.locator("main").inner_text()
    assert axe_violations() == []
    screenshot("vaf-assessments-empty")

    # The first assessment: empty "complete" first, to see the errors.
    page.get_by_role("link", name="Start a new assessment").click()
    page.get_by_role("button", name="Save and complete").click()
    summary = page.locator(".govuk-error-summary")
    assert (
        "Select a rating for factor 1: Feelings of grievance and injustice" in summary.inner_text()
    )
    assert page.title().startswith("Error: ")
    assert axe_violations() == []
    screenshot("vaf-assessment-errors")
    assert Assessment.objects.count() == 0

    page.get_by_label("Date of the assessment").fill(days_ago(30).isoformat())
    rate_all(
        page,
        "Not present",
        except_for={
            "Feelings of grievance and injustice": "Significant evidence",
            "Need for identity, meaning and belonging": "Some evidence",
            "‘Them and us’ thinking": "Some evidence",
            "Criminal history": "Not known",
        },
    )
    page.get_by_label("Note on Feelings of grievance and injustice").fill(
        "Talks often of unfair treatment at the invented college."
    )
    page.get_by_label("Note on Need for identity, meaning and belonging").fill(
        "Isolated since moving to the area (invented)."
    )
    page.get_by_label("Note on ‘Them and us’ thinking").fill("Some divisive language online.")
    page.get_by_label("Summary", exact=True).fill("Grievance-led vulnerability (invented).")
    page.get_by_label("Management plan").fill("Mentoring and a youth club place (invented).")
    page.get_by_role("button", name="Save and complete").click()
    assert "VAF assessment completed" in page.locator(".govuk-notification-banner").inner_text()
    assert axe_violations() == []
    screenshot("vaf-assessment-detail")

    # The second: starts from the first; two factors change.
    page.get_by_role("link", name="Back to the assessments of this case").click()
    page.get_by_role("link", name="Start a new assessment").click()
    grievance = page.get_by_role("group", name="1. Feelings of grievance and injustice")
    assert grievance.get_by_label("Significant evidence", exact=True).is_checked()
    assert "Previous assessment: Significant evidence" in grievance.inner_text()
    assert axe_violations() == []
    screenshot("vaf-assessment-prefilled")
    page.get_by_label("Date of the assessment").fill(days_ago(2).isoformat())
    grievance.get_by_label("Some evidence", exact=True).check()
    page.get_by_role("group", name="22. Criminal history").get_by_label(
        "Not present", exact=True
    ).check()
    page.get_by_label("Note on Feelings of grievance and injustice").fill(
        "Less often now; engaging with the mentor (invented)."
    )
    page.get_by_role("button", name="Save and complete").click()
    assert Assessment.objects.filter(status="completed").count() == 2

    page.get_by_role("link", name="Significant changes since the previous assessment").click()
    assert "2 of 22 factors changed" in page.locator("#changes-count").inner_text()
    engagement = page.get_by_role("table", name="Engagement with a group, cause or ideology")
    row = engagement.get_by_role("row", name="1. Feelings of grievance and injustice")
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells == ["Significant evidence", "Some evidence", "Less evidence"]
    capability = page.get_by_role("table", name="Capability to cause harm")
    row = capability.get_by_role("row", name="22. Criminal history")
    assert row.get_by_role("cell").all_inner_texts() == ["Not known", "Not present", "Now known"]
    assert axe_violations() == []
    screenshot("vaf-changes-all")

    page.get_by_label("Only the factors that changed").check()
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_role("table").count() == 2
    assert page.get_by_text("Feeling under threat").count() == 0
    assert axe_violations() == []
    screenshot("vaf-changes-only")

    page.get_by_role("link", name="Back to the assessments of this case").click()
    assert page.get_by_role("table", name="VAF assessments of this case, newest first").is_visible()
    screenshot("vaf-assessments-list")


def test_an_administrator_adds_a_version_of_the_framework(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("admin")
    sign_in("admin")
    page.goto("/referrals/vaf/versions/")
    assert axe_violations() == []
    page.get_by_role("link", name="Default (Extremism Risk Guidance 22+)").click()
    assert page.get_by_role("table", name="Intent to cause harm").is_visible()
    assert axe_violations() == []
    screenshot("vaf-framework-detail")
    page.get_by_role("link", name="VAF versions").click()
    page.get_by_role("link", name="Add a new version").click()
    page.get_by_role("button", name="Add the new version").click()
    assert "Enter a name for the new version" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations() == []
    page.get_by_label("Name of the new version").fill("2027 revision (invented)")
    page.get_by_label("In force from").fill(days_ago(0).isoformat())
    page.get_by_label("Factor 2", exact=True).fill("Feeling under threat or attack")
    page.get_by_role("button", name="Add the new version").click()
    assert "now in use" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_text("Feeling under threat or attack").is_visible()
    assert axe_violations() == []
    screenshot("vaf-framework-new-version")
