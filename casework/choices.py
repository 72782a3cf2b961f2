"""Enumerations of case work (consent, notes, risk), and the reference data its migration
seeds (types of intervention)."""

from django.db import models


class ConsentGivenBy(models.TextChoices):
    PERSON = "person", "The person"
    PARENT = "parent", "A parent or carer"
    OTHER_ADULT = "other_adult", "Another adult with authority"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", "Given"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class NoteKind(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    MEETING = "meeting", "Meeting"
    HOME_VISIT = "home_visit", "Home visit"
    EMAIL = "email", "Email"
    INFORMATION_RECEIVED = "information_received", "Information received"
    OTHER = "other", "Other"


class RiskKind(models.TextChoices):
    IMMEDIATE_RISK = "immediate_risk", "Immediate risk"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Escalated to children's social care"
    ADULTS_SOCIAL_CARE = "adults_social_care", "Escalated to adults' social care"
    MASH = "mash", "Escalated to the MASH"
    POLICE_LED = "police_led", "Passed back to counter-terrorism policing as police-led"


# Types of intervention in a support plan (docs/domain.md §1), seeded by migration 0002.
INTERVENTION_TYPES = [
    "Intervention Provider (ideological mentoring)",
    "Education",
    "Careers",
    "Mental health",
    "Substance misuse",
    "Family support",
    "Diversionary activity",
    "Other",
]
