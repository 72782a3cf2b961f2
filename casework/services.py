"""Every change to case work: consent, the support plan, case notes, risk flags.

Each service is atomic, validated and audited in the same transaction. Callers have
checked Perm.CASES_MANAGE and fetched the referral through the scoped selector. Audit
events name the referral as their target, so the case's access log shows them; free text
and the names of people are never copied into the audit log, only the fact they were set.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.choices import ConsentDecision, ConsentGivenBy, NoteKind, RiskKind
from casework.models import (
    CaseNote,
    ConsentRecord,
    Intervention,
    InterventionType,
    Provider,
    RiskFlag,
    SupportPlan,
)
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between, plain_value
from referrals.ages import age_on
from referrals.choices import ReferralStatus as S
from referrals.models import Referral
from referrals.services import StaleVersionError, TransitionError, referral_transition


class CaseworkError(Exception):
    """A change that cannot be made as asked; the message is for the user."""


class ConflictError(CaseworkError):
    """The record (or the case) changed since the user opened it."""

    def __init__(self, message=None):
        super().__init__(
            message
            or "This record was changed by someone else while you were working on it. "
            "Check the latest details and try again."
        )


def _set(values: dict) -> dict:
    """The audit form of free text and names: which were set, never their values."""
    return {name: {"set": True} for name, value in values.items() if value not in (None, "")}


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _check_day(day: date, referral: Referral, label: str) -> None:
    if day > timezone.localdate():
        raise CaseworkError(f"The {label} must be today or in the past")
    if day < referral.date_received:
        raise CaseworkError(
            f"The {label} must be on or after the date the referral was received, "
            f"{_long(referral.date_received)}"
        )


def _by_token(model, token: uuid.UUID | None, **scope):
    if token is None:
        return None
    return model.objects.filter(submission_token=token, **scope).first()


def _save_once(instance, **scope):
    """Save a new record; if a racing submission with the same token saved first, return
    that one instead. (record, created)."""
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the transaction usable
            instance.save()
    except IntegrityError:
        existing = _by_token(type(instance), instance.submission_token, **scope)
        if existing is not None:
            return existing, False
        raise
    return instance, True


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# -- Consent ---------------------------------------------------------------------------

# (decision, status of the case) -> the step that recording it takes.
CONSENT_STEPS = {
    (ConsentDecision.GIVEN, S.CONSENT): S.ADOPTED,
    (ConsentDecision.DECLINED, S.CONSENT): S.CONSENT_DECLINED,
    (ConsentDecision.WITHDRAWN, S.ADOPTED): S.CONSENT_DECLINED,
    (ConsentDecision.WITHDRAWN, S.REVIEWED): S.CONSENT_DECLINED,
}
ADULT_AGE = 18


def consent_decisions_for(status: str) -> list[str]:
    """The consent decisions that can be recorded on a case at `status`."""
    return [decision for decision, at in CONSENT_STEPS if at == status]


def _consent_refusal(decision: str, status: str) -> str:
    label = S(status).label
    if decision == ConsentDecision.WITHDRAWN:
        return (
            "Consent can be withdrawn only from an adopted case (adopted or reviewed at "
            f"panel). This case is “{label}”."
        )
    return (
        "Consent can be recorded as given or declined only while the case is at "
        f"“{S.CONSENT.label}”, after the panel adopts it. This case is “{label}”."
    )


@transaction.atomic
def consent_record(
    *,
    actor,
    referral: Referral,
    decision: str,
    given_by: str,
    given_by_name: str,
    decided_on: date,
    note: str = "",
    expected_version: int,
    token: uuid.UUID | None = None,
) -> ConsentRecord:
    """Record consent given, declined or withdrawn, and take the step it means, through
    `referral_transition` with the version check, in this transaction: given at "consent"
    -> adopted; declined at "consent" -> consent declined; withdrawn while adopted or
    reviewed -> consent declined. Anything else is refused. For case managers.

    For a person under 18 on the date (or whose age is not known), consent is given by a
    parent or carer. A second call with the same `token` returns the first record.
    """
    existing = _by_token(ConsentRecord, token, referral=referral)
    if existing is not None:
        return existing
    if decision not in ConsentDecision.values:
        raise CaseworkError("Select whether consent was given, declined or withdrawn")
    if given_by not in ConsentGivenBy.values:
        raise CaseworkError("Select who gave or declined consent")
    given_by_name = given_by_name.strip() if given_by != ConsentGivenBy.PERSON else ""
    if given_by == ConsentGivenBy.PARENT and not given_by_name:
        raise CaseworkError("Enter the name of the parent or carer")
    if given_by == ConsentGivenBy.OTHER_ADULT and not given_by_name:
        raise CaseworkError("Enter the name of the adult who gave or declined consent")
    if referral.version != expected_version:
        # Checked again, under a row lock, by referral_transition.
        raise ConflictError(str(StaleVersionError()))
    _check_day(decided_on, referral, "date of the consent decision")
    to_status = CONSENT_STEPS.get((decision, referral.status))
    if to_status is None:
        raise CaseworkError(_consent_refusal(decision, referral.status))
    if decision == ConsentDecision.GIVEN and given_by != ConsentGivenBy.PARENT:
        person = referral.person
        age = age_on(
            decided_on,
            date_of_birth=person.date_of_birth,
            approximate_age=person.approximate_age,
            approximate_age_on=person.approximate_age_on,
        )
        if age is None:
            raise CaseworkError(
                "The person's age is not known: consent must be given by a parent or carer"
            )
        if age < ADULT_AGE:
            raise CaseworkError(
                "The person was under 18 on that date: consent must be given by a parent or carer"
            )
    label = ConsentDecision(decision).label.lower()
    try:
        event = referral_transition(
            actor=actor,
            referral=referral,
            to_status=to_status,
            reason=f"Consent {label} ({ConsentGivenBy(given_by).label.lower()}).",
            occurred_on=decided_on,
            expected_version=expected_version,
        )
    except StaleVersionError as problem:
        # A double submission that lost the race finds the record the first one made.
        existing = _by_token(ConsentRecord, token, referral=referral)
        if existing is not None:
            return existing
        raise ConflictError(str(problem)) from problem
    except TransitionError as problem:
        raise CaseworkError(str(problem)) from problem
    record = ConsentRecord.objects.create(
        referral=referral,
        decision=decision,
        given_by=given_by,
        given_by_name=given_by_name,
        decided_on=decided_on,
        note=note.strip(),
        event=event,
        submission_token=token,
        recorded_by=_user(actor),
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Recorded consent {label} on referral {referral.reference}",
        target=referral,
        changes={
            "consent_record": {"old": None, "new": str(record.pk)},
            **changes_between(
                {},
                {
                    "decision": decision,
                    "given_by": given_by,
                    "decided_on": decided_on.isoformat(),
                },
            ),
            **_set({"given_by_name": given_by_name, "note": record.note}),
        },
    )
    return record


# -- Support plan ----------------------------------------------------------------------

PLAN_OPEN_STATUSES = (S.ADOPTED, S.REVIEWED)


@dataclass(frozen=True)
class InterventionData:
    kind: InterventionType
    provider: Provider
    goal: str
    starts_on: date
    ends_on: date | None = None
    sessions: int | None = None
    outcome: str = ""


INTERVENTION_FIELDS = ("kind", "provider", "goal", "starts_on", "ends_on", "sessions", "outcome")
# Free text: only the fact of a change goes into the audit log.
INTERVENTION_TEXT = frozenset({"goal", "outcome"})


def _check_intervention(data: InterventionData, referral: Referral, *, before=None) -> None:
    if not data.goal.strip():
        raise CaseworkError("Enter the goal of the intervention")
    # A retired type or provider may stay on an intervention that already has it.
    if not data.kind.is_active and (before is None or before.kind_id != data.kind.pk):
        raise CaseworkError("The type of intervention selected is no longer in use")
    if not data.provider.is_active and (before is None or before.provider_id != data.provider.pk):
        raise CaseworkError("The provider selected is no longer in use")
    if data.starts_on < referral.date_received:
        raise CaseworkError(
            "The start date must be on or after the date the referral was received, "
            f"{_long(referral.date_received)}"
        )
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise CaseworkError("The end date must be on or after the start date")
    if data.sessions is not None and not 0 <= data.sessions <= 999:
        raise CaseworkError("The number of sessions must be a whole number, 0 to 999")


def _intervention_values(source) -> dict:
    return {name: plain_value(getattr(source, name)) for name in INTERVENTION_FIELDS}


@transaction.atomic
def intervention_add(
    *, actor, referral: Referral, data: InterventionData, token: uuid.UUID | None = None
) -> Intervention:
    """Add an intervention to the case's support plan (made now if it is the first), while
    the case is adopted or reviewed. For case managers. A second call with the same
    `token` returns the first intervention."""
    existing = _by_token(Intervention, token, plan__referral=referral)
    if existing is not None:
        return existing
    if referral.status not in PLAN_OPEN_STATUSES:
        raise CaseworkError(
            "Interventions can be added only while the case is adopted or under review. "
            f"This case is “{S(referral.status).label}”."
        )
    _check_intervention(data, referral)
    plan, plan_created = SupportPlan.objects.get_or_create(
        referral=referral, defaults={"created_by": _user(actor)}
    )
    intervention, created = _save_once(
        Intervention(
            plan=plan,
            kind=data.kind,
            provider=data.provider,
            goal=data.goal.strip(),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            sessions=data.sessions,
            outcome=data.outcome.strip(),
            submission_token=token,
            created_by=_user(actor),
        ),
        plan__referral=referral,
    )
    if not created:
        return intervention
    values = _intervention_values(intervention)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added an intervention to the support plan of referral {referral.reference}"
        + (" (plan started)" if plan_created else ""),
        target=referral,
        changes={
            "intervention": {"old": None, "new": str(intervention.pk)},
            **changes_between({}, {k: v for k, v in values.items() if k not in INTERVENTION_TEXT}),
            **_set({k: values[k] for k in INTERVENTION_TEXT}),
        },
    )
    return intervention


@transaction.atomic
def intervention_update(
    *, actor, intervention: Intervention, data: InterventionData, expected_version: int
) -> Intervention:
    """Change an intervention (its outcome, dates...), refusing a stale version: someone
    else's change is never overwritten. For case managers."""
    current = (
        Intervention.objects.select_for_update()
        .select_related("plan__referral")
        .get(pk=intervention.pk)
    )
    if current.version != expected_version:
        raise ConflictError()
    referral = current.plan.referral
    _check_intervention(data, referral, before=current)
    before = _intervention_values(current)
    for name in INTERVENTION_FIELDS:
        value = getattr(data, name)
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    after = _intervention_values(current)
    changes = changes_between(before, after, sensitive=INTERVENTION_TEXT)
    if not changes:
        return current
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Changed an intervention of referral {referral.reference}",
        target=referral,
        changes={
            "intervention": {"old": str(current.pk), "new": str(current.pk)},
            "version": {"old": expected_version, "new": current.version},
            **changes,
        },
    )
    return current


