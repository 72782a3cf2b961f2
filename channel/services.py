"""Every change to Channel panel meetings. Each service is atomic, validated and audited.

Free text (minutes, reasons, action descriptions, representatives' names) may name
people: the audit log records only that it was set (docs/security.md §11). A decision moves the
case through `referrals.services.referral_transition`, in the same transaction.
"""

import uuid
from datetime import date, time

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from channel.choices import (
    AGENDA_STATUSES,
    DECISIONS_FOR_STATUS,
    ONWARD_ROUTES,
    Attendance,
    Decision,
    MeetingStatus,
    steps_for,
)
from channel.models import AgendaItem, PanelAction, PanelAttendee, PanelMeeting
from governance.models import Partner
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between, plain_value
from referrals.choices import ReferralStatus
from referrals.models import Referral
from referrals.services import ReferralError, StaleVersionError, referral_transition


class PanelError(Exception):
    """A change to a panel meeting that cannot be made as given; the message is for the user."""


class StaleMeetingError(PanelError):
    def __init__(self, message=None):
        super().__init__(
            message
            or "This record was changed by someone else while you were working on it. "
            "Check the latest details and try again."
        )


def _set(values: dict) -> dict:
    """The audit form of free text: which fields were set, never their values."""
    return {name: {"set": True} for name, value in values.items() if value not in (None, "")}


def _locked_meeting(meeting: PanelMeeting, expected_version: int | None = None) -> PanelMeeting:
    current = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleMeetingError()
    return current


def _check_chair(chair) -> None:
    if chair is not None and not has_perm(chair, Perm.CASES_VIEW):
        raise PanelError("The chair must be someone who may see Channel cases")


MEETING_FIELDS = ("meeting_date", "starts_at", "location", "chair", "status")


def _meeting_values(meeting: PanelMeeting) -> dict:
    values = {name: plain_value(getattr(meeting, name)) for name in MEETING_FIELDS}
    values["starts_at"] = meeting.starts_at.strftime("%H:%M") if meeting.starts_at else None
    return values


@transaction.atomic
def meeting_create(
    *,
    actor,
    meeting_date: date,
    starts_at: time | None = None,
    location: str = "",
    chair=None,
    create_token: uuid.UUID | None = None,
) -> PanelMeeting:
    """Schedule a panel meeting. Callers: holders of cases.manage. A second call with the
    same `create_token` returns the meeting the first created (a double-submitted form)."""
    if create_token is not None:
        existing = PanelMeeting.objects.filter(create_token=create_token).first()
        if existing is not None:
            return existing
    _check_chair(chair)
    meeting = PanelMeeting(
        meeting_date=meeting_date,
        starts_at=starts_at,
        location=location.strip(),
        chair=chair,
        create_token=create_token,
    )
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        existing = PanelMeeting.objects.filter(create_token=create_token).first()
        if create_token is not None and existing is not None:
            return existing
        raise
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Scheduled the {meeting}",
        target=meeting,
        changes=changes_between({}, _meeting_values(meeting)),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting: PanelMeeting,
    expected_version: int,
    meeting_date: date,
    starts_at: time | None,
    location: str,
    chair,
    status: str,
) -> PanelMeeting:
    """Change a meeting's details or status. Callers: holders of cases.manage. Refused if
    the meeting changed meanwhile; a meeting with decisions keeps its date and cannot be
    cancelled or put back to scheduled; a meeting is held only on or before today."""
    current = _locked_meeting(meeting, expected_version)
    if status not in MeetingStatus.values:
        raise PanelError("Select the status of the meeting")
    _check_chair(chair)
    decided = current.agenda_items.exclude(decision="").exists()
    if decided and meeting_date != current.meeting_date:
        raise PanelError(
            "Decisions have been recorded at this meeting: its date can no longer change"
        )
    if decided and status != MeetingStatus.HELD:
        raise PanelError("Decisions have been recorded at this meeting: it was held")
    if status == MeetingStatus.HELD and meeting_date > timezone.localdate():
        raise PanelError("A meeting in the future cannot have been held yet")
    before = _meeting_values(current)
    current.meeting_date, current.starts_at = meeting_date, starts_at
    current.location, current.chair, current.status = location.strip(), chair, status
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Changed the {current}",
        target=current,
        changes=changes_between(before, _meeting_values(current)),
    )
    meeting.version = current.version
    return current


