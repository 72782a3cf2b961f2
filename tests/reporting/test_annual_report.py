"""Editions of the annual report: services, pages, the preview and the PDF."""

import subprocess
import uuid
from datetime import date

import pytest
from django.urls import reverse

from education.models import AudienceCategory
from prevent_portal.audit.models import AuditEvent
from referrals.models import Sector
from reporting.models import EditionStatus, ReportEdition
from reporting.services import (
    EditionError,
    StaleEditionError,
    edition_approve,
    edition_create,
    edition_update,
)
from tests.checkers import html_errors, nu_checker_missing
from tests.reporting.conftest import YEAR, make_edition
from training.models import Course

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_info(pdf: bytes) -> dict:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    return dict(line.split(":", 1) for line in result.stdout.decode().splitlines() if ":" in line)


def pdf_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()


def _form(**extra):
    data = {
        "title": "Prevent annual report 2026",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "marking": "OFFICIAL",
        "author": "Jamie Testwood",
        "introduction": "Our year.",
    }
    data.update(extra)
    return data


# ----------------------------------------------------------------------------- services


def _data(**extra):
    data = {
        "title": "Report",
        "starts_on": YEAR[0],
        "ends_on": YEAR[1],
        "marking": "OFFICIAL",
        "author": "Jamie Testwood",
        "introduction": "Secret-ish words",
    }
    data.update(extra)
    return data


def test_create_is_audited_without_the_narrative_text(persona):
    edition = edition_create(actor=persona("coordinator"), data=_data())
    event = AuditEvent.objects.get(target_id=str(edition.pk), verb=AuditEvent.Verb.CREATE)
    assert event.changes["introduction"] == {"changed": True}
    assert event.changes["title"]["new"] == "Report"
    assert "Secret-ish" not in str(event.changes)


def test_the_same_token_twice_makes_one_edition(persona):
    token = uuid.uuid4()
    first = edition_create(actor=persona("coordinator"), data=_data(), token=token)
    second = edition_create(actor=persona("coordinator"), data=_data(), token=token)
    assert first.pk == second.pk
    assert ReportEdition.objects.count() == 1


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(persona):
    edition = make_edition()
    edition_update(
        actor=persona("coordinator"),
        edition=edition,
        data={"introduction": "First"},
        expected_version=1,
    )
    with pytest.raises(StaleEditionError):
        edition_update(
            actor=persona("chair"),
            edition=edition,
            data={"introduction": "Second"},
            expected_version=1,
        )
    edition.refresh_from_db()
    assert edition.introduction == "First"
    assert edition.version == 2


def test_approval_records_who_and_when_and_an_edit_returns_it_to_draft(persona):
    edition = make_edition()
    approved = edition_approve(actor=persona("chair"), edition=edition, expected_version=1)
    assert approved.status == EditionStatus.APPROVED
    assert approved.approved_by.username == "chair"
    assert approved.approved_at is not None
    changed = edition_update(
        actor=persona("coordinator"),
        edition=approved,
        data={"summary": "More"},
        expected_version=approved.version,
    )
    assert changed.status == EditionStatus.DRAFT and changed.approved_by is None


def test_only_one_approved_edition_per_period(persona):
    edition_approve(actor=persona("chair"), edition=make_edition(), expected_version=1)
    with pytest.raises(EditionError):
        edition_approve(actor=persona("chair"), edition=make_edition(), expected_version=1)


def test_the_service_refuses_an_end_before_the_start(persona):
    with pytest.raises(EditionError):
        edition_create(actor=persona("coordinator"), data=_data(starts_on=YEAR[1], ends_on=YEAR[0]))
    assert not ReportEdition.objects.exists()


# ----------------------------------------------------------------------------- pages


def test_the_coordinator_starts_an_edition(client_as):
    client = client_as("coordinator")
    page = client.get(reverse("reporting:annual-create"))
    token = page.context["form"].fields["token"].initial
    response = client.post(reverse("reporting:annual-create"), _form(token=token))
    edition = ReportEdition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:annual-preview", args=[edition.pk])
    assert edition.created_by.username == "coordinator"
    client.post(reverse("reporting:annual-create"), _form(token=token))
    assert ReportEdition.objects.count() == 1


