from datetime import date

import pytest

from channel import services
from referrals.reference import load_reference_models
from referrals.services import referral_transition
from tests.referrals.conftest import new_referral

GATHERING = ["police_gateway", "information_gathering"]
ADOPTED = [*GATHERING, "panel", "consent", "adopted"]
MEETING_DAY = date(2026, 4, 14)


@pytest.fixture(autouse=True)
def _seeded_reference(db):
    """The rows migration 0002 seeds; a transactional test elsewhere may have flushed them."""
    load_reference_models()


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


def case_in(*steps, **kwargs):
    """A new referral moved along `steps` (default: to information gathering)."""
    return move(new_referral(**kwargs), *(steps or GATHERING))


def make_meeting(*, actor=None, on=MEETING_DAY, **extra):
    return services.meeting_create(
        actor=actor,
        meeting_date=on,
        location=extra.pop("location", "Invented House, Room 2"),
        **extra,
    )


def on_agenda(meeting, referral, actor=None):
    return services.agenda_add(actor=actor, meeting=meeting, referral=referral)
