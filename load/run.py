"""Run the load test and write load/results/latest.md.

    python -m load.run                          # 50 users for 2 minutes
    python -m load.run --users 80 --duration 5m

Steps: make the load-test database (PostgreSQL, separate from every other) and fill it
with the benchmark generator's small preset unless it holds it already; make the staff
accounts (58, across every role) and write a signed-in, MFA-verified session for each
straight into the session store, so that neither sign-in lockout nor one-time codes are
what is measured; serve the portal with gunicorn (2 workers, loopback, DEBUG off); check
every session through it; run locust headless (load/locustfile.py) with a mix of each
role's reads and writes; write the figures. Exits non-zero if any request failed or any
response was a server error (5xx).
"""

import argparse
import csv
import json
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import database

# Always the load-test settings, whatever the environment says (the Makefile exports
# the product's): the generator must never write into a developer's database.
os.environ["DJANGO_SETTINGS_MODULE"] = "load.settings"

BASE = Path(__file__).resolve().parent.parent
RESULTS = BASE / "load" / "results"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
NICE = ["nice", "-n", "19"]
DEFAULT_URL = "postgres://prevent_portal@127.0.0.1:5432/prevent_portal_load"
PRESET = "small"
SEED = 2026

# The staff accounts, as in a large partnership: (role, how many). 58 in all, so that
# each of 50 simulated users signs in as somebody different.
ACCOUNTS = [
    ("coordinator", 6),
    ("chair", 4),
    ("channel", 14),
    ("education", 10),
    ("community", 8),
    ("support", 4),
    ("board", 8),
    ("admin", 4),
]
# Roles that work on cases see identities (the grant is per user).
SEES_IDENTITIES = {"coordinator", "chair", "channel"}


def log(message: str) -> None:
    print(f"[load {datetime.now():%H:%M:%S}] {message}", flush=True)


# --------------------------------------------------------------------------------------
# The database
# --------------------------------------------------------------------------------------


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the role and the database if missing (trust auth on loopback, as CI has)."""
    database.ensure_database(url, fresh=fresh, must_say=("load", "drill"), log=log)


def prepare_data(url: str, *, fresh: bool = False) -> None:
    """The small preset of bench/generate.py, generated once and kept between runs (the
    load test adds training and outreach sessions, never referrals)."""
    import django

    ensure_database(url)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import PRESETS, generate
    from referrals.models import Referral

    try:
        ready = not fresh and Referral.objects.count() == PRESETS[PRESET].referrals
    except Exception:  # tables missing: a new database
        ready = False
    connection.close()
    if ready:
        log(f"The database already holds the {PRESET} preset")
        call_command("migrate", "--noinput", verbosity=0)
        return
    ensure_database(url, fresh=True)
    log("Migrating and loading the reference data")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    log(f"Generating the {PRESET} preset")
    generate(PRESET, SEED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --------------------------------------------------------------------------------------
# Accounts and sessions
# --------------------------------------------------------------------------------------


def make_accounts(accounts=ACCOUNTS) -> list:
    """The load-test staff: invented names, one role each, a confirmed authenticator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from prevent_portal.accounts.models import User, UserRole

    users = []
    for role, count in accounts:
        for number in range(1, count + 1):
            user, created = User.objects.get_or_create(
                username=f"load-{role}-{number}",
                defaults={
                    "first_name": ["Jamie", "Alex", "Sam", "Robin", "Casey"][number % 5],
                    "last_name": f"Testwood {role.title()}",
                    "can_see_identities": role in SEES_IDENTITIES,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            UserRole.objects.get_or_create(user=user, role=role)
            TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "Authenticator app"}
            )
            user.load_role = role
            users.append(user)
    return users


