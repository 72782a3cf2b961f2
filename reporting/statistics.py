"""Prevent statistics as the Home Office counts them (docs/statistics.md).

The Home Office's official statistics, "Individuals referred to and supported through the
Prevent Programme", count the referrals *received* in a financial year, and among them
those discussed at a Channel panel (adopted cases included) and those adopted as Channel
cases, by the categories of that year. This module computes the same tables from the
records, for any period, in a fixed number of queries whatever the size of the data.

Every table goes through the one suppression function (prevent_portal.ui.suppression)
unless the reader may see every case (`exact`): a cross-tabulation's cells and margins
together. Like the annual report, it counts all of the partnership's referrals, and no
record or identity leaves this module: only reference-data ids, two yes/no facts about
the journey and what the age at referral is computed from.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from governance.models import District
from prevent_portal.ui.periods import financial_year_start
from prevent_portal.ui.suppression import Cell, SuppressedTable, suppress_count, suppress_table
from referrals.ages import age_on
from referrals.choices import ConcernScheme, ReferralStatus
from referrals.models import AgeGroup, ConcernType, Referral, ReferralEvent, Sector, Sex
from referrals.reference import age_group_scheme_for, scheme_for

NOT_RECORDED = "Not recorded"


class PeriodError(ValueError):
    """A period that cannot be counted (the end before the start)."""


def financial_year(day: date) -> tuple[date, date]:
    """The financial year (1 April to 31 March) that `day` falls in."""
    start = financial_year_start(day)
    return start, date(start.year + 1, 3, 31)


def financial_year_label(start: date) -> str:
    """ "2025/26" for the year from 1 April 2025."""
    return f"{start.year}/{(start.year + 1) % 100:02d}"


# --------------------------------------------------------------------------------------
# Definitions, in words: shown under each table, exported with it, and in the docs.
# --------------------------------------------------------------------------------------

COUNTED = (
    "Referrals received in the period (by the date received), each counted once, whatever "
    "happened to it later."
)
DISCUSSED = (
    "Referrals received in the period that have been discussed at a Channel panel at least "
    "once, at any date up to today. Cases adopted are counted among those discussed, as the "
    "Home Office counts them."
)
ADOPTED = (
    "Referrals received in the period that have been adopted as a Channel case (the panel "
    "offered support and consent was given), at any date up to today."
)
HEADLINE_DEFINITIONS = [
    ("Referrals received", COUNTED),
    ("Discussed at a Channel panel", DISCUSSED),
    ("Adopted as a Channel case", ADOPTED),
]
DIMENSIONS = {
    "sector": (
        "Sector of referral",
        "The sector of the organisation that made the referral, from the Home Office's list.",
    ),
    "concern": (
        "Type of concern",
        "The primary type of concern recorded on the referral. The categories are the Home "
        "Office's list for the financial year the period starts in; a referral recorded "
        "under an earlier list is shown under its own category, with that list named.",
    ),
    "age": (
        "Age group",
        "The person's age on the date the referral was received: from the date of birth, "
        "or from the approximate age given plus the whole years since. Not known when "
        "neither was recorded. The age groups are the Home Office's for the financial year "
        "the period starts in (under 15 and 15 to 20 to 2021/22; 10 or under, 11 to 15, "
        "16 to 17 and 18 to 20 from 2022/23).",
    ),
    "gender": ("Gender", "The person's sex or gender as recorded on the person's record."),
    "district": (
        "District",
        "The district of the person's address as recorded on the person's record: the "
        "local stand-in for the Home Office's region. Not recorded when no district was "
        "given.",
    ),
}


@dataclass(frozen=True)
class Category:
    key: object
    label: str


@dataclass(frozen=True)
class StatisticsTable:
    """One table: rows by one category, one column or a second category, with totals."""

    key: str  # the URL slug of the table's download
    number: int
    title: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[Cell], Cell | None]]  # label, cells, row total
    column_totals: list[Cell]
    grand_total: Cell | None
    definition: str

    @property
    def is_crosstab(self) -> bool:
        return self.grand_total is not None

    def export_rows(self) -> list[list]:
        """The table as the Home Office lays it out: a row per category, a total row;
        the displayed values (suppressed labels where suppressed), never the counts
        behind them."""
        rows = []
        for label, cells, total in self.rows:
            rows.append([label, *[cell.display for cell in cells], *_also(total)])
        rows.append(
            ["Total", *[cell.display for cell in self.column_totals], *_also(self.grand_total)]
        )
        return rows

    @property
    def export_header(self) -> list[str]:
        return [self.row_heading, *self.columns, *(["Total"] if self.is_crosstab else [])]


def _also(cell: Cell | None) -> list[str]:
    return [] if cell is None else [cell.display]


@dataclass(frozen=True)
class PreventStatistics:
    start: date
    end: date
    scheme: str
    exact: bool  # True: the counts as they are, for readers who may see every case
    referrals: Cell
    discussed: Cell
    adopted: Cell
    tables: list[StatisticsTable]

    @property
    def definitions(self) -> list[tuple[str, str]]:
        return HEADLINE_DEFINITIONS

    @property
    def scheme_label(self) -> str:
        return ConcernScheme(self.scheme).label

    def table(self, key: str) -> StatisticsTable | None:
        return next((table for table in self.tables if table.key == key), None)


# --------------------------------------------------------------------------------------
# The counts
# --------------------------------------------------------------------------------------

# Positions in a referral's row.
_SECTOR, _CONCERN, _SEX, _DISTRICT, _RECEIVED, _BORN, _APPROX, _APPROX_ON, _PANEL, _ADOPTED = range(
    10
)


def _rows(start: date, end: date) -> list[tuple]:
    """One tuple per referral received in the period: reference-data ids, what the age is
    worked out from, and whether it was ever discussed at panel or adopted. One query."""
    steps = ReferralEvent.objects.filter(referral=OuterRef("pk"))
    return list(
        Referral.objects.filter(date_received__gte=start, date_received__lte=end)
        .order_by()
        .annotate(
            panel=Exists(steps.filter(to_status=ReferralStatus.PANEL)),
            adopted=Exists(steps.filter(to_status=ReferralStatus.ADOPTED)),
        )
        .values_list(
            "sector_id",
            "primary_concern_id",
            "person__sex_id",
            "person__district_id",
            "date_received",
            "person__date_of_birth",
            "person__approximate_age",
            "person__approximate_age_on",
            "panel",
            "adopted",
        )
    )


def _age_key(groups: list[AgeGroup]):
    """The function that gives a referral's row its age group's id (None: not known)."""

    def key(row):
        age = age_on(
            row[_RECEIVED],
            date_of_birth=row[_BORN],
            approximate_age=row[_APPROX],
            approximate_age_on=row[_APPROX_ON],
        )
        if age is None or age < 0:
            return None
        return next((group.pk for group in groups if group.holds(age)), None)

    return key


def _categories(reference, used: set) -> list[Category]:
    """The categories in use, and any retired one that has referrals in the period; a
    value with no category (None) last, as "Not recorded"."""
    shown = [Category(pk, name) for pk, name, active in reference if active or pk in used]
    if None in used:
        shown.append(Category(None, NOT_RECORDED))
    return shown


def _concern_categories(scheme: str, concerns: list[ConcernType], used: set) -> list[Category]:
    """The chosen year's list in full, then what was recorded under another list."""
    shown = [
        Category(kind.pk, kind.name)
        for kind in concerns
        if kind.scheme == scheme and (kind.is_active or kind.pk in used)
    ]
    for kind in concerns:
        if kind.scheme != scheme and kind.pk in used:
            shown.append(Category(kind.pk, f"{kind.name} (list {kind.get_scheme_display()})"))
    return shown


