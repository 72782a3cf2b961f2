"""The information-sharing register, the disclosure log, and subject access requests.

A sharing agreement names no person. A disclosure entry and a subject access request are
about one person: their free text and the requester's details are personal data, removed
when the person's case is disposed of (`services.remove_personal_data`); the rows stay,
so that the counts of disclosures stay true.
"""

import uuid

from django.conf import settings
from django.db import models

from disclosures.choices import (
    AgreementStatus,
    Decision,
    LawfulBasis,
    Method,
    RequesterRelationship,
    RequestStatus,
)
from governance.models import Partner
from referrals.models import Person, Referral


class SharingAgreement(models.Model):
    """An information-sharing agreement with a partner organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="partner organisation",
    )
    # For an organisation that is not in the partner register.
    other_organisation = models.CharField(max_length=200, blank=True)
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    data_categories = models.TextField("categories of data shared")
    review_on = models.DateField("review date")
    status = models.CharField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    ended_on = models.DateField(null=True, blank=True)
    document_reference = models.CharField(max_length=200, blank=True)
    # Optimistic locking (docs/security.md §22).
    version = models.PositiveIntegerField(default=1)
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "review_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False) | ~models.Q(other_organisation=""),
                name="disclosures_agreement_has_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="disclosures_agreement_version_positive"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def organisation(self) -> str:
        return self.partner.name if self.partner_id else self.other_organisation

    @property
    def is_active(self) -> bool:
        return self.status == AgreementStatus.ACTIVE


class DisclosureEntry(models.Model):
    """One disclosure of a person's information outside the team: what, to whom, why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures")
    # Empty for a disclosure about the person as a whole (a subject access bundle).
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    what_shared = models.TextField("what was shared")
    recipient_partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="partner organisation",
    )
    recipient_organisation = models.CharField("shared with (organisation)", max_length=500)
    recipient_role = models.CharField("recipient's role", max_length=200)
    purpose = models.TextField("why it was shared")
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    agreement = models.ForeignKey(
        SharingAgreement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
        verbose_name="information-sharing agreement",
    )
    shared_on = models.DateField("date shared")
    method = models.CharField(max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The one-time token of the form, or a key the portal makes for an automatic entry
    # ("pack:<meeting>:<case>:<day>"): the same disclosure is never logged twice.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    # Free text: its values never go into the audit log (docs/security.md §11).
    FREE_TEXT_FIELDS = frozenset({"what_shared", "purpose", "recipient_role"})

    class Meta:
        ordering = ["-shared_on", "-recorded_at"]
        verbose_name_plural = "disclosure entries"
        indexes = [
            # The log across cases: newest first, filtered by date.
            models.Index(fields=["-shared_on", "-recorded_at"], name="disclosures_entry_date_idx"),
            # A case's Disclosures section.
            models.Index(fields=["referral", "-shared_on"], name="disclosures_entry_case_idx"),
            # A person's entries (the subject access bundle, the disposal).
            models.Index(fields=["person", "-shared_on"], name="disclosures_entry_person_idx"),
        ]

    def __str__(self):
        return f"Disclosure {self.pk}"  # never the content: str() reaches logs and audit


class SubjectAccessRequest(models.Model):
    """A request by (or for) a person for a copy of everything held about them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="subject_access")
    requester_name = models.CharField("requester's name", max_length=200)
    requester_relationship = models.CharField(
        "who is asking", max_length=20, choices=RequesterRelationship.choices
    )
    requester_contact = models.TextField("requester's address or email", blank=True)
    identity_check = models.TextField("how the requester's identity was checked", blank=True)
    received_on = models.DateField("date received")
    # One calendar month from receipt (UK GDPR Art 12(3)).
    due_on = models.DateField("statutory due date")
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.IN_REVIEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    create_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    IDENTIFYING_FIELDS = frozenset({"requester_name", "requester_contact", "identity_check"})

    class Meta:
        ordering = ["status", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="disclosures_request_version_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="disclosures_request_due_after_received",
            ),
        ]
        indexes = [
            # The list of requests: open ones first, soonest due.
            models.Index(fields=["status", "due_on"], name="disclosures_request_due_idx"),
        ]

    def __str__(self):
        return f"Subject access request {self.pk}"

    @property
    def is_released(self) -> bool:
        return self.status == RequestStatus.RELEASED


class RedactionDecision(models.Model):
    """The reviewer's decision on one flagged item of a bundle: redact or release."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="decisions"
    )
    # "<model label>:<pk>:<field>", e.g. "referrals.referral:<uuid>:referrer_name".
    item_key = models.CharField(max_length=200)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "item_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "item_key"], name="disclosures_decision_one_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.item_key}: {self.decision}"
