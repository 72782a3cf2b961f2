"""education_figures against hand-computed expectations, and its query budget."""

from datetime import date, timedelta

import pytest

from education.choices import AUDIENCE_CATEGORIES
from education.selectors import NO_DISTRICT, education_figures

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def scenario(make_setting, make_session):
    a = make_setting("Alderbrook Primary School", "Ashford")
    b = make_setting("Beechcombe Primary School", "Ashford")
    c = make_setting("Cedarwick Academy", "Medway")
    d = make_setting("Dalehurst High School", "Medway", is_open=False)
    e = make_setting("Elmstead School", "Dover")
    f = make_setting("Fernleigh Learning Centre", None)
    make_session(date(2026, 2, 10), "Primary school staff", [a], 20)
    make_session(date(2026, 3, 10), "Primary school staff", [a, b], 15)
    make_session(date(2026, 4, 1), "Parents and carers", [a, c], 8)
    make_session(date(2026, 5, 1), "Secondary school students", [d], 120)
    make_session(date(2025, 12, 31), "Primary school staff", [e], 30)  # before the period
    make_session(date(2027, 1, 1), "PRU staff", [e], 5)  # after the period
    make_session(date(2026, 12, 31), "LA education staff", [f, c], 40)  # last day counts


def _row(figures, audience):
    (row,) = [r for r in figures.rows if r.audience == audience]
    return (row.sessions, row.settings, row.attendees)


def test_rows_follow_the_report_order_including_empty_ones(scenario):
    figures = education_figures(*YEAR)
    assert [row.audience for row in figures.rows] == list(AUDIENCE_CATEGORIES)
    assert _row(figures, "Secondary school staff") == (0, 0, 0)
    assert _row(figures, "PRU staff") == (0, 0, 0)


def test_each_row_counts_sessions_distinct_settings_and_attendees(scenario):
    figures = education_figures(*YEAR)
    assert _row(figures, "Primary school staff") == (2, 2, 35)
    assert _row(figures, "Secondary school students") == (1, 1, 120)
    assert _row(figures, "Parents and carers") == (1, 2, 8)
    assert _row(figures, "LA education staff") == (1, 2, 40)


def test_the_total_adds_up_rows_and_counts_distinct_settings_once(scenario):
    total = education_figures(*YEAR).total
    assert total.sessions == 5
    assert total.attendees == 203
    assert total.settings == 7  # 2 + 1 + 2 + 2, as the reference report adds them up
    assert total.distinct_settings == 5  # A, B, C, D (closed) and F


def test_reach_is_the_share_of_open_settings_by_district(scenario):
    reach = {row.name: row for row in education_figures(*YEAR).by_district}
    assert (reach["Ashford"].open_settings, reach["Ashford"].reached) == (2, 2)
    assert reach["Ashford"].percent == 100
    # D is closed: not in the register's open settings even though it was reached.
    assert (reach["Medway"].open_settings, reach["Medway"].reached) == (1, 1)
    assert (reach["Dover"].open_settings, reach["Dover"].reached, reach["Dover"].percent) == (
        1,
        0,
        0,
    )
    assert reach["Thanet"].open_settings == 0 and reach["Thanet"].percent is None
    assert (reach[NO_DISTRICT].open_settings, reach[NO_DISTRICT].reached) == (1, 1)
    assert len(reach) == 14  # 13 districts and the settings with no district


def test_reach_by_peo_area_follows_the_districts_mapping(scenario):
    figures = education_figures(*YEAR)
    areas = {row.name: (row.open_settings, row.reached, row.percent) for row in figures.by_peo_area}
    assert areas["South and East Kent"] == (3, 2, 67)  # A, B (Ashford) and E (Dover)
    assert areas["Medway, North and West Kent"] == (1, 1, 100)
    assert areas[NO_DISTRICT] == (1, 1, 100)
    total = figures.register_total
    assert (total.open_settings, total.reached, total.percent) == (5, 4, 80)


def test_moving_a_district_to_another_peo_area_moves_its_reach(scenario):
    from governance.models import District, PeoArea

    District.objects.filter(name="Dover").update(
        peo_area=PeoArea.objects.get(name="Medway, North and West Kent")
    )
    areas = {
        row.name: (row.open_settings, row.reached) for row in education_figures(*YEAR).by_peo_area
    }
    assert areas["South and East Kent"] == (2, 2)
    assert areas["Medway, North and West Kent"] == (2, 1)


def test_no_data_gives_zero_rows(reference_data):
    figures = education_figures(*YEAR)
    assert len(figures.rows) == 9
    assert all((r.sessions, r.settings, r.attendees) == (0, 0, 0) for r in figures.rows)
    assert figures.total.distinct_settings == 0


@pytest.mark.parametrize("sessions", [3, 40])
def test_figures_take_a_fixed_number_of_queries(
    make_setting, make_session, django_assert_num_queries, sessions
):
    settings = [make_setting(f"Setting {n}", "Thanet") for n in range(sessions)]
    for n in range(sessions):
        audience = AUDIENCE_CATEGORIES[n % 9]
        make_session(date(2026, 1, 5) + timedelta(days=n), audience, settings[: n % 4 + 1], n)
    with django_assert_num_queries(6):
        figures = education_figures(*YEAR)
    assert figures.total.sessions == sessions
