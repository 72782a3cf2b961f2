"""Reads of education data, and the figures of the annual report's education section.

Every education page is open to all holders of education.view alike (the two PEOs work
across both areas when needed), so there is no per-user scoping of rows here. Education
counts are not about individuals and are not suppressed (docs/security.md §15).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404

from education.models import AudienceCategory, Enquiry, Newsletter, OutreachSession, Setting
from governance.models import District
from prevent_portal.accounts.models import User
from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm


def settings_register():
    return Setting.objects.select_related("district__peo_area").order_by("name", "urn")


def setting_detail(pk: int) -> Setting:
    return get_object_or_404(
        Setting.objects.select_related("district__peo_area").prefetch_related(
            Prefetch(
                "outreach_sessions",
                queryset=OutreachSession.objects.select_related("audience", "peo").order_by(
                    "-date", "-id"
                ),
            ),
            Prefetch(
                "enquiries",
                queryset=Enquiry.objects.select_related("handled_by").order_by("-date", "-id"),
            ),
        ),
        pk=pk,
    )


def sessions_list():
    return (
        OutreachSession.objects.select_related("audience", "peo")
        .prefetch_related(
            Prefetch(
                "settings", queryset=Setting.objects.select_related("district").order_by("name")
            )
        )
        .order_by("-date", "-id")
    )


def session_detail(pk: int) -> OutreachSession:
    return get_object_or_404(sessions_list(), pk=pk)


def enquiries_list():
    return Enquiry.objects.select_related("setting", "handled_by").order_by(
        "status", "-date", "-id"
    )


def newsletters_list():
    return Newsletter.objects.order_by("-issue_date")


def setting_phases() -> list[str]:
    return list(
        Setting.objects.exclude(phase="")
        .values_list("phase", flat=True)
        .distinct()
        .order_by("phase")
    )


def education_officers():
    """Users who may record outreach: the PEOs, the coordinator and the chair."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.EDUCATION_MANAGE in perms]
    return User.objects.filter(is_active=True, roles__role__in=roles).distinct()


# --------------------------------------------------------------------------------------
# Figures for the annual report (docs/domain.md §3 and §6)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AudienceRow:
    audience: str
    sessions: int
    settings: int  # distinct settings attended by sessions of this audience
    attendees: int


@dataclass(frozen=True)
class TotalRow:
    sessions: int
    settings: int  # the sum of the rows' settings, as the reference report adds them up
    attendees: int
    distinct_settings: int  # settings reached by any session, each counted once


@dataclass(frozen=True)
class SessionTotals:
    sessions: int
    attendees: int


@dataclass(frozen=True)
class ReachRow:
    name: str
    open_settings: int
    reached: int

    @property
    def percent(self) -> int | None:
        if not self.open_settings:
            return None
        return round(100 * self.reached / self.open_settings)


@dataclass(frozen=True)
class EducationFigures:
    start: date
    end: date
    rows: list[AudienceRow]
    total: TotalRow
    by_district: list[ReachRow] = field(default_factory=list)
    by_peo_area: list[ReachRow] = field(default_factory=list)
    register_total: ReachRow | None = None
    # Sessions and attendees of the period before, when asked for (the report's headlines).
    previous: SessionTotals | None = None


NO_DISTRICT = "No district recorded"


def education_figures(
    start: date,
    end: date,
    *,
    previous: tuple[date, date] | None = None,
    districts: list[District] | None = None,
) -> EducationFigures:
    """Outreach by audience category between `start` and `end` (inclusive), and the
    share of the open settings of the register reached, by district and by PEO area.

    Six queries whatever the size of the data; five when the caller has read the
    districts (with their PEO areas, by name) already. With `previous` (a period), the
    per-audience query also counts that period's sessions and attendees (conditional
    aggregation), for the report's headlines.
    """
    in_range = Q(date__gte=start, date__lte=end)
    aggregates = {
        "sessions": Count("id", filter=in_range),
        "people": Sum("attendees", filter=in_range),
    }
    in_either = in_range
    if previous:
        before = Q(date__range=previous)
        in_either = in_range | before
        aggregates |= {
            "before": Count("id", filter=before),
            "before_people": Sum("attendees", filter=before),
        }
    categories = list(AudienceCategory.objects.order_by("position"))  # 1
    audiences = list(
        OutreachSession.objects.filter(in_either)  # 2
        .values("audience_id")
        .annotate(**aggregates)
        .order_by()
    )
    per_audience = {row["audience_id"]: row for row in audiences if row["sessions"]}
    through = OutreachSession.settings.through
    links = through.objects.filter(outreachsession__date__gte=start, outreachsession__date__lte=end)
    settings_per_audience = {
        row["outreachsession__audience_id"]: row["count"]
        for row in links.values("outreachsession__audience_id")  # 3
        .annotate(count=Count("setting_id", distinct=True))
        .order_by()
    }
    distinct_settings = links.aggregate(count=Count("setting_id", distinct=True))["count"]  # 4

    rows = []
    for category in categories:
        counts = per_audience.get(category.pk, {})
        if not category.is_active and not counts:
            continue  # a retired category with nothing in the period
        rows.append(
            AudienceRow(
                audience=category.name,
                sessions=counts.get("sessions", 0),
                settings=settings_per_audience.get(category.pk, 0),
                attendees=counts.get("people") or 0,
            )
        )
    total = TotalRow(
        sessions=sum(row.sessions for row in rows),
        settings=sum(row.settings for row in rows),
        attendees=sum(row.attendees for row in rows),
        distinct_settings=distinct_settings,
    )

    # One uncorrelated subquery, hashed once by PostgreSQL; a correlated EXISTS probed the
    # links once per open setting (docs/performance.md, item 1).
    reached = Q(pk__in=links.values("setting_id"))
    reach = {
        row["district_id"]: row
        for row in Setting.objects.filter(is_open=True)  # 5
        .values("district_id")
        .annotate(open_settings=Count("id"), reached=Count("id", filter=reached))
        .order_by()
    }
    by_district, by_area = [], {}
    if districts is None:
        districts = list(District.objects.select_related("peo_area").order_by("name"))  # 6
    for district in districts:
        row = reach.get(district.pk, {"open_settings": 0, "reached": 0})
        if not district.is_active and not row["open_settings"]:
            continue
        by_district.append(ReachRow(district.name, row["open_settings"], row["reached"]))
        area = district.peo_area.name
        so_far = by_area.get(area, ReachRow(area, 0, 0))
        by_area[area] = ReachRow(
            area, so_far.open_settings + row["open_settings"], so_far.reached + row["reached"]
        )
    by_peo_area = sorted(by_area.values(), key=lambda r: r.name)
    if None in reach:
        unplaced = ReachRow(NO_DISTRICT, reach[None]["open_settings"], reach[None]["reached"])
        by_district.append(unplaced)
        by_peo_area.append(unplaced)
    register_total = ReachRow(
        "All districts",
        sum(r.open_settings for r in by_district),
        sum(r.reached for r in by_district),
    )
    return EducationFigures(
        start=start,
        end=end,
        rows=rows,
        total=total,
        by_district=by_district,
        by_peo_area=by_peo_area,
        register_total=register_total,
        previous=SessionTotals(
            sessions=sum(row["before"] for row in audiences),
            attendees=sum(row["before_people"] or 0 for row in audiences),
        )
        if previous
        else None,
    )


def districts_for_filters():
    return District.objects.select_related("peo_area").order_by("name")