def test_an_end_before_the_start_shows_an_error_and_saves_nothing(client_as):
    response = client_as("coordinator").post(
        reverse("reporting:annual-create"), _form(starts_on="2026-12-31", ends_on="2026-01-01")
    )
    assert response.status_code == 200
    assert "The end of the period must be the same as or after the start" in response.text
    assert "<title>Error: " in response.text
    assert not ReportEdition.objects.exists()


def test_a_stale_form_shows_the_conflict_and_keeps_the_other_change(client_as):
    edition = make_edition()
    ReportEdition.objects.filter(pk=edition.pk).update(version=2, introduction="Theirs")
    response = client_as("coordinator").post(
        reverse("reporting:annual-edit", args=[edition.pk]),
        _form(version=1, introduction="Mine"),
    )
    assert response.status_code == 200
    assert "Someone else changed this edition" in response.text
    edition.refresh_from_db()
    assert edition.introduction == "Theirs"


def test_roles_without_the_permission_get_403(client_as):
    edition = make_edition()
    for name in ("board", "education", "channel", "admin"):
        client = client_as(name)
        assert client.get(reverse("reporting:annual-edit", args=[edition.pk])).status_code == 403
        assert client.post(reverse("reporting:annual-create"), _form()).status_code == 403
    assert ReportEdition.objects.count() == 1


