"""Every change to governance data (reference data, the plan, risks, the board) goes
through here, and is audited in the same transaction."""

import json
from datetime import date
from pathlib import Path

from django.core.cache import cache
from django.db import models, transaction

from governance.choices import RATED_STATUSES, ActionStatus
from governance.models import (
    District,
    DistrictNote,
    Partner,
    Partnership,
    PeoArea,
    Plan,
    PlanAction,
    PlanHeading,
    ProgressUpdate,
)
from governance.selectors import PARTNERSHIP_CACHE_KEY
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, audited_form_save, changes_between
from prevent_portal.ui.uploads import ImportRowsError, UploadError, parse_date, read_csv

DEFAULT_REFERENCE_FILE = Path(__file__).resolve().parent / "reference_data" / "kent_and_medway.json"


@transaction.atomic
def record_save(*, actor, form) -> models.Model:
    """Save a governance record (reference data, plan, plan heading, action, risk
    assessment and area, board member, meeting, meeting action) from a valid ModelForm.
    Callers: the view that checked the permission for that record. Audited with the old
    and new values of the fields that changed (none of this is personal data about a
    case).
    """
    instance = audited_form_save(actor=actor, form=form)
    if isinstance(instance, Partnership):
        transaction.on_commit(lambda: cache.delete(PARTNERSHIP_CACHE_KEY))
    return instance


@transaction.atomic
def load_reference_data(*, actor=None, path: Path = DEFAULT_REFERENCE_FILE) -> dict[str, int]:
    """Create or update the partnership, PEO areas, districts and partners from a JSON
    file. Idempotent: names are the keys, so running it twice changes nothing. Records
    added by staff are left alone. Returns how many rows were created per kind.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = {"peo_areas": 0, "districts": 0, "partners": 0}

    partnership = data["partnership"]
    Partnership.objects.update_or_create(
        pk=1,
        defaults={"name": partnership["name"], "short_name": partnership.get("short_name", "")},
    )
    areas = {}
    for row in data["peo_areas"]:
        area, was_created = PeoArea.objects.get_or_create(
            name=row["name"], defaults={"description": row.get("description", "")}
        )
        areas[area.name] = area
        created["peo_areas"] += was_created
    districts = {}
    for row in data["districts"]:
        district, was_created = District.objects.get_or_create(
            name=row["name"], defaults={"kind": row["kind"], "peo_area": areas[row["peo_area"]]}
        )
        districts[district.name] = district
        created["districts"] += was_created
    for row in data["partners"]:
        _partner, was_created = Partner.objects.get_or_create(
            name=row["name"],
            defaults={"sector": row["sector"], "district": districts.get(row.get("district"))},
        )
        created["partners"] += was_created

    if any(created.values()):
        audit_record(
            actor=actor,
            actor_username="system",
            verb=AuditEvent.Verb.IMPORT,
            summary="Loaded reference data",
            target=("governance.reference", Path(path).name),
            changes={"created": created},
        )
    transaction.on_commit(lambda: cache.delete(PARTNERSHIP_CACHE_KEY))
    return created


# --------------------------------------------------------------------------------------
# The partnership plan
# --------------------------------------------------------------------------------------


class PlanError(Exception):
    """A change the plan's rules forbid; the message is shown to the user as it is."""


