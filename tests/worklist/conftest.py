from datetime import date

import pytest

from referrals.models import Referral
from referrals.reference import load_reference_models
from referrals.services import referral_transition


@pytest.fixture(autouse=True)
def _seeded_reference(db):
    """The rows referrals' migration seeds; a transactional test may have flushed them."""
    load_reference_models()


def step(referral, to_status, on, *, actor=None, **details):
    if to_status == "signposted":
        details.setdefault("signposted_to", "Invented Youth Service")
    return referral_transition(
        actor=actor,
        referral=referral,
        to_status=to_status,
        reason="Invented reason",
        occurred_on=on,
        expected_version=referral.version,
        **details,
    )


def at_status(referral, status, **fields):
    Referral.objects.filter(pk=referral.pk).update(status=status, **fields)
    referral.refresh_from_db()
    return referral


ON = date(2026, 4, 1)
