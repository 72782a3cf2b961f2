"""Importing outreach sessions from CSV: all or nothing, no duplicates."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from education.models import OutreachSession
from education.services import ImportRowsError, outreach_import
from prevent_portal.ui.uploads import UploadError

pytestmark = pytest.mark.django_db

GOOD = (
    "Date,Audience,Settings,Attendees,Format,Topic,Notes\n"
    "2026-03-04,primary school staff,800501;Birchden Academy,25,Face-to-face,"
    "Prevent duty refresher,\n"
    "05/03/2026,Parents and Carers,800502,12,webinar,Keeping children safe online,Evening\n"
)


@pytest.fixture
def two_settings(make_setting):
    return (
        make_setting("Ashdale Primary School", "Ashford", urn=800501),
        make_setting("Birchden Academy", "Dover", urn=800502),
    )


def test_a_good_file_creates_every_session(two_settings, persona):
    peo = persona("education")
    result = outreach_import(actor=peo, peo=peo, data=GOOD.encode())
    assert (result.created, result.already_imported) == (2, 0)
    first = OutreachSession.objects.get(date=date(2026, 3, 4))
    assert first.audience.name == "Primary school staff"
    assert {s.urn for s in first.settings.all()} == {800501, 800502}
    assert (first.attendees, first.format, first.peo) == (25, "face_to_face", peo)
    second = OutreachSession.objects.get(date=date(2026, 3, 5))
    assert (second.format, second.notes) == ("webinar", "Evening")


def test_importing_the_same_file_again_creates_nothing(two_settings, persona):
    peo = persona("education")
    outreach_import(actor=peo, peo=peo, data=GOOD.encode())
    result = outreach_import(actor=peo, peo=peo, data=GOOD.encode())
    assert (result.created, result.already_imported) == (0, 2)
    assert OutreachSession.objects.count() == 2


def test_every_bad_row_is_reported_and_nothing_is_imported(two_settings, persona):
    peo = persona("education")
    data = (
        b"date,audience,settings,attendees,format,topic\n"
        b"2026-03-04,Primary school staff,800501,25,Virtual,Fine row\n"
        b"2026-02-30,Primary school staff,800501,25,Virtual,Bad date\n"
        b"2026-03-04,Astronauts,800501,25,Virtual,Bad audience\n"
        b"2026-03-04,PRU staff,999999;Nowhere School,25,Virtual,Bad settings\n"
        b"2026-03-04,PRU staff,800501,-3,Virtual,Bad attendees\n"
        b"2026-03-04,PRU staff,800501,3,Carrier pigeon,\n"
    )
    with pytest.raises(ImportRowsError) as raised:
        outreach_import(actor=peo, peo=peo, data=data)
    errors = dict(raised.value.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "Enter the date" in errors[3]
    assert "Unknown audience 'Astronauts'" in errors[4]
    assert "Unknown URN 999999" in errors[5] and "unknown setting 'Nowhere School'" in errors[5]
    assert "Attendees must be a whole number, 0 or more" in errors[6]
    assert "unknown format 'Carrier pigeon'" in errors[7].lower() or "Unknown format" in errors[7]
    assert "enter the topic" in errors[7]
    assert OutreachSession.objects.count() == 0


def test_a_file_without_the_columns_is_refused(two_settings, persona):
    with pytest.raises(UploadError, match="missing the column"):
        outreach_import(actor=None, peo=persona("education"), data=b"date,topic\n2026-01-01,x\n")


def test_the_command_imports_for_the_named_peo(two_settings, persona, tmp_path):
    persona("education")
    path = tmp_path / "sessions.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command("import_outreach_sessions", str(path), "--peo", "education", stdout=out)
    assert "2 outreach sessions imported" in out.getvalue()
    assert set(OutreachSession.objects.values_list("peo__username", flat=True)) == {"education"}
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_outreach_sessions", str(path), "--peo", "nobody")


def test_the_browser_import_lists_bad_rows(two_settings, client_as):
    upload = SimpleUploadedFile(
        "s.csv", b"date,audience,settings,attendees,format,topic\nsoon,PRU staff,1,2,Virtual,x\n"
    )
    response = client_as("education").post(reverse("education:session-import"), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text and "Enter the date as YYYY-MM-DD" in text
    assert OutreachSession.objects.count() == 0


def test_the_browser_import_records_sessions_for_the_user(two_settings, client_as):
    upload = SimpleUploadedFile("s.csv", GOOD.encode())
    response = client_as("education").post(reverse("education:session-import"), {"file": upload})
    assert response.status_code == 302
    assert OutreachSession.objects.filter(peo__username="education").count() == 2


@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_rows_either_import_or_fail_cleanly(two_settings, persona, text):
    peo = persona("education")
    before = OutreachSession.objects.count()
    data = ("date,audience,settings,attendees,format,topic\n" + text).encode()
    try:
        outreach_import(actor=peo, peo=peo, data=data)
    except (UploadError, ImportRowsError):
        assert OutreachSession.objects.count() == before


@pytest.mark.parametrize("cell", ["²", "١٢", "99999999999999999999"])
def test_odd_digits_in_attendees_or_settings_are_bad_rows_not_errors(two_settings, client_as, cell):
    client = client_as("education")
    rows = (
        f"2026-03-04,PRU staff,800501,{cell},Virtual,x\n",
        f"2026-03-04,PRU staff,{cell},3,Virtual,x\n",
    )
    for row in rows:
        upload = SimpleUploadedFile(
            "s.csv", ("date,audience,settings,attendees,format,topic\n" + row).encode()
        )
        response = client.post(reverse("education:session-import"), {"file": upload})
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode()
    assert OutreachSession.objects.count() == 0
