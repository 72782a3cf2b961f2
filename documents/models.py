"""Documents kept on a case, a Channel panel meeting or a board meeting; letters made
from templates.

A document's bytes live in the private "documents" storage under a random name
(prevent_portal/files/storage.py); the row keeps the original name, the type decided
from the bytes, the size and a SHA-256. Exactly one owner: a check constraint.
"""

import uuid

from django.conf import settings
from django.db import models

from channel.models import PanelMeeting
from governance.models import BoardMeeting
from prevent_portal.files.uploads import size_label
from referrals.models import ReferenceEntry, Referral


class DocumentType(ReferenceEntry):
    """National referral form, consent form, provider report... (reference data)."""

    # Stable: the portal files letters and minutes by code; the name may be edited.
    code = models.SlugField(max_length=40, unique=True)

    class Meta(ReferenceEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["name"], name="documents_type_name_uniq")]


class LetterTemplate(models.Model):
    """A letter with placeholders ({{ case_reference }}), edited by a supervisor.
    Retired, never deleted: letters made from it name it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200, unique=True)
    body = models.TextField(
        help_text="Paragraphs separated by a blank line. Placeholders are written "
        "{{ name }}, with a name from the list below."
    )
    is_active = models.BooleanField("in use", default=True)
    position = models.PositiveSmallIntegerField("display order", default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title


class Letter(models.Model):
    """A letter made on a case: its DOCX and its PDF are documents of type "letter sent"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="letters")
    template = models.ForeignKey(
        LetterTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The chronology: a case's letters.
            models.Index(fields=["referral", "-created_at"], name="documents_letter_case_idx"),
        ]

    def __str__(self):
        return f"Letter {self.pk}"  # never the title: it may name someone


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The owner: exactly one of the three (documents_document_one_owner).
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    panel_meeting = models.ForeignKey(
        PanelMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    board_meeting = models.ForeignKey(
        BoardMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name="type"
    )
    title = models.CharField(max_length=200)
    dated_on = models.DateField("date of the document")
    note = models.TextField(blank=True)
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    # The file: its name as uploaded (data, never a path), the type decided from its
    # bytes, and where it is stored (random).
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    # Free text that may name someone: only "set" or "changed" in the audit log.
    IDENTIFYING_FIELDS = frozenset({"title", "note", "original_name"})

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        referral__isnull=False,
                        panel_meeting__isnull=True,
                        board_meeting__isnull=True,
                    )
                    | models.Q(
                        referral__isnull=True,
                        panel_meeting__isnull=False,
                        board_meeting__isnull=True,
                    )
                    | models.Q(
                        referral__isnull=True,
                        panel_meeting__isnull=True,
                        board_meeting__isnull=False,
                    )
                ),
                name="documents_document_one_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(size__gt=0), name="documents_document_not_empty"
            ),
        ]
        indexes = [
            # Each owner's Documents section: newest first, often filtered by type.
            models.Index(fields=["referral", "-uploaded_at"], name="documents_case_idx"),
            models.Index(fields=["panel_meeting", "-uploaded_at"], name="documents_panel_idx"),
            models.Index(fields=["board_meeting", "-uploaded_at"], name="documents_board_idx"),
        ]

    def __str__(self):
        return f"Document {self.pk}"  # never the title or the file's name

    @property
    def owner(self) -> str:
        if self.referral_id:
            return "case"
        if self.panel_meeting_id:
            return "panel"
        return "board"

    @property
    def size_label(self) -> str:
        return size_label(self.size)

    @property
    def format_label(self) -> str:
        from prevent_portal.files.types import ALLOWED

        kind = ALLOWED.get(self.content_type)
        return kind.extensions[0].lstrip(".").upper() if kind else "File"
