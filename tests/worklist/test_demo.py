import io

import pytest
from django.utils import timezone

from referrals import demo as referrals_demo
from referrals.models import Referral
from tests.conftest import make_user
from worklist import demo
from worklist.models import Task

pytestmark = pytest.mark.django_db

# The open task each status implies.
EXPECTED = {
    "received": "gateway_outcome",
    "police_gateway": "gateway_outcome",
    "information_gathering": "prepare_panel",
    "consent": "consent_follow_up",
    "adopted": "review_due",
    "reviewed": "review_due",
    "exit": "post_exit_6",
}


def test_demo_tasks_follow_the_demo_referrals_states_and_are_seeded_once(reference_data):
    channel = make_user("channel", "channel")
    referrals_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    for referral in Referral.objects.prefetch_related("tasks"):
        kinds = {task.kind for task in referral.tasks.all() if task.is_open}
        if referral.status in EXPECTED:
            assert EXPECTED[referral.status] in kinds, referral.status
        elif referral.status == "post_exit_review":
            assert kinds <= {"post_exit_12", "other"}
        else:  # final
            assert kinds == set(), referral.status
    today = timezone.localdate()
    mine = Task.objects.filter(assigned_to=channel, status="open")
    assert mine.filter(due_on__lt=today).count() >= 3  # a backlog of overdue tasks
    assert mine.filter(kind="other", due_on__gte=today).count() == len(demo.MANUAL_TASKS)
    total = Task.objects.count()
    demo.seed(stdout=io.StringIO())
    assert Task.objects.count() == total


def test_demo_replays_the_steps_of_referrals_without_tasks(reference_data):
    make_user("channel", "channel")
    referrals_demo.seed(stdout=io.StringIO())
    expected = sorted(Task.objects.values_list("referral_id", "kind", "status", "due_on"))
    Task.objects.all().delete()
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "replayed the steps of" in out.getvalue()
    replayed = Task.objects.exclude(kind="other")
    assert sorted(replayed.values_list("referral_id", "kind", "status", "due_on")) == expected
