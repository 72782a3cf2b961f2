"""Fuzzing (docs/security.md §21): the Retention section's forms, posted arbitrary values (see
tests/fuzzing.py), never give a 500, and a refusal changes nothing in the retention and
referral tables nor the audit log.

Views covered (every POST handler in retention/urls.py and views.py):
retention:case, each of its actions (propose, hold, lift, approve, withdraw, and an
unknown action), on a due case and on a case with a proposal waiting for approval.
retention:queue is a list without a form.
"""

import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from retention.models import DisposalReason, LegalHold
from retention.services import disposal_propose
from tests.fuzzing import FUZZ, Field, Fuzzer
from tests.retention.conftest import due_case

pytestmark = pytest.mark.django_db

ACTIONS = ["propose", "hold", "lift", "approve", "withdraw"]


def fields():
    return {
        "action": Field("action", "submit", options=ACTIONS),
        "reason": Field("reason", "radio", options=list(DisposalReason.values)),
        "hold_reason": Field("hold_reason", "radio", options=list(LegalHold.Reason.values)),
        "version": Field("version", "hidden", "1"),
    }


@pytest.fixture
def fuzzer(client, persona):
    client.force_login(persona("coordinator"))
    return Fuzzer(client, ["retention", "referrals"])


def test_the_page_shows_only_the_fuzzed_actions(fuzzer):
    case = due_case()
    response = fuzzer.client.get(reverse("retention:case", kwargs={"pk": case.pk}))
    html = response.content.decode()
    shown = set(re.findall(r'name="action" value="([a-z]+)"', html))
    assert shown and shown <= set(ACTIONS)


@pytest.mark.parametrize("proposed", [False, True], ids=["due", "proposed"])
@FUZZ
@given(data=st.data())
def test_fuzzed_actions_never_fail_and_refusals_change_nothing(fuzzer, persona, proposed, data):
    def build():
        case = due_case()
        if proposed:
            disposal_propose(actor=persona("chair"), referral=case, reason="retention_ended")
        return reverse("retention:case", kwargs={"pk": case.pk})

    fuzzer.fuzz("retention", build, data, fields=fields())
