"""Every non-trivial read of community records, with related rows fetched once.

Community records are not about individuals: anyone holding community.view sees them
all, so no per-user scoping is needed. Board members get only `community_figures`,
through reporting.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth

from community.choices import ActivityKind, Ideology, IncidentKind, SummaryStatus
from community.models import (
    Activity,
    Incident,
    LocalIssue,
    NotableItem,
    TensionLevel,
    TensionSummary,
    Theme,
)


@dataclass(frozen=True)
class LabelCount:
    label: str
    count: int


ITEMS = Prefetch(
    "items",
    queryset=NotableItem.objects.select_related("theme", "district", "platform", "passed_to"),
)


def latest_summaries():
    """The latest revision of each week's summary, newest week first."""
    return (
        TensionSummary.objects.filter(is_latest=True)
        .select_related("level")
        .prefetch_related("themes", "districts")
        .order_by("-week_commencing")
    )


def summary_with_items(pk: int) -> TensionSummary:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        TensionSummary.objects.select_related("level", "issued_by", "created_by").prefetch_related(
            "themes", "districts", "platforms", "distribution", ITEMS
        ),
        pk=pk,
    )


def summary_revisions(summary: TensionSummary) -> list[TensionSummary]:
    """Every revision of the summary's week, latest first (including the summary)."""
    return list(
        TensionSummary.objects.filter(week_commencing=summary.week_commencing).order_by("-revision")
    )


def latest_summary() -> TensionSummary | None:
    return latest_summaries().first()


def recent_incidents(limit: int = 5) -> list[Incident]:
    return list(incidents_list()[:limit])


def incidents_list():
    return Incident.objects.select_related("district", "reported_by").order_by(
        "-occurred_on", "-pk"
    )


def activities_list():
    return (
        Activity.objects.select_related("district")
        .prefetch_related("organisations")
        .order_by("-occurred_on", "-pk")
    )


