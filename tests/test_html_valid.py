"""Every page is valid HTML by the W3C Nu HTML checker (docs/accessibility.md).

Each URL of the walk (tests/test_url_walk.py) is opened once, as the first persona that may
open it, and every persona's home page, the sign-in page and the error pages too; the Nu
checker then reads them all in one run. Any error fails, named by page and line."""

import pytest
from django.urls import reverse

from tests.checkers import html_errors, nu_checker_missing
from tests.conftest import PERSONAS
from tests.test_url_walk import (  # noqa: F401 (url_for is a fixture)
    ALL_URL_NAMES,
    EXPECTED,
    PUBLIC,
    REAUTH,
    url_for_fixture,
)

pytestmark = pytest.mark.django_db


def _is_html(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def _pages(client_as, url_for) -> dict[str, bytes]:
    from tests.conftest import reauthenticated

    pages: dict[str, bytes] = {}
    for persona_name in sorted(PERSONAS):
        client = client_as(persona_name)
        pages[f"{reverse('reporting:dashboard')} as {persona_name}"] = client.get(
            reverse("reporting:dashboard")
        ).content
    for name in ALL_URL_NAMES:
        allowed = sorted(EXPECTED.get(name, ()))
        if name in PUBLIC or not allowed:
            continue
        client = client_as(allowed[0])
        if name in REAUTH:
            reauthenticated(client)
        response = client.get(url_for(name))
        if _is_html(response):
            pages[f"{name} as {allowed[0]}"] = response.content
    # The error pages, as a signed-in user sees them.
    client = client_as("board")
    pages["403 page"] = client.get(reverse("audit:event-list")).content
    pages["404 page"] = client.get("/no-such-page/").content
    client.logout()
    pages["accounts:login"] = client.get(reverse("accounts:login")).content
    return pages


def test_every_page_is_valid_html(client_as, url_for):
    missing = nu_checker_missing()
    if missing:
        pytest.fail(missing)
    pages = _pages(client_as, url_for)
    assert len(pages) > 100  # the walk reached the pages, not only error pages
    errors = html_errors(pages)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in errors.items())
    assert errors == {}, f"{len(errors)} pages are not valid HTML:\n{report}"


def test_the_checker_finds_invalid_html():
    missing = nu_checker_missing()
    if missing:
        pytest.fail(missing)
    broken = (
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        "<body><p><div>block in a paragraph</div></p><span id=a></span><span id=a></span>"
        "</body></html>"
    )
    errors = html_errors({"broken": broken})
    assert "broken" in errors
    assert any("Duplicate ID" in line for line in errors["broken"])
