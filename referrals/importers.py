"""Importing a team's earlier referrals from the spreadsheet it kept (a CSV file).

Every row is checked before anything is written: a file with any bad row imports nothing
and every bad row is reported with its line number (ImportRowsError). A good file is
imported in one transaction: people are matched (same given and family names, any case,
and the same date of birth) or created; each referral gets its reference (the one given,
if well formed and unused, or the next of its year) and one journey event "imported" that
takes it to the status reached, with the date it left the process, so that its disposal
review date is computed. The audit log gets one event for the file, with counts only.
"""

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import District
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.uploads import (
    CsvFile,
    ImportRowsError,
    UploadError,
    max_rows_setting,
    parse_date,
    parse_whole_number,
    read_csv,
)
from prevent_portal.ui.words import counted
from referrals import transitions
from referrals.choices import PersonAware, ReferralStatus
from referrals.models import (
    ConcernType,
    Outcome,
    Person,
    ReferenceCounter,
    Referral,
    ReferralEvent,
    ReferralImport,
    Sector,
    Sex,
)
from referrals.reference import scheme_for
from referrals.services import OUTCOME_OF_STATUS, add_years, retention_years

REQUIRED_COLUMNS = {
    "given_names",
    "family_name",
    "sex",
    "sector",
    "concern_types",
    "date_received",
}
OPTIONAL_COLUMNS = {
    "reference",
    "date_of_birth",
    "approximate_age",
    "district",
    "address",
    "nationality",
    "first_language",
    "setting",
    "main_concern",
    "status",
    "status_date",
    "left_process_on",
    "outcome",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_contact",
    "concerns",
    "complex_needs",
    "other_information",
    "person_aware",
    "police_reference",
}
REFERENCE = re.compile(r"PR-(\d{4})-(\d{4,6})")

# Statuses at which a case has left the process (its retention period has started).
LEFT = transitions.LEAVES_PROCESS | {ReferralStatus.POST_EXIT_REVIEW, ReferralStatus.CLOSED}
# The Home Office outcome of a status reached, when the file gives none.
ADOPTED = "Adopted as a Channel case"
PANEL = "Discussed at a Channel panel"
OUTCOME_REACHED = {
    **OUTCOME_OF_STATUS,
    ReferralStatus.CONSENT: PANEL,
    ReferralStatus.NOT_ADOPTED: PANEL,
    ReferralStatus.CONSENT_DECLINED: PANEL,
    ReferralStatus.REVIEWED: ADOPTED,
    ReferralStatus.EXIT: ADOPTED,
    ReferralStatus.POST_EXIT_REVIEW: ADOPTED,
    ReferralStatus.CLOSED: ADOPTED,
}
# Text fields and their longest values (the model's limits).
LIMITS = {
    "given_names": 150,
    "family_name": 150,
    "nationality": 100,
    "first_language": 100,
    "setting": 300,
    "referrer_name": 200,
    "referrer_role": 200,
    "referrer_organisation": 200,
    "referrer_contact": 300,
    "police_reference": 60,
}


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().lower()


def _lookup(pairs) -> dict[str, str]:
    table = {}
    for code, label in pairs:
        table[_norm(code)] = code
        table[_norm(label)] = code
    return table


STATUSES = _lookup(ReferralStatus.choices)
AWARE = _lookup(PersonAware.choices) | {"y": "yes", "n": "no", "": PersonAware.NOT_KNOWN}


@dataclass
class ImportRow:
    line: int
    errors: list[str] = field(default_factory=list)
    reference: str = ""
    person_values: dict = field(default_factory=dict)
    referral_values: dict = field(default_factory=dict)
    types: list = field(default_factory=list)
    primary: ConcernType | None = None
    status: str = ReferralStatus.RECEIVED
    status_date: dt.date | None = None
    left_process_on: dt.date | None = None
    outcome: Outcome | None = None

    @property
    def date_received(self):
        return self.referral_values.get("date_received")

    @property
    def status_label(self) -> str:
        return ReferralStatus(self.status).label if self.status else ""

    def match_key(self):
        values = self.person_values
        if values.get("date_of_birth") is None:
            return None  # without a date of birth nobody is matched: a new person
        return (
            values["given_names"].lower(),
            values["family_name"].lower(),
            values["date_of_birth"],
        )


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    people_matched: int = 0
    people_new: int = 0

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(row.line, "; ".join(row.errors)) for row in self.rows if row.errors]


