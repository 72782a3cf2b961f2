"""The figures of the annual report (docs/domain.md §6), computed from the data through each
app's selectors into plain data, in a fixed number of queries whatever the size of the
data. The HTML preview, the PDF and the exports all render this same data.

Referral and Channel counts are about people: every one of them goes through the one
suppression function (prevent_portal.ui.suppression) before it reaches a page, and no
record or identity ever leaves this module.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from community.selectors import CommunityFigures, community_figures
from education.selectors import EducationFigures, education_figures
from governance.models import District, Plan, RiskAssessment
from governance.selectors import (
    RAG_KEYS,
    RAG_LABELS,
    plan_progress_by_heading,
    risk_areas_with_coverage,
)
from prevent_portal.ui import words
from prevent_portal.ui.suppression import Cell, change, percentage, suppress_count, suppress_table
from referrals.ages import age_band, age_on
from referrals.choices import AgeBand, ReferralStatus
from referrals.models import ConcernType, Outcome, Referral, ReferralEvent, Sector, Sex
from training.models import Course
from training.selectors import TrainingFigures, training_figures

NOT_RECORDED = "Not recorded"


class PeriodError(ValueError):
    """A period that cannot be reported on (the end before the start)."""


def check_period(start: date, end: date) -> None:
    if end < start:
        raise PeriodError("The end of the period must be the same as or after the start")


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period before: the same whole months before, when the period is whole months
    (a calendar or financial year, a quarter); otherwise the same number of days."""
    previous_end = start - timedelta(days=1)
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    if whole_months:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return _shift_months(start, months), previous_end
    return previous_end - (end - start), previous_end


@dataclass(frozen=True)
class Change:
    """A headline figure with the previous period's, when that period has data."""

    label: str
    current: int
    previous: int | None  # None: nothing recorded in the previous period

    @property
    def difference(self) -> int | None:
        return None if self.previous is None else self.current - self.previous

    @property
    def display(self) -> str:
        if self.difference is None:
            return "no data for the previous period"
        if self.difference == 0:
            return f"the same as the previous period ({self.previous})"
        return f"{words.change(self.difference)} on the previous period ({self.previous})"


@dataclass(frozen=True)
class SuppressedRow:
    label: str
    cell: Cell
    change: int | None = None  # None when either period's count is suppressed or absent

    @property
    def change_display(self) -> str:
        return "" if self.change is None else words.change(self.change)


@dataclass(frozen=True)
class SuppressedBreakdown:
    """One breakdown of referrals (e.g. by sector) with its total, suppressed."""

    key: str
    title: str
    rows: list[SuppressedRow]
    total: Cell
    has_previous: bool

    def percent(self, row: SuppressedRow) -> str | None:
        return percentage(row.cell, self.total)


@dataclass(frozen=True)
class ReferralFigures:
    total: Cell
    previous_total: Cell | None
    breakdowns: list[SuppressedBreakdown]
    channel: list[SuppressedRow]

    @property
    def total_change(self) -> int | None:
        return None if self.previous_total is None else change(self.total, self.previous_total)


@dataclass
class AnnualFigures:
    start: date
    end: date
    previous_start: date
    previous_end: date
    districts: list[District]
    plan: Plan | None
    progress: list[dict]
    progress_totals: dict
    assessment: RiskAssessment | None
    risk_areas: list
    training: TrainingFigures
    education: EducationFigures
    community: CommunityFigures
    referrals: ReferralFigures
    offer: list[Course]
    headlines: list[Change] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        """Whether anything at all was recorded in the period."""
        return bool(
            self.training.total.sessions
            or self.education.total.sessions
            or self.community.summaries_issued
            or self.community.incidents_total
            or self.community.activities_total
            or self.referrals.total.value
        )


# --------------------------------------------------------------------------------------
# Referrals and Channel
# --------------------------------------------------------------------------------------


def _referral_rows(start: date, end: date) -> list[tuple]:
    """One tuple per referral received in the period: only the fields the counts need
    (the reference data ids and what the age at referral is computed from). One query."""
    return list(
        Referral.objects.filter(date_received__gte=start, date_received__lte=end)
        .order_by()
        .values_list(
            "sector_id",
            "primary_concern_id",
            "person__sex_id",
            "outcome_id",
            "date_received",
            "person__date_of_birth",
            "person__approximate_age",
            "person__approximate_age_on",
        )
    )


