"""Charts and table exports of the annual report."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prevent_portal.audit.models import AuditEvent
from reporting.annual import annual_figures
from reporting.charts import CHARTS, chart_svg
from reporting.models import EditionStatus
from reporting.tables import TABLES, report_table
from tests.governance.factories import make_action, make_plan
from tests.reporting.conftest import YEAR, make_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(reference_data):
    plan = make_plan(title="2026", starts_on=YEAR[0], ends_on=YEAR[1])
    make_action(plan, reference="1.1", heading=1, status="off_track", rag="red")
    make_action(plan, reference="4.1", heading=4, status="complete", rag="green")
    return plan


def test_charts_are_svg_without_style_attributes_and_with_distinct_hatching(plan, report_data):
    figures = annual_figures(*YEAR)
    for name in CHARTS:
        svg = chart_svg(name, figures)
        assert svg.startswith("<svg ")
        assert "style=" not in svg and "<style" not in svg
        assert "<script" not in svg
        assert f'id="chart-{name}-' in svg
    plan_svg = chart_svg("plan", figures)
    # Greyscale: RAG segments differ by hatch pattern as well as by colour.
    assert plan_svg.count("<pattern") >= 2
    assert "Prevent Awareness" in chart_svg("training", figures)


def test_the_preview_has_charts_inline_and_no_style_attribute(client_as, plan, report_data):
    edition = make_edition()
    html = client_as("coordinator").get(reverse("reporting:annual-preview", args=[edition.pk])).text
    assert html.count('class="report-chart-svg"') == 3
    assert not re.search(r"<[^>]+\sstyle=", html)
    assert "<script>" not in html.split("</header>", 1)[1].split("<footer", 1)[0]


def test_every_table_exports_as_csv_and_xlsx(client_as, plan, report_data):
    edition = make_edition()
    client = client_as("coordinator")
    for name in TABLES:
        url = reverse("reporting:annual-table", args=[edition.pk, name, "csv"])
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv")
        xlsx = client.get(reverse("reporting:annual-table", args=[edition.pk, name, "xlsx"]))
        assert xlsx.status_code == 200
        load_workbook(io.BytesIO(xlsx.content))
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.EXPORT, target_id=str(edition.pk)
    ).count() == 2 * len(TABLES)


def test_the_training_csv_has_the_total_row(client_as, report_data):
    edition = make_edition()
    response = client_as("coordinator").get(
        reverse("reporting:annual-table", args=[edition.pk, "training", "csv"])
    )
    text = b"".join(response.streaming_content).decode()
    assert "Total,3,52" in text


def test_the_referrals_export_carries_suppressed_values_only(client_as, persona, report_data):
    edition = make_edition(status=EditionStatus.APPROVED)
    response = client_as("board").get(
        reverse("reporting:annual-table", args=[edition.pk, "referrals", "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {(r[0], r[1]): r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[("Sector of referral", "Police")] == "fewer than 5"
    assert rows[("Sector of referral", "Health")] == "withheld"
    table = report_table("referrals", annual_figures(*YEAR))
    assert all(not isinstance(row[2], int) for row in table.rows)


def test_an_unknown_table_or_format_is_404(client_as, reference_data):
    edition = make_edition()
    client = client_as("coordinator")
    for name, fmt in (("x", "csv"), ("training", "pdf")):
        url = reverse("reporting:annual-table", args=[edition.pk, name, fmt])
        assert client.get(url).status_code == 404
