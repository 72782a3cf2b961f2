"""Every change to community records goes through here, audited in the same transaction.

Callers are views that have checked community.manage, or the management commands.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from community.choices import Ideology, IncidentKind, SummaryStatus
from community.models import Activity, Incident, NotableItem, TensionSummary
from governance.models import District, Partner
from governance.services import record_save
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import (
    audit_record,
    changes_between,
    plain_value,
)
from prevent_portal.ui.uploads import ImportRowsError, UploadError, parse_date, read_csv


class SummaryError(Exception):
    """An illegal change to a tension monitoring summary; the message is for the user."""


SUMMARY_FIELDS = ["week_commencing", "level", "themes", "districts", "platforms", "narrative"]
SUMMARY_FIELDS += ["distribution"]


def _summary_snapshot(summary: TensionSummary) -> dict:
    snapshot = {name: plain_value(getattr(summary, name)) for name in SUMMARY_FIELDS}
    snapshot["items"] = [
        f"{item.theme} | {item.district or ''} | {item.platform or ''} | {item.seen}"
        f" | {item.passed_to or ''} | {item.action_taken}"
        for item in summary.items.select_related("theme", "district", "platform", "passed_to")
    ]
    return snapshot


LOCKED_MESSAGE = (
    "This summary has been issued and cannot be changed. Make a correction to issue a new revision."
)


@transaction.atomic
def summary_save(*, actor, form, item_formset) -> TensionSummary:
    """Create a draft summary, or change a draft, with its notable items.

    Refuses (SummaryError) to change an issued revision or to add a second summary for a
    week. Audited with the old and new values.
    """
    instance = form.instance
    creating = instance._state.adding
    before = {}
    if not creating:
        current = TensionSummary.objects.select_for_update().get(pk=instance.pk)
        if current.is_issued:
            raise SummaryError(LOCKED_MESSAGE)
        before = _summary_snapshot(current)
    else:
        instance.created_by = actor
        week = form.cleaned_data["week_commencing"]
        if TensionSummary.objects.filter(week_commencing=week).exists():
            raise SummaryError(_duplicate_week_message(week))
    try:
        with transaction.atomic():
            summary = form.save()
    except IntegrityError as error:
        raise SummaryError(_duplicate_week_message(instance.week_commencing)) from error
    item_formset.instance = summary
    item_formset.save()
    after = _summary_snapshot(summary)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE if creating else AuditEvent.Verb.UPDATE,
        summary=f"{'Drafted' if creating else 'Changed'} tension monitoring summary {summary}",
        target=summary,
        changes=changes_between(before, after),
    )
    return summary


def _duplicate_week_message(week: date) -> str:
    return f"A summary for the week commencing {week:%-d %B %Y} already exists"


@transaction.atomic
def summary_issue(*, actor, summary: TensionSummary) -> TensionSummary:
    """Issue a draft summary to its distribution list. From then on it is locked.

    Issuing a correction marks the earlier issued revisions of the week as superseded.
    """
    summary = TensionSummary.objects.select_for_update().get(pk=summary.pk)
    if summary.is_issued:
        raise SummaryError("This summary has already been issued")
    summary.status = SummaryStatus.ISSUED
    summary.issued_at = timezone.now()
    summary.issued_by = actor
    summary.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
    superseded = TensionSummary.objects.filter(
        week_commencing=summary.week_commencing, revision__lt=summary.revision
    ).update(is_superseded=True)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Issued tension monitoring summary {summary}",
        target=summary,
        changes={
            "status": {"old": SummaryStatus.DRAFT, "new": SummaryStatus.ISSUED},
            "superseded_revisions": superseded,
        },
    )
    return summary


@transaction.atomic
def summary_correct(*, actor, summary: TensionSummary, reason: str) -> TensionSummary:
    """Start a correction of an issued summary: a new draft revision, copied from it.

    The issued revision is kept unchanged (it is no longer the latest) and stays the
    week's current issued summary until the correction is issued.
    """
    summary = TensionSummary.objects.select_for_update().get(pk=summary.pk)
    if not summary.is_issued:
        raise SummaryError("Only an issued summary can be corrected; change the draft instead")
    if not summary.is_latest:
        raise SummaryError("A later revision of this summary already exists")
    summary.is_latest = False
    summary.save(update_fields=["is_latest", "updated_at"])
    revision = TensionSummary.objects.create(
        week_commencing=summary.week_commencing,
        revision=summary.revision + 1,
        level=summary.level,
        narrative=summary.narrative,
        correction_reason=reason,
        created_by=actor,
    )
    revision.themes.set(summary.themes.all())
    revision.districts.set(summary.districts.all())
    revision.platforms.set(summary.platforms.all())
    revision.distribution.set(summary.distribution.all())
    NotableItem.objects.bulk_create(
        [
            NotableItem(
                summary=revision,
                theme_id=item.theme_id,
                district_id=item.district_id,
                platform_id=item.platform_id,
                seen=item.seen,
                passed_to_id=item.passed_to_id,
                action_taken=item.action_taken,
            )
            for item in summary.items.all()
        ]
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Started a correction of {summary}: revision {revision.revision}",
        target=revision,
        changes={"corrects": summary.pk, "reason": reason},
    )
    return revision


@transaction.atomic
def summary_pdf_record(*, actor, summary: TensionSummary) -> None:
    """Audit the download of an issued summary's PDF (a disclosure to partners)."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Downloaded the PDF of tension monitoring summary {summary}",
        target=summary,
        changes={"format": "pdf"},
    )


# --------------------------------------------------------------------------------------
# Incidents, activities, local issues
# --------------------------------------------------------------------------------------


