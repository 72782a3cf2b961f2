"""Playwright in Debian's Chromium, against Django's live server.

These fixtures are imported by tests/conftest.py, so every app's browser tests can use
them; a test that uses `page` is marked `browser` there.

Never `playwright install`: the browser is /usr/bin/chromium from Debian (make test
installs it). Without it the browser tests are skipped, and the run says so loudly.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself (fixtures) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SKIPPED_FOR_NO_BROWSER: list[str] = []


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        SKIPPED_FOR_NO_BROWSER.append(CHROMIUM)
        pytest.skip(f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _settles(action):
    """`action`, then wait until the page it leaves us on has loaded.

    A click that sends a form returns once the next page has *started* loading: its
    title is still empty and its elements may not be parsed yet, so an assertion made
    at once (`page.title()`, `is_visible()`, `count()`) could read a half-loaded page.
    Waiting for the "load" event costs nothing when nothing navigated."""

    def settled(self, *args, **kwargs):
        result = action(self, *args, **kwargs)
        owner = getattr(self, "page", self)
        owner.wait_for_load_state("load")
        return result

    return settled


@pytest.fixture
def page(chromium, live_server, monkeypatch):
    # tests/conftest.py marks every test using this fixture for serialized rollback.
    from playwright.sync_api import Locator, Page

    for cls, name in ((Locator, "click"), (Locator, "press"), (Page, "click")):
        monkeypatch.setattr(cls, name, _settles(getattr(cls, name)))
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.keyboard.press = _settle_keys(page, page.keyboard.press)
    yield page
    context.close()


def _settle_keys(page, press):
    """The keyboard's Enter sends forms too (the keyboard-only journeys)."""

    def settled(key, *args, **kwargs):
        press(key, *args, **kwargs)
        page.wait_for_load_state("load")

    return settled


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(page):
    from tests.conftest import PASSWORD  # imported late: tests/conftest.py imports this module

    def as_user(username: str, password: str = PASSWORD):
        """Password, then the MFA code computed from the user's authenticator (one is
        made, confirmed, for a user who has none)."""
        device = totp_device_for(username)
        page.goto("/accounts/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        if device is not None and "/accounts/mfa/" in page.url:
            page.get_by_label("Code", exact=True).fill(totp_code(device))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state("networkidle")

    return as_user


def totp_device_for(username: str):
    """The user's confirmed authenticator, made if missing; None for an unknown user."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from prevent_portal.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    return device


def totp_code(device) -> str:
    """The code the authenticator app would show now. A code works once: a test that
    signs the same user in twice within one 30-second step is let reuse the step by
    forgetting the step last used (test convenience only)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():
        device.last_t = -1
        device.save(update_fields=["last_t"])
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def axe_violations(page):
    """WCAG 2.0/2.1/2.2 A and AA rules of axe-core, run in the page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run() -> list[dict]:
        results = axe.run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
                }
            },
        )
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results.response["violations"]
        ]

    return run
