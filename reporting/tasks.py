"""The annual report PDF as a background task (django-tasks, database backend).

`generate_report` is enqueued by `reporting.services.report_run_request` once the
request's transaction commits; `manage.py db_worker` runs it."""

from django_tasks import task

from reporting.services import report_run_execute


@task()
def generate_report(run_id: int) -> int:
    report_run_execute(run_id=run_id)
    return run_id
