from django.db import models


class PartnerSector(models.TextChoices):
    """The sectors of the partner register (DOMAIN.md §2, audience organisations)."""

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
