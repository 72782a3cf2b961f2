import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.models import Incident
from community.services import ImportRowsError, incidents_import
from prevent_portal.audit.models import AuditEvent
from prevent_portal.ui.uploads import UploadError
from tests.community.factories import district, make_incident

pytestmark = pytest.mark.django_db


def _data(**extra):
    data = {
        "occurred_on": "2026-03-04",
        "district": district("Thanet").pk,
        "place": "bus shelter on the ring road",
        "postcode": "ct9 1xx",
        "kind": "stickers",
        "ideology": "extreme_right_wing",
        "group_name": "",
        "reported_by": "",
        "notes": "Invented.",
    }
    data.update(extra)
    return data


def test_an_incident_is_recorded_and_audited(client_as, reference_data):
    response = client_as("community").post(reverse("community:incident-create"), _data())
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.district.name == "Thanet"
    assert incident.postcode == "CT9 1XX"
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.CREATE, target_id=str(incident.pk)
    ).exists()


def test_an_incident_date_in_the_future_is_refused(client_as, reference_data):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_as("community").post(
        reverse("community:incident-create"), _data(occurred_on=tomorrow.isoformat())
    )
    assert "The date of the incident must be today or in the past" in response.text
    assert "govuk-error-summary" in response.text
    assert not Incident.objects.exists()


def test_an_unknown_district_is_refused(client_as, reference_data):
    response = client_as("community").post(
        reverse("community:incident-create"), _data(district="999999")
    )
    assert "Select a district from the list" in response.text
    assert not Incident.objects.exists()


def test_a_removal_date_without_removed_is_refused(client_as, reference_data):
    response = client_as("community").post(
        reverse("community:incident-create"), _data(removed_on="2026-03-05")
    )
    assert "Tick &#x27;It has been removed&#x27; or leave the date empty" in response.text
    assert not Incident.objects.exists()


def test_an_edit_is_audited_with_old_and_new_values(client_as, reference_data):
    incident = make_incident(place="skate park wall")
    client_as("community").post(
        reverse("community:incident-edit", args=[incident.pk]), _data(place="cycle path tunnel")
    )
    incident.refresh_from_db()
    assert incident.place == "cycle path tunnel"
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE)
    assert event.changes["place"] == {"old": "skate park wall", "new": "cycle path tunnel"}


def test_delete_asks_first_and_deletes_on_post_only(client_as, reference_data):
    incident = make_incident(place="skate park wall")
    client = client_as("community")
    url = reverse("community:incident-delete", args=[incident.pk])
    page = client.get(url)
    assert "Are you sure you want to delete this incident?" in page.text
    assert Incident.objects.filter(pk=incident.pk).exists()
    client.post(url)
    assert not Incident.objects.filter(pk=incident.pk).exists()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE)
    assert event.changes["place"]["old"] == "skate park wall"


def test_the_csv_export_is_filtered_neutralised_and_audited(client_as, reference_data):
    make_incident(place="=HYPERLINK(evil)", district_name="Dover")
    make_incident(place="skate park wall", district_name="Thanet")
    response = client_as("community").get(
        reverse("community:incident-export"), {"district": district("Dover").pk, "format": "csv"}
    )
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(evil)" in body
    assert "skate park wall" not in body
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.changes["rows"] == 1 and event.changes["format"] == "csv"


def test_the_xlsx_export_is_audited(client_as, reference_data):
    make_incident()
    response = client_as("community").get(reverse("community:incident-export"), {"format": "xlsx"})
    assert response.content[:2] == b"PK"
    assert AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT).changes["format"] == "xlsx"


def test_trends_count_by_month_district_kind_and_ideology(client_as, reference_data):
    make_incident(date(2026, 1, 10), district_name="Dover", kind="graffiti")
    make_incident(date(2026, 1, 20), district_name="Dover", kind="stickers")
    make_incident(date(2026, 2, 3), district_name="Thanet", kind="stickers", ideology="islamist")
    response = client_as("community").get(reverse("community:incident-trends"))
    trends = response.context["trends"]
    assert trends.months == [date(2026, 1, 1), date(2026, 2, 1)]
    assert trends.cells == {"Dover": [2, 0], "Thanet": [0, 1]}
    assert trends.month_totals == [2, 1]
    assert trends.total == 3
    assert [(c.label, c.count) for c in trends.by_kind] == [("Stickers", 2), ("Graffiti", 1)]
    assert [(c.label, c.count) for c in trends.by_ideology] == [
        ("Extreme right-wing", 2),
        ("Islamist", 1),
    ]
    assert "<svg" in response.text and "style=" not in response.text


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize("url_name", ["community:incident-list", "community:incident-trends"])
def test_incident_pages_have_a_fixed_query_budget(
    client_as, reference_data, django_assert_max_num_queries, count, url_name
):
    names = ["Dover", "Thanet", "Medway", "Swale"]
    for n in range(count):
        make_incident(date(2026, 1 + n % 10, 1 + n % 27), district_name=names[n % 4])
    client = client_as("community")
    with django_assert_max_num_queries(14):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


