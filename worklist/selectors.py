"""Every read of tasks. Tasks are seen only on cases the user may see
(`referrals.selectors.referrals_visible_to`, the one scoping function)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q, QuerySet

from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm
from referrals.choices import ReferralStatus
from referrals.models import Referral
from referrals.selectors import referrals_visible_to
from referrals.transitions import is_final
from worklist.choices import TaskStatus
from worklist.conf import DUE_SOON_DAYS
from worklist.models import Task

FINAL_STATUSES = [status for status in ReferralStatus.values if is_final(status)]


def tasks_visible_to(user) -> QuerySet[Task]:
    return Task.objects.filter(referral__in=referrals_visible_to(user))


def open_tasks_of(user) -> QuerySet[Task]:
    """The open tasks assigned to `user` on cases they may see, soonest due first."""
    return (
        tasks_visible_to(user)
        .filter(assigned_to=user, status=TaskStatus.OPEN)
        .select_related("referral")
        .order_by("due_on", "created_at")
    )


@dataclass
class MyWork:
    today: date
    open_cases: list
    overdue: list
    due_soon: list
    due_soon_until: date
    next_panel: object  # channel.models.PanelMeeting or None
    next_panel_cases: list


def my_work(user, today: date) -> MyWork:
    """My work: my open cases (as case manager) with their open tasks counted, my overdue
    tasks, my tasks due in the next DUE_SOON_DAYS days, and the next Channel panel with
    those of my cases on its agenda. A fixed number of queries, whatever the numbers."""
    from channel.selectors import next_panel  # the channel app keeps the panel's diary

    open_cases = list(
        referrals_visible_to(user)
        .filter(case_manager=user)
        .exclude(status__in=FINAL_STATUSES)
        .annotate(
            open_tasks=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN)),
            next_due=Min("tasks__due_on", filter=Q(tasks__status=TaskStatus.OPEN)),
        )
        .order_by("-date_received", "-reference")
    )
    until = today + timedelta(days=DUE_SOON_DAYS)
    mine = list(open_tasks_of(user).filter(due_on__lte=until))
    panel = next_panel(user)
    panel_cases = []
    if panel is not None:
        panel_cases = list(
            Referral.objects.filter(
                pk__in=referrals_visible_to(user).filter(
                    case_manager=user, agenda_items__meeting=panel
                )
            ).order_by("reference")
        )
    return MyWork(
        today=today,
        open_cases=open_cases,
        overdue=[task for task in mine if task.due_on < today],
        due_soon=[task for task in mine if task.due_on >= today],
        due_soon_until=until,
        next_panel=panel,
        next_panel_cases=panel_cases,
    )


def case_tasks(referral: Referral) -> dict[str, list[Task]]:
    """A case's tasks: the open ones (soonest due first) and the closed ones (latest first)."""
    tasks = list(
        Task.objects.filter(referral=referral).select_related(
            "assigned_to", "completed_by", "closed_by_event"
        )
    )
    return {
        "open": sorted((t for t in tasks if t.is_open), key=lambda t: (t.due_on, t.created_at)),
        "closed": sorted(
            (t for t in tasks if not t.is_open),
            key=lambda t: (t.completed_on, t.created_at),
            reverse=True,
        ),
    }


def task_for_case(referral: Referral, task_pk) -> Task | None:
    """A task of a case the caller has already loaded through the scoped selector."""
    return Task.objects.select_related("assigned_to").filter(referral=referral, pk=task_pk).first()


def assignees():
    """Active users whose roles let them manage cases: who a task may be assigned to."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.CASES_MANAGE in perms]
    return (
        get_user_model()
        .objects.filter(is_active=True, roles__role__in=roles)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def reminders_due(today: date) -> dict:
    """{user: [open tasks assigned to them, overdue or due today]} for the daily digest,
    only on cases each user may still see."""
    tasks = (
        Task.objects.filter(status=TaskStatus.OPEN, due_on__lte=today, assigned_to__isnull=False)
        .exclude(assigned_to__email="")
        .filter(assigned_to__is_active=True)
        .select_related("referral", "assigned_to")
        .order_by("assigned_to_id", "due_on", "referral__reference")
    )
    by_user: dict = {}
    for task in tasks:
        by_user.setdefault(task.assigned_to, []).append(task)
    digest = {}
    for user, user_tasks in by_user.items():
        visible = set(
            referrals_visible_to(user)
            .filter(pk__in={t.referral_id for t in user_tasks})
            .values_list("pk", flat=True)
        )
        kept = [t for t in user_tasks if t.referral_id in visible]
        if kept:
            digest[user] = kept
    return digest
