"""Figures for reporting pages, computed into plain data in a bounded number of queries.

The HTML (and, later, the PDF) render the same data.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connections
from django.db.models import Count, Sum
from django.utils import timezone

from community.models import Activity, Incident
from community.selectors import current_issued_summaries
from education.models import OutreachSession
from governance.models import BoardMeeting, Plan, RiskAssessment
from governance.selectors import (
    RAG_KEYS,
    RAG_LABELS,
    current_plan,
    current_risk_assessment,
    latest_meeting_before,
    overdue_actions,
    plan_progress_by_heading,
    risk_areas_with_coverage,
    updates_since,
)
from training.models import TrainingSession
from training.selectors import session_totals

# Fill colours of the stacked bar (GOV.UK Frontend 6 palette); the legend and the table
# carry the same information in words, so colour is never the only cue.
RAG_FILLS = {
    "red": "#ca3535",
    "amber": "#f47738",
    "green": "#0f7a52",
    "complete": "#1d70b8",
    "none": "#b1b4b6",
}


@dataclass(frozen=True)
class ActivityHeadlines:
    """The year's activity in a few numbers, for the board. Training, education and
    community counts are not about individuals, so they are not suppressed."""

    start: date
    end: date
    training_sessions: int
    training_attendees: int
    outreach_sessions: int
    outreach_attendees: int
    settings_reached: int
    summaries_issued: int
    incidents: int
    engagement_activities: int


def activity_headlines(today: date) -> ActivityHeadlines:
    """From 1 January of `today`'s year to `today`: the same totals as each app's report
    figures, counted alone (six aggregate queries). The full figures (evaluations,
    organisations reached, reach by district) took 17 queries and most of the board
    view's SQL time for numbers the board does not see."""
    start = today.replace(month=1, day=1)
    training = session_totals(TrainingSession.objects.filter(date__range=(start, today)))
    outreach = OutreachSession.objects.filter(date__range=(start, today)).order_by()
    education = outreach.aggregate(sessions=Count("id"), attendees=Sum("attendees"))
    settings_reached = _settings_reached(outreach)
    return ActivityHeadlines(
        start=start,
        end=today,
        training_sessions=training["sessions"],
        training_attendees=training["attendees"],
        outreach_sessions=education["sessions"],
        outreach_attendees=education["attendees"] or 0,
        settings_reached=settings_reached,
        summaries_issued=current_issued_summaries(start, today).count(),
        incidents=Incident.objects.filter(occurred_on__range=(start, today)).count(),
        engagement_activities=Activity.objects.filter(occurred_on__range=(start, today)).count(),
    )


def _settings_reached(outreach) -> int:
    """How many settings `outreach` (a queryset of sessions) reached, each once.

    On PostgreSQL, `= ANY(ARRAY(sessions))` probes the link table's index for each
    session: a year of national data is a few thousand sessions among 120,000 links,
    which the planner otherwise read whole for an `IN` (8 ms against 3)."""
    through = OutreachSession.settings.through
    links = through.objects.filter(outreachsession__in=outreach).order_by()
    connection = connections[links.db]
    if connection.vendor != "postgresql":
        return links.aggregate(n=Count("setting_id", distinct=True))["n"]
    sessions, params = outreach.values("id").query.get_compiler(links.db).as_sql()
    table = connection.ops.quote_name(through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(DISTINCT setting_id) FROM {table} "  # noqa: S608 (no input)
            f"WHERE outreachsession_id = ANY(ARRAY({sessions}))",
            params,
        )
        return cursor.fetchone()[0]


@dataclass
class BoardView:
    today: date
    plan: Plan | None
    progress: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    overdue: list = field(default_factory=list)
    last_meeting: BoardMeeting | None = None
    changes: list = field(default_factory=list)
    # How many there are in all: the page shows only the first few of each list.
    overdue_count: int = 0
    changes_count: int = 0
    assessment: RiskAssessment | None = None
    risk_areas: list = field(default_factory=list)
    uncovered: list = field(default_factory=list)
    legend: list = field(default_factory=list)
    activity: ActivityHeadlines | None = None


