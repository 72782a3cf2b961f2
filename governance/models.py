from django.conf import settings
from django.db import models

from governance.choices import (
    SCORE_CHOICES,
    ActionStatus,
    DistrictKind,
    PartnerSector,
    Rag,
    RiskRating,
    RiskTrend,
)

# What the board reads for each RAG key (complete actions show "Complete", not a colour).
RAG_KEY_LABELS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "complete": "Complete",
    "none": "Not rated",
}


class Partnership(models.Model):
    """The partnership this deployment serves (one per deployment, docs/domain.md)."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            # Single row: the primary key is always 1.
            models.CheckConstraint(condition=models.Q(pk=1), name="single_partnership"),
        ]

    def __str__(self):
        return self.name


class PeoArea(models.Model):
    """An area covered by one Prevent Education Officer."""

    name = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "PEO area"

    def __str__(self):
        return self.name


class District(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=DistrictKind.choices)
    peo_area = models.ForeignKey(
        PeoArea, on_delete=models.PROTECT, related_name="districts", verbose_name="PEO area"
    )
    lead_contact = models.CharField(
        "lead contact in the team", max_length=200, blank=True, help_text="Name or role"
    )
    csp_attendance = models.CharField(
        "how Prevent attends the Community Safety Partnership", max_length=300, blank=True
    )
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Partner(models.Model):
    """A partner organisation: councils, police, NHS, schools, colleges and others."""

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=30, choices=PartnerSector.choices)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        help_text="Leave empty for an organisation that covers the whole area.",
    )
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The partner register is filtered by sector.
            models.Index(fields=["sector", "name"], name="partner_sector_name_idx"),
        ]

    def __str__(self):
        return self.name


# --------------------------------------------------------------------------------------
# The partnership plan (docs/domain.md §5)
# --------------------------------------------------------------------------------------


class PlanHeading(models.Model):
    """A thematic heading of the partnership plan (eight by default, editable)."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200, unique=True)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.title}"


class Plan(models.Model):
    """The partnership plan for one period, for example 2026–27."""

    title = models.CharField(max_length=60, unique=True, help_text="For example, 2026–27")
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"Partnership plan {self.title}"


class PlanAction(models.Model):
    """One action of the plan. Its status and RAG are those of the latest progress update."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    reference = models.CharField(max_length=20, help_text="For example, 3.2")
    heading = models.ForeignKey(PlanHeading, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name="owner organisation",
    )
    lead = models.CharField("lead person", max_length=200, blank=True, help_text="Name or role")
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices, blank=True)
    risk_areas = models.ManyToManyField(
        "RiskArea", blank=True, related_name="actions", verbose_name="priority risk areas"
    )

    class Meta:
        ordering = ["heading__number", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="plan_action_reference"),
        ]
        indexes = [
            # The board view counts and lists overdue actions of one plan by due date.
            models.Index(fields=["plan", "due_on"], name="plan_action_due_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.description[:60]}"

    @property
    def is_complete(self) -> bool:
        return self.status == ActionStatus.COMPLETE

    @property
    def rag_key(self) -> str:
        """What the board sees: complete, red, amber, green, or not rated."""
        if self.is_complete:
            return "complete"
        return self.rag or "none"

    @property
    def rag_label(self) -> str:
        return RAG_KEY_LABELS[self.rag_key]


class ProgressUpdate(models.Model):
    """A dated progress update on an action: one per board cycle."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    dated = models.DateField("date of the update")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField("by", max_length=200)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    rag = models.CharField("RAG", max_length=10, choices=Rag.choices, blank=True)
    narrative = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dated", "-id"]
        constraints = [
            # One update per action per date: a double submission creates one record.
            models.UniqueConstraint(fields=["action", "dated"], name="progress_update_once_a_day"),
        ]
        indexes = [
            # "What changed since the last board meeting" reads updates by date.
            models.Index(fields=["dated"], name="progress_update_dated_idx"),
        ]

    def __str__(self):
        return f"Update on {self.action.reference} of {self.dated}"

    @property
    def rag_key(self) -> str:
        if self.status == ActionStatus.COMPLETE:
            return "complete"
        return self.rag or "none"

    @property
    def rag_label(self) -> str:
        return RAG_KEY_LABELS[self.rag_key]


# --------------------------------------------------------------------------------------
# CT situational risk assessment
# --------------------------------------------------------------------------------------


class RiskAssessment(models.Model):
    """The counter-terrorism situational risk assessment of one year."""

    year = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return self.title


class RiskArea(models.Model):
    """A priority risk area of a risk assessment."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="areas")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    impact = models.PositiveSmallIntegerField(choices=SCORE_CHOICES)
    rating = models.CharField(max_length=20, choices=RiskRating.choices)
    trend = models.CharField("trend since last year", max_length=20, choices=RiskTrend.choices)
    districts = models.ManyToManyField(
        District, blank=True, related_name="risk_areas", verbose_name="districts concerned"
    )

    class Meta:
        ordering = ["assessment", "title"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "title"], name="risk_area_title"),
            models.CheckConstraint(
                condition=models.Q(likelihood__range=(1, 5), impact__range=(1, 5)),
                name="risk_area_scores_1_to_5",
            ),
        ]

    def __str__(self):
        return self.title


# --------------------------------------------------------------------------------------
# The Prevent Duty Delivery Board
# --------------------------------------------------------------------------------------


class BoardMember(models.Model):
    name = models.CharField(max_length=200)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="board_members",
        verbose_name="partner organisation",
    )  # fmt: skip
    board_role = models.CharField("role on the board", max_length=120, default="Member")
    is_active = models.BooleanField("current member", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.partner})"


class BoardMeeting(models.Model):
    held_on = models.DateField("date of the meeting", unique=True)
    attendees = models.ManyToManyField(BoardMember, blank=True, related_name="meetings")
    papers = models.TextField(blank=True, help_text="Titles of the papers, one per line")
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self):
        return f"Board meeting of {self.held_on.day} {self.held_on:%B %Y}"


class MeetingAction(models.Model):
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField("due date")
    is_done = models.BooleanField("done", default=False)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:60]


class DistrictNote(models.Model):
    """A dated note of contact with a district (its CSP, its Prevent lead)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField("date of contact")
    note = models.TextField()
    author_name = models.CharField("by", max_length=200)

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self):
        return f"Note on {self.district} of {self.noted_on}"
