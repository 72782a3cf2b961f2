import io

import pytest

from disclosures import demo
from disclosures.models import DisclosureEntry, SharingAgreement, SubjectAccessRequest
from referrals.services import referral_transition
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db


def test_the_demo_data_is_invented_and_idempotent(persona):
    persona("coordinator")
    persona("channel")
    for number in range(7):
        referral = new_referral(given=f"Demo{number}")
        referral_transition(
            actor=None,
            referral=referral,
            to_status="police_gateway",
            reason="",
            occurred_on=referral.date_received,
            expected_version=referral.version,
        )
    out = io.StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)
    assert SharingAgreement.objects.count() == 3
    assert DisclosureEntry.objects.count() == 6
    assert SubjectAccessRequest.objects.count() == 1
    assert "(invented)" in SubjectAccessRequest.objects.get().requester_name
    assert "Information sharing: 3 agreements, 6 disclosures logged" in out.getvalue()