# -- Case notes ------------------------------------------------------------------------


@transaction.atomic
def note_add(
    *,
    actor,
    referral: Referral,
    contact_at: datetime,
    kind: str,
    text: str,
    corrects: CaseNote | None = None,
    token: uuid.UUID | None = None,
) -> CaseNote:
    """Append a note to the case chronology. Notes are never changed: with `corrects`, the
    new note puts an earlier one right, and that one stays, marked as corrected (once: a
    correction is itself corrected by a further note). For case managers."""
    existing = _by_token(CaseNote, token, referral=referral)
    if existing is not None:
        return existing
    if kind not in NoteKind.values:
        raise CaseworkError("Select the kind of contact")
    if not text.strip():
        raise CaseworkError("Enter the note")
    if contact_at > timezone.now():
        raise CaseworkError("The date and time of contact must be in the past")
    if timezone.localtime(contact_at).date() < referral.date_received:
        raise CaseworkError(
            "The date of contact must be on or after the date the referral was received, "
            f"{_long(referral.date_received)}"
        )
    if corrects is not None:
        corrects = CaseNote.objects.select_for_update().filter(pk=corrects.pk).first()
        if corrects is None or corrects.referral_id != referral.pk:
            raise CaseworkError("The note to correct is not one of this case's notes")
        if CaseNote.objects.filter(corrects=corrects).exists():
            raise CaseworkError(
                "That note has already been corrected: correct the latest correction instead"
            )
    note, created = _save_once(
        CaseNote(
            referral=referral,
            contact_at=contact_at,
            kind=kind,
            text=text.strip(),
            corrects=corrects,
            author=_user(actor),
            submission_token=token,
        ),
        referral=referral,
    )
    if not created:
        return note
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added a case note to referral {referral.reference}"
        + (" correcting an earlier note" if corrects else ""),
        target=referral,
        changes={
            "note": {"old": None, "new": str(note.pk)},
            **changes_between(
                {},
                {
                    "kind": kind,
                    "contact_at": contact_at.isoformat(),
                    "corrects": str(corrects.pk) if corrects else None,
                },
            ),
            **_set({"text": note.text}),
        },
    )
    return note


