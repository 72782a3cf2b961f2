"""Tasks opened and closed by the journey's steps (worklist/services.py, receivers.py)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from channel.models import PanelMeeting
from referrals.models import ReferralEvent
from referrals.services import TransitionError
from tests.conftest import make_user
from tests.referrals.conftest import new_referral
from tests.worklist.conftest import at_status, step
from worklist.models import Task
from worklist.services import due_date, tasks_for_receipt, tasks_for_step, tasks_replay

pytestmark = pytest.mark.django_db

RECEIVED = date(2025, 1, 6)


def open_kinds(referral):
    return sorted(referral.tasks.filter(status="open").values_list("kind", flat=True))


def the_open(referral, kind):
    return referral.tasks.get(status="open", kind=kind)


@pytest.fixture
def manager(reference_data):
    return make_user("casey", "channel")


@pytest.fixture
def referral(manager):
    return new_referral(actor=manager, received=RECEIVED)


def test_a_new_referral_opens_gateway_outcome_due_for_its_case_manager(referral, manager):
    task = referral.tasks.get()
    assert (task.kind, task.status, task.title) == (
        "gateway_outcome",
        "open",
        "Gateway outcome due",
    )
    assert task.due_on == RECEIVED + timedelta(days=10)
    assert (task.assigned_to, task.created_by) == (manager, manager)
    assert task.opened_by_event is None and task.key == "gateway_outcome:created"


def test_the_gateway_task_stays_open_during_the_gateway_and_closes_on_its_outcome(
    referral, manager
):
    step(referral, "police_gateway", date(2025, 1, 7), actor=manager)
    assert open_kinds(referral) == ["gateway_outcome"]
    event = step(referral, "information_gathering", date(2025, 1, 10), actor=manager)
    gateway = referral.tasks.get(kind="gateway_outcome")
    assert (gateway.status, gateway.completed_on) == ("closed_by_step", date(2025, 1, 10))
    assert (gateway.completed_by, gateway.closed_by_event) == (manager, event)
    assert open_kinds(referral) == ["prepare_panel"]


def test_information_gathering_without_a_panel_in_the_diary_is_due_after_the_interval(
    referral,
):
    step(referral, "police_gateway", date(2025, 1, 7))
    step(referral, "information_gathering", date(2025, 1, 10))
    assert the_open(referral, "prepare_panel").due_on == date(2025, 2, 7)  # 28 days


def test_prepare_for_panel_is_due_the_day_before_the_next_panel(referral):
    today = timezone.localdate()
    PanelMeeting.objects.create(meeting_date=today - timedelta(days=3))  # past
    PanelMeeting.objects.create(meeting_date=today + timedelta(days=30), status="cancelled")
    PanelMeeting.objects.create(meeting_date=today + timedelta(days=40))
    PanelMeeting.objects.create(meeting_date=today + timedelta(days=70))
    step(referral, "police_gateway", date(2025, 1, 7))
    step(referral, "information_gathering", date(2025, 1, 10))
    assert the_open(referral, "prepare_panel").due_on == today + timedelta(days=39)


def test_panel_closes_prepare_for_panel_and_consent_opens_a_follow_up(referral):
    step(referral, "police_gateway", date(2025, 1, 7))
    step(referral, "information_gathering", date(2025, 1, 10))
    step(referral, "panel", date(2025, 2, 3))
    assert open_kinds(referral) == []
    step(referral, "consent", date(2025, 2, 3))
    assert the_open(referral, "consent_follow_up").due_on == date(2025, 2, 17)


def test_adoption_and_each_review_open_the_next_review_and_close_the_last(referral):
    at_status(referral, "consent")
    step(referral, "adopted", date(2025, 2, 10))
    first = the_open(referral, "review_due")
    assert first.due_on == date(2025, 5, 11)  # 90 days
    step(referral, "reviewed", date(2025, 5, 5))
    second = the_open(referral, "review_due")
    assert second.due_on == date(2025, 8, 3)
    first.refresh_from_db()
    assert first.status == "closed_by_step"
    assert referral.tasks.filter(kind="review_due").count() == 2
    step(referral, "reviewed", date(2025, 8, 1))
    assert referral.tasks.filter(kind="review_due", status="open").count() == 1


def test_exit_opens_the_6_month_review_and_the_first_review_the_12_month_review(referral):
    at_status(referral, "reviewed")
    step(referral, "exit", date(2025, 3, 31))
    assert open_kinds(referral) == ["post_exit_6"]
    assert the_open(referral, "post_exit_6").due_on == date(2025, 9, 30)
    step(referral, "post_exit_review", date(2025, 9, 22))
    assert open_kinds(referral) == ["post_exit_12"]
    assert the_open(referral, "post_exit_12").due_on == date(2026, 3, 31)  # exit + 12 months
    step(referral, "post_exit_review", date(2026, 3, 20))
    assert open_kinds(referral) == []
    step(referral, "closed", date(2026, 3, 21))
    assert referral.tasks.filter(status="open").count() == 0


def test_a_final_status_closes_every_open_task_manual_ones_too(referral, manager):
    Task.objects.create(
        referral=referral,
        kind="other",
        title="Call the school",
        due_on=date(2025, 2, 1),
        key="manual:x",
        assigned_to=manager,
    )
    step(referral, "police_gateway", date(2025, 1, 7))
    assert open_kinds(referral) == ["gateway_outcome", "other"]
    event = step(referral, "no_further_action", date(2025, 1, 9))
    assert open_kinds(referral) == []
    assert set(referral.tasks.values_list("closed_by_event", flat=True)) == {event.pk}


def test_a_step_that_is_not_final_leaves_manual_tasks_open(referral):
    Task.objects.create(
        referral=referral, kind="other", title="Call", due_on=date(2025, 2, 1), key="manual:y"
    )
    step(referral, "police_gateway", date(2025, 1, 7))
    step(referral, "information_gathering", date(2025, 1, 8))
    assert open_kinds(referral) == ["other", "prepare_panel"]


def test_generation_is_idempotent_for_the_receipt_and_for_a_step(referral):
    tasks_for_receipt(referral=referral, actor=None)
    step(referral, "police_gateway", date(2025, 1, 7))
    event = step(referral, "information_gathering", date(2025, 1, 8))
    before = list(referral.tasks.order_by("pk").values_list("pk", "status", "version"))
    tasks_for_step(referral=referral, event=event, actor=None)
    tasks_for_step(referral=referral, event=event, actor=None)
    assert list(referral.tasks.order_by("pk").values_list("pk", "status", "version")) == before
    assert referral.tasks.count() == 2


def test_a_refused_step_opens_and_closes_nothing(referral):
    at_status(referral, "reviewed")
    step(referral, "exit", date(2025, 3, 31))
    before = list(referral.tasks.values_list("pk", "status"))
    with pytest.raises(TransitionError):
        step(referral, "post_exit_review", date(2025, 4, 30))  # too early
    assert list(referral.tasks.values_list("pk", "status")) == before


def test_replay_opens_and_closes_tasks_as_the_steps_would_have(referral):
    step(referral, "police_gateway", date(2025, 1, 7))
    step(referral, "information_gathering", date(2025, 1, 8))
    expected = sorted(referral.tasks.values_list("kind", "status", "due_on"))
    referral.tasks.all().delete()
    assert tasks_replay(referral=referral) == 2
    assert sorted(referral.tasks.values_list("kind", "status", "due_on")) == expected
    assert tasks_replay(referral=referral) == 0  # it has tasks: nothing more


def test_the_intervals_are_a_setting(settings):
    settings.WORKLIST_INTERVALS = {"review_due": 30, "gateway_outcome": 5}
    assert due_date("review_due", on=date(2025, 1, 1)) == date(2025, 1, 31)
    assert due_date("gateway_outcome", on=date(2025, 1, 1)) == date(2025, 1, 6)
    assert due_date("consent_follow_up", on=date(2025, 1, 1)) == date(2025, 1, 15)


def test_tasks_go_to_the_case_manager_of_the_moment(referral, manager):
    other = make_user("robin", "channel")
    type(referral).objects.filter(pk=referral.pk).update(case_manager=other)
    referral.refresh_from_db()
    step(referral, "police_gateway", date(2025, 1, 7))
    step(referral, "information_gathering", date(2025, 1, 8))
    assert the_open(referral, "prepare_panel").assigned_to == other


def test_every_task_opened_by_a_step_names_it(referral):
    step(referral, "police_gateway", date(2025, 1, 7))
    event = step(referral, "information_gathering", date(2025, 1, 8))
    assert the_open(referral, "prepare_panel").opened_by_event == event
    assert ReferralEvent.objects.filter(referral=referral).count() == 2