# --------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------

HEADER = "date,district,place,kind,ideology,reported_by,removed\n"


def test_the_import_command_creates_every_row_and_audits(reference_data, tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text(
        HEADER
        + "2026-03-01,Dover,underpass near the retail park,Stickers,Extreme right-wing,"
        + "Kent Police,yes\n"
        + "02/03/2026,thanet,skate park wall,graffiti,,,no\n"
    )
    out = io.StringIO()
    call_command("import_incidents", str(path), stdout=out)
    assert "Imported 2 incidents" in out.getvalue()
    first = Incident.objects.get(place="underpass near the retail park")
    assert first.reported_by.name == "Kent Police" and first.removed
    assert Incident.objects.get(place="skate park wall").ideology == "mixed_unclear"
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.IMPORT, target_type="community.incident")
    assert event.changes["created"] == 2


def test_the_same_file_twice_is_refused_and_known_rows_are_skipped(reference_data):
    row = "2026-03-01,Dover,underpass near the retail park,Stickers,Extreme right-wing,,yes\n"
    first = incidents_import(actor=None, data=(HEADER + row).encode())
    assert first.created == 1
    with pytest.raises(UploadError, match="already been imported"):
        incidents_import(actor=None, data=(HEADER + row).encode())
    # A different file with the same incident and a new one: only the new one is added.
    other = "2026-03-02,Thanet,skate park wall,graffiti,,,no\n"
    second = incidents_import(actor=None, data=(HEADER + other + row.upper()).encode())
    assert (second.created, second.skipped) == (1, 1)
    assert Incident.objects.count() == 2


def test_the_import_lists_every_bad_row_and_imports_nothing(reference_data, tmp_path):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    path = tmp_path / "incidents.csv"
    path.write_text(
        HEADER
        + "2026-03-01,Dover,skate park wall,stickers,,,no\n"
        + "2026-03-01,Atlantis,skate park wall,stickers,,,no\n"
        + f"{tomorrow},Dover,skate park wall,leaflets,,,maybe\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 row"):
        call_command("import_incidents", str(path), stderr=err)
    assert "Line 3: Unknown district 'Atlantis'" in err.getvalue()
    assert "Line 4: The date must be today or in the past" in err.getvalue()
    assert "unknown kind 'leaflets'" in err.getvalue()
    assert "removed must be yes or no" in err.getvalue()
    assert not Incident.objects.exists()


def test_the_browser_import_shows_row_errors(client_as, reference_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "incidents.csv", (HEADER + "2026-03-01,Atlantis,wall,stickers,,,no\n").encode()
    )
    response = client_as("community").post(reverse("community:incident-import"), {"file": upload})
    assert "Unknown district &#x27;Atlantis&#x27;" in response.text
    assert not Incident.objects.exists()


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.just("2026-03-01"), st.just("31/02/2026"), CELL),
            st.one_of(st.just("Dover"), CELL),
            CELL,
            st.one_of(st.just("stickers"), CELL),
            st.one_of(st.just(""), CELL),
            st.one_of(st.just(""), st.just("Kent Police"), CELL),
            st.one_of(st.just("yes"), st.just("no"), CELL),
        ),
        max_size=5,
    ),
    raw=st.one_of(st.none(), st.binary(max_size=60)),
)
def test_fuzzed_imports_either_import_all_rows_or_nothing(reference_data, rows, raw):
    import csv

    if raw is not None:
        data = raw
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["date", "district", "place", "kind", "ideology", "reported_by", "removed"])
        writer.writerows(rows)
        data = buffer.getvalue().encode()
    before = Incident.objects.count()
    try:
        result = incidents_import(actor=None, data=data)
    except (UploadError, ImportRowsError):
        assert Incident.objects.count() == before
    else:
        assert Incident.objects.count() == before + result.created
