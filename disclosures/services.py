"""Every change in the disclosures app: the register, the disclosure log, subject access.

Services are atomic and audited in the same transaction. Free text about a person never
goes into the audit log (docs/security.md §11): only which fields changed, and the case
reference. `record_disclosure` is the one way to log a disclosure: other apps call it
when an export leaves the portal with case data.
"""

import calendar
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosures.choices import (
    AgreementStatus,
    Decision,
    LawfulBasis,
    Method,
    RequesterRelationship,
    RequestStatus,
)
from disclosures.models import (
    DisclosureEntry,
    RedactionDecision,
    SharingAgreement,
    SubjectAccessRequest,
)
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between, snapshot
from referrals.models import Person, Referral

# What a disposed case's disclosure entries say instead of what was shared.
REMOVED_TEXT = "Removed when the case was disposed of"

AGREEMENT_FIELDS = (
    "title",
    "partner",
    "other_organisation",
    "purpose",
    "lawful_basis",
    "data_categories",
    "review_on",
    "document_reference",
)


class DisclosureError(Exception):
    """A step that is not allowed; the message is for the user."""


class StaleError(DisclosureError):
    def __init__(self, what: str = "record"):
        super().__init__(
            f"This {what} was changed by someone else while you were working on it. "
            "Check the latest details and try again."
        )


def one_month_after(day: date) -> date:
    """The statutory deadline of a subject access request: the corresponding day of the
    next month, or its last day when there is no such day (31 January -> 28 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------------------
# The information-sharing register
# --------------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(*, actor, data: dict, token=None) -> SharingAgreement:
    """Add an agreement (supervisors of case work). The same form sent twice adds one."""
    if token is not None:
        existing = SharingAgreement.objects.filter(create_token=token).first()
        if existing is not None:
            return existing
    agreement = SharingAgreement(
        create_token=token, created_by=actor, **{k: data.get(k) for k in AGREEMENT_FIELDS}
    )
    agreement.other_organisation = agreement.other_organisation or ""
    agreement.document_reference = agreement.document_reference or ""
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError as error:
        raise DisclosureError("Choose a partner organisation or enter another one") from error
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added the information-sharing agreement {agreement.title}"[:500],
        target=agreement,
        changes=changes_between({}, snapshot(agreement, AGREEMENT_FIELDS)),
    )
    return agreement


def _locked_agreement(agreement: SharingAgreement, expected_version: int) -> SharingAgreement:
    current = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if current.version != expected_version:
        raise StaleError("agreement")
    return current


@transaction.atomic
def agreement_update(
    *, actor, agreement: SharingAgreement, data: dict, expected_version: int
) -> SharingAgreement:
    """Change an agreement; refused if someone else changed it first (docs/security.md §22)."""
    current = _locked_agreement(agreement, expected_version)
    before = snapshot(current, AGREEMENT_FIELDS)
    for field in AGREEMENT_FIELDS:
        value = data.get(field)
        setattr(current, field, "" if value is None and field != "partner" else value)
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Changed the information-sharing agreement {current.title}"[:500],
        target=current,
        changes=changes_between(before, snapshot(current, AGREEMENT_FIELDS)),
    )
    return current


@transaction.atomic
def agreement_end(
    *, actor, agreement: SharingAgreement, ended_on: date, expected_version: int
) -> SharingAgreement:
    """Mark an agreement ended. Disclosures already logged under it keep pointing at it."""
    current = _locked_agreement(agreement, expected_version)
    if current.status == AgreementStatus.ENDED:
        raise DisclosureError("This agreement has already ended.")
    current.status, current.ended_on = AgreementStatus.ENDED, ended_on
    current.version += 1
    current.save(update_fields=["status", "ended_on", "version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Ended the information-sharing agreement {current.title}"[:500],
        target=current,
        changes={
            "status": {"old": AgreementStatus.ACTIVE, "new": AgreementStatus.ENDED},
            "ended_on": {"old": None, "new": ended_on.isoformat()},
        },
    )
    return current


# --------------------------------------------------------------------------------------
# The disclosure log
# --------------------------------------------------------------------------------------


@transaction.atomic
def record_disclosure(
    *,
    actor,
    what_shared: str,
    recipient_organisation: str,
    recipient_role: str,
    purpose: str,
    lawful_basis: str,
    method: str,
    shared_on: date | None = None,
    referral: Referral | None = None,
    person: Person | None = None,
    recipient_partner=None,
    agreement: SharingAgreement | None = None,
    dedupe_key: str | None = None,
) -> DisclosureEntry:
    """Log one disclosure of a person's information (any app may call it, for example
    when an export leaves the portal). Give the referral, or the person for a disclosure
    about the person as a whole. A second call with the same `dedupe_key` returns the
    entry already logged. Audited without the free text."""
    if referral is None and person is None:
        raise DisclosureError("A disclosure must be about a case or a person")
    if lawful_basis not in LawfulBasis.values or method not in Method.values:
        raise DisclosureError("Select the lawful basis and how it was shared")
    if agreement is not None and not agreement.is_active:
        raise DisclosureError("That information-sharing agreement has ended")
    if dedupe_key:
        existing = DisclosureEntry.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    entry = DisclosureEntry(
        person_id=referral.person_id if referral is not None else person.pk,
        referral=referral,
        what_shared=what_shared,
        recipient_partner=recipient_partner,
        recipient_organisation=recipient_organisation[:500],
        recipient_role=recipient_role[:200],
        purpose=purpose,
        lawful_basis=lawful_basis,
        agreement=agreement,
        shared_on=shared_on or timezone.localdate(),
        method=method,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        dedupe_key=dedupe_key or None,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # the same key logged at the same moment
        return DisclosureEntry.objects.get(dedupe_key=dedupe_key)
    about = f"referral {referral.reference}" if referral else f"person {entry.person_id}"
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Logged a disclosure about {about} to {entry.recipient_organisation}"[:500],
        target=entry,
        changes={
            "recipient_organisation": {"old": None, "new": entry.recipient_organisation},
            "lawful_basis": {"old": None, "new": lawful_basis},
            "method": {"old": None, "new": method},
            "shared_on": {"old": None, "new": entry.shared_on.isoformat()},
            "agreement": {"old": None, "new": str(agreement) if agreement else None},
            **{field: {"changed": True} for field in sorted(DisclosureEntry.FREE_TEXT_FIELDS)},
        },
    )
    return entry


def panel_recipients(attendees) -> str:
    """The organisations of the panel members present, or "Channel panel members"."""
    names = sorted(
        {
            attendee.partner.name
            for attendee in attendees
            if attendee.partner_id and attendee.attendance == "present"
        }
    )
    return "; ".join(names) or "Channel panel members"


def record_panel_pack(*, actor, meeting, cases, attendees) -> list[DisclosureEntry]:
    """Log the production of a panel pack: one entry per case in it that the producer may
    see, shared with the panel members' organisations. Once per case, meeting and day."""
    today = timezone.localdate()
    recipients = panel_recipients(attendees)
    return [
        record_disclosure(
            actor=actor,
            referral=case,
            what_shared="Channel panel pack: the case summary (status, types of concern, "
            "the last steps of the journey)",
            recipient_organisation=recipients,
            recipient_role="Channel panel members",
            purpose=f"Discussion of the case at the {meeting}",
            lawful_basis=LawfulBasis.CHANNEL,
            method=Method.PANEL_PACK,
            shared_on=today,
            dedupe_key=f"pack:{meeting.pk}:{case.pk}:{today.isoformat()}",
        )
        for case in cases
    ]


