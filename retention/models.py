"""Disposal of case records once their retention period has run out (docs/security.md §13).

A disposal is proposed by one supervisor and approved by another; only then is the
personal data removed. The disposal row is the lasting trace: who proposed, who
approved, when, and how many records of each kind were removed (never what they said).
A legal hold stops a case from being disposed of while it stands.
"""

import uuid

from django.conf import settings
from django.db import models

from referrals.models import Referral


class DisposalReason(models.TextChoices):
    RETENTION_ENDED = "retention_ended", "The retention period has ended"
    NO_FURTHER_NEED = "no_further_need", "No further need to keep the record, after review"


class DisposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for approval"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DISPOSED = "disposed", "Disposed of"


class Disposal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="disposals")
    status = models.CharField(
        max_length=20, choices=DisposalStatus.choices, default=DisposalStatus.PROPOSED
    )
    # A choice, not free text: the trace that outlives the case holds no personal data.
    reason = models.CharField(max_length=30, choices=DisposalReason.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    # Who approved (disposed) or withdrew it, and when.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # How many records of each kind were removed or emptied: {"case notes": 3, ...}.
    removed = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            # One proposal at a time, and a case is disposed of once.
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status__in=["proposed", "disposed"]),
                name="retention_disposal_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="retention_disposal_version_positive"
            ),
        ]

    def __str__(self):
        return f"Disposal {self.pk}"


class LegalHold(models.Model):
    """Keeps a case from disposal (litigation, an inquiry, a subject access in progress)."""

    class Reason(models.TextChoices):
        LITIGATION = "litigation", "Litigation or a legal claim"
        INQUIRY = "inquiry", "An inquiry, review or investigation"
        SUBJECT_ACCESS = "subject_access", "A subject access or other rights request"
        OTHER = "other", "Another reason recorded outside the portal"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(max_length=30, choices=Reason.choices)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(lifted_at__isnull=True),
                name="retention_hold_one_standing",
            ),
        ]

    def __str__(self):
        return f"Legal hold {self.pk}"
