"""VAF pages: the Assessments section of a case, and the framework versions for
administrators. Case pages go through `load_case` (scoped 404, audited view) and carry
Cache-Control: no-store."""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from referrals.case_pages import case_context, load_case
from referrals.views import case_view
from vaf.forms import COMPLETE, AssessmentForm, FrameworkVersionForm, initial_from
from vaf.models import Assessment, Framework
from vaf.selectors import (
    assessment_of_case,
    assessments_of_case,
    changes_between_assessments,
    current_framework,
    framework_structure,
    frameworks_for_admin,
    has_reached_information_gathering,
    latest_completed_assessment,
    previous_assessment,
    ratings_by_key,
)
from vaf.services import (
    AssessmentError,
    FrameworkError,
    assessment_create,
    assessment_update,
    framework_create_version,
)

SECTION = "Assessments"
TAB = "assessments"


def _assessment_or_404(referral, assessment_pk) -> Assessment:
    assessment = assessment_of_case(referral, assessment_pk)
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def _section_crumbs(referral, label: str) -> list:
    return [
        ("Cases", reverse("referrals:index")),
        (referral.reference, reverse("referrals:referral-detail", kwargs={"pk": referral.pk})),
        (SECTION, reverse("vaf:assessment-list", kwargs={"pk": referral.pk})),
        (label, ""),
    ]


@case_view(Perm.CASES_VIEW)
def assessment_list(request, pk):
    referral = load_case(request, pk, section=SECTION)
    return render(
        request,
        "vaf/assessment_list.html",
        case_context(
            request,
            referral,
            TAB,
            assessments=assessments_of_case(referral),
            may_manage=has_perm(request.user, Perm.CASES_MANAGE),
            may_start=has_reached_information_gathering(referral),
        ),
    )


def _form_page(request, referral, form, *, assessment, previous, title, error=None):
    return render(
        request,
        "vaf/assessment_form.html",
        case_context(
            request,
            referral,
            TAB,
            form=form,
            assessment=assessment,
            previous=previous,
            previous_levels={
                key: rating.level.label
                for key, rating in ratings_by_key(previous).items()
                if rating.level is not None
            },
            title=title,
            error=error,
            crumbs=_section_crumbs(referral, title),
        ),
    )


@case_view(Perm.CASES_MANAGE)
def assessment_create_view(request, pk):
    referral = load_case(request, pk, section=SECTION)
    if request.method == "POST":
        # A second submission of the same form: show what the first made.
        try:
            token = uuid.UUID(request.POST.get("token", ""))
        except ValueError:
            token = None
        done = Assessment.objects.filter(referral=referral, create_token=token).first()
        if token and done is not None:
            return redirect("vaf:assessment-detail", pk=referral.pk, assessment_pk=done.pk)
    framework = current_framework()
    if framework is None or not has_reached_information_gathering(referral):
        return render(
            request,
            "vaf/assessment_unavailable.html",
            case_context(
                request,
                referral,
                TAB,
                no_framework=framework is None,
                crumbs=_section_crumbs(referral, "New assessment"),
            ),
        )
    structure = framework_structure(framework)
    previous = latest_completed_assessment(referral)
    completing = request.POST.get("action") == COMPLETE
    form = AssessmentForm(
        request.POST or None,
        structure=structure,
        referral=referral,
        completing=completing,
        initial={
            **initial_from(previous, structure),
            "assessed_on": timezone.localdate(),
            "token": uuid.uuid4(),
        },
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_create(
                actor=request.user,
                referral=referral,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
                summary=form.cleaned_data["summary"],
                management_plan=form.cleaned_data["management_plan"],
                complete=completing,
                create_token=form.cleaned_data["token"],
            )
        except AssessmentError as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                "VAF assessment completed" if completing else "VAF assessment saved as a draft",
            )
            return redirect("vaf:assessment-detail", pk=referral.pk, assessment_pk=assessment.pk)
    return _form_page(
        request,
        referral,
        form,
        assessment=None,
        previous=previous,
        title="New VAF assessment",
        error=error,
    )


@case_view(Perm.CASES_VIEW)
def assessment_detail(request, pk, assessment_pk):
    referral = load_case(request, pk, section=SECTION)
    assessment = _assessment_or_404(referral, assessment_pk)
    structure = framework_structure(assessment.framework)
    groups = changes_between_assessments(structure, assessment, None)
    notes = {rating.factor.key: rating.note for rating in assessment.ratings.all()}
    return render(
        request,
        "vaf/assessment_detail.html",
        case_context(
            request,
            referral,
            TAB,
            assessment=assessment,
            groups=groups,
            notes=notes,
            may_edit=has_perm(request.user, Perm.CASES_MANAGE) and not assessment.is_completed,
            crumbs=_section_crumbs(referral, f"Assessment of {assessment.assessed_on:%-d %B %Y}"),
        ),
    )


