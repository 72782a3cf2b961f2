"""Every change to reference data goes through here, and is audited."""

import json
from pathlib import Path

from django.core.cache import cache
from django.db import models, transaction

from governance.models import District, Partner, Partnership, PeoArea
from governance.selectors import PARTNERSHIP_CACHE_KEY
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between

DEFAULT_REFERENCE_FILE = Path(__file__).resolve().parent / "reference_data" / "kent_and_medway.json"


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    return value


def _snapshot(instance: models.Model, fields) -> dict:
    return {name: _plain(getattr(instance, name)) for name in fields}


@transaction.atomic
def reference_record_save(*, actor, form) -> models.Model:
    """Save a reference data record (partnership, PEO area, district, partner) from a
    valid ModelForm. Callers: holders of governance.reference_manage. Audited with the
    old and new values of the fields that changed (reference data is not personal data).
    """
    instance = form.instance
    creating = instance._state.adding
    fields = list(form.cleaned_data)
    before = {} if creating else _snapshot(type(instance).objects.get(pk=instance.pk), fields)
    instance = form.save()
    after = _snapshot(instance, fields)
    if creating:
        verb, summary = AuditEvent.Verb.CREATE, f"Added {instance._meta.verbose_name} {instance}"
    else:
        verb, summary = AuditEvent.Verb.UPDATE, f"Changed {instance._meta.verbose_name} {instance}"
    audit_record(
        actor=actor,
        verb=verb,
        summary=summary,
        target=instance,
        changes=changes_between(before, after),
    )
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
