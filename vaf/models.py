"""The Vulnerability Assessment Framework (VAF): versioned reference data, and the
assessments made with it on a referral.

A framework version holds its dimensions, factors and rating scale. The Home Office
revises the framework: a new version is a new set of rows, never an edit of the old one,
so an assessment always keeps the version (and wording) it was made with. Factors and
rating levels carry a `key` that stays the same across versions: comparing two
assessments made under different versions matches factors and levels by key.
"""

import uuid

from django.conf import settings
from django.db import models

from referrals.models import Referral
from vaf.choices import AssessmentStatus


class Framework(models.Model):
    name = models.CharField(max_length=200)
    version_label = models.CharField("version", max_length=100)
    in_force_from = models.DateField("in force from")
    # The version new assessments use. Exactly one is current once seeded.
    is_current = models.BooleanField("current version", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-in_force_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version_label"], name="vaf_framework_version_uniq"
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="vaf_framework_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.version_label})"


class Dimension(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    key = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="vaf_dimension_key_uniq"),
            models.UniqueConstraint(
                fields=["framework", "position"], name="vaf_dimension_position_uniq"
            ),
        ]

    def __str__(self):
        return self.name


class Factor(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="factors")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="factors")
    key = models.SlugField(max_length=80)
    # Numbered through the whole framework (1 to 22 in the default version).
    position = models.PositiveSmallIntegerField()
    wording = models.CharField(max_length=300)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="vaf_factor_key_uniq"),
            models.UniqueConstraint(
                fields=["framework", "position"], name="vaf_factor_position_uniq"
            ),
        ]

    def __str__(self):
        return self.wording


class RatingLevel(models.Model):
    """One point of a framework's rating scale."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    key = models.SlugField(max_length=50)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()
    # How much evidence the level records (0 none); None for "not known". Says whether a
    # change between two assessments is a rise or a fall.
    severity = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="vaf_level_key_uniq"),
            models.UniqueConstraint(
                fields=["framework", "position"], name="vaf_level_position_uniq"
            ),
        ]

    def __str__(self):
        return self.label


class Assessment(models.Model):
    """One VAF assessment of a referral. Draft until completed; completed is read-only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Disposal of a referral removes its assessments with it (docs/security.md §13).
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="vaf_assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField("date of the assessment")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    summary = models.TextField(blank=True)
    management_plan = models.TextField(blank=True)
    # Optimistic locking: an edit names the version it started from (docs/security.md §22).
    version = models.PositiveIntegerField(default=1)
    # The one-time token of the form that created it: a second submission finds it.
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Free text: never copied into the audit log (docs/security.md §11).
    FREE_TEXT_FIELDS = ("summary", "management_plan")

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="vaf_assessment_version_positive"
            ),
        ]
        indexes = [
            # A case's assessments, newest first (the list, and "the previous one").
            models.Index(
                fields=["referral", "-assessed_on", "-created_at"], name="vaf_assessment_case_idx"
            ),
        ]

    def __str__(self):
        return f"VAF assessment {self.pk}"  # never the content: str() reaches logs and audit

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class Rating(models.Model):
    """One factor of one assessment: its level on the scale, and a note."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="+")
    # Empty only in a draft: completing an assessment needs every factor rated.
    level = models.ForeignKey(
        RatingLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "factor__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "factor"], name="vaf_rating_one_per_factor"
            ),
        ]

    def __str__(self):
        return f"Rating {self.pk}"