def record_create_or_change(*, actor, form) -> models.Model:
    """Save an incident, activity or local issue from a valid form (audited)."""
    if form.instance._state.adding and hasattr(form.instance, "created_by_id"):
        form.instance.created_by = actor
    return record_save(actor=actor, form=form)


@transaction.atomic
def record_delete(*, actor, record: Incident | Activity) -> None:
    """Delete an incident or an activity, keeping what it was in the audit log."""
    label = f"{record._meta.verbose_name} {record}"
    snapshot = {
        field.name: plain_value(getattr(record, field.name))
        for field in record._meta.concrete_fields
        if field.name not in ("created_by", "created_at")
    }
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=f"Deleted {label}",
        target=record,
        changes={name: {"old": value, "new": None} for name, value in snapshot.items()},
    )
    record.delete()


@transaction.atomic
def export_record(*, actor, what: str, fmt: str, rows: int, filters: dict) -> None:
    """Audit an export of community records."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Exported {rows} {what} as {fmt.upper()}",
        target=("community." + what, "list"),
        changes={"format": fmt, "rows": rows, "filters": filters},
    )


# --------------------------------------------------------------------------------------
# Import of incidents
# --------------------------------------------------------------------------------------

IMPORT_COLUMNS = ("date", "district", "place", "kind", "ideology", "reported_by", "removed")
TRUE_WORDS = {"yes", "y", "true", "1", "removed"}
FALSE_WORDS = {"no", "n", "false", "0", "", "not removed"}


@dataclass
class ImportResult:
    created: int
    sha256: str
    skipped: int = 0  # rows identical to incidents already recorded


def _lookup(choices) -> dict[str, str]:
    table = {}
    for value, label in choices:
        table[value.lower()] = value
        table[label.lower()] = value
    return table


@transaction.atomic
def incidents_import(*, actor, data: bytes, filename: str = "") -> ImportResult:
    """Import incidents from CSV (columns IMPORT_COLUMNS). All or nothing: raises
    UploadError for an unreadable file and ImportRowsError listing every bad row with
    its line number and reason; otherwise creates every incident and audits once.
    """
    csv_file = read_csv(data, required=set(IMPORT_COLUMNS))
    if not csv_file.rows:
        raise UploadError("The selected file has no incidents in it")
    # The same file twice is refused; its earlier import is in the audit log.
    if AuditEvent.objects.filter(
        verb=AuditEvent.Verb.IMPORT,
        target_type="community.incident",
        changes__sha256=csv_file.sha256,
    ).exists():
        raise UploadError("The selected file has already been imported")
    districts = {d.name.lower(): d for d in District.objects.all()}
    partners = {p.name.lower(): p for p in Partner.objects.all()}
    kinds, ideologies = _lookup(IncidentKind.choices), _lookup(Ideology.choices)
    today = timezone.localdate()
    errors: list[tuple[int, str]] = []
    incidents = []
    for line, row in csv_file.rows:
        problems = []
        occurred_on = parse_date(row["date"])
        if occurred_on is None:
            problems.append("enter the date as YYYY-MM-DD or DD/MM/YYYY")
        elif occurred_on > today:
            problems.append("the date must be today or in the past")
        district = districts.get(row["district"].strip().lower())
        if district is None:
            problems.append(f"unknown district '{row['district'].strip()}'")
        place = row["place"].strip()
        if not place:
            problems.append("enter the place")
        elif len(place) > 200:
            problems.append("the place must be 200 characters or fewer")
        kind = kinds.get(row["kind"].strip().lower())
        if kind is None:
            problems.append(f"unknown kind '{row['kind'].strip()}'")
        ideology = ideologies.get(row["ideology"].strip().lower() or Ideology.MIXED_UNCLEAR)
        if ideology is None:
            problems.append(f"unknown ideology '{row['ideology'].strip()}'")
        reported_by = None
        if row["reported_by"].strip():
            reported_by = partners.get(row["reported_by"].strip().lower())
            if reported_by is None:
                problems.append(f"unknown organisation '{row['reported_by'].strip()}'")
        removed_text = row["removed"].strip().lower()
        if removed_text not in TRUE_WORDS | FALSE_WORDS:
            problems.append("removed must be yes or no")
        if problems:
            message = "; ".join(problems)
            errors.append((line, message[0].upper() + message[1:]))
            continue
        incidents.append(
            Incident(
                occurred_on=occurred_on,
                district=district,
                place=place,
                kind=kind,
                ideology=ideology,
                reported_by=reported_by,
                removed=removed_text in TRUE_WORDS,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    if errors:
        raise ImportRowsError(errors)

    # A row identical to an incident already recorded is skipped, not duplicated.
    def key(incident):
        return (incident.occurred_on, incident.district_id, incident.place.lower(),
                incident.kind, incident.ideology)  # fmt: skip

    dates = {incident.occurred_on for incident in incidents}
    existing = {key(incident) for incident in Incident.objects.filter(occurred_on__in=dates)}
    new, seen = [], set(existing)
    for incident in incidents:
        if key(incident) not in seen:
            seen.add(key(incident))
            new.append(incident)
    skipped = len(incidents) - len(new)
    incidents = new
    Incident.objects.bulk_create(incidents)
    audit_record(
        actor=actor,
        actor_username="system",
        verb=AuditEvent.Verb.IMPORT,
        summary=f"Imported {len(incidents)} incidents",
        target=("community.incident", "import"),
        changes={
            "file": filename,
            "sha256": csv_file.sha256,
            "created": len(incidents),
            "skipped": skipped,
        },
    )
    return ImportResult(created=len(incidents), sha256=csv_file.sha256, skipped=skipped)
