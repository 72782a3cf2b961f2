"""Enumerations of the VAF app, and the default framework its migration seeds."""

from datetime import date

from django.db import models


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"


DEFAULT_FRAMEWORK_NAME = "Vulnerability Assessment Framework"
DEFAULT_VERSION_LABEL = "Default (Extremism Risk Guidance 22+)"
# The Prevent duty (Counter-Terrorism and Security Act 2015, s.26) came into force on
# 1 July 2015; the default version counts as in force from then.
DEFAULT_IN_FORCE_FROM = date(2015, 7, 1)

# The default version (docs/domain.md §1): dimensions in order, each with its factors in order
# as (key, wording). Keys stay the same in later versions of a factor.
DEFAULT_DIMENSIONS = [
    (
        "engagement",
        "Engagement with a group, cause or ideology",
        [
            ("grievance_injustice", "Feelings of grievance and injustice"),
            ("under_threat", "Feeling under threat"),
            ("identity_meaning_belonging", "Need for identity, meaning and belonging"),
            ("status", "Desire for status"),
            ("excitement_adventure", "Desire for excitement and adventure"),
            ("dominate_control", "Need to dominate and control"),
            ("indoctrination", "Susceptibility to indoctrination"),
            ("political_moral_change", "Desire for political or moral change"),
            ("opportunistic", "Opportunistic involvement"),
            ("family_friends_support", "Family and/or friends support extremist offending"),
            ("transitional_time", "Being at a transitional time of life"),
            ("influenced_by_group", "Being influenced or controlled by a group"),
            ("mental_health", "Relevant mental health issues"),
        ],
    ),
    (
        "intent",
        "Intent to cause harm",
        [
            ("over_identification", "Over-identification with a group or ideology"),
            ("them_and_us", "‘Them and us’ thinking"),
            ("dehumanisation", "Dehumanisation of the enemy"),
            ("justify_offending", "Attitudes that justify offending"),
            ("harmful_means", "Harmful means to an end"),
            ("harmful_objectives", "Harmful objectives"),
        ],
    ),
    (
        "capability",
        "Capability to cause harm",
        [
            ("knowledge_skills", "Individual knowledge, skills and competencies"),
            ("networks_funding_equipment", "Access to networks, funding or equipment"),
            ("criminal_history", "Criminal history"),
        ],
    ),
]

# The default rating scale: (key, label, severity; None for "not known").
DEFAULT_LEVELS = [
    ("not_present", "Not present", 0),
    ("some_evidence", "Some evidence", 1),
    ("significant_evidence", "Significant evidence", 2),
    ("not_known", "Not known", None),
]