# -- Risk flags and escalations --------------------------------------------------------

NEEDS_RECIPIENT = frozenset(RiskKind.values) - {RiskKind.IMMEDIATE_RISK}
RISK_TEXT = frozenset({"to_whom", "reason", "outcome"})


@transaction.atomic
def risk_flag_raise(
    *,
    actor,
    referral: Referral,
    kind: str,
    raised_on: date,
    to_whom: str,
    reason: str,
    outcome: str = "",
    police_led: bool = False,
    expected_version: int | None = None,
    token: uuid.UUID | None = None,
) -> RiskFlag:
    """Raise a risk flag or record an escalation; it shows on every page of the case until
    closed. With `police_led` (only for a case passed back to counter-terrorism policing)
    the case also takes the "police-led" step, version-checked, in this transaction. For
    case managers. A second call with the same `token` returns the first flag."""
    existing = _by_token(RiskFlag, token, referral=referral)
    if existing is not None:
        return existing
    if kind not in RiskKind.values:
        raise CaseworkError("Select the kind of risk or escalation")
    _check_day(raised_on, referral, "date of the risk or escalation")
    if kind in NEEDS_RECIPIENT and not to_whom.strip():
        raise CaseworkError("Enter who the case was escalated or handed to")
    if not reason.strip():
        raise CaseworkError("Enter the reason")
    if police_led:
        if kind != RiskKind.POLICE_LED:
            raise CaseworkError(
                "Only a case passed back to counter-terrorism policing can be closed as police-led"
            )
        try:
            referral_transition(
                actor=actor,
                referral=referral,
                to_status=S.POLICE_LED,
                reason="Passed back to counter-terrorism policing as police-led.",
                occurred_on=raised_on,
                expected_version=expected_version,
            )
        except StaleVersionError as problem:
            existing = _by_token(RiskFlag, token, referral=referral)
            if existing is not None:
                return existing
            raise ConflictError(str(problem)) from problem
        except TransitionError as problem:
            raise CaseworkError(str(problem)) from problem
    flag, created = _save_once(
        RiskFlag(
            referral=referral,
            kind=kind,
            raised_on=raised_on,
            to_whom=to_whom.strip(),
            reason=reason.strip(),
            outcome=outcome.strip(),
            raised_by=_user(actor),
            submission_token=token,
        ),
        referral=referral,
    )
    if not created:
        return flag
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Raised a risk flag on referral {referral.reference}: "
        f"{RiskKind(kind).label.lower()}",
        target=referral,
        changes={
            "risk_flag": {"old": None, "new": str(flag.pk)},
            **changes_between({}, {"kind": kind, "raised_on": raised_on.isoformat()}),
            **_set({"to_whom": flag.to_whom, "reason": flag.reason, "outcome": flag.outcome}),
        },
    )
    return flag