# --------------------------------------------------------------------------------------
# Subject access
# --------------------------------------------------------------------------------------


@transaction.atomic
def sar_create(
    *,
    actor,
    person: Person,
    requester_name: str,
    requester_relationship: str,
    requester_contact: str,
    identity_check: str,
    received_on: date,
    token=None,
) -> SubjectAccessRequest:
    """Start a subject access request (holders of the subject-access grant)."""
    if token is not None:
        existing = SubjectAccessRequest.objects.filter(create_token=token).first()
        if existing is not None:
            return existing
    if requester_relationship not in RequesterRelationship.values:
        raise DisclosureError("Select who is asking")
    request = SubjectAccessRequest.objects.create(
        person=person,
        requester_name=requester_name,
        requester_relationship=requester_relationship,
        requester_contact=requester_contact,
        identity_check=identity_check,
        received_on=received_on,
        due_on=one_month_after(received_on),
        created_by=actor,
        create_token=token,
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Started a subject access request about person {person.pk}",
        target=request,
        changes={
            "received_on": {"old": None, "new": received_on.isoformat()},
            "due_on": {"old": None, "new": request.due_on.isoformat()},
            "requester_relationship": {"old": None, "new": requester_relationship},
            **{field: {"changed": True} for field in sorted(request.IDENTIFYING_FIELDS)},
        },
    )
    return request