def test_board_members_see_approved_editions_only(client_as, persona):
    draft = make_edition()
    client = client_as("board")
    assert client.get(reverse("reporting:annual-preview", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reporting:annual-pdf", args=[draft.pk])).status_code == 404
    edition_approve(actor=persona("chair"), edition=draft, expected_version=1)
    assert client.get(reverse("reporting:annual-preview", args=[draft.pk])).status_code == 200


def test_approving_from_the_page(client_as):
    edition = make_edition()
    response = client_as("chair").post(
        reverse("reporting:annual-approve", args=[edition.pk]), {"version": 1}
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.is_approved and edition.approved_by.username == "chair"


def test_the_preview_shows_known_figures_and_renders_script_inert(client_as, report_data):
    edition = make_edition(introduction=f"Hello {SCRIPT}\n\n- one\n- **two**")
    response = client_as("coordinator").get(reverse("reporting:annual-preview", args=[edition.pk]))
    html = response.text
    assert SCRIPT not in html
    assert '&lt;script&gt;alert("x")&lt;/script&gt;' in html
    assert "<li><strong>two</strong></li>" in html
    assert "Prevent Awareness" in html
    assert "fewer than 5" in html and "withheld" in html
    # Provenance: the coordinator may follow figures to the records behind them.
    assert "/training/sessions/?date_from=2026-01-01&amp;date_to=2026-12-31" in html
    assert "received_from=2026-01-01" in html
    # ... and each row to its own filtered list: by course, by audience, by sector.
    course = Course.objects.get(title="Prevent Awareness")
    assert f"date_to=2026-12-31&amp;course={course.pk}" in html
    assert "course=bespoke" in html
    audience = AudienceCategory.objects.get(name="Primary school staff")
    assert f"audience={audience.pk}" in html
    police = Sector.objects.get(name="Police")
    assert f"received_to=2026-12-31&amp;sector={police.pk}" in html
    assert ' style="' not in html


def test_board_members_get_no_drill_down_to_records(client_as, persona, report_data):
    edition = make_edition()
    edition_approve(actor=persona("chair"), edition=edition, expected_version=1)
    html = client_as("board").get(reverse("reporting:annual-preview", args=[edition.pk])).text
    assert "report-provenance" not in html
    assert "Invented0" not in html and "Educationson" not in html


def test_the_pdf_has_the_figures_the_contents_and_embedded_fonts(client_as, report_data, tmp_path):
    edition = make_edition(introduction=f"Our year {SCRIPT}")
    response = client_as("coordinator").get(reverse("reporting:annual-pdf", args=[edition.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf)
    assert "Prevent annual report 2026" in text
    assert "Contents" in text
    assert "OFFICIAL" in text
    assert "Page 1 of" in text
    assert "Our year <script>" in text  # shown as text, never run
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Total 3 52" in lines  # training: sessions and attendees
    assert "Total 2 2 95" in lines  # education: sessions, schools, attendees
    assert "Police fewer than 5 – –" in lines
    assert "Total 21 100%" in lines
    info = pdf_info(pdf)
    assert 10 <= int(info["Pages"]) <= 20
    assert info["Tagged"].strip() == "yes"
    assert "(A4)" in info["Page size"]
    fonts = pdf_fonts(pdf, tmp_path)
    assert "Liberation" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:] if line.strip())
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT, target_id=str(edition.pk))
    assert event.actor_username == "coordinator"


def test_a_period_with_no_data_says_so(client_as, reference_data):
    edition = make_edition(starts_on=date(2019, 1, 1), ends_on=date(2019, 12, 31))
    response = client_as("coordinator").get(reverse("reporting:annual-pdf", args=[edition.pk]))
    assert "No activity and no referrals were recorded in this period" in pdf_text(response.content)


def test_the_list_page_has_a_plain_title_and_one_block_of_pdfs(client_as):
    make_edition()
    html = client_as("coordinator").get(reverse("reporting:annual-list")).text
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Annual report –")
    assert "<" not in title
    assert html.count("PDFs made") == 1
    assert html.count("No PDF has been made in the background yet.") == 1


STRUCTURED = (
    "## The year in training\n\nWe ran:\n\n- briefings\n- **workshops**\n\n"
    "### Schools\n\n1. first\n2. second\n\n"
    "| Term | Sessions |\n|---|--:|\n| Spring | 4 |\n\n"
    "> Case study: a school asked for help.\n\n"
    "See [the Prevent duty](https://www.gov.uk/prevent-duty).\n\n"
    "<script>alert(1)</script><style>p{}</style>"
)


def test_the_preview_lists_the_sub_headings_in_the_contents(client_as, reference_data):
    edition = make_edition(training_commentary=STRUCTURED)
    html = client_as("coordinator").get(reverse("reporting:annual-preview", args=[edition.pk])).text
    contents = html.split('id="contents"', 1)[1].split("</nav>", 1)[0]
    assert '<a class="govuk-link" href="#training-1">3.1 The year in training</a>' in contents
    assert '<a class="govuk-link" href="#training-1-1">3.1.1 Schools</a>' in contents
    assert '<h3 id="training-1" class="govuk-heading-m report-subheading">' in html
    assert '<aside class="report-callout" aria-label="Call-out">' in html
    assert "<li><strong>workshops</strong></li>" in html
    assert "<script>alert(1)</script>" not in html and "<style>p{}" not in html
    assert ' style="' not in html


def test_the_pdf_has_sub_headings_in_contents_and_bookmarks_and_link_addresses(
    client_as, reference_data
):
    import io

    import pikepdf

    edition = make_edition(training_commentary=STRUCTURED)
    pdf = client_as("coordinator").get(reverse("reporting:annual-pdf", args=[edition.pk])).content
    text = pdf_text(pdf)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    contents = [line for line in lines if line.startswith("3.1")]
    # In the contents, with a page number after the leader dots.
    assert any(line.startswith("3.1 The year in training .") for line in contents)
    assert any(line.startswith("3.1.1 Schools .") and line[-1].isdigit() for line in contents)
    assert "3.1 The year in training" in lines  # the heading itself
    assert "See the Prevent duty (https://www.gov.uk/prevent-duty)." in lines
    assert "Case study: a school asked for help." in lines
    assert "<script>alert(1)</script><style>p{}</style>" in lines  # as text, inert
    with pikepdf.open(io.BytesIO(pdf)) as document, document.open_outline() as outline:
        titles = {}

        def walk(items, depth):
            for item in items:
                titles[item.title] = depth
                walk(item.children, depth + 1)

        walk(outline.root, 1)
    assert titles["3. Training"] == 1
    assert titles["3.1 The year in training"] == 2
    assert titles["3.1.1 Schools"] == 3


@pytest.mark.skipif(nu_checker_missing() is not None, reason="no Nu HTML checker")
def test_the_preview_with_structured_writing_is_valid_html(client_as, reference_data):
    edition = make_edition(training_commentary=STRUCTURED, summary="## Last\n\n> Box")
    html = client_as("coordinator").get(reverse("reporting:annual-preview", args=[edition.pk])).text
    assert html_errors({"preview": html}) == {}
