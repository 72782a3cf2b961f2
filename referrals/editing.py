"""Editing a person and a referral after intake, and reassigning the case manager.

Each service is atomic, locks the row it changes (`select_for_update`), refuses a stale
`expected_version` (optimistic locking, docs/security.md §22) and writes one audit event. The
audit event keeps old and new values of ordinary fields only (sector, types of concern,
dates, status-like choices, the case manager); for a person's identifying fields, the
referrer's details, the police reference and the free text it records only that they
changed (docs/security.md §11).
"""

from dataclasses import dataclass, fields
from datetime import date

from django.db import transaction
from django.utils import timezone

from governance.models import District
from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between, plain_value
from referrals.choices import PersonAware
from referrals.models import ConcernType, Person, Referral, Sector, Sex
from referrals.services import ReferralError, StaleVersionError


class PersonStaleError(StaleVersionError):
    def __init__(self):
        super().__init__(
            "This person's details were changed by someone else while you were working on "
            "them. Check the latest details and try again."
        )


@dataclass(frozen=True)
class PersonEdit:
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
class ReferralEdit:
    sector: Sector
    concern_types: list[ConcernType]
    primary_concern: ConcernType
    concerns: str
    date_received: date
    person_aware: str
    complex_needs: str = ""
    other_information: str = ""
    police_reference: str = ""
    referrer_role: str = ""
    referrer_organisation: str = ""
    # None: not edited (a user without the identity grant neither sees nor changes them).
    referrer_name: str | None = None
    referrer_contact: str | None = None


# Referral fields whose values may name or identify someone: only "changed" is audited.
REFERRAL_SENSITIVE = frozenset(
    {
        "referrer_name",
        "referrer_role",
        "referrer_organisation",
        "referrer_contact",
        "police_reference",
        "concerns",
        "complex_needs",
        "other_information",
    }
)


def _retired(new, old) -> bool:
    """A reference entry newly chosen that is no longer in use."""
    return new is not None and new != old and not new.is_active


@transaction.atomic
def person_update(*, actor, person: Person, data: PersonEdit, expected_version: int) -> Person:
    """Change a person's details. For case managers holding the identity grant (the view
    checks both). Refuses a stale version, a date of birth after today or after one of the
    person's referrals was received, both a date of birth and an approximate age, and a
    retired sex or district (unless unchanged). The approximate age counts from the date
    the person's latest referral was received.
    """
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != expected_version:
        raise PersonStaleError()
    if not data.given_names.strip() or not data.family_name.strip():
        raise ReferralError("Enter the given names and the family name")
    if data.date_of_birth is not None and data.approximate_age is not None:
        raise ReferralError("Give either the date of birth or an approximate age, not both")
    if data.approximate_age is not None and not 0 <= data.approximate_age <= 120:
        raise ReferralError("Approximate age must be a whole number, 0 to 120")
    received = list(
        current.referrals.order_by("date_received").values_list("date_received", flat=True)
    )
    if data.date_of_birth is not None:
        if data.date_of_birth > timezone.localdate():
            raise ReferralError("The date of birth must be in the past")
        if received and data.date_of_birth > received[0]:
            raise ReferralError(
                "The date of birth must be on or before the date the first referral was "
                f"received, {received[0]:%-d %B %Y}"
            )
    if _retired(data.sex, current.sex) or _retired(data.district, current.district):
        raise ReferralError("A sex or district selected is no longer in use")

    names = [f.name for f in fields(data)] + ["approximate_age_on"]
    before = {name: plain_value(getattr(current, name)) for name in names}
    for name in (f.name for f in fields(data)):
        value = getattr(data, name)
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    if data.approximate_age is None:
        current.approximate_age_on = None
    elif data.approximate_age != before["approximate_age"] or current.approximate_age_on is None:
        current.approximate_age_on = received[-1] if received else timezone.localdate()
    after = {name: plain_value(getattr(current, name)) for name in names}
    changes = changes_between(before, after, sensitive=Person.IDENTIFYING_FIELDS)
    if not changes:
        return current
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary="Changed the details of a person referred",
        target=current,
        changes={**changes, "version": {"old": expected_version, "new": current.version}},
    )
    person.version = current.version
    return current


