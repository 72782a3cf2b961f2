from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from governance.models import BoardMeeting
from governance.selectors import partnership_name
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.accounts.selectors import account_changes_to_decide_count
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.exports import csv_response, xlsx_response
from prevent_portal.ui.navigation import areas_for
from prevent_portal.ui.pdf import render_pdf
from reporting.annual import annual_figures
from reporting.diffs import side_by_side
from reporting.documents import (
    annual_report_pdf,
    charts_inline,
    document_context,
    pdf_filename,
    provenance_links,
)
from reporting.forms import ApproveForm, AuthorForm, EditionForm, RestoreForm, SectionForm
from reporting.models import GeneratedReport, ReportEdition, SectionRevision
from reporting.narrative import render_narrative
from reporting.selectors import (
    activity_headlines,
    board_view,
    editions_visible_to,
    may_write_in_edition,
    may_write_section,
    run_looks_stale,
    runs_list,
    section_history,
    section_state,
    section_states,
    sections_assigned_to,
)
from reporting.services import (
    EditionError,
    SectionConflictError,
    edition_approve,
    edition_create,
    edition_update,
    report_run_request,
    report_run_retry,
    section_assign,
    section_restore,
    section_save,
)
from reporting.statistics import referral_headlines
from reporting.tables import TABLES, report_table


def dashboard(request):
    """Home page: the signed-in user's areas, and nothing else."""
    return render(
        request,
        "reporting/dashboard.html",
        {
            "areas": areas_for(request.user),
            # Supervisors: account changes waiting for their approval (None for others).
            "account_changes": account_changes_to_decide_count(request.user),
            # Authors of annual report sections: how many wait for them (None for others).
            "report_sections": sections_assigned_to(request.user).count()
            if has_perm(request.user, Perm.REPORT_WRITE)
            else None,
        },
    )


@permission_required(Perm.FIGURES_VIEW)
def figures(request):
    """The year's activity in figures: training, education and community counts, which
    are not about individuals and so not suppressed. Counts about people (referrals) are
    in the annual report, suppressed (docs/security.md §15)."""
    headlines = activity_headlines(timezone.localdate())
    return render(request, "reporting/figures.html", {"view": {"activity": headlines}})


# The board page shows the first 20 overdue actions and changes, and links to the rest.
BOARD_LIST_LIMIT = 20


@permission_required(Perm.PLAN_VIEW)
def board(request):
    """The board's view of the plan and the risks (read-only for everyone)."""
    crumbs = [("Partnership", reverse("governance:index"))]
    meetings = BoardMeeting.objects.order_by("-held_on")[:12]
    # Referral counts, suppressed, for readers of aggregate figures only.
    headlines = None
    if has_perm(request.user, Perm.FIGURES_VIEW):
        headlines = referral_headlines(timezone.localdate())
    return render(
        request,
        "reporting/board.html",
        {
            "view": board_view(limit=BOARD_LIST_LIMIT),
            "crumbs": crumbs,
            "meetings": meetings,
            "referral_headlines": headlines,
        },
    )


@permission_required(Perm.PLAN_VIEW)
def board_pack(request):
    """The board view as a PDF for a meeting: as at the meeting's date when one is chosen,
    otherwise as at today. The download is audited."""
    meeting = None
    if request.GET.get("meeting"):
        try:
            meeting = BoardMeeting.objects.get(pk=int(request.GET["meeting"]))
        except (ValueError, BoardMeeting.DoesNotExist) as error:
            raise Http404("No such meeting") from error
    as_at = meeting.held_on if meeting else timezone.localdate()
    pdf = render_pdf(
        "reporting/board_pack.html",
        {
            "view": board_view(as_at, for_meeting=meeting),
            "meeting": meeting,
            "partnership": partnership_name() or "Prevent partnership",
            "generated_on": timezone.localdate(),
        },
    )
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Downloaded the board pack as at {as_at:%Y-%m-%d}",
        target=meeting or ("reporting.board_pack", as_at.isoformat()),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="board-pack-{as_at:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------------------
# The annual report
# --------------------------------------------------------------------------------------


def _edition(request, pk) -> ReportEdition:
    return get_object_or_404(editions_visible_to(request.user), pk=pk)


