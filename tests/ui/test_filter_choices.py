"""The list pages' filters: reference choices cached (and cleared on any change), the
selects written in one pass with Django's markup, and queries that do not grow with
the reference data (docs/performance.md, item 5)."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import District, Partner, PeoArea
from prevent_portal.accounts.roles import Role
from prevent_portal.ui.choices import PlainSelect, cached_choices
from referrals.models import Sector
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PAGES = ["referrals:index", "training:session-list", "education:session-list"]
REFERENCE_TABLES = [
    "referrals_sector",
    "referrals_concerntype",
    "governance_district",
    "governance_peoarea",
    "governance_partner",
    "education_audiencecategory",
    "training_course",
]


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def _more_reference_data(count: int) -> None:
    area = PeoArea.objects.first()
    for n in range(count):
        District.objects.create(name=f"Invented district {n}", kind="district", peo_area=area)
        Partner.objects.create(name=f"Invented partner {n}", sector="local_authority")
        make_user(f"manager{n}", Role.CHANNEL, first_name="Casey", last_name=f"Madeup{n}")


@pytest.mark.parametrize("name", PAGES)
def test_the_filters_read_no_reference_data_once_cached_at_two_sizes(
    client_as, reference_data, name
):
    client, url = client_as("coordinator"), reverse(name)
    client.get(url)  # fills the cache
    _response, small = _get(client, url)
    assert not [sql for sql in small if any(table in sql for table in REFERENCE_TABLES)]
    _more_reference_data(15)  # clears the cache
    first, _ = _get(client, url)
    assert "Invented district 14" in first.content.decode()
    response, large = _get(client, url)
    assert len(large) == len(small)
    assert "Invented district 14" in response.content.decode()


def test_a_change_of_reference_data_shows_at_once(client_as, reference_data):
    client, url = client_as("coordinator"), reverse("referrals:index")
    assert "Invented sector" not in client.get(url).content.decode()
    sector = Sector.objects.create(name="Invented sector", position=99)
    assert "Invented sector" in client.get(url).content.decode()
    sector.name = "Renamed sector"
    sector.save()
    body = client.get(url).content.decode()
    assert "Renamed sector" in body and "Invented sector" not in body


def test_a_stale_cached_option_is_still_checked_against_the_database(client_as, reference_data):
    client, url = client_as("coordinator"), reverse("training:session-list")
    client.get(url)
    gone = District.objects.order_by("pk").last().pk + 1000
    # A cached list that offers a district the database does not have.
    districts = cached_choices("districts", list)
    from django.core.cache import cache

    cache.set("filter-choices:districts", [*districts, (str(gone), "Vanished district")])
    body = client.get(url, {"district": gone}).content.decode()
    assert "Vanished district" in body  # offered from the cache...
    assert "Select a valid choice" in body  # ...but not accepted


def test_the_case_manager_select_lists_only_users_with_case_roles(client_as, reference_data):
    make_user("peo1", Role.EDUCATION, first_name="Robin", last_name="Notacaseworker")
    make_user("channel1", Role.CHANNEL, first_name="Sam", last_name="Caseworkerly")
    body = client_as("coordinator").get(reverse("referrals:index")).content.decode()
    managers = re.search(r'<select name="case_manager".*?</select>', body, re.S).group(0)
    assert "Sam Caseworkerly" in managers
    assert "Notacaseworker" not in managers


def test_plain_select_writes_what_django_select_writes():
    choices = [("", "Any"), ("1", "Fish & chips"), ("2", "<b>Bold</b>"), ("3", "Three")]
    attrs = {"class": "govuk-select", "id": "id_thing", "aria-describedby": "thing-hint"}
    for value in (None, "", "2", 3):
        django = forms.Select(attrs=attrs, choices=choices).render("thing", value)
        ours = PlainSelect(attrs=attrs, choices=choices).render("thing", value)
        assert re.sub(r">\s+<", "><", django).strip() == ours


def _panel(response) -> str:
    """The filter form's fields: from the first label to the "Apply filters" button."""
    body = response.content.decode()
    form = body[body.index('<h2 class="govuk-heading-m">Filter</h2>') :]
    return form[: form.index("Apply filters")]


def _rendered(response) -> list[str]:
    return [template.name for template in response.templates]


@pytest.mark.parametrize("name", PAGES)
def test_the_filter_panel_is_rendered_once_and_is_the_same(client_as, reference_data, name):
    from django.template.loader import render_to_string

    client, url = client_as("coordinator"), reverse(name)
    first = client.get(url)
    assert "includes/filter_field.html" in _rendered(first)
    again = client.get(url)
    assert "includes/filter_field.html" not in _rendered(again)
    assert _panel(again) == _panel(first)
    # The kept panel is exactly what the fields render to.
    fresh = render_to_string("includes/filter_fields.html", {"form": again.context["filter"].form})
    assert fresh.strip() in _panel(again)


def test_the_kept_panel_follows_the_values_the_errors_and_the_choices(client_as, reference_data):
    client, url = client_as("coordinator"), reverse("referrals:index")
    dover = District.objects.get(name="Dover")
    client.get(url)
    chosen = _panel(client.get(f"{url}?district={dover.pk}"))
    assert f'<option value="{dover.pk}" selected>Dover</option>' in chosen
    assert f'value="{dover.pk}" selected' not in _panel(client.get(url))
    wrong = _panel(client.get(f"{url}?received_from=not-a-date"))
    assert "govuk-error-message" in wrong
    assert "govuk-error-message" not in _panel(client.get(url))
    # A change of the reference data shows at once, in a panel kept before it.
    dover.name = "Dover and Deal"
    dover.save()
    assert "Dover and Deal" in _panel(client.get(url))
    assert "Dover and Deal" in _panel(client.get(f"{url}?district={dover.pk}"))
