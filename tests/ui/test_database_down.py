"""When the database cannot be reached (docs/security.md §25; `make drills` does it for real):
the health check says so with a 503, and pages answer with the service's own error page,
never a traceback. The connection fails where a stopped PostgreSQL makes it fail: when
Django tries to connect."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

CONNECT = "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection"
REFUSED = OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')


def test_healthz_is_503_when_no_connection_can_be_made(client):
    with mock.patch(CONNECT, side_effect=REFUSED):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}
    assert "127.0.0.1" not in response.text


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_page_gets_the_styled_error_page_when_the_database_is_down(persona, settings, method):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(persona("coordinator"))
    with mock.patch(CONNECT, side_effect=REFUSED):
        response = getattr(client, method)(reverse("referrals:index"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "Nothing you were changing has been saved" in body
    # The service's own page: the GOV.UK template, header and stylesheet.
    assert "govuk-template__header" in body and "govuk-footer" in body
    assert "govuk-frontend" in body and ".css" in body
    for detail in ("Traceback", "OperationalError", "127.0.0.1", "port 5432"):
        assert detail not in body


def test_the_pages_work_again_once_the_database_is_back(client_as):
    client = client_as("coordinator")
    with mock.patch(CONNECT, side_effect=REFUSED):
        assert Client(raise_request_exception=False).get(reverse("healthz")).status_code == 503
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("referrals:index")).status_code == 200


def test_kept_connections_are_checked_before_reuse():
    """With CONN_MAX_AGE > 0, a worker's kept connection is checked before each request,
    so the first request after a database restart reconnects (make drills showed 500s
    without it)."""
    from django.conf import settings as django_settings

    for alias, database in django_settings.DATABASES.items():
        assert database["CONN_HEALTH_CHECKS"] is True, alias
