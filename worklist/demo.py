"""Demo tasks: those the demo referrals' steps imply, and a few added by hand.

The demo referrals (referrals/demo.py) are recorded through the journey's services, so
the worklist's receivers have already opened and closed their tasks; dated in the past,
many of those are overdue, as on a real backlog. A referral without any task (seeded
before this app existed) has its steps replayed. Then a few invented tasks are added by
hand to the Channel coordinator's open cases, due in the coming days. Idempotent: the
hand-made tasks carry fixed one-time tokens, and replaying skips referrals with tasks.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from prevent_portal.accounts.models import User
from referrals.models import Referral
from worklist.selectors import FINAL_STATUSES
from worklist.services import task_create, tasks_replay

# (title, due in days from today): invented, with no names.
MANUAL_TASKS = [
    ("Ask the school for an attendance update", 2),
    ("Book a room for the home visit", 6),
    ("Send the VAF summary to the panel chair", 11),
]
NAMESPACE = uuid.UUID("6f1c2a0e-5b7d-4c8e-9a1f-2d3e4f5a6b7c")


def seed(*, stdout) -> None:
    with transaction.atomic():
        replayed = sum(
            1
            for referral in Referral.objects.filter(tasks__isnull=True).select_related(
                "case_manager", "created_by"
            )
            if tasks_replay(referral=referral)
        )
        added = _manual_tasks()
    stdout.write(f"Tasks: replayed the steps of {replayed} referrals; added {added} by hand.")


def _manual_tasks() -> int:
    channel = User.objects.filter(username="channel").first()
    if channel is None:
        return 0
    cases = list(
        Referral.objects.filter(case_manager=channel)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("date_received", "reference")[: len(MANUAL_TASKS)]
    )
    today = timezone.localdate()
    added = 0
    for case, (title, days) in zip(cases, MANUAL_TASKS, strict=False):
        token = uuid.uuid5(NAMESPACE, f"{case.reference}:{title}")
        if case.tasks.filter(key=f"manual:{token}").exists():
            continue
        task_create(
            actor=channel,
            referral=case,
            title=title,
            due_on=today + timedelta(days=days),
            assigned_to=channel,
            token=token,
        )
        added += 1
    return added
