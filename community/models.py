"""Community records (docs/domain.md §4): weekly tension monitoring summaries, incidents,
engagement activities and local issues of concern. None of it is about individuals."""

from django.conf import settings
from django.db import models

from community.choices import ActivityKind, Ideology, IncidentKind, IssueStatus, SummaryStatus
from governance.models import District, Partner


class Theme(models.Model):
    """A theme of online tension (reference data, seeded by a data migration)."""

    name = models.CharField(max_length=120, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class TensionLevel(models.Model):
    """A point on the short scale of overall tension: low, moderate, elevated, high."""

    name = models.CharField(max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True, help_text="1 is the lowest")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self):
        return self.name


class Platform(models.Model):
    """An online platform where tension is monitored (reference data)."""

    name = models.CharField(max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class TensionSummary(models.Model):
    """One revision of the weekly online tension monitoring summary.

    One summary per week: the first is revision 1. An issued revision is never changed;
    a correction copies it into a new draft revision (the old one stays, marked not
    latest) and, once that is issued, the old one is marked superseded.
    """

    week_commencing = models.DateField(help_text="The Monday of the week")
    revision = models.PositiveSmallIntegerField(default=1)
    is_latest = models.BooleanField(default=True)
    is_superseded = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    level = models.ForeignKey(
        TensionLevel,
        on_delete=models.PROTECT,
        related_name="summaries",
        verbose_name="overall tension level",
    )
    themes = models.ManyToManyField(Theme, related_name="summaries")
    districts = models.ManyToManyField(
        District, related_name="tension_summaries", verbose_name="districts concerned", blank=True
    )
    platforms = models.ManyToManyField(Platform, related_name="summaries", blank=True)
    narrative = models.TextField("summary")
    distribution = models.ManyToManyField(
        Partner,
        related_name="tension_summaries",
        blank=True,
        verbose_name="distribution list",
    )
    correction_reason = models.CharField(max_length=500, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week_commencing", "-revision"]
        verbose_name = "tension monitoring summary"
        verbose_name_plural = "tension monitoring summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["week_commencing", "revision"], name="tension_summary_week_revision"
            ),
            # One summary per week: only one revision of a week is the latest.
            models.UniqueConstraint(
                fields=["week_commencing"],
                condition=models.Q(is_latest=True),
                name="tension_summary_one_latest_per_week",
            ),
            models.CheckConstraint(
                condition=models.Q(revision__gte=1), name="tension_summary_revision_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status=SummaryStatus.DRAFT) | models.Q(issued_at__isnull=False),
                name="tension_summary_issued_has_date",
            ),
        ]
        indexes = [
            # The list and the figures read the latest / current revisions by week.
            models.Index(
                fields=["is_latest", "week_commencing"], name="tension_summary_latest_idx"
            ),
        ]

    def __str__(self):
        label = f"Week commencing {self.week_commencing:%-d %B %Y}"
        return label if self.revision == 1 else f"{label} (revision {self.revision})"

    @property
    def is_issued(self) -> bool:
        return self.status == SummaryStatus.ISSUED


class NotableItem(models.Model):
    """Something seen online that week, and what was done about it."""

    summary = models.ForeignKey(TensionSummary, on_delete=models.CASCADE, related_name="items")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="items")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="tension_items"
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    seen = models.TextField("what was seen")
    passed_to = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tension_items",
        verbose_name="passed to",
    )
    action_taken = models.TextField(blank=True)

    class Meta:
        ordering = ["summary", "pk"]

    def __str__(self):
        return f"{self.theme}: {self.seen[:60]}"


class Incident(models.Model):
    """Graffiti, stickers, flyers or banners reported by a district partner."""

    occurred_on = models.DateField("date")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="incidents")
    place = models.CharField(max_length=200)
    postcode = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=20, choices=IncidentKind.choices)
    ideology = models.CharField(
        "ideology", max_length=30, choices=Ideology.choices, default=Ideology.MIXED_UNCLEAR
    )
    group_name = models.CharField("group, if known", max_length=120, blank=True)
    reported_by = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_incidents",
    )
    removed = models.BooleanField(default=False)
    removed_on = models.DateField("date removed", null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(removed=True) | models.Q(removed_on__isnull=True),
                name="incident_removed_on_only_if_removed",
            ),
            models.CheckConstraint(
                condition=models.Q(removed_on__isnull=True)
                | models.Q(removed_on__gte=models.F("occurred_on")),
                name="incident_removed_after_occurred",
            ),
        ]
        indexes = [
            # The list, the trends and the figures filter by date range first.
            models.Index(fields=["occurred_on"], name="incident_occurred_idx"),
            # Trends by place: counts by district and month.
            models.Index(fields=["district", "occurred_on"], name="incident_district_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.place}, {self.occurred_on:%-d %B %Y}"


class Activity(models.Model):
    """A piece of engagement: meeting, roundtable, workshop, community event, CSP, briefing."""

    occurred_on = models.DateField("date")
    kind = models.CharField("type", max_length=20, choices=ActivityKind.choices)
    topic = models.CharField(max_length=200)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    organisations = models.ManyToManyField(
        Partner, related_name="community_activities", blank=True, verbose_name="organisations"
    )
    communities = models.CharField("communities involved", max_length=300, blank=True)
    notes = models.TextField(blank=True)
    follow_up = models.TextField("follow-up actions", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name_plural = "activities"
        indexes = [
            # The list and the figures filter by date range.
            models.Index(fields=["occurred_on"], name="activity_occurred_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.topic}"


class LocalIssue(models.Model):
    """A local issue of concern the team supports partners on, with what relates to it."""

    title = models.CharField(max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="local_issues")
    description = models.TextField(blank=True)
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date", null=True, blank=True)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    tension_items = models.ManyToManyField(
        NotableItem, related_name="local_issues", blank=True, verbose_name="tension items"
    )
    incidents = models.ManyToManyField(Incident, related_name="local_issues", blank=True)
    activities = models.ManyToManyField(Activity, related_name="local_issues", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["title", "district"], name="local_issue_unique_title"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="local_issue_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title
