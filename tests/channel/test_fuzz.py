"""Fuzzing (docs/security.md §21): every Channel panel form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing in the channel,
referrals, worklist tables nor the audit log.

Views covered (every POST handler in channel/urls.py and views.py):
channel:action-create, channel:action-edit, channel:agenda-create, channel:agenda-order,
channel:agenda-remove, channel:attendee-create, channel:attendee-remove,
channel:decision-create, channel:meeting-create, channel:meeting-edit,
channel:meeting-minutes.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, AppFuzzer

pytestmark = pytest.mark.django_db

FORMS = [
    "channel:action-create",
    "channel:action-edit",
    "channel:agenda-create",
    "channel:agenda-order",
    "channel:agenda-remove",
    "channel:attendee-create",
    "channel:attendee-remove",
    "channel:decision-create",
    "channel:meeting-create",
    "channel:meeting-edit",
    "channel:meeting-minutes",
]


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "channel", ["channel", "referrals", "worklist"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


# A success of these removes or locks what other forms change: each has its own test.
ALONE = [
    "channel:agenda-remove",
    "channel:attendee-remove",
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