def _check_referral(current: Referral, data: ReferralEdit, old_types: set) -> None:
    if data.person_aware not in PersonAware.values:
        raise ReferralError("Select whether the person knows of the referral")
    if not data.concerns.strip():
        raise ReferralError("Describe the concerns")
    if data.referrer_name is not None and not data.referrer_name.strip():
        raise ReferralError("Enter the referrer's name")
    if not data.concern_types:
        raise ReferralError("Select at least one type of concern")
    if data.primary_concern not in data.concern_types:
        raise ReferralError("The main type of concern must be one of the types selected")
    if (
        _retired(data.sector, current.sector)
        or any(_retired(item, None) for item in data.concern_types if item.pk not in old_types)
        or _retired(data.primary_concern, current.primary_concern)
    ):
        raise ReferralError("A type of concern or sector selected is no longer in use")
    if data.date_received > timezone.localdate():
        raise ReferralError("The date the referral was received must be today or in the past")
    born = current.person.date_of_birth
    if born and data.date_received < born:
        raise ReferralError(
            "The date the referral was received must be on or after the date of birth"
        )
    first_step = current.events.order_by("occurred_on").values_list("occurred_on", flat=True)
    first_step = first_step.first()
    if first_step is not None and data.date_received > first_step:
        raise ReferralError(
            "The date the referral was received must be on or before its first step, "
            f"{first_step:%-d %B %Y}"
        )


@transaction.atomic
def referral_update(
    *, actor, referral: Referral, data: ReferralEdit, expected_version: int
) -> Referral:
    """Change a referral's details (referrer, sector, types of concern, the free text,
    whether the person knows, date received, police reference). For case managers.

    Validated as at intake; a retired sector or type of concern is refused unless the
    referral already had it. Increments the referral's version (the status is untouched).
    """
    current = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    if current.version != expected_version:
        raise StaleVersionError()
    old_types = set(current.concern_types.values_list("pk", flat=True))
    _check_referral(current, data, old_types)

    simple = [
        "sector",
        "primary_concern",
        "concerns",
        "complex_needs",
        "other_information",
        "person_aware",
        "date_received",
        "police_reference",
        "referrer_role",
        "referrer_organisation",
    ]
    simple += [
        name for name in ("referrer_name", "referrer_contact") if getattr(data, name) is not None
    ]
    before = {name: plain_value(getattr(current, name)) for name in simple}
    before["concern_types"] = sorted(
        item.name for item in ConcernType.objects.filter(pk__in=old_types)
    )
    for name in simple:
        value = getattr(data, name)
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    after = {name: plain_value(getattr(current, name)) for name in simple}
    after["concern_types"] = sorted(item.name for item in data.concern_types)
    changes = changes_between(before, after, sensitive=REFERRAL_SENSITIVE)
    if not changes:
        return current
    current.version += 1
    current.save()
    current.concern_types.set(data.concern_types)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Changed the details of referral {current.reference}",
        target=current,
        changes={**changes, "version": {"old": expected_version, "new": current.version}},
    )
    referral.version = current.version
    return current


def case_manager_roles() -> list[str]:
    """The roles that grant CASES_MANAGE (from the one permission registry)."""
    return [role for role, granted in ROLE_PERMISSIONS.items() if Perm.CASES_MANAGE in granted]


@transaction.atomic
def referral_reassign(*, actor, referral: Referral, case_manager, expected_version: int):
    """Give a case to another case manager. For supervisors (CASES_SUPERVISE); the new
    case manager must be active and hold CASES_MANAGE. Audited with old and new usernames.
    """
    if not has_perm(actor, Perm.CASES_SUPERVISE):
        raise ReferralError("Only a supervisor can reassign a case")
    current = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case_manager")
        .get(pk=referral.pk)
    )
    if current.version != expected_version:
        raise StaleVersionError()
    if case_manager is None or not has_perm(case_manager, Perm.CASES_MANAGE):
        raise ReferralError("Select a case manager who can manage cases")
    if current.case_manager_id == case_manager.pk:
        return current
    old = current.case_manager.get_username() if current.case_manager_id else None
    current.case_manager = case_manager
    current.version += 1
    current.save(update_fields=["case_manager", "version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Reassigned referral {current.reference}",
        target=current,
        changes={
            "case_manager": {"old": old, "new": case_manager.get_username()},
            "version": {"old": expected_version, "new": current.version},
        },
    )
    referral.version, referral.case_manager = current.version, case_manager
    return current
