"""Fuzzing (docs/security.md §21): every training form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing in the training
tables nor the audit log.

Views covered (every POST handler in training/urls.py and views.py):
training:course-create, training:course-edit, training:evaluation-batch,
training:evaluation-create, training:evaluation-delete, training:session-create,
training:session-delete, training:session-edit, training:session-import,
training:session-import-confirm.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prevent_portal.ui.uploads import UploadError
from tests.fuzzing import FUZZ, AppFuzzer, csv_files, snapshot, upload

pytestmark = pytest.mark.django_db

FORMS = [
    "training:course-create",
    "training:course-edit",
    "training:evaluation-batch",
    "training:evaluation-create",
    "training:evaluation-delete",
    "training:session-create",
    "training:session-delete",
    "training:session-edit",
    "training:session-import",
    "training:session-import-confirm",
]


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "training", ["training"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


# A success of these removes or locks what other forms change: each has its own test.
ALONE = [
    "training:evaluation-delete",
    "training:session-delete",
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


GOOD_SESSION = {
    "date": "2026-01-15",
    "course": "Prevent Awareness",
    "title": "",
    "format": "Virtual",
    "audience": "Kent Police",
    "district": "Dover",
    "attendees": "12",
    "notes": "Invented note",
}


@FUZZ
@given(data=st.data())
def test_fuzzed_session_imports_import_every_row_or_nothing(fuzzer, data):
    """The upload, then the preview and its confirmation: neither step gives a 500, and
    a refused confirmation imports nothing."""
    url = fuzzer.url("training:session-import")
    raw = data.draw(csv_files(list(GOOD_SESSION), GOOD_SESSION), label="file")
    response = fuzzer.check(url, {"file": upload(raw)})
    if response.status_code == 302:
        assert fuzzer.client.get(response["Location"]).status_code == 200
        fuzzer.check(response["Location"], {})


GOOD_EVALUATION = {
    "session": "TS-0001",
    "met_expectations": "Yes",
    "value_to_role": "Very valuable",
    "comment": "Invented comment",
    "quotable": "yes",
}


@FUZZ
@given(data=st.data())
def test_fuzzed_evaluation_imports_import_every_row_or_nothing(fuzzer, data):
    """The evaluations importer (import_evaluations command): all rows or none."""
    from training.importers import ImportRowsError, evaluations_import
    from training.models import Evaluation

    fuzzer.url("training:session-import")  # the sample sessions
    raw = data.draw(csv_files(list(GOOD_EVALUATION), GOOD_EVALUATION), label="file")
    before = snapshot(["training"])
    try:
        added = evaluations_import(actor=None, data=raw, filename="evaluations.csv")
    except (UploadError, ImportRowsError):
        assert snapshot(["training"]) == before
    else:
        assert Evaluation.objects.count() == len(before["training.Evaluation"]) + added
