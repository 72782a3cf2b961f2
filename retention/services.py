"""Proposing, withdrawing and approving the disposal of a case, and legal holds.

Every service is atomic, locks the rows it changes and is audited. Approval needs a
second supervisor (not the proposer) and runs the disposal in the same transaction:
the personal data of the case is removed in every app, the anonymous facts that the
reports count are kept (docs/security.md §13), and the audit trace records only counts.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import CaseNote, ConsentRecord, RiskFlag, SupportPlan
from channel.models import AgendaItem, PanelAction
from disclosures.services import remove_personal_data as remove_disclosures
from documents.services import remove_for_disposal as remove_documents
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from referrals.models import Person, PersonMatchReview, Referral, ReferralEvent
from retention.models import Disposal, DisposalReason, DisposalStatus, LegalHold
from vaf.models import Assessment
from worklist.models import Task

# What a disposed person is called on every page.
DISPOSED_NAME = "Disposed of"
# What a panel action about a disposed case says instead.
REMOVED_TEXT = "Removed when the case was disposed of"


class RetentionError(Exception):
    """A disposal step that is not allowed; the message is for the user."""


class StaleDisposalError(RetentionError):
    def __init__(self):
        super().__init__(
            "This disposal was changed by someone else while you were looking at it. "
            "Check the latest state and try again."
        )


def is_disposed(referral: Referral) -> bool:
    return Disposal.objects.filter(referral=referral, status=DisposalStatus.DISPOSED).exists()


def _check_disposable(referral: Referral, today: date) -> None:
    if is_disposed(referral):
        raise RetentionError(f"Case {referral.reference} has already been disposed of.")
    if referral.disposal_due_on is None or referral.disposal_due_on > today:
        raise RetentionError(
            f"Case {referral.reference} is not due for disposal"
            + (f" until {referral.disposal_due_on:%-d %B %Y}." if referral.disposal_due_on else ".")
        )
    if LegalHold.objects.filter(referral=referral, lifted_at__isnull=True).exists():
        raise RetentionError(
            f"Case {referral.reference} is under a legal hold: lift the hold first."
        )


def _locked_referral(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


@transaction.atomic
def disposal_propose(*, actor, referral: Referral, reason: str, today: date | None = None):
    """Propose a due case for disposal; a second supervisor approves it."""
    today = today or timezone.localdate()
    if reason not in DisposalReason.values:
        raise RetentionError("Select why the case should be disposed of")
    current = _locked_referral(referral)
    _check_disposable(current, today)
    if Disposal.objects.filter(referral=current, status=DisposalStatus.PROPOSED).exists():
        raise RetentionError(f"Case {current.reference} is already proposed for disposal.")
    try:
        with transaction.atomic():
            disposal = Disposal.objects.create(referral=current, reason=reason, proposed_by=actor)
    except IntegrityError as error:  # a proposal made at the same moment
        raise RetentionError(
            f"Case {current.reference} is already proposed for disposal."
        ) from error
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Proposed the disposal of referral {current.reference}",
        target=disposal,
        changes={"reason": {"old": None, "new": reason}, "referral": current.reference},
    )
    return disposal


def _locked_proposal(disposal: Disposal, version: int) -> Disposal:
    current = Disposal.objects.select_for_update().select_related("referral").get(pk=disposal.pk)
    if current.status != DisposalStatus.PROPOSED:
        raise RetentionError(
            f"This proposal has already been {current.get_status_display().lower()}."
        )
    if current.version != version:
        raise StaleDisposalError()
    return current


@transaction.atomic
def disposal_withdraw(*, actor, disposal: Disposal, version: int) -> Disposal:
    """Withdraw a proposal (the proposer or another supervisor); nothing is removed."""
    current = _locked_proposal(disposal, version)
    current.status = DisposalStatus.WITHDRAWN
    current.decided_by, current.decided_at = actor, timezone.now()
    current.version += 1
    current.save(update_fields=["status", "decided_by", "decided_at", "version"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Withdrew the proposed disposal of referral {current.referral.reference}",
        target=current,
        changes={"status": {"old": DisposalStatus.PROPOSED, "new": DisposalStatus.WITHDRAWN}},
    )
    return current


@transaction.atomic
def disposal_approve(
    *, actor, disposal: Disposal, version: int, today: date | None = None
) -> Disposal:
    """Approve a proposal made by someone else, and dispose of the case at once."""
    today = today or timezone.localdate()
    current = _locked_proposal(disposal, version)
    if current.proposed_by_id == actor.pk:
        raise RetentionError("A second supervisor must approve a disposal: you proposed this one.")
    referral = _locked_referral(current.referral)
    _check_disposable(referral, today)
    removed = remove_personal_data(referral)
    current.status = DisposalStatus.DISPOSED
    current.decided_by, current.decided_at = actor, timezone.now()
    current.removed = removed
    current.version += 1
    current.save(update_fields=["status", "decided_by", "decided_at", "removed", "version"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DISPOSE,
        summary=f"Disposed of referral {referral.reference} (proposed by "
        f"{current.proposed_by.get_username()}, approved by {actor.get_username()})",
        target=referral,
        changes={"disposal": str(current.pk), "removed": removed},
    )
    return current


def _anonymise_person(person: Person) -> bool:
    """Empty the person's identifying fields unless a case not disposed of remains.

    Sex and district stay (the reports count them); the date of birth gives way to the
    age at the earliest referral, so that the age band at referral stays countable."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    referrals = list(person.referrals.order_by("date_received"))
    disposed = set(
        Disposal.objects.filter(
            referral__person=person, status=DisposalStatus.DISPOSED
        ).values_list("referral_id", flat=True)
    )
    remaining = [r for r in referrals if r.pk not in disposed]
    if len(remaining) > 1:  # the one being disposed of now, and another
        return False
    first = referrals[0]
    age = first.age_at_referral
    person.given_names, person.family_name = "", DISPOSED_NAME
    person.date_of_birth = None
    person.approximate_age = min(age, 120) if age is not None and age >= 0 else None
    person.approximate_age_on = first.date_received if person.approximate_age is not None else None
    person.address = person.nationality = person.first_language = person.setting = ""
    person.version += 1
    person.save()
    return True