def _band(row) -> str:
    _s, _c, _x, _o, received, born, approximate, approximate_on = row
    return age_band(
        age_on(
            received,
            date_of_birth=born,
            approximate_age=approximate,
            approximate_age_on=approximate_on,
        )
    ).value


def _tally(rows, key) -> dict:
    counts: dict = {}
    for row in rows:
        value = key(row)
        counts[value] = counts.get(value, 0) + 1
    return counts


def _breakdown(key, title, categories, current, previous) -> SuppressedBreakdown:
    """categories: [(value, label)] in display order; current/previous: {value: count}.
    Values that are not among the categories (retired reference data with referrals in
    the period) are added; a retired category with nothing in either period is left out."""
    shown = [(value, label) for value, label, active in categories if active or current.get(value)]
    known = {value for value, _label in shown}
    labels = {value: label for value, label, _active in categories}
    for value in current:
        if value not in known:
            shown.append((value, labels.get(value, NOT_RECORDED)))
            known.add(value)
    table = suppress_table(
        [[current.get(value, 0)] for value, _ in shown], row_totals=False, column_totals=True
    )
    has_previous = previous is not None and sum(previous.values()) > 0
    before = None
    if has_previous:
        before = suppress_table(
            [[previous.get(value, 0)] for value, _ in shown], row_totals=False, column_totals=True
        )
    rows = [
        SuppressedRow(
            label,
            table.rows[index][0],
            change(table.rows[index][0], before.rows[index][0]) if before else None,
        )
        for index, (_value, label) in enumerate(shown)
    ]
    total = table.column_totals[0] if table.column_totals else Cell(0)
    return SuppressedBreakdown(key, title, rows, total, has_previous)


def _reference(model) -> list[tuple]:
    return [(row.pk, row.name, row.is_active) for row in model.objects.all()]


def referral_figures(
    start: date, end: date, previous: tuple[date, date] | None = None
) -> ReferralFigures:
    """Referrals received in the period by sector, type of concern (the primary one), age
    band at referral, sex and outcome, and the Channel steps taken in the period; every
    count suppressed. Seven queries, with or without the previous period."""
    if previous:
        # Both periods in one query, split here by the date received.
        either = _referral_rows(min(start, previous[0]), max(end, previous[1]))
        rows = [row for row in either if start <= row[4] <= end]
        before = [row for row in either if previous[0] <= row[4] <= previous[1]]
    else:
        rows, before = _referral_rows(start, end), []
    sectors, sexes, outcomes = _reference(Sector), _reference(Sex), _reference(Outcome)
    concern_ids = {row[1] for row in [*rows, *before]}
    concerns = [
        (kind.pk, kind.name, kind.pk in concern_ids)
        for kind in ConcernType.objects.filter(pk__in=concern_ids)
    ]
    bands = [(band.value, band.label, True) for band in AgeBand]
    dimensions = [
        ("sector", "Sector of referral", sectors, lambda r: r[0]),
        ("concern", "Type of concern", concerns, lambda r: r[1]),
        ("age", "Age at referral", bands, _band),
        ("sex", "Sex", sexes, lambda r: r[2]),
        ("outcome", "Outcome", outcomes, lambda r: r[3]),
    ]
    breakdowns = []
    for key, title, categories, keyfn in dimensions:
        if key == "outcome":
            categories = [*categories, (None, "Not yet decided", True)]
        breakdowns.append(
            _breakdown(
                key,
                title,
                categories,
                _tally(rows, keyfn),
                _tally(before, keyfn) if previous else None,
            )
        )
    total = suppress_count(len(rows))
    previous_total = suppress_count(len(before)) if before else None
    steps = (
        ReferralEvent.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
        .order_by()
        .aggregate(
            panel=Count("referral", filter=Q(to_status=ReferralStatus.PANEL), distinct=True),
            adopted=Count("referral", filter=Q(to_status=ReferralStatus.ADOPTED), distinct=True),
            exited=Count("referral", filter=Q(to_status=ReferralStatus.EXIT), distinct=True),
        )
    )
    channel = [
        SuppressedRow("Cases discussed at a Channel panel", suppress_count(steps["panel"] or 0)),
        SuppressedRow("Cases adopted as Channel cases", suppress_count(steps["adopted"] or 0)),
        SuppressedRow("Cases that exited Channel", suppress_count(steps["exited"] or 0)),
    ]
    return ReferralFigures(total, previous_total, breakdowns, channel)


