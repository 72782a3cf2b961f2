"""Every change to education data goes through here, audited in the same transaction.

Callers hold education.manage (checked by the view or given by the management command).
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings as django_settings
from django.db import models, transaction
from django.utils import timezone

from education.choices import SessionFormat
from education.models import (
    AudienceCategory,
    OutreachSession,
    PendingImport,
    RegisterLocalAuthority,
    Setting,
)
from governance.models import District
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import (
    audit_record,
    audited_form_save,
    changes_between,
    snapshot,
)
from prevent_portal.ui.uploads import (
    ImportRowsError,
    UploadError,
    max_rows_setting,
    parse_date,
    parse_whole_number,
    read_csv,
)
from prevent_portal.ui.words import named_list

# A national GIAS extract is about 60MB; only the partnership's rows are kept.
REGISTER_MAX_BYTES = 100 * 1024 * 1024
# Rows of the file, most of them other local authorities' (counted and left out); the
# rows kept are at most settings.IMPORT_MAX_ROWS, like any import.
REGISTER_FILE_MAX_ROWS = 200_000


# --------------------------------------------------------------------------------------
# Records saved from forms (settings, sessions, enquiries, newsletters)
# --------------------------------------------------------------------------------------


@transaction.atomic
def record_save(*, actor, form) -> models.Model:
    """Save a setting, outreach session, enquiry or newsletter from a valid ModelForm.
    Callers: holders of education.manage. Audited (none of it is about a person)."""
    return audited_form_save(actor=actor, form=form)


@transaction.atomic
def session_delete(*, actor, session: OutreachSession) -> None:
    """Delete an outreach session. Callers: holders of education.manage. The audit event
    keeps what the session was."""
    fields = ["date", "peo", "audience", "settings", "attendees", "format", "topic"]
    before = snapshot(session, fields)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=f"Deleted outreach session {session}",
        target=session,
        changes=changes_between(before, dict.fromkeys(fields)),
    )
    session.delete()


@transaction.atomic
def export_record(*, actor, what: str, count: int, kind: str) -> None:
    """Audit an export of education records. Callers: views holding education.view."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Exported {count} {what} as {kind.upper()}",
        target=("education.export", what),
        changes={"rows": count, "format": kind},
    )


# --------------------------------------------------------------------------------------
# The register of settings: GIAS extract or a simple CSV
# --------------------------------------------------------------------------------------

# GIAS column (lower-cased) -> Setting field. Every other column of the extract is ignored.
GIAS_COLUMNS = {
    "urn": "urn",
    "establishmentname": "name",
    "typeofestablishment (name)": "establishment_type",
    "phaseofeducation (name)": "phase",
    "la (name)": "local_authority",
    "districtadministrative (name)": "district",
    "postcode": "postcode",
    "establishmentstatus (name)": "status",
}
SIMPLE_COLUMNS = ("urn", "name", "phase", "district")
REGISTER_FIELDS = (
    "name",
    "establishment_type",
    "phase",
    "local_authority",
    "district_id",
    "postcode",
    "status",
    "is_open",
)
MAX_URN = 99_999_999


def _sentence(problems: list[str]) -> str:
    text = "; ".join(problems)
    return text[:1].upper() + text[1:]


def normalise_name(text: str) -> str:
    """'Folkestone & Hythe', 'folkestone  and hythe' -> 'folkestone and hythe'."""
    text = text.lower().replace("&", " and ").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


def _district_lookup() -> dict[str, District]:
    return {normalise_name(d.name): d for d in District.objects.all()}


def _parse_urn(text: str) -> int | None:
    urn = parse_whole_number(text, max_digits=8)
    if urn is None or not 0 < urn <= MAX_URN:
        return None
    return urn


@dataclass
class RegisterFile:
    """A register file read and checked; nothing written yet."""

    kind: str  # "gias" or "simple"
    rows: list[dict]  # Setting field values, only those the file provides
    left_out: int  # rows of other local authorities
    no_district: int  # kept rows whose district matched no district of ours
    sha256: str


