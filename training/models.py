from django.conf import settings
from django.db import models

from governance.models import District, Partner
from training.choices import (
    CourseStatus,
    MetExpectations,
    SessionFormat,
    SessionSource,
    ValueToRole,
)


class Course(models.Model):
    """A course of the training offer (the catalogue)."""

    title = models.CharField(max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(
        "catalogue order", unique=True, help_text="Courses are listed in this order"
    )
    duration = models.CharField(max_length=100, help_text="For example, 1 hour")
    formats = models.JSONField(default=list, help_text="Formats the course is offered in")
    capacity = models.PositiveIntegerField(help_text="Most participants in one session")
    description = models.TextField(blank=True)
    topics = models.TextField(blank=True, help_text="One topic per line")
    status = models.CharField(
        max_length=20, choices=CourseStatus.choices, default=CourseStatus.AVAILABLE
    )
    published = models.BooleanField(
        "shown on the public training offer",
        default=True,
        help_text="Anyone can see a published course at /courses/, without signing in",
    )

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.title

    @property
    def format_labels(self) -> list[str]:
        return [SessionFormat(code).label for code in self.formats if code in SessionFormat]

    @property
    def formats_display(self) -> str:
        """ "Face-to-face or virtual", as the offer is written."""
        labels = self.format_labels
        return " or ".join([*labels[:1], *(label.lower() for label in labels[1:])])

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class ReferenceCounter(models.Model):
    """The last session number given in a year: references are TS-<year>-<number>."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class SessionImport(models.Model):
    """A CSV file of sessions uploaded for import: previewed first, then imported once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        IMPORTED = "imported", "Imported"

    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    imported_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            # A file is imported at most once: the same bytes again are refused.
            models.UniqueConstraint(
                fields=["sha256"],
                condition=models.Q(status="imported"),
                name="session_import_file_once",
            ),
        ]

    def __str__(self):
        return self.filename


class TrainingSession(models.Model):
    """One delivery of a course (or of a bespoke input) to an audience."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    date = models.DateField("date of the session")
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    bespoke_title = models.CharField("title of the bespoke input", max_length=200, blank=True)
    format = models.CharField(max_length=20, choices=SessionFormat.choices)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="training_sessions"
    )
    external_trainers = models.CharField(
        "other trainers", max_length=300, blank=True, help_text="Names of trainers from outside"
    )
    audiences = models.ManyToManyField(
        Partner, blank=True, related_name="training_sessions", verbose_name="audience organisations"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="training_sessions"
    )
    attendees = models.PositiveIntegerField("number of attendees")
    notes = models.TextField(blank=True)
    # Booking by the public (docs/training.md, "Booking"): only a catalogue course's
    # session, on a date still to come, with booking opened by the coordinator.
    booking_open = models.BooleanField("open for booking", default=False)
    places = models.PositiveIntegerField(
        "places to book",
        null=True,
        blank=True,
        help_text="Leave empty for the course's capacity",
    )
    start_time = models.TimeField("start time", null=True, blank=True)
    # Set when the register was taken (training:session-register): from then on the
    # number of attendees is the number ticked on it.
    register_taken_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(
        "where",
        max_length=300,
        blank=True,
        help_text="The venue, or how to join online; shown on the public offer",
    )
    source = models.CharField(
        max_length=20, choices=SessionSource.choices, default=SessionSource.LOGGED
    )
    imported_from = models.ForeignKey(
        SessionImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            # A session is either a catalogue course or a bespoke input with a title.
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, bespoke_title="")
                    | models.Q(course__isnull=True) & ~models.Q(bespoke_title="")
                ),
                name="training_session_course_or_bespoke_title",
            ),
        ]
        indexes = [
            # The session list is filtered by date range and sorted newest first.
            models.Index(fields=["-date", "-id"], name="training_session_date_idx"),
            # Annual report figures count sessions per course within a period.
            models.Index(fields=["course", "date"], name="training_session_course_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def title(self) -> str:
        return self.course.title if self.course_id else self.bespoke_title

    @property
    def is_bespoke(self) -> bool:
        return self.course_id is None

    @property
    def capacity(self) -> int:
        """Places to book: the session's own number, or else its course's capacity."""
        if self.places is not None:
            return self.places
        return self.course.capacity if self.course_id else 0

    @property
    def places_left(self) -> int:
        """Free places; needs `booked` annotated (training.selectors.public_offer)."""
        return max(self.capacity - self.booked, 0)


class Evaluation(models.Model):
    """One participant's evaluation of a session."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="evaluations"
    )
    met_expectations = models.CharField(
        "did the session meet your expectations?", max_length=20, choices=MetExpectations.choices
    )
    value_to_role = models.CharField(
        "how valuable is it to your role?", max_length=20, choices=ValueToRole.choices
    )
    comment = models.TextField(blank=True)
    quotable = models.BooleanField(
        "may be quoted", default=False, help_text="The comment may be quoted in the annual report"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # Annual report quotes: quotable comments of a period, without a full scan.
            models.Index(fields=["quotable", "session"], name="evaluation_quotable_idx"),
        ]

    def __str__(self):
        return f"Evaluation of {self.session.reference}"


class Booking(models.Model):
    """A member of the public's place (or waiting-list place) on a session.

    Nobody has an account: the booker acts through one-time links sent to the work email
    (the token itself is never stored, only its SHA-256). The name, email, organisation,
    role and accessibility needs are personal data, emptied by the retention job
    TRAINING_BOOKING_RETENTION_MONTHS after the session; the row stays, for the counts."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for the email to be confirmed"
        BOOKED = "booked", "Booked"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNCONFIRMED)
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    organisation = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Typed by the booker when the organisation is not in the list: never added to the
    # partner register from a public form.
    organisation_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200)
    accessibility_needs = models.TextField(blank=True)
    attended = models.BooleanField(default=False)
    confirm_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    cancel_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # Places taken and the waiting list of a session, in order of booking.
            models.Index(fields=["session", "status"], name="booking_session_status_idx"),
        ]

    def __str__(self):
        return f"Booking {self.pk} on {self.session.reference}"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class PublicRequest(models.Model):
    """One accepted request from a public form, for the rate limits (per email and per
    address, across every worker). The key is an HMAC of the email or the IP address,
    never the value itself; rows older than the window are deleted by the retention job."""

    action = models.CharField(max_length=30)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # Counting one key's requests in the last window.
            models.Index(fields=["action", "key", "created_at"], name="public_request_key_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"
