from datetime import date

import pytest
from django.urls import reverse

from reporting.selectors import activity_headlines
from tests.community.factories import make_activity, make_incident, make_summary
from tests.training.helpers import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(reference_data, persona):
    # This year, up to 30 June 2026: counted.
    make_session(on=date(2026, 2, 3), attendees=12)
    make_session(on=date(2026, 6, 30), attendees=30)
    make_incident(date(2026, 3, 4))
    make_incident(date(2026, 5, 1))
    make_incident(date(2026, 6, 2))
    make_activity(date(2026, 4, 9))
    make_summary(date(2026, 3, 2), status="issued")
    make_summary(date(2026, 3, 9))  # a draft: not counted
    # Last year and after the date: not counted.
    make_session(on=date(2025, 12, 31), attendees=99)
    make_session(on=date(2026, 7, 1), attendees=99)
    make_incident(date(2025, 12, 30))


def test_the_year_to_date_is_counted_from_each_app(activity):
    headlines = activity_headlines(date(2026, 6, 30))
    assert headlines.start == date(2026, 1, 1)
    assert (headlines.training_sessions, headlines.training_attendees) == (2, 42)
    assert headlines.incidents == 3
    assert headlines.engagement_activities == 1
    assert headlines.summaries_issued == 1
    assert (headlines.outreach_sessions, headlines.outreach_attendees) == (0, 0)


def test_board_members_see_the_headlines_but_no_link_to_records(client_as, reference_data):
    make_incident(date.today().replace(month=1, day=2))
    body = client_as("board").get(reverse("reporting:board")).content.decode()
    assert "Incidents logged" in body
    assert "Training sessions delivered" in body
    assert reverse("community:incident-list") not in body
    assert reverse("training:session-list") not in body


def test_the_figures_page_shows_the_years_activity(client_as, reference_data):
    make_incident(date.today().replace(month=1, day=2))
    make_incident(date.today().replace(month=1, day=3))
    body = client_as("board").get(reverse("reporting:figures")).content.decode()
    assert "Incidents logged" in body
    assert '<dd class="govuk-summary-list__value">2</dd>' in body
    assert "Nothing has been recorded yet" not in body


def test_the_headlines_are_the_report_figures_totals(activity, report_data):
    from community.selectors import community_figures
    from education.selectors import education_figures
    from training.selectors import training_figures

    start, end = date(2026, 1, 1), date(2026, 6, 30)
    headlines = activity_headlines(end)
    training = training_figures(start, end).total
    education = education_figures(start, end).total
    community = community_figures(start, end)
    assert (headlines.training_sessions, headlines.training_attendees) == (
        training.sessions,
        training.attendees,
    )
    assert (
        headlines.outreach_sessions,
        headlines.outreach_attendees,
        headlines.settings_reached,
    ) == (education.sessions, education.attendees, education.distinct_settings)
    assert (
        headlines.summaries_issued,
        headlines.incidents,
        headlines.engagement_activities,
    ) == (community.summaries_issued, community.incidents_total, community.activities_total)


def test_the_headlines_take_six_queries(activity, django_assert_num_queries):
    with django_assert_num_queries(6):
        activity_headlines(date(2026, 6, 30))


def test_each_setting_reached_this_year_is_counted_once(reference_data, persona):
    from education.models import AudienceCategory, OutreachSession, Setting

    peo, audience = persona("education"), AudienceCategory.objects.first()
    first, second, last_year = (
        Setting.objects.create(urn=f"99000{index}", name=f"Invented School {index}")
        for index in range(3)
    )

    def session(on, *settings):
        made = OutreachSession.objects.create(
            date=on, peo=peo, audience=audience, attendees=10, format="face_to_face", topic="x"
        )
        made.settings.set(settings)

    session(date(2026, 2, 3), first, second)
    session(date(2026, 5, 1), second)
    session(date(2025, 12, 31), last_year)  # last year: not counted
    session(date(2026, 7, 1), last_year)  # after the day: not counted
    headlines = activity_headlines(date(2026, 6, 30))
    assert (headlines.outreach_sessions, headlines.settings_reached) == (2, 2)