def _annual_crumbs(edition=None):
    crumbs = [("Annual report", reverse("reporting:annual-list"))]
    if edition is not None:
        crumbs.append((edition.title, reverse("reporting:annual-preview", args=[edition.pk])))
    return crumbs


@permission_required(Perm.FIGURES_VIEW)
def annual_list(request):
    can_manage = has_perm(request.user, Perm.REPORT_MANAGE)
    return render(
        request,
        "reporting/annual/list.html",
        {
            "editions": editions_visible_to(request.user),
            "can_manage": can_manage,
            "runs": runs_list()[:20] if can_manage else [],
        },
    )


def _edition_form_page(request, form, *, title, edition=None, error=""):
    return render(
        request,
        "reporting/annual/form.html",
        {
            "form": form,
            "title": title,
            "edition": edition,
            "error": error,
            "crumbs": _annual_crumbs(edition),
        },
    )


@permission_required(Perm.REPORT_MANAGE)
def annual_create(request):
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edition = edition_create(actor=request.user, data=data, token=data.get("token"))
        except EditionError as error:
            return _edition_form_page(request, form, title="Start an edition", error=str(error))
        messages.success(request, f"{edition.title} started")
        return redirect("reporting:annual-preview", edition.pk)
    return _edition_form_page(request, form, title="Start an edition")


@permission_required(Perm.REPORT_MANAGE)
def annual_edit(request, pk):
    edition = _edition(request, pk)
    form = EditionForm(request.POST or None, instance=edition)
    title = f"Change {edition.title}"
    if request.method == "POST" and form.is_valid():
        try:
            edition = edition_update(
                actor=request.user,
                edition=edition,
                data=form.cleaned_data,
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except EditionError as error:
            fresh = get_object_or_404(ReportEdition, pk=pk)
            form = EditionForm(instance=fresh)
            return _edition_form_page(request, form, title=title, edition=fresh, error=str(error))
        messages.success(request, f"{edition.title} saved")
        return redirect("reporting:annual-preview", edition.pk)
    return _edition_form_page(request, form, title=title, edition=edition)


@permission_required(Perm.REPORT_MANAGE)
def annual_approve(request, pk):
    edition = _edition(request, pk)
    error = ""
    if request.method == "POST":
        form = ApproveForm(request.POST)
        if form.is_valid():
            try:
                edition_approve(
                    actor=request.user,
                    edition=edition,
                    expected_version=form.cleaned_data["version"],
                )
            except EditionError as refused:
                error = str(refused)
            else:
                messages.success(request, f"{edition.title} approved")
                return redirect("reporting:annual-preview", edition.pk)
        else:
            error = "Something went wrong. Open the edition again and approve it."
    return render(
        request,
        "reporting/annual/approve.html",
        {"edition": edition, "error": error, "crumbs": _annual_crumbs(edition)},
    )


@permission_required(Perm.FIGURES_VIEW)
def annual_preview(request, pk):
    edition = _edition(request, pk)
    figures = annual_figures(edition.starts_on, edition.ends_on)
    context = document_context(edition, figures)
    context.update(
        links=provenance_links(request.user, figures),
        charts=charts_inline(figures),
        downloads=True,
        crumbs=_annual_crumbs(),
        can_manage=has_perm(request.user, Perm.REPORT_MANAGE),
    )
    return render(request, "reporting/annual/preview.html", context)


@permission_required(Perm.FIGURES_VIEW)
def annual_pdf(request, pk):
    edition = _edition(request, pk)
    pdf = annual_report_pdf(edition, annual_figures(edition.starts_on, edition.ends_on))
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Downloaded the annual report {edition} as a PDF",
        target=edition,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(edition)}"'
    response["Cache-Control"] = "no-store"
    return response


EXPORT_FORMATS = ("csv", "xlsx")


@permission_required(Perm.FIGURES_VIEW)
def annual_table(request, pk, name, fmt):
    """One table of the report as CSV or XLSX; audited."""
    edition = _edition(request, pk)
    if name not in TABLES or fmt not in EXPORT_FORMATS:
        raise Http404("No such table")
    table = report_table(name, annual_figures(edition.starts_on, edition.ends_on))
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Exported the table {table.title!r} of {edition} as {fmt.upper()}",
        target=edition,
    )
    filename = f"annual-report-{edition.starts_on:%Y-%m-%d}-{name}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, table.header, table.rows)
    return xlsx_response(filename, table.header, table.rows, sheet_title=name.title())


