"""A case's Documents section: upload, every refusal, download, deletion, and the audit."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from prevent_portal.audit.models import AuditEvent
from referrals.models import Referral
from tests.casework.conftest import adopted_referral
from tests.conftest import make_user
from tests.documents.conftest import add_document, kind
from tests.files import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(reference_data):
    return adopted_referral(family="Docwood")


def post_file(client, referral, name, data, **extra):
    values = {
        "title": extra.pop("title", "National referral form"),
        "kind": extra.pop("kind", kind("referral-form").pk),
        "dated_on": extra.pop("dated_on", "2026-03-02"),
        "note": extra.pop("note", ""),
        "token": extra.pop("token", ""),
    }
    upload = SimpleUploadedFile(name, data, content_type=extra.pop("claimed", "application/pdf"))
    return client.post(
        reverse("documents:case-document-create", args=[referral.pk]),
        {**values, "file": upload},
    )


def stored_files(location) -> list:
    return [path for path in location.rglob("*") if path.is_file()]


def test_a_case_manager_attaches_a_pdf_and_it_is_listed_newest_first(
    client_as, case, documents_location
):
    client = client_as("channel")
    response = post_file(client, case, "referral-form.pdf", samples.pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.referral == case
    assert document.content_type == "application/pdf"
    assert document.original_name == "referral-form.pdf"
    assert document.uploaded_by.username == "channel"
    # Stored under a random name, outside anything served; the original name is data.
    assert "referral" not in document.stored_name
    assert [
        p.relative_to(documents_location).as_posix() for p in stored_files(documents_location)
    ] == [document.stored_name]
    add_document(case, code="consent-form", title="Signed consent form")
    page = client.get(reverse("documents:case-documents", args=[case.pk])).content.decode()
    rows = page[page.index("<tbody") :]
    assert rows.index("Signed consent form") < rows.index("National referral form")
    assert "2 documents" in page


def test_the_browsers_claimed_type_never_counts(client_as, case, documents_location):
    client = client_as("channel")
    post_file(client, case, "report.docx", samples.docx_bytes(), claimed="text/html")
    assert Document.objects.get().content_type.endswith("wordprocessingml.document")


REFUSALS = [
    ("an HTML page renamed .pdf", "referral-form.pdf", samples.HTML, "not a web page"),
    ("an SVG renamed .pdf", "referral-form.pdf", samples.SVG, "not an SVG image"),
    ("an empty file", "referral-form.pdf", b"", "The selected file is empty"),
    (
        "an encrypted ZIP as DOCX",
        "report.docx",
        samples.encrypted_zip(samples.docx_bytes()),
        "password-protected",
    ),
    ("a password-protected DOCX", "report.docx", samples.encrypted_docx(), "password-protected"),
]


@pytest.mark.parametrize(
    ("what", "name", "data", "message"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_a_refused_file_is_a_form_error_and_nothing_is_stored(
    client_as, case, documents_location, what, name, data, message
):
    client = client_as("channel")
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = post_file(client, case, name, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert Document.objects.count() == 0
    assert stored_files(documents_location) == []
    # Only the view of the form page is audited; no change.
    assert not AuditEvent.objects.filter(pk__gt=last, verb=AuditEvent.Verb.CREATE).exists()


def test_an_oversized_file_is_refused_before_it_is_read(
    client_as, case, documents_location, settings, monkeypatch
):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 2048
    from prevent_portal.files import uploads

    def never(*args, **kwargs):
        raise AssertionError("the type was checked: the file was read")

    monkeypatch.setattr(uploads, "detect", never)
    response = post_file(client_as("channel"), case, "big.pdf", b"%PDF-1.7\n" + bytes(4096))
    assert "The selected file must be smaller than 2KB" in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files(documents_location) == []


def test_a_traversal_name_never_becomes_a_path(client_as, case, documents_location):
    """Django's parser keeps only the last part of a name a browser sends; whatever it
    keeps is data, and the file is stored under a random name in the storage's folder."""
    client = client_as("channel")
    post_file(client, case, "../../../../etc/cron.d/x.pdf", samples.pdf_bytes())
    document = Document.objects.get()
    assert "/" not in document.original_name and ".." not in document.original_name
    (path,) = stored_files(documents_location)
    assert path.is_relative_to(documents_location)
    assert path.relative_to(documents_location).as_posix() == document.stored_name


def test_missing_fields_are_errors_in_the_summary(client_as, case, documents_location):
    response = client_as("channel").post(
        reverse("documents:case-document-create", args=[case.pk]), {}
    )
    page = response.content.decode()
    for message in (
        "Select a file",
        "Enter a title for the document",
        "Select the type of document",
        "Enter the date of the document",
    ):
        assert message in page
    assert "Error: Add a document" in page


def test_a_date_in_the_future_is_refused(client_as, case, documents_location):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post_file(
        client_as("channel"), case, "f.pdf", samples.pdf_bytes(), dated_on=tomorrow
    )
    assert "must be today or in the past" in response.content.decode()
    assert Document.objects.count() == 0


