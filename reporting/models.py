"""Editions of the annual report: the period, the cover and the narrative written by
staff. Every number in the report comes from the data (reporting.annual), never from here."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


# The narrative sections, in the order of the report (docs/domain.md §6): field, label, hint.
NARRATIVE_SECTIONS = [
    ("introduction", "Introduction", "Who the team are and what the year was about."),
    ("delivery_commentary", "Commentary: delivery structure and partnerships", ""),
    ("training_commentary", "Commentary: training", ""),
    ("education_commentary", "Commentary: education", ""),
    ("community_commentary", "Commentary: community engagement", ""),
    ("referrals_commentary", "Commentary: Prevent referrals and Channel", ""),
    ("looking_forward", "Looking forward", "Priorities for the next period."),
    ("summary", "Summary", ""),
]
NARRATIVE_FIELDS = [name for name, _label, _hint in NARRATIVE_SECTIONS]


class ReportEdition(models.Model):
    """One edition of the annual report for a period (not only a calendar year)."""

    title = models.CharField(max_length=200)
    starts_on = models.DateField("start of the period")
    ends_on = models.DateField("end of the period")
    marking = models.CharField("classification marking", max_length=60, default="OFFICIAL")
    author = models.CharField(max_length=200, help_text="As it appears on the cover")
    status = models.CharField(
        max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Narrative, stored as plain text; rendered with simple formatting (paragraphs,
    # "- " bullet lines, **bold**) after escaping, so markup typed in stays inert.
    introduction = models.TextField(blank=True)
    delivery_commentary = models.TextField(blank=True)
    training_commentary = models.TextField(blank=True)
    education_commentary = models.TextField(blank=True)
    community_commentary = models.TextField(blank=True)
    referrals_commentary = models.TextField(blank=True)
    looking_forward = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    # Optimistic locking: an edit names the version it started from (docs/security.md §22).
    version = models.PositiveIntegerField(default=1)
    # The one-time token of the create form: a double submission makes one edition.
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="reporting_edition_period_order",
            ),
            # The command and the preview use "the approved edition of the period": one.
            models.UniqueConstraint(
                fields=["starts_on", "ends_on"],
                condition=Q(status="approved"),
                name="reporting_edition_one_approved_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_on:%-d %b %Y} to {self.ends_on:%-d %b %Y})"

    @property
    def approver_name(self) -> str:
        user = self.approved_by
        return (user.get_full_name() or user.get_username()) if user else "an unknown user"

    @property
    def is_approved(self) -> bool:
        return self.status == EditionStatus.APPROVED


class GeneratedReport(models.Model):
    """One run of the annual report PDF in the background, and the finished file.

    The worker updates `progress` and `heartbeat_at` as it goes; a run whose heartbeat
    stops (the worker died) is found by `reports_mark_stale` and marked failed, and can
    be run again: each run is a row of its own, so nothing is lost."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    edition = models.ForeignKey(ReportEdition, on_delete=models.PROTECT, related_name="runs")
    # The period as generated (the edition's may change later).
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, for staff; never personal data (the figures are aggregate).
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # The stale-run sweep looks only at running rows by heartbeat.
            models.Index(fields=["status", "heartbeat_at"], name="reporting_run_status_idx"),
        ]

    def __str__(self):
        return f"Annual report run {self.pk} ({self.starts_on:%Y-%m-%d} to {self.ends_on:%Y-%m-%d})"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)


class SectionRevision(models.Model):
    """One save of one narrative section: the text as saved, who and when. The edition's
    field holds the newest text; the revisions are its history, so nothing typed is lost
    and any earlier version can be restored (as a new revision)."""

    edition = models.ForeignKey(ReportEdition, on_delete=models.CASCADE, related_name="revisions")
    section = models.CharField(
        max_length=40, choices=[(name, label) for name, label, _hint in NARRATIVE_SECTIONS]
    )
    # 1, 2, 3… within the section; the section's version for optimistic locking.
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField()
    # The revision whose text this one put back, when it was a restore.
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["edition", "section", "-number"]
        constraints = [
            # Two saves of one section can never both become the same revision.
            models.UniqueConstraint(
                fields=["edition", "section", "number"], name="reporting_revision_unique"
            ),
        ]

    def __str__(self):
        return f"Revision {self.number} of {self.get_section_display()}"

    @property
    def saver_name(self) -> str:
        user = self.saved_by
        return user.get_full_name() or user.get_username()


class SectionAuthor(models.Model):
    """Who drafts one narrative section of an edition (the education officer drafts
    Education, the community officer Community). The coordinator assigns; the author may
    then write that section only. Holders of report_manage may write every section."""

    edition = models.ForeignKey(ReportEdition, on_delete=models.CASCADE, related_name="authors")
    section = models.CharField(
        max_length=40, choices=[(name, label) for name, label, _hint in NARRATIVE_SECTIONS]
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["edition", "section"]
        constraints = [
            # One author per section of an edition.
            models.UniqueConstraint(fields=["edition", "section"], name="reporting_author_unique"),
        ]
        indexes = [
            # "The sections assigned to me" looks them up by user.
            models.Index(fields=["user", "edition"], name="reporting_author_user_idx"),
        ]

    def __str__(self):
        return f"Author of {self.get_section_display()}"

    @property
    def author_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
