import pytest
from django.urls import reverse

from governance.models import District, Partner, Partnership, PeoArea
from governance.selectors import partnership_name
from governance.services import load_reference_data
from prevent_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

KENT_DISTRICTS = {
    "Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe", "Gravesham",
    "Maidstone", "Sevenoaks", "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells",
}  # fmt: skip


def test_it_loads_the_twelve_kent_districts_and_medway():
    load_reference_data()
    assert set(District.objects.filter(kind="district").values_list("name", flat=True)) == (
        KENT_DISTRICTS
    )
    assert list(District.objects.filter(kind="unitary").values_list("name", flat=True)) == [
        "Medway"
    ]
    assert District.objects.get(name="Medway").peo_area.name == "Medway, North and West Kent"
    assert District.objects.get(name="Thanet").peo_area.name == "South and East Kent"


def test_loading_twice_changes_nothing_and_keeps_staff_edits():
    first = load_reference_data()
    assert first == {"peo_areas": 2, "districts": 13, "partners": 30}
    District.objects.filter(name="Dover").update(lead_contact="Team lead (east)")
    events = AuditEvent.objects.count()
    second = load_reference_data()
    assert second == {"peo_areas": 0, "districts": 0, "partners": 0}
    assert District.objects.count() == 13 and Partner.objects.count() == 30
    assert District.objects.get(name="Dover").lead_contact == "Team lead (east)"
    assert AuditEvent.objects.count() == events  # nothing new, nothing audited


def test_the_partnership_name_is_data_and_shows_in_the_header(client_as, reference_data):
    response = client_as("board").get(reverse("reporting:dashboard"))
    assert "Kent and Medway Prevent Partnership" in response.content.decode()
    Partnership.objects.filter(pk=1).update(name="Northshire Prevent Partnership")
    from django.core.cache import cache

    cache.clear()
    assert partnership_name() == "Northshire Prevent Partnership"


def test_admin_adds_a_partner_and_the_change_is_audited(client_as, reference_data):
    client = client_as("admin")
    district = District.objects.get(name="Swale")
    response = client.post(
        reverse("governance:partner-create"),
        {
            "name": "Swale Youth Trust",
            "sector": "voluntary",
            "district": district.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Swale Youth Trust")
    assert partner.district == district
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, target_id=str(partner.pk))
    assert event.actor_username == "admin"
    assert event.target_type == "governance.partner"
    assert event.changes["name"] == {"old": None, "new": "Swale Youth Trust"}


def test_retiring_a_partner_records_old_and_new_values(client_as, reference_data):
    partner = Partner.objects.get(name="Kent Housing Group")
    response = client_as("admin").post(
        reverse("governance:partner-edit", args=[partner.pk]),
        {"name": partner.name, "sector": partner.sector, "district": ""},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.is_active is False
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(partner.pk))
    assert event.changes == {"is_active": {"old": True, "new": False}}


def test_bad_input_gets_a_govuk_error_and_changes_nothing(client_as, reference_data):
    client = client_as("admin")
    before = Partner.objects.count()
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("governance:partner-create"), {"name": "Kent Police", "sector": ""}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "An organisation with this name already exists" in body
    assert "Select the organisation&#x27;s sector" in body
    assert Partner.objects.count() == before
    assert AuditEvent.objects.count() == events


def test_get_does_not_change_state(client_as, reference_data):
    partner = Partner.objects.get(name="Kent Police")
    client_as("admin").get(reverse("governance:partner-edit", args=[partner.pk]))
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE).exists()


def test_an_unknown_partner_is_404(client_as, reference_data):
    response = client_as("admin").get(reverse("governance:partner-edit", args=[999999]))
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_the_partner_list_filters_by_sector(client_as, reference_data):
    response = client_as("admin").get(reverse("governance:partner-list"), {"sector": "police"})
    body = response.content.decode()
    assert "Kent Police" in body
    assert "Medway Council" not in body
    assert "2 organisations" in body


def test_the_partner_list_query_count_does_not_grow(
    client_as, reference_data, django_assert_max_num_queries
):
    client = client_as("admin")
    area = PeoArea.objects.first()
    for extra in (0, 40):
        for i in range(extra):
            district = District.objects.create(name=f"District {i}", kind="district", peo_area=area)
            Partner.objects.create(name=f"Partner {i}", sector="other", district=district)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("governance:partner-list")).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(reverse("governance:reference")).status_code == 200
