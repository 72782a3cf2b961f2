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
    """The Home Office changed its list of types of concern twice. The first list of
    2024/25 held "fascination with extreme violence or mass casualty attacks" inside "no
    identified ideology"; the releases from 2024/25 report the two apart, so the revised
    list replaces it (its entries are retired, for the referrals recorded under it)."""

    TO_2020_21 = "to_2020_21", "To 2020/21"
    FROM_2021_22 = "2021_22_to_2023_24", "2021/22 to 2023/24"
    FROM_2024_25 = "from_2024_25", "From 2024/25 (first version)"
    FROM_2024_25_REVISED = "from_2024_25_revised", "From 2024/25"


class AgeGroupScheme(models.TextChoices):
    """The Home Office's age groups changed with the release for 2022/23: before it,
    under 15 and 15 to 20; from it, 10 or under, 11 to 15, 16 to 17 and 18 to 20."""

    TO_2021_22 = "to_2021_22", "To 2021/22"
    FROM_2022_23 = "from_2022_23", "From 2022/23"


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
    ConcernScheme.FROM_2024_25_REVISED: [
        "Islamist",
        "Extreme Right-Wing",
        "Left-wing",
        "No identified ideology",
        "Fascination with extreme violence or mass casualty attacks (where no other ideology)",
        "Other",
    ],
}

# Lists replaced by a revision: seeded retired, offered on no new referral.
RETIRED_SCHEMES = frozenset({ConcernScheme.FROM_2024_25})

SEXES = ["Male", "Female", "Other", "Not known"]

OUTCOMES = [
    "No further action",
    "Signposted to other services",
    "Discussed at a Channel panel",
    "Adopted as a Channel case",
]

# The age groups of each version: (label, lowest age, highest age or None for "and over").
AGE_GROUPS = {
    AgeGroupScheme.TO_2021_22: [
        ("Under 15", 0, 14),
        ("15 to 20", 15, 20),
        ("21 to 30", 21, 30),
        ("31 to 40", 31, 40),
        ("41 to 50", 41, 50),
        ("Over 50", 51, None),
    ],
    AgeGroupScheme.FROM_2022_23: [
        ("10 or under", 0, 10),
        ("11 to 15", 11, 15),
        ("16 to 17", 16, 17),
        ("18 to 20", 18, 20),
        ("21 to 30", 21, 30),
        ("31 to 40", 31, 40),
        ("41 to 50", 41, 50),
        ("51 and over", 51, None),
    ],
}
