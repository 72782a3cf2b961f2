"""Invented demo documents and letters (run by seed_demo after the case work).

On a few demo cases: a national referral form (a PDF made here), a provider's report
(a DOCX made here), notes of a call (plain text) and a letter from a template (its DOCX
and PDF). On the latest past Channel panel: its minutes; on the latest board meeting:
its papers. Every file is made in code, with invented content only. Idempotent: nothing
is added when any document exists.
"""

import hashlib
import io
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from channel.models import PanelMeeting
from documents.letters import fill, letter_values
from documents.models import Document, DocumentType, LetterTemplate
from documents.selectors import panel_date_for
from documents.services import Owner, document_add, letter_create
from governance.models import BoardMeeting
from governance.selectors import partnership_name
from prevent_portal.accounts.models import User
from prevent_portal.files.types import ALLOWED, DOCX, PDF, TEXT
from prevent_portal.files.uploads import CheckedFile
from referrals.models import Referral

LETTERS = {
    "consent": "Consent request to a parent or carer",
    "adopted": "Channel support offered",
    "reviewed": "Channel support offered",
    "exit": "Exit from Channel",
    "post_exit_review": "Post-exit review",
    "information_gathering": "Invitation to a Channel panel (partner)",
}


def _pdf(title: str, lines: list[str]) -> bytes:
    from django.utils.html import escape

    from prevent_portal.ui.pdf import write_pdf

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return write_pdf(
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>{body}"
        "<p><em>Invented demo document.</em></p></body></html>"
    )


def _docx(title: str, lines: list[str]) -> bytes:
    from docx import Document as Docx

    document = Docx()
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    document.add_paragraph("Invented demo document.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _checked(data: bytes, content_type: str, name: str) -> CheckedFile:
    return CheckedFile(
        data=data,
        kind=ALLOWED[content_type],
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def seed(*, stdout) -> None:
    if Document.objects.exists():
        stdout.write("Documents already present: no demo documents added.")
        return
    with transaction.atomic():
        counts = _seed()
    stdout.write(
        "Added invented documents: {documents} documents and {letters} letters.".format(**counts)
    )


def _seed() -> dict:
    actor = User.objects.filter(username="channel").first()
    kinds = {kind.code: kind for kind in DocumentType.objects.all()}
    partnership = partnership_name() or "Prevent partnership"
    counts = {"documents": 0, "letters": 0}
    today = timezone.localdate()
    cases = list(
        Referral.objects.exclude(status__in=["received", "police_gateway"])
        .select_related("person", "case_manager")
        .order_by("reference")[:8]
    )
    for number, referral in enumerate(cases):
        owner = Owner(referral=referral)
        form = _pdf(
            "National Prevent referral form",
            [
                f"Reference {referral.reference}.",
                "Concerns as described by the referrer (invented example).",
            ],
        )
        document_add(
            actor=actor,
            owner=owner,
            kind=kinds["referral-form"],
            title="National Prevent referral form",
            dated_on=referral.date_received,
            note="Received from the police gateway with the referral.",
            checked=_checked(form, PDF, f"referral-form-{referral.reference}.pdf"),
        )
        counts["documents"] += 1
        if number % 2 == 0 and referral.status not in ("information_gathering", "panel"):
            report = _docx(
                "Intervention provider's report",
                ["Sessions attended: 6 of 8.", "Engages well; explores the ideas met online."],
            )
            document_add(
                actor=actor,
                owner=owner,
                kind=kinds["provider-report"],
                title="Mentor's progress report",
                dated_on=min(today, referral.date_received + timedelta(days=60)),
                note="",
                checked=_checked(report, DOCX, "mentor-report.docx"),
            )
            counts["documents"] += 1
        if number % 3 == 1:
            notes = b"Call with the designated safeguarding lead (invented example).\n"
            document_add(
                actor=actor,
                owner=owner,
                kind=kinds["other"],
                title="Notes of a call with the school",
                dated_on=referral.date_received,
                note="",
                checked=_checked(notes, TEXT, "call-notes.txt"),
            )
            counts["documents"] += 1
        title = LETTERS.get(referral.status)
        template = LetterTemplate.objects.filter(title=title).first() if title else None
        if template is not None and actor is not None:
            values = letter_values(
                referral=referral,
                user=actor,
                show_identities=True,
                panel_date=panel_date_for(referral),
                partnership=partnership,
            )
            letter_create(
                actor=actor,
                referral=referral,
                template=template,
                title=template.title,
                body=fill(template.body, values),
                partnership=partnership,
            )
            counts["letters"] += 1
            counts["documents"] += 2
    meeting = PanelMeeting.objects.filter(meeting_date__lt=today).order_by("-meeting_date").first()
    if meeting is not None:
        minutes = _docx(
            f"Minutes: {meeting}",
            ["Attendees and apologies.", "Cases discussed by reference (invented example)."],
        )
        document_add(
            actor=actor,
            owner=Owner(panel_meeting=meeting),
            kind=kinds["minutes"],
            title="Signed minutes",
            dated_on=meeting.meeting_date,
            note="",
            checked=_checked(minutes, DOCX, "panel-minutes.docx"),
        )
        counts["documents"] += 1
    board = BoardMeeting.objects.filter(held_on__lte=today).order_by("-held_on").first()
    if board is not None:
        papers = _pdf(f"Papers: {board}", ["Partnership plan progress.", "Training figures."])
        document_add(
            actor=User.objects.filter(username="support").first(),
            owner=Owner(board_meeting=board),
            kind=kinds["other"],
            title="Board papers",
            dated_on=board.held_on,
            note="",
            checked=_checked(papers, PDF, "board-papers.pdf"),
        )
        counts["documents"] += 1
    return counts