def _table(counts: list[list[int]], *, exact: bool, crosstab: bool):
    if exact:
        return _exact_table(counts, crosstab=crosstab)
    return suppress_table(counts, row_totals=crosstab, column_totals=True)


def _exact_table(counts, *, crosstab: bool):
    width = len(counts[0]) if counts else 0
    columns = [Cell(sum(row[c] for row in counts)) for c in range(width)]
    return SuppressedTable(
        rows=[[Cell(value) for value in row] for row in counts],
        row_totals=[Cell(sum(row)) for row in counts] if crosstab else None,
        column_totals=columns,
        grand_total=Cell(sum(sum(row) for row in counts)) if crosstab else None,
    )


def _one_way(key, number, title, dimension, categories, keyfn, rows, *, exact) -> StatisticsTable:
    heading, definition = DIMENSIONS[dimension]
    tally: dict = {}
    for row in rows:
        tally[keyfn(row)] = tally.get(keyfn(row), 0) + 1
    counts = [[tally.get(category.key, 0)] for category in categories]
    table = _table(counts, exact=exact, crosstab=False) if counts else None
    return StatisticsTable(
        key=key,
        number=number,
        title=title,
        row_heading=heading,
        columns=["Referrals"],
        rows=[(category.label, table.rows[i], None) for i, category in enumerate(categories)]
        if table
        else [],
        column_totals=table.column_totals if table else [Cell(0)],
        grand_total=None,
        definition=f"{COUNTED} {definition}",
    )


