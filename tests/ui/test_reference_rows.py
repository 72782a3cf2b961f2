"""Reference rows (sectors, types of concern, outcomes, sexes, districts) kept in the
cache and set on the case list's rows and the case page's referral, instead of joined
(docs/performance.md, item 14): no query, a change shows at once, a row the cache does
not know yet is read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import District
from prevent_portal.ui.choices import attach_reference_rows, reference_rows
from referrals.models import Person, Referral, Sector
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

SECTOR = Referral._meta.get_field("sector")


def test_rows_are_set_without_a_query_once_cached(reference_data):
    referral = Referral.objects.get(pk=new_referral(sector="Health").pk)
    reference_rows(Sector)
    with CaptureQueriesContext(connection) as queries:
        attach_reference_rows([referral], SECTOR)
        name = referral.sector.name
    assert name == "Health"
    assert queries.captured_queries == []


def _table(client) -> str:
    """The case list's rows (the filter panel names every sector too)."""
    content = client.get(reverse("referrals:index")).content.decode()
    return content.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]


def test_a_renamed_sector_shows_at_once(client_as, persona, reference_data):
    new_referral(sector="Health")
    client = client_as("coordinator")
    assert ">Health<" in _table(client)
    sector = Sector.objects.get(name="Health")
    sector.name = "Health and social care"
    sector.save()
    assert ">Health and social care<" in _table(client)


def test_a_row_the_cache_does_not_know_yet_is_read(reference_data):
    cached = reference_rows(Sector)
    # Made without signals, as by another process whose change this one has not heard of.
    (added,) = Sector.objects.bulk_create([Sector(name="Invented new sector", position=99)])
    assert added.pk not in cached
    referral = new_referral()
    Referral.objects.filter(pk=referral.pk).update(sector=added)
    referral = Referral.objects.get(pk=referral.pk)
    attach_reference_rows([referral], SECTOR)
    with CaptureQueriesContext(connection) as queries:
        assert referral.sector.name == "Invented new sector"
    assert queries.captured_queries == []
    assert added.pk in reference_rows(Sector)


def test_no_district_stays_none(reference_data):
    referral = new_referral(district=None)
    person = Person.objects.get(pk=referral.person_id)
    attach_reference_rows([person], Person._meta.get_field("district"))
    with CaptureQueriesContext(connection) as queries:
        assert person.district is None
    assert queries.captured_queries == []


def test_only_the_listed_models_are_kept(reference_data):
    from prevent_portal.accounts.models import User

    districts = reference_rows(District)
    assert set(districts) == set(District.objects.values_list("pk", flat=True))
    assert {district.name for district in districts.values()} >= {"Dover", "Thanet"}
    with pytest.raises(ValueError, match="not cached"):
        reference_rows(User)
