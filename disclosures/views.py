"""Pages of the register, the disclosure log and subject access. Every response carries
Cache-Control: no-store.

The register: read by case-viewing roles, kept by supervisors of case work. The log across
cases: supervisors. A case's Disclosures section: case viewers; adding an entry: case
managers. Subject access: only users holding the subject-access grant, the identity grant
and cases.view (docs/security.md §14); anyone else gets a 403, a person or request outside
their scope a 404.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from disclosures import services
from disclosures.bundle import build_bundle, bundle_files, zip_bundle
from disclosures.choices import Decision
from disclosures.forms import (
    AgreementEndForm,
    AgreementForm,
    DisclosureForm,
    LogFilter,
    PersonSearchForm,
    ReleaseForm,
    RequestForm,
)
from disclosures.models import SharingAgreement
from disclosures.selectors import (
    agreements_for_list,
    case_entries,
    entries_for_log,
    people_search,
    person_for_request,
    request_for_page,
    requests_for_list,
)
from disclosures.services import DisclosureError
from prevent_portal.accounts.reauth import reauth_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from referrals.case_pages import case_context, load_case, uuid_or_404
from referrals.views import case_view

INFORMATION = ("Information sharing", "disclosures:index")
SAR = ("Subject access", "disclosures:sar-list")


def _crumbs(*pairs):
    return [(label, reverse(name) if name else "") for label, name in pairs]


def may_make_subject_access(user) -> bool:
    return (
        has_perm(user, Perm.CASES_VIEW) and user.can_make_subject_access and user.can_see_identities
    )


def subject_access_view(view):
    """cases.view and the per-user subject-access and identity grants, else 403."""

    @case_view(Perm.CASES_VIEW)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_make_subject_access(request.user):
            raise PermissionDenied("subject access grant")
        return view(request, *args, **kwargs)

    return wrapped


@case_view(Perm.CASES_VIEW)
def index(request):
    user = request.user
    return render(
        request,
        "disclosures/index.html",
        {
            "can_supervise": has_perm(user, Perm.CASES_SUPERVISE),
            "can_subject_access": may_make_subject_access(user),
            "crumbs": _crumbs((INFORMATION[0], None)),
        },
    )


# --------------------------------------------------------------------------------------
# The register
# --------------------------------------------------------------------------------------


@case_view(Perm.CASES_VIEW)
def agreement_list(request):
    page = Paginator(agreements_for_list(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosures/agreement_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "can_supervise": has_perm(request.user, Perm.CASES_SUPERVISE),
            "crumbs": _crumbs(INFORMATION, ("Information-sharing agreements", None)),
        },
    )


def _agreement_or_404(pk) -> SharingAgreement:
    agreement = agreements_for_list().filter(pk=uuid_or_404(pk)).first()
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


def _form_page(request, form, *, title, crumbs, back_url, intro="", template="form.html"):
    return render(
        request,
        f"disclosures/{template}",
        {"form": form, "title": title, "crumbs": crumbs, "back_url": back_url, "intro": intro},
    )


REGISTER_CRUMBS = (INFORMATION, ("Information-sharing agreements", "disclosures:agreement-list"))


@case_view(Perm.CASES_SUPERVISE)
def agreement_create(request):
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_create(actor=request.user, data=data, token=data["token"])
        except DisclosureError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Agreement added to the register")
            return redirect("disclosures:agreement-list")
    return _form_page(
        request,
        form,
        title="Add an information-sharing agreement",
        crumbs=_crumbs(*REGISTER_CRUMBS, ("Add an agreement", None)),
        back_url=reverse("disclosures:agreement-list"),
    )


def _keep_typed(form, problem, version):
    """A conflict keeps what was typed, against the version now stored."""
    form.data = form.data.copy()
    form.data["version"] = str(version)
    form.add_error(None, str(problem))


@case_view(Perm.CASES_SUPERVISE)
def agreement_edit(request, pk):
    agreement = _agreement_or_404(pk)
    form = AgreementForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_update(
                actor=request.user,
                agreement=agreement,
                data=data,
                expected_version=data["version"],
            )
        except services.StaleError as problem:
            agreement.refresh_from_db()
            _keep_typed(form, problem, agreement.version)
        else:
            messages.success(request, "Agreement changed")
            return redirect("disclosures:agreement-list")
    return _form_page(
        request,
        form,
        title="Change an information-sharing agreement",
        intro=agreement.title,
        crumbs=_crumbs(*REGISTER_CRUMBS, ("Change an agreement", None)),
        back_url=reverse("disclosures:agreement-list"),
    )


@case_view(Perm.CASES_SUPERVISE)
def agreement_end(request, pk):
    agreement = _agreement_or_404(pk)
    form = AgreementEndForm(
        request.POST or None,
        initial={"ended_on": timezone.localdate(), "version": agreement.version},
    )
    if not agreement.is_active:
        messages.info(request, "This agreement has already ended")
        return redirect("disclosures:agreement-list")
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_end(
                actor=request.user,
                agreement=agreement,
                ended_on=form.cleaned_data["ended_on"],
                expected_version=form.cleaned_data["version"],
            )
        except DisclosureError as problem:
            agreement.refresh_from_db()
            _keep_typed(form, problem, agreement.version)
        else:
            messages.success(request, "Agreement ended")
            return redirect("disclosures:agreement-list")
    return _form_page(
        request,
        form,
        title="End an information-sharing agreement",
        intro=f"{agreement.title} ({agreement.organisation}). Disclosures already logged "
        "under it keep pointing at it; no new ones can be.",
        crumbs=_crumbs(*REGISTER_CRUMBS, ("End an agreement", None)),
        back_url=reverse("disclosures:agreement-list"),
    )


# --------------------------------------------------------------------------------------
# The disclosure log
# --------------------------------------------------------------------------------------


@case_view(Perm.CASES_SUPERVISE)
def log(request):
    """The log across cases, filtered and paginated; opening it is an audited view."""
    log_filter = LogFilter(request.GET or None, queryset=entries_for_log(request.user))
    if log_filter.is_bound and not log_filter.is_valid():
        entries = entries_for_log(request.user).none()
    else:
        entries = log_filter.qs
    page = Paginator(entries.order_by("-shared_on", "-recorded_at"), 25).get_page(
        request.GET.get("page")
    )
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        summary=f"Viewed the disclosure log (page {page.number})",
        target=("disclosures.log", "all"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosures/log.html",
        {
            "filter": log_filter,
            "page": page,
            "query": query.urlencode(),
            "crumbs": _crumbs(INFORMATION, ("Disclosure log", None)),
        },
    )


def _case_url(referral):
    return reverse("disclosures:case", kwargs={"pk": referral.pk})


@case_view(Perm.CASES_VIEW)
def case_disclosures(request, pk):
    """The Disclosures section of a case."""
    referral = load_case(request, pk, section="Disclosures")
    return render(
        request,
        "disclosures/case_disclosures.html",
        case_context(
            request,
            referral,
            "disclosures",
            entries=case_entries(referral),
            can_add=has_perm(request.user, Perm.CASES_MANAGE),
        ),
    )


@case_view(Perm.CASES_MANAGE)
def entry_create(request, pk):
    referral = load_case(request, pk, section="Disclosures")
    form = DisclosureForm(request.POST or None, initial={"shared_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_disclosure(
                actor=request.user,
                referral=referral,
                what_shared=data["what_shared"],
                recipient_partner=data["recipient_partner"],
                recipient_organisation=data["recipient_organisation"],
                recipient_role=data["recipient_role"],
                purpose=data["purpose"],
                lawful_basis=data["lawful_basis"],
                agreement=data["agreement"],
                shared_on=data["shared_on"],
                method=data["method"],
                dedupe_key=f"form:{data['token']}",
            )
        except DisclosureError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Disclosure added to the log")
            return redirect(_case_url(referral))
    return render(
        request,
        "disclosures/entry_form.html",
        case_context(request, referral, "disclosures", form=form, back_url=_case_url(referral)),
    )


# --------------------------------------------------------------------------------------
# Subject access
# --------------------------------------------------------------------------------------


@subject_access_view
def sar_list(request):
    page = Paginator(requests_for_list(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosures/sar_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "crumbs": _crumbs(INFORMATION, (SAR[0], None)),
        },
    )


@subject_access_view
def sar_start(request):
    """Find the person: by POST, so that a name never appears in a URL or a server log."""
    form = PersonSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = people_search(
            request.user,
            name=form.cleaned_data["name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
        audit_record(
            actor=request.user,
            verb=AuditEvent.Verb.VIEW,
            summary=f"Searched for a person for a subject access request ({len(results)} found)",
        )
    return render(
        request,
        "disclosures/sar_start.html",
        {
            "form": form,
            "results": results,
            "crumbs": _crumbs(INFORMATION, SAR, ("Start a request", None)),
        },
    )


@subject_access_view
def sar_create(request, person_pk):
    person = person_for_request(request.user, uuid_or_404(person_pk))
    if person is None:
        raise Http404("No such person")
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sar = services.sar_create(
            actor=request.user,
            person=person,
            requester_name=data["requester_name"],
            requester_relationship=data["requester_relationship"],
            requester_contact=data["requester_contact"],
            identity_check=data["identity_check"],
            received_on=data["received_on"],
            token=data["token"],
        )
        messages.success(request, "Subject access request started: review the bundle")
        return redirect("disclosures:sar-review", pk=sar.pk)
    return render(
        request,
        "disclosures/sar_form.html",
        {
            "form": form,
            "person": person,
            "crumbs": _crumbs(INFORMATION, SAR, ("Start a request", None)),
        },
    )


def _request_or_404(request, pk):
    sar = request_for_page(request.user, uuid_or_404(pk))
    if sar is None:
        raise Http404("No such request")
    return sar


def _read_decisions(post, flagged) -> tuple[dict, dict]:
    """{key: (decision, note)} for the flagged items of the bundle now, and errors by
    field name. Keys posted for items no longer in the bundle are ignored."""
    by_key = {cell.key: cell for cell in flagged}
    decisions, errors = {}, {}
    for index in range(len(flagged) + 1):
        key = post.get(f"key-{index}", "")
        if key not in by_key:
            continue
        decision = post.get(f"decision-{index}", "")
        note = post.get(f"note-{index}", "").replace("\x00", "").strip()
        if decision not in ("", *Decision.values):
            errors[f"decision-{index}"] = "Choose redact or release"
        if len(note) > 500:
            errors[f"note-{index}"] = "The note must be 500 characters or fewer"
        decisions[key] = (decision, note)
    return decisions, errors


@subject_access_view
def sar_review(request, pk):
    """The bundle, item by item, with each flagged item's redact or release decision."""
    sar = _request_or_404(request, pk)
    bundle = build_bundle(sar, user=request.user)
    errors, problem = {}, ""
    if request.method == "POST":
        if sar.is_released:
            raise PermissionDenied("released")
        decisions, errors = _read_decisions(request.POST, bundle.flagged)
        version = request.POST.get("version", "")
        if not errors:
            try:
                services.sar_decide(
                    actor=request.user,
                    request=sar,
                    decisions=decisions,
                    expected_version=int(version) if version.isdigit() else -1,
                )
            except DisclosureError as error:
                problem = str(error)
            else:
                messages.success(request, "Decisions saved")
                return redirect("disclosures:sar-review", pk=sar.pk)
    services.sar_record_view(actor=request.user, request=sar, what="bundle")
    for index, cell in enumerate(bundle.flagged):
        cell.index = index
        cell.error = errors.get(f"decision-{index}", "")
        cell.note_error = errors.get(f"note-{index}", "")
    return render(
        request,
        "disclosures/sar_review.html",
        {
            "sar": sar,
            "bundle": bundle,
            "errors": errors,
            "problem": problem,
            "flagged": bundle.flagged,
            "undecided": len(bundle.undecided),
            "crumbs": _crumbs(INFORMATION, SAR, ("Review the bundle", None)),
        },
    )