@transaction.atomic
def minutes_record(
    *, actor, meeting: PanelMeeting, expected_version: int, minutes: str
) -> PanelMeeting:
    """Record or change the minutes. Callers: holders of cases.manage or
    cases.panel_minutes. Refused if the meeting changed meanwhile."""
    current = _locked_meeting(meeting, expected_version)
    if current.status == MeetingStatus.CANCELLED:
        raise PanelError("This meeting was cancelled: it has no minutes")
    current.minutes = minutes.strip()
    current.version += 1
    current.save(update_fields=["minutes", "version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Recorded the minutes of the {current}",
        target=current,
        changes={"minutes": {"changed": True}},
    )
    meeting.version, meeting.minutes = current.version, current.minutes
    return current


@transaction.atomic
def attendee_add(
    *,
    actor,
    meeting: PanelMeeting,
    name: str,
    partner: Partner | None = None,
    role: str = "",
    attendance: str = Attendance.PRESENT,
    create_token: uuid.UUID | None = None,
) -> PanelAttendee:
    """Record a partner representative invited to the meeting. Callers: holders of
    cases.manage or cases.panel_minutes."""
    if create_token is not None:
        existing = PanelAttendee.objects.filter(create_token=create_token).first()
        if existing is not None:
            return existing
    if not name.strip():
        raise PanelError("Enter the representative's name")
    if attendance not in Attendance.values:
        raise PanelError("Select whether they were present or sent apologies")
    if partner is not None and not partner.is_active:
        raise PanelError("The partner organisation selected is no longer in use")
    current = _locked_meeting(meeting)
    if current.status == MeetingStatus.CANCELLED:
        raise PanelError("This meeting was cancelled: attendance cannot be recorded")
    attendee = PanelAttendee(
        meeting=current,
        partner=partner,
        name=name.strip(),
        role=role.strip(),
        attendance=attendance,
        create_token=create_token,
    )
    try:
        with transaction.atomic():
            attendee.save()
    except IntegrityError:
        existing = PanelAttendee.objects.filter(create_token=create_token).first()
        if create_token is not None and existing is not None:
            return existing
        raise
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Recorded an attendee of the {current}",
        target=attendee,
        changes={
            **changes_between({}, {"partner": plain_value(partner), "attendance": attendance}),
            **_set({"name": name, "role": role}),
        },
    )
    return attendee


@transaction.atomic
def attendee_remove(*, actor, attendee: PanelAttendee) -> None:
    """Remove an attendee recorded by mistake. Callers: as attendee_add."""
    meeting = _locked_meeting(attendee.meeting)
    attendee_id = attendee.pk
    deleted, _ = PanelAttendee.objects.filter(pk=attendee_id).delete()
    if not deleted:
        return  # already removed (a second click): nothing to do
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=f"Removed an attendee of the {meeting}",
        target=("channel.panelattendee", attendee_id),
    )


@transaction.atomic
def agenda_add(*, actor, meeting: PanelMeeting, referral: Referral) -> AgendaItem:
    """Put a case on the agenda, last. Callers: holders of cases.manage, with a referral
    from `referrals_visible_to(actor)`. Only cases awaiting a panel decision or adopted
    and under review; never twice on one agenda; never on a cancelled meeting."""
    current = _locked_meeting(meeting)
    if current.status == MeetingStatus.CANCELLED:
        raise PanelError("This meeting was cancelled: no case can be added to its agenda")
    case = Referral.objects.get(pk=referral.pk)
    if case.status not in AGENDA_STATUSES:
        raise PanelError(
            f"Case {case.reference} is “{case.get_status_display()}”: only cases in "
            "information gathering, discussed at panel, adopted or reviewed can go on the agenda"
        )
    if current.agenda_items.filter(referral=case).exists():
        raise PanelError(f"Case {case.reference} is already on this agenda")
    last = current.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        meeting=current, referral=case, position=last + 1, status_when_added=case.status
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:  # a racing second submission
        raise PanelError(f"Case {case.reference} is already on this agenda") from error
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added case {case.reference} to the agenda of the {current}",
        target=item,
        changes=changes_between(
            {}, {"referral": case.reference, "position": item.position, "status": case.status}
        ),
    )
    return item


