from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.ui.exports import csv_response, xlsx_response
from prevent_portal.ui.pagination import CountedPaginator
from prevent_portal.ui.periods import financial_year_start
from prevent_portal.ui.uploads import UploadError, row_errors_page, upload_bytes
from prevent_portal.ui.words import counted
from training.bookings import BookingError, register_save
from training.filters import SessionFilter
from training.forms import (
    CourseForm,
    EvaluationForm,
    EvaluationFormSet,
    SessionForm,
    SessionImportForm,
)
from training.importers import (
    ImportRowsError,
    load_preview,
    session_import_upload,
    sessions_import,
)
from training.models import Booking, Course, Evaluation, SessionImport, TrainingSession
from training.selectors import (
    catalogue,
    evaluation_summary,
    session_bookings,
    session_totals,
    session_with_evaluations,
    sessions_for_list,
    sessions_for_list_page,
)
from training.services import (
    EvaluationData,
    TrainingError,
    course_save,
    evaluation_delete,
    evaluations_add,
    session_create,
    session_delete,
    session_update,
    sessions_export_record,
)

HUB = ("Training", "training:index")


def _crumbs(*pairs):
    return [(label, reverse(name, args=args) if name else "") for label, name, *args in pairs]


def default_from() -> date:
    """The list opens on this financial year: what the annual report counts, and totals
    that stay quick however many years are recorded (docs/performance.md)."""
    return financial_year_start(timezone.localdate())


def _filter_data(request):
    """The filters asked for, with "From" the start of this financial year unless the
    user chose a date or cleared it (`?date_from=` shows every year)."""
    data = request.GET.copy()
    if "date_from" not in data:
        data["date_from"] = default_from().isoformat()
    return data


def _filtered(request, queryset=None):
    queryset = sessions_for_list() if queryset is None else queryset
    session_filter = SessionFilter(_filter_data(request), queryset=queryset)
    if not session_filter.is_valid():
        return session_filter, TrainingSession.objects.none()
    return session_filter, session_filter.qs


@permission_required(Perm.TRAINING_VIEW)
def index(request):
    """The session list is the landing page of the area."""
    return session_list(request)


@permission_required(Perm.TRAINING_VIEW)
def session_list(request):
    session_filter, sessions = _filtered(request, sessions_for_list_page())
    totals = session_totals(sessions)
    page = CountedPaginator(sessions, 25, count=totals["sessions"]).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/session_list.html",
        {
            "filter": session_filter,
            "page": page,
            "totals": totals,
            "query": query.urlencode(),
            "default_from": None if "date_from" in request.GET else default_from(),
            "can_manage": has_perm(request.user, Perm.TRAINING_MANAGE),
        },
    )


EXPORT_HEADER = [
    "Reference",
    "Date",
    "Course",
    "Format",
    "Trainers",
    "Audience organisations",
    "District",
    "Attendees",
    "Notes",
]


def _export_rows(sessions):
    for session in sessions.iterator(chunk_size=500):
        trainers = [str(user) for user in session.trainers.all()]
        if session.external_trainers:
            trainers.append(session.external_trainers)
        yield [
            session.reference,
            session.date,
            session.title,
            session.get_format_display(),
            "; ".join(trainers),
            "; ".join(partner.name for partner in session.audiences.all()),
            session.district.name if session.district else "",
            session.attendees,
            session.notes,
        ]


@permission_required(Perm.TRAINING_VIEW)
def session_export(request):
    """The filtered list as CSV (default) or XLSX (?as=xlsx). Audited."""
    _filter, sessions = _filtered(request)
    file_format = "xlsx" if request.GET.get("as") == "xlsx" else "csv"
    query = _filter_data(request)
    query.pop("as", None)
    sessions_export_record(
        actor=request.user,
        count=sessions.count(),
        file_format=file_format,
        filters=query.urlencode(),
    )
    rows = list(_export_rows(sessions))
    if file_format == "xlsx":
        return xlsx_response(
            "training-sessions.xlsx", EXPORT_HEADER, rows, sheet_title="Training sessions"
        )
    return csv_response("training-sessions.csv", EXPORT_HEADER, rows)


def _session_form_page(request, form, *, title, crumbs, back_url):
    return render(
        request,
        "training/session_form.html",
        {"form": form, "title": title, "crumbs": crumbs, "back_url": back_url},
    )


