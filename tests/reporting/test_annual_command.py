"""python manage.py annual_report: the same document from the command line."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from reporting.models import EditionStatus
from tests.reporting.conftest import make_edition
from tests.reporting.test_annual_report import pdf_text

pytestmark = pytest.mark.django_db


def test_it_writes_the_pdf_and_the_html_with_placeholders(tmp_path, report_data):
    pdf, html = tmp_path / "report.pdf", tmp_path / "report.html"
    call_command(
        "annual_report",
        "--from=2026-01-01",
        "--to=2026-12-31",
        f"--output={pdf}",
        f"--html={html}",
    )
    text = pdf_text(pdf.read_bytes())
    assert "No approved edition for this period" in text
    assert "Total 3 52" in [" ".join(line.split()) for line in text.splitlines()]
    assert "Prevent Awareness" in html.read_text()


def test_it_uses_the_approved_editions_narrative(tmp_path, reference_data):
    make_edition(
        introduction="Approved words", status=EditionStatus.APPROVED, ends_on=date(2026, 12, 31)
    )
    make_edition(introduction="Draft words")
    pdf = tmp_path / "report.pdf"
    call_command("annual_report", "--from=2026-01-01", "--to=2026-12-31", f"--output={pdf}")
    text = pdf_text(pdf.read_bytes())
    assert "Approved words" in text and "Draft words" not in text


@pytest.mark.parametrize(
    ("start", "end"), [("2026-12-31", "2026-01-01"), ("2026-13-01", "2026-12-31")]
)
def test_bad_periods_are_refused(tmp_path, start, end):
    pdf = tmp_path / "report.pdf"
    with pytest.raises(CommandError):
        call_command("annual_report", f"--from={start}", f"--to={end}", f"--output={pdf}")
    assert not pdf.exists()