@transaction.atomic
def agenda_remove(*, actor, item: AgendaItem) -> None:
    """Take an undecided case off the agenda; the others close up. Callers: cases.manage."""
    meeting = _locked_meeting(item.meeting)
    current = AgendaItem.objects.filter(pk=item.pk).select_related("referral").first()
    if current is None:
        return  # already removed
    if current.is_decided:
        raise PanelError("A decision has been recorded for this case: it stays on the agenda")
    reference = current.referral.reference
    current.delete()
    _renumber(meeting)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=f"Took case {reference} off the agenda of the {meeting}",
        target=("channel.agendaitem", item.pk),
        changes={"referral": {"old": reference, "new": None}},
    )


def _renumber(meeting: PanelMeeting, ordered: list[AgendaItem] | None = None) -> None:
    items = ordered
    if items is None:
        items = list(meeting.agenda_items.order_by("position", "id"))
    changed = []
    for position, agenda_item in enumerate(items, start=1):
        if agenda_item.position != position:
            agenda_item.position = position
            changed.append(agenda_item)
    AgendaItem.objects.bulk_update(changed, ["position"])


@transaction.atomic
def agenda_move(
    *, actor, meeting: PanelMeeting, item_id: int, direction: str, expected_version: int
) -> None:
    """Move one case up or down the agenda. Callers: cases.manage. Refused if the meeting
    changed meanwhile (another reorder), so two people never shuffle blindly."""
    current = _locked_meeting(meeting, expected_version)
    items = list(current.agenda_items.order_by("position", "id"))
    index = next((i for i, entry in enumerate(items) if entry.pk == item_id), None)
    if index is None:
        raise PanelError("That case is no longer on this agenda")
    if direction not in ("up", "down"):
        raise PanelError("Choose to move the case up or down")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        raise PanelError("That case cannot move further " + direction)
    before = [entry.referral_id for entry in items]
    items[index], items[other] = items[other], items[index]
    _renumber(current, items)
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    meeting.version = current.version
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Reordered the agenda of the {current}",
        target=current,
        changes={
            "agenda": {
                "old": [str(pk) for pk in before],
                "new": [str(entry.referral_id) for entry in items],
            }
        },
    )


@transaction.atomic
def decision_record(
    *,
    actor,
    item: AgendaItem,
    decision: str,
    reason: str,
    expected_version: int,
    onward_route: str = "",
    signposted_to: str = "",
) -> AgendaItem:
    """Record the panel's decision about a case on the agenda, and move the case along
    its journey (`channel.choices.steps_for`) with `referral_transition`, dated the day of
    the meeting, all in one transaction. Callers: holders of cases.manage.

    `expected_version` is the case's version when the user opened the form: if the case
    changed meanwhile, nothing is recorded (StaleVersionError).
    """
    meeting = _locked_meeting(item.meeting)
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if current.is_decided:
        raise PanelError("A decision has already been recorded for this case at this meeting")
    if meeting.status == MeetingStatus.CANCELLED:
        raise PanelError("This meeting was cancelled: no decision can be recorded")
    if meeting.meeting_date > timezone.localdate():
        raise PanelError("This meeting has not happened yet: record decisions on or after its date")
    if decision not in Decision.values:
        raise PanelError("Select the panel's decision")
    if not reason.strip():
        raise PanelError("Enter the reason for the decision")
    referral = Referral.objects.select_for_update().get(pk=current.referral_id)
    if referral.version != expected_version:
        raise StaleVersionError()
    if decision not in DECISIONS_FOR_STATUS.get(referral.status, ()):
        raise PanelError(
            f"Case {referral.reference} is “{referral.get_status_display()}”: the panel "
            f"cannot record “{Decision(decision).label}” for it"
        )
    if decision == Decision.NOT_ADOPT:
        if onward_route not in dict(ONWARD_ROUTES):
            raise PanelError("Select the onward route for a case not adopted")
        if onward_route == ReferralStatus.SIGNPOSTED and not signposted_to.strip():
            raise PanelError("Enter the service the person was signposted to")
    else:
        onward_route, signposted_to = "", ""
    steps = steps_for(decision, referral.status, onward_route)
    try:
        for status in steps:
            referral_transition(
                actor=actor,
                referral=referral,
                to_status=status,
                reason=reason,
                occurred_on=meeting.meeting_date,
                expected_version=referral.version,
                signposted_to=signposted_to if status == ReferralStatus.SIGNPOSTED else "",
            )
    except StaleVersionError:
        raise
    except ReferralError as problem:
        raise PanelError(str(problem)) from problem
    current.decision, current.onward_route = decision, onward_route
    current.signposted_to, current.reason = signposted_to.strip(), reason.strip()
    current.decided_on = meeting.meeting_date
    current.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    current.save()
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Recorded the panel's decision on case {referral.reference}: "
        f"{Decision(decision).label}",
        target=current,
        changes={
            **changes_between(
                {"decision": "", "onward_route": ""},
                {"decision": decision, "onward_route": onward_route},
            ),
            "steps": {"old": None, "new": [str(status) for status in steps]},
            **_set({"reason": reason, "signposted_to": signposted_to}),
        },
    )
    item.decision, item.referral = current.decision, referral
    return current


