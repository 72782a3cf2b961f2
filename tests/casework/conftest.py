from datetime import date, datetime, time

import pytest
from django.utils import timezone

from casework.models import InterventionType, Provider
from casework.reference import load_reference_models
from casework.services import InterventionData, consent_record, intervention_add
from referrals.reference import load_reference_models as load_referral_reference
from referrals.services import referral_transition
from tests.referrals.conftest import new_referral

TO_CONSENT = ["police_gateway", "information_gathering", "panel", "consent"]


@pytest.fixture(autouse=True)
def _seeded_reference(reference_data):
    """The rows migrations seed; a transactional (browser) test elsewhere may have
    flushed them."""
    load_referral_reference()
    load_reference_models()


def at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def move(referral, *steps, on=date(2026, 3, 10)):
    for step in steps:
        referral_transition(
            actor=None,
            referral=referral,
            to_status=step,
            reason="Invented step",
            occurred_on=on,
            expected_version=referral.version,
        )
    return referral


def referral_at_consent(**kwargs):
    return move(new_referral(**kwargs), *TO_CONSENT)


def adopted_referral(**kwargs):
    referral = referral_at_consent(**kwargs)
    consent_record(
        actor=None,
        referral=referral,
        decision="given",
        given_by="parent",
        given_by_name="Pat Invented-Parent",
        decided_on=date(2026, 3, 12),
        expected_version=referral.version,
    )
    referral.refresh_from_db()
    return referral


def provider(name="Invented Mentoring Ltd", accredited=True, **extra):
    return Provider.objects.get_or_create(name=name, defaults={"accredited": accredited, **extra})[
        0
    ]


def intervention_data(**overrides):
    values = {
        "kind": InterventionType.objects.get(name="Intervention Provider (ideological mentoring)"),
        "provider": overrides.pop("provider", None) or provider(),
        "goal": "Build critical thinking about invented online content",
        "starts_on": date(2026, 3, 20),
        "ends_on": None,
        "sessions": 6,
        "outcome": "",
    }
    values.update(overrides)
    return InterventionData(**values)


def add_intervention(referral, **overrides):
    return intervention_add(actor=None, referral=referral, data=intervention_data(**overrides))