def remove_personal_data(referral: Referral) -> dict:
    """Remove the personal data of one case everywhere; return counts per kind.

    Kept: the referral row with its reference data (sector, concern types, primary
    type, outcome), status, dates; the steps of its journey (statuses and dates); the
    panel agenda rows (decision and dates). Everything written about the person goes.
    """
    removed = {}

    def count(label, number):
        if number:
            removed[label] = removed.get(label, 0) + number

    assessments = Assessment.objects.filter(referral=referral).delete()[1]
    count("assessments", assessments.get("vaf.Assessment", 0))
    count("consent records", ConsentRecord.objects.filter(referral=referral).delete()[0])
    plans = SupportPlan.objects.filter(referral=referral).delete()[1]
    count("support plans", plans.get("casework.SupportPlan", 0))
    count("interventions", plans.get("casework.Intervention", 0))
    count("case notes", CaseNote.objects.filter(referral=referral).delete()[0])
    count("risk flags", RiskFlag.objects.filter(referral=referral).delete()[0])
    count("tasks", Task.objects.filter(referral=referral).delete()[0])
    # A possible match waiting to be confirmed links this case to other people.
    reviews = PersonMatchReview.objects.filter(referral=referral).delete()[1]
    count("possible matches", reviews.get("referrals.PersonMatchReview", 0))
    # Documents and letters: the rows now, the stored files once the disposal commits.
    for label, number in remove_documents(referral).items():
        count(label, number)
    items = AgendaItem.objects.filter(referral=referral)
    count(
        "panel actions emptied",
        PanelAction.objects.filter(agenda_item__in=items).update(description=REMOVED_TEXT),
    )
    count("panel decisions emptied", items.update(reason="", signposted_to=""))
    count(
        "journey steps emptied",
        ReferralEvent.objects.filter(referral=referral).update(reason="", details={}),
    )
    Referral.objects.filter(pk=referral.pk).update(
        police_reference="",
        referrer_name="",
        referrer_role="",
        referrer_organisation="",
        referrer_contact="",
        concerns="",
        complex_needs="",
        other_information="",
        version=referral.version + 1,
        updated_at=timezone.now(),
    )
    count("referral details emptied", 1)
    anonymised = _anonymise_person(referral.person)
    if anonymised:
        count("people anonymised", 1)
        # Nobody can be matched with a record that no longer says who it was.
        PersonMatchReview.candidates.through.objects.filter(person=referral.person).delete()
    # The disclosure log and subject access requests (disclosures app).
    disclosures = remove_disclosures(referral=referral, person_anonymised=anonymised)
    for label, number in disclosures.items():
        count(label, number)
    return removed


@transaction.atomic
def hold_place(*, actor, referral: Referral, reason: str) -> LegalHold:
    if reason not in LegalHold.Reason.values:
        raise RetentionError("Select why the case is held")
    current = _locked_referral(referral)
    if is_disposed(current):
        raise RetentionError(f"Case {current.reference} has already been disposed of.")
    if LegalHold.objects.filter(referral=current, lifted_at__isnull=True).exists():
        raise RetentionError(f"Case {current.reference} is already under a legal hold.")
    hold = LegalHold.objects.create(referral=current, reason=reason, placed_by=actor)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Placed a legal hold on referral {current.reference}",
        target=hold,
        changes={"reason": {"old": None, "new": reason}},
    )
    return hold


@transaction.atomic
def hold_lift(*, actor, hold: LegalHold) -> LegalHold:
    current = LegalHold.objects.select_for_update().select_related("referral").get(pk=hold.pk)
    if current.lifted_at is not None:
        raise RetentionError("This legal hold has already been lifted.")
    current.lifted_by, current.lifted_at = actor, timezone.now()
    current.save(update_fields=["lifted_by", "lifted_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Lifted the legal hold on referral {current.referral.reference}",
        target=current,
        changes={"lifted": {"old": False, "new": True}},
    )
    return current
