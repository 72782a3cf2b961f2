"""The annual report PDF made in the background (django-tasks, database backend)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from prevent_portal.audit.models import AuditEvent
from reporting.models import GeneratedReport
from reporting.services import STALE_AFTER, report_run_request, reports_mark_stale
from tests.reporting.conftest import make_edition
from tests.reporting.test_annual_report import pdf_text

# The worker closes its database connection when it finishes a task: on PostgreSQL that
# is the test's own connection, so these tests commit for real (and are flushed after).
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_coordinator_asks_for_the_pdf_and_the_worker_makes_it(
    client_as, report_data, django_capture_on_commit_callbacks
):
    edition = make_edition()
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:annual-generate", args=[edition.pk]))
    run = GeneratedReport.objects.get()
    assert response["Location"] == reverse("reporting:annual-run", args=[run.pk])
    assert run.status == GeneratedReport.Status.QUEUED and run.task_id
    page = client.get(reverse("reporting:annual-run", args=[run.pk]))
    assert "Making the PDF" in page.text and "report-progress.js" in page.text
    run_worker()
    run.refresh_from_db()
    assert run.status == GeneratedReport.Status.FINISHED and run.progress == 100
    assert DBTaskResult.objects.get(pk=run.task_id).status == TaskResultStatus.SUCCESSFUL
    listing = client.get(reverse("reporting:annual-list")).text
    assert reverse("reporting:annual-run-download", args=[run.pk]) in listing
    download = client.get(reverse("reporting:annual-run-download", args=[run.pk]))
    assert download["Content-Type"] == "application/pdf"
    lines = [" ".join(line.split()) for line in pdf_text(download.content).splitlines()]
    assert "Total 3 52" in lines
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.EXPORT, target_type="reporting.generatedreport", target_id=str(run.pk)
    ).exists()


def test_a_run_whose_worker_died_is_marked_failed_and_a_retry_succeeds(
    client_as, persona, reference_data, django_capture_on_commit_callbacks
):
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=True):
        run = report_run_request(actor=persona("coordinator"), edition=edition)
    run.refresh_from_db()
    # The worker claimed it, then died part-way: the run and its task stay "running".
    DBTaskResult.objects.filter(pk=run.task_id).update(status=TaskResultStatus.RUNNING)
    GeneratedReport.objects.filter(pk=run.pk).update(
        status=GeneratedReport.Status.RUNNING,
        progress=50,
        heartbeat_at=timezone.now() - STALE_AFTER - timedelta(minutes=1),
    )
    client = client_as("coordinator")
    assert (
        "the worker may have stopped"
        in client.get(reverse("reporting:annual-run", args=[run.pk])).text
    )
    assert reports_mark_stale() == 1
    run.refresh_from_db()
    assert run.status == GeneratedReport.Status.FAILED and "worker stopped" in run.error
    assert DBTaskResult.objects.get(pk=run.task_id).status == TaskResultStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:annual-run-retry", args=[run.pk]))
    again = GeneratedReport.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("reporting:annual-run", args=[again.pk])
    assert again.retry_of == run
    run_worker()
    again.refresh_from_db()
    assert again.status == GeneratedReport.Status.FINISHED
    assert bytes(again.pdf).startswith(b"%PDF")
    assert GeneratedReport.objects.count() == 2  # the failed run is kept


def test_a_fresh_running_run_is_not_stale(persona, reference_data):
    edition = make_edition()
    run = report_run_request(actor=persona("coordinator"), edition=edition)
    GeneratedReport.objects.filter(pk=run.pk).update(
        status=GeneratedReport.Status.RUNNING, heartbeat_at=timezone.now()
    )
    assert reports_mark_stale() == 0


def test_a_failure_is_recorded_on_the_run(
    persona, reference_data, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("reporting.documents.annual_report_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = report_run_request(actor=persona("coordinator"), edition=make_edition())
    run_worker()
    run.refresh_from_db()
    assert run.status == GeneratedReport.Status.FAILED
    assert run.error == "The report could not be made (RuntimeError)"


def test_only_a_failed_run_can_be_retried(client_as, persona, reference_data):
    run = report_run_request(actor=persona("coordinator"), edition=make_edition())
    response = client_as("coordinator").post(reverse("reporting:annual-run-retry", args=[run.pk]))
    assert "Only a failed run can be tried again" in response.text
    assert GeneratedReport.objects.count() == 1


def test_board_members_may_not_ask_for_a_run(client_as, reference_data):
    edition = make_edition(status="approved")
    response = client_as("board").post(reverse("reporting:annual-generate", args=[edition.pk]))
    assert response.status_code == 403
    assert not GeneratedReport.objects.exists()
