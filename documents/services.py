"""Every change to documents and letters. Atomic and audited in the same transaction.

Audit events of a case's documents name the referral as their target, so the case's
access log shows them; those of a meeting's documents name the meeting. A document's
title, note and file name may name someone: the log says only that they were set.

Stored bytes are written before the row (a failed insert removes them at once) and
removed only once the deletion has committed (`transaction.on_commit`), so a rollback
never leaves a row without its file. A file whose row was never committed is an
orphan: `manage.py documents_orphans` finds and removes those.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.choices import LETTER_SENT
from documents.letters import letter_docx, letter_pdf, template_errors, uses_identities
from documents.models import Document, DocumentType, Letter, LetterTemplate
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.files.storage import delete_stored, store
from prevent_portal.files.types import ALLOWED, DOCX, PDF
from prevent_portal.files.uploads import CheckedFile, size_label
from referrals.case_pages import is_disposed
from retention.models import LegalHold


class DocumentError(Exception):
    """A change that is not allowed; the message is for the user."""


@dataclass(frozen=True)
class Owner:
    """What a document is filed on: one of the three."""

    referral: object = None
    panel_meeting: object = None
    board_meeting: object = None

    @property
    def target(self):
        return self.referral or self.panel_meeting or self.board_meeting

    @property
    def label(self) -> str:
        if self.referral is not None:
            return f"referral {self.referral.reference}"
        return str(self.target)


def _owner_of(document: Document) -> Owner:
    return Owner(
        referral=document.referral,
        panel_meeting=document.panel_meeting,
        board_meeting=document.board_meeting,
    )


def _refuse_if_closed(owner: Owner) -> None:
    if owner.referral is not None and is_disposed(owner.referral):
        raise DocumentError("This case has been disposed of: no document can be added or deleted")


def _delete_after_commit(names: list[str]) -> None:
    def remove():
        for name in names:
            delete_stored(name)

    transaction.on_commit(remove)


@transaction.atomic
def document_add(
    *,
    actor,
    owner: Owner,
    kind: DocumentType,
    title: str,
    dated_on: date,
    note: str,
    checked: CheckedFile,
    token=None,
    letter: Letter | None = None,
) -> Document:
    """File a checked upload on a case or a meeting. Whoever may add documents to that
    owner calls this (the view has checked the permission and the scope). A second
    submission of the same form (its token) returns the first document."""
    if token is not None:
        existing = Document.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
    _refuse_if_closed(owner)
    if dated_on > timezone.localdate():
        raise DocumentError("The date of the document must be today or in the past")
    stored_name = store(checked.data)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                referral=owner.referral,
                panel_meeting=owner.panel_meeting,
                board_meeting=owner.board_meeting,
                kind=kind,
                title=title,
                dated_on=dated_on,
                note=note,
                letter=letter,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                stored_name=stored_name,
                uploaded_by=actor,
                submission_token=token,
            )
    except IntegrityError:
        delete_stored(stored_name)
        existing = Document.objects.filter(submission_token=token).first() if token else None
        if existing is not None:  # the same form, sent twice at the same moment
            return existing
        raise
    except Exception:
        delete_stored(stored_name)
        raise
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added a document ({kind.name}, {checked.kind.extensions[0][1:].upper()}, "
        f"{size_label(checked.size)}) to {owner.label}",
        target=owner.target,
        changes={
            "document": str(document.pk),
            "type": kind.name,
            "content_type": checked.content_type,
            "size": checked.size,
            "sha256": checked.sha256,
            "dated_on": dated_on.isoformat(),
            "title": {"set": True},
            "original_name": {"set": True},
            "note": {"set": bool(note)},
        },
    )
    return document


def may_delete(user, document: Document) -> bool:
    """Whoever added it, or a supervisor of case work (for a board meeting's papers,
    whoever runs the board's meetings and holds the supervision permission)."""
    if document.uploaded_by_id is not None and document.uploaded_by_id == user.pk:
        return True
    return has_perm(user, Perm.CASES_SUPERVISE)


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    """Delete a document and, once that has committed, its bytes. Refused on a disposed
    case, under a legal hold, and to anyone but its uploader or a supervisor."""
    current = Document.objects.select_for_update().filter(pk=document.pk).first()
    if current is None:
        raise DocumentError("This document has already been deleted")
    owner = _owner_of(document)
    if not may_delete(actor, current):
        raise DocumentError("Only whoever added this document or a supervisor can delete it")
    _refuse_if_closed(owner)
    if (
        owner.referral is not None
        and LegalHold.objects.filter(referral=owner.referral, lifted_at__isnull=True).exists()
    ):
        raise DocumentError("This case is under a legal hold: its documents must be kept")
    kind_name = current.kind.name
    stored_name = current.stored_name
    current.delete()
    _delete_after_commit([stored_name])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=f"Deleted a document ({kind_name}) from {owner.label}",
        target=owner.target,
        changes={"document": str(document.pk), "type": kind_name, "sha256": current.sha256},
    )