ACTION_FIELDS = ("owner", "due_on", "done_on", "agenda_item")


@transaction.atomic
def action_add(
    *,
    actor,
    meeting: PanelMeeting,
    description: str,
    owner: str,
    due_on: date,
    agenda_item: AgendaItem | None = None,
    create_token: uuid.UUID | None = None,
) -> PanelAction:
    """Record an action from the meeting. Callers: cases.manage or cases.panel_minutes."""
    if create_token is not None:
        existing = PanelAction.objects.filter(create_token=create_token).first()
        if existing is not None:
            return existing
    if not description.strip():
        raise PanelError("Enter the action")
    if not owner.strip():
        raise PanelError("Enter who owns the action")
    current = _locked_meeting(meeting)
    if agenda_item is not None and agenda_item.meeting_id != current.pk:
        raise PanelError("Select a case on this meeting's agenda")
    if due_on < current.meeting_date:
        raise PanelError("The due date must be on or after the date of the meeting")
    action = PanelAction(
        meeting=current,
        agenda_item=agenda_item,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        create_token=create_token,
    )
    try:
        with transaction.atomic():
            action.save()
    except IntegrityError:
        existing = PanelAction.objects.filter(create_token=create_token).first()
        if create_token is not None and existing is not None:
            return existing
        raise
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Recorded an action of the {current}",
        target=action,
        changes={
            **changes_between(
                {},
                {
                    "due_on": due_on.isoformat(),
                    "agenda_item": agenda_item.pk if agenda_item else None,
                },
            ),
            **_set({"description": description, "owner": owner}),
        },
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor,
    action: PanelAction,
    expected_version: int,
    description: str,
    owner: str,
    due_on: date,
    done_on: date | None,
) -> PanelAction:
    """Change an action or mark it done. Callers: as action_add. Refused if the action
    changed meanwhile."""
    current = PanelAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    if current.version != expected_version:
        raise StaleMeetingError()
    if not description.strip():
        raise PanelError("Enter the action")
    if not owner.strip():
        raise PanelError("Enter who owns the action")
    if due_on < current.meeting.meeting_date:
        raise PanelError("The due date must be on or after the date of the meeting")
    if done_on is not None and done_on > timezone.localdate():
        raise PanelError("The date done must be today or in the past")
    before = {"due_on": plain_value(current.due_on), "done_on": plain_value(current.done_on)}
    text_changed = {
        "description": description.strip() != current.description,
        "owner": owner.strip() != current.owner,
    }
    current.description, current.owner = description.strip(), owner.strip()
    current.due_on, current.done_on = due_on, done_on
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Changed an action of the {current.meeting}",
        target=current,
        changes={
            **changes_between(
                before, {"due_on": plain_value(due_on), "done_on": plain_value(done_on)}
            ),
            **{name: {"changed": True} for name, changed in text_changed.items() if changed},
        },
    )
    action.version = current.version
    return current


def pack_produced(*, actor, meeting: PanelMeeting, references: list[str]) -> None:
    """Audit the production of a panel pack (an export of case data, docs/security.md §11)."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Produced the panel pack of the {meeting}",
        target=meeting,
        changes={"cases": {"old": None, "new": references}},
    )
