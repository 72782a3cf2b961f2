"""People referred to Prevent, and their referrals: the most sensitive data of the portal.

Case records are addressed by UUID (never a guessable number). Reference data (sectors,
types of concern, sexes, outcomes) is retired, never deleted: old referrals point at it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from governance.models import District
from referrals.ages import age_band, age_on
from referrals.choices import AgeGroupScheme, ConcernScheme, PersonAware, ReferralStatus


class ReferenceEntry(models.Model):
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField("display order", default=0)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Sector(ReferenceEntry):
    """Sector of referral, as the Home Office statistics group them."""

    class Meta(ReferenceEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["name"], name="referrals_sector_name_uniq")]


class Sex(ReferenceEntry):
    class Meta(ReferenceEntry.Meta):
        verbose_name_plural = "sexes"
        constraints = [models.UniqueConstraint(fields=["name"], name="referrals_sex_name_uniq")]


class Outcome(ReferenceEntry):
    class Meta(ReferenceEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["name"], name="referrals_outcome_name_uniq")]


class ConcernType(ReferenceEntry):
    """Type of concern, in one of the Home Office's versions of the list."""

    scheme = models.CharField(max_length=30, choices=ConcernScheme.choices)

    class Meta(ReferenceEntry.Meta):
        ordering = ["scheme", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "name"], name="referrals_concern_scheme_name_uniq"
            )
        ]


class AgeGroup(models.Model):
    """An age group of one version of the Home Office's list (the statistics count the
    age on the date received in these). Reference data seeded by migration; a version is
    never edited, only added."""

    scheme = models.CharField(max_length=30, choices=AgeGroupScheme.choices)
    label = models.CharField(max_length=60)
    lowest = models.PositiveSmallIntegerField("lowest age")
    highest = models.PositiveSmallIntegerField("highest age", null=True, blank=True)
    position = models.PositiveSmallIntegerField("display order", default=0)

    class Meta:
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="referrals_agegroup_uniq"),
            models.CheckConstraint(
                condition=models.Q(highest__isnull=True)
                | models.Q(highest__gte=models.F("lowest")),
                name="referrals_agegroup_range",
            ),
        ]

    def __str__(self):
        return self.label

    def holds(self, age: int) -> bool:
        return self.lowest <= age and (self.highest is None or age <= self.highest)


