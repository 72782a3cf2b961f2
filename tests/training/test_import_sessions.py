from datetime import date

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.choices import PartnerSector
from governance.models import Partner
from prevent_portal.audit.models import AuditEvent
from prevent_portal.ui.uploads import UploadError
from tests.training.helpers import make_session
from training.importers import ImportRowsError, sessions_import_file
from training.models import SessionImport, TrainingSession

pytestmark = pytest.mark.django_db

GOOD = (
    "Attendees,DATE,Course,Title,Format,Audience,District,Notes\n"
    "12,2026-01-15,prevent awareness,,Virtual,Kent Police; Invented Carers Network,Dover,\n"
    "40,03/02/2026,,Talk to a housing forum,face-to-face,kent housing group,,At the hall\n"
    "0,2026-03-01,School massacre ideology,,webinar,,Medway,\n"
)


def write(tmp_path, text, name="sessions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_command_imports_every_row_in_any_column_order(tmp_path, reference_data, capsys):
    call_command("import_training_sessions", str(write(tmp_path, GOOD)))
    out = capsys.readouterr().out
    assert "Imported 3 sessions; 0 already recorded" in out
    assert "Invented Carers Network" in out
    first, second, third = TrainingSession.objects.order_by("date")
    assert (first.date, first.course.title, first.format, first.district.name) == (
        date(2026, 1, 15),
        "Prevent Awareness",
        "virtual",
        "Dover",
    )
    assert sorted(p.name for p in first.audiences.all()) == [
        "Invented Carers Network",
        "Kent Police",
    ]
    assert (second.date, second.course, second.title, second.attendees) == (
        date(2026, 2, 3),
        None,
        "Talk to a housing forum",
        40,
    )
    assert [p.name for p in second.audiences.all()] == ["Kent Housing Group"]
    assert (third.attendees, third.district.name) == (0, "Medway")
    assert Partner.objects.get(name="Invented Carers Network").sector == PartnerSector.OTHER
    assert first.source == "imported"
    event = AuditEvent.objects.get(
        verb=AuditEvent.Verb.IMPORT, target_type="training.sessionimport"
    )
    assert event.changes["imported"] == 3


def test_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_imported(
    tmp_path, reference_data, capsys
):
    text = (
        "date,course,title,format,audience,district,attendees\n"
        "2026-01-15,Prevent Awareness,,virtual,Brand New Org,Dover,12\n"
        "31/02/2026,Prevent Awareness,,virtual,,Dover,12\n"
        "2026-01-15,Knitting for beginners,,virtual,,Dover,12\n"
        "2026-01-15,,,virtual,,Dover,12\n"
        "2026-01-15,Prevent Awareness,,carrier pigeon,,Atlantis,-3\n"
        "2026-01-15,Prevent Awareness,,virtual,,,twelve\n"
    )
    with pytest.raises(CommandError, match="5 row"):
        call_command("import_training_sessions", str(write(tmp_path, text)))
    err = capsys.readouterr().err
    assert "Line 3: “31/02/2026” is not a date" in err
    assert "Line 4: “Knitting for beginners” is not a course of the catalogue" in err
    assert "Line 5: enter the title of the bespoke input" in err
    assert "Line 6: “carrier pigeon” is not a format" in err
    assert "“Atlantis” is not a district" in err
    assert "Line 7: attendees must be a whole number, 0 or more" in err
    assert not TrainingSession.objects.exists()
    assert not Partner.objects.filter(name="Brand New Org").exists()
    assert not SessionImport.objects.exists()


def test_the_same_file_twice_is_refused(tmp_path, reference_data):
    path = write(tmp_path, GOOD)
    call_command("import_training_sessions", str(path))
    with pytest.raises(CommandError, match="already been imported"):
        call_command("import_training_sessions", str(path))
    assert TrainingSession.objects.count() == 3


def test_rows_identical_to_existing_sessions_are_skipped(tmp_path, reference_data, capsys):
    make_session(on=date(2026, 1, 15), course_title="Prevent Awareness", format="virtual",
                 district="Dover", attendees=12)  # fmt: skip
    # A different file (one extra row) that repeats the existing session and itself.
    text = GOOD + "12,2026-01-15,Prevent Awareness,,virtual,,Dover,\n"
    call_command("import_training_sessions", str(write(tmp_path, text)))
    assert "Imported 2 sessions; 2 already recorded, skipped." in capsys.readouterr().out
    assert TrainingSession.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"date,course\n2026-01-01,Prevent Awareness\n", "missing the column"),
        (b"date,course,title,format,audience,district,attendees\n", "has no rows"),
        (b"%PDF-1.4\x00\x00binary", "must be a CSV"),
        ("date,course,format,audience,district,attendees\n2026-01-01,Café,virtual,,,1\n"
         .encode("utf-16"), "must be a CSV"),
    ],
)  # fmt: skip
def test_unreadable_files_are_refused_with_a_clear_message(reference_data, content, message):
    with pytest.raises(UploadError) as error:
        sessions_import_file(actor=None, data=content, filename="x.csv")
    assert message in str(error.value)
    assert not TrainingSession.objects.exists()