@transaction.atomic
def risk_flag_update(
    *,
    actor,
    flag: RiskFlag,
    to_whom: str,
    outcome: str,
    closed_on: date | None,
    expected_version: int,
) -> RiskFlag:
    """Record the outcome of a flag and, with `closed_on`, close it (it then leaves the
    banner). Refuses a stale version. For case managers."""
    current = RiskFlag.objects.select_for_update().select_related("referral").get(pk=flag.pk)
    if current.version != expected_version:
        raise ConflictError()
    if current.kind in NEEDS_RECIPIENT and not to_whom.strip():
        raise CaseworkError("Enter who the case was escalated or handed to")
    if closed_on is not None:
        if closed_on > timezone.localdate():
            raise CaseworkError("The date closed must be today or in the past")
        if closed_on < current.raised_on:
            raise CaseworkError(
                f"The date closed must be on or after the date raised, {_long(current.raised_on)}"
            )
        if not outcome.strip():
            raise CaseworkError("Enter the outcome before closing the flag")
    before = {
        "to_whom": current.to_whom,
        "outcome": current.outcome,
        "closed_on": plain_value(current.closed_on),
    }
    current.to_whom, current.outcome, current.closed_on = (
        to_whom.strip(),
        outcome.strip(),
        closed_on,
    )
    after = {
        "to_whom": current.to_whom,
        "outcome": current.outcome,
        "closed_on": plain_value(closed_on),
    }
    changes = changes_between(before, after, sensitive=RISK_TEXT)
    if not changes:
        return current
    current.version += 1
    current.save()
    referral = current.referral
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"{'Closed' if closed_on and not before['closed_on'] else 'Changed'} a risk "
        f"flag of referral {referral.reference}",
        target=referral,
        changes={
            "risk_flag": {"old": str(current.pk), "new": str(current.pk)},
            "version": {"old": expected_version, "new": current.version},
            **changes,
        },
    )
    return current
