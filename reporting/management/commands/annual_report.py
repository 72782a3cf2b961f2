"""python manage.py annual_report --from 2026-01-01 --to 2026-12-31 --output report.pdf

Writes the annual report for the period from the current data: the approved edition's
narrative when one exists for exactly that period, otherwise placeholders that say so.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from reporting.annual import PeriodError, annual_figures
from reporting.documents import PlaceholderEdition, annual_report_html, annual_report_pdf
from reporting.selectors import approved_edition_for


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD") from error


class Command(BaseCommand):
    help = "Write the annual report for a period as a PDF (and, optionally, as HTML)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="the PDF file to write")
        parser.add_argument("--html", help="also write the HTML the PDF is made from")

    def handle(self, *args, start, end, output, html=None, **options):
        start, end = _date(start), _date(end)
        try:
            figures = annual_figures(start, end)
        except PeriodError as error:
            raise CommandError(str(error)) from error
        edition = approved_edition_for(start, end)
        if edition is None:
            edition = PlaceholderEdition(start, end)
            self.stdout.write("No approved edition for this period: the narrative is left out.")
        # The HTML is rendered once, for the PDF and for the --html file.
        document = annual_report_html(edition, figures)
        Path(output).write_bytes(annual_report_pdf(edition, figures, html=document))
        if html:
            Path(html).write_text(document, encoding="utf-8")
        audit_record(
            actor=None,
            verb=AuditEvent.Verb.EXPORT,
            summary=f"Wrote the annual report for {start:%Y-%m-%d} to {end:%Y-%m-%d} "
            "from the command line",
            target=("reporting.annual_report", f"{start:%Y-%m-%d}..{end:%Y-%m-%d}"),
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
