"""Fuzzing (docs/security.md §21): every worklist form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing in the worklist,
referrals tables nor the audit log.

Views covered (every POST handler in worklist/urls.py and views.py):
worklist:task-complete, worklist:task-create.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, AppFuzzer

pytestmark = pytest.mark.django_db

FORMS = [
    "worklist:task-complete",
    "worklist:task-create",
]


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "worklist", ["worklist", "referrals"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


@FUZZ
@given(data=st.data())
def test_fuzzed_forms_never_fail_and_refusals_change_nothing(fuzzer, data):
    """Each example posts drawn values to every form of the app in turn."""
    for name in FORMS:
        fuzzer.fuzz_page(name, data)


@pytest.mark.parametrize("version", ["", "not-a-number", "99999999999999999999"])
def test_an_altered_version_is_reported_and_leaves_the_task_open(fuzzer, version):
    from worklist.models import Task

    response = fuzzer.check(fuzzer.url("worklist:task-complete"), {"version": version})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Task.objects.exclude(status="open").exists()
