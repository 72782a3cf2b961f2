"""Importing the register of settings from a GIAS extract or a simple CSV."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from education.models import PendingImport, Setting
from education.services import ImportRowsError, register_import
from prevent_portal.audit.models import AuditEvent
from prevent_portal.ui.uploads import UploadError

pytestmark = pytest.mark.django_db

GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "OpenDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "Street",
    "Town",
    "Postcode",
    "DistrictAdministrative (code)",
    "DistrictAdministrative (name)",
    "Easting",
    "Northing",
]


def gias_row(urn, name, la="Kent", district="Ashford", *, status="Open", phase="Primary"):
    return {
        "URN": str(urn),
        "LA (code)": "886" if la == "Kent" else "999",
        "LA (name)": la,
        "EstablishmentNumber": "2001",
        "EstablishmentName": name,
        "TypeOfEstablishment (code)": "01",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentStatus (code)": "1" if status == "Open" else "2",
        "EstablishmentStatus (name)": status,
        "OpenDate": "01-09-1970",
        "PhaseOfEducation (code)": "2",
        "PhaseOfEducation (name)": phase,
        "Street": "Invented Lane",
        "Town": "Inventon",
        "Postcode": "ZZ1 1ZZ",
        "DistrictAdministrative (code)": "E07000105",
        "DistrictAdministrative (name)": district,
        "Easting": "600000",
        "Northing": "140000",
    }


def gias_file(rows, header=GIAS_HEADER, encoding="cp1252") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


SAMPLE = [
    gias_row(900101, "Église Street Primary School", district="Ashford"),
    gias_row(900102, "St Mary’s CofE Junior School", district="Folkestone & Hythe"),
    gias_row(900103, "Riverside Academy", la="Medway", district="Medway", phase="Secondary"),
    gias_row(900104, "Old Mill School", district="Dover", status="Closed"),
    gias_row(900105, "Elsewhere Primary School", la="Surrey", district="Guildford"),
    gias_row(900106, "Far Away Academy", la="Leeds", district="Leeds"),
    gias_row(900107, "Valley Free School", district="FOLKESTONE AND HYTHE"),
]


def test_a_gias_extract_keeps_our_local_authorities_and_marks_closed_ones(reference_data):
    data = gias_file(SAMPLE)
    assert "Église".encode("cp1252") in data  # really Windows-1252, not UTF-8
    result = register_import(actor=None, data=data, filename="edubasealldata.csv")
    assert (result.new, result.updated, result.unchanged, result.left_out) == (5, 0, 0, 2)
    settings = {s.urn: s for s in Setting.objects.select_related("district__peo_area")}
    assert set(settings) == {900101, 900102, 900103, 900104, 900107}
    assert settings[900101].name == "Église Street Primary School"
    assert settings[900102].name == "St Mary’s CofE Junior School"
    assert settings[900102].district.name == "Folkestone and Hythe"
    assert settings[900107].district.name == "Folkestone and Hythe"
    assert settings[900103].local_authority == "Medway"
    assert settings[900103].phase == "Secondary"
    assert settings[900103].peo_area.name == "Medway, North and West Kent"
    assert settings[900104].is_open is False and settings[900104].status == "Closed"
    assert settings[900101].is_open is True
    assert settings[900101].establishment_type == "Community school"
    assert settings[900101].postcode == "ZZ1 1ZZ"
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.IMPORT, target_type="education.setting")
    assert event.changes["new"] == 5 and event.changes["left_out"] == 2


def test_importing_again_updates_and_never_duplicates(reference_data):
    register_import(actor=None, data=gias_file(SAMPLE))
    changed = [dict(row) for row in SAMPLE]
    changed[0]["EstablishmentName"] = "Église Street Primary Academy"
    changed[2]["EstablishmentStatus (name)"] = "Closed"
    result = register_import(actor=None, data=gias_file(changed))
    assert (result.new, result.updated, result.unchanged) == (0, 2, 3)
    assert Setting.objects.count() == 5
    assert Setting.objects.get(urn=900101).name == "Église Street Primary Academy"
    assert Setting.objects.get(urn=900103).is_open is False


def test_a_gias_file_with_missing_columns_is_refused(reference_data):
    header = [h for h in GIAS_HEADER if h not in ("Postcode", "LA (name)")]
    with pytest.raises(UploadError, match="missing the column"):
        register_import(actor=None, data=gias_file(SAMPLE, header=header))
    assert Setting.objects.count() == 0


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_imported(reference_data):
    rows = [
        gias_row(900201, "Good School"),
        gias_row("12x", "Bad URN School"),
        gias_row(900203, ""),
        gias_row(900201, "Twice School"),
        gias_row("oops", "Not Ours", la="Surrey"),  # other authorities are not checked
    ]
    with pytest.raises(ImportRowsError) as raised:
        register_import(actor=None, data=gias_file(rows))
    assert [line for line, _message in raised.value.errors] == [3, 4, 5]
    messages = dict(raised.value.errors)
    assert "URN must be a whole number" in messages[3]
    assert "Enter the name" in messages[4]
    assert "also on line 2" in messages[5]
    assert Setting.objects.count() == 0
    assert not AuditEvent.objects.filter(target_type="education.setting").exists()


def test_a_file_of_the_wrong_kind_is_refused(reference_data):
    with pytest.raises(UploadError, match="GIAS establishment extract"):
        register_import(actor=None, data=b"reference,heading\n1.1,Plan\n")
    with pytest.raises(UploadError):
        register_import(actor=None, data=b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_a_simple_csv_is_accepted(reference_data):
    data = b"urn,name,phase,district\n700001,Hazelden Primary School,Primary,thanet\n"
    result = register_import(actor=None, data=data)
    assert result.new == 1
    setting = Setting.objects.get(urn=700001)
    assert (setting.name, setting.phase, setting.district.name) == (
        "Hazelden Primary School",
        "Primary",
        "Thanet",
    )


def test_a_simple_csv_with_an_unknown_district_is_refused(reference_data):
    data = b"urn,name,phase,district\n700001,Hazelden Primary School,Primary,Atlantis\n"
    with pytest.raises(ImportRowsError) as raised:
        register_import(actor=None, data=data)
    assert raised.value.errors == [(2, "Unknown district 'Atlantis'")]


def test_the_command_imports_a_file(reference_data, tmp_path):
    path = tmp_path / "gias.csv"
    path.write_bytes(gias_file(SAMPLE))
    out = io.StringIO()
    call_command("import_settings", str(path), stdout=out)
    assert "5 new" in out.getvalue() and "2 left out" in out.getvalue()
    assert Setting.objects.count() == 5


def test_the_command_reports_bad_rows(reference_data, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"urn,name,phase,district\nabc,School,Primary,Dover\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_settings", str(path), stderr=err)
    assert "Line 2:" in err.getvalue()


def test_upload_previews_then_imports_on_confirmation(client_as, reference_data):
    client = client_as("education")
    Setting.objects.create(urn=900101, name="Église Street Primary School", phase="Primary")
    upload = SimpleUploadedFile("gias.csv", gias_file(SAMPLE), content_type="text/csv")
    response = client.post(reverse("education:setting-import"), {"file": upload})
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert 'id="count-new">4<' in text
    assert 'id="count-updated">1<' in text
    assert 'id="count-left-out">2<' in text
    assert Setting.objects.count() == 1  # nothing written before confirmation
    response = client.post(reverse("education:setting-import-confirm", args=[pending.pk]))
    assert response.status_code == 302
    assert Setting.objects.count() == 5
    assert not PendingImport.objects.exists()


def test_upload_of_a_bad_file_shows_the_errors_and_imports_nothing(client_as, reference_data):
    upload = SimpleUploadedFile("bad.csv", b"urn,name,phase,district\nx,,Primary,Nowhere\n")
    response = client_as("education").post(reverse("education:setting-import"), {"file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "The URN must be a whole number" in text
    assert not PendingImport.objects.exists() and not Setting.objects.exists()


@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=400)
    | st.text(max_size=300).map(lambda t: ("urn,name,phase,district\n" + t).encode())
)
def test_any_bytes_either_import_or_fail_cleanly(reference_data, data):
    before = Setting.objects.count()
    try:
        register_import(actor=None, data=data)
    except (UploadError, ImportRowsError):
        assert Setting.objects.count() == before


def test_a_urn_in_odd_digits_is_a_bad_row_not_an_error(client_as, reference_data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile(
        "r.csv", "urn,name,phase,district\n²,Hazelden Primary School,Primary,Thanet\n".encode()
    )
    response = client_as("education").post(reverse("education:setting-import"), {"file": upload})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_confirmation_sent_twice_imports_once(client_as, reference_data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from education.models import PendingImport, Setting
    from education.services import register_import_confirm

    client = client_as("education")
    upload = SimpleUploadedFile(
        "r.csv", b"urn,name,phase,district\n700001,Hazelden Primary School,Primary,Thanet\n"
    )
    client.post(reverse("education:setting-import"), {"file": upload})
    pending = PendingImport.objects.get()
    stale = PendingImport.objects.get(pk=pending.pk)  # what the second request loaded
    url = reverse("education:setting-import-confirm", args=[pending.pk])
    assert client.post(url).status_code == 302
    # The second request had fetched the pending import before the first removed it.
    with pytest.raises(PendingImport.DoesNotExist):
        register_import_confirm(actor=None, pending=stale)
    assert Setting.objects.filter(urn=700001).count() == 1


def test_the_view_answers_a_late_second_confirmation_calmly(client_as, reference_data, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from education import views
    from education.models import PendingImport

    client = client_as("education")
    upload = SimpleUploadedFile(
        "r.csv", b"urn,name,phase,district\n700001,Hazelden Primary School,Primary,Thanet\n"
    )
    client.post(reverse("education:setting-import"), {"file": upload})
    pending = PendingImport.objects.get()

    def already_applied(**kwargs):
        raise PendingImport.DoesNotExist

    monkeypatch.setattr(views, "register_import_confirm", already_applied)
    response = client.post(
        reverse("education:setting-import-confirm", args=[pending.pk]), follow=True
    )
    assert response.status_code == 200
    assert "This file has already been imported" in response.content.decode()
