import io

import pytest
from django.core.management import call_command

from documents.models import Document, Letter
from prevent_portal.files.storage import read_stored
from prevent_portal.files.types import detect

pytestmark = pytest.mark.django_db


def test_demo_documents_are_real_files_of_their_type_and_idempotent(
    reference_data, settings, documents_location
):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    documents = list(Document.objects.select_related("kind"))
    assert len({d.kind.code for d in documents}) >= 4
    assert Letter.objects.exists()
    assert Document.objects.filter(panel_meeting__isnull=False).exists()
    assert Document.objects.filter(board_meeting__isnull=False).exists()
    for document in documents:
        data = read_stored(document.stored_name)
        assert detect(data).content_type == document.content_type
        assert len(data) == document.size
    for letter in Letter.objects.all():
        assert letter.documents.count() == 2
    counts = (Document.objects.count(), Letter.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Document.objects.count(), Letter.objects.count()) == counts