# --------------------------------------------------------------------------------------
# The PDF made in the background
# --------------------------------------------------------------------------------------


def _run(pk) -> GeneratedReport:
    return get_object_or_404(runs_list(), pk=pk)


@permission_required(Perm.REPORT_MANAGE)
def annual_generate(request, pk):
    """Queue the PDF of an edition for the background worker (POST); GET explains."""
    edition = _edition(request, pk)
    if request.method == "POST":
        run = report_run_request(actor=request.user, edition=edition)
        return redirect("reporting:annual-run", run.pk)
    return render(
        request,
        "reporting/annual/generate.html",
        {"edition": edition, "crumbs": _annual_crumbs(edition)},
    )


def _run_page(request, run, *, error=""):
    return render(
        request,
        "reporting/annual/run.html",
        {
            "run": run,
            "error": error,
            "stale": run_looks_stale(run),
            "crumbs": _annual_crumbs(run.edition),
        },
    )


@permission_required(Perm.REPORT_MANAGE)
def annual_run(request, run_pk):
    """The progress of one background run; the page reloads itself until it is done."""
    return _run_page(request, _run(run_pk))


@permission_required(Perm.REPORT_MANAGE)
def annual_run_retry(request, run_pk):
    run = _run(run_pk)
    if request.method == "POST":
        try:
            again = report_run_retry(actor=request.user, run=run)
        except EditionError as error:
            return _run_page(request, run, error=str(error))
        return redirect("reporting:annual-run", again.pk)
    return _run_page(request, run)


