"""Importing earlier referrals: the command, the upload → preview → confirm pages."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent
from prevent_portal.ui.uploads import ImportRowsError, UploadError
from referrals.importers import referrals_import_file
from referrals.models import Person, ReferenceCounter, Referral, ReferralEvent, ReferralImport
from tests.queries import assert_same_queries, page_queries
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

HEADER = (
    "Reference,Given_Names,Family_Name,Date_of_birth,Approximate_age,Sex,District,Sector,"
    "Concern_types,Main_concern,Date_received,Status,Status_date,Left_process_on,Outcome,"
    "Referrer_name,Concerns,Person_aware\n"
)
GOOD = HEADER + (
    "PR-2023-0040,Jamie,Testwood,2008-04-01,,Male,Dover,Education,"
    "Islamist;Incel,Incel,2023-05-10,Closed: no further action,,2023-06-01,,"
    "Robin Madeup,Invented worry,yes\n"
    ",Alex,Inventor,,34,Female,,Police,Extreme Right-Wing,,12/01/2025,"
    "Adopted as a Channel case,2025-03-01,,,,,\n"
    ",JAMIE,testwood,2008-04-01,,Male,Dover,Health,Other,,2025-09-01,exit,,2025-12-01,,,,no\n"
)


def run(text):
    return referrals_import_file(actor=None, data=text.encode())


def test_the_command_imports_every_row(tmp_path, reference_data, capsys):
    path = tmp_path / "history.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_referrals", str(path))
    assert "Imported 3 referrals: 2 new people, 0 already on record" in capsys.readouterr().out
    assert Referral.objects.count() == 3
    assert Person.objects.count() == 2  # the same names and date of birth: one person
    first = Referral.objects.get(reference="PR-2023-0040")
    assert first.status == "no_further_action"
    assert (first.left_process_on, first.disposal_due_on) == (date(2023, 6, 1), date(2029, 6, 1))
    assert first.outcome.name == "No further action"
    assert first.primary_concern.name == "Incel"
    assert first.concern_types.count() == 2
    assert first.concern_types.first().scheme == "2021_22_to_2023_24"  # the list of 2023
    second = Referral.objects.get(person__family_name="Inventor")
    assert second.reference == "PR-2025-0001"
    assert second.status == "adopted" and second.left_process_on is None
    assert second.outcome.name == "Adopted as a Channel case"
    assert second.person.approximate_age_on == date(2025, 1, 12)
    event = second.events.get()
    assert (event.from_status, event.to_status, event.occurred_on) == (
        "received",
        "adopted",
        date(2025, 3, 1),
    )
    assert event.details["imported"]
    third = Referral.objects.exclude(pk__in=[first.pk, second.pk]).get()
    assert third.person == first.person
    assert third.reference == "PR-2025-0002"
    assert third.disposal_due_on == date(2031, 12, 1)


def test_one_audit_event_with_counts_and_no_personal_data(reference_data):
    run(GOOD)
    events = AuditEvent.objects.filter(target_type="referrals.referralimport")
    assert events.count() == 1
    text = str(events.get().changes) + events.get().summary
    assert events.get().changes["referrals"] == 3
    for secret in ("Jamie", "Testwood", "Inventor", "Robin", "worry", "2008"):
        assert secret not in text
    assert (
        not AuditEvent.objects.filter(target_type__startswith="referrals.")
        .exclude(target_type="referrals.referralimport")
        .exists()
    )


def test_a_person_already_on_record_is_matched(reference_data):
    existing = new_referral(given="Jamie", family="Testwood", born=date(2008, 4, 1))
    counts = run(GOOD)
    assert (counts["people_new"], counts["people_matched"]) == (1, 1)
    assert existing.person.referrals.count() == 3


def test_references_given_move_the_counter_on(reference_data):
    run(GOOD)
    assert ReferenceCounter.objects.get(year=2023).last == 40
    later = new_referral(received=date(2023, 7, 1))
    assert later.reference == "PR-2023-0041"


def test_every_bad_row_is_reported_and_nothing_is_imported(reference_data, tmp_path):
    taken = new_referral(received=date(2024, 5, 1)).reference
    bad = HEADER + (
        f"{taken},Jamie,Testwood,2008-04-01,,Male,,Education,Islamist,,2024-06-01,,,,,,,\n"
        "PR-23-1,Ann,Other,,,Male,,Education,Islamist,,2023-06-01,,,,,,,\n"
        ",,Nameless,,,Robot,Atlantis,Space,Unheard of,,2030-01-01,flying,,,,,,perhaps\n"
        ",Sam,Madeup,2010-01-01,12,Male,,Education,Islamist;Other,,2025-06-01,,,,,,,\n"
        ",Sam,Madeup,2010-01-01,,Male,,Education,Islamist,,2025-06-01,closed,,,,,,\n"
        ",Sam,Madeup,,,Male,,Education,Islamist,,2025-06-01,received,,2025-07-01,,,,\n"
        ",Sam,Madeup,,200,Male,,Education,Islamist,Other,2025-06-01,,,,,,,\n"
        ",Good,Row,,,Male,,Education,Islamist,,2025-06-01,,,,,,,\n"
    )
    before = (Referral.objects.count(), Person.objects.count(), ReferralEvent.objects.count())
    with pytest.raises(ImportRowsError) as caught:
        run(bad)
    errors = dict(caught.value.errors)
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8]
    assert "already in use" in errors[2]
    assert "must look like PR-2024-0012" in errors[3]
    for text in ("given names", "“Robot” is not a sex", "“Atlantis” is not a district"):
        assert text in errors[4]
    assert "today or in the past" in errors[4] and "“flying” is not a status" in errors[4]
    assert "person_aware" in errors[4]
    assert "not both" in errors[5] and "main_concern" in errors[5]
    assert "enter left_process_on" in errors[6]
    assert "only for a case that has left" in errors[7]
    assert "0 to 120" in errors[8] and "must be one of the types given" in errors[8]
    after = (Referral.objects.count(), Person.objects.count(), ReferralEvent.objects.count())
    assert after == before
    assert not AuditEvent.objects.filter(target_type="referrals.referralimport").exists()
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError, match="7 row"):
        call_command("import_referrals", str(path))


def test_a_reference_given_twice_is_refused(reference_data):
    row = "PR-2024-0009,Jo,Testwood,,,Male,,Education,Islamist,,2024-06-01,,,,,,,\n"
    with pytest.raises(ImportRowsError) as caught:
        run(HEADER + row + row.replace("Jo,", "Jay,"))
    assert "given twice" in caught.value.errors[0][1]


def test_the_same_file_is_not_imported_twice(reference_data):
    run(GOOD)
    with pytest.raises(UploadError, match="already been imported"):
        run(GOOD)
    assert Referral.objects.count() == 3


def test_a_file_without_the_required_columns_is_refused(reference_data):
    with pytest.raises(UploadError, match="missing the column"):
        run("given_names,family_name\nJamie,Testwood\n")


# -- The pages ------------------------------------------------------------------------

IMPORT = reverse("referrals:import")


def upload(client, text, name="history.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def test_a_supervisor_uploads_previews_and_confirms(client_as, reference_data):
    client = client_as("coordinator")
    response = upload(client, GOOD)
    assert response.status_code == 302
    pending = ReferralImport.objects.get()
    preview = client.get(response["Location"]).content.decode()
    assert "3 rows in the file" in preview
    assert "2 new people" in preview
    assert "PR-2023-0040" in preview
    assert "Import 3 referrals" in preview
    assert not Referral.objects.exists()  # GET changes nothing
    response = client.post(response["Location"])
    assert response.status_code == 302
    assert Referral.objects.count() == 3
    pending.refresh_from_db()
    assert pending.status == "imported" and bytes(pending.content) == b""
    # A second submission of the confirmation imports nothing more.
    again = client.post(reverse("referrals:import-confirm", kwargs={"pk": pending.pk}))
    assert again.status_code == 302
    assert Referral.objects.count() == 3


def test_the_preview_lists_every_bad_row_and_offers_no_import(client_as, reference_data):
    client = client_as("chair")
    bad = GOOD + ",,Nameless,,,Robot,,Education,Islamist,,2025-01-01,,,,,,,\n"
    response = upload(client, bad)
    page = client.get(response["Location"]).content.decode()
    assert "Error: " in page
    assert "Line 5:" in page and "“Robot” is not a sex" in page
    assert "nothing will be imported" in page
    assert "Import 4 referrals" not in page
    confirm = client.post(response["Location"]).content.decode()
    assert "1 row with errors" in confirm
    assert not Referral.objects.exists()


def test_an_unreadable_upload_is_refused_on_the_form(client_as, reference_data):
    client = client_as("coordinator")
    response = upload(client, "\x00\x01binary")
    assert response.status_code == 200
    assert "must be a CSV" in response.content.decode()
    response = client.post(IMPORT, {})
    assert "Select a CSV file" in response.content.decode()
    assert not ReferralImport.objects.exists()


def test_case_managers_and_others_cannot_import(client_as, reference_data):
    for name in ("channel", "board", "admin", "support"):
        client = client_as(name)
        assert client.get(IMPORT).status_code == 403
        assert upload(client, GOOD).status_code == 403
    assert not ReferralImport.objects.exists()


def test_an_unknown_import_is_404(client_as, reference_data):
    client = client_as("coordinator")
    url = reverse("referrals:import-confirm", kwargs={"pk": "00000000-0000-0000-0000-000000000000"})
    assert client.get(url).status_code == 404


def test_the_preview_query_count_does_not_grow_with_the_file(client_as, reference_data):
    client = client_as("coordinator")
    row = ",Sam,Madeup{n},2010-01-01,,Male,Dover,Education,Islamist,,2025-06-01,,,,,,,\n"
    counts = []
    for size in (3, 60):
        ReferralImport.objects.all().delete()
        response = upload(client, HEADER + "".join(row.format(n=n) for n in range(size)))
        # The partnership's name is cached after the first view.
        counts.append(page_queries(client, response["Location"]))
    assert_same_queries(*counts, at_most=16)


def test_the_command_reports_a_missing_file(tmp_path, reference_data):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_referrals", str(tmp_path / "nowhere.csv"))


def test_an_imported_case_takes_its_next_step_after_the_imported_one(reference_data):
    from referrals.services import TransitionError, referral_transition

    run(GOOD)
    adopted = Referral.objects.get(person__family_name="Inventor")
    with pytest.raises(TransitionError, match="on or after the last step"):
        referral_transition(
            actor=None,
            referral=adopted,
            to_status="reviewed",
            reason="Invented review",
            occurred_on=date(2025, 2, 1),
            expected_version=1,
        )
    referral_transition(
        actor=None,
        referral=adopted,
        to_status="reviewed",
        reason="Invented review",
        occurred_on=date(2025, 4, 1),
        expected_version=1,
    )
    assert adopted.events.count() == 2
