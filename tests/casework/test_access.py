"""Every case work page as each persona (the project-wide walk is tests/test_url_walk.py);
out-of-scope and unknown cases are 404; a GET never changes anything."""

import html
import uuid

import pytest
from django.urls import reverse

from casework.models import CaseNote, ConsentRecord, Intervention, RiskFlag
from prevent_portal.audit.models import AuditEvent
from tests.casework.access_rules import EXPECTED, url_kwargs
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(reference_data):
    kwargs = url_kwargs()
    return {name: reverse(name, kwargs=kwargs.get(name, {})) for name in EXPECTED}


def case_pages(urls):
    return {name: url for name, url in urls.items() if "/case/" in url}


@pytest.mark.parametrize("persona_name", sorted(PERSONAS))
def test_each_persona_gets_exactly_its_case_work_pages(client_as, urls, persona_name):
    client = client_as(persona_name)
    outcomes = {name: client.get(url).status_code for name, url in urls.items()}
    expected = {name: 200 if persona_name in allowed else 403 for name, allowed in EXPECTED.items()}
    assert outcomes == expected


def test_anonymous_is_sent_to_sign_in(client, urls):
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_every_case_page_sends_no_store(client_as, urls):
    client = client_as("channel")
    for url in case_pages(urls).values():
        assert "no-store" in client.get(url)["Cache-Control"]


def test_an_unknown_case_is_404(client_as, urls):
    client = client_as("coordinator")
    for name, url in case_pages(urls).items():
        parts = url.split("/")
        parts[3] = str(uuid.uuid4())  # /referrals/case/<pk>/...
        assert client.get("/".join(parts)).status_code == 404, name


def test_an_intervention_or_flag_of_another_case_is_404(client_as, urls):
    from tests.casework.conftest import adopted_referral

    other = adopted_referral(family="Otherwood")
    client = client_as("coordinator")
    for name in ("casework:intervention-edit", "casework:risk-edit"):
        parts = urls[name].split("/")
        parts[3] = str(other.pk)
        assert client.get("/".join(parts)).status_code == 404, name


def test_a_case_outside_the_assigned_scope_is_404(client_as, urls, settings, persona):
    settings.REFERRALS_SCOPE = "assigned"
    client = client_as("channel")  # not the case manager of the url_kwargs case
    for name, url in case_pages(urls).items():
        assert client.get(url).status_code == 404, name


def test_a_get_changes_nothing_but_records_the_view(client_as, urls):
    counts = [m.objects.count() for m in (CaseNote, ConsentRecord, Intervention, RiskFlag)]
    client = client_as("channel")
    views_before = AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW).count()
    urls = case_pages(urls)
    for url in urls.values():
        client.get(url)
    assert [m.objects.count() for m in (CaseNote, ConsentRecord, Intervention, RiskFlag)] == counts
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW).count() == views_before + len(urls)


@pytest.mark.parametrize("persona_name", ["education", "community", "support", "board", "admin"])
def test_roles_without_case_access_cannot_post(client_as, urls, persona_name):
    client = client_as(persona_name)
    for name in ("casework:consent-create", "casework:note-create", "casework:risk-create"):
        assert client.post(urls[name], {}).status_code == 403


def test_an_administrator_maintains_providers_and_the_change_is_audited(client_as):
    from casework.models import Provider

    client = client_as("admin")
    response = client.post(
        reverse("casework:provider-create"),
        {"name": "Invented Mentors", "accredited": "on", "is_active": "on", "position": "1"},
    )
    assert response.status_code == 302
    provider = Provider.objects.get(name="Invented Mentors")
    assert provider.accredited
    assert AuditEvent.objects.filter(target_type="casework.provider").exists()
    content = html.unescape(
        client.post(
            reverse("casework:provider-create"), {"name": "", "position": "1"}
        ).content.decode()
    )
    assert "Enter the provider's name" in content and "govuk-error-summary" in content
    assert "Invented Mentors" in client.get(reverse("casework:reference")).content.decode()