@permission_required(Perm.TRAINING_MANAGE)
def session_create_view(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_create(actor=request.user, **form.service_kwargs())
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Session {session.reference} saved")
            return redirect("training:session-detail", pk=session.pk)
    return _session_form_page(
        request,
        form,
        title="Log a training session",
        crumbs=_crumbs(("Training", "training:session-list")),
        back_url=reverse("training:session-list"),
    )


@permission_required(Perm.TRAINING_VIEW)
def session_detail(request, pk):
    try:
        session = session_with_evaluations(pk)
    except TrainingSession.DoesNotExist:
        return render(request, "404.html", status=404)
    evaluations = list(session.evaluations.all())
    _rows, figures = evaluation_summary(Evaluation.objects.filter(session=session))
    can_manage = has_perm(request.user, Perm.TRAINING_MANAGE)
    evaluation_form = None
    if can_manage:
        evaluation_form = EvaluationForm()
        evaluation_form.helper.form_action = reverse("training:evaluation-create", args=[pk])
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "evaluations": evaluations,
            "figures": figures,
            "can_manage": can_manage,
            "evaluation_form": evaluation_form,
            "crumbs": _crumbs(("Training", "training:session-list"), (session.reference, "")),
        },
    )


@permission_required(Perm.TRAINING_MANAGE)
def session_register(request, pk):
    """The register of a booked session: who is booked, who is waiting; ticking who
    attended sets the session's number of attendees."""
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    bookings = session_bookings(session)
    errors = []
    if request.method == "POST":
        try:
            attended = {int(value) for value in request.POST.getlist("attended")}
            count = register_save(actor=request.user, session=session, attended_ids=attended)
        except (ValueError, BookingError):
            errors = ["Tick only people booked on this session"]
        else:
            messages.success(request, f"Register saved: {count} attended")
            return redirect("training:session-detail", pk=pk)
    return render(
        request,
        "training/session_register.html",
        {
            "session": session,
            "booked": [b for b in bookings if b.status == Booking.Status.BOOKED],
            "waiting": [b for b in bookings if b.status == Booking.Status.WAITING],
            "errors": errors,
            "crumbs": _crumbs(
                ("Training", "training:session-list"),
                (session.reference, "training:session-detail", pk),
                ("Register", ""),
            ),
        },
    )


@permission_required(Perm.TRAINING_MANAGE)
def session_edit(request, pk):
    session = get_object_or_404(TrainingSession, pk=pk)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            session_update(actor=request.user, session=session, **form.service_kwargs())
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Session {session.reference} saved")
            return redirect("training:session-detail", pk=session.pk)
    back = reverse("training:session-detail", args=[session.pk])
    return _session_form_page(
        request,
        form,
        title=f"Change session {session.reference}",
        crumbs=_crumbs(("Training", "training:session-list"), (session.reference, "")),
        back_url=back,
    )