@case_view(Perm.CASES_MANAGE)
def assessment_edit(request, pk, assessment_pk):
    referral = load_case(request, pk, section=SECTION)
    assessment = _assessment_or_404(referral, assessment_pk)
    if assessment.is_completed:
        messages.info(request, "This assessment is completed: it can no longer be changed")
        return redirect("vaf:assessment-detail", pk=referral.pk, assessment_pk=assessment.pk)
    structure = framework_structure(assessment.framework)
    completing = request.POST.get("action") == COMPLETE
    form = AssessmentForm(
        request.POST or None,
        structure=structure,
        referral=referral,
        completing=completing,
        initial={
            **initial_from(assessment, structure),
            "assessed_on": assessment.assessed_on,
            "version": assessment.version,
        },
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            assessment_update(
                actor=request.user,
                assessment=assessment,
                expected_version=form.cleaned_data["version"] or 0,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
                summary=form.cleaned_data["summary"],
                management_plan=form.cleaned_data["management_plan"],
                complete=completing,
            )
        except AssessmentError as problem:
            error = str(problem)
        else:
            messages.success(
                request, "VAF assessment completed" if completing else "VAF assessment saved"
            )
            return redirect("vaf:assessment-detail", pk=referral.pk, assessment_pk=assessment.pk)
    return _form_page(
        request,
        referral,
        form,
        assessment=assessment,
        previous=previous_assessment(assessment),
        title=f"Change the draft assessment of {assessment.assessed_on:%-d %B %Y}",
        error=error,
    )


@case_view(Perm.CASES_VIEW)
def assessment_changes(request, pk, assessment_pk):
    referral = load_case(request, pk, section=SECTION)
    assessment = _assessment_or_404(referral, assessment_pk)
    previous = previous_assessment(assessment)
    structure = framework_structure(assessment.framework)
    groups = changes_between_assessments(structure, assessment, previous)
    only_changes = request.GET.get("show") == "changes"
    changed = sum(row.changed for group in groups for row in group.rows)
    if only_changes:
        groups = [group for group in groups if any(row.changed for row in group.rows)]
        for group in groups:
            group.rows[:] = [row for row in group.rows if row.changed]
    return render(
        request,
        "vaf/assessment_changes.html",
        case_context(
            request,
            referral,
            TAB,
            assessment=assessment,
            previous=previous,
            groups=groups,
            changed=changed,
            total=len(structure.factors),
            only_changes=only_changes,
            crumbs=_section_crumbs(referral, "Significant changes"),
        ),
    )


@permission_required(Perm.REFERENCE_MANAGE)
def framework_list(request):
    return render(
        request,
        "vaf/framework_list.html",
        {
            "frameworks": frameworks_for_admin(),
            "crumbs": [("Reference data", reverse("governance:reference"))],
        },
    )


@permission_required(Perm.REFERENCE_MANAGE)
def framework_detail(request, framework_pk):
    framework = get_object_or_404(Framework, pk=framework_pk)
    return render(
        request,
        "vaf/framework_detail.html",
        {
            "structure": framework_structure(framework),
            "crumbs": [
                ("Reference data", reverse("governance:reference")),
                ("VAF versions", reverse("vaf:framework-list")),
                (framework.version_label, ""),
            ],
        },
    )


@permission_required(Perm.REFERENCE_MANAGE)
def framework_create(request):
    framework = current_framework()
    if framework is None:
        raise Http404("No current version to copy")
    structure = framework_structure(framework)
    form = FrameworkVersionForm(request.POST or None, structure=structure)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            created = framework_create_version(
                actor=request.user,
                version_label=form.cleaned_data["version_label"],
                in_force_from=form.cleaned_data["in_force_from"],
                wordings=form.wordings(),
            )
        except FrameworkError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Version “{created.version_label}” added and now in use")
            return redirect("vaf:framework-detail", framework_pk=created.pk)
    return render(
        request,
        "vaf/framework_form.html",
        {
            "form": form,
            "structure": structure,
            "error": error,
            "crumbs": [
                ("Reference data", reverse("governance:reference")),
                ("VAF versions", reverse("vaf:framework-list")),
                ("New version", ""),
            ],
        },
    )
