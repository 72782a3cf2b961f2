"""Walks every URL pattern as anonymous and as each persona.

Anonymous users are sent to sign in (except the few public pages); each persona gets the
page if its role allows and a 403 if not; nobody ever gets a 500. A new URL pattern that
is not listed in EXPECTED fails this test, so every view must declare who may open it.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from governance.models import District, Partner, PeoArea
from tests.conftest import PERSONAS

ALL = set(PERSONAS)
MANAGERS = {"coordinator", "chair"}

# URL name -> the personas that may open it with GET. Everyone else: 403.
EXPECTED: dict[str, set[str]] = {
    "reporting:dashboard": ALL,
    "reporting:figures": MANAGERS | {"board"},
    "audit:event-list": {"admin"},
    "audit:event-export": {"admin"},
    "governance:index": MANAGERS | {"support", "board"},
    "governance:reference": {"admin"},
    "governance:partnership-edit": {"admin"},
    "governance:partner-list": {"admin"},
    "governance:partner-create": {"admin"},
    "governance:partner-edit": {"admin"},
    "governance:district-create": {"admin"},
    "governance:district-edit": {"admin"},
    "governance:peo-area-create": {"admin"},
    "governance:peo-area-edit": {"admin"},
    "referrals:index": MANAGERS | {"channel"},
    "training:index": MANAGERS | {"education"},
    "education:index": MANAGERS | {"education"},
    "community:index": MANAGERS | {"community"},
}

# Each domain app's tests may add tests/<app>/access_rules.py with its own EXPECTED
# (same shape as above) and url_kwargs() -> {url name: kwargs}, called with the
# reference data loaded, to build URLs that need an object.
APPS_WITH_RULES = [
    "accounts",
    "audit",
    "referrals",
    "channel",
    "vaf",
    "casework",
    "worklist",
    "documents",
    "retention",
    "disclosures",
    "training",
    "education",
    "community",
    "governance",
    "reporting",
]
_kwarg_builders = []
# Open without signing in.
PUBLIC = {"accounts:login", "healthz"}
# State-changing views that refuse GET.
POST_ONLY = {"accounts:logout"}
# The MFA step between the password and the portal: open to a signed-in user who has not
# passed MFA yet; one who has is sent on (302).
MFA_STEP: set[str] = set()
# Case exports (prevent_portal/accounts/reauth.py): a persona allowed to open one is first
# sent (302) to "Confirm it is you"; signing in does not count as confirming.
REAUTH: set[str] = set()
for _app in APPS_WITH_RULES:
    try:
        _rules = importlib.import_module(f"tests.{_app}.access_rules")
    except ModuleNotFoundError as error:
        if error.name not in (f"tests.{_app}", f"tests.{_app}.access_rules"):
            raise
        continue
    EXPECTED.update(_rules.EXPECTED)
    if hasattr(_rules, "url_kwargs"):
        _kwarg_builders.append(_rules.url_kwargs)
    # An app's rules may name public pages and POST-only views too.
    PUBLIC |= getattr(_rules, "PUBLIC", set())
    POST_ONLY |= getattr(_rules, "POST_ONLY", set())
    MFA_STEP |= getattr(_rules, "MFA_STEP", set())
    REAUTH |= getattr(_rules, "REAUTH", set())


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", pattern


ALL_URL_NAMES = sorted(name for name, _ in _walk(get_resolver()))


def url_samples() -> dict[str, dict]:
    """URL name -> the kwargs of a URL that reaches a real object (made here, with the
    reference data loaded) for every pattern that takes one."""
    samples = {
        "governance:partner-edit": {"pk": Partner.objects.first().pk},
        "governance:district-edit": {"pk": District.objects.first().pk},
        "governance:peo-area-edit": {"pk": PeoArea.objects.first().pk},
    }
    for builder in _kwarg_builders:
        samples.update(builder())
    return samples


@pytest.fixture(name="url_for")
def url_for_fixture(db, walk_samples):
    """url_for(name) -> the URL of that pattern, reaching one of the module's sample
    objects (tests/conftest.py, walk_samples) if it takes one."""
    samples = walk_samples

    def build(name):
        return reverse(name, kwargs=samples.get(name, {}))

    return build


def test_every_url_pattern_is_classified():
    unclassified = set(ALL_URL_NAMES) - set(EXPECTED) - PUBLIC - POST_ONLY - MFA_STEP
    assert not unclassified, f"URL names with no access rule in this test: {unclassified}"
    stale = (set(EXPECTED) | PUBLIC | POST_ONLY | MFA_STEP) - set(ALL_URL_NAMES)
    assert not stale, f"Rules for URL names that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(ALL_URL_NAMES) - PUBLIC))
def test_anonymous_is_sent_to_sign_in(client, url_for, name):
    url = url_for(name)
    response = client.get(url)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_open_without_sign_in(client, url_for, name):
    assert client.get(url_for(name)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", sorted(PERSONAS))
def test_each_persona_gets_exactly_its_pages(client_as, url_for, persona_name):
    from tests.test_csrf_walk import row_counts

    client = client_as(persona_name)
    rows_before = row_counts()
    outcomes = {}
    for name in ALL_URL_NAMES:
        if name in PUBLIC:
            continue
        response = client.get(url_for(name))
        outcomes[name] = response.status_code
        if name in REAUTH and response.status_code == 302:
            confirm = reverse("accounts:confirm-identity") + "?next="
            assert response["Location"].startswith(confirm), name
    expected = {
        name: (405 if name in POST_ONLY else 200 if persona_name in allowed else 403)
        for name, allowed in [*EXPECTED.items(), *((n, set()) for n in POST_ONLY)]
    }
    expected.update(dict.fromkeys(MFA_STEP, 302))
    expected.update({name: 302 for name in REAUTH if persona_name in EXPECTED[name]})
    assert outcomes == expected
    # No state change on GET (docs/security.md §18): only the audit and session tables moved.
    rows_after = row_counts()
    assert {k: (v, rows_after[k]) for k, v in rows_before.items() if rows_after[k] != v} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", sorted(PERSONAS))
def test_case_exports_open_after_a_fresh_confirmation(client_as, url_for, persona_name):
    """With the password and a code just confirmed, each case export opens (200) for the
    personas allowed it and is still refused (403) to the others."""
    from tests.conftest import reauthenticated

    client = reauthenticated(client_as(persona_name))
    outcomes = {name: client.get(url_for(name)).status_code for name in sorted(REAUTH)}
    assert outcomes == {
        name: 200 if persona_name in EXPECTED[name] else 403 for name in sorted(REAUTH)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", ["admin", "coordinator"])
def test_signed_in_without_mfa_every_page_sends_to_the_mfa_step(
    client, persona, url_for, persona_name
):
    """Password right, code not yet entered (client.login is not patched to pass MFA,
    unlike force_login): every page but the MFA step, sign-out and the public pages
    redirects to the MFA step, and never shows the page."""
    from tests.conftest import PASSWORD

    persona(persona_name)
    assert client.login(username=persona_name, password=PASSWORD)
    mfa_step = reverse("accounts:mfa-verify")
    for name in ALL_URL_NAMES:
        if name in PUBLIC or name in MFA_STEP or name == "accounts:logout":
            continue
        response = client.get(url_for(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(mfa_step + "?next="), name
        response = client.post(url_for(name))
        assert response.status_code == 302, name
        assert response["Location"] == mfa_step, name


# Every page that opens without signing in, written out here so that no app can open one
# quietly: the URL walk above sends anonymous users to sign in from every other page.
OPEN_WITHOUT_SIGN_IN = {
    "accounts:login",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "healthz",
    # The published training offer and booking (docs/training.md, "Booking").
    "courses:offer",
    "courses:booking-create",
    "courses:booking-sent",
    "courses:booking-confirm",
    "courses:booking-cancel",
    "courses:booking-outcome",
}


def test_only_the_listed_pages_open_without_sign_in():
    """The public pages are exactly the list above, and they are the only views that
    carry login_not_required (so none is reachable without an account by a rule
    missing from the walk)."""
    assert PUBLIC == OPEN_WITHOUT_SIGN_IN
    opened = {
        name
        for name, pattern in _walk(get_resolver())
        if not getattr(pattern.callback, "login_required", True)
    }
    assert opened == OPEN_WITHOUT_SIGN_IN


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name in PUBLIC if name.startswith("courses:")))
def test_the_public_training_pages_show_nothing_of_the_signed_in_portal(client_as, url_for, name):
    """Even for a signed-in coordinator: no navigation, no account, no sign-out."""
    response = client_as("coordinator").get(url_for(name))
    assert response.status_code == 200, name
    body = response.content.decode()
    assert "govuk-service-navigation" not in body, name
    assert "Sign out" not in body, name
    assert f'href="{reverse("reporting:dashboard")}"' not in body, name
