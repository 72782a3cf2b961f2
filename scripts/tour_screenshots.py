"""Take the screenshots of docs/tour.md from a running portal with the demo data.

    make run                                   # in one terminal (demo data, port 8000)
    .venv/bin/python scripts/tour_screenshots.py [--base-url http://127.0.0.1:8000]

Signs in as the demo users (password and the demo TOTP secret that `make run` prints),
opens each page by following links, as a user would, and writes 1280×900 PNGs under
docs/tour/. The annual report's first PDF page is drawn with pdftoppm (poppler-utils).
Uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH), as the browser tests do.
"""

import argparse
import base64
import os
import subprocess
import tempfile
import time
from pathlib import Path

from django_otp.oath import TOTP
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "tour"
PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password-2026")
# The demo users' public TOTP secret, printed by `make run` (README); never a real one.
SECRET = "PREVENTPORTALDEMOTOTPSECRETKEY23"  # noqa: S105
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 900}


def code(used: set) -> str:
    """The demo authenticator's code now; a code works once per user, so wait for the
    next 30-second step when this one was used already by the same user."""
    totp = TOTP(base64.b32decode(SECRET))
    while totp.t() in used:
        time.sleep(1)
        totp = TOTP(base64.b32decode(SECRET))
    used.add(totp.t())
    return f"{totp.token():06d}"


class Tour:
    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.used_steps: dict[str, set] = {}
        self.context = None
        self.page = None

    def shot(self, name: str) -> None:
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
        print(f"docs/tour/{name}.png  {self.page.url}")

    def sign_in(self, username: str, *, shots: bool = False) -> None:
        if self.context:
            self.context.close()
        self.context = self.browser.new_context(
            base_url=self.base_url, viewport=VIEWPORT, locale="en-GB"
        )
        self.page = page = self.context.new_page()
        page.goto("/accounts/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        if shots:
            self.shot("01-sign-in")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/accounts/mfa/**")
        if shots:
            self.shot("02-mfa-code")
        page.get_by_label("Code", exact=True).fill(
            code(self.used_steps.setdefault(username, set()))
        )
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state("networkidle")

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()


def run(base_url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        tour = Tour(browser, base_url)

        tour.sign_in("channel", shots=True)
        page = tour.page
        tour.shot("03-my-work")
        tour.menu("Cases")
        tour.shot("04-case-list")
        page.locator("main table tbody tr a").first.click()
        tour.shot("05-case")
        tour.menu("Channel panels")
        tour.shot("06-panel-list")
        page.locator("main table tbody tr a").first.click()
        tour.shot("07-panel")
        # A case with two assessments: the changes between them.
        page.goto("/referrals/?status=adopted")
        for link in page.locator("main table tbody tr a").all()[:15]:
            page.goto(link.get_attribute("href") + "assessments/")
            changes = page.get_by_role("link", name="Changes")
            if changes.count():
                changes.first.click()
                tour.shot("08-vaf-changes")
                break
            page.go_back()

        tour.sign_in("coordinator")
        page = tour.page
        page.get_by_role("link", name="Information sharing").first.click()  # the home page
        tour.shot("21-information-sharing")
        tour.menu("Training")
        tour.shot("09-training")
        page.get_by_role("link", name="Evaluations").first.click()
        tour.shot("10-training-evaluations")
        page.goto("/annual-report/")
        page.locator("main table a").first.click()
        tour.shot("17-annual-report-preview")
        page.goto("/annual-report/")
        href = page.locator('main a[href$="report.pdf"]').first.get_attribute("href")
        response = page.request.get(href)
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "report.pdf"
            pdf.write_bytes(response.body())
            for number in (1, 3):  # the cover, and a page of figures
                subprocess.run(
                    ["pdftoppm", "-r", "60", "-png", "-f", str(number), "-l", str(number),
                     "-singlefile", str(pdf), str(OUT / f"18-annual-report-pdf-{number}")],
                    check=True,
                )  # fmt: skip
        print(f"docs/tour/18-annual-report-pdf-*.png  {href}")

        tour.sign_in("education")
        page = tour.page
        tour.menu("Education")
        tour.shot("11-education")
        page.get_by_role("link", name="Record an outreach session").first.click()
        tour.shot("12-education-outreach-form")

        tour.sign_in("community")
        page = tour.page
        tour.menu("Community")
        tour.shot("13-community")
        page.goto("/community/summaries/")
        page.locator("main table tbody tr a").first.click()
        tour.shot("14-community-weekly-summary")

        tour.sign_in("board")
        page = tour.page
        tour.menu("Partnership")
        page.get_by_role("link", name="Board view: progress, overdue actions and risks").click()
        tour.shot("15-board-view")
        tour.menu("Figures")
        tour.shot("16-figures")

        tour.sign_in("admin")
        page = tour.page
        tour.menu("Audit log")
        tour.shot("19-audit-log")
        tour.menu("Users")
        tour.shot("20-users")
        tour.context.close()
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    run(parser.parse_args().base_url)
