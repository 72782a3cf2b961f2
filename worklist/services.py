"""Every change to tasks. Each service is atomic; changes by hand are audited.

Tasks the journey opens and closes are written by the receivers of the referral signals
(worklist/receivers.py), inside the transaction of the step: they commit or fail with it.
Such a task names the step that opened it (and the one that closed it), and the step has
its own audit event, so they write no audit event of their own. A task added or marked
done by hand is audited; its title (free text that may name people) only as "set".
"""

import uuid
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between
from referrals.choices import ReferralStatus
from referrals.models import Referral, ReferralEvent
from referrals.transitions import POST_EXIT_REVIEW_MONTHS, add_months, is_final
from worklist.choices import TaskKind, TaskStatus
from worklist.conf import interval
from worklist.models import Task


class TaskError(Exception):
    """A task change that cannot be made as asked; the message is for the user."""


class TaskAlreadyClosedError(TaskError):
    """Marked done (or closed by the journey) already: a second submission changes nothing."""


class StaleTaskError(TaskError):
    def __init__(self):
        super().__init__(
            "This task was changed by someone else while you were looking at it. "
            "Check the latest details and try again."
        )


# The task each status opens (the review after adoption, and after every review at panel).
OPENS: dict[str, str] = {
    ReferralStatus.RECEIVED: TaskKind.GATEWAY_OUTCOME,
    ReferralStatus.INFORMATION_GATHERING: TaskKind.PREPARE_PANEL,
    ReferralStatus.CONSENT: TaskKind.CONSENT_FOLLOW_UP,
    ReferralStatus.ADOPTED: TaskKind.REVIEW_DUE,
    ReferralStatus.REVIEWED: TaskKind.REVIEW_DUE,
    ReferralStatus.EXIT: TaskKind.POST_EXIT_6,
    # The first post-exit review opens the second (see _kind_opened).
    ReferralStatus.POST_EXIT_REVIEW: TaskKind.POST_EXIT_12,
}
# Tasks a step into these statuses leaves open: the gateway's outcome is still awaited
# while the police assess. Every other journey task is closed by the next step (a review
# closes the review it did, and opens the next); tasks added by hand stay open until a
# final status.
KEEPS: dict[str, frozenset[str]] = {
    ReferralStatus.POLICE_GATEWAY: frozenset({TaskKind.GATEWAY_OUTCOME}),
}


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _next_panel_date(after: date) -> date | None:
    """The date of the first Channel panel meeting after `after`, if one is in the diary."""
    from channel.choices import MeetingStatus  # the channel app keeps the panel's diary
    from channel.models import PanelMeeting

    return (
        PanelMeeting.objects.filter(meeting_date__gt=after)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("meeting_date")
        .values_list("meeting_date", flat=True)
        .first()
    )


def due_date(kind: str, *, on: date, exit_on: date | None = None) -> date:
    """When a task of `kind`, opened by a step dated `on`, falls due (worklist/conf.py)."""
    if kind == TaskKind.GATEWAY_OUTCOME:
        return on + timedelta(days=interval("gateway_outcome"))
    if kind == TaskKind.PREPARE_PANEL:
        # The panel after the step, or after today for a step recorded late.
        panel = _next_panel_date(max(on, timezone.localdate()))
        if panel is not None:
            return panel - timedelta(days=interval("prepare_panel_before"))
        return on + timedelta(days=interval("prepare_panel"))
    if kind == TaskKind.CONSENT_FOLLOW_UP:
        return on + timedelta(days=interval("consent_follow_up"))
    if kind == TaskKind.REVIEW_DUE:
        return on + timedelta(days=interval("review_due"))
    if kind == TaskKind.POST_EXIT_6:
        return add_months(exit_on or on, POST_EXIT_REVIEW_MONTHS[0])
    if kind == TaskKind.POST_EXIT_12:
        return add_months(exit_on or on, POST_EXIT_REVIEW_MONTHS[1])
    raise ValueError(f"No due date rule for {kind!r}")


def _open(*, referral: Referral, kind: str, due_on: date, key: str, event, actor) -> Task:
    task, _ = Task.objects.get_or_create(
        referral=referral,
        key=key,
        defaults={
            "kind": kind,
            "title": TaskKind(kind).label,
            "due_on": due_on,
            "assigned_to": referral.case_manager,
            "created_by": _user(actor),
            "opened_by_event": event,
        },
    )
    return task


def _close_for_step(*, referral: Referral, event: ReferralEvent, actor) -> int:
    """Close the open tasks that the step makes obsolete; a final status closes all."""
    # Never the task this very step opened: a second run for the step changes nothing.
    tasks = Task.objects.filter(referral=referral, status=TaskStatus.OPEN).exclude(
        opened_by_event=event
    )
    if not is_final(event.to_status):
        tasks = tasks.exclude(kind=TaskKind.OTHER).exclude(
            kind__in=KEEPS.get(event.to_status, frozenset())
        )
    return tasks.update(
        status=TaskStatus.CLOSED_BY_STEP,
        completed_on=event.occurred_on,
        completed_by=_user(actor),
        closed_by_event=event,
        version=F("version") + 1,
    )


