"""Every read of Channel panel meetings.

Who may see what: holders of cases.view see meetings and the cases on their agendas
(cases outside their scope by reference only); business support (cases.panel_minutes)
sees meetings, attendees, minutes and actions, and the agenda by reference only.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from channel.choices import AGENDA_STATUSES, MeetingStatus
from channel.models import AgendaItem, PanelAction, PanelAttendee, PanelMeeting
from prevent_portal.accounts.roles import Perm, has_perm
from referrals.models import Referral, ReferralEvent
from referrals.selectors import referrals_visible_to


def may_see_panels(user) -> bool:
    return has_perm(user, Perm.CASES_VIEW) or has_perm(user, Perm.PANEL_MINUTES)


def may_see_agenda_cases(user) -> bool:
    """Whether `user` sees anything of the cases on an agenda beyond their references."""
    return has_perm(user, Perm.CASES_VIEW)


def meetings_visible_to(user) -> QuerySet[PanelMeeting]:
    if not may_see_panels(user):
        return PanelMeeting.objects.none()
    return PanelMeeting.objects.all()


def meetings_for_list(user, *, upcoming: bool) -> QuerySet[PanelMeeting]:
    """Upcoming meetings (today onwards, soonest first) or past ones (latest first), with
    their counts in the same query."""
    today = timezone.localdate()
    meetings = (
        meetings_visible_to(user)
        .select_related("chair")
        .annotate(
            case_count=Count("agenda_items", distinct=True),
            decided_count=Count(
                "agenda_items", filter=~Q(agenda_items__decision=""), distinct=True
            ),
            attendee_count=Count(
                "attendees", filter=Q(attendees__attendance="present"), distinct=True
            ),
        )
    )
    if upcoming:
        return meetings.filter(meeting_date__gte=today).order_by("meeting_date", "starts_at")
    return meetings.filter(meeting_date__lt=today).order_by("-meeting_date", "-starts_at")


def next_panel(user) -> PanelMeeting | None:
    """The next meeting on or after today that is not cancelled, or None (also for a user
    who may not see panels)."""
    return (
        meetings_visible_to(user)
        .filter(meeting_date__gte=timezone.localdate())
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("chair")
        .order_by("meeting_date", "starts_at")
        .first()
    )


def meeting_for_page(user, pk) -> PanelMeeting | None:
    """One meeting with its attendees, agenda (cases and people) and actions, loaded in a
    fixed number of queries."""
    return (
        meetings_visible_to(user)
        .select_related("chair")
        .prefetch_related(
            Prefetch("attendees", queryset=PanelAttendee.objects.select_related("partner")),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related(
                    "referral",
                    "referral__person",
                    "referral__sector",
                    "referral__primary_concern",
                    "decided_by",
                ).order_by("position", "id"),
            ),
            Prefetch(
                "actions",
                queryset=PanelAction.objects.select_related("agenda_item__referral"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class AgendaLine:
    """An agenda item as one user may see it: `case` is None when they see only the
    reference."""

    item: AgendaItem
    reference: str
    case: Referral | None


def agenda_lines(user, meeting: PanelMeeting) -> list[AgendaLine]:
    items = list(meeting.agenda_items.all())
    visible = set()
    if may_see_agenda_cases(user) and items:
        visible = set(
            referrals_visible_to(user)
            .filter(pk__in=[item.referral_id for item in items])
            .values_list("pk", flat=True)
        )
    return [
        AgendaLine(
            item=item,
            reference=item.referral.reference,
            case=item.referral if item.referral_id in visible else None,
        )
        for item in items
    ]


def cases_for_agenda(user, meeting: PanelMeeting) -> QuerySet[Referral]:
    """Cases `user` may put on this meeting's agenda: in scope, in a status the panel
    discusses, and not already on it."""
    return (
        referrals_visible_to(user)
        .filter(status__in=AGENDA_STATUSES)
        .exclude(agenda_items__meeting=meeting)
        .select_related("person")
        .order_by("status", "reference")
    )


def agenda_item_for(user, public_id) -> AgendaItem | None:
    """An agenda item by its UUID, only if its case is in `user`'s scope (None otherwise,
    so that taking a case off an agenda or deciding on it is a 404 out of scope, like
    every page of the case)."""
    if not may_see_agenda_cases(user):
        return None
    return (
        AgendaItem.objects.select_related("meeting", "referral", "referral__person")
        .filter(public_id=public_id, referral__in=referrals_visible_to(user))
        .first()
    )


def action_lines(user, meeting: PanelMeeting) -> list[AgendaLine]:
    """The agenda lines `user` may tie a new action to: the cases in their scope (every
    line, by reference, for business support)."""
    lines = agenda_lines(user, meeting)
    if not may_see_agenda_cases(user):
        return lines
    return [line for line in lines if line.case is not None]


def action_for(user, public_id) -> PanelAction | None:
    """A panel action by its UUID, for those who see panels; an action about a case
    outside `user`'s scope is None (a 404), as its agenda item is."""
    if not may_see_panels(user):
        return None
    action = (
        PanelAction.objects.select_related("meeting", "agenda_item")
        .filter(public_id=public_id)
        .first()
    )
    if action is None:
        return None
    # Business support (minutes, no case role) sees every agenda by reference only and
    # minutes every meeting's actions; for a case role, the case must be in scope.
    if action.agenda_item is not None and may_see_agenda_cases(user):
        case = referrals_visible_to(user).filter(pk=action.agenda_item.referral_id)
        if not case.exists():
            return None
    return action


def actions_outside_scope(user, meeting: PanelMeeting, lines: list[AgendaLine]) -> set:
    """The pks of the meeting's actions about a case outside `user`'s scope (the meeting
    page offers no "Change" link for them), from its agenda `lines` (agenda_lines) and
    its prefetched actions: no further query."""
    if not may_see_agenda_cases(user):
        return set()
    outside = {line.item.pk for line in lines if line.case is None}
    return {action.pk for action in meeting.actions.all() if action.agenda_item_id in outside}


def case_agenda_items(referral: Referral) -> list[AgendaItem]:
    """A case's appearances at panel, latest first (for the case's Panel section)."""
    return list(
        AgendaItem.objects.filter(referral=referral)
        .select_related("meeting", "meeting__chair", "decided_by")
        .order_by("-meeting__meeting_date", "-id")
    )


def pack_cases(user, meeting: PanelMeeting) -> list[dict]:
    """The per-case summaries of the panel pack, for the cases `user` may see, with each
    case's last three steps; the rest appear by reference only."""
    lines = agenda_lines(user, meeting)
    ids = [line.case.pk for line in lines if line.case is not None]
    steps: dict = {}
    if ids:
        cases = {
            case.pk: case
            for case in Referral.objects.filter(pk__in=ids).prefetch_related("concern_types")
        }
        for event in ReferralEvent.objects.filter(referral_id__in=ids).order_by(
            "referral_id", "-occurred_on", "-id"
        ):
            steps.setdefault(event.referral_id, [])
            if len(steps[event.referral_id]) < 3:
                steps[event.referral_id].append(event)
    else:
        cases = {}
    return [
        {
            "line": line,
            "types": list(cases[line.case.pk].concern_types.all()) if line.case else [],
            "steps": steps.get(line.case.pk, []) if line.case else [],
        }
        for line in lines
    ]
