"""My work and the Tasks section of a case."""

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from channel.models import AgendaItem, PanelMeeting
from prevent_portal.audit.models import AuditEvent
from referrals.models import Referral
from tests.conftest import make_user
from tests.referrals.conftest import new_referral
from worklist.models import Task

pytestmark = pytest.mark.django_db

MY_WORK = reverse("worklist:index")
OTHERS = ["education", "community", "support", "board", "admin"]


def tasks_url(referral):
    return reverse("worklist:case-tasks", kwargs={"pk": referral.pk})


def new_url(referral):
    return reverse("worklist:task-create", kwargs={"pk": referral.pk})


def done_url(task):
    return reverse("worklist:task-complete", kwargs={"pk": task.referral_id, "task_pk": task.pk})


@pytest.fixture
def channel_user(persona, reference_data):
    return persona("channel")


@pytest.fixture
def channel(client_as, channel_user):
    return client_as("channel")


def task(referral, *, due_on, title="Invented task", assigned_to=None, **extra):
    return Task.objects.create(
        referral=referral,
        kind=extra.pop("kind", "other"),
        title=title,
        due_on=due_on,
        assigned_to=assigned_to,
        key=f"manual:{uuid.uuid4()}",
        **extra,
    )


# -- My work ------------------------------------------------------------------------


def test_my_work_shows_my_open_cases_overdue_tasks_due_soon_and_the_next_panel(
    channel, channel_user
):
    today = timezone.localdate()
    mine = new_referral(actor=channel_user, received=today - timedelta(days=40))
    closed = new_referral(actor=channel_user, family="Closedcase", received=today)
    Referral.objects.filter(pk=closed.pk).update(status="no_further_action")
    someone_else = new_referral(actor=make_user("robin", "channel"), family="Other")
    task(mine, due_on=today + timedelta(days=5), title="Book the room", assigned_to=channel_user)
    task(mine, due_on=today + timedelta(days=20), title="Far away", assigned_to=channel_user)
    panel = PanelMeeting.objects.create(meeting_date=today + timedelta(days=9), location="Room 4")
    AgendaItem.objects.create(meeting=panel, referral=mine, status_when_added="received")

    content = channel.get(MY_WORK).content.decode()
    overdue = content.split('id="overdue"')[1].split('id="due-soon"')[0]
    assert mine.reference in overdue and "Gateway outcome due" in overdue  # received 40 days ago
    soon = content.split('id="due-soon"')[1].split('id="cases"')[0]
    assert "Book the room" in soon and "Far away" not in soon
    cases = content.split('id="cases"')[1].split('id="next-panel"')[0]
    assert mine.reference in cases and "Received" in cases
    assert closed.reference not in cases and someone_else.reference not in cases
    next_panel = content.split('id="next-panel"')[1]
    assert "Room 4" in next_panel and mine.reference in next_panel
    assert f"{panel.meeting_date:%-d %B %Y}" in next_panel


def test_my_work_says_when_there_is_nothing(channel):
    content = channel.get(MY_WORK).content.decode()
    assert "You have no overdue tasks." in content
    assert "You are not the case manager of any open case." in content
    assert "No Channel panel is in the diary yet." in content


def test_my_work_never_shows_a_case_out_of_scope(channel, channel_user, settings):
    settings.REFERRALS_SCOPE = "assigned"
    referral = new_referral(actor=make_user("robin", "channel"), received=date(2025, 1, 6))
    # Assigned to the Channel coordinator but on a case they no longer manage.
    task(referral, due_on=date(2025, 2, 1), title="Out of scope", assigned_to=channel_user)
    content = channel.get(MY_WORK).content.decode()
    assert referral.reference not in content and "Out of scope" not in content


@pytest.mark.parametrize("name", OTHERS)
def test_my_work_is_refused_to_roles_without_cases(client_as, reference_data, name):
    assert client_as(name).get(MY_WORK).status_code == 403


def test_my_work_is_not_cached(channel):
    assert "no-store" in channel.get(MY_WORK)["Cache-Control"]


def test_my_work_is_in_the_navigation_of_case_roles_only(client_as, reference_data):
    assert 'href="/my-work/"' in client_as("chair").get("/").content.decode()
    assert 'href="/my-work/"' not in client_as("board").get("/").content.decode()


