"""The previous period's headline counts, counted in the same queries as the period's own
(conditional aggregation), give exactly that period's own figures."""

from datetime import date

import pytest

from community.choices import SummaryStatus
from community.selectors import community_figures
from education.models import AudienceCategory, OutreachSession
from education.selectors import education_figures
from reporting.annual import annual_figures
from tests.community.factories import make_activity, make_incident, make_summary
from tests.reporting.conftest import YEAR
from tests.training.helpers import make_session
from training.selectors import training_figures

pytestmark = pytest.mark.django_db

LAST_YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def two_years(report_data, persona):
    """report_data (mostly 2026) and, in 2025, rows of every headline's kind, including
    kinds and an audience category that 2026 does not have."""
    make_session(on=date(2025, 12, 31), attendees=7)
    make_session(on=date(2025, 1, 1), course_title=None, bespoke_title="Talk", attendees=3)
    retired = AudienceCategory.objects.create(name="Invented retired audience", position=99)
    OutreachSession.objects.create(
        date=date(2025, 3, 3),
        peo=persona("education"),
        audience=retired,
        attendees=30,
        format="face_to_face",
        topic="Prevent duty refresher",
    )
    retired.is_active = False
    retired.save()
    make_incident(date(2025, 2, 1), kind="banners")
    make_incident(date(2025, 12, 31))
    make_activity(date(2025, 8, 1), kind="workshop")
    make_summary(date(2025, 6, 2), status=SummaryStatus.ISSUED)
    make_summary(date(2026, 6, 1), status=SummaryStatus.ISSUED)


def test_the_previous_headlines_are_the_previous_period_own_figures(two_years):
    this_year, last_year = annual_figures(*YEAR), annual_figures(*LAST_YEAR)
    previous = {item.label: item.previous for item in this_year.headlines}
    own = {item.label: item.current for item in last_year.headlines}
    assert previous == own
    assert previous["Training sessions delivered"] == 3
    assert previous["People trained"] == 20
    assert previous["Education outreach attendees"] == 30
    assert previous["Incidents logged"] == 2
    assert previous["Weekly tension summaries issued"] == 1


def test_counting_the_previous_period_changes_none_of_the_period_figures(two_years):
    assert training_figures(*YEAR, previous=LAST_YEAR).rows == training_figures(*YEAR).rows
    with_previous = education_figures(*YEAR, previous=LAST_YEAR)
    alone = education_figures(*YEAR)
    # The retired audience with sessions only in 2025 stays out of 2026's table.
    assert with_previous.rows == alone.rows
    assert "Invented retired audience" not in [row.audience for row in alone.rows]
    assert with_previous.total == alone.total
    community = community_figures(*YEAR, previous=LAST_YEAR)
    assert community.incidents_by_kind == community_figures(*YEAR).incidents_by_kind
    assert community.summaries_issued == community_figures(*YEAR).summaries_issued == 1
    assert "Banners" not in [item.label for item in community.incidents_by_kind]


def test_referral_breakdowns_compare_with_the_previous_period(report_data):
    figures = annual_figures(*YEAR)
    (sector,) = [b for b in figures.referrals.breakdowns if b.key == "sector"]
    rows = {row.label: row for row in sector.rows}
    assert sector.has_previous
    assert rows["Education"].cell.value == 12
    assert rows["Education"].change == 6  # 12 in 2026 against 6 in 2025
    assert figures.referrals.previous_total.value == 6
