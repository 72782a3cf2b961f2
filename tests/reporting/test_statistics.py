"""The Prevent statistics page: hand-built referrals with known answers, the Home
Office's definitions (discussed at panel includes adopted), suppression for the board,
the downloads, access and the query budget at two data sizes."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from prevent_portal.audit.models import AuditEvent
from referrals.choices import ReferralStatus
from referrals.models import ConcernType, ReferralEvent
from reporting.statistics import prevent_statistics
from tests.queries import assert_same_queries, page_queries
from tests.referrals.conftest import new_referral

FY = (date(2025, 4, 1), date(2026, 3, 31))
URL = "/statistics/?date_from=2025-04-01&date_to=2026-03-31"


def _step(referral, to_status, on):
    ReferralEvent.objects.create(
        referral=referral, from_status="x", to_status=to_status, occurred_on=on
    )


def build(*, scale: int = 1):
    """FY 2025/26, per `scale`:
    - 6 Education referrals, Islamist, male, 15 on the day (11 to 15), Dover: 3 discussed
      at panel (one of them twice), 2 of those adopted;
    - 4 Police referrals, Extreme Right-Wing, male, 35 (31 to 40), Thanet: 1 discussed and
      adopted;
    - 2 Health referrals, Other, female, approximate age 19 (18 to 20), no district.
    Outside the year: one received on 31 March 2025, one on 1 April 2026 (both discussed).
    """
    for n in range(scale):
        for i in range(6):
            referral = new_referral(
                given=f"Edu{n}x{i}",
                family="Inventedson",
                born=date(2010, 5, 1),
                received=date(2025, 6, 2),
                sector="Education",
                district="Dover",
            )
            if i < 3:
                _step(referral, ReferralStatus.PANEL, date(2025, 7, 1))
            if i == 0:
                _step(referral, ReferralStatus.PANEL, date(2025, 8, 1))
            if i < 2:
                _step(referral, ReferralStatus.ADOPTED, date(2025, 9, 1))
        for i in range(4):
            referral = new_referral(
                given=f"Pol{n}x{i}",
                family="Madeupley",
                born=date(1990, 1, 1),
                received=date(2025, 10, 6),
                sector="Police",
                district="Thanet",
                concern_name="Extreme Right-Wing",
            )
            if i == 0:
                _step(referral, ReferralStatus.PANEL, date(2025, 11, 1))
                _step(referral, ReferralStatus.ADOPTED, date(2026, 5, 1))
        for i in range(2):
            new_referral(
                given=f"Hea{n}x{i}",
                family="Fictional",
                born=None,
                approximate_age=19,
                received=date(2026, 3, 31),
                sector="Health",
                district=None,
                sex="Female",
                concern_name="Other",
            )
        for received in (date(2025, 3, 31), date(2026, 4, 1)):
            referral = new_referral(given=f"Out{n}", family="Sideton", received=received)
            _step(referral, ReferralStatus.PANEL, received)


def _recorded_as(referral, kind):
    referral.primary_concern = kind
    referral.save(update_fields=["primary_concern"])


def _rows(table):
    return {label: [cell.value for cell in cells] for label, cells, _total in table.rows}


def test_known_referrals_give_known_tables(reference_data):
    build()
    stats = prevent_statistics(*FY, exact=True)
    assert (stats.referrals.value, stats.discussed.value, stats.adopted.value) == (12, 4, 3)
    assert stats.scheme == "from_2024_25_revised"
    sector = _rows(stats.table("sector"))
    assert sector["Education"] == [6] and sector["Police"] == [4] and sector["Health"] == [2]
    assert sector["Prison"] == [0]
    assert stats.table("sector").column_totals[0].value == 12
    concern = _rows(stats.table("concern"))
    assert concern["Islamist"] == [6]
    assert concern["Extreme Right-Wing"] == [4]
    assert concern["Other"] == [2]
    age = _rows(stats.table("age"))
    assert age["11 to 15"] == [6] and age["31 to 40"] == [4] and age["18 to 20"] == [2]
    assert age["Not known"] == [0]
    gender = _rows(stats.table("gender"))
    assert gender["Male"] == [10] and gender["Female"] == [2]
    district = _rows(stats.table("district"))
    assert district["Dover"] == [6] and district["Thanet"] == [4]
    assert district["Not recorded"] == [2]


def test_discussed_at_panel_counts_adopted_cases_and_each_referral_once(reference_data):
    build()
    stats = prevent_statistics(*FY, exact=True)
    discussed = stats.table("discussed-age")
    row = dict(zip(discussed.columns, _rows(discussed)["Islamist"], strict=True))
    # Three Education referrals discussed (one twice): counted once each, adopted included.
    assert row["11 to 15"] == 3
    assert _rows(discussed)["Extreme Right-Wing"][discussed.columns.index("31 to 40")] == 1
    assert discussed.grand_total.value == 4
    adopted = stats.table("adopted-gender")
    assert _rows(adopted)["Islamist"][adopted.columns.index("Male")] == 2
    # Adopted after the year ended: the referral is of the year, so it counts.
    assert _rows(adopted)["Extreme Right-Wing"][adopted.columns.index("Male")] == 1
    assert adopted.grand_total.value == 3
    assert [total.value for total in adopted.column_totals] == [
        3 if column == "Male" else 0 for column in adopted.columns
    ]


def test_an_earlier_financial_year_uses_its_own_list_of_concerns(reference_data):
    kind = ConcernType.objects.get(scheme="2021_22_to_2023_24", name="Incel")
    _recorded_as(new_referral(received=date(2022, 5, 3), given="Early"), kind)
    stats = prevent_statistics(date(2022, 4, 1), date(2023, 3, 31), exact=True)
    assert stats.scheme == "2021_22_to_2023_24"
    assert _rows(stats.table("concern"))[kind.name] == [1]
    assert "School massacre" in _rows(stats.table("concern"))


def test_a_concern_recorded_under_another_list_is_shown_with_that_list(reference_data):
    kind = ConcernType.objects.get(scheme="2021_22_to_2023_24", name="Incel")
    _recorded_as(new_referral(received=date(2025, 5, 3), given="Late"), kind)
    stats = prevent_statistics(*FY, exact=True)
    assert _rows(stats.table("concern"))["Incel (list 2021/22 to 2023/24)"] == [1]


def test_the_board_gets_every_count_suppressed(reference_data):
    build()
    stats = prevent_statistics(*FY)
    assert stats.discussed.display == "fewer than 5"
    assert stats.referrals.display == "12"
    gender = {label: cells[0].display for label, cells, _t in stats.table("gender").rows}
    # Female 2 is fewer than 5; Male 10 is withheld, or 2 = 12 - 10.
    assert gender["Female"] == "fewer than 5" and gender["Male"] == "withheld"
    for table in stats.tables:
        for _label, cells, total in table.rows:
            for cell in [*cells, *([total] if total else [])]:
                assert cell.suppressed or not 1 <= cell.value <= 4


def test_an_empty_period_gives_zeros(reference_data):
    stats = prevent_statistics(date(2030, 4, 1), date(2031, 3, 31))
    assert stats.referrals.display == "0"
    assert all(cell.display == "0" for table in stats.tables for cell in table.column_totals)


# --------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------


def test_the_page_opens_on_this_financial_year_in_words(client_as, reference_data, monkeypatch):
    build()
    client = client_as("coordinator")
    monkeypatch.setattr("reporting.statistics_views.timezone.localdate", lambda: date(2026, 1, 15))
    page = client.get("/statistics/").content.decode()
    assert "The financial year 2025/26 (1 April 2025 to 31 March 2026)" in page
    assert "Table 9: Adopted as a Channel case, by type of concern and gender" in page
    assert "Cases adopted are counted among those discussed" in page
    assert "None" not in page and "(s)" not in page


def test_coordinators_see_exact_counts_and_can_see_the_board_view(client_as, reference_data):
    build()
    client = client_as("chair")
    assert "fewer than 5" not in client.get(URL).content.decode()
    board_like = client.get(URL + "&view=board").content.decode()
    assert "fewer than 5" in board_like and "withheld" in board_like


def test_board_members_see_suppressed_counts_only(client_as, reference_data):
    build()
    page = client_as("board").get(URL + "&view=exact").content.decode()
    assert "fewer than 5" in page
    assert "See the exact counts" not in page
    assert "Inventedson" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-04-01&date_to=2025-04-01", "must be the same as or after the start"),
        ("date_from=2026-02-31&date_to=2026-03-31", "Enter the date the period starts as a"),
        ("date_from=&date_to=2026-03-31", "Enter the date the period starts"),
    ],
)
def test_a_bad_period_shows_an_error_summary_and_no_tables(client_as, query, message):
    client = client_as("coordinator")
    before = AuditEvent.objects.count()
    response = client.get(f"/statistics/?{query}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "Table 1" not in page
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["channel", "education", "community", "support", "admin"])
def test_other_roles_get_a_403(client_as, role):
    client = client_as(role)
    assert client.get("/statistics/").status_code == 403
    assert client.get("/statistics/sector.csv").status_code == 403


def test_the_page_keeps_its_queries_at_two_data_sizes(client_as, reference_data):
    client = client_as("board")
    build()
    small = page_queries(client, URL)
    build(scale=4)
    assert_same_queries(small, page_queries(client, URL), at_most=20)


# --------------------------------------------------------------------------------------
# Downloads
# --------------------------------------------------------------------------------------


def test_a_board_download_carries_the_suppressed_values_and_is_audited(client_as, reference_data):
    build()
    response = client_as("board").get(
        "/statistics/gender.csv?date_from=2025-04-01&date_to=2026-03-31"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Gender", "Referrals"]
    table = {row[0]: row[1:] for row in rows[1:] if row}
    assert table["Female"] == ["fewer than 5"] and table["Male"] == ["withheld"]
    assert table["Total"] == ["12"]
    assert "Definition" in table
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).latest("pk")
    assert "Referrals by gender" in event.summary and "suppressed" in event.summary


def test_a_crosstab_downloads_as_xlsx_in_the_table_shape(client_as, reference_data):
    build()
    response = client_as("coordinator").get(
        "/statistics/adopted-gender.xlsx?date_from=2025-04-01&date_to=2026-03-31"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Type of concern" and values[0][-1] == "Total"
    islamist = next(row for row in values if row[0] == "Islamist")
    assert islamist[values[0].index("Male")] == "2" and islamist[-1] == "2"
    assert next(row for row in values if row[0] == "Total")[-1] == "3"
    assert AuditEvent.objects.filter(summary__contains="exact counts").exists()


def test_an_unknown_table_or_format_or_a_bad_period_is_a_404(client_as):
    client = client_as("coordinator")
    assert client.get("/statistics/nothing.csv").status_code == 404
    assert client.get("/statistics/sector.pdf").status_code == 404
    assert (
        client.get("/statistics/sector.csv?date_from=2026-01-01&date_to=2025-01-01").status_code
        == 404
    )


# --------------------------------------------------------------------------------------
# The board view's headline counts
# --------------------------------------------------------------------------------------


def test_the_board_view_shows_this_years_headline_counts_suppressed(
    client_as, reference_data, monkeypatch
):
    build()
    client = client_as("board")
    monkeypatch.setattr("reporting.views.timezone.localdate", lambda: date(2026, 1, 15))
    page = client.get("/board/").content.decode()
    section = page[page.index("Referrals and Channel in 2025/26") :]
    assert 'Referrals received</dt><dd class="govuk-summary-list__value">12' in section
    # 4 discussed and 3 adopted: fewer than 5, each.
    assert section.count("fewer than 5</dd>") == 2
    assert "Cases adopted are counted among those discussed" in section


def test_the_headline_counts_use_the_statistics_definitions(reference_data):
    from reporting.statistics import referral_headlines

    build()
    headlines = referral_headlines(date(2026, 1, 15))
    stats = prevent_statistics(headlines.start, headlines.end, exact=True)
    assert (headlines.referrals.value, headlines.discussed.value, headlines.adopted.value) == (
        stats.referrals.value,
        stats.discussed.value,
        stats.adopted.value,
    )


def test_support_officers_see_the_board_view_without_referral_counts(client_as, reference_data):
    build()
    page = client_as("support").get("/board/").content.decode()
    assert "Referrals and Channel in" not in page


def test_from_2024_25_fascination_with_extreme_violence_is_counted_apart(reference_data):
    fascination = ConcernType.objects.get(
        scheme="from_2024_25_revised",
        name="Fascination with extreme violence or mass casualty attacks (where no other ideology)",
    )
    merged = ConcernType.objects.get(scheme="from_2024_25", name__startswith="No identified")
    _recorded_as(new_referral(received=date(2025, 5, 3), given="Apart"), fascination)
    _recorded_as(new_referral(received=date(2025, 5, 4), given="Merged"), merged)
    concern = _rows(prevent_statistics(*FY, exact=True).table("concern"))
    assert concern[fascination.name] == [1]
    assert concern["No identified ideology"] == [0]
    # Recorded under the first version of the list: shown under it, with the list named.
    assert concern[f"{merged.name} (list From 2024/25 (first version))"] == [1]


def test_an_earlier_financial_year_uses_its_own_age_groups(reference_data):
    new_referral(received=date(2021, 6, 1), born=date(2007, 1, 1), given="Fourteen")
    new_referral(received=date(2021, 6, 1), born=date(2001, 1, 1), given="Twenty")
    new_referral(received=date(2021, 6, 1), born=date(1970, 6, 1), given="Fifty")
    stats = prevent_statistics(date(2021, 4, 1), date(2022, 3, 31), exact=True)
    age = _rows(stats.table("age"))
    assert list(age) == [
        "Under 15",
        "15 to 20",
        "21 to 30",
        "31 to 40",
        "41 to 50",
        "Over 50",
        "Not known",
    ]
    assert age["Under 15"] == [1] and age["15 to 20"] == [1] and age["41 to 50"] == [0]
    assert age["Over 50"] == [1]
    assert "10 or under" in _rows(prevent_statistics(*FY, exact=True).table("age"))
