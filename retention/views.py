"""The Disposal queue, and the Retention section of a case. Every response carries
Cache-Control: no-store (case references are case data)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from prevent_portal.accounts.roles import Perm, has_perm
from referrals.case_pages import case_context, load_case
from referrals.views import case_view
from retention.forms import DecisionForm, HoldForm, ProposeForm
from retention.selectors import COMING_UP_DAYS, case_retention, disposal_queue, recent_disposals
from retention.services import (
    RetentionError,
    disposal_approve,
    disposal_propose,
    disposal_withdraw,
    hold_lift,
    hold_place,
)


@case_view(Perm.CASES_SUPERVISE)
def queue(request):
    """Cases due for disposal (and due within 30 days), with their proposals and holds."""
    today = timezone.localdate()
    return render(
        request,
        "retention/queue.html",
        {
            "review": disposal_queue(request.user, today),
            "recent": recent_disposals(request.user),
            "coming_up_days": COMING_UP_DAYS,
            "crumbs": [("Cases", reverse("referrals:index")), ("Disposal", "")],
        },
    )


def _section_url(referral):
    return reverse("retention:case", kwargs={"pk": referral.pk})


def _act(request, referral, state, action):
    """Run one POSTed action; return (form with errors or None, done message or None)."""
    user = request.user
    if action == "propose":
        form = ProposeForm(request.POST)
        if not form.is_valid():
            return {"propose_form": form}, None
        disposal_propose(actor=user, referral=referral, reason=form.cleaned_data["reason"])
        return None, "Disposal proposed: a second supervisor must now approve it"
    if action == "hold":
        form = HoldForm(request.POST)
        if not form.is_valid():
            return {"hold_form": form}, None
        hold_place(actor=user, referral=referral, reason=form.cleaned_data["hold_reason"])
        return None, "Legal hold placed"
    if action == "lift" and state["hold"] is not None:
        hold_lift(actor=user, hold=state["hold"])
        return None, "Legal hold lifted"
    if action in ("approve", "withdraw"):
        decision = DecisionForm(request.POST)
        if state["proposal"] is None or not decision.is_valid():
            raise RetentionError("There is no proposal waiting for approval on this case.")
        version = decision.cleaned_data["version"]
        if action == "approve":
            disposal_approve(actor=user, disposal=state["proposal"], version=version)
            return None, "Case disposed of: its personal data has been removed"
        disposal_withdraw(actor=user, disposal=state["proposal"], version=version)
        return None, "Proposed disposal withdrawn"
    raise RetentionError("Choose an action on this page.")


@case_view(Perm.CASES_VIEW)
def case_retention_view(request, pk):
    """The Retention section of a case: its disposal date, any hold, proposal, disposal.
    Supervisors act on it here (POST, one action per form)."""
    referral = load_case(request, pk, section="Retention", allow_disposed=True)
    can_supervise = has_perm(request.user, Perm.CASES_SUPERVISE)
    state = case_retention(referral)
    forms = {}
    errors = []
    if request.method == "POST":
        if not can_supervise:
            raise PermissionDenied
        try:
            forms, done = _act(request, referral, state, request.POST.get("action", ""))
        except RetentionError as problem:
            errors, done, forms = [str(problem)], None, {}
        if done:
            messages.success(request, done)
            return redirect(_section_url(referral))
        forms = forms or {}
        state = case_retention(referral)
    today = timezone.localdate()
    due = referral.disposal_due_on is not None and referral.disposal_due_on <= today
    return render(
        request,
        "retention/case_retention.html",
        case_context(
            request,
            referral,
            "retention",
            **state,
            today=today,
            due=due,
            can_supervise=can_supervise,
            propose_form=forms.get("propose_form") or ProposeForm(),
            hold_form=forms.get("hold_form") or HoldForm(),
            has_errors=bool(errors or forms),
            action_errors=errors,
        ),
    )