def test_a_double_submission_stores_one_document(client_as, case, documents_location):
    client = client_as("channel")
    token = "0b5a7b8e-0000-4000-8000-000000000001"
    post_file(client, case, "f.pdf", samples.pdf_bytes(), token=token)
    post_file(client, case, "f.pdf", samples.pdf_bytes(), token=token)
    assert Document.objects.count() == 1
    assert len(stored_files(documents_location)) == 1


def test_the_download_is_an_audited_attachment_with_the_stored_type(client_as, case):
    document = add_document(case, name="Référral form.pdf")
    response = client_as("channel").get(reverse("documents:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''R%C3%A9f%C3%A9rral%20form.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).get()
    assert event.actor.username == "channel"
    assert event.target_id == str(case.pk)
    assert event.changes["document"] == str(document.pk)
    # The title and the file's name may name someone: never in the log.
    assert "Référral" not in event.summary + str(event.changes)


def test_uploads_views_and_downloads_are_in_the_cases_access_log(client_as, case):
    client = client_as("channel")
    post_file(client, case, "referral-form.pdf", samples.pdf_bytes(), note="Invented note")
    client.get(reverse("documents:case-documents", args=[case.pk]))
    document = Document.objects.get()
    client.get(reverse("documents:document-download", args=[document.pk]))
    events = AuditEvent.objects.filter(target_type="referrals.referral", target_id=str(case.pk))
    summaries = list(events.values_list("summary", flat=True))
    assert any(s.startswith("Added a document (National referral form, PDF") for s in summaries)
    assert any(s.endswith("(documents)") for s in summaries)
    assert any(s.startswith("Downloaded a document (National referral form)") for s in summaries)
    created = events.get(verb=AuditEvent.Verb.CREATE, summary__startswith="Added a document")
    assert created.changes["title"] == {"set": True}
    assert created.changes["note"] == {"set": True}
    assert "Invented note" not in str(created.changes)


def test_the_list_filters_by_type(client_as, case):
    add_document(case, title="Invented referral form")
    add_document(case, code="provider-report", title="Invented mentor report")
    client = client_as("channel")
    url = reverse("documents:case-documents", args=[case.pk])
    page = client.get(url, {"kind": kind("provider-report").pk}).content.decode()
    assert "Invented mentor report" in page
    assert "Invented referral form" not in page
    page = client.get(url, {"kind": "99999"}).content.decode()
    assert "No documents of this type" in page


def test_an_empty_case_says_so(client_as, case):
    page = client_as("channel").get(reverse("documents:case-documents", args=[case.pk]))
    assert "No documents on this case yet." in page.content.decode()


def test_deleting_asks_first_then_removes_the_row_and_the_file(
    client_as, case, documents_location, django_capture_on_commit_callbacks
):
    client = client_as("channel")
    post_file(client, case, "referral-form.pdf", samples.pdf_bytes())
    document = Document.objects.get()
    url = reverse("documents:document-delete", args=[document.pk])
    page = client.get(url).content.decode()
    assert "Delete this document?" in page
    assert Document.objects.count() == 1  # the GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert Document.objects.count() == 0
    assert stored_files(documents_location) == []
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE)
    assert event.actor.username == "channel" and event.target_id == str(case.pk)


def test_only_the_uploader_or_a_supervisor_may_delete(client_as, client, case):
    uploader = make_user("other-channel", "channel")
    document = add_document(case, actor=uploader)
    url = reverse("documents:document-delete", args=[document.pk])
    assert client_as("channel").get(url).status_code == 403
    assert client_as("channel").post(url).status_code == 403
    assert Document.objects.count() == 1
    client.force_login(uploader)
    assert client.get(url).status_code == 200
    assert client_as("coordinator").post(url).status_code == 302
    assert Document.objects.count() == 0


def test_deletion_is_refused_under_a_legal_hold(client_as, case, persona):
    from retention.services import hold_place

    document = add_document(case, actor=persona("channel"))
    hold_place(actor=persona("coordinator"), referral=case, reason="litigation")
    response = client_as("channel").post(reverse("documents:document-delete", args=[document.pk]))
    assert "under a legal hold" in response.content.decode()
    assert Document.objects.count() == 1


def test_nothing_is_added_or_deleted_on_a_disposed_case(
    client_as, case, persona, documents_location
):
    from retention.services import disposal_approve, disposal_propose

    document = add_document(case, actor=persona("channel"))
    Referral.objects.filter(pk=case.pk).update(disposal_due_on=date(2020, 1, 1))
    case.refresh_from_db()
    proposal = disposal_propose(
        actor=persona("coordinator"), referral=case, reason="retention_ended"
    )
    disposal_approve(actor=persona("chair"), disposal=proposal, version=proposal.version)
    assert not Document.objects.filter(pk=document.pk).exists()
    client = client_as("channel")
    response = post_file(client, case, "f.pdf", samples.pdf_bytes())
    assert response.status_code == 403
    page = client.get(reverse("documents:case-documents", args=[case.pk])).content.decode()
    assert "Add a document" not in page
