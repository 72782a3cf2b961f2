"""Every change to referrals and people. Each service is atomic and audited.

The audit log never keeps a copy of a person's identifying data: for those fields it
records only that they were set (docs/security.md §11).
"""

import uuid
from dataclasses import dataclass, fields
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import District
from prevent_portal.audit.alerts import unusual_access_check
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between, plain_value
from referrals import transitions
from referrals.choices import ReferralStatus
from referrals.matching import match_review_open
from referrals.models import (
    ConcernType,
    Outcome,
    Person,
    ReferenceCounter,
    Referral,
    ReferralEvent,
    Sector,
    Sex,
)
from referrals.signals import referral_created, referral_transitioned


class ReferralError(Exception):
    """A referral that cannot be recorded as given; the message is for the user."""


class TransitionError(ReferralError):
    """A step of the journey that is not allowed; the message is for the user."""


class StaleVersionError(TransitionError):
    """The case changed since the user opened it (optimistic locking)."""

    def __init__(self, message=None):
        super().__init__(
            message
            or "This case was changed by someone else while you were working on it. "
            "Check the latest details and try again."
        )


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
    match_candidates: list[str] = (),
) -> Referral:
    """Record a new referral (and, with `person_data`, a new person). For case managers.

    With `intake_token`, a second call with the same token returns the referral the
    first created instead of creating another (a double-submitted form).
    `match_candidates`: the people intake's likely-match lookup found and could not show
    the actor; for a new person, a review asks someone who may see them to confirm
    whether it is one of them (referrals/matching.py).
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
    if new_person and match_candidates:
        match_review_open(actor=actor, referral=referral, candidate_ids=list(match_candidates))
    referral_created.send(sender=Referral, referral=referral, actor=actor)
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


@transaction.atomic(savepoint=False)
def referral_record_view(*, actor, referral: Referral, section: str = "") -> None:
    """Every opening of a case page (any section) leaves a VIEW event (docs/security.md §11).
    Inside a request's transaction it takes no savepoint of its own: if it fails, the
    request fails and nothing of it is kept."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.VIEW,
        summary=f"Viewed referral {referral.reference}"
        + (f" ({section.lower()})" if section else ""),
        target=referral,
    )
    # Many more cases than usual in a short time raises an alert (at most one query;
    # none when this case was just counted; issue 9a).
    unusual_access_check(user=actor, case_id=referral.pk)


DEFAULT_RETENTION_YEARS = 6

# The Home Office outcome a step records on the referral.
OUTCOME_OF_STATUS = {
    ReferralStatus.NO_FURTHER_ACTION: "No further action",
    ReferralStatus.SIGNPOSTED: "Signposted to other services",
    ReferralStatus.PANEL: "Discussed at a Channel panel",
    ReferralStatus.ADOPTED: "Adopted as a Channel case",
}


