"""Education settings (schools), outreach sessions, enquiries and newsletters
(docs/domain.md §3)."""

from django.conf import settings as django_settings
from django.db import models
from django.urls import reverse

from education.choices import EnquiryKind, EnquiryStatus, SessionFormat
from governance.models import District


class RegisterLocalAuthority(models.Model):
    """A local authority whose establishments the partnership keeps in its register.

    The GIAS extract is national: rows whose `LA (name)` is not listed here are left out.
    """

    name = models.CharField(max_length=120, unique=True, help_text="As in GIAS `LA (name)`")

    class Meta:
        ordering = ["name"]
        verbose_name = "local authority of the register"
        verbose_name_plural = "local authorities of the register"

    def __str__(self):
        return self.name


class AudienceCategory(models.Model):
    """An audience category of the annual report table, shown in `position` order."""

    name = models.CharField(max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(unique=True)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "audience categories"

    def __str__(self):
        return self.name


class Setting(models.Model):
    """An education setting, keyed by its DfE unique reference number (URN).

    Its PEO area is that of its district (District.peo_area): never stored twice.
    """

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=255)
    establishment_type = models.CharField("type", max_length=120, blank=True)
    phase = models.CharField(max_length=120, blank=True)
    local_authority = models.CharField(max_length=120, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="settings"
    )
    postcode = models.CharField(max_length=12, blank=True)
    status = models.CharField(
        max_length=60, blank=True, help_text="As in GIAS, for example 'Open' or 'Closed'"
    )
    is_open = models.BooleanField("open", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "urn"]
        indexes = [
            # The register is searched by name and listed in name order.
            models.Index(fields=["name"], name="setting_name_idx"),
            # The register and the reach figures group open settings by district.
            models.Index(fields=["district", "is_open"], name="setting_district_open_idx"),
        ]

    def __str__(self):
        return f"{self.name} (URN {self.urn})"

    def get_absolute_url(self):
        return reverse("education:setting-detail", args=[self.pk])

    @property
    def peo_area(self):
        return self.district.peo_area if self.district_id else None


class OutreachSession(models.Model):
    """A session a PEO delivered to one audience, reaching one or more settings."""

    date = models.DateField("date of the session")
    peo = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="outreach_sessions",
        verbose_name="PEO",
    )
    audience = models.ForeignKey(
        AudienceCategory, on_delete=models.PROTECT, related_name="sessions"
    )
    settings = models.ManyToManyField(
        Setting, related_name="outreach_sessions", verbose_name="settings reached"
    )
    attendees = models.PositiveIntegerField("number of attendees")
    format = models.CharField(max_length=20, choices=SessionFormat.choices)
    topic = models.CharField(max_length=255)
    notes = models.TextField(blank=True)
    feedback = models.TextField(
        "feedback quotes", blank=True, help_text="One quote per line, without names"
    )
    # Set by the importers (and the demo data) so that a file imported twice creates
    # each session once; empty for sessions entered by hand.
    source_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="outreach_session_source_key_once",
            ),
        ]
        indexes = [
            # Lists and the annual figures select sessions by date range.
            models.Index(fields=["date"], name="outreach_session_date_idx"),
            # The figures group a date range by audience.
            models.Index(fields=["audience", "date"], name="outreach_session_aud_date_idx"),
        ]

    def __str__(self):
        return f"{self.topic} ({self.audience}, {self.date:%-d %B %Y})"

    def get_absolute_url(self):
        return reverse("education:session-detail", args=[self.pk])


class Enquiry(models.Model):
    """A request for advice or 1-to-1 support from a setting. Who asked is a role, never
    a named child."""

    date = models.DateField("date of the enquiry")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="enquiries")
    kind = models.CharField(
        "kind of support", max_length=20, choices=EnquiryKind.choices, default=EnquiryKind.ADVICE
    )
    asked_by_role = models.CharField(
        "role of who asked", max_length=120, help_text="For example, designated safeguarding lead"
    )
    topic = models.CharField(max_length=255)
    status = models.CharField(
        max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN
    )
    outcome = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="PEO",
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "enquiries"
        indexes = [
            # The enquiry list shows open enquiries first, newest first.
            models.Index(fields=["status", "date"], name="enquiry_status_date_idx"),
        ]

    def __str__(self):
        return f"{self.topic} ({self.setting.name})"


class Newsletter(models.Model):
    """An issue of the PEOs' bi-monthly newsletter to settings."""

    issue_date = models.DateField("issue date", unique=True)
    title = models.CharField(max_length=200)
    settings_count = models.PositiveIntegerField("number of settings it went to")

    class Meta:
        ordering = ["-issue_date"]

    def __str__(self):
        return self.title


class PendingImport(models.Model):
    """An uploaded register file, parsed and waiting for confirmation after the preview.

    Only the rows to keep are stored (never the national file), as JSON; the row is
    deleted when the import is confirmed.
    """

    uploaded_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=20)  # "gias" or "simple"
    rows = models.JSONField(default=list)
    left_out = models.PositiveIntegerField(default=0)
    no_district = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Register file {self.filename or self.sha256[:12]}"