@pytest.mark.parametrize("rows", [2, 30])
def test_my_work_query_budget_does_not_grow(
    channel, channel_user, django_assert_max_num_queries, rows
):
    today = timezone.localdate()
    panel = PanelMeeting.objects.create(meeting_date=today + timedelta(days=3))
    for index in range(rows):
        referral = new_referral(actor=channel_user, family=f"Budget{index}", received=today)
        task(referral, due_on=today + timedelta(days=index % 20), assigned_to=channel_user)
        AgendaItem.objects.create(meeting=panel, referral=referral, status_when_added="received")
    with django_assert_max_num_queries(13):
        response = channel.get(MY_WORK)
    assert response.content.decode().count('href="/referrals/case/') >= rows


# -- The Tasks section ------------------------------------------------------------


def test_the_tasks_section_lists_open_and_closed_tasks_and_is_audited(channel, channel_user):
    referral = new_referral(actor=channel_user, received=date(2025, 1, 6))
    task(
        referral,
        due_on=date(2025, 1, 1),
        title="Old one",
        status="done",
        completed_on=date(2025, 1, 2),
        completed_by=channel_user,
    )
    response = channel.get(tasks_url(referral))
    content = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Gateway outcome due" in content and "Overdue" in content
    assert "Old one" in content and "Done on 2 January 2025" in content
    assert 'aria-current="page"' in content and ">Tasks</a>" in content
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.VIEW, target_id=str(referral.pk), summary__contains="(tasks)"
    ).exists()


def test_the_case_page_has_a_tasks_tab(channel, channel_user):
    referral = new_referral(actor=channel_user)
    content = channel.get(reverse("referrals:referral-detail", kwargs={"pk": referral.pk}))
    assert f'href="{tasks_url(referral)}"' in content.content.decode()


def test_a_case_out_of_scope_or_unknown_is_404(channel, settings):
    settings.REFERRALS_SCOPE = "assigned"
    referral = new_referral(actor=make_user("robin", "channel"))
    gateway = referral.tasks.get()
    assert channel.get(tasks_url(referral)).status_code == 404
    assert channel.get(new_url(referral)).status_code == 404
    assert channel.get(done_url(gateway)).status_code == 404
    assert channel.post(done_url(gateway), {"version": 1}).status_code == 404
    assert Task.objects.get(pk=gateway.pk).status == "open"
    unknown = reverse("worklist:case-tasks", kwargs={"pk": uuid.uuid4()})
    assert channel.get(unknown).status_code == 404


def test_a_task_of_another_case_is_404(channel, channel_user):
    one = new_referral(actor=channel_user)
    other = new_referral(actor=channel_user, family="Othercase")
    url = reverse("worklist:task-complete", kwargs={"pk": one.pk, "task_pk": other.tasks.get().pk})
    assert channel.get(url).status_code == 404


@pytest.mark.parametrize("name", OTHERS)
def test_other_roles_cannot_see_or_change_tasks(client_as, reference_data, name):
    referral = new_referral()
    gateway = referral.tasks.get()
    client = client_as(name)
    assert client.get(tasks_url(referral)).status_code == 403
    assert client.post(new_url(referral), {"title": "x"}).status_code == 403
    assert client.post(done_url(gateway), {"version": 1}).status_code == 403
    assert Task.objects.get(pk=gateway.pk).status == "open"
    assert Task.objects.count() == 1


@pytest.mark.parametrize("rows", [2, 30])
def test_tasks_section_query_budget_does_not_grow(
    channel, channel_user, django_assert_max_num_queries, rows
):
    referral = new_referral(actor=channel_user)
    for index in range(rows):
        user = make_user(f"manager{index}", "channel") if index < 3 else channel_user
        task(referral, due_on=date(2026, 5, 1), assigned_to=user)
        task(
            referral,
            due_on=date(2026, 4, 1),
            status="done",
            completed_on=date(2026, 4, 2),
            completed_by=user,
        )
    channel.get(tasks_url(referral))  # reads the reference rows into the cache, as any first view
    with django_assert_max_num_queries(17):
        response = channel.get(tasks_url(referral))
    assert response.content.decode().count("Mark as done<") == rows + 1


# -- Adding a task -------------------------------------------------------------------


def add(client, referral, **data):
    form = {
        "title": "Ask the invented school for an update",
        "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "assigned_to": "",
        "token": str(uuid.uuid4()),
        **data,
    }
    return client.post(new_url(referral), form)


