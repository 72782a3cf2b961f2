"""Run the benchmarks and write bench/results/latest.md (and latest.json).

    python -m bench.run                    # the small preset
    python -m bench.run --preset national  # 80,000 referrals and the rest

Steps: make the benchmark database (PostgreSQL, separate from every other) if missing;
fill it with the preset's data unless it already holds exactly that; sign in the
benchmark users; count each page's SQL queries in-process; serve the portal with
gunicorn (2 workers, loopback); load each page with wrk (8 connections); write the
figures and their ratios to the admin changelists and to the bare view.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench import database

# Always the benchmark settings, whatever the environment says (the Makefile exports
# the product's): the generator must never write into a developer's database.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

BASE = Path(__file__).resolve().parent.parent
RESULTS = BASE / "bench" / "results"
PYTHON = sys.executable
NICE = ["nice", "-n", "19"]

# The targets: (key, label, user, yardstick of, path built later).
PAGES = [
    ("case_list", "Case list (first page, default filters)", "coordinator", "admin_referral"),
    ("case_page", "Case page", "coordinator", "admin_referral"),
    ("training_list", "Training session list", "coordinator", "admin_training"),
    ("outreach_list", "Outreach session list", "coordinator", None),
    ("board", "Board view", "coordinator", None),
    ("statistics", "Prevent statistics (a financial year, every table)", "coordinator", None),
    ("admin_referral", "Yardstick: admin changelist of Referral", "superuser", None),
    ("admin_training", "Yardstick: admin changelist of TrainingSession", "superuser", None),
    ("floor", "Yardstick: bare Django view (the floor)", None, None),
]
TARGET_P95_MS = 150
ROUNDS = 3
# wrk gives up on a request after this long (and counts it as an error).
TIMEOUT_S = 30
TARGET_ADMIN_RATIO = 2.0


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


# --------------------------------------------------------------------------------------
# The database
# --------------------------------------------------------------------------------------


def ensure_database(url: str, *, fresh: bool) -> None:
    """Create the role and the database if missing (trust auth, as .ci/run assumes)."""
    database.ensure_database(url, fresh=fresh, must_say=("bench",), log=log)


def _manage(*args: str) -> None:
    subprocess.run([*NICE, PYTHON, "manage.py", *args], cwd=BASE, check=True)


def dataset_matches(preset_name: str) -> bool:
    from bench.generate import PRESETS
    from referrals.models import Referral
    from training.models import Evaluation, TrainingSession

    preset = PRESETS[preset_name]
    try:
        return (
            Referral.objects.count() == preset.referrals
            and TrainingSession.objects.count() == preset.sessions
            and Evaluation.objects.count() == preset.evaluations
        )
    except Exception:  # tables missing: a new database
        return False


def prepare_data(preset: str, seed: int, url: str) -> float | None:
    """Returns the seconds the generator took, or None when the data were there."""
    import django

    ensure_database(url, fresh=False)
    django.setup()
    from django.db import connection

    if dataset_matches(preset):
        log(f"The database already holds the {preset} preset")
        _manage("migrate", "--noinput", "-v0")
        return None
    connection.close()
    ensure_database(url, fresh=True)
    log("Migrating and loading the reference data")
    _manage("migrate", "--noinput", "-v0")
    _manage("load_reference_data")
    log(f"Generating the {preset} preset")
    started = time.monotonic()
    subprocess.run(
        [*NICE, PYTHON, "-m", "bench.generate", "--preset", preset, "--seed", str(seed)],
        cwd=BASE,
        check=True,
    )
    elapsed = time.monotonic() - started
    # A database in use has been vacuumed by autovacuum; a freshly bulk-loaded one has
    # not, and its index-only scans (counts) would still read the table.
    log("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return elapsed


def row_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for label in [
        "referrals.Referral",
        "referrals.ReferralEvent",
        "training.TrainingSession",
        "training.Evaluation",
        "education.Setting",
        "education.OutreachSession",
        "community.Incident",
        "community.TensionSummary",
        "governance.PlanAction",
        "governance.ProgressUpdate",
    ]:
        counts[label] = apps.get_model(label).objects.count()
    return counts


# --------------------------------------------------------------------------------------
# Users, sessions and the URLs
# --------------------------------------------------------------------------------------


def bench_users():
    from prevent_portal.accounts.models import User, UserRole
    from prevent_portal.accounts.roles import Role

    coordinator, _ = User.objects.get_or_create(
        username="bench-coordinator",
        defaults={"first_name": "Jamie", "last_name": "Testwood", "can_see_identities": True},
    )
    UserRole.objects.get_or_create(user=coordinator, role=Role.COORDINATOR)
    superuser, _ = User.objects.get_or_create(
        username="bench-superuser",
        defaults={"first_name": "Alex", "last_name": "Sampleton", "is_staff": True},
    )
    if not superuser.is_superuser:
        superuser.is_staff = superuser.is_superuser = True
        superuser.save()
    return {"coordinator": coordinator, "superuser": superuser}


def signed_in_client(user):
    """A test client signed in as `user` by Django's own login() (signals and all), its
    session verified by the user's authenticator as after a right MFA code."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sign_in(users) -> dict[str, str]:
    """A session cookie per user (signed_in_client)."""
    from django.conf import settings

    return {
        key: signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
        for key, user in users.items()
    }


