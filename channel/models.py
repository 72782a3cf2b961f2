"""Channel panel meetings: who attended, the cases on the agenda in order, what the panel
decided about each, the minutes and the actions.

A meeting is addressed by UUID. An agenda item points at a referral; the referral's
journey moves only through `referrals.services.referral_transition`, called by
`channel.services.decision_record`.
"""

import uuid

from django.conf import settings
from django.db import models

from channel.choices import Attendance, Decision, MeetingStatus
from governance.models import Partner
from referrals.choices import ReferralStatus
from referrals.models import Referral


class PanelMeeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting_date = models.DateField("date of the meeting")
    starts_at = models.TimeField("start time", null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_panels",
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    minutes = models.TextField(blank=True)
    # Optimistic locking: an edit names the version it started from (docs/security.md §22).
    version = models.PositiveIntegerField(default=1)
    # The one-time token of the form that created it: a second submission finds it.
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-meeting_date", "-starts_at"]
        indexes = [
            # The panel list (upcoming and past) and "the next panel" look up by date.
            models.Index(fields=["meeting_date", "status"], name="channel_meeting_date_idx"),
        ]

    def __str__(self):
        return f"Channel panel of {self.meeting_date.day} {self.meeting_date:%B %Y}"


class PanelAttendee(models.Model):
    """A partner representative invited to a meeting: present or sending apologies."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendees")
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="partner organisation",
    )
    name = models.CharField("representative's name", max_length=200)
    role = models.CharField("role", max_length=200, blank=True)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.PRESENT
    )
    # The id in URLs (docs/security.md §5): not guessable, unlike the whole-number primary key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return f"Attendee {self.pk} of {self.meeting}"


class AgendaItem(models.Model):
    """One case on a meeting's agenda, in order, and the panel's decision about it."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=1)
    # The case's status when it was put on the agenda (why it is there).
    status_when_added = models.CharField(max_length=30, choices=ReferralStatus.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    # For "do not adopt": the status the case moved to (signposted, no further action ...).
    onward_route = models.CharField(max_length=30, choices=ReferralStatus.choices, blank=True)
    signposted_to = models.CharField(max_length=200, blank=True)
    reason = models.TextField("reason or notes", blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The id in URLs (docs/security.md §5): not guessable, unlike the whole-number primary key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "referral"], name="channel_agenda_meeting_referral_uniq"
            ),
        ]
        indexes = [
            # The meeting page lists its agenda in order.
            models.Index(fields=["meeting", "position"], name="channel_agenda_order_idx"),
        ]

    def __str__(self):
        return f"Agenda item {self.position} of {self.meeting}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class PanelAction(models.Model):
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name="case on the agenda",
    )
    description = models.TextField("action")
    owner = models.CharField(max_length=200)
    due_on = models.DateField("due date")
    done_on = models.DateField("date done", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The id in URLs (docs/security.md §5): not guessable, unlike the whole-number primary key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # Open actions by due date (overdue first).
            models.Index(fields=["meeting", "due_on"], name="channel_action_due_idx"),
        ]

    def __str__(self):
        return f"Action {self.pk} of {self.meeting}"
