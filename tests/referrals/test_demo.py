import io

import pytest
from django.utils import timezone

from referrals import demo
from referrals.models import Person, Referral, ReferralEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_demo_seed_adds_invented_referrals_once(reference_data):
    make_user("channel", "channel")
    demo.seed(stdout=io.StringIO())
    total = Referral.objects.count()
    assert total == demo.REFERRALS + demo.RE_REFERRALS
    assert Person.objects.count() < total  # some people are referred more than once
    male = Person.objects.filter(sex__name="Male").count() / Person.objects.count()
    assert 0.75 < male < 0.97
    assert Referral.objects.values("sector").distinct().count() >= 5
    demo.seed(stdout=io.StringIO())
    assert Referral.objects.count() == total


def test_demo_referrals_are_spread_over_the_journey_with_dated_steps(reference_data):
    make_user("channel", "channel")
    demo.seed(stdout=io.StringIO())
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert len(statuses) >= 8
    assert {"received", "police_gateway", "no_further_action", "adopted"} <= statuses
    events = ReferralEvent.objects.count()
    for referral in Referral.objects.prefetch_related("events"):
        steps = sorted(referral.events.all(), key=lambda event: (event.occurred_on, event.id))
        if referral.status == "received":
            assert steps == []
            continue
        assert steps[-1].to_status == referral.status
        assert referral.version == len(steps) + 1
        assert steps[0].occurred_on >= referral.date_received
        assert steps[-1].occurred_on <= timezone.localdate()
    demo.seed(stdout=io.StringIO())
    assert ReferralEvent.objects.count() == events


def test_the_demo_leaves_one_possible_match_to_confirm(reference_data):
    from referrals.models import PersonMatchReview

    make_user("channel", "channel")
    demo.seed(stdout=io.StringIO())
    review = PersonMatchReview.objects.get()
    assert review.is_open and review.opened_by.username == "channel"
    (candidate,) = review.candidates.all()
    person = review.referral.person
    assert candidate != person
    assert (candidate.given_names, candidate.family_name, candidate.date_of_birth) == (
        person.given_names,
        person.family_name,
        person.date_of_birth,
    )