class _Reference:
    """The reference data, read once for the whole file."""

    def __init__(self):
        self.sexes = {_norm(item.name): item for item in Sex.objects.all()}
        self.sectors = {_norm(item.name): item for item in Sector.objects.all()}
        self.districts = {_norm(item.name): item for item in District.objects.all()}
        self.outcomes = {_norm(item.name): item for item in Outcome.objects.all()}
        self.types: dict[tuple[str, str], ConcernType] = {
            (item.scheme, _norm(item.name)): item for item in ConcernType.objects.all()
        }

    @staticmethod
    def in_use(table, text, what, row):
        if not text:
            return None
        item = table.get(_norm(text))
        if item is None or not item.is_active:
            row.errors.append(f"“{text}” is not a {what} in use")
            return None
        return item


def _date(text, what, row, *, required=False):
    if not text:
        if required:
            row.errors.append(f"enter the {what}")
        return None
    value = parse_date(text)
    if value is None:
        row.errors.append(f"the {what} “{text}” is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    elif value > timezone.localdate():
        row.errors.append(f"the {what} must be today or in the past")
        return None
    return value


def _check_row(line: int, raw: dict[str, str], ref: _Reference) -> ImportRow:
    text = {name: (value or "").strip() for name, value in raw.items()}
    row = ImportRow(line=line)
    for name, limit in LIMITS.items():
        if len(text.get(name, "")) > limit:
            row.errors.append(f"{name} must be {limit} characters or fewer")
    for name in ("given_names", "family_name"):
        if not text.get(name):
            row.errors.append(f"enter the {name.replace('_', ' ')}")
    born = _date(text.get("date_of_birth"), "date of birth", row)
    age = None
    if text.get("approximate_age"):
        age = parse_whole_number(text["approximate_age"], max_digits=3)
        if age is None or age > 120:
            row.errors.append("approximate_age must be a whole number, 0 to 120")
            age = None
    if born and age is not None:
        row.errors.append("give either the date of birth or an approximate age, not both")
    sex = ref.in_use(ref.sexes, text.get("sex"), "sex", row)
    if not text.get("sex"):
        row.errors.append("enter the sex (or Not known)")
    district = ref.in_use(ref.districts, text.get("district"), "district", row)
    sector = ref.in_use(ref.sectors, text.get("sector"), "sector", row)
    if not text.get("sector"):
        row.errors.append("enter the sector of referral")
    received = _date(text.get("date_received"), "date received", row, required=True)
    if received and born and received < born:
        row.errors.append("the date received must be on or after the date of birth")

    # Types of concern: names of the Home Office list in force on the date received.
    names = [name.strip() for name in text.get("concern_types", "").split(";") if name.strip()]
    if not names:
        row.errors.append("enter at least one type of concern (separate several with ;)")
    if received:
        scheme = scheme_for(received)
        for name in names:
            item = ref.types.get((scheme, _norm(name)))
            if item is None or not item.is_active:
                row.errors.append(
                    f"“{name}” is not a type of concern in use in the list for {received:%Y}"
                )
            elif item not in row.types:
                row.types.append(item)
        main = text.get("main_concern", "")
        if main:
            row.primary = ref.types.get((scheme, _norm(main)))
            if row.primary is None or row.primary not in row.types:
                row.errors.append(f"the main concern “{main}” must be one of the types given")
        elif len(row.types) == 1:
            row.primary = row.types[0]
        elif len(row.types) > 1:
            row.errors.append("enter the main_concern (several types are given)")

    # The journey: the status reached, when, and when the case left the process.
    status_text = text.get("status", "")
    row.status = STATUSES.get(_norm(status_text), "") if status_text else ReferralStatus.RECEIVED
    if not row.status:
        row.errors.append(f"“{status_text}” is not a status")
    row.left_process_on = _date(text.get("left_process_on"), "date it left the process", row)
    row.status_date = _date(text.get("status_date"), "status date", row)
    if row.status in LEFT and row.left_process_on is None and not text.get("left_process_on"):
        row.errors.append("enter left_process_on, the date the case left the process")
    if row.status and row.status not in LEFT and text.get("left_process_on"):
        row.errors.append("left_process_on is only for a case that has left the process")
    if row.status_date is None:
        row.status_date = row.left_process_on or received
    if received:
        for day, what in ((row.left_process_on, "date it left"), (row.status_date, "status date")):
            if day and day < received:
                row.errors.append(f"the {what} must be on or after the date received")
    if row.left_process_on and row.status_date and row.status_date < row.left_process_on:
        row.errors.append("the status date must be on or after the date it left the process")
    outcome_text = text.get("outcome", "")
    if outcome_text:
        row.outcome = ref.in_use(ref.outcomes, outcome_text, "outcome", row)
    elif row.status in OUTCOME_REACHED:
        row.outcome = ref.outcomes.get(_norm(OUTCOME_REACHED[row.status]))

    aware = AWARE.get(_norm(text.get("person_aware", "")))
    if aware is None:
        row.errors.append("person_aware must be yes, no or not known")

    reference = text.get("reference", "").upper()
    if reference:
        match = REFERENCE.fullmatch(reference)
        if match is None:
            row.errors.append(f"the reference “{reference}” must look like PR-2024-0012")
        elif received and int(match.group(1)) != received.year:
            row.errors.append("the year of the reference must be the year of the date received")
        row.reference = reference

    row.person_values = {
        "given_names": " ".join(text.get("given_names", "").split()),
        "family_name": " ".join(text.get("family_name", "").split()),
        "date_of_birth": born,
        "approximate_age": age,
        "approximate_age_on": received if age is not None else None,
        "sex": sex,
        "address": text.get("address", ""),
        "district": district,
        "nationality": text.get("nationality", ""),
        "first_language": text.get("first_language", ""),
        "setting": text.get("setting", ""),
    }
    row.referral_values = {
        "date_received": received,
        "sector": sector,
        "person_aware": aware,
        "police_reference": text.get("police_reference", ""),
        "referrer_name": text.get("referrer_name", ""),
        "referrer_role": text.get("referrer_role", ""),
        "referrer_organisation": text.get("referrer_organisation", ""),
        "referrer_contact": text.get("referrer_contact", ""),
        "concerns": text.get("concerns", ""),
        "complex_needs": text.get("complex_needs", ""),
        "other_information": text.get("other_information", ""),
    }
    return row


def _existing_people(rows) -> dict:
    keys = {row.match_key() for row in rows if not row.errors and row.match_key()}
    if not keys:
        return {}
    found = {}
    births = {key[2] for key in keys}
    for person in Person.objects.filter(date_of_birth__in=births).only(
        "id", "given_names", "family_name", "date_of_birth", "version"
    ):
        key = (person.given_names.lower(), person.family_name.lower(), person.date_of_birth)
        if key in keys:
            found.setdefault(key, person)
    return found


def preview_rows(csv_file: CsvFile) -> ImportPreview:
    """Check every row; count the people matched and to create. Reads the reference data
    and the references and people it needs in a fixed number of queries."""
    if not csv_file.rows:
        raise UploadError("The selected file has no rows of referrals")
    if len(csv_file.rows) > max_rows_setting():
        raise UploadError(f"The selected file must have at most {max_rows_setting():,} rows")
    ref = _Reference()
    rows = [_check_row(line, raw, ref) for line, raw in csv_file.rows]
    given = [row.reference for row in rows if row.reference]
    taken = set(Referral.objects.filter(reference__in=given).values_list("reference", flat=True))
    seen = set()
    for row in rows:
        if not row.reference:
            continue
        if row.reference in taken:
            row.errors.append(f"the reference {row.reference} is already in use")
        elif row.reference in seen:
            row.errors.append(f"the reference {row.reference} is given twice in the file")
        seen.add(row.reference)
    existing = _existing_people(rows)
    keys_seen, matched, new = set(), set(), 0
    for row in rows:
        if row.errors:
            continue
        key = row.match_key()
        if key is not None and key in existing:
            matched.add(key)
        elif key is None or key not in keys_seen:
            new += 1
        if key is not None:
            keys_seen.add(key)
    return ImportPreview(rows=rows, people_matched=len(matched), people_new=new)


def _issue_references(rows: list[ImportRow]) -> None:
    """References for rows without one; each year's counter moves past every reference
    given in the file, so that a later intake never issues one of them again."""
    years = {row.date_received.year for row in rows}
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=year) for year in years], ignore_conflicts=True
    )
    counters = {
        c.year: c for c in ReferenceCounter.objects.select_for_update().filter(year__in=years)
    }
    for row in rows:
        if row.reference:
            year, number = (int(part) for part in REFERENCE.fullmatch(row.reference).groups())
            counters[year].last = max(counters[year].last, number)
    for row in rows:
        if not row.reference:
            counter = counters[row.date_received.year]
            counter.last += 1
            row.reference = f"PR-{counter.year}-{counter.last:04d}"
    ReferenceCounter.objects.bulk_update(counters.values(), ["last"])