def test_adding_a_task_saves_it_audits_it_without_the_title_and_shows_it(channel, channel_user):
    referral = new_referral(actor=channel_user)
    response = add(channel, referral, assigned_to=str(channel_user.pk))
    assert response.status_code == 302 and response["Location"] == tasks_url(referral)
    created = referral.tasks.get(kind="other")
    assert (created.title, created.assigned_to, created.created_by) == (
        "Ask the invented school for an update",
        channel_user,
        channel_user,
    )
    audit = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, target_id=str(created.pk))
    assert audit.changes["title"] == {"set": True}
    assert "invented school" not in str(audit.changes) + audit.summary
    content = channel.get(tasks_url(referral)).content.decode()
    assert "Task added" in content and "Ask the invented school" in content


def test_the_add_form_offers_the_case_manager_first(channel, channel_user):
    referral = new_referral(actor=channel_user)
    content = channel.get(new_url(referral)).content.decode()
    assert f'<option value="{channel_user.pk}" selected>' in content
    assert 'name="token"' in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "  "}, "Enter what needs to be done"),
        ({"due_on": ""}, "Enter the due date"),
        ({"due_on": "2026-02-30"}, "Enter the due date as a real date"),
        ({"due_on": "2020-01-01"}, "The due date must be today or in the future"),
        ({"title": "x" * 201}, "200 characters or fewer"),
    ],
)
def test_bad_input_shows_errors_and_saves_nothing(channel, channel_user, data, message):
    referral = new_referral(actor=channel_user)
    response = add(channel, referral, **data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content and message in content
    assert "<title>Error: " in content
    assert referral.tasks.filter(kind="other").count() == 0


def test_a_double_submitted_add_makes_one_task(channel, channel_user):
    referral = new_referral(actor=channel_user)
    token = str(uuid.uuid4())
    assert add(channel, referral, token=token).status_code == 302
    assert add(channel, referral, token=token).status_code == 302
    assert referral.tasks.filter(kind="other").count() == 1


def test_no_task_can_be_added_to_a_closed_case(channel, channel_user):
    referral = new_referral(actor=channel_user)
    Referral.objects.filter(pk=referral.pk).update(status="signposted")
    assert "Add a task" not in channel.get(tasks_url(referral)).content.decode()
    content = add(channel, referral).content.decode()
    assert "no task can be added" in content
    assert referral.tasks.filter(kind="other").count() == 0


# -- Marking a task done -------------------------------------------------------------


def test_get_shows_a_confirmation_and_changes_nothing(channel, channel_user):
    referral = new_referral(actor=channel_user)
    gateway = referral.tasks.get()
    content = channel.get(done_url(gateway)).content.decode()
    assert "Mark this task as done?" in content and 'name="version" value="1"' in content
    assert Task.objects.get(pk=gateway.pk).status == "open"


def test_marking_done_closes_the_task_and_audits_it(channel, channel_user):
    referral = new_referral(actor=channel_user)
    gateway = referral.tasks.get()
    response = channel.post(done_url(gateway), {"version": 1})
    assert response.status_code == 302 and response["Location"] == tasks_url(referral)
    stored = Task.objects.get(pk=gateway.pk)
    assert (stored.status, stored.completed_by, stored.version) == ("done", channel_user, 2)
    assert stored.completed_on == timezone.localdate()
    audit = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(gateway.pk))
    assert audit.changes["status"] == {"old": "open", "new": "done"}
    assert "Task marked as done" in channel.get(tasks_url(referral)).content.decode()


def test_a_double_submitted_done_does_nothing_more(channel, channel_user):
    referral = new_referral(actor=channel_user)
    gateway = referral.tasks.get()
    channel.post(done_url(gateway), {"version": 1})
    response = channel.post(done_url(gateway), {"version": 1}, follow=True)
    assert "This task is already done" in response.content.decode()
    assert Task.objects.get(pk=gateway.pk).version == 2
    assert (
        AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE, target_id=str(gateway.pk)).count()
        == 1
    )


def test_a_stale_version_is_refused_with_the_conflict_message(channel, channel_user):
    referral = new_referral(actor=channel_user)
    gateway = referral.tasks.get()
    Task.objects.filter(pk=gateway.pk).update(version=3, due_on=date(2026, 12, 1))
    content = channel.post(done_url(gateway), {"version": 1}).content.decode()
    assert "changed by someone else" in content and "govuk-error-summary" in content
    assert Task.objects.get(pk=gateway.pk).status == "open"