@subject_access_view
def sar_release(request, pk):
    """Approve the reviewed bundle for release: a confirmation page, then a POST."""
    sar = _request_or_404(request, pk)
    bundle = build_bundle(sar, user=request.user)
    form = ReleaseForm(request.POST or None, initial={"version": sar.version})
    if sar.is_released:
        messages.info(request, "This bundle has already been approved for release")
        return redirect("disclosures:sar-review", pk=sar.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.sar_release(
                actor=request.user,
                request=sar,
                expected_version=form.cleaned_data["version"],
                bundle=bundle,
            )
        except DisclosureError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Bundle approved for release: you can now download it")
            return redirect("disclosures:sar-review", pk=sar.pk)
    services.sar_record_view(actor=request.user, request=sar, what="release summary")
    flagged = bundle.flagged
    return render(
        request,
        "disclosures/sar_release.html",
        {
            "sar": sar,
            "bundle": bundle,
            "form": form,
            "to_redact": sum(1 for cell in flagged if cell.decision == Decision.REDACT),
            "to_release": sum(1 for cell in flagged if cell.decision == Decision.RELEASE),
            "undecided": len(bundle.undecided),
            "crumbs": _crumbs(INFORMATION, SAR, ("Approve for release", None)),
        },
    )


@subject_access_view
@reauth_required
def sar_download(request, pk):
    """The released bundle as a ZIP (a PDF and one CSV per section), built now from the
    records and the recorded decisions; audited as an export."""
    sar = _request_or_404(request, pk)
    if not sar.is_released:
        raise PermissionDenied("not released")
    bundle = build_bundle(sar, user=request.user)
    producer = request.user.get_full_name() or request.user.get_username()
    files = bundle_files(bundle, producer=producer)
    services.sar_record_download(actor=request.user, request=sar, files=sorted(files))
    response = HttpResponse(zip_bundle(files), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{sar.received_on:%Y-%m-%d}.zip"'
    )
    return response