def local_issues_list():
    return (
        LocalIssue.objects.select_related("district")
        .annotate(
            item_count=Count("tension_items", distinct=True),
            incident_count=Count("incidents", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        .order_by("status", "-starts_on", "pk")
    )


def local_issue_detail(pk: int) -> LocalIssue:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        LocalIssue.objects.select_related("district").prefetch_related(
            Prefetch(
                "tension_items",
                queryset=NotableItem.objects.select_related("summary", "theme", "district"),
            ),
            Prefetch("incidents", queryset=Incident.objects.select_related("district")),
            Prefetch("activities", queryset=Activity.objects.select_related("district")),
        ),
        pk=pk,
    )


# --------------------------------------------------------------------------------------
# Charts over a (filtered) set of summaries and of incidents
# --------------------------------------------------------------------------------------


def tension_over_time(summaries) -> list[tuple[date, int, str]]:
    """(week, level rank, level name) for each summary in the queryset, oldest first."""
    rows = summaries.order_by("week_commencing").values_list(
        "week_commencing", "level__rank", "level__name"
    )
    return list(rows)


def theme_counts(summaries) -> list[LabelCount]:
    """How many of the given summaries name each theme, most frequent first."""
    ids = summaries.order_by().values("pk")
    rows = (
        Theme.objects.filter(summaries__in=ids)
        .annotate(n=Count("summaries"))
        .order_by("-n", "sort_order", "name")
        .values_list("name", "n")
    )
    return [LabelCount(name, n) for name, n in rows]


def levels() -> list[TensionLevel]:
    return list(TensionLevel.objects.order_by("rank"))


@dataclass
class IncidentTrends:
    months: list[date]
    districts: list[str]
    # cells[district][month index] = count
    cells: dict[str, list[int]]
    month_totals: list[int]
    district_totals: dict[str, int]
    total: int
    by_kind: list[LabelCount]
    by_ideology: list[LabelCount]


def incident_trends(incidents) -> IncidentTrends:
    """Counts of the given incidents by month × district, by kind and by ideology
    (three aggregate queries, whatever the number of incidents)."""
    base = incidents.order_by()
    grid = (
        base.annotate(month=TruncMonth("occurred_on"))
        .values_list("month", "district__name")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple, int] = {}
    for month, district, n in grid:
        month = month.date() if hasattr(month, "date") else month
        counts[(month, district)] = n
    months = sorted({m for m, _ in counts})
    districts = sorted({d for _, d in counts})
    cells = {d: [counts.get((m, d), 0) for m in months] for d in districts}
    month_totals = [sum(cells[d][i] for d in districts) for i in range(len(months))]
    district_totals = {d: sum(cells[d]) for d in districts}
    kind_labels, ideology_labels = dict(IncidentKind.choices), dict(Ideology.choices)
    by_kind = [
        LabelCount(kind_labels.get(value, value), n)
        for value, n in base.values_list("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    ]
    by_ideology = [
        LabelCount(ideology_labels.get(value, value), n)
        for value, n in base.values_list("ideology")
        .annotate(n=Count("pk"))
        .order_by("-n", "ideology")
    ]
    return IncidentTrends(
        months=months,
        districts=districts,
        cells=cells,
        month_totals=month_totals,
        district_totals=district_totals,
        total=sum(month_totals),
        by_kind=by_kind,
        by_ideology=by_ideology,
    )


# --------------------------------------------------------------------------------------
# Figures for the annual report (reporting reads these; board members see only these)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunityFigures:
    start: date
    end: date
    summaries_issued: int
    top_themes: list[LabelCount] = field(default_factory=list)
    incidents_total: int = 0
    incidents_by_kind: list[LabelCount] = field(default_factory=list)
    incidents_by_district: list[LabelCount] = field(default_factory=list)
    activities_total: int = 0
    activities_by_type: list[LabelCount] = field(default_factory=list)
    local_issues_worked_on: int = 0
    # The period before's headline counts, when asked for: summaries issued, incidents
    # and activities.
    previous: "PreviousCommunity | None" = None


@dataclass(frozen=True)
class PreviousCommunity:
    summaries_issued: int
    incidents_total: int
    activities_total: int


def current_issued_summaries(start: date, end: date):
    """The issued summary of each week in [start, end]: corrections replace what they
    correct once issued, so each week counts once."""
    return TensionSummary.objects.filter(
        status=SummaryStatus.ISSUED,
        is_superseded=False,
        week_commencing__gte=start,
        week_commencing__lte=end,
    )


def community_figures(
    start: date, end: date, *, previous: tuple[date, date] | None = None
) -> CommunityFigures:
    """Community figures for the annual report, in six aggregate queries.

    Summaries: issued weeks commencing in the period (each week once). Themes: the five
    themes named by most of those summaries. Incidents and activities: dated in the
    period. Local issues: open at some time during the period.

    With `previous` (a period), the summaries, incidents and activities of that period
    are counted in the same queries (conditional aggregation), for the headlines.
    """
    summaries = current_issued_summaries(start, end)
    top_themes = (
        Theme.objects.filter(summaries__in=summaries.values("pk"))
        .annotate(n=Count("summaries"))
        .order_by("-n", "sort_order", "name")
        .values_list("name", "n")[:5]
    )

    def periods(field: str) -> tuple[Q, Q, Q | None]:
        """The filter on either period, and the current and previous periods'."""
        current = Q(**{f"{field}__gte": start, f"{field}__lte": end})
        if not previous:
            return current, current, None
        before = Q(**{f"{field}__range": previous})
        return current | before, current, before

    def per_kind(queryset, field: str) -> tuple[list[tuple[str, int]], int]:
        """(kind, count) of the period, most first, and the previous period's total."""
        either, current, before = periods(field)
        counts = {"n": Count("pk", filter=current)}
        if before is not None:
            counts["before"] = Count("pk", filter=before)
        rows = list(
            queryset.filter(either)
            .order_by()
            .values("kind")
            .annotate(**counts)
            .order_by("-n", "kind")
        )
        kinds = [(row["kind"], row["n"]) for row in rows if row["n"]]
        return kinds, sum(row.get("before", 0) for row in rows)

    incidents = Incident.objects.filter(occurred_on__gte=start, occurred_on__lte=end).order_by()
    kind_labels = dict(IncidentKind.choices)
    incident_kinds, incidents_before = per_kind(Incident.objects.all(), "occurred_on")
    by_kind = [LabelCount(kind_labels[value], n) for value, n in incident_kinds]
    by_district = [
        LabelCount(name, n)
        for name, n in incidents.values_list("district__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "district__name")
    ]
    activity_labels = dict(ActivityKind.choices)
    activity_kinds, activities_before = per_kind(Activity.objects.all(), "occurred_on")
    by_type = [LabelCount(activity_labels[value], n) for value, n in activity_kinds]
    issues = LocalIssue.objects.filter(
        Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    ).count()
    either, current, before = periods("week_commencing")
    counts = {"n": Count("pk", filter=current)}
    if before is not None:
        counts["before"] = Count("pk", filter=before)
    issued = TensionSummary.objects.filter(
        either, status=SummaryStatus.ISSUED, is_superseded=False
    ).aggregate(**counts)
    return CommunityFigures(
        start=start,
        end=end,
        summaries_issued=issued["n"],
        top_themes=[LabelCount(name, n) for name, n in top_themes],
        incidents_total=sum(item.count for item in by_kind),
        incidents_by_kind=by_kind,
        incidents_by_district=by_district,
        activities_total=sum(item.count for item in by_type),
        activities_by_type=by_type,
        local_issues_worked_on=issues,
        previous=PreviousCommunity(issued.get("before", 0), incidents_before, activities_before)
        if previous
        else None,
    )
