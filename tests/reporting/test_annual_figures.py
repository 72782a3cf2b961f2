"""The annual report's figures against hand-computed expectations, and their queries."""

from datetime import date

import pytest

from reporting.annual import PeriodError, annual_figures, previous_period
from tests.queries import assert_same_queries, counted, page_queries
from tests.reporting.conftest import YEAR, build_report_data

pytestmark = pytest.mark.django_db


def _breakdown(figures, key):
    (found,) = [b for b in figures.referrals.breakdowns if b.key == key]
    return {row.label: row for row in found.rows}, found


def test_training_table_has_courses_bespoke_and_a_total_row(report_data):
    training = annual_figures(*YEAR).training
    rows = {row.title: (row.sessions, row.attendees) for row in training.rows}
    assert rows["Prevent Awareness"] == (2, 40)
    assert rows["Other bespoke input"] == (1, 12)
    assert rows["Total"] == (3, 52)
    assert training.rows[-1].title == "Total"
    assert [o.name for o in training.organisations] == ["Kent Police"]


def test_evaluation_percentages_come_with_their_n_and_quotes(report_data):
    evaluations = annual_figures(*YEAR).training
    assert evaluations.evaluations.n == 4
    assert evaluations.evaluations.met_or_exceeded_percent == 75.0
    assert evaluations.evaluations.very_or_extremely_percent == 50.0
    assert [quote.comment for quote in evaluations.quotes] == ["Clear and useful"]


def test_education_table_by_audience_with_totals(report_data):
    education = annual_figures(*YEAR).education
    rows = {row.audience: (row.sessions, row.settings, row.attendees) for row in education.rows}
    assert rows["Primary school staff"] == (1, 1, 20)
    assert rows["Secondary school students"] == (1, 1, 75)
    assert (education.total.sessions, education.total.attendees) == (2, 95)
    assert education.total.distinct_settings == 2


def test_referrals_are_suppressed_by_the_one_function(report_data):
    figures = annual_figures(*YEAR)
    rows, sector = _breakdown(figures, "sector")
    assert rows["Education"].cell.display == "12"
    assert rows["Police"].cell.display == "fewer than 5"
    # Police alone would be recoverable from the total: the next smallest goes too.
    assert rows["Health"].cell.display == "withheld"
    assert sector.total.display == "21"
    assert sector.percent(rows["Education"]) == "57%"
    assert sector.percent(rows["Police"]) is None
    # Change on the previous period only where neither count is suppressed.
    assert rows["Education"].change == 6
    assert rows["Police"].change is None
    assert figures.referrals.total.value == 21


def test_age_band_sex_and_outcome_add_up_to_the_total(report_data):
    figures = annual_figures(*YEAR)
    for key in ("concern", "age", "sex", "outcome"):
        _rows, found = _breakdown(figures, key)
        assert sum(row.cell.value for row in found.rows) == found.total.value == 21
    ages, _ = _breakdown(figures, "age")
    assert ages["31 to 40"].cell.display == "6"


def test_headlines_show_the_change_where_the_previous_period_has_data(report_data):
    figures = annual_figures(*YEAR)
    headlines = {item.label: item for item in figures.headlines}
    assert headlines["Training sessions delivered"].previous == 1
    assert headlines["Training sessions delivered"].difference == 2
    assert headlines["Education outreach sessions"].previous is None
    assert headlines["Education outreach sessions"].display == "no data for the previous period"


def test_a_period_with_no_data_gives_zeros_not_an_error(reference_data):
    figures = annual_figures(date(2019, 1, 1), date(2019, 12, 31))
    assert not figures.has_data
    assert figures.training.total.sessions == 0
    assert figures.referrals.total.display == "0"


def test_an_end_before_the_start_is_refused():
    with pytest.raises(PeriodError):
        annual_figures(date(2026, 12, 31), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), (date(2025, 1, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), date(2027, 3, 31), (date(2025, 4, 1), date(2026, 3, 31))),
        (date(2026, 3, 10), date(2026, 3, 19), (date(2026, 2, 28), date(2026, 3, 9))),
    ],
)
def test_the_previous_period(start, end, expected):
    assert previous_period(start, end) == expected


def _count(start, end):
    with counted() as queries:
        annual_figures(start, end)
    return queries


def test_all_figures_together_take_the_same_queries_at_two_data_sizes(reference_data, persona):
    build_report_data(persona)
    small = _count(*YEAR)
    build_report_data(persona, scale=3)
    # docs/performance.md: every figure in 30 queries or fewer
    assert_same_queries(small, _count(*YEAR), at_most=30)


def test_the_preview_page_takes_the_same_queries_at_two_data_sizes(
    client_as, reference_data, persona
):
    from django.urls import reverse

    from tests.reporting.conftest import make_edition

    edition = make_edition()
    client = client_as("coordinator")
    url = reverse("reporting:annual-preview", args=[edition.pk])
    build_report_data(persona)
    small = page_queries(client, url)  # warmed first (partnership name, session)
    build_report_data(persona, scale=3)
    assert_same_queries(small, page_queries(client, url, warm=False))
