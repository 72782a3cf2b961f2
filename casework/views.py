"""Case sections of case work: consent and support, notes, risk and escalations.

Case-viewing roles see them; Perm.CASES_MANAGE records. Every page fetches the case
through `load_case` (404 out of scope, view audited) and sends Cache-Control: no-store.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from casework import selectors
from casework.choices import ConsentGivenBy, RiskKind
from casework.forms import (
    ConsentForm,
    InterventionForm,
    InterventionTypeForm,
    NoteForm,
    ProviderForm,
    RiskFlagForm,
    RiskFlagUpdateForm,
    new_token,
)
from casework.models import InterventionType, Provider
from casework.services import (
    PLAN_OPEN_STATUSES,
    CaseworkError,
    ConflictError,
    InterventionData,
    consent_decisions_for,
    consent_record,
    intervention_add,
    intervention_update,
    note_add,
    risk_flag_raise,
    risk_flag_update,
)
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.services import audited_form_save
from referrals.case_pages import case_context, load_case, uuid_or_404
from referrals.choices import ReferralStatus
from referrals.transitions import is_allowed
from referrals.views import case_view

NOTES_PER_PAGE = 20
SUPPORT, NOTES, RISK = "consent-support", "notes", "risk"


def _page(request, referral, template, active, **extra):
    return render(request, template, case_context(request, referral, active, **extra))


def _conflict(form, version, problem) -> None:
    """Keep what was typed, against the version now current: a second try can work."""
    form.data = form.data.copy()
    form.data["version"] = str(version)
    form.add_error(None, str(problem))


# -- Consent and support ---------------------------------------------------------------


@case_view(Perm.CASES_VIEW)
def consent_support(request, pk):
    referral = load_case(request, pk, section="Consent and support")
    return _page(
        request,
        referral,
        "casework/consent_support.html",
        SUPPORT,
        consents=selectors.consent_records(referral),
        interventions=selectors.interventions(referral),
        can_manage=has_perm(request.user, Perm.CASES_MANAGE),
        consent_open=bool(consent_decisions_for(referral.status)),
        plan_open=referral.status in PLAN_OPEN_STATUSES,
        given_by_person=ConsentGivenBy.PERSON,
    )


@case_view(Perm.CASES_MANAGE)
def consent_create(request, pk):
    referral = load_case(request, pk, section="Consent and support")
    decisions = consent_decisions_for(referral.status)
    if request.method == "POST":
        form = ConsentForm(request.POST, referral=referral, decisions=decisions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = consent_record(
                    actor=request.user,
                    referral=referral,
                    decision=data["decision"],
                    given_by=data["given_by"],
                    given_by_name=data["given_by_name"],
                    decided_on=data["decided_on"],
                    note=data["note"],
                    expected_version=data["version"],
                    token=data["token"],
                )
            except ConflictError as problem:
                _conflict(form, referral.version, problem)
            except CaseworkError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(
                    request, f"Consent {record.get_decision_display().lower()} recorded"
                )
                return redirect("casework:consent-support", pk=referral.pk)
    else:
        form = ConsentForm(
            referral=referral,
            decisions=decisions,
            initial={"version": referral.version, "token": new_token()},
        )
    return _page(
        request, referral, "casework/consent_form.html", SUPPORT, form=form, open=bool(decisions)
    )


def _intervention_data(data) -> InterventionData:
    return InterventionData(
        kind=data["kind"],
        provider=data["provider"],
        goal=data["goal"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        sessions=data["sessions"],
        outcome=data["outcome"],
    )


@case_view(Perm.CASES_MANAGE)
def intervention_create(request, pk):
    referral = load_case(request, pk, section="Consent and support")
    if request.method == "POST":
        form = InterventionForm(request.POST, referral=referral)
        if form.is_valid():
            try:
                intervention_add(
                    actor=request.user,
                    referral=referral,
                    data=_intervention_data(form.cleaned_data),
                    token=form.cleaned_data["token"],
                )
            except CaseworkError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, "Intervention added to the support plan")
                return redirect("casework:consent-support", pk=referral.pk)
    else:
        form = InterventionForm(referral=referral, initial={"token": new_token()})
    return _page(
        request,
        referral,
        "casework/intervention_form.html",
        SUPPORT,
        form=form,
        open=referral.status in PLAN_OPEN_STATUSES,
        title="Add an intervention",
    )


@case_view(Perm.CASES_MANAGE)
def intervention_edit(request, pk, intervention_pk):
    referral = load_case(request, pk, section="Consent and support")
    intervention = selectors.intervention_of(referral, intervention_pk)
    if intervention is None:
        raise Http404("No such intervention")
    if request.method == "POST":
        form = InterventionForm(request.POST, referral=referral, intervention=intervention)
        if form.is_valid():
            try:
                intervention_update(
                    actor=request.user,
                    intervention=intervention,
                    data=_intervention_data(form.cleaned_data),
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as problem:
                intervention.refresh_from_db(fields=["version"])
                _conflict(form, intervention.version, problem)
            except CaseworkError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, "Intervention saved")
                return redirect("casework:consent-support", pk=referral.pk)
    else:
        form = InterventionForm(
            referral=referral,
            intervention=intervention,
            initial={
                "kind": intervention.kind_id,
                "provider": intervention.provider_id,
                "goal": intervention.goal,
                "starts_on": intervention.starts_on,
                "ends_on": intervention.ends_on,
                "sessions": intervention.sessions,
                "outcome": intervention.outcome,
                "version": intervention.version,
            },
        )
    return _page(
        request,
        referral,
        "casework/intervention_form.html",
        SUPPORT,
        form=form,
        open=True,
        title="Change an intervention",
    )


# -- Notes -----------------------------------------------------------------------------


@case_view(Perm.CASES_VIEW)
def note_list(request, pk):
    referral = load_case(request, pk, section="Notes")
    page = Paginator(selectors.notes(referral), NOTES_PER_PAGE).get_page(request.GET.get("page"))
    return _page(
        request,
        referral,
        "casework/notes.html",
        NOTES,
        page=page,
        can_manage=has_perm(request.user, Perm.CASES_MANAGE),
    )


@case_view(Perm.CASES_MANAGE)
def note_create(request, pk):
    referral = load_case(request, pk, section="Notes")
    source = request.POST if request.method == "POST" else request.GET
    corrects = None
    if source.get("corrects"):
        corrects = selectors.note_of(referral, uuid_or_404(source["corrects"]))
        if corrects is None:
            raise Http404("No such note")
    if request.method == "POST":
        form = NoteForm(request.POST, referral=referral)
        if form.is_valid():
            data = form.cleaned_data
            try:
                note_add(
                    actor=request.user,
                    referral=referral,
                    contact_at=data["contact_at"],
                    kind=data["kind"],
                    text=data["text"],
                    corrects=corrects,
                    token=data["token"],
                )
            except CaseworkError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, "Correction added" if corrects else "Note added")
                return redirect("casework:notes", pk=referral.pk)
    else:
        initial = {"token": new_token(), "corrects": corrects.pk if corrects else None}
        if corrects is not None:
            initial |= {
                "contact_at": timezone.localtime(corrects.contact_at),
                "kind": corrects.kind,
                "text": corrects.text,
            }
        form = NoteForm(referral=referral, initial=initial)
    return _page(request, referral, "casework/note_form.html", NOTES, form=form, corrects=corrects)


# -- Risk and escalations --------------------------------------------------------------


@case_view(Perm.CASES_VIEW)
def risk_list(request, pk):
    referral = load_case(request, pk, section="Risk and escalations")
    return _page(
        request,
        referral,
        "casework/risk.html",
        RISK,
        flags=selectors.risk_flags(referral),
        can_manage=has_perm(request.user, Perm.CASES_MANAGE),
    )


@case_view(Perm.CASES_MANAGE)
def risk_create(request, pk):
    referral = load_case(request, pk, section="Risk and escalations")
    offer_police_led = is_allowed(referral.status, ReferralStatus.POLICE_LED)
    if request.method == "POST":
        form = RiskFlagForm(request.POST, referral=referral, offer_police_led=offer_police_led)
        if form.is_valid():
            data = form.cleaned_data
            try:
                flag = risk_flag_raise(
                    actor=request.user,
                    referral=referral,
                    kind=data["kind"],
                    raised_on=data["raised_on"],
                    to_whom=data["to_whom"],
                    reason=data["reason"],
                    outcome=data["outcome"],
                    police_led=data.get("police_led", False),
                    expected_version=data["version"],
                    token=data["token"],
                )
            except ConflictError as problem:
                _conflict(form, referral.version, problem)
            except CaseworkError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, f"Recorded: {flag.get_kind_display()}")
                return redirect("casework:risk", pk=referral.pk)
    else:
        form = RiskFlagForm(
            referral=referral,
            offer_police_led=offer_police_led,
            initial={"version": referral.version, "token": new_token()},
        )
    return _page(
        request,
        referral,
        "casework/risk_form.html",
        RISK,
        form=form,
        title="Raise a risk flag or record an escalation",
        police_led=RiskKind.POLICE_LED,
    )


@case_view(Perm.CASES_MANAGE)
def risk_edit(request, pk, flag_pk):
    referral = load_case(request, pk, section="Risk and escalations")
    flag = selectors.risk_flag_of(referral, flag_pk)
    if flag is None:
        raise Http404("No such risk flag")
    if request.method == "POST":
        form = RiskFlagUpdateForm(request.POST, referral=referral, flag=flag)
        if form.is_valid():
            data = form.cleaned_data
            try:
                risk_flag_update(
                    actor=request.user,
                    flag=flag,
                    to_whom=data["to_whom"],
                    outcome=data["outcome"],
                    closed_on=data["closed_on"],
                    expected_version=data["version"],
                )
            except ConflictError as problem:
                flag.refresh_from_db(fields=["version"])
                _conflict(form, flag.version, problem)
            except CaseworkError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, "Risk flag saved")
                return redirect("casework:risk", pk=referral.pk)
    else:
        form = RiskFlagUpdateForm(
            referral=referral,
            flag=flag,
            initial={
                "to_whom": flag.to_whom,
                "outcome": flag.outcome,
                "closed_on": flag.closed_on,
                "version": flag.version,
            },
        )
    return _page(
        request,
        referral,
        "casework/risk_form.html",
        RISK,
        form=form,
        flag=flag,
        title="Record the outcome of a risk flag",
    )


# -- Reference data: providers and types of intervention (administrators) --------------


@permission_required(Perm.REFERENCE_MANAGE)
def reference(request):
    return render(
        request,
        "casework/reference.html",
        {
            "providers": Provider.objects.all(),
            "types": InterventionType.objects.all(),
            "crumbs": [("Reference data", reverse("governance:reference")), ("Support plans", "")],
        },
    )


def _reference_edit(request, *, form_class, instance, title):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = audited_form_save(actor=request.user, form=form)
        messages.success(request, f"{saved} saved")
        return redirect("casework:reference")
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "title": title,
            "back_url": reverse("casework:reference"),
            "crumbs": [
                ("Reference data", reverse("governance:reference")),
                ("Support plans", reverse("casework:reference")),
                (title, ""),
            ],
        },
    )


@permission_required(Perm.REFERENCE_MANAGE)
def provider_create(request):
    return _reference_edit(request, form_class=ProviderForm, instance=None, title="Add a provider")


@permission_required(Perm.REFERENCE_MANAGE)
def provider_edit(request, pk):
    return _reference_edit(
        request,
        form_class=ProviderForm,
        instance=get_object_or_404(Provider, pk=pk),
        title="Change a provider",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def intervention_type_create(request):
    return _reference_edit(
        request,
        form_class=InterventionTypeForm,
        instance=None,
        title="Add a type of intervention",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def intervention_type_edit(request, pk):
    return _reference_edit(
        request,
        form_class=InterventionTypeForm,
        instance=get_object_or_404(InterventionType, pk=pk),
        title="Change a type of intervention",
    )
