"""Journeys done with the keyboard only: Tab, Shift+Tab, Enter, Space and the arrow keys.

Nothing is clicked and no field is filled through a locator: focus is moved with Tab and
text is typed where the focus is. On every interactive element that takes the focus
along the way, GOV.UK's focus style must show: the yellow (#ffdd00) outline, background
or box shadow (WCAG 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured).
"""

import pytest

from prevent_portal.accounts.models import User
from prevent_portal.audit.models import AuditEvent
from tests.browser.checks import check_error_state, check_page
from tests.browser.fixtures import totp_code, totp_device_for
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS_YELLOW = "rgb(255, 221, 0)"

# The focused element, and whether GOV.UK's yellow shows on it in any of the ways the
# Frontend draws focus (links and buttons: background and shadow; fields: outline).
FOCUSED_JS = """() => {
  const el = document.activeElement;
  // GOV.UK radios and checkboxes hide the input and draw its focus on the label's box.
  const drawn = el.matches('.govuk-checkboxes__input, .govuk-radios__input') && el.labels.length
    ? [el.labels[0], '::before'] : [el, null];
  const style = getComputedStyle(drawn[0], drawn[1]);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    type: el.getAttribute('type') || '',
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
    interactive: el.matches('a[href], button, input, select, textarea, summary, [tabindex]'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      ? style.outlineColor : '',
    shadow: style.boxShadow,
    background: style.backgroundColor,
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED_JS)


def assert_focus_visible(page) -> dict:
    now = focused(page)
    if now["interactive"] and now["tag"] != "body":
        shows = (
            FOCUS_YELLOW in now["outline"]
            or FOCUS_YELLOW in now["shadow"]
            or FOCUS_YELLOW in now["background"]
        )
        assert shows, f"no visible focus on {now}"
    return now


def tab_to(page, matches, *, backwards: bool = False, limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies `matches`, checking
    the focus style on each element passed."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        now = assert_focus_visible(page)
        if matches(now):
            return now
    raise AssertionError(f"focus never reached the element; last was {focused(page)}")


def field(element_id):
    return lambda now: now["id"] == element_id


def named(text, tag=None):
    return lambda now: now["text"] == text and (tag is None or now["tag"] == tag)


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("load")


def keyboard_sign_in(page, username: str) -> None:
    """The password and the MFA code, typed; the forms sent with Enter."""
    device = totp_device_for(username)
    page.goto("/accounts/sign-in/")
    tab_to(page, field("id_username"))
    page.keyboard.type(username)
    tab_to(page, field("id_password"))
    page.keyboard.type(PASSWORD)
    tab_to(page, named("Sign in", "button"))
    press_and_wait(page, "Enter")
    assert "/accounts/mfa/" in page.url
    tab_to(page, lambda now: now["tag"] == "input" and now["type"] != "hidden")
    page.keyboard.type(totp_code(device))
    press_and_wait(page, "Enter")  # Enter in a field sends its form
    assert "/accounts/" not in page.url


def test_sign_in_with_mfa_and_the_skip_link_by_keyboard(
    page, persona, reference_data, axe_violations, screenshot
):
    persona("coordinator")
    keyboard_sign_in(page, "coordinator")
    assert page.get_by_role("heading", name="Welcome, Coordinator").is_visible()
    assert AuditEvent.objects.filter(
        actor_username="coordinator", verb=AuditEvent.Verb.LOGIN
    ).exists()

    # The skip link is the first stop, shows when focused, and moves focus to the main.
    page.keyboard.press("Tab")
    first = assert_focus_visible(page)
    assert first["text"] == "Skip to main content"
    assert page.get_by_role("link", name="Skip to main content").is_visible()
    screenshot("keyboard-skip-link")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"
    # The next Tab lands inside the main content, past the header and the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert_focus_visible(page)

    # The menu, reached backwards with Shift+Tab, opens a section with Enter.
    tab_to(page, named("Training", "a"), backwards=True)
    press_and_wait(page, "Enter")
    assert page.url.endswith("/training/")
    check_page(page, axe_violations, screenshot, "keyboard-training")


def test_a_form_with_errors_by_keyboard(page, persona, reference_data, axe_violations, screenshot):
    persona("admin")
    keyboard_sign_in(page, "admin")
    tab_to(page, named("Users", "a"))
    press_and_wait(page, "Enter")
    tab_to(page, named("Add a user", "a"))
    press_and_wait(page, "Enter")

    # Sent empty: the error summary takes the focus; its first link leads to the field.
    tab_to(page, named("Save", "button"))
    press_and_wait(page, "Enter")
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    check_error_state(
        page, axe_violations, screenshot, "keyboard-user-errors", expect="There is a problem"
    )
    link = tab_to(page, lambda now: now["tag"] == "a")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.activeElement.id === {target[1:]!r}")
    assert link["text"] and focused(page)["id"] == "id_username"
    assert_focus_visible(page)

    page.keyboard.type("kim.invented")
    tab_to(page, field("id_first_name"))
    page.keyboard.type("Kim")
    tab_to(page, field("id_last_name"))
    page.keyboard.type("Invented")
    tab_to(page, field("id_email"))
    page.keyboard.type("kim.invented@example.org")
    tab_to(page, lambda now: now["type"] == "checkbox" and "Board member" in label_of(page))
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_to(page, named("Save", "button"))
    press_and_wait(page, "Enter")
    assert page.get_by_role("heading", name="Kim Invented").is_visible()
    user = User.objects.get(username="kim.invented")
    assert list(user.role_codes) == ["board"]
    check_page(page, axe_violations, screenshot, "keyboard-user-added")


def label_of(page) -> str:
    return page.evaluate(
        "document.activeElement.labels && document.activeElement.labels[0]"
        " ? document.activeElement.labels[0].innerText : ''"
    )


def test_a_list_filter_by_keyboard(page, persona, reference_data, axe_violations, screenshot):
    persona("admin")
    persona("board")
    keyboard_sign_in(page, "admin")
    tab_to(page, named("Audit log", "a"))
    press_and_wait(page, "Enter")
    check_page(page, axe_violations)

    tab_to(page, field("id_who"))
    page.keyboard.type("admin")
    # A select: the arrow keys change the choice while it is closed.
    tab_to(page, field("id_verb"))
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("document.activeElement.value")
    assert chosen
    # Back to the text field with Shift+Tab: Enter there sends the filter form.
    tab_to(page, field("id_who"), backwards=True)
    press_and_wait(page, "Enter")
    assert "who=admin" in page.url and f"verb={chosen}" in page.url
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "admin" in text.lower()
    check_page(page, axe_violations, screenshot, "keyboard-audit-filtered")

    # Clear filters is a link, reached from the end of the page, followed with Enter.
    tab_to(page, named("Clear filters", "a"), backwards=True)
    press_and_wait(page, "Enter")
    assert page.url.endswith("/audit/")
