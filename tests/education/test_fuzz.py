"""Fuzzing (docs/security.md §21): every education form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing in the education
tables nor the audit log.

Views covered (every POST handler in education/urls.py and views.py):
education:enquiry-create, education:enquiry-edit, education:newsletter-create,
education:newsletter-edit, education:session-create, education:session-delete,
education:session-edit, education:session-import, education:setting-create,
education:setting-edit, education:setting-import, education:setting-import-confirm.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, AppFuzzer, csv_files, upload

pytestmark = pytest.mark.django_db

FORMS = [
    "education:enquiry-create",
    "education:enquiry-edit",
    "education:newsletter-create",
    "education:newsletter-edit",
    "education:session-create",
    "education:session-delete",
    "education:session-edit",
    "education:session-import",
    "education:setting-create",
    "education:setting-edit",
    "education:setting-import",
    "education:setting-import-confirm",
]


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "education", ["education"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


# A success of these removes or locks what other forms change: each has its own test.
ALONE = [
    "education:session-delete",
]


@FUZZ
@given(data=st.data())
def test_fuzzed_forms_never_fail_and_refusals_change_nothing(fuzzer, data):
    """Each example posts drawn values to every form of the app in turn."""
    for name in FORMS:
        if name not in ALONE:
            fuzzer.fuzz_page(name, data)


@pytest.mark.parametrize("name", ALONE)
@FUZZ
@given(data=st.data())
def test_fuzzed_removals_never_fail_and_refusals_change_nothing(fuzzer, name, data):
    fuzzer.fuzz_page(name, data)


GOOD_SETTING = {
    "urn": "700001",
    "name": "Hazelden Primary School",
    "phase": "Primary",
    "district": "thanet",
}
GOOD_OUTREACH = {
    "date": "2026-03-04",
    "audience": "primary school staff",
    "settings": "700001",
    "attendees": "25",
    "format": "Face-to-face",
    "topic": "Prevent duty refresher",
    "notes": "Evening",
}


@FUZZ
@given(data=st.data())
def test_fuzzed_register_imports_import_every_row_or_nothing(fuzzer, data):
    """The upload, then the preview and its confirmation."""
    url = fuzzer.url("education:setting-import")
    raw = data.draw(csv_files(list(GOOD_SETTING), GOOD_SETTING), label="file")
    response = fuzzer.check(url, {"file": upload(raw)})
    if response.status_code == 302:
        assert fuzzer.client.get(response["Location"]).status_code == 200
        fuzzer.check(response["Location"], {})


@FUZZ
@given(data=st.data())
def test_fuzzed_outreach_imports_import_every_row_or_nothing(fuzzer, data):
    url = fuzzer.url("education:session-import")
    raw = data.draw(csv_files(list(GOOD_OUTREACH), GOOD_OUTREACH), label="file")
    fuzzer.check(url, {"file": upload(raw)})
