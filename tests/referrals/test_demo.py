import io

import pytest

from referrals import demo
from referrals.models import Person, Referral
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
