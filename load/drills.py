"""Fault drills: the database stopped under a running portal, and the report worker
killed in the middle of a PDF. Prints PASS or FAIL for each step; exits non-zero if any
step failed.

    python -m load.drills                 # both drills
    python -m load.drills --only database
    python -m load.drills --keep-cluster  # leave the drill's PostgreSQL cluster stopped

The drills never touch the machine's own PostgreSQL: they make a PostgreSQL cluster of
their own (`pg_createcluster`, Debian's postgresql-common; run as root) on port 5433,
put a small database in it, serve it with gunicorn (2 workers, loopback, DEBUG off) and
a `db_worker`, and stop and start that cluster. At the end the cluster is dropped, or
left stopped with --keep-cluster (remove it later with `pg_dropcluster VERSION
portal-drill`).

1. Database down: a training session is logged through the form; PostgreSQL is stopped
   as by a crash (`pg_ctlcluster ... stop -m immediate`); /healthz answers 503, a page
   answers with the styled error page (no traceback, the stylesheet still served), a form
   post is refused; PostgreSQL is started again; /healthz answers 200 within a minute,
   pages work, the session logged before is there, the post made during the outage
   is not, and a new one saves.
2. Worker killed mid-PDF: the annual report PDF is requested; once the worker is drawing
   it, the worker is killed (SIGKILL); `mark_stale_reports --older-than 1` marks the run
   and its task failed; the run is retried (reporting.services.report_run_retry); a new
   worker makes the PDF.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# Always the load-test settings, pointed at the drill's own cluster and database.
os.environ["DJANGO_SETTINGS_MODULE"] = "load.settings"

from load.run import (  # noqa: E402 (the settings first)
    BASE,
    PYTHON,
    ensure_database,
    free_port,
    log,
    make_accounts,
    open_session,
    start_gunicorn,
    stop,
)

CLUSTER = "portal-drill"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR_PAGE = "Sorry, there is a problem with the service"
RESULTS: list[tuple[str, bool, str]] = []


def step(name: str, ok: bool, detail: str = "") -> bool:
    RESULTS.append((name, ok, detail))
    detail = " ".join(str(detail or "").split())[:160]
    print(f"{'PASS' if ok else 'FAIL'}  {name}{f' ({detail})' if detail else ''}", flush=True)
    return ok


# --------------------------------------------------------------------------------------
# The drill's own PostgreSQL cluster
# --------------------------------------------------------------------------------------


def postgres_version() -> str:
    versions = sorted(
        (path.name for path in Path("/usr/lib/postgresql").glob("*") if path.name.isdigit()),
        key=int,
    )
    if not versions:
        raise SystemExit("PostgreSQL's server binaries are missing (/usr/lib/postgresql)")
    return versions[-1]


def cluster(version: str, action: str, *extra: str) -> None:
    subprocess.run(["pg_ctlcluster", version, CLUSTER, action, *extra], check=True)


def cluster_create(version: str, port: int) -> None:
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not any(line.split()[:2] == [version, CLUSTER] for line in listed.splitlines()):
        if os.geteuid() != 0:
            raise SystemExit("The drills make a PostgreSQL cluster of their own: run as root")
        log(f"Creating the PostgreSQL cluster {version}/{CLUSTER} on port {port}")
        subprocess.run(
            ["pg_createcluster", version, CLUSTER, "--port", str(port)]
            + ["--start-conf", "manual", "--", "--auth=trust"],
            check=True,
            capture_output=True,
        )
    if not any(
        line.split()[:2] == [version, CLUSTER] and "online" in line
        for line in subprocess.run(
            ["pg_lsclusters", "-h"], capture_output=True, text=True
        ).stdout.splitlines()
    ):
        cluster(version, "start")


# --------------------------------------------------------------------------------------
# HTTP with a session and the CSRF cookie
# --------------------------------------------------------------------------------------


class Browser:
    """Just enough of a browser: a session cookie, the CSRF cookie, no redirects."""

    def __init__(self, port: int, session: str | None = None):
        self.port, self.cookies = port, {"sessionid": session} if session else {}

    def request(self, path: str, data: dict | None = None):
        import urllib.error
        import urllib.parse
        import urllib.request

        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        try:
            with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
                status, headers, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, error.headers, error.read()
        except OSError as error:  # refused or reset: no HTTP answer at all
            return 0, {}, str(error)
        for cookie in headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            if name in ("csrftoken", "sessionid"):
                self.cookies[name] = rest.split(";")[0]
        return status, headers, text.decode(errors="replace")

    def submit(self, path: str, data: dict):
        status, _headers, form = self.request(path)
        token = CSRF.search(form)
        if status != 200 or not token:
            return status, {}, form
        return self.request(path, {**data, "csrfmiddlewaretoken": token.group(1)})


def styled(page: str) -> bool:
    """The service's own page: the GOV.UK template with its header and footer."""
    return all(part in page for part in ("govuk-template__header", "govuk-footer", ".css"))


