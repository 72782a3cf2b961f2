"""My work, and the Tasks section of a case. Every response carries Cache-Control:
no-store (case references and tasks are case data)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.accounts.selectors import account_changes_to_decide_count
from prevent_portal.audit.alerts import open_alert_count
from referrals.case_pages import case_context, load_case, uuid_or_404
from referrals.selectors import open_match_review_count
from referrals.transitions import is_final
from referrals.views import case_view
from worklist.forms import CompleteForm, TaskForm
from worklist.selectors import case_tasks, my_work, task_for_case
from worklist.services import TaskAlreadyClosedError, TaskError, task_complete, task_create


@case_view(Perm.CASES_VIEW)
def index(request):
    """My work: my open cases, my overdue tasks and those due soon, the next panel."""
    work = my_work(request.user, timezone.localdate())
    return render(
        request,
        "worklist/my_work.html",
        {
            "work": work,
            "due_soon_caption": f"Tasks assigned to you due from today to "
            f"{work.due_soon_until:%-d %B %Y}, soonest first",
            "crumbs": [("My work", "")],
            # Supervisors: open unusual access alerts (one count; None for others).
            "open_alerts": open_alert_count(request.user),
            # Those who may confirm them: possible matches intake could not show (one
            # count; None and no query for others).
            "open_match_reviews": open_match_review_count(request.user),
            # Supervisors: account changes waiting for their approval (None for others).
            "account_changes": account_changes_to_decide_count(request.user),
        },
    )


def _tasks_url(referral):
    return reverse("worklist:case-tasks", kwargs={"pk": referral.pk})


@case_view(Perm.CASES_VIEW)
def case_tasks_view(request, pk):
    """The Tasks section of a case: open and closed tasks."""
    referral = load_case(request, pk, section="Tasks")
    can_manage = has_perm(request.user, Perm.CASES_MANAGE)
    return render(
        request,
        "worklist/case_tasks.html",
        case_context(
            request,
            referral,
            "tasks",
            tasks=case_tasks(referral),
            today=timezone.localdate(),
            can_add=can_manage and not is_final(referral.status),
            can_complete=can_manage,
        ),
    )


@case_view(Perm.CASES_MANAGE)
def task_create_view(request, pk):
    """Add a task by hand to a case."""
    referral = load_case(request, pk, section="Tasks")
    form = TaskForm(request.POST or None, initial={"assigned_to": referral.case_manager_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task_create(
                actor=request.user,
                referral=referral,
                title=data["title"],
                due_on=data["due_on"],
                assigned_to=data["assigned_to"],
                token=data["token"],
            )
        except TaskError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Task added")
            return redirect(_tasks_url(referral))
    return render(
        request,
        "worklist/task_form.html",
        case_context(request, referral, "tasks", form=form, tasks_url=_tasks_url(referral)),
    )


@case_view(Perm.CASES_MANAGE)
def task_complete_view(request, pk, task_pk):
    """Mark a task done: a confirmation page, then a POST naming the version it saw."""
    referral = load_case(request, pk, section="Tasks")
    task = task_for_case(referral, uuid_or_404(task_pk))
    if task is None:
        raise Http404("No such task")
    form = CompleteForm(request.POST or None, initial={"version": task.version})
    if request.method == "POST" and form.is_valid():
        try:
            task_complete(
                actor=request.user, task=task, expected_version=form.cleaned_data["version"]
            )
        except TaskAlreadyClosedError as problem:
            # A second click, or someone else was quicker: nothing changed, nothing lost.
            messages.info(request, str(problem))
            return redirect(_tasks_url(referral))
        except TaskError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Task marked as done")
            return redirect(_tasks_url(referral))
    return render(
        request,
        "worklist/task_complete.html",
        case_context(
            request, referral, "tasks", task=task, form=form, tasks_url=_tasks_url(referral)
        ),
    )
