from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from education.filters import EnquiryFilter, SessionFilter, SettingFilter
from education.forms import (
    EnquiryForm,
    FiguresPeriodForm,
    NewsletterForm,
    SessionForm,
    SettingForm,
    UploadForm,
)
from education.models import Enquiry, Newsletter, OutreachSession, PendingImport, Setting
from education.selectors import (
    education_figures,
    enquiries_list,
    newsletters_list,
    sessions_list,
    settings_register,
)
from education.selectors import (
    session_detail as get_session,
)
from education.selectors import (
    setting_detail as get_setting,
)
from education.services import (
    REGISTER_MAX_BYTES,
    ImportRowsError,
    export_record,
    outreach_import,
    record_save,
    register_changes,
    register_import_confirm,
    register_import_prepare,
)
from education.services import (
    session_delete as delete_session,
)
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.ui.exports import csv_response, xlsx_response
from prevent_portal.ui.uploads import UploadError, row_errors_page, upload_bytes

PAGE_SIZE = 25


def _render(request, template, context):
    """render() with `can_manage`, so that pages offer changes only to those who may."""
    context["can_manage"] = has_perm(request.user, Perm.EDUCATION_MANAGE)
    return render(request, template, context)


def _crumbs(*extra):
    return [("Education", reverse("education:index")), *extra]


