"""Demo information sharing: three agreements, a few disclosures on demo cases, and one
open subject access request. All invented. Idempotent: agreements and entries carry
fixed one-time keys, and the request is made only when none exists.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from disclosures.choices import LawfulBasis, Method, RequesterRelationship
from disclosures.models import DisclosureEntry, SharingAgreement, SubjectAccessRequest
from disclosures.services import agreement_create, record_disclosure, sar_create
from governance.models import Partner
from prevent_portal.accounts.models import User
from referrals.models import Referral

NAMESPACE = uuid.UUID("0d9c7b1e-3f4a-4e2b-8c5d-6a7b8c9d0e1f")

AGREEMENTS = [
    {
        "title": "Kent and Medway Prevent and Channel information-sharing agreement",
        "partner": "Kent Police",
        "purpose": "Sharing referrals, gateway assessments and Channel case information "
        "between the police and the local authorities for the Channel programme.",
        "lawful_basis": LawfulBasis.CHANNEL,
        "data_categories": "Identity, concerns, VAF assessments, panel decisions, support plan",
        "review_in_days": 200,
        "document_reference": "ISA-DEMO-001 (invented)",
    },
    {
        "title": "Safeguarding information sharing with schools",
        "partner": "Kent Association of Headteachers",
        "purpose": "Telling a school's Designated Safeguarding Lead what it needs to support "
        "a pupil referred to Prevent.",
        "lawful_basis": LawfulBasis.SAFEGUARDING,
        "data_categories": "Identity, the concern in outline, the support agreed",
        "review_in_days": 45,
        "document_reference": "ISA-DEMO-002 (invented)",
    },
    {
        "title": "Health partners: mental health support in Channel cases",
        "partner": "Kent and Medway NHS and Social Care Partnership Trust",
        "purpose": "Asking for and sharing information about mental health needs for Channel "
        "cases and their support plans.",
        "lawful_basis": LawfulBasis.SAFEGUARDING,
        "data_categories": "Identity, complex needs, the support plan",
        "review_in_days": -10,  # overdue for review, as real registers often are
        "document_reference": "ISA-DEMO-003 (invented)",
    },
]

# (what, role, purpose, method, agreement index, days ago): invented, with no names.
ENTRIES = [
    (
        "The referral's concerns and the outcome of the gateway assessment",
        "Designated Safeguarding Lead",
        "So the school can support the pupil while information is gathered",
        Method.SECURE_EMAIL,
        1,
        40,
    ),
    (
        "Attendance concerns and the VAF summary",
        "Channel police practitioner",
        "Information gathering before the Channel panel",
        Method.SECURE_EMAIL,
        0,
        35,
    ),
    (
        "The support plan's mental health intervention",
        "Community mental health team manager",
        "Referral for a mental health assessment agreed in the support plan",
        Method.PHONE,
        2,
        28,
    ),
    (
        "Date and outcome of the last panel review",
        "Designated Safeguarding Lead",
        "To coordinate support in school with the Channel intervention",
        Method.MEETING,
        1,
        20,
    ),
    (
        "The escalation to children's social care and the reason for it",
        "MASH social worker",
        "Immediate safeguarding concern",
        Method.PHONE,
        None,
        12,
    ),
    (
        "A summary of the case at exit",
        "Channel police practitioner",
        "Exit from Channel: no further terrorism-related concerns",
        Method.SECURE_EMAIL,
        0,
        6,
    ),
]


def seed(*, stdout) -> None:
    coordinator = User.objects.filter(username="coordinator").first()
    channel = User.objects.filter(username="channel").first() or coordinator
    if coordinator is None:
        return
    today = timezone.localdate()
    with transaction.atomic():
        agreements = [_agreement(coordinator, spec, today) for spec in AGREEMENTS]
        cases = list(
            Referral.objects.exclude(status="received")
            .filter(person__given_names__gt="")
            .order_by("date_received", "reference")[: len(ENTRIES)]
        )
        for case, (what, role, why, method, index, days) in zip(cases, ENTRIES, strict=False):
            agreement = agreements[index] if index is not None else None
            partner = (
                agreement.partner
                if agreement
                else Partner.objects.filter(name="Kent County Council").first()
            )
            record_disclosure(
                actor=channel,
                referral=case,
                what_shared=what,
                recipient_partner=partner,
                recipient_organisation=partner.name if partner else "Kent County Council",
                recipient_role=role,
                purpose=why,
                lawful_basis=agreement.lawful_basis if agreement else LawfulBasis.SAFEGUARDING,
                agreement=agreement if agreement and agreement.is_active else None,
                shared_on=max(case.date_received, today - timedelta(days=days)),
                method=method,
                dedupe_key=f"demo:{case.reference}:{days}",
            )
        request = _request(coordinator, cases, today)
    stdout.write(
        f"Information sharing: {SharingAgreement.objects.count()} agreements, "
        f"{DisclosureEntry.objects.count()} disclosures logged, "
        f"subject access request {'open' if request else 'not made (no demo case)'}."
    )


def _agreement(actor, spec, today) -> SharingAgreement:
    token = uuid.uuid5(NAMESPACE, spec["title"])
    return agreement_create(
        actor=actor,
        token=token,
        data={
            "title": spec["title"],
            "partner": Partner.objects.filter(name=spec["partner"]).first(),
            "other_organisation": ""
            if Partner.objects.filter(name=spec["partner"]).exists()
            else spec["partner"],
            "purpose": spec["purpose"],
            "lawful_basis": spec["lawful_basis"],
            "data_categories": spec["data_categories"],
            "review_on": today + timedelta(days=spec["review_in_days"]),
            "document_reference": spec["document_reference"],
        },
    )


def _request(actor, cases, today):
    existing = SubjectAccessRequest.objects.first()
    if existing is not None or not cases:
        return existing
    return sar_create(
        actor=actor,
        person=cases[0].person,
        requester_name="Pat Exampleparent (invented)",
        requester_relationship=RequesterRelationship.PARENT,
        requester_contact="1 Pretend Lane, Nowhere (invented)",
        identity_check="Copy of a (pretend) passport and proof of parental responsibility",
        received_on=today - timedelta(days=9),
        token=uuid.uuid5(NAMESPACE, "demo subject access request"),
    )
