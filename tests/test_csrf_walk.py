"""CSRF on every state change, and no state change on GET (docs/security.md §18).

Two walks over every URL pattern, built the way tests/test_url_walk.py builds them:
- a POST without the CSRF token is refused by the CSRF check itself, before the view,
  for every URL, whoever is signed in (no view is exempt);
- opening every URL with GET, as each persona, changes no row of any table other than
  the audit log and the session tables (checked in the persona walk of
  tests/test_url_walk.py, with `row_counts` below).
"""

import pytest
from django.apps import apps
from django.http import HttpResponseForbidden
from django.test import Client

from tests.conftest import PERSONAS
from tests.test_url_walk import ALL_URL_NAMES, url_for_fixture  # noqa: F401 (fixture)

REFUSED_BY_CSRF = b"refused by the CSRF check"

# Written by reading pages, by design: the audit of every view, the session that carries
# the sign-in and its idle timer, and the sign-in attempts that django-axes counts.
WRITTEN_BY_READING = {
    "audit.auditevent",
    "sessions.session",
    "accounts.usersession",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "otp_totp.totpdevice",  # the authenticator made for a test persona at sign-in
    "audit.securityalert",  # opening many cases in an hour raises an alert (a GET)
}


def csrf_refused(request, reason=""):
    return HttpResponseForbidden(REFUSED_BY_CSRF)


@pytest.fixture
def strict_client(settings):
    settings.CSRF_FAILURE_VIEW = "tests.test_csrf_walk.csrf_refused"
    return Client(enforce_csrf_checks=True)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in WRITTEN_BY_READING and model._meta.managed
    }


@pytest.mark.django_db
def test_a_post_without_the_token_is_refused_everywhere_even_signed_out(strict_client, url_for):
    for name in ALL_URL_NAMES:
        response = strict_client.post(url_for(name), {"anything": "x"})
        assert response.status_code == 403, name
        assert response.content == REFUSED_BY_CSRF, name


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", sorted(PERSONAS))
def test_a_post_without_the_token_is_refused_before_any_view(
    strict_client, persona, url_for, persona_name
):
    strict_client.force_login(persona(persona_name))
    before = row_counts()
    for name in ALL_URL_NAMES:
        response = strict_client.post(url_for(name), {"anything": "x"})
        assert response.status_code == 403, name
        assert response.content == REFUSED_BY_CSRF, name
    assert row_counts() == before
