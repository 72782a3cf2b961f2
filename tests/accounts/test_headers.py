"""Response headers (docs/security.md §17): CSP, framing, referrer, permissions, no-store."""

import importlib
import re
import sys

import pytest
from django.urls import NoReverseMatch, reverse

from tests.test_url_walk import ALL_URL_NAMES, POST_ONLY, PUBLIC, url_for_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_the_policy_allows_only_the_portals_own_files(client, db):
    policy = directives(client.get(reverse("accounts:login")))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in " ".join(policy.values())


def test_every_response_refuses_framing_and_limits_the_referrer(client, db):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def _walk(client, url_for):  # noqa: F811
    # A page that fails is the URL walk's business (tests/test_url_walk.py); here every
    # page that opens is checked.
    client.raise_request_exception = False
    walked = 0
    for name in ALL_URL_NAMES:
        if name in POST_ONLY:
            continue
        try:
            url = url_for(name)
        except NoReverseMatch:
            continue  # a pattern whose sample object its app's rules do not build
        response = client.get(url)
        if response.status_code != 200:
            continue
        walked += 1
        yield name, response
    assert walked > 20


@pytest.mark.parametrize("persona_name", ["coordinator", "admin"])
def test_every_page_has_the_policy_and_no_inline_script_or_style(
    client_as,
    url_for,  # noqa: F811
    persona_name,
):
    client = client_as(persona_name)
    for name, response in _walk(client, url_for):
        policy = directives(response)
        assert policy["script-src"] == "'self'", name
        assert policy["frame-ancestors"] == "'none'", name
        if response["Content-Type"].startswith("text/html"):
            body = response.content.decode()
            assert not INLINE_SCRIPT.search(body), name
            assert not STYLE_ATTRIBUTE.search(body), name
            assert not INLINE_HANDLER.search(body), name
            assert not STYLE_ELEMENT.search(body), name


def test_every_signed_in_page_is_not_stored(client_as, url_for):  # noqa: F811
    client = client_as("coordinator")
    for name, response in _walk(client, url_for):
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


def test_the_403_page_is_not_stored_either(client_as):
    response = client_as("board").get(reverse("accounts:user-list"))
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]


def test_public_pages_may_be_cached_only_as_django_decides(client, db):
    # Not signed in: no personal data on the page, so the middleware adds nothing.
    response = client.get(reverse("accounts:password-reset"))
    assert "no-store" not in response.get("Cache-Control", "")


def _production_settings(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 20 + "a-long-random-value-for-the-settings-test-42")
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example.invalid")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    sys.modules.pop("prevent_portal.settings_production", None)
    return importlib.import_module("prevent_portal.settings_production")


def test_production_turns_on_hsts_and_secure_cookies(monkeypatch):
    production = _production_settings(monkeypatch)
    assert production.SECURE_HSTS_SECONDS >= 365 * 24 * 60 * 60
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert production.SECURE_SSL_REDIRECT
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE in {"Lax", "Strict"}
    assert production.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-ancestors"] == ["'none'"]
