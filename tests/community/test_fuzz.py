"""Fuzzing (docs/security.md §21): every community form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing in the community
tables nor the audit log.

Views covered (every POST handler in community/urls.py and views.py):
community:activity-create, community:activity-delete, community:activity-edit,
community:incident-create, community:incident-delete, community:incident-edit,
community:incident-import, community:issue-create, community:issue-edit,
community:summary-correct, community:summary-create, community:summary-edit,
community:summary-issue.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, AppFuzzer

pytestmark = pytest.mark.django_db

FORMS = [
    "community:activity-create",
    "community:activity-delete",
    "community:activity-edit",
    "community:incident-create",
    "community:incident-delete",
    "community:incident-edit",
    "community:incident-import",
    "community:issue-create",
    "community:issue-edit",
    "community:summary-correct",
    "community:summary-create",
    "community:summary-edit",
    "community:summary-issue",
]


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "community", ["community"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


# A success of these removes or locks what other forms change: each has its own test.
ALONE = [
    "community:activity-delete",
    "community:incident-delete",
    "community:summary-issue",
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
