"""Tasks on Channel cases, most of them opened and closed by the journey's steps.

A task belongs to its referral (deleted with it when the case is disposed of). Its title
is the kind's label for tasks the journey opens; a manual task's title is typed by a case
manager and may name people, so it never goes into the audit log or a reminder email.
"""

import uuid

from django.conf import settings
from django.db import models

from referrals.models import Referral, ReferralEvent
from worklist.choices import TaskKind, TaskStatus


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=30, choices=TaskKind.choices)
    title = models.CharField(max_length=200)
    due_on = models.DateField("due date")
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="worklist_tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The steps of the journey that opened and closed the task (None for a manual task,
    # and for one marked done by hand).
    opened_by_event = models.ForeignKey(
        ReferralEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by_event = models.ForeignKey(
        ReferralEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What makes generation idempotent: "<kind>:<id of the step that opened it>" (or
    # "<kind>:created" for the receipt), and "manual:<one-time form token>" for a task added
    # by hand. The same step, or the same form sent twice, never makes a second task.
    key = models.CharField(max_length=80, editable=False)
    # Optimistic locking: marking done names the version the user saw.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "key"], name="worklist_task_key_uniq"),
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(completed_on__isnull=False),
                name="worklist_task_closed_has_date",
            ),
        ]
        indexes = [
            # My work: a user's open tasks, by due date.
            models.Index(fields=["assigned_to", "status", "due_on"], name="worklist_mine_idx"),
            # The daily reminders: every open task due by today.
            models.Index(fields=["status", "due_on"], name="worklist_due_idx"),
        ]

    def __str__(self):
        return f"Task {self.pk}"  # never the title: it may name people

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def is_manual(self) -> bool:
        return self.kind == TaskKind.OTHER


class ReminderSent(models.Model):
    """One reminder digest per user per day: a second run on the same day sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    tasks = models.PositiveIntegerField("number of tasks in the digest")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="worklist_reminder_day_uniq")
        ]

    def __str__(self):
        return f"{self.user_id} {self.sent_on}"