def _bar(row: dict) -> list[dict]:
    """The segments of one heading's stacked bar: x and width in percent of the bar."""
    segments, x = [], 0.0
    for segment in row["segments"]:
        if not segment["count"]:
            continue
        width = 100 * segment["count"] / row["total"]
        segments.append(
            {**segment, "x": f"{x:.2f}", "width": f"{width:.2f}", "fill": RAG_FILLS[segment["key"]]}
        )
        x += width
    return segments


def _first(queryset, limit: int | None) -> tuple[list, int]:
    """The first `limit` rows (all of them if None) and how many there are in all.

    Two queries: a count, and the rows that stop at `limit`. A window count in the rows'
    query made PostgreSQL join and sort every row to number them all (900 progress
    updates of the national data: 4.4 ms, against 1.3 ms for both)."""
    if limit is None:
        rows = list(queryset)
        return rows, len(rows)
    return list(queryset[:limit]), queryset.order_by().count()


def board_view(
    today: date | None = None,
    *,
    for_meeting: BoardMeeting | None = None,
    limit: int | None = None,
) -> BoardView:
    """What the board sees: progress of the current plan by heading, overdue actions,
    progress updates since the last board meeting, and the priority risk areas with the
    actions against them. Plan and risk figures are not about individuals, so they are
    not suppressed. A fixed number of queries whatever the size of the plan.

    With `for_meeting` (the board pack), the view is as at that meeting's date and "what
    changed" runs from the meeting before it up to that date. With `limit`, the overdue
    actions and the changes are the first `limit` of each, with their counts (the page
    links to the plan for the rest)."""
    today = for_meeting.held_on if for_meeting else (today or timezone.localdate())
    plan = current_plan(today)
    progress = plan_progress_by_heading(plan)
    for row in progress:
        row["bar"] = _bar(row)
        row["summary"] = ", ".join(
            f"{segment['count']} {segment['label'].lower()}" for segment in row["bar"]
        )
    totals = {key: sum(row["counts"][key] for row in progress) for key in RAG_KEYS}
    total = sum(totals.values())
    last_meeting = latest_meeting_before(today, strictly=for_meeting is not None)
    assessment = current_risk_assessment()
    areas = list(risk_areas_with_coverage(assessment, plan))
    overdue, overdue_count = _first(overdue_actions(plan, today), limit)
    changes, changes_count = _first(
        updates_since(plan, last_meeting.held_on if last_meeting else None, until=today), limit
    )
    return BoardView(
        today=today,
        plan=plan,
        progress=progress,
        totals={
            "counts": [totals[key] for key in RAG_KEYS],
            "total": total,
            "percent_complete": round(100 * totals["complete"] / total) if total else 0,
        },
        overdue=overdue,
        overdue_count=overdue_count,
        last_meeting=last_meeting,
        changes=changes,
        changes_count=changes_count,
        assessment=assessment,
        risk_areas=areas,
        uncovered=[area for area in areas if not area.action_count],
        legend=[{"key": key, "label": RAG_LABELS[key], "fill": RAG_FILLS[key]} for key in RAG_KEYS],
        activity=activity_headlines(today),
    )


# --------------------------------------------------------------------------------------
# Editions of the annual report
# --------------------------------------------------------------------------------------


def editions_visible_to(user):
    """Editions `user` may read: every edition for those who edit the report, approved
    editions only for the other readers of aggregate figures."""
    from prevent_portal.accounts.roles import Perm, has_perm
    from reporting.models import EditionStatus, ReportEdition

    editions = ReportEdition.objects.select_related("approved_by", "created_by")
    if has_perm(user, Perm.REPORT_MANAGE):
        return editions
    if has_perm(user, Perm.FIGURES_VIEW):
        return editions.filter(status=EditionStatus.APPROVED)
    return editions.none()


def approved_edition_for(start: date, end: date):
    from reporting.models import EditionStatus, ReportEdition

    return ReportEdition.objects.filter(
        status=EditionStatus.APPROVED, starts_on=start, ends_on=end
    ).first()


def runs_list():
    """Background runs of the PDF, newest first, without the PDF bytes."""
    from reporting.models import GeneratedReport

    return GeneratedReport.objects.select_related("edition", "requested_by").defer("pdf")


def run_looks_stale(run) -> bool:
    """Whether a running run's heartbeat stopped (read-only; reports_mark_stale records
    it)."""
    from reporting.models import GeneratedReport
    from reporting.services import STALE_AFTER

    return (
        run.status == GeneratedReport.Status.RUNNING
        and run.heartbeat_at is not None
        and run.heartbeat_at < timezone.now() - STALE_AFTER
    )


