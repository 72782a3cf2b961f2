"""The Community Engagement Officer drafts a weekly summary, issues it and downloads
its PDF for the distribution list."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import TensionSummary
from prevent_portal.audit.models import AuditEvent
from tests.browser.checks import check_error_state

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NARRATIVE = "Invented narrative: calls to gather outside the retail park hotel"


def test_community_officer_drafts_issues_and_downloads_a_summary(
    page, persona, reference_data, sign_in, screenshot, axe_violations, tmp_path
):
    persona("community")
    sign_in("community")
    page.goto("/community/")
    assert page.get_by_role("heading", name="Community", level=1).is_visible()
    assert axe_violations() == []
    screenshot("community-index-empty")

    page.get_by_role("link", name="Draft a weekly summary").click()
    page.get_by_role("button", name="Save draft").click()  # empty: errors first
    check_error_state(page, axe_violations, screenshot, "community-summary-errors",
                      expect="Select the overall tension level")  # fmt: skip
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    page.get_by_label("Week commencing").fill(monday.isoformat())
    page.get_by_label("Elevated").check()
    page.get_by_label("Asylum accommodation").check()
    page.get_by_label("Telegram").check()
    page.get_by_label("Summary", exact=True).fill(NARRATIVE)
    page.locator("#id_items-0-theme").select_option(label="Asylum accommodation")
    page.locator("#id_items-0-seen").fill("Post sharing an invented hotel's address")
    page.locator("#id_items-0-passed_to").select_option(label="Kent Police")
    assert axe_violations() == []
    screenshot("community-summary-form")
    page.get_by_role("button", name="Save draft").click()

    assert page.get_by_text("saved as a draft").is_visible()
    assert axe_violations() == []
    screenshot("community-summary-draft")
    page.get_by_role("link", name="Issue this summary").click()
    assert axe_violations() == []
    page.get_by_role("button", name="Issue summary").click()
    assert page.get_by_text("issued", exact=False).first.is_visible()
    summary = TensionSummary.objects.get()
    assert summary.is_issued
    assert axe_violations() == []
    screenshot("community-summary-issued")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    path = tmp_path / "summary.pdf"
    download_info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "calls to gather outside the retail park hotel" in " ".join(text.split())
    assert "Asylum accommodation" in text
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).count() == 1

    page.goto("/community/summaries/")
    assert axe_violations() == []
    screenshot("community-summary-list")
