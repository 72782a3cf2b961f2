"""Case work on a referral: consent, the support plan, case notes, risk flags.

Every record belongs to one referral and is addressed by UUID. Records created from a
form carry the form's one-time token (unique), so a double submission creates one record.
"""

import uuid

from django.conf import settings
from django.db import models

from casework.choices import ConsentDecision, ConsentGivenBy, NoteKind, RiskKind
from referrals.models import ReferenceEntry, Referral, ReferralEvent


class InterventionType(ReferenceEntry):
    """A kind of support in a plan (mentoring, education, mental health...)."""

    class Meta(ReferenceEntry.Meta):
        constraints = [
            models.UniqueConstraint(fields=["name"], name="casework_intervention_type_name_uniq")
        ]


class Provider(ReferenceEntry):
    """Who delivers an intervention; retired, never deleted: old plans point at it."""

    accredited = models.BooleanField(
        "Home Office accredited Intervention Provider",
        default=False,
        help_text="Approved by the Home Office to deliver ideological mentoring",
    )

    class Meta(ReferenceEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["name"], name="casework_provider_name_uniq")]


class ConsentRecord(models.Model):
    """Consent to Channel support: who, what, when. Recording one moves the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consents")
    decision = models.CharField(max_length=20, choices=ConsentDecision.choices)
    given_by = models.CharField("who gave it", max_length=20, choices=ConsentGivenBy.choices)
    # Identifying: masked without the identity permission, never in the audit log.
    given_by_name = models.CharField("name of who gave it", max_length=200, blank=True)
    decided_on = models.DateField("date")
    note = models.TextField(blank=True)
    # The step of the journey this record moved the case through.
    event = models.ForeignKey(
        ReferralEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    IDENTIFYING_FIELDS = frozenset({"given_by_name"})

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]
        indexes = [
            # The consent section: a case's records, newest first.
            models.Index(fields=["referral", "-decided_on"], name="casework_consent_case_idx"),
        ]

    def __str__(self):
        return f"Consent {self.pk}"


class SupportPlan(models.Model):
    """The support plan of an adopted case: one per referral, made with its first
    intervention."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="support_plan")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Support plan of {self.referral_id}"


class Intervention(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="interventions")
    kind = models.ForeignKey(
        InterventionType, on_delete=models.PROTECT, related_name="+", verbose_name="type"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    goal = models.TextField()
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date", null=True, blank=True)
    sessions = models.PositiveSmallIntegerField("number of sessions", null=True, blank=True)
    outcome = models.TextField(blank=True)
    # Optimistic locking (docs/security.md §22).
    version = models.PositiveIntegerField(default=1)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="casework_intervention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="casework_intervention_version_positive"
            ),
        ]
        indexes = [
            # The plan lists its interventions by start date.
            models.Index(fields=["plan", "starts_on"], name="casework_intervention_plan_idx"),
        ]

    def __str__(self):
        return f"Intervention {self.pk}"


class CaseNote(models.Model):
    """One entry of the case chronology. Append-only: a mistake is put right by a new
    note that names the one it corrects; the original stays, marked as corrected."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    contact_at = models.DateTimeField("date and time of contact")
    kind = models.CharField(max_length=30, choices=NoteKind.choices)
    text = models.TextField()
    # One correction per note: a later mistake is corrected on the correction. Notes are
    # deleted only with their case (disposal), corrections with them.
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="correction"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_at", "-recorded_at"]
        indexes = [
            # The chronology: a case's notes, newest first, a page at a time.
            models.Index(fields=["referral", "-contact_at"], name="casework_note_case_idx"),
        ]

    def __str__(self):
        return f"Note {self.pk}"


class RiskFlag(models.Model):
    """An immediate risk, or an escalation to another service; open until closed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="risk_flags")
    kind = models.CharField(max_length=30, choices=RiskKind.choices)
    raised_on = models.DateField("date")
    to_whom = models.CharField("to whom", max_length=200, blank=True)
    reason = models.TextField()
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-raised_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("raised_on")),
                name="casework_risk_closed_after_raised",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="casework_risk_version_positive"
            ),
        ]
        indexes = [
            # The banner on every case page: the case's open flags.
            models.Index(
                fields=["referral", "-raised_on"],
                condition=models.Q(closed_on__isnull=True),
                name="casework_risk_open_idx",
            ),
        ]

    def __str__(self):
        return f"Risk flag {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
