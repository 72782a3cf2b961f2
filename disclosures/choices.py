"""Enumerations of the disclosures app: lawful bases, methods, statuses."""

from django.db import models


class LawfulBasis(models.TextChoices):
    """Why personal data may be shared (docs/data-protection.md explains each)."""

    CHANNEL = (
        "channel",
        "Channel: Counter-Terrorism and Security Act 2015 s.36–41; UK GDPR Art 6(1)(e)",
    )
    SAFEGUARDING = (
        "safeguarding",
        "Safeguarding: UK GDPR Art 6(1)(e), Art 9(2)(g); DPA 2018 Sch 1 para 18",
    )
    UNLAWFUL_ACTS = (
        "unlawful_acts",
        "Preventing or detecting unlawful acts: Art 6(1)(e), Art 9(2)(g), Art 10; "
        "DPA 2018 Sch 1 para 10",
    )
    STATUTORY = (
        "statutory",
        "Statutory and government purposes: Art 6(1)(e), Art 9(2)(g); DPA 2018 Sch 1 para 6",
    )
    LEGAL_OBLIGATION = (
        "legal_obligation",
        "Legal obligation (including subject access): UK GDPR Art 6(1)(c)",
    )
    VITAL_INTERESTS = "vital_interests", "Vital interests: UK GDPR Art 6(1)(d), Art 9(2)(c)"


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Method(models.TextChoices):
    SECURE_EMAIL = "secure_email", "Secure email"
    MEETING = "meeting", "In a meeting"
    PHONE = "phone", "By phone"
    POST = "post", "By post"
    PANEL_PACK = "panel_pack", "Channel panel pack"
    SUBJECT_ACCESS = "subject_access", "Subject access bundle"
    PORTAL_EXPORT = "portal_export", "Export from the portal"
    OTHER = "other", "Other"


# Methods that the portal records itself; a person recording an entry picks from the rest.
AUTOMATIC_METHODS = (Method.PANEL_PACK, Method.SUBJECT_ACCESS, Method.PORTAL_EXPORT)


class RequesterRelationship(models.TextChoices):
    SELF = "self", "The person themself"
    PARENT = "parent", "A parent or carer (for a child)"
    REPRESENTATIVE = "representative", "A solicitor or other representative"
    OTHER = "other", "Someone else with the person's authority"


class RequestStatus(models.TextChoices):
    IN_REVIEW = "in_review", "In review"
    RELEASED = "released", "Approved for release"


class Flag(models.TextChoices):
    """Why an item of a subject access bundle needs a decision before release."""

    THIRD_PARTY = "third_party", "Third-party information"
    REVIEW = "review", "Review for third-party information"


class Decision(models.TextChoices):
    REDACT = "redact", "Redact"
    RELEASE = "release", "Release"
