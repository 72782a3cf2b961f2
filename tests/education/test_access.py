"""Every education page as each persona: 200 for the education roles, 403 for the rest,
sign-in for anonymous users (the same rules as tests/test_url_walk.py, for this app)."""

import pytest
from django.urls import reverse

from education.models import OutreachSession
from tests.conftest import PERSONAS
from tests.education.access_rules import EXPECTED, url_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(reference_data):
    kwargs = url_kwargs()
    return {name: reverse(name, kwargs=kwargs.get(name, {})) for name in EXPECTED}


@pytest.mark.parametrize("persona_name", sorted(PERSONAS))
def test_each_persona_gets_exactly_its_education_pages(client_as, urls, persona_name):
    client = client_as(persona_name)
    outcomes = {name: client.get(url).status_code for name, url in urls.items()}
    expected = {name: 200 if persona_name in allowed else 403 for name, allowed in EXPECTED.items()}
    assert outcomes == expected


def test_anonymous_users_are_sent_to_sign_in(client, urls):
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_board_member_cannot_delete_a_session(client_as, urls):
    response = client_as("board").post(urls["education:session-delete"])
    assert response.status_code == 403
    assert OutreachSession.objects.count() == 1


def test_opening_the_delete_page_does_not_delete(client_as, urls):
    client_as("education").get(urls["education:session-delete"])
    assert OutreachSession.objects.count() == 1
