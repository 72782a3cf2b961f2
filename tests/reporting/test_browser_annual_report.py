"""The coordinator edits the introduction, previews, has the PDF made in the background
and downloads it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reporting.models import GeneratedReport, ReportEdition
from tests.reporting.conftest import make_edition
from tests.reporting.test_annual_report import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_edits_previews_generates_and_downloads(
    page, persona, report_data, sign_in, screenshot, axe_violations, tmp_path
):
    edition = make_edition(introduction="")
    persona("coordinator")
    sign_in("coordinator")

    page.goto("/annual-report/")
    assert axe_violations() == []
    page.get_by_role("link", name=edition.title, exact=True).click()
    expect(page.locator("main")).to_contain_text("The introduction has not been written yet.")
    page.get_by_role("link", name="Write the sections").click()
    expect(page.locator("h1")).to_contain_text("Sections")
    assert axe_violations() == []
    page.get_by_role("link", name="Change Introduction").click()
    expect(page.locator("h1")).to_contain_text("Introduction")
    assert axe_violations() == []
    page.get_by_label("Text").fill(
        "## The year\n\nA year of **steady growth**.\n\n- More schools reached\n"
        "- <script>alert(1)</script>"
    )
    screenshot("reporting-annual-edit")
    page.get_by_role("button", name="Save the section").click()
    expect(page.locator("main")).to_contain_text("Introduction saved")
    expect(page.locator("main")).to_contain_text("By Coordinator")
    page.get_by_role("link", name="Back to the preview").click()

    main = page.locator("main")
    expect(main).to_contain_text("Appendix: the training offer")
    assert "steady growth" in main.locator("strong").first.inner_text()
    assert "1.1 The year" in main.locator("#contents").inner_text()
    assert "<script>alert(1)</script>" in main.inner_text()  # shown, not run
    assert "Total" in main.inner_text() and "52" in main.inner_text()
    assert page.locator("svg.report-chart-svg").count() == 2  # training, education; no plan
    assert axe_violations() == []
    screenshot("reporting-annual-preview")

    page.get_by_role("button", name="Make the PDF in the background").click()
    expect(page.locator("h1")).to_contain_text("Making the PDF")
    screenshot("reporting-annual-progress")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.reload()
    expect(page.locator("h1")).to_contain_text("PDF ready")
    assert axe_violations() == []
    screenshot("reporting-annual-ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    text = pdf_text(path.read_bytes())
    assert "A year of steady growth." in text
    assert "Prevent annual report 2026" in text
    assert GeneratedReport.objects.get().status == GeneratedReport.Status.FINISHED
    assert ReportEdition.objects.get().version == 2