def register_file_read(data: bytes) -> RegisterFile:
    """Read a GIAS establishment extract or a simple `urn,name,phase,district` CSV.

    Raises UploadError for a file that cannot be read or lacks columns, ImportRowsError
    listing every bad row with its line number.
    """
    csv_file = read_csv(
        data,
        max_bytes=REGISTER_MAX_BYTES,
        max_rows=getattr(django_settings, "REGISTER_FILE_MAX_ROWS", REGISTER_FILE_MAX_ROWS),
        columns=set(GIAS_COLUMNS) | set(SIMPLE_COLUMNS),  # of ~130 columns, the 8 used
    )
    header = set(csv_file.header)
    if header & (set(GIAS_COLUMNS) - {"urn", "postcode"}):
        kind, wanted = "gias", list(GIAS_COLUMNS)
    elif {"urn", "name"} <= header:
        kind, wanted = "simple", list(SIMPLE_COLUMNS)
    else:
        raise UploadError(
            "The selected file must be a GIAS establishment extract, or a CSV with the "
            "columns urn, name, phase, district"
        )
    missing = [name for name in wanted if name not in header]
    if missing:
        raise UploadError("The selected file is missing the " + named_list(missing, "column"))
    if not csv_file.rows:
        raise UploadError("The selected file has no settings in it")

    authorities = {a.name.strip().lower() for a in RegisterLocalAuthority.objects.all()}
    districts = _district_lookup()
    errors: list[tuple[int, str]] = []
    rows: list[dict] = []
    seen: dict[int, int] = {}
    left_out = no_district = kept = 0
    most = max_rows_setting()
    for line, raw in csv_file.rows:
        if kind == "gias":
            values = {field: raw[column].strip() for column, field in GIAS_COLUMNS.items()}
            if values["local_authority"].lower() not in authorities:
                left_out += 1
                continue
        else:
            values = {field: raw[field].strip() for field in SIMPLE_COLUMNS}
        kept += 1
        if kept > most:
            raise UploadError(
                f"The selected file must have at most {most:,} settings of the "
                "partnership's local authorities"
            )
        problems = []
        urn = _parse_urn(values["urn"])
        if urn is None:
            problems.append("the URN must be a whole number, for example 118712")
        elif urn in seen:
            problems.append(f"URN {urn} is also on line {seen[urn]}")
        else:
            seen[urn] = line
        if not values["name"]:
            problems.append("enter the name of the setting")
        elif len(values["name"]) > 255:
            problems.append("the name must be 255 characters or fewer")
        for field, limit in (
            ("establishment_type", 120),
            ("phase", 120),
            ("local_authority", 120),
            ("postcode", 12),
            ("status", 60),
        ):
            if len(values.get(field, "")) > limit:
                label = field.replace("_", " ")
                problems.append(f"the {label} must be {limit} characters or fewer")
        district = None
        district_name = values.pop("district")
        if district_name:
            district = districts.get(normalise_name(district_name))
            if district is None and kind == "simple":
                problems.append(f"unknown district '{district_name}'")
        if problems:
            errors.append((line, _sentence(problems)))
            continue
        if district is None and kind == "gias":
            no_district += 1
        values["urn"] = urn
        values["district_id"] = district.pk if district else None
        if kind == "gias":
            values["is_open"] = values["status"].lower().startswith("open")
        rows.append(values)
    if errors:
        raise ImportRowsError(errors)
    if not rows:
        raise UploadError(
            "The selected file has no settings of the partnership's local authorities ("
            + ", ".join(sorted(a.title() for a in authorities))
            + ")"
        )
    return RegisterFile(
        kind=kind, rows=rows, left_out=left_out, no_district=no_district, sha256=csv_file.sha256
    )


@dataclass
class RegisterChanges:
    new: list[Setting]
    updated: list[Setting]
    unchanged: int
    changed_fields: set[str]


def register_changes(rows: list[dict]) -> RegisterChanges:
    """What importing `rows` would do to the register. URN is the key."""
    existing = Setting.objects.in_bulk([row["urn"] for row in rows], field_name="urn")
    new, updated, unchanged, changed_fields = [], [], 0, set()
    for row in rows:
        setting = existing.get(row["urn"])
        if setting is None:
            new.append(Setting(**row))
            continue
        changed = {
            field
            for field in REGISTER_FIELDS
            if field in row and getattr(setting, field) != row[field]
        }
        if changed:
            for field in changed:
                setattr(setting, field, row[field])
            changed_fields |= changed
            updated.append(setting)
        else:
            unchanged += 1
    return RegisterChanges(new, updated, unchanged, changed_fields)