def paths() -> dict[str, str]:
    from django.db.models import Count
    from django.urls import reverse

    from bench.generate import END as GENERATED_UNTIL
    from prevent_portal.ui.periods import financial_year_start
    from referrals.models import Referral

    # The case page of the referral with the longest history.
    case = (
        Referral.objects.annotate(steps=Count("events"))
        .order_by("-steps", "reference")
        .values_list("pk", flat=True)
        .first()
    )
    year_from = financial_year_start(GENERATED_UNTIL).isoformat()
    return {
        "case_list": reverse("referrals:index"),
        "case_page": reverse("referrals:referral-detail", args=[case]),
        # The list opens on the current financial year; the benchmark names that year
        # for the generated data (its last financial year), so that the run does not
        # depend on the day it is made, and the admin yardstick shows the same rows.
        "training_list": f"{reverse('training:session-list')}?date_from={year_from}",
        "outreach_list": reverse("education:session-list"),
        "board": reverse("reporting:board"),
        # The generated data's last financial year, as for the training list.
        "statistics": (
            f"{reverse('reporting:statistics')}?date_from={year_from}"
            f"&date_to={date(int(year_from[:4]) + 1, 3, 31).isoformat()}"
        ),
        "admin_referral": reverse("bench_admin:referrals_referral_changelist"),
        "admin_training": (
            f"{reverse('bench_admin:training_trainingsession_changelist')}?date__gte={year_from}"
        ),
        "floor": reverse("bench-floor"),
    }


def count_queries(urls, users) -> dict[str, dict]:
    """Each page in-process: its status, its number of SQL queries, the slowest three."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {}
    for key, _label, user, _of in PAGES:
        client = signed_in_client(users[user]) if user else Client()
        client.get(urls[key])  # warm the caches first, as a running server has them
        with CaptureQueriesContext(connection) as queries:
            response = client.get(urls[key])
        captured = queries.captured_queries  # now: the next request clears the log
        # The time alone: the median of five more (one request can meet a pause of the
        # garbage collector and read several times its usual time).
        times = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(urls[key])
            times.append(time.perf_counter() - started)
        elapsed = sorted(times)[2]
        slowest = sorted(captured, key=lambda q: -float(q["time"]))[:3]
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        found[key] = {
            "status": response.status_code,
            "queries": len(captured),
            "alone_ms": round(elapsed * 1000, 1),
            "sql_ms": round(sql_ms, 1),
            "bytes": len(response.content),
            "slowest": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:300]} for q in slowest
            ],
        }
        if response.status_code != 200:
            raise SystemExit(f"{urls[key]} answered {response.status_code}, not 200")
    return found


# --------------------------------------------------------------------------------------
# gunicorn and wrk
# --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, url: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DATABASE_URL": url}
    command = [*NICE, str(Path(PYTHON).parent / "gunicorn"), "prevent_portal.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=BASE, env=env, start_new_session=True)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    # The process group that this script started, and nothing else.
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def check_status(port: int, path: str, cookie: str | None) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if cookie:
        request.add_header("Cookie", f"sessionid={cookie}")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def worker_cpu_seconds(master: int) -> float:
    """CPU time (user and system) of gunicorn's workers: the children of `master`."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, ... utime and stime are fields 14 and 15.
        if int(fields[1]) == master:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until_idle(master: int, limit_s: float = 180) -> float:
    """Wait until gunicorn's workers have finished the requests still queued from the page
    before (wrk closes its connections, but the workers serve what was already sent):
    otherwise a slow page's backlog would be charged to the next page. Idle means less
    than 2% CPU over half a second. Returns the seconds waited."""
    started = time.monotonic()
    before = worker_cpu_seconds(master)
    while time.monotonic() - started < limit_s:
        time.sleep(0.5)
        after = worker_cpu_seconds(master)
        if after - before < 0.01:
            break
        before = after
    return time.monotonic() - started


