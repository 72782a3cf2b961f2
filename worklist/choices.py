"""Enumerations of the worklist app."""

from django.db import models


class TaskKind(models.TextChoices):
    """What a task asks for. All but OTHER are opened by steps of the journey."""

    GATEWAY_OUTCOME = "gateway_outcome", "Gateway outcome due"
    PREPARE_PANEL = "prepare_panel", "Prepare for panel"
    CONSENT_FOLLOW_UP = "consent_follow_up", "Consent follow-up"
    REVIEW_DUE = "review_due", "Review due"
    POST_EXIT_6 = "post_exit_6", "6-month post-exit review"
    POST_EXIT_12 = "post_exit_12", "12-month post-exit review"
    OTHER = "other", "Other task"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    # The journey moved on: a step made the task obsolete (or did what it asked).
    CLOSED_BY_STEP = "closed_by_step", "Closed by a step of the journey"
