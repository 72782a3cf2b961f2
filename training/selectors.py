"""Every non-trivial read of training data, with related rows fetched once."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from governance.models import Partner
from prevent_portal.accounts.models import User
from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm
from training.choices import BESPOKE_LABEL, MET_OR_EXCEEDED, VERY_OR_EXTREMELY
from training.models import Booking, Course, Evaluation, TrainingSession


def catalogue():
    return Course.objects.all()


def sessions_for_list():
    """Sessions with what the list and the exports show, in a fixed number of queries."""
    return TrainingSession.objects.select_related("course", "district").prefetch_related(
        Prefetch("audiences", queryset=Partner.objects.only("id", "name").order_by("name")),
        Prefetch("trainers", queryset=User.objects.order_by("first_name", "last_name")),
    )


def sessions_for_list_page():
    """What a row of the session list shows, and nothing more: no trainers (the exports
    name them, the list does not), only the columns of the rows."""
    return (
        TrainingSession.objects.select_related("course", "district")
        .only(
            "reference",
            "date",
            "course__title",
            "bespoke_title",
            "format",
            "district__name",
            "attendees",
        )
        .prefetch_related(
            Prefetch("audiences", queryset=Partner.objects.only("id", "name").order_by("name"))
        )
    )


def session_totals(sessions) -> dict:
    """Sessions and attendees over the whole (filtered) set, not only one page."""
    totals = sessions.order_by().aggregate(sessions=Count("id"), attendees=Sum("attendees"))
    return {"sessions": totals["sessions"], "attendees": totals["attendees"] or 0}


def session_with_evaluations(pk: int) -> TrainingSession:
    return (
        sessions_for_list()
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.order_by("id")))
        .get(pk=pk)
    )


def trainer_choices():
    """Staff who may deliver training: holders of training.manage."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.TRAINING_MANAGE in perms]
    return User.objects.filter(is_active=True, roles__role__in=roles).distinct()


# --------------------------------------------------------------------------------------
# Evaluation summaries
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationFigures:
    n: int
    met_or_exceeded: int
    very_or_extremely: int

    @property
    def met_or_exceeded_percent(self) -> float | None:
        return round(100 * self.met_or_exceeded / self.n, 1) if self.n else None

    @property
    def very_or_extremely_percent(self) -> float | None:
        return round(100 * self.very_or_extremely / self.n, 1) if self.n else None


_EVALUATION_AGGREGATES = {
    "n": Count("id"),
    "met_or_exceeded": Count("id", filter=Q(met_expectations__in=MET_OR_EXCEEDED)),
    "very_or_extremely": Count("id", filter=Q(value_to_role__in=VERY_OR_EXTREMELY)),
}


def _figures(row: dict) -> EvaluationFigures:
    return EvaluationFigures(
        n=row.get("n") or 0,
        met_or_exceeded=row.get("met_or_exceeded") or 0,
        very_or_extremely=row.get("very_or_extremely") or 0,
    )


@dataclass(frozen=True)
class CourseEvaluation:
    title: str
    figures: EvaluationFigures


def evaluation_summary(evaluations=None) -> tuple[list[CourseEvaluation], EvaluationFigures]:
    """Per catalogue course (catalogue order, then bespoke inputs) and overall. Three
    queries whatever the number of evaluations."""
    evaluations = Evaluation.objects.all() if evaluations is None else evaluations
    per_course = {
        row["session__course"]: _figures(row)
        for row in evaluations.order_by()
        .values("session__course")
        .annotate(**_EVALUATION_AGGREGATES)
    }
    rows = [
        CourseEvaluation(course.title, per_course.get(course.pk, EvaluationFigures(0, 0, 0)))
        for course in Course.objects.all()
    ]
    rows.append(CourseEvaluation(BESPOKE_LABEL, per_course.get(None, EvaluationFigures(0, 0, 0))))
    overall = _figures(evaluations.order_by().aggregate(**_EVALUATION_AGGREGATES))
    return rows, overall


# --------------------------------------------------------------------------------------
# Figures for the annual report
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseRow:
    title: str
    sessions: int
    attendees: int


@dataclass(frozen=True)
class OrganisationReached:
    name: str
    sector: str  # the sector's label, e.g. "Police"


@dataclass(frozen=True)
class Quote:
    comment: str
    course: str
    date: date


