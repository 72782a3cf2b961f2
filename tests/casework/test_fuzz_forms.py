"""Fuzzing (docs/security.md §21): every case work form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing in the casework,
referrals tables nor the audit log.

Views covered (every POST handler in casework/urls.py and views.py):
casework:consent-create, casework:intervention-create, casework:intervention-edit,
casework:intervention-type-create, casework:intervention-type-edit,
casework:note-create, casework:provider-create, casework:provider-edit,
casework:risk-create, casework:risk-edit.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, AppFuzzer

pytestmark = pytest.mark.django_db

FORMS = [
    "casework:consent-create",
    "casework:intervention-create",
    "casework:intervention-edit",
    "casework:intervention-type-create",
    "casework:intervention-type-edit",
    "casework:note-create",
    "casework:provider-create",
    "casework:provider-edit",
    "casework:risk-create",
    "casework:risk-edit",
]


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "casework", ["casework", "referrals"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


@FUZZ
@given(data=st.data())
def test_fuzzed_forms_never_fail_and_refusals_change_nothing(fuzzer, data):
    """Each example posts drawn values to every form of the app in turn."""
    for name in FORMS:
        fuzzer.fuzz_page(name, data)
