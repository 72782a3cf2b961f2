from datetime import date

import pytest

from referrals.ages import age_band, age_on
from referrals.choices import AgeBand


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, AgeBand.UP_TO_10),
        (10, AgeBand.UP_TO_10),
        (11, AgeBand.AGE_11_15),
        (15, AgeBand.AGE_11_15),
        (16, AgeBand.AGE_16_17),
        (17, AgeBand.AGE_16_17),
        (18, AgeBand.AGE_18_20),
        (20, AgeBand.AGE_18_20),
        (21, AgeBand.AGE_21_30),
        (30, AgeBand.AGE_21_30),
        (31, AgeBand.AGE_31_40),
        (40, AgeBand.AGE_31_40),
        (41, AgeBand.AGE_41_50),
        (50, AgeBand.AGE_41_50),
        (51, AgeBand.AGE_51_PLUS),
        (97, AgeBand.AGE_51_PLUS),
        (None, AgeBand.NOT_KNOWN),
    ],
)
def test_each_age_falls_in_its_home_office_band(age, band):
    assert age_band(age) == band


def test_age_counts_whole_years_to_the_referral_date():
    born = date(2010, 6, 15)
    assert age_on(date(2026, 6, 14), date_of_birth=born) == 15
    assert age_on(date(2026, 6, 15), date_of_birth=born) == 16


def test_band_changes_on_the_birthday_not_before():
    born = date(2010, 3, 1)
    assert age_band(age_on(date(2026, 2, 28), date_of_birth=born)) == AgeBand.AGE_11_15
    assert age_band(age_on(date(2026, 3, 1), date_of_birth=born)) == AgeBand.AGE_16_17


def test_a_29_february_birthday_counts_from_1_march_in_other_years():
    born = date(2008, 2, 29)
    assert age_on(date(2026, 2, 28), date_of_birth=born) == 17
    assert age_on(date(2026, 3, 1), date_of_birth=born) == 18


def test_approximate_age_grows_with_the_years_since_it_was_given():
    assert (
        age_on(
            date(2028, 5, 1),
            date_of_birth=None,
            approximate_age=17,
            approximate_age_on=date(2026, 5, 1),
        )
        == 19
    )


def test_no_date_of_birth_and_no_approximate_age_is_not_known():
    assert age_band(age_on(date(2026, 1, 1), date_of_birth=None)) == AgeBand.NOT_KNOWN
