"""Enumerations and the seeded reference data of the documents app.

The migrations seed these with frozen copies of their own (0002, 0003); tests re-seed
after a flush through `documents.reference`."""

from django.db import models

# (code, name) in display order. The code is how the portal finds a type it files
# itself ("letter-sent" for letters, "minutes" for meetings); the name may be edited.
DOCUMENT_TYPES = [
    ("referral-form", "National referral form"),
    ("consent-form", "Consent form"),
    ("provider-report", "Provider report"),
    ("vaf-extract", "VAF extract"),
    ("letter-sent", "Letter sent"),
    ("minutes", "Minutes"),
    ("other", "Other"),
]
LETTER_SENT = "letter-sent"


class Owner(models.TextChoices):
    """What a document is filed on."""

    CASE = "case", "Case"
    PANEL = "panel", "Channel panel meeting"
    BOARD = "board", "Board meeting"


class ChronologyKind(models.TextChoices):
    JOURNEY = "journey", "Journey steps"
    PANEL = "panel", "Panel decisions"
    VAF = "vaf", "VAF assessments"
    CONSENT = "consent", "Consent"
    INTERVENTION = "intervention", "Interventions"
    NOTE = "note", "Notes"
    RISK = "risk", "Risk flags"
    TASK = "task", "Tasks done"
    DOCUMENT = "document", "Documents"
    LETTER = "letter", "Letters"
