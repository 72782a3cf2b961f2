"""The Prevent statistics page and its downloads (reporting/statistics.py computes them).

Readers of aggregate figures (Perm.FIGURES_VIEW) open it. Those who may also supervise
case work (coordinator, chair: they see every case) get the exact counts, and can switch
to the view the board gets; everyone else gets every count suppressed, always."""

from datetime import date

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.exports import csv_response, xlsx_response
from reporting.statistics import (
    TABLE_KEYS,
    PeriodError,
    financial_year,
    financial_year_label,
    prevent_statistics,
    previous_financial_years,
)

EXPORT_FORMATS = ("csv", "xlsx")
BOARD_VIEW = "board"


def _date_input():
    return forms.DateInput(
        attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
    )


class PeriodForm(forms.Form):
    """The period counted: both dates, the end not before the start."""

    date_from = forms.DateField(label="From", widget=_date_input())
    date_to = forms.DateField(label="To", widget=_date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, words in (("date_from", "start"), ("date_to", "end")):
            self.fields[name].error_messages.update(
                required=f"Enter the date the period {words}s",
                invalid=f"Enter the date the period {words}s as a real date",
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", "The end of the period must be the same as or after the start"
            )
        return cleaned


def _period(request) -> tuple[PeriodForm, tuple[date, date] | None]:
    """The period asked for, or this financial year when none is asked for."""
    if "date_from" not in request.GET and "date_to" not in request.GET:
        start, end = financial_year(timezone.localdate())
        form = PeriodForm({"date_from": start.isoformat(), "date_to": end.isoformat()})
    else:
        form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["date_from"], form.cleaned_data["date_to"])


def _exact(request) -> bool:
    """Exact counts only for readers who see every case, unless they ask for the board's
    view."""
    return has_perm(request.user, Perm.CASES_SUPERVISE) and request.GET.get("view") != BOARD_VIEW


def period_in_words(start: date, end: date) -> str:
    fy_start, fy_end = financial_year(start)
    dates = f"{start:%-d %B %Y} to {end:%-d %B %Y}"
    if (start, end) == (fy_start, fy_end):
        return f"the financial year {financial_year_label(start)} ({dates})"
    return dates


@permission_required(Perm.FIGURES_VIEW)
def statistics_page(request):
    form, period = _period(request)
    stats = None
    if period is not None:
        stats = prevent_statistics(*period, exact=_exact(request))
    query = request.GET.copy()
    query.pop("view", None)
    return render(
        request,
        "reporting/statistics/page.html",
        {
            "form": form,
            "stats": stats,
            "period_words": period_in_words(*period) if period else "",
            "years": previous_financial_years(timezone.localdate()),
            "can_see_exact": has_perm(request.user, Perm.CASES_SUPERVISE),
            "board_view": request.GET.get("view") == BOARD_VIEW,
            "query": (
                query.urlencode()
                if period is None
                else f"date_from={period[0].isoformat()}&date_to={period[1].isoformat()}"
            ),
        },
    )


@permission_required(Perm.FIGURES_VIEW)
def statistics_table(request, name, fmt):
    """One table as CSV or XLSX, in the shape of the page (and the Home Office's table):
    the values the reader sees on the page, never more. Audited."""
    if name not in TABLE_KEYS or fmt not in EXPORT_FORMATS:
        raise Http404("No such table")
    form, period = _period(request)
    if period is None:
        raise Http404("No such period")
    exact = _exact(request)
    try:
        stats = prevent_statistics(*period, exact=exact)
    except PeriodError as error:  # pragma: no cover (the form refuses it first)
        raise Http404("No such period") from error
    table = stats.table(name)
    start, end = period
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary=(
            f"Exported the Prevent statistics table {table.title!r} for {start:%Y-%m-%d} to "
            f"{end:%Y-%m-%d} as {fmt.upper()} ({'exact counts' if exact else 'suppressed'})"
        ),
        target=("reporting.statistics", name),
    )
    filename = f"prevent-statistics-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}-{name}.{fmt}"
    rows = [*table.export_rows(), [], ["Definition", table.definition]]
    if not exact:
        rows.append(
            ["Suppression", "Counts of 1 to 4 read 'fewer than 5'; 'withheld' protects them."]
        )
    if fmt == "csv":
        return csv_response(filename, table.export_header, rows)
    return xlsx_response(filename, table.export_header, rows, sheet_title=f"Table {table.number}")
