import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_an_unknown_url_gets_the_styled_404(client_as):
    response = client_as("board").get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "govuk-template" in body


def test_an_error_gets_the_styled_500_without_a_stack_trace(persona, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(persona("board"))
    with mock.patch("reporting.views.render", side_effect=RuntimeError("secret detail")):
        response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "secret detail" not in body and "Traceback" not in body


def test_healthz_reports_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch("prevent_portal.ui.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("down")
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_pages_have_no_inline_script_or_style(client_as, reference_data):
    for name in ("reporting:dashboard", "governance:reference", "audit:event-list"):
        body = client_as("admin").get(reverse(name)).content.decode()
        assert "<style" not in body
        assert " style=" not in body
        # every <script> has a src
        for chunk in body.split("<script")[1:]:
            assert chunk.split(">")[0].count("src=") == 1, chunk[:80]


def test_the_sign_in_page_has_the_service_shell(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'class="govuk-skip-link"' in body
    assert "govuk-phase-banner" in body
    assert "govuk-footer" in body
    assert "Prevent Portal" in body
    assert "GDS Transport" not in body


def test_collectstatic_with_manifest_storage_passes(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/govuk-frontend/govuk-frontend.min.css" in manifest
    css = next(tmp_path.glob("vendor/govuk-frontend/govuk-frontend.min.*.css")).read_text()
    assert "GDS Transport" not in css
    assert "url(/" not in css


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prevent_portal.settings_production",
        "SECRET_KEY": "x" * 20 + "a-long-random-value-for-the-deploy-check-only-123",
        "ALLOWED_HOSTS": "portal.example.invalid",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_the_development_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "prevent_portal.settings_production"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
