"""Reference enumerations of the community area (docs/domain.md §4)."""

from django.db import models


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"


class IncidentKind(models.TextChoices):
    GRAFFITI = "graffiti", "Graffiti"
    STICKERS = "stickers", "Stickers"
    FLYERS = "flyers", "Flyers"
    BANNERS = "banners", "Banners"
    OTHER = "other", "Other"


class Ideology(models.TextChoices):
    EXTREME_RIGHT_WING = "extreme_right_wing", "Extreme right-wing"
    ISLAMIST = "islamist", "Islamist"
    ANTI_GOVERNMENT = "anti_government", "Anti-government or conspiracy"
    ANTISEMITIC = "antisemitic", "Antisemitic"
    ANTI_MUSLIM = "anti_muslim", "Anti-Muslim"
    MIXED_UNCLEAR = "mixed_unclear", "Mixed, unclear or unstable"
    OTHER = "other", "Other"


class ActivityKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    ROUNDTABLE = "roundtable", "Roundtable"
    WORKSHOP = "workshop", "Workshop"
    COMMUNITY_EVENT = "community_event", "Community event"
    CSP = "csp", "Community Safety Partnership"
    BRIEFING = "briefing", "Briefing"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
