"""Every change to training data goes through here, audited in the same transaction.

Callers are views and management commands that have already checked the permission
(training.manage for every change here).
"""

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction

from governance.choices import PartnerSector
from governance.models import District, Partner
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between
from prevent_portal.ui.words import counted
from training.choices import SessionSource
from training.models import (
    Course,
    Evaluation,
    ReferenceCounter,
    SessionImport,
    TrainingSession,
)


class TrainingError(Exception):
    """A change the training rules refuse; the message is shown to the user as it is."""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}"


class ImportRowsError(TrainingError):
    """A file with bad rows: nothing was imported. `errors` lists every bad row."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{counted(len(errors), 'row')} with problems: nothing was imported")


# --------------------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------------------

SESSION_FIELDS = (
    "date",
    "course",
    "bespoke_title",
    "format",
    "external_trainers",
    "district",
    "attendees",
    "notes",
    "booking_open",
    "places",
    "start_time",
    "venue",
)


def _snapshot(session: TrainingSession) -> dict:
    data = {}
    for name in SESSION_FIELDS:
        value = getattr(session, name)
        if isinstance(value, date | time):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str | int):
            value = str(value)
        data[name] = value
    data["trainers"] = sorted(str(user) for user in session.trainers.all())
    data["audiences"] = sorted(partner.name for partner in session.audiences.all())
    return data


def next_reference(year: int) -> str:
    """The next free reference of a year, e.g. TS-2026-0042; unique under concurrency
    because the year's counter row is locked until the transaction ends."""
    counter, _ = ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"TS-{year}-{counter.last:04d}"


@transaction.atomic
def organisation_add(*, actor, name: str) -> Partner:
    """Find an organisation of the partner register by name (any case), or add it with
    the sector "other" so that an administrator can classify it later. Audited."""
    name = " ".join(name.split())
    if not name:
        raise TrainingError("Enter the name of the organisation")
    existing = Partner.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    partner = Partner.objects.create(name=name[:200], sector=PartnerSector.OTHER)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added partner organisation {partner} while recording training",
        target=partner,
        changes=changes_between({}, {"name": partner.name, "sector": partner.sector}),
    )
    return partner


def _check_title(course, bespoke_title: str) -> str:
    bespoke_title = (bespoke_title or "").strip()
    if course is None and not bespoke_title:
        raise TrainingError("Enter the title of the bespoke input")
    return "" if course is not None else bespoke_title


@transaction.atomic
def session_create(
    *,
    actor,
    date: date,
    course: Course | None,
    format: str,
    attendees: int,
    bespoke_title: str = "",
    trainers=(),
    external_trainers: str = "",
    audiences=(),
    new_organisation: str = "",
    district: District | None = None,
    notes: str = "",
    booking_open: bool = False,
    places: int | None = None,
    start_time: time | None = None,
    venue: str = "",
    source: str = SessionSource.LOGGED,
    imported_from: SessionImport | None = None,
    audit: bool = True,
) -> TrainingSession:
    """Record a training session with the next reference of its year. Audited (an
    import passes audit=False and records one event for the whole file)."""
    audiences = list(audiences)
    if new_organisation.strip():
        audiences.append(organisation_add(actor=actor, name=new_organisation))
    session = TrainingSession.objects.create(
        reference=next_reference(date.year),
        date=date,
        course=course,
        bespoke_title=_check_title(course, bespoke_title),
        format=format,
        external_trainers=external_trainers.strip(),
        district=district,
        attendees=attendees,
        notes=notes.strip(),
        booking_open=booking_open,
        places=places,
        start_time=start_time,
        venue=venue.strip(),
        source=source,
        imported_from=imported_from,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    session.trainers.set(trainers)
    session.audiences.set(audiences)
    if audit:
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.CREATE,
            summary=f"Recorded training session {session}",
            target=session,
            changes=changes_between({}, _snapshot(session)),
        )
    return session


