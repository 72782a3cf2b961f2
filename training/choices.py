from django.db import models


class SessionFormat(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face-to-face"
    VIRTUAL = "virtual", "Virtual"
    WEBINAR = "webinar", "Webinar"
    E_LEARNING = "e_learning", "E-learning"


class CourseStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    IN_DEVELOPMENT = "in_development", "In development"


class SessionSource(models.TextChoices):
    """How a session came in: logged on its page, imported from a file, or demo data."""

    LOGGED = "logged", "Logged"
    IMPORTED = "imported", "Imported"
    DEMO = "demo", "Demo"


class MetExpectations(models.TextChoices):
    DID_NOT_MEET = "did_not_meet", "Did not meet"
    MET = "met", "Met"
    EXCEEDED = "exceeded", "Exceeded"


class ValueToRole(models.TextChoices):
    NOT_AT_ALL = "not_at_all", "Not at all"
    SLIGHTLY = "slightly", "Slightly"
    MODERATELY = "moderately", "Moderately"
    VERY = "very", "Very"
    EXTREMELY = "extremely", "Extremely"


# What the annual report counts as a good result.
MET_OR_EXCEEDED = (MetExpectations.MET, MetExpectations.EXCEEDED)
VERY_OR_EXTREMELY = (ValueToRole.VERY, ValueToRole.EXTREMELY)

BESPOKE_LABEL = "Other bespoke input"