def training_data(marker: str) -> dict:
    from governance.models import Partner
    from training.models import Course

    return {
        "date": date.today().isoformat(),
        "course": str(Course.objects.order_by("pk").first().pk),
        "format": "face_to_face",
        "audiences": [str(Partner.objects.order_by("pk").first().pk)],
        "attendees": "12",
        "notes": marker,
    }


def wait_for(check, seconds: float, every: float = 0.5):
    """check() until it returns something true, for at most `seconds`; returns it."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(every)


# --------------------------------------------------------------------------------------
# Drill 1: the database stopped
# --------------------------------------------------------------------------------------


def drill_database(version: str, port: int, coordinator) -> None:
    from django.db import connection

    from training.models import TrainingSession

    print("\n== Drill 1: the database stops under a running portal", flush=True)
    session = open_session(coordinator)
    before = f"Drill: logged before the outage {time.time():.0f}"
    during = f"Drill: posted during the outage {time.time():.0f}"
    after = f"Drill: logged after the outage {time.time():.0f}"
    data = training_data("")
    connection.close()
    web = free_port()
    with tempfile.TemporaryDirectory(prefix="portal-drill-") as scratch:
        log_path, back_at, outage_errors, later = Path(scratch) / "g.log", None, 0, 0
        server = start_gunicorn(web, os.environ["LOAD_DATABASE_URL"], log_path)
        try:
            browser = Browser(web, session)
            status, _h, body = browser.request("/healthz")
            step("/healthz answers 200 while the database is up", status == 200, body.strip())
            status, headers, _body = browser.submit(
                "/training/sessions/log/", {**data, "notes": before}
            )
            step(
                "a training session is logged through the form before the outage",
                status == 302 and TrainingSession.objects.filter(notes=before).count() == 1,
                f"{status} → {headers.get('Location', '')}",
            )
            status, _h, form = browser.request("/training/sessions/log/")
            token = (CSRF.search(form) or [None, ""])[1]
            connection.close()

            cluster(version, "stop", "-m", "immediate")
            step("PostgreSQL stopped as by a crash (stop -m immediate)", True)
            # As a load balancer or monitor asks: no cookies.
            status, _h, body = Browser(web).request("/healthz")
            step("/healthz answers 503 while the database is down", status == 503, body)
            status, _h, page = browser.request("/referrals/")
            step(
                "a page answers with the styled error page",
                status in (500, 503) and ERROR_PAGE in page and styled(page),
                f"status {status}",
            )
            step(
                "the error page shows no traceback or database detail",
                not any(word in page for word in ("Traceback", "OperationalError", "psycopg")),
            )
            css = re.search(r'href="([^"]+\.css)"', page)
            status_css = browser.request(css.group(1))[0] if css else 0
            step("its stylesheet is still served", status_css == 200, css and css.group(1))
            status, _h, page = browser.request(
                "/training/sessions/log/", {**data, "notes": during, "csrfmiddlewaretoken": token}
            )
            step(
                "a form post during the outage gets the error page",
                status in (500, 503) and ERROR_PAGE in page,
                f"status {status}",
            )

            cluster(version, "start")
            outage_errors = log_path.read_text(errors="replace").count("Internal Server Error")
            back_at = log_path.stat().st_size
            started = time.monotonic()
            healthy = wait_for(lambda: browser.request("/healthz")[0] == 200, 60)
            step(
                "/healthz answers 200 again once PostgreSQL is back",
                bool(healthy),
                f"after {time.monotonic() - started:.1f} s",
            )
            # Three rounds, so that both gunicorn workers serve each page.
            pages = {
                path: {browser.request(path)[0] for _round in range(3)}
                for path in ("/", "/referrals/", "/training/sessions/", "/my-work/")
            }
            step("pages work again", all(s == {200} for s in pages.values()), str(pages))
            step(
                "the training session logged before the outage is there",
                TrainingSession.objects.filter(notes=before).count() == 1,
            )
            step(
                "nothing of the post made during the outage was saved",
                not TrainingSession.objects.filter(notes=during).exists(),
            )
            status, _h, _p = browser.submit("/training/sessions/log/", {**data, "notes": after})
            step(
                "a new training session saves after the outage",
                status == 302 and TrainingSession.objects.filter(notes=after).count() == 1,
                f"status {status}",
            )
        finally:
            connection.close()
            stop(server)
            if back_at is not None:
                with log_path.open(errors="replace") as logged:
                    logged.seek(back_at)
                    later = logged.read().count("Internal Server Error")
    step(
        "no server error once PostgreSQL is back (gunicorn's log)",
        later == 0,
        f"{outage_errors} logged during the outage, {later} after",
    )


# --------------------------------------------------------------------------------------
# Drill 2: the report worker killed mid-PDF
# --------------------------------------------------------------------------------------


def start_worker(log_path: Path) -> subprocess.Popen:
    command = [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.2"]
    with log_path.open("ab") as output:
        return subprocess.Popen(
            command, cwd=BASE, env=os.environ.copy(), start_new_session=True,
            stdout=output, stderr=output,
        )  # fmt: skip


def drill_worker(coordinator) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from reporting.models import GeneratedReport
    from reporting.services import edition_create, report_run_request, report_run_retry

    print("\n== Drill 2: the report worker is killed in the middle of a PDF", flush=True)
    today = date.today()
    edition = edition_create(
        actor=coordinator,
        data={
            "title": f"Prevent annual report {today.year - 1} (drill)",
            "starts_on": date(today.year - 1, 1, 1),
            "ends_on": date(today.year - 1, 12, 31),
            "author": "Jamie Testwood, Prevent coordinator",
        },
    )
    with tempfile.TemporaryDirectory(prefix="portal-drill-") as scratch:
        worker_log = Path(scratch) / "worker.log"
        worker = start_worker(worker_log)
        try:
            run = report_run_request(actor=coordinator, edition=edition)

            def drawing():
                run.refresh_from_db()
                return run.status == GeneratedReport.Status.RUNNING and run.progress >= 50

            step(
                "the worker takes the task and starts drawing the PDF",
                bool(wait_for(drawing, 120, every=0.05)),
                f"{run.status}, {run.progress}%: {run.stage}",
            )
            stop(worker, signal.SIGKILL)
            run.refresh_from_db()
            step(
                "the worker is killed (SIGKILL) mid-PDF; the run is left running",
                run.status == GeneratedReport.Status.RUNNING and not run.pdf,
                f"{run.progress}%",
            )
            time.sleep(2)  # no heartbeat for longer than the drill's threshold
            done = subprocess.run(
                [PYTHON, "manage.py", "mark_stale_reports", "--older-than", "1"],
                cwd=BASE,
                capture_output=True,
                text=True,
            )
            run.refresh_from_db()
            task = DBTaskResult.objects.get(pk=run.task_id)
            step(
                "mark_stale_reports marks the run failed",
                run.status == GeneratedReport.Status.FAILED and "worker stopped" in run.error,
                done.stdout.strip() or done.stderr.strip()[-200:],
            )
            step(
                "and its task failed too",
                task.status == TaskResultStatus.FAILED,
                task.status,
            )
            again = report_run_retry(actor=coordinator, run=run)
            step(
                "the run is retried",
                again.retry_of_id == run.pk and again.status == GeneratedReport.Status.QUEUED,
                f"run {again.pk}",
            )
            worker = start_worker(worker_log)

            def finished():
                again.refresh_from_db()
                return again.status in (
                    GeneratedReport.Status.FINISHED,
                    GeneratedReport.Status.FAILED,
                )

            wait_for(finished, 180)
            step(
                "a new worker makes the PDF",
                again.status == GeneratedReport.Status.FINISHED
                and bytes(again.pdf or b"").startswith(b"%PDF"),
                f"{again.status}, {again.size or 0:,} bytes",
            )
            run.refresh_from_db()
            step("the failed run is kept", run.status == GeneratedReport.Status.FAILED)
        finally:
            stop(worker)


# --------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the fault drills.")
    parser.add_argument("--only", choices=["database", "worker"])
    parser.add_argument("--port", type=int, default=5433, help="the drill cluster's port")
    parser.add_argument("--keep-cluster", action="store_true")
    args = parser.parse_args(argv)
    version = postgres_version()
    url = f"postgres://prevent_portal@127.0.0.1:{args.port}/prevent_portal_drill"
    os.environ["LOAD_DATABASE_URL"] = url
    cluster_create(version, args.port)
    try:
        ensure_database(url, fresh=True)
        import django

        django.setup()
        from django.core.management import call_command

        from bench.generate import generate

        log("Migrating and loading the reference data and a little invented data")
        call_command("migrate", "--noinput", verbosity=0)
        call_command("load_reference_data", verbosity=0)
        with open(os.devnull, "w") as quiet:
            generate("tiny", 2026, out=quiet)
        coordinator = make_accounts([("coordinator", 1)])[0]
        if args.only in (None, "database"):
            drill_database(version, args.port, coordinator)
        if args.only in (None, "worker"):
            drill_worker(coordinator)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep_cluster:
            cluster(version, "stop")
            log(f"Left the cluster {version}/{CLUSTER} stopped: pg_dropcluster {version} {CLUSTER}")
        else:
            subprocess.run(["pg_dropcluster", "--stop", version, CLUSTER], check=False)
            log(f"Dropped the cluster {version}/{CLUSTER}")
    failed = [name for name, ok, _detail in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} steps passed", flush=True)
    for name in failed:
        print(f"FAIL  {name}", flush=True)
    return 1 if failed or not RESULTS else 0


if __name__ == "__main__":
    sys.exit(main())
