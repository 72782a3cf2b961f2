"""One chronology of a case, from every app that records something about it.

Like retention and disclosures, this module reads every case-work app (the journey,
the panel, the VAF, case work, tasks, and this app's documents and letters): one query
per kind, so the number of queries does not grow with the case. The events are merged
in Python, in date order (oldest first; on the same day, in the order they were
recorded), and the page paginates the merged list. A case holds at most some hundreds
of events, so holding them in memory is cheap.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from casework.models import CaseNote, ConsentRecord, Intervention, RiskFlag
from channel.models import AgendaItem
from documents.choices import ChronologyKind
from documents.models import Document, Letter
from referrals.models import Referral, ReferralEvent
from vaf.models import Assessment
from worklist.choices import TaskStatus
from worklist.models import Task

EARLY = time(0, 0)
# The tag of one event (the filter's labels are plural: "Journey steps").
TAGS = {
    ChronologyKind.JOURNEY: "Journey step",
    ChronologyKind.PANEL: "Panel",
    ChronologyKind.VAF: "VAF",
    ChronologyKind.CONSENT: "Consent",
    ChronologyKind.INTERVENTION: "Intervention",
    ChronologyKind.NOTE: "Note",
    ChronologyKind.RISK: "Risk",
    ChronologyKind.TASK: "Task",
    ChronologyKind.DOCUMENT: "Document",
    ChronologyKind.LETTER: "Letter",
}


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # a ChronologyKind value
    title: str
    detail: str = ""
    by: str = ""
    # Ties on the same day: the moment it was recorded.
    recorded_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return TAGS[self.kind]

    @property
    def sort_key(self):
        stamp = self.recorded_at or timezone.make_aware(datetime.combine(self.on, EARLY))
        return (self.on, stamp)


def _name(user) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def _journey(referral):
    for step in ReferralEvent.objects.filter(referral=referral).select_related("actor"):
        detail = f"From “{step.get_from_status_display()}”"
        if step.signposted_to:
            detail += f"; signposted to {step.signposted_to}"
        if step.reason:
            detail += f". {step.reason}"
        yield Event(
            step.occurred_on,
            ChronologyKind.JOURNEY,
            step.get_to_status_display(),
            detail,
            _name(step.actor),
            step.recorded_at,
        )


def _panel(referral):
    items = AgendaItem.objects.filter(referral=referral, decided_on__isnull=False)
    for item in items.select_related("meeting", "decided_by"):
        detail = f"At the panel of {item.meeting.meeting_date:%-d %B %Y}"
        if item.onward_route:
            detail += f": {item.get_onward_route_display()}"
        if item.reason:
            detail += f". {item.reason}"
        yield Event(
            item.decided_on,
            ChronologyKind.PANEL,
            f"Panel decision: {item.get_decision_display()}",
            detail,
            _name(item.decided_by),
        )


def _vaf(referral):
    for assessment in Assessment.objects.filter(referral=referral).select_related("assessor"):
        yield Event(
            assessment.assessed_on,
            ChronologyKind.VAF,
            f"VAF assessment ({assessment.get_status_display().lower()})",
            assessment.summary,
            _name(assessment.assessor),
            assessment.created_at,
        )


def _consent(referral):
    for record in ConsentRecord.objects.filter(referral=referral).select_related("recorded_by"):
        yield Event(
            record.decided_on,
            ChronologyKind.CONSENT,
            f"Consent {record.get_decision_display().lower()}",
            f"By {record.get_given_by_display().lower()}"
            + (f". {record.note}" if record.note else ""),
            _name(record.recorded_by),
            record.recorded_at,
        )


def _interventions(referral):
    interventions = Intervention.objects.filter(plan__referral=referral).select_related(
        "kind", "provider", "created_by"
    )
    for item in interventions:
        what = f"{item.kind.name} with {item.provider.name}"
        yield Event(
            item.starts_on,
            ChronologyKind.INTERVENTION,
            "Intervention started",
            f"{what}. {item.goal}",
            _name(item.created_by),
            item.created_at,
        )
        if item.ends_on:
            yield Event(
                item.ends_on,
                ChronologyKind.INTERVENTION,
                "Intervention ended",
                what + (f". {item.outcome}" if item.outcome else ""),
                _name(item.created_by),
            )


def _notes(referral):
    for note in CaseNote.objects.filter(referral=referral).select_related("author"):
        contact = timezone.localtime(note.contact_at)
        yield Event(
            contact.date(),
            ChronologyKind.NOTE,
            f"Note: {note.get_kind_display().lower()}"
            + (" (a correction)" if note.corrects_id else ""),
            note.text,
            _name(note.author),
            note.contact_at,
        )


def _risks(referral):
    for flag in RiskFlag.objects.filter(referral=referral).select_related("raised_by"):
        to_whom = f" to {flag.to_whom}" if flag.to_whom else ""
        yield Event(
            flag.raised_on,
            ChronologyKind.RISK,
            f"Risk flag raised: {flag.get_kind_display()}",
            f"{flag.reason}".strip() + (f" (escalated{to_whom})" if to_whom else ""),
            _name(flag.raised_by),
            flag.created_at,
        )
        if flag.closed_on:
            yield Event(
                flag.closed_on,
                ChronologyKind.RISK,
                f"Risk flag closed: {flag.get_kind_display()}",
                flag.outcome,
                "",
                flag.updated_at,
            )


def _tasks(referral):
    tasks = Task.objects.filter(
        referral=referral, status=TaskStatus.DONE, completed_on__isnull=False
    ).select_related("completed_by")
    for task in tasks:
        yield Event(
            task.completed_on,
            ChronologyKind.TASK,
            f"Task done: {task.title}",
            "",
            _name(task.completed_by),
        )


def _documents(referral):
    documents = Document.objects.filter(referral=referral, letter__isnull=True).select_related(
        "kind", "uploaded_by"
    )
    for document in documents:
        uploaded = timezone.localtime(document.uploaded_at)
        yield Event(
            uploaded.date(),
            ChronologyKind.DOCUMENT,
            f"Document added: {document.title}",
            f"{document.kind.name}, dated {document.dated_on:%-d %B %Y} "
            f"({document.format_label}, {document.size_label})",
            _name(document.uploaded_by),
            document.uploaded_at,
        )


def _letters(referral):
    for letter in Letter.objects.filter(referral=referral).select_related("created_by"):
        made = timezone.localtime(letter.created_at)
        yield Event(
            made.date(),
            ChronologyKind.LETTER,
            f"Letter made: {letter.title}",
            "DOCX and PDF in the case's documents",
            _name(letter.created_by),
            letter.created_at,
        )


SOURCES = {
    ChronologyKind.JOURNEY: _journey,
    ChronologyKind.PANEL: _panel,
    ChronologyKind.VAF: _vaf,
    ChronologyKind.CONSENT: _consent,
    ChronologyKind.INTERVENTION: _interventions,
    ChronologyKind.NOTE: _notes,
    ChronologyKind.RISK: _risks,
    ChronologyKind.TASK: _tasks,
    ChronologyKind.DOCUMENT: _documents,
    ChronologyKind.LETTER: _letters,
}


def chronology(referral: Referral, *, kinds=None) -> list[Event]:
    """Every event of the case (or of the `kinds` given), oldest first: one query per
    kind asked for."""
    wanted = [kind for kind in SOURCES if not kinds or kind in kinds]
    events = [event for kind in wanted for event in SOURCES[kind](referral)]
    return sorted(events, key=lambda event: event.sort_key)
