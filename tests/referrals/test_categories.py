"""Administrators maintain the referral categories; old referrals keep what they had."""

import pytest
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent
from referrals.models import ConcernType, Sector
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

LIST = reverse("referrals:categories")


def add(kind):
    return reverse("referrals:category-create", kwargs={"kind": kind})


def edit(kind, pk):
    return reverse("referrals:category-edit", kwargs={"kind": kind, "pk": pk})


def test_the_list_shows_every_kind(client_as):
    page = client_as("admin").get(LIST).content.decode()
    for heading in ("Sectors of referral", "Types of concern", "Sex or gender", "Outcomes"):
        assert heading in page
    assert "Friends and family" in page and "Incel" in page


def test_an_administrator_adds_a_sector_and_it_is_offered(client_as):
    response = client_as("admin").post(
        add("sectors"), {"name": "Armed forces", "position": "20", "is_active": "on"}
    )
    assert response.status_code == 302
    sector = Sector.objects.get(name="Armed forces")
    assert sector.is_active
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATE).latest("pk")
    assert event.changes["name"]["new"] == "Armed forces"


def test_a_type_of_concern_belongs_to_a_version_of_the_list(client_as):
    client_as("admin").post(
        add("concern-types"),
        {"name": "Invented ideology", "scheme": "from_2024_25", "position": "9"},
    )
    kind = ConcernType.objects.get(name="Invented ideology")
    assert kind.scheme == "from_2024_25" and kind.is_active is False


def test_retiring_an_entry_keeps_it_on_old_referrals(client_as, reference_data):
    referral = new_referral(sector="Health")
    health = Sector.objects.get(name="Health")
    client_as("admin").post(
        edit("sectors", health.pk), {"name": "Health", "position": health.position}
    )
    health.refresh_from_db()
    assert health.is_active is False
    referral.refresh_from_db()
    assert referral.sector == health


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "position": "1"}, "Enter the name of the sector of referral"),
        ({"name": "police", "position": "1"}, "An entry with this name already exists"),
        ({"name": "New", "position": "first"}, "Enter the display order as a number"),
        ({"name": "x" * 201, "position": "1"}, "characters or fewer"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client_as, data, message):
    before = Sector.objects.count()
    response = client_as("admin").post(add("sectors"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert Sector.objects.count() == before


def test_an_unknown_kind_is_404_and_others_get_403(client_as):
    assert client_as("admin").get(add("nonsense")).status_code == 404
    assert client_as("coordinator").get(LIST).status_code == 403
    assert client_as("coordinator").post(add("sectors"), {"name": "X"}).status_code == 403
    assert not Sector.objects.filter(name="X").exists()