def _write(*, actor, rows: list[ImportRow], source: str) -> dict:
    user = actor if getattr(actor, "is_authenticated", False) else None
    _issue_references(rows)
    existing = _existing_people(rows)
    people, new_people = {}, []
    for row in rows:
        key = row.match_key()
        person = existing.get(key) if key else None
        if person is None and key is not None:
            person = people.get(key)
        if person is None:
            person = Person(id=uuid.uuid4(), **row.person_values)
            new_people.append(person)
            if key is not None:
                people[key] = person
        row.person = person
    Person.objects.bulk_create(new_people, batch_size=500)
    referrals, events, links = [], [], []
    retention = retention_years()
    through = Referral.concern_types.through
    for row in rows:
        referral = Referral(
            id=uuid.uuid4(),
            reference=row.reference,
            person=row.person,
            status=row.status,
            primary_concern=row.primary,
            outcome=row.outcome,
            left_process_on=row.left_process_on,
            disposal_due_on=add_years(row.left_process_on, retention)
            if row.left_process_on
            else None,
            created_by=user,
            **row.referral_values,
        )
        referrals.append(referral)
        links += [through(referral_id=referral.pk, concerntype_id=item.pk) for item in row.types]
        events.append(
            ReferralEvent(
                referral=referral,
                from_status=ReferralStatus.RECEIVED,
                to_status=row.status,
                occurred_on=row.status_date,
                reason="",
                details={
                    "imported": source,
                    "left_process_on": row.left_process_on.isoformat()
                    if row.left_process_on
                    else None,
                },
                actor=user,
            )
        )
    try:
        with transaction.atomic():
            Referral.objects.bulk_create(referrals, batch_size=500)
    except IntegrityError as error:  # a reference taken at the same moment
        raise UploadError(
            "A reference in the file was issued while the file was being imported: "
            "nothing was imported. Upload it again."
        ) from error
    through.objects.bulk_create(links, batch_size=1000)
    ReferralEvent.objects.bulk_create(events, batch_size=500)
    new_ids = {person.pk for person in new_people}
    return {
        "referrals": len(referrals),
        "people_new": len(new_people),
        "people_matched": len({row.person.pk for row in rows if row.person.pk not in new_ids}),
    }


