"""Every change to referrals and people. Each service is atomic and audited.

The audit log never keeps a copy of a person's identifying data: for those fields it
records only that they were set (SECURITY.md 11).
"""

import uuid
from dataclasses import dataclass, fields
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import District
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between
from referrals.models import (
    ConcernType,
    Person,
    ReferenceCounter,
    Referral,
    Sector,
    Sex,
)


class ReferralError(Exception):
    """A referral that cannot be recorded as given; the message is for the user."""


@dataclass(frozen=True)
class PersonData:
    given_names: str
    family_name: str
    sex: Sex
    date_of_birth: date | None = None
    approximate_age: int | None = None
    address: str = ""
    district: District | None = None
    nationality: str = ""
    first_language: str = ""
    setting: str = ""


@dataclass(frozen=True)
class ReferrerData:
    name: str
    sector: Sector
    role: str = ""
    organisation: str = ""
    contact: str = ""


@dataclass(frozen=True)
class ConcernData:
    types: list[ConcernType]
    primary: ConcernType
    concerns: str
    complex_needs: str = ""
    other_information: str = ""


def _next_reference(year: int) -> str:
    """PR-YYYY-NNNN from the year's counter row, locked until the transaction ends."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"PR-{year}-{counter.last:04d}"


def _person_create(*, data: PersonData, on: date) -> Person:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    person = Person(**values)
    if data.approximate_age is not None and data.date_of_birth is None:
        person.approximate_age_on = on
    person.full_clean(exclude=["sex", "district"])
    person.save()
    return person


def _set(values: dict) -> dict:
    """The audit form of identifying fields: which were set, never their values."""
    return {name: {"set": True} for name, value in values.items() if value not in (None, "")}


@transaction.atomic
def referral_create(
    *,
    actor,
    person: Person | None,
    person_data: PersonData | None,
    referrer: ReferrerData,
    concern: ConcernData,
    date_received: date,
    person_aware: str,
    police_reference: str = "",
    intake_token: uuid.UUID | None = None,
) -> Referral:
    """Record a new referral (and, with `person_data`, a new person). For case managers.

    With `intake_token`, a second call with the same token returns the referral the
    first created instead of creating another (a double-submitted form).
    """
    if intake_token is not None:
        existing = Referral.objects.filter(intake_token=intake_token).first()
        if existing is not None:
            return existing
    if (person is None) == (person_data is None):
        raise ReferralError("Choose an existing person or give the details of a new one")
    if date_received > timezone.localdate():
        raise ReferralError("The date the referral was received must be today or in the past")
    if person_data and person_data.date_of_birth and person_data.date_of_birth > date_received:
        raise ReferralError("The date of birth must be on or before the date received")
    if concern.primary not in concern.types:
        raise ReferralError("The main type of concern must be one of the types selected")
    if any(not item.is_active for item in concern.types) or not referrer.sector.is_active:
        raise ReferralError("A type of concern or sector selected is no longer in use")

    new_person = person is None
    if new_person:
        person = _person_create(data=person_data, on=date_received)
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.CREATE,
            summary="Recorded a person referred",
            target=person,
            changes=_set({f.name: getattr(person_data, f.name) for f in fields(person_data)}),
        )
    referral = Referral(
        reference=_next_reference(date_received.year),
        person=person,
        date_received=date_received,
        person_aware=person_aware,
        police_reference=police_reference.strip(),
        referrer_name=referrer.name,
        referrer_role=referrer.role,
        referrer_organisation=referrer.organisation,
        referrer_contact=referrer.contact,
        sector=referrer.sector,
        primary_concern=concern.primary,
        concerns=concern.concerns,
        complex_needs=concern.complex_needs,
        other_information=concern.other_information,
        intake_token=intake_token,
        case_manager=actor if getattr(actor, "is_authenticated", False) else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():  # a savepoint: a racing duplicate leaves us usable
            referral.save()
    except IntegrityError:
        if intake_token is not None:
            existing = Referral.objects.filter(intake_token=intake_token).first()
            if existing is not None:
                return existing
        raise
    referral.concern_types.set(concern.types)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Recorded referral {referral.reference}"
        + (" for a new person" if new_person else " for a person referred before"),
        target=referral,
        changes={
            **changes_between(
                {},
                {
                    "reference": referral.reference,
                    "status": referral.status,
                    "date_received": date_received.isoformat(),
                    "sector": referrer.sector.name,
                    "primary_concern": concern.primary.name,
                    "concern_types": sorted(item.name for item in concern.types),
                    "person_aware": person_aware,
                    "person": str(person.pk),
                },
            ),
            # Referrer details and the free text may name people: only that they were set.
            **_set(
                {
                    "referrer_name": referrer.name,
                    "referrer_role": referrer.role,
                    "referrer_organisation": referrer.organisation,
                    "referrer_contact": referrer.contact,
                    "police_reference": police_reference,
                    "concerns": concern.concerns,
                    "complex_needs": concern.complex_needs,
                    "other_information": concern.other_information,
                }
            ),
        },
    )
    return referral


@transaction.atomic
def referral_record_view(*, actor, referral: Referral) -> None:
    """Every opening of a case page leaves a VIEW event (SECURITY.md 11)."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.VIEW,
        summary=f"Viewed referral {referral.reference}",
        target=referral,
    )
