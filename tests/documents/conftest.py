"""Fixtures of the documents tests: small valid files made in code (never committed),
a case with documents, and the reference data the migrations seed."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import DocumentType
from documents.reference import load_reference_models
from documents.services import Owner, document_add
from prevent_portal.files.uploads import check_upload
from tests.files.samples import pdf_bytes


@pytest.fixture(autouse=True)
def _seeded_documents_reference(reference_data):
    """Document types and letter templates; a transactional test may have flushed them."""
    load_reference_models()


from tests.files.conftest import documents_location  # noqa: E402,F401 (a fixture)


def upload(name: str, data: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def kind(code: str = "referral-form") -> DocumentType:
    return DocumentType.objects.get(code=code)


def add_document(
    referral=None,
    *,
    actor=None,
    name="referral-form.pdf",
    data=None,
    code="referral-form",
    title="National referral form",
    dated_on=date(2026, 3, 2),
    panel_meeting=None,
    board_meeting=None,
):
    checked = check_upload(upload(name, data if data is not None else pdf_bytes()))
    return document_add(
        actor=actor,
        owner=Owner(referral=referral, panel_meeting=panel_meeting, board_meeting=board_meeting),
        kind=kind(code),
        title=title,
        dated_on=dated_on,
        note="",
        checked=checked,
    )
