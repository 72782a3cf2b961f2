from datetime import date

import pytest

from channel.models import PanelAttendee, PanelMeeting
from disclosures.bundle import build_bundle
from disclosures.choices import AgreementStatus, LawfulBasis, Method, RequestStatus
from disclosures.models import DisclosureEntry, RedactionDecision, SubjectAccessRequest
from disclosures.services import (
    REMOVED_TEXT,
    DisclosureError,
    StaleError,
    agreement_create,
    agreement_end,
    agreement_update,
    one_month_after,
    record_disclosure,
    record_panel_pack,
    sar_create,
    sar_decide,
    sar_release,
)
from governance.models import Partner
from prevent_portal.audit.models import AuditEvent
from tests.disclosures.conftest import make_agreement, make_request, sar_maker
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 10), date(2026, 4, 10)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 15), date(2027, 1, 15)),
        (date(2026, 8, 31), date(2026, 9, 30)),
    ],
)
def test_the_statutory_deadline_is_one_calendar_month(received, due):
    assert one_month_after(received) == due


def _data(**extra):
    return {
        "title": "Schools agreement",
        "partner": Partner.objects.get(name="Kent Police"),
        "other_organisation": "",
        "purpose": "Safeguarding pupils",
        "lawful_basis": LawfulBasis.SAFEGUARDING,
        "data_categories": "Identity",
        "review_on": date(2027, 5, 1),
        "document_reference": "ISA-1",
        **extra,
    }


def test_an_agreement_is_added_once_per_form_and_audited(persona):
    actor = persona("coordinator")
    token = "6f1c2a0e-5b7d-4c8e-9a1f-2d3e4f5a6b7c"
    first = agreement_create(actor=actor, data=_data(), token=token)
    second = agreement_create(actor=actor, data=_data(), token=token)
    assert first.pk == second.pk
    event = AuditEvent.objects.get(target_id=str(first.pk))
    assert event.verb == AuditEvent.Verb.CREATE
    assert event.changes["title"] == {"old": None, "new": "Schools agreement"}


def test_an_agreement_needs_an_organisation(persona):
    with pytest.raises(DisclosureError):
        agreement_create(actor=persona("coordinator"), data=_data(partner=None))


def test_a_stale_agreement_edit_is_refused_and_changes_nothing(persona):
    actor = persona("coordinator")
    agreement = make_agreement()
    agreement_update(
        actor=actor, agreement=agreement, data=_data(title="First"), expected_version=1
    )
    with pytest.raises(StaleError):
        agreement_update(
            actor=actor, agreement=agreement, data=_data(title="Second"), expected_version=1
        )
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == ("First", 2)