def _crosstab(
    key,
    number,
    title,
    counted,
    row_categories,
    row_key,
    dimension,
    columns,
    column_key,
    rows,
    *,
    exact,
) -> StatisticsTable:
    """`counted` is "discussed" or "adopted": which referrals the cells count."""
    tally: dict = {}
    for row in rows:
        pair = (row_key(row), column_key(row))
        tally[pair] = tally.get(pair, 0) + 1
    counts = [
        [tally.get((category.key, column.key), 0) for column in columns]
        for category in row_categories
    ]
    _heading, column_definition = DIMENSIONS[dimension]
    table = _table(counts, exact=exact, crosstab=True) if counts else None
    return StatisticsTable(
        key=key,
        number=number,
        title=title,
        row_heading=DIMENSIONS["concern"][0],
        columns=[column.label for column in columns],
        rows=[
            (category.label, table.rows[i], table.row_totals[i])
            for i, category in enumerate(row_categories)
        ]
        if table
        else [],
        column_totals=table.column_totals if table else [Cell(0) for _ in columns],
        grand_total=table.grand_total if table else Cell(0),
        definition=(
            f"{DISCUSSED if counted == 'discussed' else ADOPTED} "
            f"{DIMENSIONS['concern'][1]} {column_definition}"
        ),
    )