# --------------------------------------------------------------------------------------
# The whole report
# --------------------------------------------------------------------------------------


def _plan_for(start: date, end: date) -> Plan | None:
    """The plan whose period overlaps most of the report's (the latest on a tie)."""
    plans = Plan.objects.filter(starts_on__lte=end, ends_on__gte=start)

    def overlap(plan):
        return (min(plan.ends_on, end) - max(plan.starts_on, start)).days, plan.ends_on

    return max(plans, key=overlap, default=None)


def _assessment_for(end: date) -> RiskAssessment | None:
    """The latest assessment of the report's last year or before; failing that, the
    earliest one. One query."""
    not_later = Q(year__lte=end.year)
    return RiskAssessment.objects.order_by(
        Case(When(not_later, then=Value(0)), default=Value(1)),
        Case(When(not_later, then=-F("year")), default=F("year"), output_field=IntegerField()),
    ).first()


def _previous_headlines(training, education, community) -> dict[str, int]:
    """The previous period's headline counts, which the sections' own queries counted
    alongside the period's (conditional aggregation)."""
    return {
        "training_sessions": training.previous.sessions,
        "training_attendees": training.previous.attendees,
        "education_sessions": education.previous.sessions,
        "education_attendees": education.previous.attendees,
        "summaries": community.previous.summaries_issued,
        "incidents": community.previous.incidents_total,
        "activities": community.previous.activities_total,
    }


def annual_figures(start: date, end: date) -> AnnualFigures:
    """Every figure of the annual report for start..end (inclusive), with the change on
    the previous period of the same length where that period has data. A fixed number of
    queries whatever the size of the data."""
    check_period(start, end)
    previous_start, previous_end = previous_period(start, end)
    plan = _plan_for(start, end)
    progress = plan_progress_by_heading(plan)
    totals = {key: sum(row["counts"][key] for row in progress) for key in RAG_KEYS}
    total = sum(totals.values())
    assessment = _assessment_for(end)
    # Reference lists read once for the whole report.
    offer = list(Course.objects.order_by("position"))
    all_districts = list(District.objects.select_related("peo_area").order_by("name"))
    previous = (previous_start, previous_end)
    training = training_figures(start, end, quotes=5, previous=previous, catalogue=offer)
    education = education_figures(start, end, previous=previous, districts=all_districts)
    community = community_figures(start, end, previous=previous)
    referrals = referral_figures(start, end, previous)
    before = _previous_headlines(training, education, community)

    def headline(label, current, key, activity):
        has_previous = before[activity] > 0
        return Change(label, current, before[key] if has_previous else None)

    headlines = [
        headline(
            "Training sessions delivered",
            training.total.sessions,
            "training_sessions",
            "training_sessions",
        ),
        headline(
            "People trained", training.total.attendees, "training_attendees", "training_sessions"
        ),
        headline(
            "Education outreach sessions",
            education.total.sessions,
            "education_sessions",
            "education_sessions",
        ),
        headline(
            "Education outreach attendees",
            education.total.attendees,
            "education_attendees",
            "education_sessions",
        ),
        headline(
            "Weekly tension summaries issued", community.summaries_issued, "summaries", "summaries"
        ),
        headline("Incidents logged", community.incidents_total, "incidents", "incidents"),
        headline(
            "Community engagement activities",
            community.activities_total,
            "activities",
            "activities",
        ),
    ]
    return AnnualFigures(
        start=start,
        end=end,
        previous_start=previous_start,
        previous_end=previous_end,
        districts=[district for district in all_districts if district.is_active],
        plan=plan,
        progress=progress,
        progress_totals={
            "counts": [totals[key] for key in RAG_KEYS],
            "total": total,
            "percent_complete": round(100 * totals["complete"] / total) if total else 0,
        },
        assessment=assessment,
        risk_areas=list(risk_areas_with_coverage(assessment, plan)),
        training=training,
        education=education,
        community=community,
        referrals=referrals,
        offer=offer,
        headlines=headlines,
    )


RAG_COLUMNS = [RAG_LABELS[key] for key in RAG_KEYS]