def _paginate(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _form_page(request, *, form, title, back_url, success_message, success_url=None):
    if request.method == "POST" and form.is_valid():
        saved = record_save(actor=request.user, form=form)
        messages.success(request, success_message.format(saved=saved))
        return redirect(success_url or saved.get_absolute_url())
    return _render(
        request, "education/form.html", {"form": form, "title": title, "back_url": back_url}
    )


@permission_required(Perm.EDUCATION_VIEW)
def index(request):
    year = timezone.localdate().year
    period = FiguresPeriodForm(
        request.GET if "start" in request.GET or "end" in request.GET else None,
        initial={"start": date(year, 1, 1), "end": date(year, 12, 31)},
    )
    start, end = date(year, 1, 1), date(year, 12, 31)
    if period.is_bound and period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    return _render(
        request,
        "education/index.html",
        {
            "period": period,
            "figures": education_figures(start, end),
            "recent_sessions": sessions_list()[:5],
            "open_enquiries": Enquiry.objects.filter(status="open").count(),
        },
    )


# --- The register of settings ---------------------------------------------------------


@permission_required(Perm.EDUCATION_VIEW)
def setting_list(request):
    setting_filter = SettingFilter(request.GET, queryset=settings_register())
    settings = setting_filter.qs if setting_filter.is_valid() else Setting.objects.none()
    page, query = _paginate(request, settings)
    return _render(
        request,
        "education/setting_list.html",
        {"filter": setting_filter, "page": page, "query": query, "crumbs": _crumbs()},
    )


@permission_required(Perm.EDUCATION_VIEW)
def setting_detail(request, pk):
    setting = get_setting(pk)
    return _render(
        request,
        "education/setting_detail.html",
        {
            "setting": setting,
            "crumbs": _crumbs(("Register of settings", reverse("education:setting-list"))),
        },
    )


@permission_required(Perm.EDUCATION_MANAGE)
def setting_create(request):
    return _form_page(
        request,
        form=SettingForm(request.POST or None),
        title="Add a setting",
        back_url=reverse("education:setting-list"),
        success_message="{saved} added",
    )


@permission_required(Perm.EDUCATION_MANAGE)
def setting_edit(request, pk):
    setting = get_object_or_404(Setting, pk=pk)
    return _form_page(
        request,
        form=SettingForm(request.POST or None, instance=setting),
        title="Change a setting",
        back_url=setting.get_absolute_url(),
        success_message="{saved} saved",
    )


REGISTER_HELP = (
    "The GIAS establishment extract as downloaded from Get Information about Schools, or a "
    "CSV with the columns urn, name, phase, district"
)


@permission_required(Perm.EDUCATION_MANAGE)
def setting_import(request):
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        help_text=REGISTER_HELP,
        submit_label="Continue",
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = register_import_prepare(
                actor=request.user,
                data=upload_bytes(upload, max_bytes=REGISTER_MAX_BYTES),
                filename=upload.name,
            )
        except UploadError as error:
            form.add_error("file", str(error))
        except ImportRowsError as error:
            form.add_error("file", "The selected file has errors: nothing has been imported")
            errors = error.errors
        else:
            return redirect("education:setting-import-confirm", pk=pending.pk)
    return _render(
        request,
        "education/import.html",
        {
            "form": form,
            "row_errors": row_errors_page(errors),
            "title": "Import the register of settings",
            "crumbs": _crumbs(("Register of settings", reverse("education:setting-list"))),
        },
    )


@permission_required(Perm.EDUCATION_MANAGE)
def setting_import_confirm(request, pk):
    pending = get_object_or_404(PendingImport, pk=pk)
    if request.method == "POST":
        try:
            result = register_import_confirm(actor=request.user, pending=pending)
        except PendingImport.DoesNotExist:
            # A second submission, after the first applied (and removed) the import.
            messages.success(request, "This file has already been imported")
            return redirect("education:setting-list")
        messages.success(
            request,
            f"Register imported: {result.new} new, {result.updated} updated, "
            f"{result.unchanged} unchanged",
        )
        return redirect("education:setting-list")
    changes = register_changes(pending.rows)
    return _render(
        request,
        "education/setting_import_preview.html",
        {
            "pending": pending,
            "changes": changes,
            "crumbs": _crumbs(("Register of settings", reverse("education:setting-list"))),
        },
    )


# --- Outreach sessions ---------------------------------------------------------------


def _filtered_sessions(request):
    session_filter = SessionFilter(request.GET, queryset=sessions_list())
    sessions = session_filter.qs if session_filter.is_valid() else OutreachSession.objects.none()
    return session_filter, sessions


@permission_required(Perm.EDUCATION_VIEW)
def session_list(request):
    session_filter, sessions = _filtered_sessions(request)
    page, query = _paginate(request, sessions)
    return _render(
        request,
        "education/session_list.html",
        {"filter": session_filter, "page": page, "query": query, "crumbs": _crumbs()},
    )


EXPORT_HEADER = [
    "Date",
    "PEO",
    "Audience",
    "Settings reached",
    "URNs",
    "Attendees",
    "Format",
    "Topic",
    "Notes",
    "Feedback quotes",
]


@permission_required(Perm.EDUCATION_VIEW)
def session_export(request):
    _filter, sessions = _filtered_sessions(request)
    sessions = list(sessions)
    kind = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    export_record(actor=request.user, what="outreach sessions", count=len(sessions), kind=kind)
    rows = [
        [
            s.date,
            str(s.peo),
            s.audience.name,
            "; ".join(setting.name for setting in s.settings.all()),
            "; ".join(str(setting.urn) for setting in s.settings.all()),
            s.attendees,
            s.get_format_display(),
            s.topic,
            s.notes,
            s.feedback,
        ]
        for s in sessions
    ]
    if kind == "xlsx":
        return xlsx_response(
            "outreach-sessions.xlsx", EXPORT_HEADER, rows, sheet_title="Outreach sessions"
        )
    return csv_response("outreach-sessions.csv", EXPORT_HEADER, rows)


@permission_required(Perm.EDUCATION_VIEW)
def session_detail(request, pk):
    return _render(
        request,
        "education/session_detail.html",
        {
            "session": get_session(pk),
            "crumbs": _crumbs(("Outreach sessions", reverse("education:session-list"))),
        },
    )


@permission_required(Perm.EDUCATION_MANAGE)
def session_create(request):
    form = SessionForm(request.POST or None, initial={"peo": request.user.pk})
    return _form_page(
        request,
        form=form,
        title="Record an outreach session",
        back_url=reverse("education:session-list"),
        success_message="Outreach session recorded",
    )


@permission_required(Perm.EDUCATION_MANAGE)
def session_edit(request, pk):
    session = get_object_or_404(OutreachSession, pk=pk)
    return _form_page(
        request,
        form=SessionForm(request.POST or None, instance=session),
        title="Change an outreach session",
        back_url=session.get_absolute_url(),
        success_message="Outreach session saved",
    )


@permission_required(Perm.EDUCATION_MANAGE)
def session_delete(request, pk):
    session = get_session(pk)
    if request.method == "POST":
        delete_session(actor=request.user, session=session)
        messages.success(request, "Outreach session deleted")
        return redirect("education:session-list")
    return _render(
        request,
        "education/session_confirm_delete.html",
        {
            "session": session,
            "crumbs": _crumbs(("Outreach sessions", reverse("education:session-list"))),
        },
    )


OUTREACH_HELP = (
    "Columns: date, audience, settings (URNs or names separated by ;), attendees, format, "
    "topic, and optionally notes. The sessions are recorded as delivered by you."
)


@permission_required(Perm.EDUCATION_MANAGE)
def session_import(request):
    form = UploadForm(
        request.POST or None, request.FILES or None, help_text=OUTREACH_HELP, submit_label="Import"
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = outreach_import(
                actor=request.user,
                peo=request.user,
                data=upload_bytes(upload),
                filename=upload.name,
            )
        except UploadError as error:
            form.add_error("file", str(error))
        except ImportRowsError as error:
            form.add_error("file", "The selected file has errors: nothing has been imported")
            errors = error.errors
        else:
            messages.success(
                request,
                f"{result.created} outreach sessions imported"
                + (
                    f" ({result.already_imported} already imported)"
                    if result.already_imported
                    else ""
                ),
            )
            return redirect("education:session-list")
    return _render(
        request,
        "education/import.html",
        {
            "form": form,
            "row_errors": row_errors_page(errors),
            "title": "Import outreach sessions",
            "crumbs": _crumbs(("Outreach sessions", reverse("education:session-list"))),
        },
    )


# --- Enquiries and newsletters -------------------------------------------------------


@permission_required(Perm.EDUCATION_VIEW)
def enquiry_list(request):
    enquiry_filter = EnquiryFilter(request.GET, queryset=enquiries_list())
    enquiries = enquiry_filter.qs if enquiry_filter.is_valid() else Enquiry.objects.none()
    page, query = _paginate(request, enquiries)
    return _render(
        request,
        "education/enquiry_list.html",
        {"filter": enquiry_filter, "page": page, "query": query, "crumbs": _crumbs()},
    )


@permission_required(Perm.EDUCATION_MANAGE)
def enquiry_create(request):
    return _form_page(
        request,
        form=EnquiryForm(request.POST or None, initial={"handled_by": request.user.pk}),
        title="Record an enquiry",
        back_url=reverse("education:enquiry-list"),
        success_message="Enquiry recorded",
        success_url=reverse("education:enquiry-list"),
    )


@permission_required(Perm.EDUCATION_MANAGE)
def enquiry_edit(request, pk):
    return _form_page(
        request,
        form=EnquiryForm(request.POST or None, instance=get_object_or_404(Enquiry, pk=pk)),
        title="Change an enquiry",
        back_url=reverse("education:enquiry-list"),
        success_message="Enquiry saved",
        success_url=reverse("education:enquiry-list"),
    )


@permission_required(Perm.EDUCATION_VIEW)
def newsletter_list(request):
    page, query = _paginate(request, newsletters_list())
    return _render(
        request,
        "education/newsletter_list.html",
        {"page": page, "query": query, "crumbs": _crumbs()},
    )


@permission_required(Perm.EDUCATION_MANAGE)
def newsletter_create(request):
    return _form_page(
        request,
        form=NewsletterForm(request.POST or None),
        title="Record a newsletter",
        back_url=reverse("education:newsletter-list"),
        success_message="Newsletter {saved} recorded",
        success_url=reverse("education:newsletter-list"),
    )


@permission_required(Perm.EDUCATION_MANAGE)
def newsletter_edit(request, pk):
    return _form_page(
        request,
        form=NewsletterForm(request.POST or None, instance=get_object_or_404(Newsletter, pk=pk)),
        title="Change a newsletter",
        back_url=reverse("education:newsletter-list"),
        success_message="Newsletter {saved} saved",
        success_url=reverse("education:newsletter-list"),
    )