def prevent_statistics(start: date, end: date, *, exact: bool = False) -> PreventStatistics:
    """Every table of the Prevent statistics page for start..end (inclusive). Seven queries
    whatever the size of the data. `exact` only for readers who may see every case."""
    if end < start:
        raise PeriodError("The end of the period must be the same as or after the start")
    rows = _rows(start, end)
    # The Home Office's list for the financial year the period starts in.
    scheme = scheme_for(start)
    used_concerns = {row[_CONCERN] for row in rows}
    concerns = list(
        ConcernType.objects.filter(scheme=scheme) | ConcernType.objects.filter(pk__in=used_concerns)
    )
    sectors = _categories(
        Sector.objects.values_list("pk", "name", "is_active"), {row[_SECTOR] for row in rows}
    )
    sexes = _categories(
        Sex.objects.values_list("pk", "name", "is_active"), {row[_SEX] for row in rows}
    )
    districts = _categories(
        District.objects.order_by("name").values_list("pk", "name", "is_active"),
        {row[_DISTRICT] for row in rows},
    )
    concern_categories = _concern_categories(scheme, concerns, used_concerns)
    # The Home Office's age groups of the financial year the period starts in.
    groups = list(AgeGroup.objects.filter(scheme=age_group_scheme_for(start)))
    ages = [Category(group.pk, group.label) for group in groups] + [Category(None, "Not known")]
    _age = _age_key(groups)
    discussed = [row for row in rows if row[_PANEL] or row[_ADOPTED]]
    adopted = [row for row in rows if row[_ADOPTED]]

    def concern(row):
        return row[_CONCERN]

    def sex(row):
        return row[_SEX]

    # The three headline counts are nested, not parts of a whole: each on its own.
    headline = [
        [Cell(n) if exact else suppress_count(n)] for n in (len(rows), len(discussed), len(adopted))
    ]
    tables = [
        _one_way(
            "sector",
            1,
            "Referrals by sector of referral",
            "sector",
            sectors,
            lambda r: r[_SECTOR],
            rows,
            exact=exact,
        ),
        _one_way(
            "concern",
            2,
            "Referrals by type of concern",
            "concern",
            concern_categories,
            concern,
            rows,
            exact=exact,
        ),
        _one_way("age", 3, "Referrals by age group", "age", ages, _age, rows, exact=exact),
        _one_way("gender", 4, "Referrals by gender", "gender", sexes, sex, rows, exact=exact),
        _one_way(
            "district",
            5,
            "Referrals by district",
            "district",
            districts,
            lambda r: r[_DISTRICT],
            rows,
            exact=exact,
        ),
        _crosstab(
            "discussed-age",
            6,
            "Discussed at a Channel panel, by type of concern and age group",
            "discussed",
            concern_categories,
            concern,
            "age",
            ages,
            _age,
            discussed,
            exact=exact,
        ),
        _crosstab(
            "discussed-gender",
            7,
            "Discussed at a Channel panel, by type of concern and gender",
            "discussed",
            concern_categories,
            concern,
            "gender",
            sexes,
            sex,
            discussed,
            exact=exact,
        ),
        _crosstab(
            "adopted-age",
            8,
            "Adopted as a Channel case, by type of concern and age group",
            "adopted",
            concern_categories,
            concern,
            "age",
            ages,
            _age,
            adopted,
            exact=exact,
        ),
        _crosstab(
            "adopted-gender",
            9,
            "Adopted as a Channel case, by type of concern and gender",
            "adopted",
            concern_categories,
            concern,
            "gender",
            sexes,
            sex,
            adopted,
            exact=exact,
        ),
    ]
    return PreventStatistics(
        start=start,
        end=end,
        scheme=scheme,
        exact=exact,
        referrals=headline[0][0],
        discussed=headline[1][0],
        adopted=headline[2][0],
        tables=tables,
    )


TABLE_KEYS = (
    "sector",
    "concern",
    "age",
    "gender",
    "district",
    "discussed-age",
    "discussed-gender",
    "adopted-age",
    "adopted-gender",
)


def previous_financial_years(today: date, count: int = 4) -> list[tuple[date, date, str]]:
    """This financial year and the `count - 1` before it: (start, end, "2025/26")."""
    start, _end = financial_year(today)
    years = []
    for _ in range(count):
        years.append((start, date(start.year + 1, 3, 31), financial_year_label(start)))
        start = financial_year(start - timedelta(days=1))[0]
    return years


@dataclass(frozen=True)
class ReferralHeadlines:
    """The three headline counts of the statistics page, suppressed, for the board."""

    start: date
    end: date
    referrals: Cell
    discussed: Cell
    adopted: Cell

    @property
    def label(self) -> str:
        return financial_year_label(self.start)

    @property
    def definitions(self) -> list[tuple[str, str]]:
        return HEADLINE_DEFINITIONS


def referral_headlines(today: date) -> ReferralHeadlines:
    """This financial year's referrals received, discussed at panel and adopted, with the
    statistics page's definitions, each count suppressed on its own. One query."""
    start, end = financial_year(today)
    steps = ReferralEvent.objects.filter(referral=OuterRef("pk"))
    counts = (
        Referral.objects.filter(date_received__gte=start, date_received__lte=end)
        .order_by()
        .annotate(
            was_discussed=Exists(
                steps.filter(to_status__in=[ReferralStatus.PANEL, ReferralStatus.ADOPTED])
            ),
            was_adopted=Exists(steps.filter(to_status=ReferralStatus.ADOPTED)),
        )
        .aggregate(
            referrals=Count("pk"),
            discussed=Count("pk", filter=Q(was_discussed=True)),
            adopted=Count("pk", filter=Q(was_adopted=True)),
        )
    )
    return ReferralHeadlines(
        start=start,
        end=end,
        referrals=suppress_count(counts["referrals"]),
        discussed=suppress_count(counts["discussed"]),
        adopted=suppress_count(counts["adopted"]),
    )