def document_record_download(*, actor, document: Document) -> None:
    """Every download is audited (docs/security.md §11): the file leaves the portal."""
    owner = _owner_of(document)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Downloaded a document ({document.kind.name}) of {owner.label}",
        target=owner.target,
        changes={"document": str(document.pk), "type": document.kind.name},
    )


def documents_record_view(*, actor, owner: Owner) -> None:
    """Opening a meeting's documents is audited (a case's are, by `load_case`)."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.VIEW,
        summary=f"Viewed the documents of {owner.label}",
        target=owner.target,
    )


# -- Letter templates ---------------------------------------------------------------------


class StaleTemplateError(DocumentError):
    def __init__(self):
        super().__init__(
            "Someone else changed this template while you were editing it. Your text is "
            "below: check the latest version and save again."
        )


@transaction.atomic
def letter_template_save(
    *,
    actor,
    template: LetterTemplate | None,
    title: str,
    body: str,
    is_active: bool,
    position: int = 0,
    expected_version: int | None = None,
) -> LetterTemplate:
    """Add or change a letter template (supervisors of case work). The body must hold
    known placeholders only (`documents.letters.template_errors`)."""
    problems = template_errors(body)
    if problems:
        raise DocumentError(problems[0])
    if template is None:
        if LetterTemplate.objects.filter(title=title).exists():
            raise DocumentError("A template with this title already exists")
        saved = LetterTemplate.objects.create(
            title=title, body=body, is_active=is_active, position=position, updated_by=actor
        )
        before = {}
    else:
        saved = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        if expected_version is not None and saved.version != expected_version:
            raise StaleTemplateError()
        if LetterTemplate.objects.filter(title=title).exclude(pk=saved.pk).exists():
            raise DocumentError("A template with this title already exists")
        before = {"title": saved.title, "body": saved.body, "is_active": saved.is_active}
        saved.title, saved.body, saved.is_active, saved.position = title, body, is_active, position
        saved.version += 1
        saved.updated_by = actor
        saved.save()
    after = {"title": title, "body": body, "is_active": is_active}
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE if not before else AuditEvent.Verb.UPDATE,
        summary=f"{'Added' if not before else 'Changed'} the letter template “{title}”",
        target=saved,
        changes={
            key: {"old": before.get(key), "new": value}
            for key, value in after.items()
            if before.get(key) != value
        },
    )
    return saved


# -- Letters ------------------------------------------------------------------------------


@transaction.atomic
def letter_create(
    *,
    actor,
    referral,
    template: LetterTemplate,
    title: str,
    body: str,
    partnership: str,
    token=None,
) -> Letter:
    """Make a letter on a case from a template, as edited: its DOCX and PDF are stored
    as two documents of type "letter sent". Case managers call this; a template that
    names the person needs the identity grant (without it no letter is made)."""
    if token is not None:
        existing = Letter.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
    if uses_identities(template.body) and not actor.can_see_identities:
        raise DocumentError(
            "This letter names the person: only someone granted access to identities can make it"
        )
    if not body.strip():
        raise DocumentError("Enter the text of the letter")
    _refuse_if_closed(Owner(referral=referral))
    kind = DocumentType.objects.get(code=LETTER_SENT)
    letter = Letter.objects.create(
        referral=referral, template=template, title=title, created_by=actor, submission_token=token
    )
    today = timezone.localdate()
    stem = f"letter-{referral.reference}-{today:%Y-%m-%d}"
    made = [
        (letter_docx(title=title, body=body, partnership=partnership), DOCX, ".docx"),
        (letter_pdf(title=title, body=body, partnership=partnership), PDF, ".pdf"),
    ]
    for data, content_type, extension in made:
        checked = CheckedFile(
            data=data,
            kind=ALLOWED[content_type],
            original_name=stem + extension,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        document_add(
            actor=actor,
            owner=Owner(referral=referral),
            kind=kind,
            title=title,
            dated_on=today,
            note="",
            checked=checked,
            letter=letter,
            token=uuid.uuid5(token, extension) if token else None,
        )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Made a letter from the template “{template.title}” on referral "
        f"{referral.reference} (DOCX and PDF)",
        target=referral,
        changes={"letter": str(letter.pk), "template": template.title, "body": {"set": True}},
    )
    return letter


# -- Disposal (called by retention.services.remove_personal_data) -----------------------


def remove_for_disposal(referral) -> dict:
    """Delete a case's documents and letters; their bytes go once the disposal commits.
    Returns the counts that the disposal keeps. No audit of its own: the disposal's
    event records the counts."""
    documents = list(
        Document.objects.filter(referral=referral).values_list("stored_name", flat=True)
    )
    letters = Letter.objects.filter(referral=referral).count()
    Document.objects.filter(referral=referral).delete()
    Letter.objects.filter(referral=referral).delete()
    _delete_after_commit(documents)
    removed = {}
    if documents:
        removed["documents"] = len(documents)
    if letters:
        removed["letters"] = letters
    return removed