def open_session(user) -> str:
    """Write a session as a full sign-in leaves it (the password, then the MFA code):
    Django's auth keys, the sign-in time for the 10-hour cap, the verified device as
    django_otp.login() stores it, and the session listed against the user. Returns the
    session key, the value of the session cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from prevent_portal.accounts.middleware import SIGNED_IN_AT
    from prevent_portal.accounts.models import UserSession

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNED_IN_AT] = time.time()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    UserSession.objects.create(session_key=store.session_key, user=user)
    return store.session_key


def close_sessions(users) -> None:
    """End the sessions an earlier run left behind (server-side, as sign-out does)."""
    from django.contrib.sessions.models import Session

    from prevent_portal.accounts.models import UserSession

    listed = UserSession.objects.filter(user__in=users)
    Session.objects.filter(session_key__in=listed.values("session_key")).delete()
    listed.delete()


# --------------------------------------------------------------------------------------
# What the simulated staff work on
# --------------------------------------------------------------------------------------


def plan(users) -> dict:
    """Everything the locustfile needs, as plain data: the accounts with their session
    cookies, and the ids and form choices the actions pick from."""
    from django.db.models import Q

    from community.models import TensionSummary
    from education.forms import SessionForm as OutreachForm
    from education.models import Setting
    from governance.models import District
    from referrals.choices import ReferralStatus
    from referrals.models import Referral
    from training.forms import SessionForm as TrainingForm
    from training.models import Course

    rng = random.Random(SEED)  # noqa: S311 (reproducible, not security)
    close_sessions(users)
    accounts = [
        {"username": user.username, "role": user.load_role, "session": open_session(user)}
        for user in users
    ]
    rng.shuffle(accounts)

    def pks(queryset, count=200):
        return [str(pk) for pk in queryset.order_by("?").values_list("pk", flat=True)[:count]]

    training_form, outreach_form = TrainingForm(), OutreachForm()
    return {
        "accounts": accounts,
        "cases": pks(Referral.objects.all()),
        "statuses": [value for value, _label in ReferralStatus.choices],
        "districts": pks(District.objects.filter(is_active=True), 100),
        "summaries": pks(TensionSummary.objects.all()),
        "training": {
            "courses": pks(Course.objects.all(), 50),
            "formats": [value for value, _label in training_form.fields["format"].choices],
            "trainers": pks(training_form.fields["trainers"].queryset, 50),
            "audiences": pks(training_form.fields["audiences"].queryset, 50),
        },
        "outreach": {
            "peos": pks(outreach_form.fields["peo"].queryset, 50),
            "audiences": pks(outreach_form.fields["audience"].queryset, 50),
            "settings": pks(Setting.objects.filter(Q(is_open=True)), 200),
            "formats": [value for value, _ in outreach_form.fields["format"].choices if value],
        },
    }


# --------------------------------------------------------------------------------------
# gunicorn
# --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, url: str, log_path: Path, *, nice: bool = True):
    """gunicorn with the load-test settings: 2 sync workers on loopback, DEBUG off."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "load.settings", "LOAD_DATABASE_URL": url}
    command = [*(NICE if nice else []), str(BIN / "gunicorn"), "prevent_portal.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"]
    with log_path.open("ab") as output:
        server = subprocess.Popen(
            command, cwd=BASE, env=env, start_new_session=True, stdout=output, stderr=output
        )
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    stop(server)
    raise SystemExit(f"gunicorn did not start: see {log_path}")


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stop the process group that this script started, and nothing else."""
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def worker_cpu_seconds(master: int) -> float:
    """CPU time (user and system) of gunicorn's workers, the children of `master`
    (as bench/run.py measures it; PostgreSQL's own time is not in it)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def fetch(port: int, path: str, session: str | None = None, *, method="GET", data=None):
    """(status, headers, body) of one request, without following redirects."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    if session:
        request.add_header("Cookie", f"sessionid={session}")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def check_sessions(port: int, accounts: list[dict]) -> None:
    """Every account's home page through gunicorn: 200, not the sign-in or MFA step."""
    for account in accounts:
        status, headers, _body = fetch(port, "/", account["session"])
        if status != 200:
            where = headers.get("Location", "")
            raise SystemExit(f"{account['username']} got {status} {where} for the home page")


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu, memory = "unknown", "unknown"
    if Path("/proc/cpuinfo").exists():
        match = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = match.group(1).strip() if match else cpu
    if Path("/proc/meminfo").exists():
        match = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
        memory = f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else memory
    from django import get_version
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]

    def version(tool):
        done = subprocess.run([str(BIN / tool), "--version"], capture_output=True, text=True)
        return (done.stdout or done.stderr).strip().splitlines()[0]

    return {
        "CPU": f"{cpu} ({os.cpu_count()} cores, shared)",
        "Memory": memory,
        "System": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": get_version(),
        "PostgreSQL": postgres.split()[0],
        "gunicorn": version("gunicorn"),
        "locust": version("locust").split(" from ")[0],
        "Load average at the start": " ".join(f"{v:.2f}" for v in os.getloadavg()),
    }