def sar_record_view(*, actor, request: SubjectAccessRequest, what: str) -> None:
    """Every opening of a bundle (preview, confirmation) is an audited view of case data."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.VIEW,
        summary=f"Viewed the {what} of subject access request {request.pk}",
        target=request,
    )


def _locked_request(request: SubjectAccessRequest, expected_version: int):
    current = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if current.status == RequestStatus.RELEASED:
        raise DisclosureError("This bundle has already been approved for release.")
    if current.version != expected_version:
        raise StaleError("request")
    return current


@transaction.atomic
def sar_decide(
    *, actor, request: SubjectAccessRequest, decisions: dict, expected_version: int
) -> SubjectAccessRequest:
    """Record the reviewer's decisions: {item key: (decision or "", note)}. An empty
    decision removes an earlier one. Audited by key and decision (never the note)."""
    current = _locked_request(request, expected_version)
    existing = {d.item_key: d for d in current.decisions.all()}
    changed = {}
    for key, (decision, note) in decisions.items():
        if decision and decision not in Decision.values:
            raise DisclosureError("Choose redact or release")
        old = existing.get(key)
        if not decision:
            if old is not None:
                old.delete()
                changed[key] = {"old": old.decision, "new": None}
            continue
        if old is None:
            RedactionDecision.objects.create(
                request=current, item_key=key, decision=decision, note=note, decided_by=actor
            )
            changed[key] = {"old": None, "new": decision}
        elif (old.decision, old.note) != (decision, note):
            if old.decision != decision:
                changed[key] = {"old": old.decision, "new": decision}
            old.decision, old.note, old.decided_by = decision, note, actor
            old.save()
    current.version += 1
    current.save(update_fields=["version"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Recorded redaction decisions on subject access request {current.pk}",
        target=current,
        changes=changed,
    )
    return current


@transaction.atomic
def sar_release(*, actor, request: SubjectAccessRequest, expected_version: int, bundle):
    """Approve the reviewed bundle for release: refused while a flagged item has no
    decision or a referral of the person is outside the reviewer's scope. Logs the
    release in the disclosure log."""
    current = _locked_request(request, expected_version)
    if bundle.hidden_referrals:
        raise DisclosureError(
            "Some of this person's referrals are outside your caseload: the bundle would be "
            "incomplete. Ask a supervisor of case work to produce it."
        )
    undecided = bundle.undecided
    if undecided:
        raise DisclosureError(
            f"Decide on every flagged item before release: {len(undecided)} "
            f"item{'s' if len(undecided) != 1 else ''} still need a decision."
        )
    current.status = RequestStatus.RELEASED
    current.released_by, current.released_at = actor, timezone.now()
    current.version += 1
    current.save(update_fields=["status", "released_by", "released_at", "version"])
    redacted = sum(1 for cell in bundle.flagged if cell.decision == Decision.REDACT)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Approved subject access request {current.pk} for release "
        f"({bundle.item_count} items, {redacted} redacted)",
        target=current,
        changes={"status": {"old": RequestStatus.IN_REVIEW, "new": RequestStatus.RELEASED}},
    )
    record_disclosure(
        actor=actor,
        person=current.person,
        what_shared=f"Subject access bundle: {bundle.item_count} items in "
        f"{len(bundle.sections)} sections, {redacted} redacted as third-party information",
        recipient_organisation="The requester (subject access)",
        recipient_role=current.get_requester_relationship_display(),
        purpose="Subject access request (UK GDPR Article 15)",
        lawful_basis=LawfulBasis.LEGAL_OBLIGATION,
        method=Method.SUBJECT_ACCESS,
        dedupe_key=f"sar:{current.pk}",
    )
    return current


def sar_record_download(*, actor, request: SubjectAccessRequest, files: list[str]) -> None:
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Downloaded the bundle of subject access request {request.pk}",
        target=request,
        changes={"files": {"old": None, "new": files}},
    )


# --------------------------------------------------------------------------------------
# Disposal (called by retention.services.remove_personal_data)
# --------------------------------------------------------------------------------------


def remove_personal_data(*, referral: Referral, person_anonymised: bool) -> dict:
    """Empty what the log says about a disposed case, and, once the person is anonymised,
    the entries about them as a whole and their subject access requests. The rows stay
    (dates, organisations, lawful bases, methods), so the counts stay. Returns counts."""
    removed = {}
    entries = DisclosureEntry.objects.filter(referral=referral)
    if person_anonymised:
        entries = DisclosureEntry.objects.filter(person_id=referral.person_id)
    number = entries.exclude(what_shared=REMOVED_TEXT).update(
        what_shared=REMOVED_TEXT, purpose="", recipient_role=""
    )
    if number:
        removed["disclosure entries emptied"] = number
    if person_anonymised:
        requests = SubjectAccessRequest.objects.filter(person_id=referral.person_id)
        number = requests.exclude(requester_name="").update(
            requester_name="", requester_contact="", identity_check=""
        )
        RedactionDecision.objects.filter(request__in=requests).exclude(note="").update(note="")
        if number:
            removed["subject access requests emptied"] = number
    return removed
