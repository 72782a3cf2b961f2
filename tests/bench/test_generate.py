"""The benchmark data generator (bench/generate.py), on its tiny preset."""

import io

import pytest
from django.db import transaction

from bench.generate import PRESETS, generate
from community.models import Incident, TensionSummary
from education.choices import AUDIENCE_CATEGORIES
from education.models import AudienceCategory, OutreachSession, Setting
from governance.models import PlanAction
from referrals.models import Referral, ReferralEvent
from referrals.transitions import TRANSITIONS
from training.models import Course, Evaluation, TrainingSession

TINY = PRESETS["tiny"]


@pytest.fixture(autouse=True)
def _seeded(db, reference_data):
    """Every row the migrations seed; a browser test may have flushed them."""
    from community.reference import ensure_reference_data
    from referrals.reference import load_reference_models
    from training.catalogue import load_catalogue

    load_reference_models()
    load_catalogue(Course)
    ensure_reference_data()
    for position, name in enumerate(AUDIENCE_CATEGORIES, start=1):
        AudienceCategory.objects.get_or_create(name=name, defaults={"position": position})


def _fingerprint():
    return (
        list(Referral.objects.order_by("reference").values_list("reference", "status", "person")),
        list(TrainingSession.objects.order_by("reference").values_list("reference", "date")),
        Evaluation.objects.filter(quotable=True).count(),
    )


def test_it_makes_the_counts_of_the_preset():
    counts = generate("tiny", seed=7, out=io.StringIO())
    assert Referral.objects.count() == TINY.referrals == counts["referrals.Referral"]
    assert TrainingSession.objects.count() == TINY.sessions
    assert Evaluation.objects.count() == TINY.evaluations
    assert Setting.objects.count() == TINY.settings
    assert OutreachSession.objects.count() == TINY.outreach
    assert Incident.objects.count() == TINY.incidents
    assert TensionSummary.objects.count() == TINY.weeks
    assert PlanAction.objects.count() == TINY.plan_actions


def test_every_history_follows_the_journey_and_ends_at_the_status():
    generate("tiny", seed=7, out=io.StringIO())
    for referral in Referral.objects.prefetch_related("events"):
        steps = sorted(referral.events.all(), key=lambda event: (event.occurred_on, event.pk))
        status = "received"
        for step in steps:
            assert step.from_status == status
            assert step.to_status in TRANSITIONS[status]
            status = step.to_status
        assert referral.status == status
        assert referral.version == len(steps) + 1
    assert ReferralEvent.objects.exists()


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    with transaction.atomic():
        generate("tiny", seed=7, out=io.StringIO())
        first = _fingerprint()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate("tiny", seed=7, out=io.StringIO())
        again = _fingerprint()
        transaction.set_rollback(True)
    generate("tiny", seed=8, out=io.StringIO())
    assert first == again
    assert _fingerprint() != first


def test_it_refuses_a_database_that_already_holds_referrals():
    generate("tiny", seed=7, out=io.StringIO())
    with pytest.raises(SystemExit):
        generate("tiny", seed=7, out=io.StringIO())
