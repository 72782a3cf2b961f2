"""Enumerations of the referrals app, and the reference data its migration seeds."""

from django.db import models


class ReferralStatus(models.TextChoices):
    """Where a referral is in the Dovetail journey (docs/domain.md §1), and the ways out of it."""

    RECEIVED = "received", "Received"
    POLICE_GATEWAY = "police_gateway", "Police gateway assessment"
    INFORMATION_GATHERING = "information_gathering", "Information gathering"
    PANEL = "panel", "Discussed at panel"
    CONSENT = "consent", "Consent"
    ADOPTED = "adopted", "Adopted as a Channel case"
    REVIEWED = "reviewed", "Reviewed at panel"
    EXIT = "exit", "Exited Channel"
    POST_EXIT_REVIEW = "post_exit_review", "Post-exit review"
    CLOSED = "closed", "Closed"
    # Exits before adoption.
    NO_FURTHER_ACTION = "no_further_action", "Closed: no further action"
    SIGNPOSTED = "signposted", "Closed: signposted to other services"
    NOT_ADOPTED = "not_adopted", "Closed: not adopted at panel"
    CONSENT_DECLINED = "consent_declined", "Closed: consent declined or withdrawn"
    POLICE_LED = "police_led", "Closed: passed to counter-terrorism policing"


class PersonAware(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class ConcernScheme(models.TextChoices):
    """The Home Office changed its list of types of concern twice."""

    TO_2020_21 = "to_2020_21", "To 2020/21"
    FROM_2021_22 = "2021_22_to_2023_24", "2021/22 to 2023/24"
    FROM_2024_25 = "from_2024_25", "From 2024/25"


class AgeBand(models.TextChoices):
    """The Home Office age bands."""

    UP_TO_10 = "10_or_under", "10 or under"
    AGE_11_15 = "11_15", "11 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_20 = "18_20", "18 to 20"
    AGE_21_30 = "21_30", "21 to 30"
    AGE_31_40 = "31_40", "31 to 40"
    AGE_41_50 = "41_50", "41 to 50"
    AGE_51_PLUS = "51_plus", "51 and over"
    NOT_KNOWN = "not_known", "Not known"


SECTORS = [
    "Education",
    "Police",
    "Local Authority",
    "Health",
    "Community",
    "Friends and family",
    "Prison",
    "Probation",
    "Other",
]

CONCERN_TYPES = {
    ConcernScheme.TO_2020_21: [
        "Islamist",
        "Extreme Right-Wing",
        "Mixed, unclear or unstable",
        "Other",
    ],
    ConcernScheme.FROM_2021_22: [
        "Islamist",
        "Extreme Right-Wing",
        "Left-wing, anarchist or single issue",
        "Conflicted",
        "Vulnerability present but no ideology or CT risk",
        "No ideology or CT risk",
        "Incel",
        "School massacre",
        "Other",
    ],
    ConcernScheme.FROM_2024_25: [
        "Islamist",
        "Extreme Right-Wing",
        "Left-wing",
        "No identified ideology (including fascination with extreme violence or mass "
        "casualty attacks)",
        "Other",
    ],
}

SEXES = ["Male", "Female", "Other", "Not known"]

OUTCOMES = [
    "No further action",
    "Signposted to other services",
    "Discussed at a Channel panel",
    "Adopted as a Channel case",
]
