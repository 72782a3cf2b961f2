from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from community import selectors
from community.charts import bar_chart, level_chart
from community.filters import ActivityFilter, IncidentFilter, SummaryFilter
from community.forms import (
    ActivityForm,
    CorrectionForm,
    IncidentForm,
    IncidentImportForm,
    LocalIssueForm,
    NotableItemFormSet,
    SummaryForm,
)
from community.models import Activity, Incident, LocalIssue, TensionSummary
from community.pdf import summary_pdf
from community.services import (
    LOCKED_MESSAGE,
    ImportRowsError,
    SummaryError,
    export_record,
    incidents_import,
    record_create_or_change,
    record_delete,
    summary_correct,
    summary_issue,
    summary_pdf_record,
    summary_save,
)
from governance.selectors import partnership_name
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm
from prevent_portal.ui.exports import csv_response, xlsx_response
from prevent_portal.ui.uploads import UploadError, row_errors_page, upload_bytes
from prevent_portal.ui.words import counted

PAGE_SIZE = 25


def _crumbs(*extra):
    return [("Community", reverse("community:index")), *extra]


def _filtered_page(request, filterset, empty_queryset):
    rows = filterset.qs if filterset.is_valid() else empty_queryset
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return rows, page, query.urlencode()


@permission_required(Perm.COMMUNITY_VIEW)
def index(request):
    return render(
        request,
        "community/index.html",
        {
            "latest": selectors.latest_summary(),
            "incidents": selectors.recent_incidents(),
            "open_issues": selectors.local_issues_list().filter(status="open")[:5],
        },
    )


# --------------------------------------------------------------------------------------
# Weekly tension monitoring summaries
# --------------------------------------------------------------------------------------


@permission_required(Perm.COMMUNITY_VIEW)
def summary_list(request):
    summary_filter = SummaryFilter(request.GET, queryset=selectors.latest_summaries())
    rows, page, query = _filtered_page(request, summary_filter, TensionSummary.objects.none())
    levels = selectors.levels()
    return render(
        request,
        "community/summary_list.html",
        {
            "filter": summary_filter,
            "page": page,
            "query": query,
            "level_chart": level_chart(selectors.tension_over_time(rows), levels),
            "theme_chart": bar_chart(selectors.theme_counts(rows)),
            "crumbs": _crumbs(),
        },
    )