@transaction.atomic
def register_import_prepare(*, actor, data: bytes, filename: str = "") -> PendingImport:
    """Read an uploaded register file and keep its rows for the preview. Callers: holders
    of education.manage. Writes nothing to the register. Raises as register_file_read."""
    register_file = register_file_read(data)
    PendingImport.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    return PendingImport.objects.create(
        uploaded_by=actor,
        filename=filename[:255],
        sha256=register_file.sha256,
        kind=register_file.kind,
        rows=register_file.rows,
        left_out=register_file.left_out,
        no_district=register_file.no_district,
    )


@dataclass
class RegisterImportResult:
    new: int
    updated: int
    unchanged: int
    left_out: int
    no_district: int


def _register_apply(*, actor, rows, left_out, no_district, filename, sha256, kind):
    changes = register_changes(rows)
    Setting.objects.bulk_create(changes.new, batch_size=500)
    if changes.updated:
        Setting.objects.bulk_update(
            changes.updated, sorted(changes.changed_fields | {"updated_at"}), batch_size=500
        )
    result = RegisterImportResult(
        new=len(changes.new),
        updated=len(changes.updated),
        unchanged=changes.unchanged,
        left_out=left_out,
        no_district=no_district,
    )
    audit_record(
        actor=actor,
        actor_username="system",
        verb=AuditEvent.Verb.IMPORT,
        summary=(
            f"Imported the register of settings: {result.new} new, {result.updated} "
            f"updated, {result.unchanged} unchanged, {result.left_out} left out"
        ),
        target=("education.setting", "register"),
        changes={"file": filename, "sha256": sha256, "kind": kind, **result.__dict__},
    )
    return result


@transaction.atomic
def register_import_confirm(*, actor, pending: PendingImport) -> RegisterImportResult:
    """Apply a previewed register file. Callers: holders of education.manage. Creates and
    updates settings by URN (never duplicates), audits once, deletes the pending file."""
    pending = PendingImport.objects.select_for_update().get(pk=pending.pk)
    for row in pending.rows:
        row.setdefault("district_id", None)
    result = _register_apply(
        actor=actor,
        rows=pending.rows,
        left_out=pending.left_out,
        no_district=pending.no_district,
        filename=pending.filename,
        sha256=pending.sha256,
        kind=pending.kind,
    )
    pending.delete()
    return result


@transaction.atomic
def register_import(*, actor, data: bytes, filename: str = "") -> RegisterImportResult:
    """Import a register file in one step (the import_settings command). All or nothing:
    raises UploadError or ImportRowsError and writes nothing when the file is bad."""
    register_file = register_file_read(data)
    return _register_apply(
        actor=actor,
        rows=register_file.rows,
        left_out=register_file.left_out,
        no_district=register_file.no_district,
        filename=filename,
        sha256=register_file.sha256,
        kind=register_file.kind,
    )


# --------------------------------------------------------------------------------------
# Outreach sessions from CSV
# --------------------------------------------------------------------------------------

OUTREACH_COLUMNS = ("date", "audience", "settings", "attendees", "format", "topic")


@dataclass
class OutreachImportResult:
    created: int
    already_imported: int


def _format_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in SessionFormat.choices:
        lookup[value] = value
        lookup[label.lower()] = value
        lookup[label.lower().replace("-", " ")] = value
    return lookup


def _setting_lookup() -> tuple[dict[int, int], dict[str, list[int]]]:
    by_urn, by_name = {}, {}
    for pk, urn, name in Setting.objects.values_list("pk", "urn", "name"):
        by_urn[urn] = pk
        by_name.setdefault(name.strip().lower(), []).append(pk)
    return by_urn, by_name


def _source_key(*parts) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


