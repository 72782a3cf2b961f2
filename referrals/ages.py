"""Age at referral and the Home Office age band: computed, never stored as typed."""

from datetime import date

from referrals.choices import AgeBand

# (highest age in the band, band), in order.
_BANDS = [
    (10, AgeBand.UP_TO_10),
    (15, AgeBand.AGE_11_15),
    (17, AgeBand.AGE_16_17),
    (20, AgeBand.AGE_18_20),
    (30, AgeBand.AGE_21_30),
    (40, AgeBand.AGE_31_40),
    (50, AgeBand.AGE_41_50),
]


def years_between(earlier: date, later: date) -> int:
    """Whole years from `earlier` to `later` (a birthday on 29 February counts on 1 March)."""
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def age_on(
    on: date,
    *,
    date_of_birth: date | None,
    approximate_age: int | None = None,
    approximate_age_on: date | None = None,
) -> int | None:
    """The person's age on `on`: exact from the date of birth, else the approximate age
    given on `approximate_age_on` plus the whole years since; None when not known."""
    if date_of_birth is not None:
        return years_between(date_of_birth, on)
    if approximate_age is not None:
        elapsed = years_between(approximate_age_on, on) if approximate_age_on else 0
        return approximate_age + max(elapsed, 0)
    return None


def age_band(age: int | None) -> AgeBand:
    if age is None or age < 0:
        return AgeBand.NOT_KNOWN
    for highest, band in _BANDS:
        if age <= highest:
            return band
    return AgeBand.AGE_51_PLUS