class Person(models.Model):
    """Someone referred, once or more. Every field but the id is identifying data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_names = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150)
    date_of_birth = models.DateField(null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # The date the approximate age was given: the age at a later referral counts from it.
    approximate_age_on = models.DateField(null=True, blank=True)
    sex = models.ForeignKey(Sex, on_delete=models.PROTECT, related_name="+")
    address = models.TextField(blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nationality = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    setting = models.CharField("education or employment setting", max_length=300, blank=True)
    # Optimistic locking of edits to the person's details (docs/security.md §22).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    # Fields whose values never go into the audit log (docs/security.md §11).
    IDENTIFYING_FIELDS = frozenset(
        {
            "given_names",
            "family_name",
            "date_of_birth",
            "approximate_age",
            "approximate_age_on",
            "sex",
            "address",
            "district",
            "nationality",
            "first_language",
            "setting",
        }
    )

    class Meta:
        ordering = ["family_name", "given_names"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=True)
                | models.Q(approximate_age__isnull=True),
                name="referrals_person_dob_or_approximate_age",
            ),
            models.CheckConstraint(
                condition=models.Q(approximate_age__isnull=True)
                | models.Q(approximate_age__lte=120),
                name="referrals_person_approximate_age_range",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="referrals_person_version_positive"
            ),
        ]
        indexes = [
            # Likely-match check before a new person: same family name and date of birth.
            models.Index(Lower("family_name"), "date_of_birth", name="referrals_person_dob_idx"),
            # ... or same given and family names.
            models.Index(
                Lower("family_name"), Lower("given_names"), name="referrals_person_names_idx"
            ),
        ]

    def __str__(self):
        return f"Person {self.pk}"  # never the name: str() ends up in logs and audit

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def initials(self) -> str:
        parts = [*self.given_names.split()[:1], *self.family_name.split()[-1:]]
        return " ".join(f"{part[0].upper()}." for part in parts if part)


class ReferenceCounter(models.Model):
    """The last reference number issued in a year; locked to issue the next one."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        max_length=30, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    # Optimistic locking: an edit names the version it started from (docs/security.md §22).
    version = models.PositiveIntegerField(default=1)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_referrals",
    )
    date_received = models.DateField()
    police_reference = models.CharField("police or national reference", max_length=60, blank=True)
    person_aware = models.CharField(
        "the person knows of the referral", max_length=20, choices=PersonAware.choices
    )
    # The referrer (third-party information: flagged for redaction in a subject access).
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(max_length=300, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    # The concern.
    concern_types = models.ManyToManyField(ConcernType, related_name="+")
    primary_concern = models.ForeignKey(ConcernType, on_delete=models.PROTECT, related_name="+")
    concerns = models.TextField("describe concerns")
    complex_needs = models.TextField(blank=True)
    other_information = models.TextField(blank=True)
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The one-time token of the intake journey that created this referral: a second
    # submission of the same journey finds it instead of creating another.
    intake_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Set by the step that takes the case out of the process (an exit of any kind): the
    # retention period counts from it (REFERRAL_RETENTION_YEARS).
    left_process_on = models.DateField("date the case left the process", null=True, blank=True)
    disposal_due_on = models.DateField("disposal review due", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date_received", "-reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="referrals_referral_version_positive"
            ),
        ]
        indexes = [
            # The case list: newest first, usually filtered by status.
            models.Index(fields=["status", "-date_received"], name="referrals_status_recv_idx"),
            models.Index(fields=["-date_received", "-reference"], name="referrals_received_idx"),
            # The "assigned" scope lists a case manager's own cases.
            models.Index(fields=["case_manager", "-date_received"], name="referrals_manager_idx"),
            # The disposal queue: cases whose retention period has run out.
            models.Index(fields=["disposal_due_on"], name="referrals_disposal_due_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def age_at_referral(self) -> int | None:
        person = self.person
        return age_on(
            self.date_received,
            date_of_birth=person.date_of_birth,
            approximate_age=person.approximate_age,
            approximate_age_on=person.approximate_age_on,
        )

    @property
    def age_band(self):
        return age_band(self.age_at_referral)


class ReferralEvent(models.Model):
    """One step of a referral's journey: the change of status, when, who and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=30, choices=ReferralStatus.choices)
    to_status = models.CharField(max_length=30, choices=ReferralStatus.choices)
    occurred_on = models.DateField("date of the step")
    reason = models.TextField(blank=True)
    # Step-specific facts, e.g. {"signposted_to": "..."} for a signposting.
    details = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # The case page's timeline: a referral's steps, newest first.
            models.Index(
                fields=["referral", "-occurred_on", "-id"], name="referrals_event_time_idx"
            ),
        ]

    def __str__(self):
        return f"{self.referral_id}: {self.from_status} -> {self.to_status}"

    @property
    def signposted_to(self) -> str:
        return (self.details or {}).get("signposted_to", "")


class ReferralImport(models.Model):
    """A CSV file of earlier referrals, uploaded for import: previewed, then imported once.

    The file holds personal data: it is kept only until it is imported (then emptied) or
    for a day if never confirmed, and only supervisors may open its preview.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        IMPORTED = "imported", "Imported"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
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
                name="referrals_import_file_once",
            ),
        ]

    def __str__(self):
        return f"Referral import {self.pk}"  # never the file name: it may name someone


class PersonMatchReview(models.Model):
    """A referral recorded for a new person while intake found a likely earlier record
    that its recorder could not be shown (no identity grant, or the person's cases are
    outside their scope).

    Someone who may see identities and every case confirms it (referrals/matching.py):
    the same person as a candidate (the referral moves to that record, and the new record
    made at intake is removed) or a new person. Holds ids only: who the candidates are is
    read from their records, with the grant.
    """

    class Status(models.TextChoices):
        OPEN = "open", "To confirm"
        SAME_PERSON = "same_person", "The same person as one on record"
        NEW_PERSON = "new_person", "A new person"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="match_review")
    # The people intake found and did not show: the review chooses among them.
    candidates = models.ManyToManyField(Person, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opened_at"]
        indexes = [
            # The reviews to confirm, oldest first (the list page and My work's count).
            models.Index(fields=["status", "opened_at"], name="referrals_match_open_idx"),
        ]

    def __str__(self):
        return f"Possible match for {self.referral_id}"  # never a name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