def test_ending_an_agreement(persona):
    agreement = make_agreement()
    agreement_end(
        actor=persona("chair"), agreement=agreement, ended_on=date(2026, 4, 1), expected_version=1
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED
    assert agreement.ended_on == date(2026, 4, 1)
    with pytest.raises(DisclosureError):
        agreement_end(
            actor=persona("chair"),
            agreement=agreement,
            ended_on=date(2026, 4, 1),
            expected_version=2,
        )


def _disclose(actor, referral, **extra):
    return record_disclosure(
        actor=actor,
        referral=referral,
        what_shared=extra.pop("what_shared", "Secret summary of concerns"),
        recipient_organisation="Invented Academy",
        recipient_role="Designated Safeguarding Lead",
        purpose=extra.pop("purpose", "Secret purpose"),
        lawful_basis=LawfulBasis.SAFEGUARDING,
        method=Method.SECURE_EMAIL,
        shared_on=date(2026, 3, 20),
        **extra,
    )


def test_a_disclosure_is_logged_once_per_key_and_audited_without_its_text(persona):
    actor = persona("channel")
    referral = new_referral()
    entry = _disclose(actor, referral, dedupe_key="form:1")
    again = _disclose(actor, referral, dedupe_key="form:1")
    assert entry.pk == again.pk and DisclosureEntry.objects.count() == 1
    assert entry.person_id == referral.person_id
    event = AuditEvent.objects.get(target_id=str(entry.pk))
    assert referral.reference in event.summary
    assert "Secret" not in str(event.changes) and "Secret" not in event.summary
    assert event.changes["what_shared"] == {"changed": True}


def test_a_disclosure_under_an_ended_agreement_is_refused(persona):
    agreement = make_agreement(status=AgreementStatus.ENDED)
    with pytest.raises(DisclosureError):
        _disclose(persona("channel"), new_referral(), agreement=agreement)
    assert not DisclosureEntry.objects.exists()


def test_the_panel_pack_logs_each_case_with_the_attendees_organisations(persona):
    actor = persona("coordinator")
    referrals = [new_referral(), new_referral(given="Sam")]
    meeting = PanelMeeting.objects.create(meeting_date=date(2026, 3, 25))
    attendees = [
        PanelAttendee.objects.create(
            meeting=meeting,
            name="Invented Officer",
            partner=Partner.objects.get(name="Kent Police"),
        ),
        PanelAttendee.objects.create(
            meeting=meeting,
            name="Invented Nurse",
            partner=Partner.objects.get(name="NHS Kent and Medway Integrated Care Board"),
        ),
        PanelAttendee.objects.create(
            meeting=meeting,
            name="Absent Person",
            partner=Partner.objects.get(name="Kent Fire and Rescue Service"),
            attendance="apologies",
        ),
    ]
    record_panel_pack(actor=actor, meeting=meeting, cases=referrals, attendees=attendees)
    record_panel_pack(actor=actor, meeting=meeting, cases=referrals, attendees=attendees)
    entries = DisclosureEntry.objects.order_by("recorded_at")
    assert entries.count() == 2  # once per case, meeting and day
    assert entries[0].recipient_organisation == (
        "Kent Police; NHS Kent and Medway Integrated Care Board"
    )
    assert entries[0].method == Method.PANEL_PACK
    assert record_panel_pack(actor=actor, meeting=meeting, cases=referrals[:1], attendees=[])[
        0
    ].recipient_organisation.startswith("Kent Police")  # the day's entry already exists


def test_a_request_is_due_one_month_after_receipt_and_audited_without_names(persona):
    actor = sar_maker()
    referral = new_referral()
    request = sar_create(
        actor=actor,
        person=referral.person,
        requester_name="Pat Requester",
        requester_relationship="parent",
        requester_contact="1 Invented Row",
        identity_check="Passport",
        received_on=date(2026, 1, 31),
    )
    assert request.due_on == date(2026, 2, 28)
    event = AuditEvent.objects.get(target_id=str(request.pk))
    assert "Pat" not in str(event.changes) and "Invented Row" not in str(event.changes)


def test_release_needs_a_decision_on_every_flagged_item(persona):
    actor = sar_maker()
    referral = new_referral()
    request = make_request(referral.person)
    bundle = build_bundle(request, user=actor)
    assert bundle.undecided  # at least the referrer's name and the concerns
    with pytest.raises(DisclosureError, match="Decide on every flagged item"):
        sar_release(actor=actor, request=request, expected_version=1, bundle=bundle)
    decisions = {cell.key: ("redact", "") for cell in bundle.flagged}
    sar_decide(actor=actor, request=request, decisions=decisions, expected_version=1)
    with pytest.raises(StaleError):
        sar_decide(actor=actor, request=request, decisions=decisions, expected_version=1)
    request.refresh_from_db()
    bundle = build_bundle(request, user=actor)
    assert not bundle.undecided
    sar_release(actor=actor, request=request, expected_version=2, bundle=bundle)
    request.refresh_from_db()
    assert request.status == RequestStatus.RELEASED
    logged = DisclosureEntry.objects.get(method=Method.SUBJECT_ACCESS)
    assert logged.person_id == referral.person_id and logged.referral is None
    with pytest.raises(DisclosureError, match="already been approved"):
        sar_decide(actor=actor, request=request, decisions={}, expected_version=3)


def test_an_empty_decision_removes_an_earlier_one(persona):
    actor = sar_maker()
    request = make_request(new_referral().person)
    key = build_bundle(request, user=actor).flagged[0].key
    sar_decide(actor=actor, request=request, decisions={key: ("release", "ok")}, expected_version=1)
    assert RedactionDecision.objects.get().decision == "release"
    sar_decide(actor=actor, request=request, decisions={key: ("", "")}, expected_version=2)
    assert not RedactionDecision.objects.exists()


def test_disposal_empties_the_disclosures_and_requests_but_keeps_the_rows(persona):
    from retention.services import disposal_approve, disposal_propose
    from tests.retention.conftest import full_case

    coordinator, chair = persona("coordinator"), persona("chair")
    referral = full_case(coordinator)
    _disclose(coordinator, referral)
    request = make_request(referral.person)
    RedactionDecision.objects.create(
        request=request, item_key="x", decision="redact", note="Secret note", decided_by=chair
    )
    record_disclosure(
        actor=coordinator,
        person=referral.person,
        what_shared="Secret bundle summary",
        recipient_organisation="The requester",
        recipient_role="Secret role",
        purpose="Secret SAR purpose",
        lawful_basis=LawfulBasis.LEGAL_OBLIGATION,
        method=Method.SUBJECT_ACCESS,
    )
    before = DisclosureEntry.objects.count()
    proposal = disposal_propose(actor=coordinator, referral=referral, reason="retention_ended")
    disposal = disposal_approve(actor=chair, disposal=proposal, version=proposal.version)
    assert DisclosureEntry.objects.count() == before == 2
    for entry in DisclosureEntry.objects.all():
        assert entry.what_shared == REMOVED_TEXT
        assert entry.purpose == "" and entry.recipient_role == ""
        assert entry.recipient_organisation  # organisations are kept, for the counts
    request.refresh_from_db()
    assert (request.requester_name, request.requester_contact) == ("", "")
    assert SubjectAccessRequest.objects.count() == 1
    assert RedactionDecision.objects.get().note == ""
    assert disposal.removed["disclosure entries emptied"] == 2
    assert disposal.removed["subject access requests emptied"] == 1