def retention_years() -> int:
    return int(getattr(settings, "REFERRAL_RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _check_post_exit_spacing(referral: Referral, to_status: str, occurred_on: date) -> None:
    """Post-exit reviews 6 and 12 months after the exit, then closure (transitions.py)."""
    steps = list(
        referral.events.filter(
            to_status__in=[ReferralStatus.EXIT, ReferralStatus.POST_EXIT_REVIEW]
        ).values_list("to_status", "occurred_on")
    )
    exits = [on for status, on in steps if status == ReferralStatus.EXIT]
    exit_on = max(exits) if exits else referral.left_process_on
    reviews = sum(
        1
        for status, on in steps
        if status == ReferralStatus.POST_EXIT_REVIEW and (exit_on is None or on >= exit_on)
    )
    problem = transitions.post_exit_problem(
        to_status=to_status, exit_on=exit_on, reviews_done=reviews, occurred_on=occurred_on
    )
    if problem:
        raise TransitionError(problem)


@transaction.atomic
def referral_transition(
    *,
    actor,
    referral: Referral,
    to_status: str,
    reason: str,
    occurred_on: date,
    expected_version: int,
    **details,
) -> ReferralEvent:
    """Move a referral to its next status, if `transitions.TRANSITIONS` allows it.

    Refuses a stale `expected_version` (someone else changed the case meanwhile). Records
    a ReferralEvent and an audit event (the status only: the reason may name people).
    A step out of the process sets the date it left and the disposal review date.
    Post-exit reviews are spaced as `transitions.post_exit_problem` says.
    """
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.version != expected_version:
        raise StaleVersionError()
    from retention.services import is_disposed  # inside: retention builds on referrals

    if is_disposed(current):
        raise TransitionError("This case has been disposed of: no further step can be recorded")
    from_status = current.status
    if to_status not in ReferralStatus.values:
        raise TransitionError("Select a step the case can take next")
    if not transitions.is_allowed(from_status, to_status):
        if transitions.is_final(from_status):
            raise TransitionError(
                f"This case is {current.get_status_display().lower()}: no further step can "
                "be recorded"
            )
        raise TransitionError(
            f"A case that is “{ReferralStatus(from_status).label}” cannot move to "
            f"“{ReferralStatus(to_status).label}”"
        )
    if occurred_on > timezone.localdate():
        raise TransitionError("The date of the step must be today or in the past")
    if occurred_on < current.date_received:
        raise TransitionError("The date of the step must be on or after the date received")
    latest = current.events.order_by("-occurred_on", "-id").first()
    if latest is not None and occurred_on < latest.occurred_on:
        raise TransitionError(
            f"The date of the step must be on or after the last step, "
            f"{latest.occurred_on:%-d %B %Y}"
        )
    details = {key: value.strip() for key, value in details.items() if value and value.strip()}
    if to_status == ReferralStatus.SIGNPOSTED and not details.get("signposted_to"):
        raise TransitionError("Enter the service the person was signposted to")
    if to_status in (ReferralStatus.POST_EXIT_REVIEW, ReferralStatus.CLOSED):
        _check_post_exit_spacing(current, to_status, occurred_on)

    before = {"status": from_status, "version": current.version}
    current.status = to_status
    current.version += 1
    update_fields = ["status", "version", "updated_at"]
    if to_status in transitions.LEAVES_PROCESS and current.left_process_on is None:
        current.left_process_on = occurred_on
        current.disposal_due_on = add_years(occurred_on, retention_years())
        update_fields += ["left_process_on", "disposal_due_on"]
        before |= {"left_process_on": None, "disposal_due_on": None}
    outcome_name = OUTCOME_OF_STATUS.get(to_status)
    if outcome_name:
        outcome = Outcome.objects.filter(name=outcome_name).first()
        if outcome is not None:
            before["outcome"] = current.outcome.name if current.outcome_id else None
            current.outcome = outcome
            update_fields.append("outcome")
    current.save(update_fields=update_fields)
    event = ReferralEvent.objects.create(
        referral=current,
        from_status=from_status,
        to_status=to_status,
        occurred_on=occurred_on,
        reason=reason.strip(),
        details=details,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    after = {
        "status": to_status,
        "version": current.version,
        "left_process_on": plain_value(current.left_process_on),
        "disposal_due_on": plain_value(current.disposal_due_on),
        "outcome": current.outcome.name if current.outcome_id else None,
    }
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Recorded a step of referral {current.reference}: "
        f"{ReferralStatus(to_status).label}",
        target=current,
        changes={
            **changes_between(before, {key: after[key] for key in before}),
            "occurred_on": {"old": None, "new": occurred_on.isoformat()},
            **_set({"reason": reason, **details}),
        },
    )
    # Inside the transaction: what receivers write (tasks, say) commits or fails with it.
    referral_transitioned.send(sender=Referral, referral=current, event=event, actor=actor)
    referral.status, referral.version = current.status, current.version
    referral.left_process_on, referral.disposal_due_on = (
        current.left_process_on,
        current.disposal_due_on,
    )
    return event