@transaction.atomic
def progress_update_record(
    *, actor, action: PlanAction, dated: date, status: str, rag: str, narrative: str
) -> ProgressUpdate:
    """Record a dated progress update on a plan action (one per board cycle). Callers:
    holders of governance.plan_manage. The action takes the status and RAG of its latest
    update. Refused for a completed action, a date before the plan starts, or a date that
    already has an update.
    """
    action = PlanAction.objects.select_for_update().select_related("plan").get(pk=action.pk)
    if action.is_complete:
        raise PlanError("This action is complete: it cannot have another progress update")
    if dated < action.plan.starts_on:
        raise PlanError(
            f"The date of the update must be on or after the start of the plan "
            f"({action.plan.starts_on:%-d %B %Y})"
        )
    if action.updates.filter(dated=dated).exists():
        raise PlanError("This action already has an update for that date")
    if status in RATED_STATUSES and not rag:
        raise PlanError("Select the RAG rating at this date")
    update = ProgressUpdate.objects.create(
        action=action,
        dated=dated,
        author=actor,
        author_name=actor.get_full_name() or actor.get_username(),
        status=status,
        rag="" if status == ActionStatus.COMPLETE else rag,
        narrative=narrative,
    )
    latest = action.updates.order_by("-dated", "-id").first()
    before = {"status": action.status, "rag": action.rag}
    action.status, action.rag = latest.status, latest.rag
    action.save(update_fields=["status", "rag"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Recorded a progress update on action {action.reference} of {action.plan}",
        target=update,
        changes={
            "dated": {"old": None, "new": dated.isoformat()},
            **changes_between(before, {"status": action.status, "rag": action.rag}),
        },
    )
    return update


IMPORT_COLUMNS = ("reference", "heading", "description", "owner", "lead", "due_date", "status")


def _heading_lookup() -> dict[str, PlanHeading]:
    lookup = {}
    for heading in PlanHeading.objects.filter(is_active=True):
        for key in (str(heading.number), heading.title, str(heading)):
            lookup[key.strip().lower()] = heading
    return lookup


def _status_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in ActionStatus.choices:
        lookup[value] = value
        lookup[label.lower()] = value
    return lookup


@transaction.atomic
def plan_actions_import(*, actor, plan: Plan, data: bytes, filename: str = "") -> int:
    """Import the actions of an existing plan from CSV (columns IMPORT_COLUMNS).
    Callers: holders of governance.plan_manage, or the import_plan_actions command.
    All or nothing: raises UploadError for an unreadable file, ImportRowsError listing
    every bad row with its line number; otherwise creates every action and audits once.
    Returns the number of actions created.
    """
    csv_file = read_csv(data, required=set(IMPORT_COLUMNS))
    headings = _heading_lookup()
    statuses = _status_lookup()
    partners = {p.name.lower(): p for p in Partner.objects.all()}
    taken = set(plan.actions.values_list("reference", flat=True))
    errors: list[tuple[int, str]] = []
    actions = []
    if not csv_file.rows:
        raise UploadError("The selected file has no actions in it")
    for line, row in csv_file.rows:
        problems = []
        reference = row["reference"].strip()
        if not reference:
            problems.append("enter the reference of the action")
        elif len(reference) > 20:
            problems.append("the reference must be 20 characters or fewer")
        elif reference in taken:
            problems.append(f"an action with reference {reference} already exists in this plan")
        heading = headings.get(row["heading"].strip().lower())
        if heading is None:
            problems.append(f"unknown heading '{row['heading'].strip()}'")
        description = row["description"].strip()
        if not description:
            problems.append("enter the description of the action")
        owner = None
        if row["owner"].strip():
            owner = partners.get(row["owner"].strip().lower())
            if owner is None:
                problems.append(f"unknown owner organisation '{row['owner'].strip()}'")
        lead = row["lead"].strip()
        if len(lead) > 200:
            problems.append("the lead must be 200 characters or fewer")
        due_on = parse_date(row["due_date"])
        if due_on is None:
            problems.append("enter the due date as YYYY-MM-DD or DD/MM/YYYY")
        elif due_on < plan.starts_on:
            problems.append(f"the due date must be on or after {plan.starts_on:%-d %B %Y}")
        status = statuses.get(row["status"].strip().lower() or "not_started")
        if status is None:
            problems.append(f"unknown status '{row['status'].strip()}'")
        if problems:
            errors.append((line, "; ".join(problems).capitalize()))
            continue
        taken.add(reference)
        actions.append(
            PlanAction(
                plan=plan,
                reference=reference,
                heading=heading,
                description=description,
                owner=owner,
                lead=lead,
                due_on=due_on,
                status=status,
            )
        )
    if errors:
        raise ImportRowsError(errors)
    PlanAction.objects.bulk_create(actions)
    audit_record(
        actor=actor,
        actor_username="system",
        verb=AuditEvent.Verb.IMPORT,
        summary=f"Imported {len(actions)} actions into {plan}",
        target=plan,
        changes={"file": filename, "sha256": csv_file.sha256, "created": len(actions)},
    )
    return len(actions)


@transaction.atomic
def district_note_add(*, actor, district: District, noted_on: date, note: str) -> DistrictNote:
    """Add a dated note of contact with a district. Callers: holders of
    governance.plan_manage."""
    record = DistrictNote.objects.create(
        district=district,
        noted_on=noted_on,
        note=note,
        author_name=actor.get_full_name() or actor.get_username(),
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added a note of contact with {district}",
        target=record,
        changes={"noted_on": {"old": None, "new": noted_on.isoformat()}},
    )
    return record
