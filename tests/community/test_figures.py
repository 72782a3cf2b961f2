from datetime import date, timedelta

import pytest

from community.choices import SummaryStatus
from community.selectors import LabelCount, community_figures
from tests.community.factories import make_activity, make_incident, make_issue, make_summary

pytestmark = pytest.mark.django_db

ISSUED = SummaryStatus.ISSUED
START, END = date(2026, 1, 1), date(2026, 6, 30)


def _build_the_hand_computed_year():
    make_summary(date(2026, 1, 5), status=ISSUED, themes=("Covid-19", "Antisemitism"))
    make_summary(date(2026, 1, 12), status=ISSUED, themes=("Covid-19",))
    make_summary(date(2026, 1, 19), themes=("Covid-19",))  # a draft: not counted
    # A corrected week counts once, with the themes of the correction.
    make_summary(
        date(2026, 1, 26), status=ISSUED, themes=("Other",), is_latest=False, is_superseded=True
    )
    make_summary(date(2026, 1, 26), status=ISSUED, themes=("Antisemitism",), revision=2)
    make_summary(date(2025, 12, 29), status=ISSUED, themes=("Covid-19",))  # before the period
    make_summary(
        date(2026, 2, 2),
        status=ISSUED,
        themes=(
            "Asylum accommodation",
            "Middle East conflict",
            "Anti-Muslim hatred",
            "Extreme right-wing activity",
        ),
    )
    make_incident(date(2026, 1, 3), district_name="Dover", kind="stickers")
    make_incident(date(2026, 6, 30), district_name="Dover", kind="stickers")
    make_incident(date(2026, 2, 3), district_name="Thanet", kind="graffiti")
    make_incident(date(2026, 3, 3), district_name="Dover", kind="graffiti")
    make_incident(date(2025, 12, 31), district_name="Thanet", kind="stickers")  # before
    make_incident(date(2026, 7, 1), district_name="Dover", kind="banners")  # after
    make_activity(date(2026, 2, 1), kind="meeting")
    make_activity(date(2026, 3, 1), kind="meeting")
    make_activity(date(2026, 6, 30), kind="workshop")
    make_activity(date(2026, 7, 1), kind="csp")  # after
    make_issue("Open since last year", starts_on=date(2025, 6, 1))
    make_issue("Over before the period", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    make_issue("Starts on the last day", starts_on=date(2026, 6, 30))
    make_issue("Starts after", starts_on=date(2026, 7, 1))
    make_issue("Ends on the first day", starts_on=date(2025, 10, 1), ends_on=date(2026, 1, 1))


def test_community_figures_match_the_hand_computed_expectations(reference_data):
    _build_the_hand_computed_year()
    figures = community_figures(START, END)
    assert figures.summaries_issued == 4
    assert figures.top_themes == [
        LabelCount("Covid-19", 2),
        LabelCount("Antisemitism", 2),
        LabelCount("Asylum accommodation", 1),
        LabelCount("Anti-Muslim hatred", 1),
        LabelCount("Extreme right-wing activity", 1),
    ]
    assert figures.incidents_total == 4
    assert figures.incidents_by_kind == [LabelCount("Graffiti", 2), LabelCount("Stickers", 2)]
    assert figures.incidents_by_district == [LabelCount("Dover", 3), LabelCount("Thanet", 1)]
    assert figures.activities_total == 3
    assert figures.activities_by_type == [LabelCount("Meeting", 2), LabelCount("Workshop", 1)]
    assert figures.local_issues_worked_on == 3


def test_community_figures_for_an_empty_period_are_zero(reference_data):
    figures = community_figures(date(2030, 1, 1), date(2030, 12, 31))
    assert figures.summaries_issued == 0
    assert figures.top_themes == []
    assert figures.incidents_by_kind == []
    assert figures.local_issues_worked_on == 0


@pytest.mark.parametrize("size", [3, 40])
def test_community_figures_take_a_fixed_number_of_queries(
    reference_data, django_assert_max_num_queries, size
):
    themes = ("Covid-19", "Antisemitism", "Other", "Asylum accommodation")
    for n in range(size):
        make_summary(
            date(2026, 1, 5) + timedelta(weeks=n % 25), status=ISSUED, themes=themes[: 1 + n % 4]
        ) if n < 25 else None
        make_incident(date(2026, 1, 1) + timedelta(days=n), district_name=("Dover", "Swale")[n % 2])
        make_activity(date(2026, 1, 1) + timedelta(days=n), kind=("meeting", "briefing")[n % 2])
        make_issue(f"Issue {n}", starts_on=date(2026, 1, 1) + timedelta(days=n))
    with django_assert_max_num_queries(6):
        figures = community_figures(START, END)
    assert figures.incidents_total == size
    assert figures.activities_total == size
    assert figures.local_issues_worked_on == size