def import_upload(*, actor, data: bytes) -> ReferralImport:
    """Keep an uploaded file for its preview (supervisors). Raises UploadError for a file
    that cannot be read or that was imported before (the same bytes)."""
    csv_file = read_csv(data, required=REQUIRED_COLUMNS)
    # Files previewed but never confirmed are not kept beyond a day (they hold personal data).
    ReferralImport.objects.filter(
        status=ReferralImport.Status.PENDING,
        uploaded_at__lt=timezone.now() - dt.timedelta(days=1),
    ).delete()
    if ReferralImport.objects.filter(
        sha256=csv_file.sha256, status=ReferralImport.Status.IMPORTED
    ).exists():
        raise UploadError("This file has already been imported")
    return ReferralImport.objects.create(
        sha256=csv_file.sha256,
        content=data,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def load_preview(upload: ReferralImport) -> ImportPreview:
    return preview_rows(read_csv(bytes(upload.content), required=REQUIRED_COLUMNS))


@transaction.atomic
def referrals_import(*, actor, upload: ReferralImport) -> dict:
    """Import the referrals of an uploaded file: all rows or none. For supervisors
    (CASES_SUPERVISE; the command runs as the system). Raises ImportRowsError listing
    every bad row, or UploadError for a file that cannot be read or was imported already.
    Returns the counts; audited once, with counts only (never personal data).
    """
    upload = ReferralImport.objects.select_for_update().get(pk=upload.pk)
    if (
        upload.status == ReferralImport.Status.IMPORTED
        or ReferralImport.objects.filter(
            sha256=upload.sha256, status=ReferralImport.Status.IMPORTED
        ).exists()
    ):
        raise UploadError("This file has already been imported")
    preview = load_preview(upload)
    if preview.errors:
        raise ImportRowsError(preview.errors)
    counts = _write(actor=actor, rows=preview.rows, source=str(upload.pk))
    upload.status = ReferralImport.Status.IMPORTED
    upload.imported_count = counts["referrals"]
    upload.content = b""  # the referrals now hold the data; the file is not kept
    try:
        with transaction.atomic():
            upload.save()
    except IntegrityError as error:  # the same file imported at the same moment
        raise UploadError("This file has already been imported") from error
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.IMPORT,
        summary=(
            f"Imported {counted(counts['referrals'], 'earlier referral')}: "
            f"{counted(counts['people_new'], 'new person', 'new people')}, "
            f"{counts['people_matched']:,} matched"
        ),
        target=upload,
        changes={"sha256": upload.sha256, **counts},
    )
    return counts


def referrals_import_file(*, actor, data: bytes) -> dict:
    """Upload and import in one step (the management command)."""
    with transaction.atomic():
        upload = import_upload(actor=actor, data=data)
        return referrals_import(actor=actor, upload=upload)