@dataclass(frozen=True)
class TrainingFigures:
    start: date
    end: date
    courses: list[CourseRow]  # catalogue order, courses with no sessions included
    bespoke: CourseRow  # "Other bespoke input"
    total: CourseRow
    organisations: list[OrganisationReached]
    evaluations: EvaluationFigures
    quotes: list[Quote]
    # Sessions and attendees of the period before, when asked for (the report's headlines).
    previous: CourseRow | None = None

    @property
    def rows(self) -> list[CourseRow]:
        """The table of the annual report: courses, bespoke inputs, then the total."""
        return [*self.courses, self.bespoke, self.total]


def training_figures(
    start: date,
    end: date,
    *,
    quotes: int = 5,
    previous: tuple[date, date] | None = None,
    catalogue: list[Course] | None = None,
) -> TrainingFigures:
    """The training section of the annual report for sessions dated start..end
    (inclusive). Five queries whatever the size of the data; four when the caller has
    read the catalogue (courses in position order) already.

    With `previous` (a period), the same per-course query also counts that period's
    sessions and attendees (conditional aggregation), for the report's headlines."""
    current = Q(date__range=(start, end))
    in_either = (current | Q(date__range=previous)) if previous else current
    aggregates = {
        "sessions": Count("id", filter=current),
        "people": Sum("attendees", filter=current),
    }
    if previous:
        before = Q(date__range=previous)
        aggregates |= {
            "before": Count("id", filter=before),
            "before_people": Sum("attendees", filter=before),
        }
    per_course = list(
        TrainingSession.objects.filter(in_either).order_by().values("course").annotate(**aggregates)
    )
    counts = {
        row["course"]: (row["sessions"], row["people"] or 0)
        for row in per_course
        if row["sessions"]
    }
    if catalogue is None:
        catalogue = list(Course.objects.order_by("position"))
    courses = [CourseRow(course.title, *counts.get(course.pk, (0, 0))) for course in catalogue]
    bespoke = CourseRow(BESPOKE_LABEL, *counts.get(None, (0, 0)))
    total = CourseRow(
        "Total",
        sum(row.sessions for row in [*courses, bespoke]),
        sum(row.attendees for row in [*courses, bespoke]),
    )
    organisations = [
        OrganisationReached(partner.name, partner.get_sector_display())
        for partner in Partner.objects.filter(training_sessions__date__range=(start, end))
        .distinct()
        .order_by("name")
    ]
    evaluations = Evaluation.objects.filter(session__date__range=(start, end))
    figures = _figures(evaluations.order_by().aggregate(**_EVALUATION_AGGREGATES))
    quoted = [
        Quote(e.comment, e.session.title, e.session.date)
        for e in evaluations.filter(quotable=True)
        .exclude(comment="")
        .select_related("session__course")
        .order_by("-session__date", "id")[:quotes]
    ]
    return TrainingFigures(
        start=start,
        end=end,
        courses=courses,
        bespoke=bespoke,
        total=total,
        organisations=organisations,
        evaluations=figures,
        quotes=quoted,
        previous=CourseRow(
            "Total",
            sum(row["before"] for row in per_course),
            sum(row["before_people"] or 0 for row in per_course),
        )
        if previous
        else None,
    )


def public_offer(today=None):
    """The published courses, each with its sessions open for booking (`open_sessions`,
    each annotated with `booked`), in two queries whatever the number of sessions."""
    sessions = bookable_sessions(today).annotate(
        booked=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED))
    )
    return Course.objects.filter(published=True).prefetch_related(
        Prefetch("sessions", queryset=sessions, to_attr="open_sessions")
    )


def bookable_sessions(today: date | None = None):
    """Sessions anyone may book: open for booking, on a date still to come, of a
    published catalogue course."""
    today = today or timezone.localdate()
    return (
        TrainingSession.objects.filter(
            booking_open=True, date__gte=today, course__isnull=False, course__published=True
        )
        .select_related("course", "district")
        .order_by("date", "start_time", "id")
    )


def session_bookings(session) -> list:
    """The bookings of a session that are booked or waiting, in order of booking, with
    the partner organisation: one query."""
    return list(
        session.bookings.filter(status__in=[Booking.Status.BOOKED, Booking.Status.WAITING])
        .select_related("organisation")
        .order_by("confirmed_at", "id")
    )
