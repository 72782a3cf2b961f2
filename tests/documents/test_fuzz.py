"""Fuzzing (docs/security.md §21): every form of documents and letters, posted arbitrary
values and arbitrary files (tests/fuzzing.py), never gives a 500, and a refusal changes
nothing in the documents tables nor the audit log of changes.

Views covered (every POST handler in documents/urls.py): documents:case-document-create,
documents:panel-document-create, documents:board-document-create, documents:letter-create,
documents:template-create, documents:template-edit, documents:document-delete.
"""

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from documents.models import LetterTemplate
from tests.files import samples
from tests.fuzzing import FUZZ, AppFuzzer

pytestmark = pytest.mark.django_db

UPLOADS = ["case-document-create", "panel-document-create", "board-document-create"]
FORMS = [
    *(f"documents:{name}" for name in UPLOADS),
    "documents:letter-create",
    "documents:template-create",
    "documents:template-edit",
    "documents:document-delete",
]

NAMES = st.one_of(
    st.sampled_from(["form.pdf", "report.docx", "x.txt", "a.msg", "photo.png", "noext", ".pdf"]),
    st.text(min_size=1, max_size=40),
)
CONTENTS = st.one_of(
    st.binary(max_size=400),
    st.sampled_from(
        [
            samples.pdf_bytes(),
            samples.docx_bytes(),
            samples.HTML,
            samples.SVG,
            samples.encrypted_docx(),
            samples.encrypted_zip(samples.docx_bytes()),
            samples.PNG,
            b"",
        ]
    ),
)


def _upload(name, data):
    """A file as a browser sends it; a name Django cannot keep at all (only "/" or "..")
    becomes "upload" (Django's parser drops such a file before any view sees it)."""
    try:
        return SimpleUploadedFile(name, data)
    except SuspiciousFileOperation:
        return SimpleUploadedFile("upload", data)


FILES = st.fixed_dictionaries({"file": st.builds(_upload, NAMES, CONTENTS)})


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "documents", ["documents"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


@FUZZ
@given(data=st.data())
def test_fuzzed_forms_never_fail_and_refusals_change_nothing(fuzzer, data):
    for name in UPLOADS:
        fuzzer.fuzz_page(f"documents:{name}", data, extra=FILES)
    letter = fuzzer.url("documents:letter-create")
    template = LetterTemplate.objects.get(title="Invitation to a Channel panel (partner)")
    fuzzer.fuzz("letter", lambda: f"{letter}?template={template.pk}", data)
    for name in ("documents:template-create", "documents:template-edit"):
        fuzzer.fuzz_page(name, data)
    fuzzer.fuzz_page("documents:document-delete", data)
