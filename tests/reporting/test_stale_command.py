"""manage.py mark_stale_reports: a run whose worker stopped is marked failed
(docs/security.md §26); --older-than shortens the wait, for the fault drill (`make drills`)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reporting.models import GeneratedReport
from reporting.services import report_run_request
from tests.reporting.conftest import make_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(persona, reference_data, django_capture_on_commit_callbacks):
    """A run that a worker claimed, then stopped beating 30 seconds ago."""
    with django_capture_on_commit_callbacks(execute=True):
        run = report_run_request(actor=persona("coordinator"), edition=make_edition())
    run.refresh_from_db()
    DBTaskResult.objects.filter(pk=run.task_id).update(status=TaskResultStatus.RUNNING)
    GeneratedReport.objects.filter(pk=run.pk).update(
        status=GeneratedReport.Status.RUNNING,
        progress=50,
        heartbeat_at=timezone.now() - timedelta(seconds=30),
    )
    return run


def _mark(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("mark_stale_reports", *args, stdout=out)
    return out.getvalue().strip()


def test_a_run_is_not_stale_before_the_default_ten_minutes(running):
    assert _mark() == "0 stale runs marked failed."
    running.refresh_from_db()
    assert running.status == GeneratedReport.Status.RUNNING


def test_older_than_marks_the_run_and_its_task_failed(running):
    assert _mark("--older-than", "10") == "1 stale run marked failed."
    running.refresh_from_db()
    assert running.status == GeneratedReport.Status.FAILED
    assert running.error == "The worker stopped before the report was finished. Try again."
    assert DBTaskResult.objects.get(pk=running.task_id).status == TaskResultStatus.FAILED


def test_older_than_spares_a_run_whose_heartbeat_is_fresher(running):
    assert _mark("--older-than", "60") == "0 stale runs marked failed."
    running.refresh_from_db()
    assert running.status == GeneratedReport.Status.RUNNING