def median_of(rounds: list[dict], seconds_per_round: float) -> dict:
    """Throughput over all the rounds; latencies and CPU time the median of the rounds
    that completed a request (None when none did: every request timed out)."""
    served = [figures for figures in rounds if figures["requests"]]
    merged = {"rps": sum(f["requests"] for f in rounds) / (seconds_per_round * len(rounds))}
    for name in ("p50_ms", "p95_ms", "p99_ms", "cpu_ms"):
        merged[name] = statistics.median(f[name] for f in served) if served else None
    merged["requests"] = sum(figures["requests"] for figures in rounds)
    merged["errors"] = sum(figures["errors"] for figures in rounds)
    merged["rounds"] = rounds
    return merged


def _ratio(numerator: float, denominator: float, places: int = 2) -> str:
    if not denominator:
        return "∞" if numerator else "–"
    return f"{numerator / denominator:.{places}f}"


def _ms(value) -> str:
    return "timed out" if value is None else f"{value:.0f}"


def wrk(port: int, path: str, cookie: str | None, seconds: int) -> dict:
    command = [*NICE, "wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", f"{TIMEOUT_S}s"]
    command += ["-s", str(BASE / "bench" / "report.lua")]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line[len("BENCH ") :])
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50_ms": figures["p50"] / 1000,
        "p95_ms": figures["p95"] / 1000,
        "p99_ms": figures["p99"] / 1000,
        "requests": figures["requests"],
        "errors": figures["errors"],
    }


# --------------------------------------------------------------------------------------
# The annual report (bench/annual.py, in a process of its own)
# --------------------------------------------------------------------------------------

REPORT_YEAR = 2025  # the last whole calendar year of the generated data


