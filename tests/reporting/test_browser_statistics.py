"""A board member reads the Prevent statistics: every count suppressed, in the page and
in the download; the coordinator sees the exact counts and the board's view."""

import pytest
from playwright.sync_api import expect

from tests.reporting.test_statistics import build

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_board_sees_suppressed_statistics_and_downloads_them(
    page, persona, reference_data, sign_in, screenshot, axe_violations, tmp_path
):
    build()
    persona("board")
    sign_in("board")

    page.goto("/figures/")
    page.get_by_role("link", name="Prevent statistics").click()
    expect(page.locator("h1")).to_contain_text("Prevent statistics")
    page.get_by_role("link", name="2025/26", exact=True).click()
    main = page.locator("main")
    expect(main).to_contain_text("The financial year 2025/26 (1 April 2025 to 31 March 2026)")
    expect(main).to_contain_text(
        "Table 9: Adopted as a Channel case, by type of concern and gender"
    )
    text = main.inner_text()
    assert "fewer than 5" in text and "withheld" in text
    assert "See the exact counts" not in text
    assert axe_violations() == []
    screenshot("reporting-statistics-board")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV (Referrals by gender)").click()
    path = tmp_path / "gender.csv"
    download_info.value.save_as(path)
    content = path.read_text()
    assert "Female,fewer than 5" in content and "Male,withheld" in content

    page.get_by_label("From", exact=True).fill("2026-04-01")
    page.get_by_label("To", exact=True).fill("2025-04-01")
    page.get_by_role("button", name="Show the statistics").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end of the period must be the same as or after the start"
    )
    assert axe_violations() == []


def test_the_coordinator_sees_exact_counts_and_the_boards_view(
    page, persona, reference_data, sign_in, axe_violations
):
    build()
    persona("coordinator")
    sign_in("coordinator")
    page.goto("/statistics/?date_from=2025-04-01&date_to=2026-03-31")
    main = page.locator("main")
    expect(main).to_contain_text("You see the exact counts")
    assert "fewer than 5" not in main.inner_text()
    page.get_by_role("link", name="see it as the board sees it").click()
    expect(main).to_contain_text("fewer than 5")
    assert axe_violations() == []
