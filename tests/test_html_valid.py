"""Every page is valid HTML by the W3C Nu HTML checker (docs/accessibility.md), and speaks
in plain words (docs/frontend.md, "Plain words").

Each URL of the walk (tests/test_url_walk.py) is opened once, as the first persona that may
open it, and every persona's home page, the sign-in page and the error pages too; the Nu
checker then reads them all in one run. Any error fails, named by page and line. The same
pages' visible text must never show a Python None, "(s)", "+0" or a dotted model label."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
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


# The walk is the slow part: both tests of this module read the same pages.
_WALKED: dict[str, bytes] = {}


def _pages(client_as, url_for) -> dict[str, bytes]:
    if not _WALKED:
        _WALKED.update(_walk(client_as, url_for))
    return _WALKED


def _walk(client_as, url_for) -> dict[str, bytes]:
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


class _VisibleText(HTMLParser):
    """The text a reader sees: element text, not attributes, scripts or styles."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: bytes | str) -> str:
    parser = _VisibleText()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return " | ".join(parser.parts)


def _model_labels() -> set[str]:
    from prevent_portal.audit.labels import NOT_MODELS

    return {model._meta.label_lower for model in apps.get_models()} | set(NOT_MODELS)


def plain_words_problems(text: str, model_labels: set[str]) -> list[str]:
    """What a page says that is not plain words, each with a little of its context."""
    problems = []
    patterns = {
        "None": r"\bNone\b(?! [a-z])",  # "None linked" is English; "Notes: None" is not
        "(s)": r"\(s\)",
        "+0": r"\+0\b",
        "[invalid name]": r"\[invalid name\]",  # django-filter's label for a filter without one
        "a dotted model label": r"\b[a-z_]+\.[a-z_]+\b",
    }
    for what, pattern in patterns.items():
        for match in re.finditer(pattern, text):
            if what == "a dotted model label" and match.group(0) not in model_labels:
                continue
            context = text[max(0, match.start() - 40) : match.end() + 20]
            problems.append(f"{what}: ...{context}...")
    return problems


def test_every_page_speaks_in_plain_words(client_as, url_for):
    labels = _model_labels()
    pages = _pages(client_as, url_for)
    assert len(pages) > 100
    found = {}
    for name, html in pages.items():
        problems = plain_words_problems(visible_text(html), labels)
        if problems:
            found[name] = problems
    report = "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in found.items())
    assert found == {}, f"{len(found)} pages do not speak in plain words:\n{report}"


def test_the_plain_words_check_finds_what_it_looks_for():
    labels = _model_labels()
    page = (
        "<html><head><title>Case</title><script>var x = None;</script></head><body>"
        '<p title="None">Notes: None</p><p>3 evaluation(s) added</p><p>Change +0</p>'
        "<p>(channel.panelattendee 50)</p><label>[invalid name]</label><p>None linked</p>"
        "<p>kent.gov.uk</p></body></html>"
    )
    problems = plain_words_problems(visible_text(page), labels)
    kinds = sorted(problem.split(":", 1)[0] for problem in problems)
    assert kinds == ["(s)", "+0", "None", "[invalid name]", "a dotted model label"]
    assert plain_words_problems(visible_text("<p>Not recorded. None linked.</p>"), labels) == []
