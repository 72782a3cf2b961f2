from django.db import models


class PartnerSector(models.TextChoices):
    """The sectors of the partner register (docs/domain.md §2, audience organisations)."""

    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    HEALTH = "health", "Health (NHS)"
    PROBATION = "probation", "Probation"
    PRISON = "prison", "Prisons"
    EDUCATION_SCHOOL = "school", "Schools"
    EDUCATION_FE = "further_education", "Further education colleges"
    EDUCATION_HE = "higher_education", "Universities"
    HOUSING = "housing", "Housing"
    BUSINESS = "business", "Business groups"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    FIRE = "fire", "Fire and rescue"
    OTHER = "other", "Other"


class DistrictKind(models.TextChoices):
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary council"


class ActionStatus(models.TextChoices):
    """Where a plan action stands (docs/domain.md §5)."""

    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class Rag(models.TextChoices):
    """Red, amber, green: the board's reading of an action's progress."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class RiskTrend(models.TextChoices):
    NEW = "new", "New this year"
    RISING = "rising", "Rising"
    STABLE = "stable", "Stable"
    FALLING = "falling", "Falling"


class RiskRating(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


# 1 (rare / minimal) to 5 (almost certain / severe).
SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


# Statuses that need a RAG rating; "not started" may have one, "complete" never does.
RATED_STATUSES = frozenset({ActionStatus.ON_TRACK, ActionStatus.AT_RISK, ActionStatus.OFF_TRACK})
