from datetime import date

import pytest

from referrals.selectors import likely_matches, referrals_visible_to
from tests.conftest import make_user
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db


def test_matches_same_family_name_and_date_of_birth_whatever_the_case(reference_data):
    referral = new_referral(given="Jamie", family="Testwood", born=date(2010, 5, 1))
    found = likely_matches(given_names="J", family_name="TESTWOOD", date_of_birth=date(2010, 5, 1))
    assert found == [referral.person_id]


def test_matches_same_given_and_family_names_without_a_date_of_birth(reference_data):
    referral = new_referral(given="Jamie", family="Testwood", born=date(2010, 5, 1))
    found = likely_matches(given_names=" jamie ", family_name="testwood", date_of_birth=None)
    assert found == [referral.person_id]


def test_does_not_match_a_different_person(reference_data):
    new_referral(given="Jamie", family="Testwood", born=date(2010, 5, 1))
    assert likely_matches(given_names="Alex", family_name="Testwood", date_of_birth=None) == []
    assert (
        likely_matches(given_names="Alex", family_name="Testwood", date_of_birth=date(2011, 5, 1))
        == []
    )


def test_roles_without_case_access_see_no_referrals(reference_data, persona):
    new_referral()
    for name in ("board", "admin", "education", "community", "support"):
        assert not referrals_visible_to(persona(name)).exists(), name


def test_all_scope_shows_every_case_to_case_managers(reference_data, persona, settings):
    settings.REFERRALS_SCOPE = "all"
    other = make_user("channel2", "channel")
    new_referral(actor=other)
    assert referrals_visible_to(persona("channel")).count() == 1


def test_assigned_scope_shows_a_case_manager_only_their_cases(reference_data, persona, settings):
    settings.REFERRALS_SCOPE = "assigned"
    channel, other = persona("channel"), make_user("channel2", "channel")
    mine = new_referral(actor=channel)
    new_referral(actor=other, family="Elsewhere")
    assert list(referrals_visible_to(channel)) == [mine]
    # Supervisors still see the partnership's every case.
    assert referrals_visible_to(persona("coordinator")).count() == 2
