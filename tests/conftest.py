"""Shared fixtures: one persona per role, each with a comment on what it may see."""

import faulthandler
import sys
from importlib import import_module

import pytest
from django.core.cache import cache
from django.urls import reverse

from prevent_portal.accounts.models import User, UserRole
from prevent_portal.accounts.roles import Role
from tests.browser.fixtures import (  # noqa: F401 (fixtures for every app's browser tests)
    axe_violations,
    chromium,
    page,
    screenshot,
    sign_in,
)

# Every PDF a test makes is checked with pdfua (tests/pdf_checks.py).
pytest_plugins = ["tests.pdf_checks"]

PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            # Anything driving Chromium is a browser test: `-m "not browser"` leaves it out.
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    from tests.browser.fixtures import SKIPPED_FOR_NO_BROWSER

    if SKIPPED_FOR_NO_BROWSER:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED: Chromium not found", red=True)
        terminalreporter.write_line(
            f"No browser at {SKIPPED_FOR_NO_BROWSER[0]}: run `make test` as root to install "
            "Debian's chromium, or set CHROMIUM_PATH."
        )


def pytest_unconfigure(config):
    """A process that has not exited two minutes after its tests (a thread or a browser
    that will not stop) prints every thread's stack and exits, instead of stalling CI."""
    faulthandler.dump_traceback_later(120, exit=True, file=sys.stderr)


# Each persona holds exactly one role. What it may see (docs/domain.md, "The people"):
PERSONAS = {
    # Prevent coordinator: everything except the audit log.
    "coordinator": Role.COORDINATOR,
    # Panel chair: as the coordinator.
    "chair": Role.CHAIR,
    # Channel coordinator: cases and reference data; no training, education, community.
    "channel": Role.CHANNEL,
    # Prevent Education Officer: education and training records; never cases.
    "education": Role.EDUCATION,
    # Community Engagement Officer: community records; never cases.
    "community": Role.COMMUNITY,
    # Business support: meetings and the plan; case identities only if granted.
    "support": Role.SUPPORT,
    # Board member: the plan and aggregate figures; never a person's identity.
    "board": Role.BOARD,
    # Administrator: users, reference data, the audit log; no case content.
    "admin": Role.ADMIN,
}


@pytest.fixture(autouse=True)
def _force_login_passes_mfa(monkeypatch):
    """`client.force_login(user)` (and so `client_as`) stands for a full sign-in: the
    password AND the MFA code. Besides signing in, it marks the session as verified by
    the user's confirmed authenticator (one is made if they have none), exactly as
    django_otp.login() does after a right code. `client.login(...)` is not patched: it
    leaves the session at the MFA step. Tests of MFA itself use the real forms."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _clear_cache():
    from prevent_portal.audit.alerts import recent_views

    cache.clear()
    recent_views.clear()
    yield
    cache.clear()
    recent_views.clear()


def make_user(username: str, *roles: str, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=extra.pop("first_name", username.title()),
        last_name=extra.pop("last_name", "Testperson"),
        **extra,
    )
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in roles])
    return user


def sign_in_with_mfa(client, username: str, password: str = PASSWORD):
    """The real sign-in through the forms: the password, then the MFA code computed
    from the user's authenticator (made if missing). Returns the code step's response."""
    from tests.browser.fixtures import totp_code, totp_device_for

    device = totp_device_for(username)
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client.post(reverse("accounts:mfa-verify"), {"code": totp_code(device)})


def reauthenticated(client):
    """Mark the client's session as having just confirmed the password and an MFA code
    (prevent_portal/accounts/reauth.py), as the "Confirm it is you" page does. Signing
    in (force_login) does not: case exports must ask first."""
    import time

    from prevent_portal.accounts.reauth import REAUTH_AT_SESSION_KEY

    session = client.session
    session[REAUTH_AT_SESSION_KEY] = time.time()
    session.save()
    return client


@pytest.fixture
def persona(db):
    """persona("board") -> a saved user holding that one role."""

    def build(name: str) -> User:
        existing = User.objects.filter(username=name).first()
        return existing or make_user(name, PERSONAS[name])

    return build


@pytest.fixture
def client_as(client, persona):
    """client_as("admin") -> the test client, signed in as that persona."""

    def signed_in(name: str):
        client.force_login(persona(name))
        return client

    return signed_in


# One table of each loader below: all empty after a flush, all full after the migrations.
SEEDED_BY_MIGRATIONS = (
    "governance.PlanHeading",
    "referrals.Sector",
    "referrals.ConcernType",
    "vaf.Framework",
    "vaf.RatingLevel",
    "casework.InterventionType",
)


def load_reference_rows():
    """Districts, PEO areas and partners; and the rows that migrations seed (plan
    headings, case-work categories), again if a flush (a browser test, transactional,
    ends by flushing every table) removed them."""
    from django.apps import apps

    from governance.services import load_reference_data

    load_reference_data()
    # The rows the migrations seed are still there unless the database was flushed: their
    # loaders only get_or_create, so they would change nothing (75 queries).
    if all(apps.get_model(label).objects.exists() for label in SEEDED_BY_MIGRATIONS):
        return
    import_module("governance.migrations.0003_seed_plan_headings").seed(apps, None)
    # The case-work reference data the migrations seed: sectors, types of concern, the
    # default VAF, intervention types.
    for app in ("referrals", "vaf", "casework"):
        import_module(f"{app}.reference").load_reference_models()


@pytest.fixture
def reference_data(db):
    """The reference rows (load_reference_rows), in the test's own transaction."""
    load_reference_rows()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """For a module whose tests all start from the same costly rows: a module-scoped
    fixture that depends on this one makes them once, in a transaction rolled back when
    the module ends. Each test runs in a savepoint inside it (pytest-django's `db`), so
    it starts from exactly those rows, and what it changes is undone after it, as if it
    had made the rows itself. Not for transactional tests (they flush the database)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walk_samples(module_transaction):
    """The reference data and one object per URL pattern (tests/test_url_walk.py,
    url_samples), made once for the module's tests; each starts from them unchanged."""
    from tests.test_url_walk import url_samples

    load_reference_rows()
    return url_samples()


@pytest.fixture(autouse=True, scope="session")
def _documents_stored_in_a_temporary_folder(tmp_path_factory):
    """Stored documents (STORAGES["documents"]) go to a folder of the test run, never to
    the developer's DOCUMENTS_ROOT. Tests that look at the files use `documents_storage`."""
    from django.conf import settings
    from django.test import override_settings

    location = tmp_path_factory.mktemp("documents")
    storages = {
        **settings.STORAGES,
        "documents": {**settings.STORAGES["documents"], "OPTIONS": {"location": location}},
    }
    with override_settings(STORAGES=storages):
        yield location
