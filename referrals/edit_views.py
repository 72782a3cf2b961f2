"""Pages that change a case after intake (the person, the referral, the case manager),
and the import of earlier referrals. Every response carries Cache-Control: no-store."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from prevent_portal.accounts.models import User
from prevent_portal.accounts.roles import Perm
from prevent_portal.ui.uploads import ImportRowsError, UploadError, row_errors_page, upload_bytes
from prevent_portal.ui.words import counted
from referrals import importers
from referrals.case_pages import case_context, load_case, uuid_or_404
from referrals.editing import (
    PersonEdit,
    PersonStaleError,
    ReferralEdit,
    case_manager_roles,
    person_update,
    referral_reassign,
    referral_update,
)
from referrals.forms import PersonEditForm, ReassignForm, ReferralEditForm, ReferralImportForm
from referrals.models import ReferralImport
from referrals.services import ReferralError, StaleVersionError
from referrals.views import case_view


def _edit_context(request, referral, title, form, **extra):
    case_url = reverse("referrals:referral-detail", kwargs={"pk": referral.pk})
    return case_context(
        request,
        referral,
        "case",
        form=form,
        title=title,
        case_section=title,
        case_url=case_url,
        crumbs=[
            ("Cases", reverse("referrals:index")),
            (referral.reference, case_url),
            (title, ""),
        ],
        **extra,
    )


def _save(request, form, current_version, save, stale_error=StaleVersionError) -> bool:
    """Validate and save; a stale version or a refusal puts a message on the form. After
    a conflict the form keeps what was typed but carries the version now stored, so the
    user can check the latest details and choose to save again."""
    stale = form.data.get("version") != str(current_version)
    if stale or not form.is_valid():
        if stale:
            form.is_valid()
            form.data = form.data.copy()
            form.data["version"] = str(current_version)
            form.add_error(None, str(stale_error()))
        return False
    try:
        save(form.cleaned_data)
    except StaleVersionError as problem:
        form.data = form.data.copy()
        form.data["version"] = str(current_version)
        form.add_error(None, str(problem))
        return False
    except ReferralError as problem:
        form.add_error(None, str(problem))
        return False
    return True


@case_view(Perm.CASES_MANAGE)
def person_edit(request, pk):
    """Every field of a person identifies them: only users with the identity grant."""
    if not request.user.can_see_identities:
        raise PermissionDenied("identity grant")
    referral = load_case(request, pk, section="Change the person's details")
    person = referral.person
    initial = {
        name: getattr(person, name)
        for name in PersonEdit.__dataclass_fields__
        if name not in ("sex", "district")
    } | {"sex": person.sex_id, "district": person.district_id, "version": person.version}
    form = PersonEditForm(request.POST or None, initial=initial, person=person)

    def save(data):
        person_update(
            actor=request.user,
            person=person,
            data=PersonEdit(**{name: data[name] for name in PersonEdit.__dataclass_fields__}),
            expected_version=data["version"],
        )

    posted = request.method == "POST"
    if posted and _save(request, form, person.version, save, stale_error=PersonStaleError):
        messages.success(request, "The person's details have been saved")
        return redirect("referrals:referral-detail", pk=referral.pk)
    title = "Change the person's details"
    return render(
        request, "referrals/case_edit.html", _edit_context(request, referral, title, form)
    )


@case_view(Perm.CASES_MANAGE)
def referral_edit(request, pk):
    referral = load_case(request, pk, section="Change the referral's details")
    show = request.user.can_see_identities
    initial = {
        name: getattr(referral, name)
        for name in ReferralEdit.__dataclass_fields__
        if name not in ("sector", "concern_types", "primary_concern")
    } | {
        "sector": referral.sector_id,
        "primary_concern": referral.primary_concern_id,
        "concern_types": [item.pk for item in referral.concern_types.all()],
        "version": referral.version,
    }
    form = ReferralEditForm(
        request.POST or None, initial=initial, referral=referral, show_identities=show
    )

    def save(data):
        values = {name: data[name] for name in ReferralEdit.__dataclass_fields__ if name in data}
        values["concern_types"] = list(values["concern_types"])
        referral_update(
            actor=request.user,
            referral=referral,
            data=ReferralEdit(**values),
            expected_version=data["version"],
        )

    if request.method == "POST" and _save(request, form, referral.version, save):
        messages.success(request, "The referral's details have been saved")
        return redirect("referrals:referral-detail", pk=referral.pk)
    title = "Change the referral's details"
    return render(
        request, "referrals/case_edit.html", _edit_context(request, referral, title, form)
    )


def case_managers():
    return (
        User.objects.filter(is_active=True, roles__role__in=case_manager_roles())
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@case_view(Perm.CASES_SUPERVISE)
def case_manager_edit(request, pk):
    referral = load_case(request, pk, section="Reassign the case")
    form = ReassignForm(
        request.POST or None,
        initial={"case_manager": referral.case_manager_id, "version": referral.version},
        managers=case_managers(),
    )

    def save(data):
        referral_reassign(
            actor=request.user,
            referral=referral,
            case_manager=data["case_manager"],
            expected_version=data["version"],
        )

    if request.method == "POST" and _save(request, form, referral.version, save):
        messages.success(request, f"Case {referral.reference} reassigned")
        return redirect("referrals:referral-detail", pk=referral.pk)
    title = "Reassign the case"
    return render(
        request, "referrals/case_edit.html", _edit_context(request, referral, title, form)
    )


def _import_crumbs(*more):
    return [("Cases", reverse("referrals:index")), *more]


@case_view(Perm.CASES_SUPERVISE)
def referral_import(request):
    posted = request.method == "POST"
    form = ReferralImportForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = importers.import_upload(
                actor=request.user, data=upload_bytes(form.cleaned_data["file"])
            )
        except UploadError as error:
            form.add_error("file", str(error))
        else:
            return redirect("referrals:import-confirm", pk=pending.pk)
    return render(
        request,
        "referrals/import.html",
        {"form": form, "crumbs": _import_crumbs(("Import earlier referrals", ""))},
    )


@case_view(Perm.CASES_SUPERVISE)
def referral_import_confirm(request, pk):
    """Preview every row and its problems; a POST imports the file (all rows or none)."""
    upload = ReferralImport.objects.filter(pk=uuid_or_404(pk)).first()
    if upload is None:
        raise Http404("No such import")
    if upload.status == ReferralImport.Status.IMPORTED:
        messages.success(request, "This file has been imported")
        return redirect("referrals:index")
    error, preview = "", None
    if request.method == "POST":
        try:
            counts = importers.referrals_import(actor=request.user, upload=upload)
        except (UploadError, ImportRowsError) as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                f"{counted(counts['referrals'], 'referral')} imported: "
                f"{counted(counts['people_new'], 'new person', 'new people')}, "
                f"{counts['people_matched']:,} already on record",
            )
            return redirect("referrals:index")
    try:
        preview = importers.load_preview(upload)
    except UploadError as problem:
        error = str(problem)
    return render(
        request,
        "referrals/import_confirm.html",
        {
            "upload": upload,
            "preview": preview,
            "row_errors": row_errors_page(preview.errors if preview else []),
            "error": error,
            "show_identities": request.user.can_see_identities,
            "crumbs": _import_crumbs(
                ("Import earlier referrals", reverse("referrals:import")), ("Check", "")
            ),
        },
    )
