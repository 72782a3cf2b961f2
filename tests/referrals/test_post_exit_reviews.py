"""Post-exit reviews: at most two, 6 and 12 months after the exit (less a tolerance), and
closure only after the second (referrals/transitions.py)."""

from datetime import date

import pytest
from django.urls import reverse

from referrals.models import Referral, ReferralEvent
from referrals.services import TransitionError, referral_transition
from referrals.transitions import add_months, post_exit_review_earliest
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

EXIT = date(2025, 4, 1)


def step(referral, to_status, on):
    return referral_transition(
        actor=None,
        referral=referral,
        to_status=to_status,
        reason="Invented review",
        occurred_on=on,
        expected_version=referral.version,
    )


@pytest.fixture
def exited(reference_data):
    referral = new_referral(received=date(2025, 1, 6))
    Referral.objects.filter(pk=referral.pk).update(status="reviewed")
    referral.refresh_from_db()
    step(referral, "exit", EXIT)
    return referral


def assert_unchanged(referral, status, reviews):
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == status
    assert (
        ReferralEvent.objects.filter(referral=referral, to_status="post_exit_review").count()
        == reviews
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 4, 1), 6, date(2025, 10, 1)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 12, 15), 12, date(2026, 12, 15)),
        (date(2025, 7, 31), 2, date(2025, 9, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_the_earliest_dates_are_6_and_12_months_after_the_exit_less_14_days():
    assert post_exit_review_earliest(EXIT, 1) == date(2025, 9, 17)
    assert post_exit_review_earliest(EXIT, 2) == date(2026, 3, 18)


def test_a_first_review_before_6_months_less_the_tolerance_is_refused(exited):
    with pytest.raises(TransitionError) as problem:
        step(exited, "post_exit_review", date(2025, 9, 16))
    assert str(problem.value) == (
        "The 6-month post-exit review must be dated on or after 17 September 2025: "
        "6 months after the exit on 1 April 2025, less 14 days"
    )
    assert_unchanged(exited, "exit", 0)


def test_the_first_review_on_the_first_day_of_the_tolerance_is_recorded(exited):
    step(exited, "post_exit_review", date(2025, 9, 17))
    assert_unchanged(exited, "post_exit_review", 1)


def test_a_second_review_before_12_months_less_the_tolerance_is_refused(exited):
    step(exited, "post_exit_review", date(2025, 10, 1))
    with pytest.raises(TransitionError, match="12-month post-exit review must be dated on or"):
        step(exited, "post_exit_review", date(2026, 3, 17))
    assert_unchanged(exited, "post_exit_review", 1)
    step(exited, "post_exit_review", date(2026, 3, 18))
    assert_unchanged(exited, "post_exit_review", 2)


def test_a_third_review_is_refused_and_closure_is_asked_for(exited):
    step(exited, "post_exit_review", date(2025, 10, 1))
    step(exited, "post_exit_review", date(2026, 4, 1))
    with pytest.raises(TransitionError, match="Both post-exit reviews .* record the closure"):
        step(exited, "post_exit_review", date(2026, 5, 1))
    assert_unchanged(exited, "post_exit_review", 2)


def test_a_case_cannot_be_closed_before_its_12_month_review(exited):
    step(exited, "post_exit_review", date(2025, 10, 1))
    with pytest.raises(TransitionError, match="closed only after its 12-month post-exit review"):
        step(exited, "closed", date(2025, 11, 1))
    assert_unchanged(exited, "post_exit_review", 1)


def test_closure_after_both_reviews_is_recorded(exited):
    step(exited, "post_exit_review", date(2025, 10, 1))
    step(exited, "post_exit_review", date(2026, 4, 1))
    step(exited, "closed", date(2026, 4, 2))
    assert Referral.objects.get(pk=exited.pk).status == "closed"


def test_the_tolerance_is_a_setting(exited, settings):
    settings.POST_EXIT_REVIEW_TOLERANCE_DAYS = 0
    with pytest.raises(TransitionError, match="on or after 1 October 2025"):
        step(exited, "post_exit_review", date(2025, 9, 30))
    step(exited, "post_exit_review", date(2025, 10, 1))


def test_the_case_page_shows_the_spacing_error_and_records_nothing(exited, client_as):
    client = client_as("channel")
    response = client.post(
        reverse("referrals:referral-detail", kwargs={"pk": exited.pk}),
        {
            "to_status": "post_exit_review",
            "reason": "Too soon",
            "occurred_on": "2025-06-01",
            "version": exited.version,
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "6-month post-exit review must be dated on or after 17 September 2025" in content
    assert_unchanged(exited, "exit", 0)


def test_a_review_without_a_recorded_exit_date_is_refused(reference_data):
    referral = new_referral(received=date(2025, 1, 6))
    Referral.objects.filter(pk=referral.pk).update(status="exit")
    referral.refresh_from_db()
    with pytest.raises(TransitionError, match="date of the exit is not recorded"):
        step(referral, "post_exit_review", date(2026, 1, 6))
    assert_unchanged(referral, "exit", 0)
