"""The load test's simulated staff (run by load/run.py, which writes LOAD_PLAN first).

Each simulated user signs in as a different staff account (its session cookie was
written before the run) and repeats its role's daily actions, reads and writes, with a
pause of 1 to 4 seconds between them. A write is the real thing: the form page, then the
post with the page's CSRF token, then the page it redirects to. A response that is not
what a person would expect (a form shown again with errors, a refusal) is a failure.
Every response's status is counted per endpoint into LOAD_STATUS at the end.
"""

import json
import os
import random
import re
from collections import defaultdict
from datetime import date, timedelta
from itertools import cycle
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
ACCOUNTS = cycle(PLAN["accounts"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR = re.compile(r'govuk-error-summary__list">\s*<li>\s*<a [^>]*>([^<]+)<')
STATUSES: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))


@events.request.add_listener
def count_status(request_type, name, response=None, **kwargs):
    code = getattr(response, "status_code", None) or 0
    STATUSES[f"{request_type} {name}"][code] += 1


@events.quitting.add_listener
def write_statuses(environment, **kwargs):
    Path(os.environ["LOAD_STATUS"]).write_text(json.dumps(STATUSES))


def _past_day(days: int = 60) -> str:
    return (date.today() - timedelta(days=random.randint(0, days))).isoformat()  # noqa: S311


# --------------------------------------------------------------------------------------
# The actions
# --------------------------------------------------------------------------------------


def get(user, path: str, name: str):
    with user.client.get(path, name=name, catch_response=True, allow_redirects=False) as page:
        if page.status_code != 200:
            page.failure(f"{page.status_code} {page.headers.get('Location', '')}")
        return page


def submit(user, form_path: str, data: dict, name: str) -> None:
    """The form page, the post with its CSRF token, then the page it redirects to."""
    form = get(user, form_path, f"{name}: form")
    token = CSRF.search(form.text or "")
    if not token:
        return
    data = {**data, "csrfmiddlewaretoken": token.group(1)}
    with user.client.post(
        form_path,
        data=data,
        name=f"{name}: save",
        catch_response=True,
        allow_redirects=False,
        headers={"Referer": user.host + form_path},
    ) as saved:
        if saved.status_code != 302:
            error = ERROR.search(saved.text or "")
            saved.failure(f"{saved.status_code}: {error.group(1).strip() if error else ''}")
            return
    get(user, saved.headers["Location"], f"{name}: saved page")


def case_list(user):
    get(user, "/referrals/", "case list")


def case_list_filtered(user):
    query = random.choice(  # noqa: S311
        [
            f"status={random.choice(PLAN['statuses'])}",  # noqa: S311
            f"district={random.choice(PLAN['districts'])}&sort=-received",  # noqa: S311
            f"received_from={_past_day(3650)}&sort=reference",
        ]
    )
    get(user, f"/referrals/?{query}", "case list (filtered)")


def case_page(user):
    get(user, f"/referrals/case/{random.choice(PLAN['cases'])}/", "case page")  # noqa: S311


def my_work(user):
    get(user, "/my-work/", "My work")


def home(user):
    get(user, "/", "home")


def training_list(user):
    get(user, "/training/sessions/", "training sessions")


def training_log(user):
    choices = PLAN["training"]
    data = {
        "date": _past_day(),
        "course": random.choice(choices["courses"]),  # noqa: S311
        "bespoke_title": "",
        "format": random.choice([f for f in choices["formats"] if f]),  # noqa: S311
        "trainers": random.sample(choices["trainers"], 1),
        "external_trainers": "",
        "audiences": random.sample(choices["audiences"], 2),
        "new_organisation": "",
        "district": random.choice(PLAN["districts"]),  # noqa: S311
        "attendees": str(random.randint(5, 60)),  # noqa: S311
        "notes": "Invented session logged by the load test",
    }
    submit(user, "/training/sessions/log/", data, "log a training session")


def outreach_list(user):
    get(user, "/education/sessions/", "outreach sessions")


def outreach_record(user):
    choices = PLAN["outreach"]
    data = {
        "date": _past_day(),
        "peo": random.choice(choices["peos"]),  # noqa: S311
        "audience": random.choice(choices["audiences"]),  # noqa: S311
        "settings": random.sample(choices["settings"], 2),
        "attendees": str(random.randint(10, 200)),  # noqa: S311
        "format": random.choice(choices["formats"]),  # noqa: S311
        "topic": "Online safety and misinformation",
        "notes": "",
        "feedback": "Invented feedback from the load test.",
    }
    submit(user, "/education/sessions/add/", data, "record outreach")


def summary_list(user):
    get(user, "/community/summaries/", "weekly summaries")


def summary_page(user):
    pk = random.choice(PLAN["summaries"])  # noqa: S311
    get(user, f"/community/summaries/{pk}/", "weekly summary")


def incident_list(user):
    get(user, "/community/incidents/", "incidents")


def board(user):
    get(user, "/board/", "board view")


def figures(user):
    get(user, "/figures/", "figures")


def meetings(user):
    get(user, "/partnership/board/meetings/", "board meetings")


def audit_log(user):
    get(user, "/audit/", "audit log")


# Each role's day: (action, weight).
CASES = [(case_list, 3), (case_list_filtered, 2), (case_page, 5), (my_work, 2)]
ACTIONS = {
    "coordinator": [*CASES, (training_list, 1), (training_log, 1), (board, 1), (home, 1)],
    "chair": [*CASES, (board, 1), (figures, 1)],
    "channel": [*CASES, (home, 1)],
    "education": [(outreach_list, 3), (outreach_record, 2), (training_list, 2), (training_log, 1)],
    "community": [(summary_list, 3), (summary_page, 3), (incident_list, 1), (home, 1)],
    "support": [(board, 2), (meetings, 2), (home, 1)],
    "board": [(board, 3), (figures, 2), (meetings, 1), (home, 1)],
    "admin": [(audit_log, 4), (home, 1)],
}


class StaffMember(HttpUser):
    wait_time = between(1, 4)

    def on_start(self):
        self.account = next(ACCOUNTS)
        self.client.cookies.set("sessionid", self.account["session"])
        actions = ACTIONS[self.account["role"]]
        self.actions = [action for action, _weight in actions]
        self.weights = [weight for _action, weight in actions]

    @task
    def next_action(self):
        random.choices(self.actions, self.weights)[0](self)  # noqa: S311