@transaction.atomic
def outreach_import(*, actor, peo, data: bytes, filename: str = "") -> OutreachImportResult:
    """Import outreach sessions delivered by `peo` from CSV (columns OUTREACH_COLUMNS and
    an optional notes). Callers: holders of education.manage, or the
    import_outreach_sessions command. All or nothing: raises UploadError for an
    unreadable file, ImportRowsError listing every bad row. A row already imported (same
    date, audience, settings, attendees, format and topic) is not created again.
    """
    csv_file = read_csv(data, required=set(OUTREACH_COLUMNS))
    if not csv_file.rows:
        raise UploadError("The selected file has no sessions in it")
    audiences = {a.name.strip().lower(): a for a in AudienceCategory.objects.all()}
    formats = _format_lookup()
    by_urn, by_name = _setting_lookup()
    has_notes = "notes" in csv_file.header
    errors: list[tuple[int, str]] = []
    planned: list[tuple[OutreachSession, list[int]]] = []
    keys: set[str] = set()
    for line, row in csv_file.rows:
        problems = []
        when = parse_date(row["date"])
        if when is None:
            problems.append("enter the date as YYYY-MM-DD or DD/MM/YYYY")
        audience = audiences.get(row["audience"].strip().lower())
        if audience is None:
            problems.append(f"unknown audience '{row['audience'].strip()}'")
        setting_ids: list[int] = []
        tokens = [token.strip() for token in row["settings"].split(";") if token.strip()]
        if not tokens:
            problems.append("enter the settings reached (URNs or names separated by ;)")
        for token in tokens:
            if token.isdigit():  # any digits: a URN, or an error if not ASCII or too long
                urn = parse_whole_number(token, max_digits=8)
                pk = by_urn.get(urn) if urn is not None and urn <= MAX_URN else None
                if pk is None:
                    problems.append(f"unknown URN {token}")
                else:
                    setting_ids.append(pk)
                continue
            matches = by_name.get(token.lower(), [])
            if not matches:
                problems.append(f"unknown setting '{token}'")
            elif len(matches) > 1:
                problems.append(f"more than one setting is called '{token}': use the URN")
            else:
                setting_ids.append(matches[0])
        attendees_text = row["attendees"].strip()
        attendees = parse_whole_number(attendees_text)
        if attendees is None or attendees > 100_000:
            problems.append("attendees must be a whole number, 0 or more")
        session_format = formats.get(row["format"].strip().lower())
        if session_format is None:
            problems.append(f"unknown format '{row['format'].strip()}'")
        topic = row["topic"].strip()
        if not topic:
            problems.append("enter the topic")
        elif len(topic) > 255:
            problems.append("the topic must be 255 characters or fewer")
        if problems:
            errors.append((line, _sentence(problems)))
            continue
        setting_ids = sorted(set(setting_ids))
        key = _source_key(
            when.isoformat(), audience.pk, ",".join(map(str, setting_ids)), attendees,
            session_format, topic.lower(),
        )  # fmt: skip
        if key in keys:
            continue  # the same session twice in one file
        keys.add(key)
        session = OutreachSession(
            date=when,
            peo=peo,
            audience=audience,
            attendees=attendees,
            format=session_format,
            topic=topic,
            notes=row["notes"].strip() if has_notes else "",
            source_key=key,
        )
        planned.append((session, setting_ids))
    if errors:
        raise ImportRowsError(errors)
    done = set(
        OutreachSession.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
    )
    fresh = [(session, ids) for session, ids in planned if session.source_key not in done]
    OutreachSession.objects.bulk_create([session for session, _ids in fresh], batch_size=500)
    through = OutreachSession.settings.through
    through.objects.bulk_create(
        [
            through(outreachsession_id=session.pk, setting_id=setting_id)
            for session, ids in fresh
            for setting_id in ids
        ],
        batch_size=1000,
    )
    result = OutreachImportResult(created=len(fresh), already_imported=len(planned) - len(fresh))
    audit_record(
        actor=actor,
        actor_username="system",
        verb=AuditEvent.Verb.IMPORT,
        summary=f"Imported {result.created} outreach sessions",
        target=("education.outreachsession", "import"),
        changes={"file": filename, "sha256": csv_file.sha256, "peo": str(peo), **result.__dict__},
    )
    return result