@permission_required(Perm.REPORT_MANAGE)
def annual_run_download(request, run_pk):
    run = get_object_or_404(
        GeneratedReport.objects.select_related("edition"),
        pk=run_pk,
        status=GeneratedReport.Status.FINISHED,
    )
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Downloaded the annual report PDF of run {run.pk} "
        f"({run.starts_on:%Y-%m-%d} to {run.ends_on:%Y-%m-%d})",
        target=run,
    )
    response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(run)}"'
    response["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------------------
# Writing the narrative, section by section, with its history
# --------------------------------------------------------------------------------------


def _writing_edition(request, pk) -> ReportEdition:
    """The edition, for writing: managers may open any (404 if there is none); an author
    only a draft with a section assigned to them, else 403 (the assignment is the grant)."""
    edition = get_object_or_404(ReportEdition, pk=pk)
    if not may_write_in_edition(request.user, edition):
        raise PermissionDenied("Not an author of this edition")
    return edition


def _section(request, pk, slug):
    """The edition and the section (404 if there is none); 403 unless the user may write
    that section."""
    edition = _writing_edition(request, pk)
    state = section_state(edition, slug)
    if state is None:
        raise Http404("No such section")
    if not may_write_section(request.user, edition, state.name):
        raise PermissionDenied("Not the author of this section")
    return edition, state


def _sections_crumbs(edition, user=None):
    first = _my_crumbs() if user and not has_perm(user, Perm.REPORT_MANAGE) else None
    return [
        *(first or _annual_crumbs(edition)),
        ("Sections", reverse("reporting:annual-sections", args=[edition.pk])),
    ]


WRITERS = (Perm.REPORT_MANAGE, Perm.REPORT_WRITE)


@permission_required(*WRITERS)
def annual_sections(request, pk):
    """The edition's narrative sections: who writes each, who last changed it and when.
    An author sees the sections assigned to them."""
    edition = _writing_edition(request, pk)
    can_manage = has_perm(request.user, Perm.REPORT_MANAGE)
    sections = [
        state
        for state in section_states(edition)
        if can_manage or (state.author and state.author.user_id == request.user.pk)
    ]
    return render(
        request,
        "reporting/annual/sections.html",
        {
            "edition": edition,
            "sections": sections,
            "can_manage": can_manage,
            "crumbs": _annual_crumbs(edition) if can_manage else _my_crumbs(),
        },
    )


def _my_crumbs():
    return [("Your annual report sections", reverse("reporting:annual-my-sections"))]


@permission_required(*WRITERS)
def annual_my_sections(request):
    """The sections the signed-in user is the author of, in draft editions."""
    return render(
        request,
        "reporting/annual/my_sections.html",
        {"assignments": sections_assigned_to(request.user), "crumbs": []},
    )


@permission_required(Perm.REPORT_MANAGE)
def annual_section_author(request, pk, slug):
    """Assign a section to its author (or to nobody)."""
    edition = _edition(request, pk)
    state = section_state(edition, slug)
    if state is None:
        raise Http404("No such section")
    initial = {"user": state.author.user if state.author else None}
    form = AuthorForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            section_assign(
                actor=request.user,
                edition=edition,
                section=state.name,
                user=form.cleaned_data["user"],
            )
        except EditionError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Author of {state.title} saved")
            return redirect("reporting:annual-sections", edition.pk)
    return render(
        request,
        "reporting/annual/section_author.html",
        {
            "edition": edition,
            "section": state,
            "form": form,
            "error": error,
            "crumbs": _sections_crumbs(edition),
        },
    )


def _section_page(request, edition, state, form, *, conflict=None):
    theirs = conflict.theirs if conflict else None
    return render(
        request,
        "reporting/annual/section_form.html",
        {
            "edition": edition,
            "section": state,
            "form": form,
            "preview": render_narrative(getattr(edition, state.name)),
            "conflict": conflict,
            "theirs_text": theirs.text if theirs else getattr(edition, state.name),
            "diff": side_by_side(
                theirs.text if theirs else getattr(edition, state.name), conflict.text
            )
            if conflict
            else None,
            "crumbs": _sections_crumbs(edition, request.user),
        },
    )


@permission_required(*WRITERS)
def annual_section_edit(request, pk, slug):
    edition, state = _section(request, pk, slug)
    initial = {"text": getattr(edition, state.name), "base_revision": state.revision_number}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            section_save(
                actor=request.user,
                edition=edition,
                section=state.name,
                text=form.cleaned_data["text"],
                base_revision=form.cleaned_data["base_revision"],
            )
        except SectionConflictError as conflict:
            edition, state = _section(request, pk, slug)
            # The writer's text stays in the box; saving again now merges over theirs.
            form = SectionForm(
                initial={"text": conflict.text, "base_revision": state.revision_number}
            )
            return _section_page(request, edition, state, form, conflict=conflict)
        messages.success(request, f"{state.title} saved")
        return redirect("reporting:annual-sections", edition.pk)
    return _section_page(request, edition, state, form)


@permission_required(*WRITERS)
def annual_section_history(request, pk, slug):
    edition, state = _section(request, pk, slug)
    return render(
        request,
        "reporting/annual/section_history.html",
        {
            "edition": edition,
            "section": state,
            "entries": section_history(edition, state.name),
            "crumbs": _sections_crumbs(edition, request.user),
        },
    )


@permission_required(*WRITERS)
def annual_section_restore(request, pk, slug, number):
    """GET asks to confirm; POST puts the revision's text back as a new revision."""
    edition, state = _section(request, pk, slug)
    revision = get_object_or_404(
        SectionRevision.objects.select_related("saved_by"),
        edition=edition,
        section=state.name,
        number=number,
    )
    error = ""
    if request.method == "POST":
        form = RestoreForm(request.POST)
        if form.is_valid():
            try:
                section_restore(
                    actor=request.user,
                    edition=edition,
                    revision=revision,
                    base_revision=form.cleaned_data["base_revision"],
                )
            except EditionError as refused:
                error = str(refused)
            else:
                messages.success(request, f"Revision {number} of {state.title} restored")
                return redirect("reporting:annual-section-history", edition.pk, slug)
        else:
            error = "Open the history again and restore the revision."
    edition, state = _section(request, pk, slug)
    return render(
        request,
        "reporting/annual/section_restore.html",
        {
            "edition": edition,
            "section": state,
            "revision": revision,
            "rows": side_by_side(getattr(edition, state.name), revision.text),
            "error": error,
            "crumbs": _sections_crumbs(edition, request.user),
        },
    )