def test_a_file_too_big_is_refused(reference_data):
    data = b"date,course,format,audience,district,attendees\n" + b"x" * (6 * 1024 * 1024)
    with pytest.raises(UploadError, match="smaller than"):
        sessions_import_file(actor=None, data=data, filename="big.csv")


# --------------------------------------------------------------------------------------
# The browser import: upload, preview, confirm
# --------------------------------------------------------------------------------------


def upload(client, text: bytes, name="sessions.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/training/sessions/import/", {"file": SimpleUploadedFile(name, text, "text/csv")}
    )


def test_upload_preview_then_confirm_imports(client_as, reference_data):
    client = client_as("education")
    response = upload(client, GOOD.encode())
    pending = SessionImport.objects.get()
    assert response["Location"] == f"/training/sessions/import/{pending.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert "3 sessions to import" in preview
    assert "Invented Carers Network" in preview
    assert not TrainingSession.objects.exists()
    response = client.post(f"/training/sessions/import/{pending.pk}/")
    assert response.status_code == 302
    assert TrainingSession.objects.count() == 3
    pending.refresh_from_db()
    assert pending.status == "imported"
    # The same file again: refused on upload.
    again = upload(client, GOOD.encode())
    assert again.status_code == 200
    assert "This file has already been imported" in again.content.decode()


def test_the_preview_shows_every_problem_and_offers_no_import(client_as, reference_data):
    client = client_as("coordinator")
    text = b"date,course,format,audience,district,attendees\nyesterday,Nope,virtual,,,1\n"
    response = client.get(upload(client, text)["Location"])
    page = response.content.decode()
    assert "Line 2: “yesterday” is not a date" in page
    assert "“Nope” is not a course of the catalogue" in page
    assert "Import 0 sessions" not in page
    pending = SessionImport.objects.get()
    client.post(f"/training/sessions/import/{pending.pk}/")
    assert not TrainingSession.objects.exists()


def test_the_preview_flags_rows_already_recorded(client_as, reference_data):
    make_session(on=date(2026, 3, 1), course_title="School massacre ideology",
                 format="webinar", district="Medway", attendees=0)  # fmt: skip
    client = client_as("coordinator")
    page = client.get(upload(client, GOOD.encode())["Location"]).content.decode()
    assert "Already recorded" in page
    assert "2 sessions to import" in page


def test_an_empty_upload_is_an_error_on_the_form(client_as, reference_data):
    response = upload(client_as("coordinator"), b"")
    assert response.status_code == 200
    assert "The selected file is empty" in response.content.decode()
    assert not SessionImport.objects.exists()


# --------------------------------------------------------------------------------------
# Fuzzing: anything at all gives the documented errors, and never a partial import
# --------------------------------------------------------------------------------------

HEADER = "date,course,title,format,audience,district,attendees,notes\n"
cell = st.one_of(
    st.sampled_from(["2026-01-15", "15/01/2026", "Prevent Awareness", "virtual", "Dover",
                     "12", "-1", "", "Kent Police;New Org", "=1+1", "31/02/2026"]),
    st.text(max_size=12),
)  # fmt: skip
row = st.lists(cell, min_size=0, max_size=9).map(
    lambda cells: ",".join('"' + c.replace('"', '""') + '"' for c in cells)
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row, max_size=6), raw=st.binary(max_size=64), use_raw=st.booleans())
def test_fuzzed_files_import_all_or_nothing(reference_data, rows, raw, use_raw):
    data = raw if use_raw else (HEADER + "\n".join(rows)).encode("utf-8")
    before = (TrainingSession.objects.count(), Partner.objects.count())
    try:
        preview = sessions_import_file(actor=None, data=data, filename="fuzz.csv")
    except (UploadError, ImportRowsError):
        assert (TrainingSession.objects.count(), Partner.objects.count()) == before
    else:
        assert TrainingSession.objects.count() == before[0] + len(preview.to_import)
        TrainingSession.objects.all().delete()
        SessionImport.objects.all().delete()


def test_previews_never_confirmed_are_removed_after_a_day(reference_data):
    from datetime import timedelta

    from django.utils import timezone

    from training.importers import session_import_upload
    from training.models import SessionImport

    header = "date,course,title,format,audience,district,attendees\n"
    old = session_import_upload(
        actor=None, data=(header + "2026-01-05,,Talk,virtual,,,3\n").encode(), filename="a.csv"
    )
    SessionImport.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=2))
    recent = session_import_upload(
        actor=None, data=(header + "2026-01-06,,Talk,virtual,,,4\n").encode(), filename="b.csv"
    )
    assert list(SessionImport.objects.values_list("pk", flat=True)) == [recent.pk]