def commit() -> str:
    def git(*args):
        done = subprocess.run(["git", *args], cwd=BASE, capture_output=True, text=True)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{head}{' (with uncommitted changes)' if dirty else ''}"


def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    failures_path = Path(f"{prefix}_failures.csv")
    failures = []
    if failures_path.exists():
        with failures_path.open(newline="") as found:
            failures = list(csv.DictReader(found))
    return rows, failures


def _n(value) -> str:
    return "–" if value in ("", "N/A", None) else f"{float(value):,.0f}"


def write_results(run: dict) -> Path:
    rows, failures, statuses = run["stats"], run["failures"], run["statuses"]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    server_errors = sum(
        count for codes in statuses.values() for code, count in codes.items() if int(code) >= 500
    )
    lines = [
        "# Load test results",
        "",
        f"Run at {run['started']} UTC, commit {run['commit']}. Written by `make load` "
        "(load/run.py): do not edit.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in run["machine"].items()),
        "",
        "## The run",
        "",
        f"- **{run['users']} concurrent users** (spawned {run['rate']} a second), "
        f"for **{run['duration']}**, each waiting 1 to 4 s between actions; each signs in "
        f"as a different one of {run['accounts']} staff accounts across the eight roles "
        "(sessions written before the run, already past MFA).",
        "- gunicorn: 2 sync workers on 127.0.0.1, DEBUG off, `ATOMIC_REQUESTS`, "
        "`CONN_MAX_AGE` 0 (the production default); PostgreSQL on the same machine; the "
        "server and locust at nice 19 on a machine shared with other work.",
        f"- Data: the benchmark generator's {PRESET} preset "
        f"({run['rows']['referrals']:,} referrals, {run['rows']['training']:,} training "
        f"sessions, {run['rows']['outreach']:,} outreach sessions at the start).",
        "- Mix: case list, filtered case list and case page (coordinator, chair, Channel); "
        "My work (case roles); training list and logging a session through its form "
        "(coordinator, chair, education); outreach list and recording outreach through its "
        "form (education); weekly tension summaries (community); board view, figures and "
        "meetings (board, business support); the audit log (administrator). Every write is "
        "a real form post with its CSRF token, followed by the page it redirects to.",
        "",
        "## Totals",
        "",
        "| requests | requests/s | failures | server errors (5xx) | p50 ms | p95 ms | p99 ms |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {int(total['Request Count']):,} | {float(total['Requests/s']):.1f} | "
        f"{int(total['Failure Count']):,} | {server_errors} | {_n(total['50%'])} | "
        f"{_n(total['95%'])} | {_n(total['99%'])} |",
        "",
        f"Target: zero server errors — **{'met' if server_errors == 0 else 'missed'}**.",
        "",
        f"The gunicorn workers used {run['cpu_seconds']:.0f} CPU seconds (user and system), "
        f"{1000 * run['cpu_seconds'] / max(1, int(total['Request Count'])):.0f} ms per "
        "request on average; PostgreSQL's time is not in it. The latencies include the time "
        "a request waits for one of the two workers: when the machine is busy with other "
        "work (see the load average), that wait dominates.",
        "",
        "## Per endpoint",
        "",
        "| endpoint | method | requests | failures | 5xx | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        codes = statuses.get(f"{row['Type']} {row['Name']}", {})
        fives = sum(count for code, count in codes.items() if int(code) >= 500)
        lines.append(
            f"| {row['Name']} | {row['Type']} | {int(row['Request Count']):,} | "
            f"{int(row['Failure Count']):,} | {fives} | {_n(row['50%'])} | {_n(row['95%'])} | "
            f"{_n(row['99%'])} | {_n(row['Max Response Time'])} |"
        )
    lines += [""]
    if failures:
        lines += ["## Failures", "", "| endpoint | error | occurrences |", "|---|---|---:|"]
        for failure in failures:
            error = failure["Error"].replace("|", "\\|")[:200]
            lines.append(f"| {failure['Name']} | {error} | {failure['Occurrences']} |")
        lines += [""]
    lines += [
        "Percentiles are locust's (response times rounded into its buckets). "
        f"Load average at the end: {run['load_at_end']}.",
        "",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "latest.md"
    path.write_text("\n".join(lines))
    return path


def row_counts() -> dict[str, int]:
    from education.models import OutreachSession
    from referrals.models import Referral
    from training.models import TrainingSession

    return {
        "referrals": Referral.objects.count(),
        "training": TrainingSession.objects.count(),
        "outreach": OutreachSession.objects.count(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the load test.")
    parser.add_argument("--users", type=int, default=int(os.environ.get("USERS") or 50))
    parser.add_argument("--rate", type=int, default=int(os.environ.get("RATE") or 10))
    parser.add_argument("--duration", default=os.environ.get("DURATION") or "2m")
    parser.add_argument("--fresh", action="store_true", help="generate the data again")
    args = parser.parse_args(argv)
    url = os.environ.setdefault("LOAD_DATABASE_URL", DEFAULT_URL)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")

    prepare_data(url, fresh=args.fresh)
    users = make_accounts()
    work = plan(users)
    info, rows = machine(), row_counts()
    from django.db import connection

    connection.close()

    with tempfile.TemporaryDirectory(prefix="portal-load-") as scratch:
        scratch = Path(scratch)
        plan_path, status_path = scratch / "plan.json", scratch / "status.json"
        plan_path.write_text(json.dumps(work))
        port = free_port()
        log(f"Starting gunicorn on 127.0.0.1:{port}")
        server = start_gunicorn(port, url, scratch / "gunicorn.log")
        try:
            log(f"Checking the {len(work['accounts'])} sessions through gunicorn")
            check_sessions(port, work["accounts"])
            log(f"locust: {args.users} users, {args.rate}/s, for {args.duration}")
            command = [*NICE, str(BIN / "locust"), "-f", str(BASE / "load" / "locustfile.py")]
            command += ["--headless", "-u", str(args.users), "-r", str(args.rate)]
            command += ["-t", args.duration, "--host", f"http://127.0.0.1:{port}"]
            command += ["--csv", str(scratch / "run"), "--only-summary", "--stop-timeout", "30"]
            command += ["--loglevel", "WARNING"]
            env = {**os.environ, "LOAD_PLAN": str(plan_path), "LOAD_STATUS": str(status_path)}
            cpu_before = worker_cpu_seconds(server.pid)
            subprocess.run(command, cwd=BASE, env=env, check=False)
            cpu = worker_cpu_seconds(server.pid) - cpu_before
        finally:
            stop(server)
        stats, failures = read_stats(scratch / "run")
        statuses = json.loads(status_path.read_text()) if status_path.exists() else {}
        server_log = (scratch / "gunicorn.log").read_text(errors="replace")
    if server_log.strip():
        log("gunicorn said:\n" + server_log[-3000:])
    run = {
        "started": started,
        "commit": commit(),
        "machine": info,
        "load_at_end": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "users": args.users,
        "rate": args.rate,
        "duration": args.duration,
        "accounts": len(work["accounts"]),
        "rows": rows,
        "cpu_seconds": cpu,
        "stats": stats,
        "failures": failures,
        "statuses": statuses,
    }
    path = write_results(run)
    log(f"Wrote {path.relative_to(BASE)}")
    total = next(row for row in stats if row["Name"] == "Aggregated")
    server_errors = sum(
        count for codes in statuses.values() for code, count in codes.items() if int(code) >= 500
    )
    log(
        f"{int(total['Request Count'])} requests, {int(total['Failure Count'])} failures, "
        f"{server_errors} server errors, p95 {_n(total['95%'])} ms"
    )
    if server_errors or int(total["Failure Count"]) or not int(total["Request Count"]):
        log("FAILED: server errors or failed requests (see the table)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
