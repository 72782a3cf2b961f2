from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.reference import load_reference_models
from referrals.services import referral_transition
from tests.conftest import make_user
from tests.referrals.conftest import new_referral
from vaf.reference import load_reference_models as load_vaf_models
from vaf.selectors import current_framework, framework_structure
from vaf.services import RatingInput, assessment_create


@pytest.fixture(autouse=True)
def _seeded_reference(db):
    """The rows the migrations seed; a transactional test elsewhere may have flushed them."""
    load_reference_models()
    load_vaf_models()


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def gathering_case(*, actor=None, received_days_ago=60, **extra):
    """A referral that has reached information gathering (so a VAF may be recorded)."""
    referral = new_referral(actor=actor, received=days_ago(received_days_ago), **extra)
    for offset, status in ((received_days_ago - 2, "police_gateway"), (received_days_ago - 5,
                           "information_gathering")):  # fmt: skip
        referral_transition(
            actor=actor,
            referral=referral,
            to_status=status,
            reason="Invented step",
            occurred_on=days_ago(offset),
            expected_version=referral.version,
        )
    return referral


def structure():
    return framework_structure(current_framework())


def ratings(level="not_present", note="", **overrides):
    """Every factor rated `level` (with `note`), except {factor key: level key} overrides."""
    shape = structure()
    levels = shape.level_by_key
    chosen = {}
    for factor in shape.factors:
        key = overrides.get(factor.key, level)
        text = note or ("Invented evidence" if (levels[key].severity or 0) > 0 else "")
        chosen[factor.key] = RatingInput(level=levels[key], note=text)
    return chosen


def completed(referral, *, actor, on, **overrides):
    return assessment_create(
        actor=actor,
        referral=referral,
        assessed_on=on,
        ratings=ratings(**overrides),
        summary="Invented summary",
        management_plan="Invented plan",
        complete=True,
    )


def assessor():
    from prevent_portal.accounts.models import User

    return User.objects.filter(username="vaf-assessor").first() or make_user(
        "vaf-assessor", "channel"
    )


@pytest.fixture
def case(reference_data):
    return gathering_case()