@transaction.atomic
def session_update(
    *,
    actor,
    session: TrainingSession,
    date: date,
    course: Course | None,
    format: str,
    attendees: int,
    bespoke_title: str = "",
    trainers=(),
    external_trainers: str = "",
    audiences=(),
    new_organisation: str = "",
    district: District | None = None,
    notes: str = "",
    booking_open: bool = False,
    places: int | None = None,
    start_time: time | None = None,
    venue: str = "",
) -> TrainingSession:
    """Change a session; its reference never changes. Audited with old and new values."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    before = _snapshot(session)
    audiences = list(audiences)
    if new_organisation.strip():
        audiences.append(organisation_add(actor=actor, name=new_organisation))
    session.date = date
    session.course = course
    session.bespoke_title = _check_title(course, bespoke_title)
    session.format = format
    session.external_trainers = external_trainers.strip()
    session.district = district
    session.attendees = attendees
    session.notes = notes.strip()
    session.booking_open = booking_open
    session.places = places
    session.start_time = start_time
    session.venue = venue.strip()
    session.save()
    session.trainers.set(trainers)
    session.audiences.set(audiences)
    changes = changes_between(before, _snapshot(session))
    if changes:
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.UPDATE,
            summary=f"Changed training session {session}",
            target=session,
            changes=changes,
        )
    return session


@transaction.atomic
def session_delete(*, actor, session: TrainingSession) -> None:
    """Delete a session and its evaluations. Audited with what was deleted."""
    snapshot = _snapshot(session)
    snapshot["evaluations"] = session.evaluations.count()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=f"Deleted training session {session}",
        target=session,
        changes=changes_between(snapshot, {}),
    )
    session.delete()


@transaction.atomic
def sessions_export_record(*, actor, count: int, file_format: str, filters: str) -> None:
    """Audit an export of the session list (CSV or XLSX)."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Exported {counted(count, 'training session')} as {file_format.upper()}",
        target=("training.trainingsession", "list"),
        changes={"filters": filters, "rows": count},
    )


# --------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------


@transaction.atomic
def course_save(*, actor, form) -> Course:
    """Add or change a course of the catalogue from a valid CourseForm. Audited."""
    creating = form.instance._state.adding
    fields = list(form.cleaned_data)
    before = {} if creating else Course.objects.filter(pk=form.instance.pk).values(*fields)[0]
    course = form.save()
    after = {name: getattr(course, name) for name in fields}
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE if creating else AuditEvent.Verb.UPDATE,
        summary=f"{'Added' if creating else 'Changed'} course {course}",
        target=course,
        changes=changes_between(before, after),
    )
    return course


# --------------------------------------------------------------------------------------
# Evaluations
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationData:
    met_expectations: str
    value_to_role: str
    comment: str = ""
    quotable: bool = False


@transaction.atomic
def evaluations_add(
    *, actor, session: TrainingSession, evaluations: list[EvaluationData], how: str = "entered"
) -> list[Evaluation]:
    """Add evaluations to a session (one, or a batch from the table). Audited once."""
    if not evaluations:
        return []
    created = Evaluation.objects.bulk_create(
        [
            Evaluation(
                session=session,
                met_expectations=item.met_expectations,
                value_to_role=item.value_to_role,
                comment=item.comment.strip(),
                quotable=item.quotable,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for item in evaluations
        ]
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=(
            f"Added {counted(len(created), 'evaluation')} of training session {session.reference}"
        ),
        target=session,
        changes={"evaluations": {"old": None, "new": len(created)}, "how": how},
    )
    return created


@transaction.atomic
def evaluation_delete(*, actor, evaluation: Evaluation) -> None:
    """Remove one evaluation (entered by mistake). Audited."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=f"Deleted an evaluation of training session {evaluation.session.reference}",
        target=evaluation,
        changes=changes_between(
            {
                "met_expectations": evaluation.met_expectations,
                "value_to_role": evaluation.value_to_role,
                "comment": evaluation.comment,
                "quotable": evaluation.quotable,
            },
            {},
        ),
    )
    evaluation.delete()