def _summary_form_page(request, *, summary, title):
    form = SummaryForm(request.POST or None, instance=summary)
    items = NotableItemFormSet(request.POST or None, instance=summary, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            saved = summary_save(actor=request.user, form=form, item_formset=items)
        except SummaryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{saved} saved as a draft")
            return redirect("community:summary-detail", pk=saved.pk)
    return render(
        request,
        "community/summary_form.html",
        {"form": form, "items": items, "title": title, "summary": summary, "crumbs": _crumbs()},
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def summary_create(request):
    return _summary_form_page(request, summary=None, title="Draft a weekly tension summary")


@permission_required(Perm.COMMUNITY_MANAGE)
def summary_edit(request, pk):
    summary = get_object_or_404(TensionSummary, pk=pk)
    if summary.is_issued:
        messages.error(request, LOCKED_MESSAGE)
        return redirect("community:summary-detail", pk=summary.pk)
    return _summary_form_page(request, summary=summary, title=f"Change the draft: {summary}")


@permission_required(Perm.COMMUNITY_VIEW)
def summary_detail(request, pk):
    summary = selectors.summary_with_items(pk)
    return render(
        request,
        "community/summary_detail.html",
        {
            "summary": summary,
            "revisions": selectors.summary_revisions(summary),
            "crumbs": _crumbs(("Weekly summaries", reverse("community:summary-list"))),
        },
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def summary_issue_confirm(request, pk):
    summary = get_object_or_404(TensionSummary.objects.select_related("level"), pk=pk)
    if summary.is_issued:
        messages.error(request, "This summary has already been issued")
        return redirect("community:summary-detail", pk=summary.pk)
    if request.method == "POST":
        try:
            summary_issue(actor=request.user, summary=summary)
        except SummaryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{summary} issued")
        return redirect("community:summary-detail", pk=summary.pk)
    return render(
        request,
        "community/summary_issue.html",
        {"summary": summary, "crumbs": _crumbs()},
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def summary_correct_start(request, pk):
    summary = get_object_or_404(TensionSummary, pk=pk)
    if not summary.is_issued or not summary.is_latest:
        messages.error(request, "Only the latest issued revision of a summary can be corrected")
        return redirect("community:summary-detail", pk=summary.pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = summary_correct(
                actor=request.user, summary=summary, reason=form.cleaned_data["reason"]
            )
        except SummaryError as error:
            messages.error(request, str(error))
            return redirect("community:summary-detail", pk=summary.pk)
        messages.success(request, f"Revision {revision.revision} drafted: make the correction")
        return redirect("community:summary-edit", pk=revision.pk)
    return render(
        request,
        "community/summary_correct.html",
        {"summary": summary, "form": form, "crumbs": _crumbs()},
    )


def _issued_summary(pk):
    summary = selectors.summary_with_items(pk)
    if not summary.is_issued:
        return summary, False
    return summary, True


@permission_required(Perm.COMMUNITY_VIEW)
def summary_print(request, pk):
    summary, issued = _issued_summary(pk)
    if not issued:
        messages.error(request, "Only an issued summary can be printed for distribution")
        return redirect("community:summary-detail", pk=summary.pk)
    return render(request, "community/summary_print.html", {"summary": summary})


@permission_required(Perm.COMMUNITY_VIEW)
def summary_pdf_download(request, pk):
    summary, issued = _issued_summary(pk)
    if not issued:
        messages.error(request, "Only an issued summary can be downloaded as a PDF")
        return redirect("community:summary-detail", pk=summary.pk)
    pdf = summary_pdf(
        summary,
        context={"generated_at": timezone.now(), "partnership_name": partnership_name()},
    )
    summary_pdf_record(actor=request.user, summary=summary)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"tension-summary-{summary.week_commencing:%Y-%m-%d}-r{summary.revision}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------------------
# Incidents
# --------------------------------------------------------------------------------------


@permission_required(Perm.COMMUNITY_VIEW)
def incident_list(request):
    incident_filter = IncidentFilter(request.GET, queryset=selectors.incidents_list())
    _rows, page, query = _filtered_page(request, incident_filter, Incident.objects.none())
    return render(
        request,
        "community/incident_list.html",
        {"filter": incident_filter, "page": page, "query": query, "crumbs": _crumbs()},
    )


EXPORT_HEADER = [
    "Date",
    "District",
    "Place",
    "Postcode",
    "Kind",
    "Ideology",
    "Group",
    "Reported by",
    "Removed",
    "Date removed",
    "Notes",
]


@permission_required(Perm.COMMUNITY_VIEW)
def incident_export(request):
    incident_filter = IncidentFilter(request.GET, queryset=selectors.incidents_list())
    rows = list(incident_filter.qs if incident_filter.is_valid() else Incident.objects.none())
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    filters = {k: v for k, v in request.GET.items() if k not in ("format", "page") and v}
    export_record(actor=request.user, what="incidents", fmt=fmt, rows=len(rows), filters=filters)
    data = [
        [
            incident.occurred_on,
            incident.district.name,
            incident.place,
            incident.postcode,
            incident.get_kind_display(),
            incident.get_ideology_display(),
            incident.group_name,
            incident.reported_by.name if incident.reported_by else "",
            "Yes" if incident.removed else "No",
            incident.removed_on or "",
            incident.notes,
        ]
        for incident in rows
    ]
    filename = f"incidents-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(filename, EXPORT_HEADER, data, sheet_title="Incidents")
    return csv_response(filename, EXPORT_HEADER, data)


def _record_form(request, *, form_class, instance, title, success_url, template="form"):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = record_create_or_change(actor=request.user, form=form)
        messages.success(request, f"{saved._meta.verbose_name.capitalize()} saved")
        return redirect(success_url)
    return render(
        request,
        "community/form.html",
        {"form": form, "title": title, "back_url": success_url, "crumbs": _crumbs()},
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def incident_create(request):
    return _record_form(
        request,
        form_class=IncidentForm,
        instance=None,
        title="Record an incident",
        success_url=reverse("community:incident-list"),
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def incident_edit(request, pk):
    return _record_form(
        request,
        form_class=IncidentForm,
        instance=get_object_or_404(Incident, pk=pk),
        title="Change an incident",
        success_url=reverse("community:incident-list"),
    )


def _delete_page(request, *, record, what, success_url):
    if request.method == "POST":
        record_delete(actor=request.user, record=record)
        messages.success(request, f"{what.capitalize()} deleted")
        return redirect(success_url)
    return render(
        request,
        "community/confirm_delete.html",
        {"record": record, "what": what, "back_url": success_url, "crumbs": _crumbs()},
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def incident_delete(request, pk):
    incident = get_object_or_404(Incident.objects.select_related("district"), pk=pk)
    return _delete_page(
        request, record=incident, what="incident", success_url=reverse("community:incident-list")
    )


@permission_required(Perm.COMMUNITY_VIEW)
def incident_trends(request):
    incident_filter = IncidentFilter(request.GET, queryset=selectors.incidents_list())
    rows = incident_filter.qs if incident_filter.is_valid() else Incident.objects.none()
    trends = selectors.incident_trends(rows)
    month_rows = [
        (f"{month:%b %Y}", n) for month, n in zip(trends.months, trends.month_totals, strict=True)
    ]
    return render(
        request,
        "community/incident_trends.html",
        {
            "filter": incident_filter,
            "trends": trends,
            "month_chart": bar_chart(month_rows, label_width=120),
            "district_chart": bar_chart(
                sorted(trends.district_totals.items(), key=lambda kv: (-kv[1], kv[0]))
            ),
            "kind_chart": bar_chart(trends.by_kind),
            "ideology_chart": bar_chart(trends.by_ideology),
            "crumbs": _crumbs(("Incidents", reverse("community:incident-list"))),
        },
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def incident_import(request):
    form = IncidentImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = incidents_import(
                actor=request.user, data=upload_bytes(upload), filename=upload.name[:200]
            )
        except UploadError as error:
            form.add_error("file", str(error))
        except ImportRowsError as error:
            form.add_error(
                "file", f"{counted(len(error.errors), 'row')} with errors: nothing imported"
            )
            row_errors = error.errors
        else:
            skipped = f" ({result.skipped} already recorded, skipped)" if result.skipped else ""
            messages.success(request, f"{result.created} incidents imported{skipped}")
            return redirect("community:incident-list")
    return render(
        request,
        "community/incident_import.html",
        {"form": form, "row_errors": row_errors_page(row_errors), "crumbs": _crumbs()},
    )


# --------------------------------------------------------------------------------------
# Engagement: activities and local issues
# --------------------------------------------------------------------------------------


@permission_required(Perm.COMMUNITY_VIEW)
def activity_list(request):
    activity_filter = ActivityFilter(request.GET, queryset=selectors.activities_list())
    _rows, page, query = _filtered_page(request, activity_filter, Activity.objects.none())
    return render(
        request,
        "community/activity_list.html",
        {"filter": activity_filter, "page": page, "query": query, "crumbs": _crumbs()},
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def activity_create(request):
    return _record_form(
        request,
        form_class=ActivityForm,
        instance=None,
        title="Record an engagement activity",
        success_url=reverse("community:activity-list"),
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def activity_edit(request, pk):
    return _record_form(
        request,
        form_class=ActivityForm,
        instance=get_object_or_404(Activity, pk=pk),
        title="Change an engagement activity",
        success_url=reverse("community:activity-list"),
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def activity_delete(request, pk):
    return _delete_page(
        request,
        record=get_object_or_404(Activity, pk=pk),
        what="activity",
        success_url=reverse("community:activity-list"),
    )


@permission_required(Perm.COMMUNITY_VIEW)
def issue_list(request):
    issues = selectors.local_issues_list()
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/issue_list.html",
        {"page": page, "query": "", "crumbs": _crumbs()},
    )


@permission_required(Perm.COMMUNITY_VIEW)
def issue_detail(request, pk):
    return render(
        request,
        "community/issue_detail.html",
        {
            "issue": selectors.local_issue_detail(pk),
            "crumbs": _crumbs(("Local issues", reverse("community:issue-list"))),
        },
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def issue_create(request):
    return _record_form(
        request,
        form_class=LocalIssueForm,
        instance=None,
        title="Add a local issue of concern",
        success_url=reverse("community:issue-list"),
    )


@permission_required(Perm.COMMUNITY_MANAGE)
def issue_edit(request, pk):
    issue = get_object_or_404(LocalIssue, pk=pk)
    return _record_form(
        request,
        form_class=LocalIssueForm,
        instance=issue,
        title="Change a local issue of concern",
        success_url=reverse("community:issue-detail", args=[issue.pk]),
    )