@dataclass(frozen=True)
class SectionState:
    """One narrative section of an edition as its writers see it."""

    name: str  # the edition's field
    slug: str  # in URLs
    title: str
    written: bool
    latest: object | None  # the newest SectionRevision (saved_by loaded), or None
    author: object | None = None  # the SectionAuthor (user loaded), or None

    @property
    def revision_number(self) -> int:
        return self.latest.number if self.latest else 0


def section_states(edition) -> list[SectionState]:
    """Every narrative section with its newest revision (who last changed it and when),
    in two queries whatever the length of the history."""
    from django.db.models import Max, Q

    from reporting.documents import REPORT_SECTIONS
    from reporting.models import SectionAuthor, SectionRevision

    newest = (
        SectionRevision.objects.filter(edition=edition)
        .values("section")
        .annotate(number=Max("number"))
        .order_by()
    )
    wanted = Q(pk__in=[])
    for row in newest:
        wanted |= Q(section=row["section"], number=row["number"])
    latest = {
        revision.section: revision
        for revision in SectionRevision.objects.filter(wanted, edition=edition).select_related(
            "saved_by"
        )
    }
    authors = {
        author.section: author
        for author in SectionAuthor.objects.filter(edition=edition).select_related("user")
    }
    return [
        SectionState(
            name, slug, title, bool(getattr(edition, name)), latest.get(name), authors.get(name)
        )
        for name, slug, title in REPORT_SECTIONS
    ]


def section_state(edition, slug: str) -> SectionState | None:
    return next((state for state in section_states(edition) if state.slug == slug), None)


@dataclass(frozen=True)
class HistoryEntry:
    revision: object  # SectionRevision
    rows: list  # reporting.diffs.DiffRow against the revision before


def section_history(edition, section: str) -> list[HistoryEntry]:
    """The section's revisions, newest first, each with its differences from the one
    before it; one query."""
    from reporting.diffs import side_by_side
    from reporting.models import SectionRevision

    revisions = list(
        SectionRevision.objects.filter(edition=edition, section=section)
        .select_related("saved_by")
        .order_by("number")
    )
    entries, before = [], ""
    for revision in revisions:
        entries.append(HistoryEntry(revision, side_by_side(before, revision.text)))
        before = revision.text
    return entries[::-1]


def _writes_all(user) -> bool:
    from prevent_portal.accounts.roles import Perm, has_perm

    return has_perm(user, Perm.REPORT_MANAGE)


def _writes_assigned(user) -> bool:
    from prevent_portal.accounts.roles import Perm, has_perm

    return has_perm(user, Perm.REPORT_WRITE)


def may_write_section(user, edition, section: str) -> bool:
    """Managers write every section; a section's author writes that section only, and
    only while the edition is a draft (approving it is the managers')."""
    from reporting.models import SectionAuthor

    if _writes_all(user):
        return True
    if not _writes_assigned(user) or edition.is_approved:
        return False
    return SectionAuthor.objects.filter(edition=edition, section=section, user=user).exists()


def may_write_in_edition(user, edition) -> bool:
    from reporting.models import SectionAuthor

    if _writes_all(user):
        return True
    if not _writes_assigned(user) or edition.is_approved:
        return False
    return SectionAuthor.objects.filter(edition=edition, user=user).exists()


def sections_assigned_to(user):
    """The sections `user` is the author of, in draft editions, newest edition first."""
    from reporting.models import EditionStatus, SectionAuthor

    return (
        SectionAuthor.objects.filter(user=user, edition__status=EditionStatus.DRAFT)
        .select_related("edition")
        .order_by("-edition__ends_on", "edition__pk", "section")
    )


def possible_authors():
    """Active users whose roles let them write: report_write (a section assigned to
    them) or report_manage (every section)."""
    from prevent_portal.accounts.models import User
    from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm

    roles = [
        role
        for role, granted in ROLE_PERMISSIONS.items()
        if Perm.REPORT_WRITE in granted or Perm.REPORT_MANAGE in granted
    ]
    return (
        User.objects.filter(is_active=True, roles__role__in=roles)
        .distinct()
        .prefetch_related("roles")
        .order_by("first_name", "last_name", "username")
    )
