"""Reads of governance data: reference data, the plan, the risk assessment, the board."""

from datetime import date

from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from governance.choices import ActionStatus
from governance.models import (
    RAG_KEY_LABELS,
    BoardMeeting,
    BoardMember,
    District,
    Partner,
    Partnership,
    PeoArea,
    Plan,
    PlanAction,
    PlanHeading,
    ProgressUpdate,
    RiskArea,
    RiskAssessment,
)

PARTNERSHIP_CACHE_KEY = "governance:partnership-name"


def partnership_name() -> str:
    """The partnership's name for the page header ("" until it is set); cached, cleared
    when it changes."""
    name = cache.get(PARTNERSHIP_CACHE_KEY)
    if name is None:
        partnership = Partnership.objects.filter(pk=1).only("name").first()
        name = partnership.name if partnership else ""
        cache.set(PARTNERSHIP_CACHE_KEY, name, 300)
    return name


def districts_with_areas():
    return District.objects.select_related("peo_area").annotate(
        partner_count=Count("partners", filter=Q(partners__is_active=True))
    )


def peo_areas_with_counts():
    return PeoArea.objects.annotate(district_count=Count("districts"))


def partners_with_district():
    return Partner.objects.select_related("district")


# --------------------------------------------------------------------------------------
# The plan, the risk assessment and the board. Every governance page is open to all
# holders of governance.plan_view alike, so there is no per-user scoping of rows here.
# --------------------------------------------------------------------------------------

RAG_KEYS = ("red", "amber", "green", "complete", "none")
RAG_LABELS = RAG_KEY_LABELS


def current_plan(today: date | None = None) -> Plan | None:
    """The plan whose period includes today; otherwise the latest to have started;
    otherwise the earliest to come."""
    today = today or timezone.localdate()
    plans = Plan.objects.all()
    return (
        plans.filter(starts_on__lte=today, ends_on__gte=today).first()
        or plans.filter(starts_on__lte=today).order_by("-starts_on").first()
        or plans.order_by("starts_on").first()
    )


def plan_actions(plan: Plan):
    return (
        plan.actions.select_related("heading", "owner")
        .prefetch_related("risk_areas")
        .order_by("heading__number", "reference")
    )


def action_with_history(pk: int) -> PlanAction:
    return get_object_or_404(
        PlanAction.objects.select_related("plan", "heading", "owner").prefetch_related(
            "risk_areas__assessment",
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-dated", "-id")),
        ),
        pk=pk,
    )


def _rag_key_case():
    return Case(
        When(status=ActionStatus.COMPLETE, then=Value("complete")),
        When(rag="", then=Value("none")),
        default=F("rag"),
        output_field=CharField(),
    )


def plan_progress_by_heading(plan: Plan | None) -> list[dict]:
    """Per heading of the plan: counts by RAG (complete counted apart), the total and
    the share complete. Two queries whatever the size of the plan."""
    headings = list(
        PlanHeading.objects.filter(Q(is_active=True) | Q(actions__plan=plan)).distinct()
    )
    counts: dict[int, dict[str, int]] = {h.pk: dict.fromkeys(RAG_KEYS, 0) for h in headings}
    if plan is not None:
        rows = (
            plan.actions.annotate(rag_key=_rag_key_case())
            .values("heading_id", "rag_key")
            .annotate(count=Count("id"))
            .order_by()
        )
        for row in rows:
            counts[row["heading_id"]][row["rag_key"]] += row["count"]
    result = []
    for heading in headings:
        by_rag = counts[heading.pk]
        total = sum(by_rag.values())
        result.append(
            {
                "heading": heading,
                "counts": by_rag,
                "segments": [
                    {"key": key, "label": RAG_LABELS[key], "count": by_rag[key]} for key in RAG_KEYS
                ],
                "total": total,
                "percent_complete": round(100 * by_rag["complete"] / total) if total else 0,
            }
        )
    return result


def overdue_actions(plan: Plan | None, today: date | None = None):
    today = today or timezone.localdate()
    if plan is None:
        return PlanAction.objects.none()
    return (
        plan.actions.filter(due_on__lt=today)
        .exclude(status=ActionStatus.COMPLETE)
        .select_related("heading", "owner")
        .order_by("due_on", "reference")
    )


def updates_since(plan: Plan | None, since: date | None, until: date | None = None):
    """Progress updates on the plan's actions dated after `since` (all if None) and, if
    given, on or before `until`."""
    if plan is None:
        return ProgressUpdate.objects.none()
    updates = ProgressUpdate.objects.filter(action__plan=plan)
    if since is not None:
        updates = updates.filter(dated__gt=since)
    if until is not None:
        updates = updates.filter(dated__lte=until)
    return updates.select_related("action__heading").order_by("-dated", "action__reference")


def latest_meeting_before(today: date | None = None, *, strictly: bool = False):
    """The last board meeting on or before `today` (before it, if `strictly`)."""
    today = today or timezone.localdate()
    lookup = "held_on__lt" if strictly else "held_on__lte"
    return BoardMeeting.objects.filter(**{lookup: today}).order_by("-held_on").first()


def current_risk_assessment() -> RiskAssessment | None:
    return RiskAssessment.objects.order_by("-year").first()


def risk_areas_with_coverage(assessment: RiskAssessment | None, plan: Plan | None = None):
    """The assessment's priority areas, each with its linked actions (of `plan` if given)
    and its districts; `action_count` says whether any action is against it."""
    if assessment is None:
        return RiskArea.objects.none()
    actions = PlanAction.objects.select_related("heading").order_by("reference")
    count_filter = Q()
    if plan is not None:
        actions = actions.filter(plan=plan)
        count_filter = Q(actions__plan=plan)
    return (
        assessment.areas.annotate(action_count=Count("actions", filter=count_filter, distinct=True))
        .prefetch_related("districts", Prefetch("actions", queryset=actions))
        .order_by("-likelihood", "-impact", "title")
    )


def meetings_with_counts():
    return BoardMeeting.objects.annotate(
        attendee_count=Count("attendees", distinct=True),
        action_count=Count("actions", distinct=True),
    ).order_by("-held_on")


def meeting_with_attendees(pk: int) -> BoardMeeting:
    return get_object_or_404(
        BoardMeeting.objects.prefetch_related(
            Prefetch("attendees", queryset=BoardMember.objects.select_related("partner")),
            "actions",
        ),
        pk=pk,
    )


def board_members():
    return BoardMember.objects.select_related("partner").order_by("-is_active", "name")


def district_with_notes(pk: int) -> District:
    return get_object_or_404(
        District.objects.select_related("peo_area").prefetch_related("notes"), pk=pk
    )
