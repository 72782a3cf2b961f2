"""Fuzzing (docs/security.md §21): every VAF form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing in the vaf,
referrals tables nor the audit log.

Views covered (every POST handler in vaf/urls.py and views.py):
vaf:assessment-create, vaf:assessment-edit, vaf:framework-create.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, AppFuzzer

pytestmark = pytest.mark.django_db

FORMS = [
    "vaf:assessment-create",
    "vaf:assessment-edit",
    "vaf:framework-create",
]


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "vaf", ["vaf", "referrals"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


@FUZZ
@given(data=st.data())
def test_fuzzed_forms_never_fail_and_refusals_change_nothing(fuzzer, data):
    """Each example posts drawn values to every form of the app in turn."""
    for name in FORMS:
        fuzzer.fuzz_page(name, data)
