"""Documents follow the case's rules everywhere: who sees them (404 out of scope, 403 not
permitted), disposal removes the bytes and keeps a count, a legal hold keeps them, the
subject access bundle lists them and includes the files the reviewer releases, and no
identity reaches a reader without the grant."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from disclosures.bundle import build_bundle
from disclosures.services import sar_decide, sar_release
from documents.models import Document, Letter
from governance.models import BoardMeeting
from prevent_portal.files.storage import exists
from referrals.models import Referral
from retention.models import Disposal
from retention.services import RetentionError, disposal_approve, disposal_propose, hold_place
from tests.casework.conftest import adopted_referral
from tests.channel.conftest import make_meeting
from tests.conftest import make_user, reauthenticated
from tests.disclosures.conftest import make_request, sar_maker
from tests.documents.conftest import add_document
from tests.files import samples
from tests.retention.conftest import due_case

pytestmark = pytest.mark.django_db

NEVER = ["board", "education", "community", "admin"]


@pytest.fixture
def case(reference_data):
    return adopted_referral(family="Ruleswood")


@pytest.mark.parametrize("persona_name", NEVER + ["support"])
def test_roles_without_case_access_are_refused_a_case_document(client_as, case, persona_name):
    document = add_document(case)
    client = client_as(persona_name)
    for url in (
        reverse("documents:document-download", args=[document.pk]),
        reverse("documents:document-delete", args=[document.pk]),
        reverse("documents:case-documents", args=[case.pk]),
        reverse("documents:case-chronology", args=[case.pk]),
        reverse("referrals:referral-detail", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, (persona_name, url)
        assert b"%PDF" not in response.content


@pytest.mark.parametrize("persona_name", NEVER)
def test_board_education_community_never_learn_that_a_document_exists(
    client_as, case, persona_name
):
    """The same refusal for a document that exists and one that does not."""
    document = add_document(case)
    client = client_as(persona_name)
    real = client.get(reverse("documents:document-download", args=[document.pk]))
    unknown = client.get(
        reverse("documents:document-download", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert real.status_code == unknown.status_code == 403


def test_a_case_outside_the_users_scope_is_404(client, case, settings):
    settings.REFERRALS_SCOPE = "assigned"
    document = add_document(case)
    client.force_login(make_user("unassigned", "channel"))
    assert client.get(reverse("documents:document-download", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:case-documents", args=[case.pk])).status_code == 404
    assert client.get(reverse("documents:document-delete", args=[document.pk])).status_code == 404


def test_an_unknown_document_is_404(client_as):
    response = client_as("channel").get(
        reverse("documents:document-download", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert response.status_code == 404


def test_business_support_sees_the_papers_of_panel_meetings_only(client_as, case):
    meeting = make_meeting(on=date(2026, 5, 12))
    paper = add_document(panel_meeting=meeting, code="minutes", title="Invented minutes")
    on_case = add_document(case)
    client = client_as("support")
    page = client.get(reverse("documents:panel-documents", args=[meeting.pk])).content.decode()
    assert "Invented minutes" in page
    assert client.get(reverse("documents:document-download", args=[paper.pk])).status_code == 200
    assert client.get(reverse("documents:document-download", args=[on_case.pk])).status_code == 403
    # The meeting page links to its papers.
    detail = client.get(reverse("channel:meeting-detail", args=[meeting.pk])).content.decode()
    assert reverse("documents:panel-documents", args=[meeting.pk]) in detail


def test_business_support_adds_the_minutes_of_a_panel(client_as, documents_location):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.conftest import kind

    meeting = make_meeting(on=date(2026, 5, 12))
    response = client_as("support").post(
        reverse("documents:panel-document-create", args=[meeting.pk]),
        {
            "file": SimpleUploadedFile("minutes.docx", samples.docx_bytes()),
            "title": "Minutes of the May panel",
            "kind": kind("minutes").pk,
            "dated_on": "2026-05-12",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.panel_meeting == meeting and document.referral is None


def test_board_papers_are_for_those_who_minute_the_board_never_board_members(client_as):
    board = BoardMeeting.objects.create(held_on=date(2026, 4, 30))
    paper = add_document(board_meeting=board, code="minutes", title="Invented board minutes")
    url = reverse("documents:board-documents", args=[board.pk])
    assert "Invented board minutes" in client_as("support").get(url).content.decode()
    for name in NEVER:
        client = client_as(name)
        assert client.get(url).status_code == 403, name
        assert (
            client.get(reverse("documents:document-download", args=[paper.pk])).status_code == 403
        )
    # A board member reads the meeting, with no mention of papers held in the portal.
    page = client_as("board").get(reverse("governance:meeting-detail", args=[board.pk]))
    assert url not in page.content.decode()
    assert (
        url
        in client_as("support")
        .get(reverse("governance:meeting-detail", args=[board.pk]))
        .content.decode()
    )


def test_a_document_has_exactly_one_owner(case):
    from django.db import IntegrityError, transaction

    document = add_document(case)
    meeting = make_meeting(on=date(2026, 5, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(panel_meeting=meeting)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(referral=None)


# -- Disposal and legal holds --------------------------------------------------------------


def _dispose(referral):
    proposer, approver = make_user("proposer", "coordinator"), make_user("approver", "chair")
    proposal = disposal_propose(actor=proposer, referral=referral, reason="retention_ended")
    return disposal_approve(actor=approver, disposal=proposal, version=proposal.version)


def test_disposal_deletes_the_stored_bytes_and_keeps_only_a_count(
    reference_data, documents_location, django_capture_on_commit_callbacks
):
    referral = due_case(family="Disposewood")
    documents = [add_document(referral), add_document(referral, code="consent-form")]
    letter = Letter.objects.create(referral=referral, title="Invented letter")
    names = [document.stored_name for document in documents]
    assert all(exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        disposal = _dispose(referral)
    assert not Document.objects.filter(referral=referral).exists()
    assert not Letter.objects.filter(pk=letter.pk).exists()
    assert not any(exists(name) for name in names)
    assert [p for p in documents_location.rglob("*") if p.is_file()] == []
    assert disposal.removed["documents"] == 2
    assert disposal.removed["letters"] == 1


def test_a_rolled_back_disposal_keeps_the_files(reference_data, documents_location):
    from django.db import transaction

    referral = due_case(family="Rollbackwood")
    document = add_document(referral)

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        _dispose(referral)
        raise Abandon
    assert Document.objects.filter(pk=document.pk).exists()
    assert exists(document.stored_name)


def test_a_legal_hold_keeps_the_documents(reference_data, documents_location):
    referral = due_case(family="Holdwood")
    document = add_document(referral)
    hold_place(actor=make_user("holder", "coordinator"), referral=referral, reason="litigation")
    with pytest.raises(RetentionError, match="legal hold"):
        _dispose(referral)
    assert Document.objects.filter(pk=document.pk).exists()
    assert exists(document.stored_name)
    assert not Disposal.objects.filter(referral=referral, status="disposed").exists()


# -- Subject access ------------------------------------------------------------------------


def _file_cell(bundle):
    section = next(s for s in bundle.sections if s.key == "documents")
    return [cell for row in section.rows for cell in row if cell.label == "File"]


def test_the_bundle_lists_documents_and_includes_the_files_the_reviewer_releases(client):
    coordinator = sar_maker()
    referral = adopted_referral(family="Sarwood")
    released = add_document(referral, title="Invented referral form", actor=coordinator)
    kept_back = add_document(
        referral,
        name="report.docx",
        data=samples.docx_bytes(),
        code="provider-report",
        title="Invented provider report",
    )
    request = make_request(referral.person, actor=coordinator)
    bundle = build_bundle(request, user=coordinator)
    section = next(s for s in bundle.sections if s.key == "documents")
    titles = {row[1].value for row in section.rows}
    assert titles == {"Invented referral form", "Invented provider report"}
    files = _file_cell(bundle)
    assert all(cell.flag for cell in files)
    decisions = {cell.key: ("redact", "") for cell in bundle.flagged}
    decisions[next(c.key for c in files if str(released.pk) in c.key)] = ("release", "")
    sar_decide(actor=coordinator, request=request, decisions=decisions, expected_version=1)
    request.refresh_from_db()
    sar_release(
        actor=coordinator,
        request=request,
        expected_version=request.version,
        bundle=build_bundle(request, user=coordinator),
    )
    client.force_login(coordinator)
    response = reauthenticated(client).get(reverse("disclosures:sar-download", args=[request.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    included = [name for name in archive.namelist() if name.startswith("documents/")]
    assert included == ["documents/01-referral-form.pdf"]
    assert archive.read(included[0]) == samples.pdf_bytes()
    listing = next(n for n in archive.namelist() if n.endswith("-documents.csv"))
    text = archive.read(listing).decode()
    assert "Invented provider report" in text and "Invented referral form" in text
    assert kept_back.original_name not in "".join(included)


# -- Identities ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ["channel", "coordinator", "support", "board"])
def test_no_identity_in_the_new_pages_and_pdfs_without_the_grant(
    client_as, reference_data, persona_name
):
    from tests.audit.test_identity_never_leaks import identities, leaks, response_text
    from tests.documents.test_chronology import worked_case

    referral = worked_case(given="Zephyrine", family="Quartermaine", born=date(2011, 1, 9))
    Referral.objects.filter(pk=referral.pk).update(referrer_name="Bartholomew Inventwright")
    document = add_document(referral)
    meeting = make_meeting(on=date(2026, 6, 9))
    from channel import services as panel

    panel.agenda_add(actor=None, meeting=meeting, referral=referral)
    client = reauthenticated(client_as(persona_name))
    secrets = identities()
    assert {"Zephyrine", "Quartermaine", "Bartholomew Inventwright"} <= secrets
    urls = [
        reverse(name, args=[referral.pk])
        for name in (
            "documents:case-documents",
            "documents:case-document-create",
            "documents:letter-create",
            "documents:case-chronology",
            "documents:case-summary",
        )
    ]
    from documents.models import LetterTemplate

    for template in LetterTemplate.objects.all():
        urls.append(
            reverse("documents:letter-create", args=[referral.pk]) + f"?template={template.pk}"
        )
    urls += [
        reverse("documents:document-download", args=[document.pk]),
        reverse("documents:document-delete", args=[document.pk]),
        reverse("documents:panel-documents", args=[meeting.pk]),
    ]
    found = {}
    opened = 0
    for url in urls:
        response = client.get(url)
        opened += response.status_code == 200
        hits = leaks(response_text(response), secrets)
        if hits:
            found[url] = hits
    assert found == {}
    if persona_name in ("channel", "coordinator"):
        assert opened >= 8  # the walk reached the real pages, the PDF among them