@permission_required(Perm.TRAINING_MANAGE)
def session_delete_view(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    if request.method == "POST":
        reference = session.reference
        session_delete(actor=request.user, session=session)
        messages.success(request, f"Session {reference} deleted")
        return redirect("training:session-list")
    return render(
        request,
        "training/session_confirm_delete.html",
        {"session": session, "evaluation_count": session.evaluations.count()},
    )


# --------------------------------------------------------------------------------------
# Evaluations
# --------------------------------------------------------------------------------------


@permission_required(Perm.TRAINING_MANAGE)
def evaluation_create(request, pk):
    """Add one evaluation from the form on the session page (GET shows the form alone)."""
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        evaluations_add(
            actor=request.user, session=session, evaluations=[EvaluationData(**form.cleaned_data)]
        )
        messages.success(request, f"Evaluation added to session {session.reference}")
        return redirect(reverse("training:session-detail", args=[pk]) + "#evaluations")
    return render(
        request,
        "training/evaluation_form.html",
        {
            "form": form,
            "session": session,
            "crumbs": _crumbs(
                ("Training", "training:session-list"),
                (session.reference, "training:session-detail", pk),
            ),
        },
    )


@permission_required(Perm.TRAINING_MANAGE)
def evaluation_batch(request, pk):
    """Enter up to ten evaluations at once from paper forms; blank rows are skipped."""
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    formset = EvaluationFormSet(request.POST or None)
    none_entered = False
    if request.method == "POST" and formset.is_valid():
        items = [EvaluationData(**form.cleaned_data) for form in formset if form.cleaned_data]
        if items:
            evaluations_add(actor=request.user, session=session, evaluations=items, how="batch")
            messages.success(
                request, f"{counted(len(items), 'evaluation')} added to {session.reference}"
            )
            return redirect(reverse("training:session-detail", args=[pk]) + "#evaluations")
        none_entered = True
    return render(
        request,
        "training/evaluation_batch.html",
        {
            "formset": formset,
            "session": session,
            "none_entered": none_entered,
            "crumbs": _crumbs(
                ("Training", "training:session-list"),
                (session.reference, "training:session-detail", pk),
            ),
        },
    )


@permission_required(Perm.TRAINING_MANAGE)
def evaluation_delete_view(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.select_related("session"), pk=pk)
    session = evaluation.session
    if request.method == "POST":
        evaluation_delete(actor=request.user, evaluation=evaluation)
        messages.success(request, f"Evaluation deleted from session {session.reference}")
        return redirect(reverse("training:session-detail", args=[session.pk]) + "#evaluations")
    return render(request, "training/evaluation_confirm_delete.html", {"evaluation": evaluation})


@permission_required(Perm.TRAINING_VIEW)
def evaluation_summary_view(request):
    rows, overall = evaluation_summary()
    return render(
        request,
        "training/evaluation_summary.html",
        {"rows": rows, "overall": overall, "crumbs": _crumbs(HUB)},
    )


# --------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------


@permission_required(Perm.TRAINING_VIEW)
def course_list(request):
    return render(
        request,
        "training/course_list.html",
        {
            "courses": catalogue(),
            "can_manage": has_perm(request.user, Perm.TRAINING_MANAGE),
            "crumbs": _crumbs(HUB),
        },
    )


def _course_form(request, instance, title):
    form = CourseForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        course = course_save(actor=request.user, form=form)
        messages.success(request, f"{course} saved")
        return redirect("training:course-list")
    return render(
        request,
        "training/course_form.html",
        {
            "form": form,
            "title": title,
            "crumbs": _crumbs(HUB, ("Training offer", "training:course-list")),
        },
    )


@permission_required(Perm.TRAINING_MANAGE)
def course_create(request):
    return _course_form(request, Course(), "Add a course")


@permission_required(Perm.TRAINING_MANAGE)
def course_edit(request, pk):
    return _course_form(request, get_object_or_404(Course, pk=pk), "Change a course")


# --------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------


@permission_required(Perm.TRAINING_MANAGE)
def session_import(request):
    form = SessionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = session_import_upload(
                actor=request.user, data=upload_bytes(upload), filename=upload.name
            )
        except UploadError as error:
            form.add_error("file", str(error))
        else:
            return redirect("training:session-import-confirm", pk=pending.pk)
    return render(
        request,
        "training/session_import.html",
        {"form": form, "crumbs": _crumbs(("Training", "training:session-list"))},
    )


@permission_required(Perm.TRAINING_MANAGE)
def session_import_confirm(request, pk):
    """Preview every row (problems, rows already recorded); POST imports the file."""
    upload = get_object_or_404(SessionImport, pk=pk, status=SessionImport.Status.PENDING)
    error, preview = "", None
    if request.method == "POST":
        try:
            result = sessions_import(actor=request.user, upload=upload)
        except (UploadError, ImportRowsError) as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                f"{counted(len(result.to_import), 'session')} imported"
                + (f", {len(result.duplicates)} already recorded" if result.duplicates else ""),
            )
            return redirect("training:session-list")
    try:
        preview = load_preview(upload)
    except UploadError as problem:
        error = str(problem)
    return render(
        request,
        "training/session_import_confirm.html",
        {
            "upload": upload,
            "preview": preview,
            "row_errors": row_errors_page(
                [(problem.line, problem.message) for problem in preview.errors] if preview else []
            ),
            "error": error,
            "crumbs": _crumbs(
                ("Training", "training:session-list"), ("Import", "training:session-import")
            ),
        },
    )
