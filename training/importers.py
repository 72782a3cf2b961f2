"""Importing sessions and evaluations from the CSV files teams already keep.

Both importers validate every row before writing anything: a file with any bad row
imports nothing and every bad row is reported with its line number and reason.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import District, Partner
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.uploads import (
    CsvFile,
    UploadError,
    max_rows_setting,
    parse_whole_number,
    read_csv,
)
from prevent_portal.ui.words import counted
from training.choices import MetExpectations, SessionFormat, SessionSource, ValueToRole
from training.models import Course, SessionImport, TrainingSession
from training.services import (
    EvaluationData,
    ImportRowsError,
    RowError,
    TrainingError,
    evaluations_add,
    organisation_add,
    session_create,
)

SESSION_COLUMNS = {"date", "course", "format", "audience", "district", "attendees"}
EVALUATION_COLUMNS = {"session", "met_expectations", "value_to_role", "comment"}
MAX_ROWS = 5000  # sessions of one file (and settings.IMPORT_MAX_ROWS if fewer)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def _max_rows() -> int:
    return min(MAX_ROWS, max_rows_setting())


def _choice_lookup(choices) -> dict[str, str]:
    """Labels and codes, any case, with spaces, hyphens and underscores alike."""
    lookup = {}
    for code, label in choices:
        for text in (code, label):
            lookup[_norm(text)] = code
    return lookup


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().lower()


FORMATS = _choice_lookup(SessionFormat.choices) | {"face to face": SessionFormat.FACE_TO_FACE}
MET = _choice_lookup(MetExpectations.choices) | {"did not meet expectations": "did_not_meet"}
VALUE = _choice_lookup(ValueToRole.choices)


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a plain date
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------------------


@dataclass
class SessionRow:
    line: int
    raw: dict[str, str]
    errors: list[str] = field(default_factory=list)
    duplicate: bool = False
    date: dt.date | None = None
    course: Course | None = None
    bespoke_title: str = ""
    format: str = ""
    audience_names: list[str] = field(default_factory=list)
    district: District | None = None
    attendees: int | None = None
    notes: str = ""

    @property
    def title(self) -> str:
        return self.course.title if self.course else self.bespoke_title

    def key(self):
        return (
            self.date,
            self.course.pk if self.course else None,
            self.bespoke_title.lower(),
            self.format,
            self.district.pk if self.district else None,
            self.attendees,
        )


@dataclass
class SessionPreview:
    rows: list[SessionRow]
    new_organisations: list[str]

    @property
    def errors(self) -> list[RowError]:
        return [RowError(row.line, "; ".join(row.errors)) for row in self.rows if row.errors]

    @property
    def to_import(self) -> list[SessionRow]:
        return [row for row in self.rows if not row.errors and not row.duplicate]

    @property
    def duplicates(self) -> list[SessionRow]:
        return [row for row in self.rows if row.duplicate]


def _existing_key(session: TrainingSession):
    return (
        session.date,
        session.course_id,
        session.bespoke_title.lower(),
        session.format,
        session.district_id,
        session.attendees,
    )


def preview_sessions(csv_file: CsvFile) -> SessionPreview:
    """Check every row of a sessions file and flag rows identical to existing sessions.
    Reads the catalogue, districts and partners once, whatever the size of the file."""
    if not csv_file.rows:
        raise UploadError("The selected file has no rows of sessions")
    if len(csv_file.rows) > _max_rows():
        raise UploadError(f"The selected file must have at most {_max_rows():,} rows")
    courses = {course.title.lower(): course for course in Course.objects.all()}
    districts = {district.name.lower(): district for district in District.objects.all()}
    partners = {name.lower() for name in Partner.objects.values_list("name", flat=True)}
    rows, new_organisations = [], {}
    for line, raw in csv_file.rows:
        row = SessionRow(line=line, raw=raw)
        text = {name: (raw.get(name) or "").strip() for name in raw}
        row.date = parse_date(text.get("date", ""))
        if not text.get("date"):
            row.errors.append("enter the date")
        elif row.date is None:
            row.errors.append(f"“{text['date']}” is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
        course_name = text.get("course", "")
        if course_name:
            row.course = courses.get(" ".join(course_name.split()).lower())
            if row.course is None:
                row.errors.append(f"“{course_name}” is not a course of the catalogue")
        else:
            row.bespoke_title = text.get("title", "")[:200]
            if not row.bespoke_title:
                row.errors.append("enter the title of the bespoke input (the course is empty)")
        row.format = FORMATS.get(_norm(text.get("format", "")), "")
        if not row.format:
            row.errors.append(
                f"“{text.get('format', '')}” is not a format "
                "(face-to-face, virtual, webinar or e-learning)"
            )
        district_name = text.get("district", "")
        if district_name:
            row.district = districts.get(" ".join(district_name.split()).lower())
            if row.district is None:
                row.errors.append(f"“{district_name}” is not a district")
        row.attendees = parse_whole_number(text.get("attendees", ""))
        if row.attendees is None:
            row.errors.append("attendees must be a whole number, 0 or more")
        row.audience_names = [
            " ".join(name.split())[:200]
            for name in text.get("audience", "").split(";")
            if name.strip()
        ]
        row.notes = text.get("notes", "")
        rows.append(row)
    good = [row for row in rows if not row.errors]
    for row in good:
        for name in row.audience_names:
            if name.lower() not in partners:
                new_organisations.setdefault(name.lower(), name)
    dates = {row.date for row in good}
    existing = (
        {_existing_key(s) for s in TrainingSession.objects.filter(date__in=dates)}
        if dates
        else set()
    )
    for row in good:
        if row.key() in existing:
            row.duplicate = True
        existing.add(row.key())  # a row repeated within the file counts once
    return SessionPreview(rows=rows, new_organisations=sorted(new_organisations.values()))


def session_import_upload(*, actor, data: bytes, filename: str) -> SessionImport:
    """Keep an uploaded file for its preview. Raises UploadError for a file that cannot
    be read or that was imported before (same sha256)."""
    csv_file = read_csv(data, required=SESSION_COLUMNS, max_rows=_max_rows())
    # Files previewed but never confirmed are not kept beyond a day.
    SessionImport.objects.filter(
        status=SessionImport.Status.PENDING,
        uploaded_at__lt=timezone.now() - dt.timedelta(days=1),
    ).delete()
    if SessionImport.objects.filter(
        sha256=csv_file.sha256, status=SessionImport.Status.IMPORTED
    ).exists():
        raise UploadError("This file has already been imported")
    return SessionImport.objects.create(
        filename=filename[:255], sha256=csv_file.sha256, content=data, uploaded_by=actor
    )


def load_preview(upload: SessionImport) -> SessionPreview:
    return preview_sessions(
        read_csv(bytes(upload.content), required=SESSION_COLUMNS, max_rows=_max_rows())
    )


@transaction.atomic
def sessions_import(*, actor, upload: SessionImport) -> SessionPreview:
    """Import the sessions of an uploaded file: all rows or none. Rows identical to an
    existing session are skipped. New audience organisations are added (sector other).
    Raises ImportRowsError listing every bad row, or UploadError for an unreadable file.
    Callers: holders of training.manage. Audited once for the file.
    """
    upload = SessionImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status == SessionImport.Status.IMPORTED:
        raise UploadError("This file has already been imported")
    if SessionImport.objects.filter(
        sha256=upload.sha256, status=SessionImport.Status.IMPORTED
    ).exists():
        raise UploadError("This file has already been imported")
    preview = load_preview(upload)
    if preview.errors:
        raise ImportRowsError(preview.errors)
    organisations = {
        partner.name.lower(): partner
        for partner in Partner.objects.filter(
            name__in={name for row in preview.to_import for name in row.audience_names}
        )
    }
    # Names match any case: look up the rest case-insensitively (and add the new ones).
    for row in preview.to_import:
        for name in row.audience_names:
            if name.lower() not in organisations:
                organisations[name.lower()] = organisation_add(actor=actor, name=name)
    for row in preview.to_import:
        session_create(
            actor=actor,
            date=row.date,
            course=row.course,
            bespoke_title=row.bespoke_title,
            format=row.format,
            audiences=[organisations[name.lower()] for name in row.audience_names],
            district=row.district,
            attendees=row.attendees,
            notes=row.notes,
            source=SessionSource.IMPORTED,
            imported_from=upload,
            audit=False,
        )
    upload.status = SessionImport.Status.IMPORTED
    upload.imported_count = len(preview.to_import)
    upload.content = b""  # the sessions now hold the data; the file is not kept
    try:
        with transaction.atomic():
            upload.save()
    except IntegrityError as error:  # the same file imported at the same moment
        raise UploadError("This file has already been imported") from error
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.IMPORT,
        summary=(
            f"Imported {counted(len(preview.to_import), 'training session')} from {upload.filename}"
            f" ({len(preview.duplicates)} already recorded, skipped)"
        ),
        target=upload,
        changes={
            "sha256": upload.sha256,
            "imported": len(preview.to_import),
            "skipped": len(preview.duplicates),
            "new_organisations": preview.new_organisations,
        },
    )
    return preview


def sessions_import_file(*, actor, data: bytes, filename: str) -> SessionPreview:
    """Upload and import in one step (the management command)."""
    with transaction.atomic():
        upload = session_import_upload(actor=actor, data=data, filename=filename)
        return sessions_import(actor=actor, upload=upload)


# --------------------------------------------------------------------------------------
# Evaluations
# --------------------------------------------------------------------------------------


@transaction.atomic
def evaluations_import(*, actor, data: bytes, filename: str) -> int:
    """Import evaluations (columns session, met_expectations, value_to_role, comment,
    optional quotable; labels any case): all rows or none. Returns how many were added.
    Raises UploadError or ImportRowsError (every bad row, with its line number).
    """
    # Four evaluations a session at most, from the command line only (no request).
    csv_file = read_csv(data, required=EVALUATION_COLUMNS, max_rows=MAX_ROWS * 4)
    if not csv_file.rows:
        raise UploadError("The selected file has no rows of evaluations")
    references = {(raw.get("session") or "").strip().upper() for _line, raw in csv_file.rows}
    sessions = {s.reference: s for s in TrainingSession.objects.filter(reference__in=references)}
    errors, by_session = [], {}
    for line, raw in csv_file.rows:
        problems = []
        reference = (raw.get("session") or "").strip().upper()
        session = sessions.get(reference)
        if not reference:
            problems.append("enter the session reference")
        elif session is None:
            problems.append(f"“{reference}” is not the reference of a session")
        met = MET.get(_norm(raw.get("met_expectations") or ""))
        if met is None:
            problems.append("met_expectations must be did not meet, met or exceeded")
        value = VALUE.get(_norm(raw.get("value_to_role") or ""))
        if value is None:
            problems.append(
                "value_to_role must be not at all, slightly, moderately, very or extremely"
            )
        quotable_text = (raw.get("quotable") or "").strip().lower()
        if quotable_text not in YES | NO:
            problems.append("quotable must be yes or no")
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
            continue
        by_session.setdefault(session, []).append(
            EvaluationData(
                met_expectations=met,
                value_to_role=value,
                comment=(raw.get("comment") or "").strip(),
                quotable=quotable_text in YES,
            )
        )
    if errors:
        raise ImportRowsError(errors)
    total = 0
    for session, items in by_session.items():
        total += len(evaluations_add(actor=actor, session=session, evaluations=items, how="import"))
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.IMPORT,
        summary=f"Imported {counted(total, 'evaluation')} from {filename}",
        target=("training.evaluation", csv_file.sha256[:16]),
        changes={"sha256": csv_file.sha256, "imported": total, "sessions": len(by_session)},
    )
    return total


__all__ = [
    "ImportRowsError",
    "TrainingError",
    "UploadError",
    "evaluations_import",
    "preview_sessions",
    "session_import_upload",
    "sessions_import",
    "sessions_import_file",
]
