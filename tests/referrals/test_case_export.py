"""The case list as CSV: after a fresh confirmation, filtered, masked, neutralised, audited."""

import csv
import io

import pytest
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent
from tests.conftest import make_user, reauthenticated
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

EXPORT = reverse("referrals:case-export")
LIST = reverse("referrals:index")


def rows_of(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def with_grant(client, reference_data):
    client.force_login(make_user("granted", "channel", can_see_identities=True))
    return reauthenticated(client)


@pytest.fixture
def without_grant(client, reference_data):
    client.force_login(make_user("ungranted", "channel"))
    return reauthenticated(client)


def test_the_list_links_to_the_export_with_its_filters(client_as, reference_data):
    new_referral(family="Linked")
    page = client_as("channel").get(LIST, {"status": "received"}).content.decode()
    assert "Download these cases (CSV)" in page
    assert f'href="{EXPORT}?status=received"' in page


def test_it_names_people_for_holders_of_the_identity_grant(with_grant):
    referral = new_referral(given="Jamie", family="Testwood")
    [row] = rows_of(with_grant.get(EXPORT))
    assert row["Reference"] == referral.reference
    assert row["Name"] == "Jamie Testwood"
    assert row["Date of birth"] == "2010-05-01"
    assert row["District"] == "Dover" and row["Sector"] == "Education"


def test_it_masks_identities_without_the_grant(without_grant):
    new_referral(given="Jamie", family="Testwood", address="9 Imaginary Lane")
    response = without_grant.get(EXPORT)
    [row] = rows_of(response)
    assert row["Name"] == "J. T. (name hidden)"
    assert row["Date of birth"] == "Hidden"
    everything = str(row)
    for secret in ("Jamie", "Testwood", "2010-05-01", "Imaginary", "Robin Madeup"):
        assert secret not in everything


def test_formulas_are_neutralised(with_grant):
    new_referral(given="=HYPERLINK(1)", family="+Sum")
    [row] = rows_of(with_grant.get(EXPORT))
    assert row["Name"] == "'=HYPERLINK(1) +Sum"


def test_it_exports_the_filtered_list_and_audits_the_filter_and_count(with_grant):
    from referrals.models import Sector

    kept = new_referral(family="Kept", sector="Education")
    new_referral(family="Dropped", sector="Health")
    sector = Sector.objects.get(name="Education")
    rows = rows_of(with_grant.get(EXPORT, {"sector": sector.pk}))
    assert [row["Reference"] for row in rows] == [kept.reference]
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.actor_username == "granted"
    assert event.changes["filters"] == {"sector": str(sector.pk)}
    assert event.changes["rows"] == 1
    assert "Kept" not in str(event.changes) + event.summary


def test_it_applies_the_search_but_never_audits_its_text(with_grant):
    kept = new_referral(family="Searchable")
    new_referral(family="Other")
    with_grant.post(LIST, {"q": "Searchable"})
    rows = rows_of(with_grant.get(EXPORT))
    assert [row["Reference"] for row in rows] == [kept.reference]
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.changes["searched"] is True
    assert "Searchable" not in str(event.changes) + event.summary


def test_invalid_filters_export_nothing(with_grant):
    new_referral(family="Any")
    assert rows_of(with_grant.get(EXPORT, {"received_from": "not a date"})) == []


def test_out_of_scope_cases_are_not_exported(client, reference_data, settings):
    settings.REFERRALS_SCOPE = "assigned"
    me = make_user("scoped", "channel", can_see_identities=True)
    mine = new_referral(family="Mine", actor=me)
    new_referral(family="Theirs", actor=make_user("someone", "coordinator"))
    client.force_login(me)
    rows = rows_of(reauthenticated(client).get(EXPORT))
    assert [row["Reference"] for row in rows] == [mine.reference]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_export_query_count_does_not_grow_with_the_rows(
    with_grant, django_assert_max_num_queries, rows
):
    for index in range(rows):
        new_referral(family=f"Budget{index}", district=["Dover", "Thanet", None][index % 3])
    with_grant.get(reverse("reporting:dashboard"))  # warm the session's caches
    with django_assert_max_num_queries(10):
        response = with_grant.get(EXPORT)
        assert len(rows_of(response)) == rows