def annual_report(url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DATABASE_URL": url}
    command = [*NICE, PYTHON, "-m", "bench.annual", "--year", str(REPORT_YEAR)]
    done = subprocess.run(command, cwd=BASE, env=env, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("ANNUAL "):
            return json.loads(line[len("ANNUAL ") :])
    problem = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": problem}


def annual_report_lines(report: dict) -> list[str]:
    if "error" in report:
        return [f"Not measured: the benchmark failed ({report['error']})."]
    pdf_ratio = report["pdf_s"] / report["weasyprint_s"]

    def verdict(ok):
        return "met" if ok else "**missed**"

    return [
        f"One calendar year ({report['year']}) of the generated data, the figures-only "
        "edition (no narrative), one process.",
        "",
        "| measure | value | target | |",
        "|---|---:|---|---|",
        f"| Every figure computed | {report['figures_s'] * 1000:.0f} ms "
        f"({report['figures_sql_s'] * 1000:.0f} ms in SQL) | ≤ 1 s | "
        f"{verdict(report['figures_s'] <= 1)} |",
        f"| SQL queries for the figures | {report['figures_queries']} | ≤ 30 | "
        f"{verdict(report['figures_queries'] <= 30)} |",
        f"| HTML rendered | {report['html_s'] * 1000:.0f} ms ({report['html_bytes']:,} bytes) "
        "| | |",
        f"| Whole PDF (template and WeasyPrint) | {report['pdf_s']:.2f} s "
        f"({report['pdf_bytes']:,} bytes) | ≤ 10 s | {verdict(report['pdf_s'] <= 10)} |",
        "| WeasyPrint alone on the saved HTML, tagged as the product's (the floor) | "
        f"{report['weasyprint_s']:.2f} s | | |",
        *(
            [
                "| WeasyPrint alone, untagged (for reference) | "
                f"{report['weasyprint_untagged_s']:.2f} s | | |"
            ]
            if "weasyprint_untagged_s" in report
            else []
        ),
        f"| PDF ÷ floor | {pdf_ratio:.2f} | ≤ 1.3 | {verdict(pdf_ratio <= 1.3)} |",
        f"| Peak memory of the process | {report['peak_mb']:.0f} MB | ≤ 500 MB | "
        f"{verdict(report['peak_mb'] <= 500)} |",
    ]


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else memory
    from django import get_version
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {
        "CPU": f"{cpu} ({os.cpu_count()} cores, shared)",
        "Memory": memory,
        "System": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": get_version(),
        "PostgreSQL": postgres,
        "Load average at the start": " ".join(f"{value:.2f}" for value in load),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0],
    }


def commit() -> str:
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=BASE, capture_output=True, text=True
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{head}{' (with uncommitted changes)' if dirty else ''}"


def write_results(run: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(run, indent=2, default=str) + "\n"
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"{run['preset']}.json").write_text(text)
    pages = run["pages"]
    # The other preset's query counts, when it has been run: a count that grows with the
    # data is a bug (an N+1), whatever the timings say.
    other = {}
    for name in ("small", "national"):
        path = RESULTS / f"{name}.json"
        if name != run["preset"] and path.exists():
            earlier = json.loads(path.read_text())
            other = {key: (name, page["queries"]) for key, page in earlier["pages"].items()}
    floor = pages["floor"]["rps"]
    lines = [
        "# Benchmark results",
        "",
        f"Run at {run['started']} UTC, preset **{run['preset']}** (seed {run['seed']}), "
        f"commit {run['commit']}. Written by `make bench` (bench/run.py): do not edit.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in run["machine"].items()),
        "",
        "gunicorn: 2 sync workers on 127.0.0.1; wrk: 2 threads, 8 connections; "
        f"{run['seconds']} s per page in {ROUNDS} rounds taken in turn across the pages, "
        "after a warm-up; each figure is the median of the rounds. The server and wrk run "
        "at nice 19 on a machine that may be shared with other work (see the load average "
        "at the start and the end): compare the ratios, taken in the same rounds, and the "
        "server CPU time per request (the gunicorn workers' user and system time divided "
        "by the requests served; PostgreSQL's own time is not in it) more than the "
        "requests per second.",
        "",
        "## Data",
        "",
        "| table | rows |",
        "|---|---:|",
        *(f"| {label} | {count:,} |" for label, count in run["rows"].items()),
        "",
    ]
    if run.get("generated_seconds"):
        lines += [f"Generated in {run['generated_seconds']:.0f} s.", ""]
    lines += [
        "## Pages",
        "",
        f"Targets: p95 ≤ {TARGET_P95_MS} ms, and at least {TARGET_ADMIN_RATIO:g}× the "
        "throughput of the admin changelist over the same rows.",
        "",
        "| page | requests/s | p50 ms | p95 ms | server CPU ms per request | SQL queries "
        "| × admin | × floor | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for key, label, _user, of in PAGES:
        page = pages[key]
        queries = str(page["queries"])
        if key in other:
            queries += f" ({other[key][1]} at {other[key][0]})"
        versus_admin = _ratio(page["rps"], pages[of]["rps"]) if of else "–"
        met = "–"
        if not key.startswith("admin") and key != "floor":
            fast = page["p95_ms"] is not None and page["p95_ms"] <= TARGET_P95_MS
            beats = not of or page["rps"] >= TARGET_ADMIN_RATIO * pages[of]["rps"]
            met = "met" if fast and beats else "**missed**"
        errors = f" ({page['errors']} errors)" if page["errors"] else ""
        cpu = "–" if page["cpu_ms"] is None else f"{page['cpu_ms']:.1f}"
        lines.append(
            f"| {label}{errors} | {page['rps']:.1f} | {_ms(page['p50_ms'])} | "
            f"{_ms(page['p95_ms'])} | {cpu} | {queries} | {versus_admin} | "
            f"{_ratio(page['rps'], floor, 3)} | {met} |"
        )
    lines += [
        "",
        f"“timed out”: no request of that page finished within wrk's {TIMEOUT_S} s timeout in "
        "any round (8 requests queue behind 2 workers); its in-process time is below. "
        "“× admin” is the page's throughput divided by that of the admin changelist of the same "
        "model (the case page is compared with the Referral changelist); “× floor” divides by "
        "the bare view.",
        "",
        "## Where one request's time goes (in-process, no concurrency: the median of five "
        "requests, the SQL time of one)",
        "",
        "| page | whole request ms | in SQL ms | in Python and templates ms |",
        "|---|---:|---:|---:|",
        *(
            f"| {label} | {pages[key]['alone_ms']:.0f} | {pages[key]['sql_ms']:.0f} | "
            f"{pages[key]['alone_ms'] - pages[key]['sql_ms']:.0f} |"
            for key, label, _user, _of in PAGES
        ),
        "",
        "## Slowest SQL per page (one request, in-process)",
        "",
    ]
    for key, label, _user, _of in PAGES:
        slowest = pages[key]["slowest"]
        if not slowest:
            continue
        lines.append(f"- **{label}** ({pages[key]['queries']} queries):")
        for query in slowest:
            sql = query["sql"].replace("|", "\\|").replace("\n", " ")
            lines.append(f"  - {query['ms']} ms: `{sql}`")
    lines += ["", "## Annual report", "", *annual_report_lines(run["report"]), ""]
    path = RESULTS / "latest.md"
    path.write_text("\n".join(lines))
    (RESULTS / f"{run['preset']}.md").write_text("\n".join(lines))
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Run the benchmarks.")
    parser.add_argument("--preset", default="small")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--seconds", type=int, default=None, help="wrk time per page")
    parser.add_argument(
        "--rewrite", metavar="JSON", help="only write latest.md again from a saved run"
    )
    parser.add_argument("--data-only", action="store_true", help="only make the preset's database")
    parser.add_argument(
        "--pages",
        help="only these pages, comma-separated keys (e.g. case_list,admin_referral): a quick "
        "comparison printed at the end, no report and no results written",
    )
    args = parser.parse_args(argv)
    if args.rewrite:
        run = json.loads(Path(args.rewrite).read_text())
        for page in run["pages"].values():
            seconds_per_round = run["seconds"] // ROUNDS
            page.update(median_of(page["rounds"], seconds_per_round))
        log(f"Wrote {write_results(run).relative_to(BASE)}")
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    seconds = args.seconds or (20 if args.preset == "national" else 10)
    # A database per preset: a quick small run never throws away the national data.
    os.environ.setdefault(
        "BENCH_DATABASE_URL",
        f"postgres://prevent_portal@127.0.0.1:5432/prevent_portal_bench_{args.preset}",
    )
    from bench.settings import BENCH_DATABASE_URL as url

    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    generated = prepare_data(args.preset, args.seed, url)
    if args.data_only:
        log(f"The {args.preset} data are in {url.rsplit('/', 1)[-1]}")
        return
    users = bench_users()
    urls = paths()
    measured = PAGES
    if args.pages:
        keys = args.pages.split(",")
        unknown = set(keys) - {key for key, *_rest in PAGES}
        if unknown:
            raise SystemExit(f"No such page: {', '.join(sorted(unknown))}")
        measured = [page for page in PAGES if page[0] in keys]
    log("Counting the queries of each page")
    found = count_queries(urls, users)
    cookies = sign_in(users)
    info = machine()
    from django.db import connection

    connection.close()
    port = free_port()
    log(f"Starting gunicorn on 127.0.0.1:{port}")
    server = start_gunicorn(port, url)
    rounds: dict[str, list[dict]] = {key: [] for key, *_rest in measured}
    try:
        for key, _label, user, _of in measured:
            cookie = cookies[user] if user else None
            status = check_status(port, urls[key], cookie)
            if status != 200:
                raise SystemExit(f"{urls[key]} answered {status} through gunicorn, not 200")
            wrk(port, urls[key], cookie, 2)  # warm-up
            wait_until_idle(server.pid)
        # Round-robin: a burst of load from elsewhere on the machine spreads over every
        # page instead of spoiling one.
        for number in range(1, ROUNDS + 1):
            log(f"Round {number} of {ROUNDS}: {seconds // ROUNDS} s per page")
            for key, _label, user, _of in measured:
                cookie = cookies[user] if user else None
                waited = wait_until_idle(server.pid)
                if waited > 5:
                    log(f"  (waited {waited:.0f} s for the previous page's queued requests)")
                cpu_before = worker_cpu_seconds(server.pid)
                figures = wrk(port, urls[key], cookie, seconds // ROUNDS)
                cpu = worker_cpu_seconds(server.pid) - cpu_before
                served = figures["requests"]
                figures["cpu_ms"] = 1000 * cpu / served if served else None
                rounds[key].append(figures)
                log(
                    f"  {key}: {figures['requests']} requests, p50 {figures['p50_ms']:.0f} ms, "
                    f"p95 {figures['p95_ms']:.0f} ms, {cpu:.1f} CPU seconds"
                )
    finally:
        stop(server)
    pages = {
        key: {**found[key], **median_of(rounds[key], seconds // ROUNDS), "path": urls[key]}
        for key in rounds
    }
    if args.pages:
        for key, figures in pages.items():
            log(
                f"{key}: {figures['rps']:.1f} requests/s, p50 "
                f"{figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
                f"{figures['cpu_ms']:.1f} ms CPU per request"
            )
        return
    log(f"Measuring the annual report of {REPORT_YEAR}")
    report = annual_report(url)
    log(f"  {report}")
    run = {
        "started": started,
        "preset": args.preset,
        "seed": args.seed,
        "seconds": seconds,
        "commit": commit(),
        "machine": {
            **info,
            "Load average at the end": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        },
        "rows": row_counts(),
        "generated_seconds": generated,
        "pages": pages,
        "report": report,
    }
    path = write_results(run)
    log(f"Wrote {path.relative_to(BASE)}")


if __name__ == "__main__":
    main()