def _kind_opened(referral: Referral, event: ReferralEvent) -> str | None:
    kind = OPENS.get(event.to_status)
    if kind == TaskKind.POST_EXIT_12:
        reviews = referral.events.filter(
            to_status=ReferralStatus.POST_EXIT_REVIEW, pk__lte=event.pk
        ).count()
        if reviews != 1:  # the 12-month review itself opens nothing: closure follows
            return None
    return kind


def _exit_date(referral: Referral, event: ReferralEvent) -> date | None:
    if event.to_status == ReferralStatus.EXIT:
        return event.occurred_on
    exit_event = (
        referral.events.filter(to_status=ReferralStatus.EXIT, pk__lte=event.pk)
        .order_by("-occurred_on", "-pk")
        .first()
    )
    return exit_event.occurred_on if exit_event else referral.left_process_on


@transaction.atomic
def tasks_for_receipt(*, referral: Referral, actor) -> Task:
    """A new referral: the gateway's outcome is due. Called by the referral_created receiver."""
    return _open(
        referral=referral,
        kind=TaskKind.GATEWAY_OUTCOME,
        due_on=due_date(TaskKind.GATEWAY_OUTCOME, on=referral.date_received),
        key=f"{TaskKind.GATEWAY_OUTCOME}:created",
        event=None,
        actor=actor,
    )


@transaction.atomic
def tasks_for_step(*, referral: Referral, event: ReferralEvent, actor) -> Task | None:
    """A step of the journey: close what it made obsolete, open what comes next.
    Called by the referral_transitioned receiver; running it twice for one step changes
    nothing more (the task's key names the step)."""
    _close_for_step(referral=referral, event=event, actor=actor)
    kind = _kind_opened(referral, event)
    if kind is None or is_final(event.to_status):
        return None
    return _open(
        referral=referral,
        kind=kind,
        due_on=due_date(kind, on=event.occurred_on, exit_on=_exit_date(referral, event)),
        key=f"{kind}:{event.pk}",
        event=event,
        actor=actor,
    )


@transaction.atomic
def tasks_replay(*, referral: Referral) -> int:
    """Open and close a referral's tasks as its steps would have, for a referral recorded
    before tasks existed (demo data, an upgrade). Does nothing if it has any task."""
    if referral.tasks.exists():
        return 0
    tasks_for_receipt(referral=referral, actor=referral.created_by)
    for event in referral.events.select_related("actor").order_by("occurred_on", "pk"):
        tasks_for_step(referral=referral, event=event, actor=event.actor)
    return referral.tasks.count()


def may_be_assigned(user) -> bool:
    return bool(user and user.is_active and has_perm(user, Perm.CASES_MANAGE))


@transaction.atomic
def task_create(
    *,
    actor,
    referral: Referral,
    title: str,
    due_on: date,
    assigned_to,
    token: uuid.UUID,
) -> Task:
    """Add a task by hand to a case (case managers). The form's one-time `token` makes a
    second submission of the same form return the task the first made."""
    key = f"manual:{token}"
    existing = Task.objects.filter(referral=referral, key=key).first()
    if existing is not None:
        return existing
    title = " ".join(title.split())
    if not title:
        raise TaskError("Enter what needs to be done")
    if is_final(referral.status):
        raise TaskError(
            f"This case is {referral.get_status_display().lower()}: no task can be added"
        )
    if due_on < timezone.localdate():
        raise TaskError("The due date must be today or in the future")
    if assigned_to is not None and not may_be_assigned(assigned_to):
        raise TaskError("Choose someone who manages cases")
    task = Task.objects.create(
        referral=referral,
        kind=TaskKind.OTHER,
        title=title[:200],
        due_on=due_on,
        assigned_to=assigned_to,
        created_by=_user(actor),
        key=key,
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added a task to referral {referral.reference}",
        target=task,
        changes={
            **changes_between(
                {},
                {
                    "referral": referral.reference,
                    "kind": task.kind,
                    "due_on": due_on.isoformat(),
                    "assigned_to": assigned_to.get_username() if assigned_to else None,
                },
            ),
            "title": {"set": True},
        },
    )
    return task


@transaction.atomic
def task_complete(*, actor, task: Task, expected_version: int) -> Task:
    """Mark an open task done (case managers). A task already closed raises
    TaskAlreadyClosedError and is left as it is; a stale version raises StaleTaskError."""
    current = Task.objects.select_for_update().select_related("referral").get(pk=task.pk)
    if not current.is_open:
        raise TaskAlreadyClosedError(
            "This task is already done"
            if current.status == TaskStatus.DONE
            else "This task was closed by a step of the journey"
        )
    if current.version != expected_version:
        raise StaleTaskError()
    current.status = TaskStatus.DONE
    current.completed_on = timezone.localdate()
    current.completed_by = _user(actor)
    current.version += 1
    current.save(update_fields=["status", "completed_on", "completed_by", "version"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Marked a task of referral {current.referral.reference} done",
        target=current,
        changes={
            "status": {"old": TaskStatus.OPEN.value, "new": TaskStatus.DONE.value},
            "version": {"old": expected_version, "new": current.version},
            "completed_on": {"old": None, "new": current.completed_on.isoformat()},
        },
    )
    return current
