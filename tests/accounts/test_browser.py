"""In Chromium: the pages work under the CSP, the timeout warning, lockout, user admin."""

import pytest

from prevent_portal.accounts.models import User
from prevent_portal.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def csp_violations(page):
    """Every CSP violation the browser reports, from the console and the DOM event."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # Injected by Playwright through the debugging protocol, not as page script: the
    # policy does not apply to it.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + "
        "e.blockedURI))"
    )
    return found


def test_pages_work_under_the_policy_with_no_violations(
    page, persona, reference_data, sign_in, csp_violations, screenshot
):
    persona("coordinator")
    page.goto("/accounts/sign-in/")
    sign_in("coordinator")
    body_class = page.locator("body").get_attribute("class")
    # GOV.UK Frontend's and MOJ Frontend's JavaScript ran from the module files.
    assert "js-enabled" in body_class and "govuk-frontend-supported" in body_class
    for path in ("/", "/partnership/", "/referrals/", "/training/", "/partnership/risks/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # The autocomplete enhancement builds its combobox under the policy.
    page.goto("/partnership/board/meetings/add/")
    page.wait_for_selector('[role="combobox"]')
    page.get_by_role("combobox").first.fill("a")
    # The print styles load too.
    page.emulate_media(media="print")
    page.goto("/partnership/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="screen")
    assert csp_violations == []
    # A deliberate inline script is refused: the policy is really enforced.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = "
        "'window.inlineRan = true'; document.body.append(s); }"
    )
    assert page.evaluate("window.inlineRan === undefined")
    assert any("script-src" in text for text in csp_violations)


def _pages_for(persona_name):
    """Every page the URL walk says this persona may open, with sample objects built by
    each app's access rules. A builder that fails here is the URL walk's business."""
    from django.urls import NoReverseMatch, reverse

    from tests.test_url_walk import ALL_URL_NAMES, EXPECTED, _kwarg_builders

    samples = {}
    for builder in _kwarg_builders:
        try:
            samples.update(builder())
        except Exception:  # noqa: BLE001, S112
            continue
    for name in ALL_URL_NAMES:
        if persona_name in EXPECTED.get(name, ()):
            try:
                yield reverse(name, kwargs=samples.get(name, {}))
            except NoReverseMatch:
                continue


@pytest.mark.parametrize("persona_name", ["coordinator", "admin"])
def test_every_page_a_persona_opens_runs_without_a_violation(
    page, persona, reference_data, sign_in, csp_violations, axe_violations, persona_name
):
    """Every page the persona may open, with sample records from each app's access rules:
    no Content Security Policy violation, and no axe-core violation (WCAG 2.0/2.1/2.2 A
    and AA). Between them the coordinator and the administrator reach every page but the
    few kept for other roles, which those roles' journeys scan
    (tests/browser/test_role_journeys.py)."""
    from playwright.sync_api import Error

    persona(persona_name)
    urls = list(_pages_for(persona_name))
    sign_in(persona_name)
    opened, accessibility = 0, {}
    for url in urls:
        try:
            response = page.goto(url)
        except Error:
            continue  # a download (CSV, PDF, ZIP): no page to run
        # goto() waits for "load": the module scripts have run by then.
        if response.status == 200 and "text/html" in response.headers["content-type"]:
            opened += 1
            assert csp_violations == [], url
            if violations := axe_violations():
                accessibility[url] = violations
    assert accessibility == {}
    assert opened > 20


def test_the_timeout_warning_lets_the_user_stay_signed_in(
    page, persona, reference_data, sign_in, settings, screenshot, axe_violations
):
    persona("board")
    settings.SESSION_COOKIE_AGE = 129
    settings.SESSION_WARNING_SECONDS = 120
    sign_in("board")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(state="visible", timeout=15000)
    assert "we will sign you out in 2 minutes" in dialog.inner_text()
    # Focus is in the dialog, and the rest of the page is inert behind it.
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    assert axe_violations() == []
    screenshot("accounts-timeout-warning")
    with page.expect_response("**/accounts/session/keep-alive/") as keep_alive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 204
    dialog.wait_for(state="hidden")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_the_timeout_warning_signs_out_when_time_runs_out(
    page, persona, reference_data, sign_in, settings
):
    persona("board")
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_WARNING_SECONDS = 4
    sign_in("board")
    page.get_by_role("dialog").wait_for(state="visible", timeout=10000)
    page.wait_for_url("**/accounts/sign-in/", timeout=15000)
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.LOGOUT).count() == 1


def test_the_lockout_page(page, persona, sign_in, screenshot, axe_violations):
    persona("board")
    for _ in range(5):
        sign_in("board", "not-the-password-at-all")
    assert page.get_by_role("heading", name="Sign-in locked for 15 minutes").is_visible()
    assert axe_violations() == []
    screenshot("accounts-locked-out")
    sign_in("board", PASSWORD)
    assert page.get_by_role("heading", name="Sign-in locked for 15 minutes").is_visible()


def test_an_administrator_adds_and_deactivates_a_user(
    page, persona, reference_data, sign_in, screenshot, axe_violations
):
    persona("admin")
    persona("education")
    sign_in("admin")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    assert page.get_by_role("heading", name="Users").is_visible()
    assert axe_violations() == []
    screenshot("accounts-user-list")

    page.get_by_role("link", name="Add a user").click()
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations() == []
    screenshot("accounts-user-create-errors")
    page.get_by_label("Username").fill("jamie.testwood")
    page.get_by_label("First name").fill("Jamie")
    page.get_by_label("Last name").fill("Testwood")
    page.get_by_label("Email address").fill("jamie.testwood@example.org")
    page.get_by_label("Prevent Education Officer").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Jamie Testwood").is_visible()
    assert axe_violations() == []
    screenshot("accounts-user-detail")

    page.get_by_role("link", name="Deactivate").click()
    assert axe_violations() == []
    screenshot("accounts-user-deactivate")
    page.get_by_role("button", name="Deactivate Jamie Testwood").click()
    assert page.get_by_text("deactivated: their sessions have ended").is_visible()
    assert not User.objects.get(username="jamie.testwood").is_active


def test_password_reset_pages(page, persona, screenshot, axe_violations):
    persona("board")
    page.goto("/accounts/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert axe_violations() == []
    screenshot("accounts-password-reset")
    page.get_by_label("Email address").fill("board@example.org")
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert axe_violations() == []
