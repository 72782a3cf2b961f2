import json
import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from casework.models import CaseNote, ConsentRecord, Intervention, RiskFlag, SupportPlan
from casework.selectors import open_risk_flags
from casework.services import (
    CaseworkError,
    ConflictError,
    consent_record,
    intervention_add,
    intervention_update,
    note_add,
    risk_flag_raise,
    risk_flag_update,
)
from prevent_portal.audit.models import AuditEvent
from referrals.models import Referral, ReferralEvent
from tests.casework.conftest import (
    add_intervention,
    adopted_referral,
    at,
    intervention_data,
    move,
    provider,
    referral_at_consent,
)
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

ADULT_BORN = date(1990, 1, 1)
CHILD_BORN = date(2010, 5, 1)


def record(referral, decision="given", given_by="parent", **extra):
    return consent_record(
        actor=None,
        referral=referral,
        decision=decision,
        given_by=given_by,
        given_by_name=extra.pop("given_by_name", "Pat Invented-Parent"),
        decided_on=extra.pop("decided_on", date(2026, 3, 12)),
        note=extra.pop("note", "Met at the invented family hub"),
        expected_version=extra.pop("expected_version", referral.version),
        **extra,
    )


def status_of(referral):
    return Referral.objects.get(pk=referral.pk).status


def audit_text(**filters):
    return json.dumps(list(AuditEvent.objects.filter(**filters).values("summary", "changes")))


# -- Consent ---------------------------------------------------------------------------


def test_consent_given_by_a_parent_adopts_a_child_at_consent():
    referral = referral_at_consent(born=CHILD_BORN)
    consent = record(referral)
    assert status_of(referral) == "adopted"
    assert consent.event.to_status == "adopted"
    assert consent.event.occurred_on == date(2026, 3, 12)
    text = audit_text(target_id=str(referral.pk))
    assert "Recorded consent given" in text
    assert "Pat Invented-Parent" not in text and "invented family hub" not in text
    assert '"given_by_name": {"set": true}' in text


def test_consent_declined_at_consent_closes_the_case():
    referral = referral_at_consent()
    record(referral, decision="declined")
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == "consent_declined"
    assert stored.left_process_on == date(2026, 3, 12)


@pytest.mark.parametrize("reviewed", [False, True])
def test_consent_withdrawn_from_an_adopted_or_reviewed_case_closes_it(reviewed):
    referral = adopted_referral()
    if reviewed:
        move(referral, "reviewed", on=date(2026, 3, 13))
    record(referral, decision="withdrawn", decided_on=date(2026, 3, 14))
    assert status_of(referral) == "consent_declined"
    assert ConsentRecord.objects.filter(referral=referral).count() == 2


@pytest.mark.parametrize(
    ("steps", "decision", "message"),
    [
        ([], "given", "only while the case is at “Consent”"),
        (["police_gateway"], "declined", "only while the case is at “Consent”"),
        ("adopted", "given", "This case is “Adopted as a Channel case”"),
        ("consent", "withdrawn", "can be withdrawn only from an adopted case"),
        ("declined", "withdrawn", "can be withdrawn only from an adopted case"),
    ],
)
def test_consent_is_refused_where_the_journey_does_not_allow_it(steps, decision, message):
    if steps == "adopted":
        referral = adopted_referral()
    elif steps == "consent":
        referral = referral_at_consent()
    elif steps == "declined":
        referral = referral_at_consent()
        record(referral, decision="declined")
        referral.refresh_from_db()
    else:
        referral = move(new_referral(), *steps)
    before = (status_of(referral), ConsentRecord.objects.count(), ReferralEvent.objects.count())
    with pytest.raises(CaseworkError, match=message):
        record(referral, decision=decision, decided_on=date(2026, 3, 14))
    after = (status_of(referral), ConsentRecord.objects.count(), ReferralEvent.objects.count())
    assert after == before


@pytest.mark.parametrize("given_by", ["person", "other_adult"])
def test_a_child_cannot_consent_without_a_parent_or_carer(given_by):
    referral = referral_at_consent(born=CHILD_BORN)
    with pytest.raises(CaseworkError, match="under 18 on that date: consent must be given by"):
        record(referral, given_by=given_by, given_by_name="Sam Invented-Uncle")
    assert status_of(referral) == "consent"
    assert not ConsentRecord.objects.exists()


def test_the_age_rule_counts_on_the_date_of_consent():
    # 18 on 1 March 2026: a person's own consent on 12 March counts.
    referral = referral_at_consent(born=date(2008, 3, 1))
    record(referral, given_by="person")
    assert status_of(referral) == "adopted"
    assert ConsentRecord.objects.get().given_by_name == ""  # the person's own name: on file


def test_the_day_before_the_eighteenth_birthday_still_needs_a_parent():
    referral = referral_at_consent(born=date(2008, 3, 13))
    with pytest.raises(CaseworkError, match="under 18"):
        record(referral, given_by="person")


def test_an_adult_may_consent_and_another_adult_with_authority_too():
    referral = referral_at_consent(born=ADULT_BORN)
    record(referral, given_by="other_adult", given_by_name="Invented Deputy")
    assert status_of(referral) == "adopted"


def test_a_person_of_unknown_age_needs_a_parent_or_carer():
    referral = referral_at_consent(born=None)
    with pytest.raises(CaseworkError, match="age is not known"):
        record(referral, given_by="person")


def test_a_child_may_decline_without_a_parent():
    referral = referral_at_consent(born=CHILD_BORN)
    record(referral, decision="declined", given_by="person")
    assert status_of(referral) == "consent_declined"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"given_by_name": ""}, "Enter the name of the parent or carer"),
        ({"decided_on": timezone.localdate() + timedelta(days=1)}, "today or in the past"),
        ({"decided_on": date(2026, 3, 1)}, "on or after the date the referral was received"),
        ({"decided_on": date(2026, 3, 9)}, "on or after the last step"),
        ({"decision": "maybe"}, "Select whether consent was given"),
    ],
)
def test_bad_consent_is_refused_and_changes_nothing(extra, message):
    referral = referral_at_consent()
    with pytest.raises(CaseworkError, match=message):
        record(referral, **extra)
    assert status_of(referral) == "consent"
    assert not ConsentRecord.objects.exists()


def test_a_stale_version_is_refused_and_changes_nothing():
    referral = referral_at_consent()
    with pytest.raises(ConflictError, match="changed by someone else"):
        record(referral, expected_version=referral.version - 1)
    assert status_of(referral) == "consent"
    assert not ConsentRecord.objects.exists()


def test_a_stale_version_caught_under_the_row_lock_is_refused():
    referral = referral_at_consent()
    stale = Referral.objects.get(pk=referral.pk)
    move(referral, "consent_declined", on=date(2026, 3, 11))  # someone else, meanwhile
    with pytest.raises(ConflictError):
        record(stale, expected_version=stale.version)
    assert not ConsentRecord.objects.exists()
    assert status_of(referral) == "consent_declined"


def test_a_double_submitted_consent_makes_one_record_and_one_step():
    referral = referral_at_consent()
    token = uuid.uuid4()
    first = record(referral, token=token)
    stale_copy = Referral.objects.get(pk=referral.pk)
    second = record(stale_copy, token=token, expected_version=5)
    assert first.pk == second.pk
    assert ConsentRecord.objects.count() == 1
    assert ReferralEvent.objects.filter(referral=referral, to_status="adopted").count() == 1


# -- Support plan ----------------------------------------------------------------------


def test_the_first_intervention_makes_the_plan_and_later_ones_join_it():
    referral = adopted_referral()
    first = add_intervention(referral)
    second = add_intervention(referral, goal="Invented college course", sessions=None)
    assert SupportPlan.objects.count() == 1
    assert first.plan_id == second.plan_id == referral.support_plan.pk
    text = audit_text(summary__startswith="Added an intervention")
    assert "critical thinking" not in text and '"goal": {"set": true}' in text
    assert "(plan started)" in text


@pytest.mark.parametrize("state", ["consent", "received", "consent_declined"])
def test_interventions_are_refused_unless_the_case_is_adopted_or_reviewed(state):
    referral = referral_at_consent() if state != "received" else new_referral()
    if state == "consent_declined":
        record(referral, decision="declined")
        referral.refresh_from_db()
    with pytest.raises(CaseworkError, match="only while the case is adopted or under review"):
        add_intervention(referral)
    assert not SupportPlan.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": date(2026, 3, 19)}, "The end date must be on or after the start date"),
        ({"starts_on": date(2026, 3, 1)}, "The start date must be on or after"),
        ({"goal": "  "}, "Enter the goal"),
        ({"sessions": 1000}, "0 to 999"),
    ],
)
def test_a_bad_intervention_is_refused(overrides, message):
    referral = adopted_referral()
    with pytest.raises(CaseworkError, match=message):
        add_intervention(referral, **overrides)
    assert not Intervention.objects.exists()


def test_a_retired_provider_is_refused_for_a_new_intervention_but_kept_on_an_edit():
    referral = adopted_referral()
    intervention = add_intervention(referral)
    retired = intervention.provider
    retired.is_active = False
    retired.save()
    with pytest.raises(CaseworkError, match="provider selected is no longer in use"):
        add_intervention(referral)
    updated = intervention_update(
        actor=None,
        intervention=intervention,
        data=intervention_data(provider=retired, outcome="Completed (invented)"),
        expected_version=1,
    )
    assert (updated.provider, updated.version) == (retired, 2)


def test_an_edit_is_audited_without_the_free_text():
    referral = adopted_referral()
    intervention = add_intervention(referral)
    other = provider("Invented Careers Service", accredited=False)
    intervention_update(
        actor=None,
        intervention=intervention,
        data=intervention_data(
            provider=other, ends_on=date(2026, 4, 30), outcome="Secret invented outcome"
        ),
        expected_version=1,
    )
    event = AuditEvent.objects.filter(summary__startswith="Changed an intervention").get()
    assert event.changes["provider"] == {
        "old": "Invented Mentoring Ltd",
        "new": "Invented Careers Service",
    }
    assert event.changes["ends_on"] == {"old": None, "new": "2026-04-30"}
    assert event.changes["outcome"] == {"changed": True}
    assert "Secret" not in json.dumps(event.changes)


def test_a_stale_intervention_edit_is_refused_and_overwrites_nothing():
    referral = adopted_referral()
    intervention = add_intervention(referral)
    intervention_update(
        actor=None,
        intervention=intervention,
        data=intervention_data(outcome="First editor"),
        expected_version=1,
    )
    with pytest.raises(ConflictError):
        intervention_update(
            actor=None,
            intervention=intervention,
            data=intervention_data(outcome="Second editor"),
            expected_version=1,
        )
    assert Intervention.objects.get().outcome == "First editor"


def test_a_double_submitted_intervention_makes_one():
    referral = adopted_referral()
    token = uuid.uuid4()
    data = intervention_data()
    first = intervention_add(actor=None, referral=referral, data=data, token=token)
    second = intervention_add(actor=None, referral=referral, data=data, token=token)
    assert first.pk == second.pk and Intervention.objects.count() == 1


# -- Notes -----------------------------------------------------------------------------


def add_note(referral, **extra):
    return note_add(
        actor=None,
        referral=referral,
        contact_at=extra.pop("contact_at", at(date(2026, 3, 15))),
        kind=extra.pop("kind", "home_visit"),
        text=extra.pop("text", "Visited the invented family home"),
        **extra,
    )


def test_a_note_is_added_and_its_text_stays_out_of_the_audit_log():
    referral = new_referral()
    note = add_note(referral)
    assert note.kind == "home_visit"
    text = audit_text(summary__startswith="Added a case note")
    assert "invented family home" not in text and '"text": {"set": true}' in text


def test_a_correction_leaves_the_original_marked_as_corrected():
    referral = new_referral()
    original = add_note(referral, text="Wrong invented detail")
    correction = add_note(referral, text="Right invented detail", corrects=original)
    original = CaseNote.objects.select_related("correction").get(pk=original.pk)
    assert original.text == "Wrong invented detail"
    assert original.correction == correction
    assert correction.corrects == original


def test_a_note_is_corrected_once_then_the_correction_is_corrected():
    referral = new_referral()
    original = add_note(referral)
    correction = add_note(referral, corrects=original)
    with pytest.raises(CaseworkError, match="already been corrected"):
        add_note(referral, corrects=original)
    add_note(referral, corrects=correction)
    assert CaseNote.objects.count() == 3


def test_a_note_of_another_case_cannot_be_corrected():
    original = add_note(new_referral())
    with pytest.raises(CaseworkError, match="not one of this case's notes"):
        add_note(new_referral(family="Elsewhere"), corrects=original)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"contact_at": timezone.now() + timedelta(hours=1)}, "must be in the past"),
        ({"contact_at": at(date(2026, 3, 1))}, "on or after the date the referral"),
        ({"text": " "}, "Enter the note"),
        ({"kind": "telepathy"}, "Select the kind of contact"),
    ],
)
def test_a_bad_note_is_refused(extra, message):
    with pytest.raises(CaseworkError, match=message):
        add_note(new_referral(), **extra)
    assert not CaseNote.objects.exists()


def test_a_double_submitted_note_makes_one():
    referral = new_referral()
    token = uuid.uuid4()
    assert add_note(referral, token=token).pk == add_note(referral, token=token).pk
    assert CaseNote.objects.count() == 1


# -- Risk flags ------------------------------------------------------------------------


def raise_flag(referral, kind="childrens_social_care", **extra):
    return risk_flag_raise(
        actor=None,
        referral=referral,
        kind=kind,
        raised_on=extra.pop("raised_on", date(2026, 3, 15)),
        to_whom=extra.pop("to_whom", "Invented children's services duty team"),
        reason=extra.pop("reason", "Invented safeguarding concern"),
        **extra,
    )


def test_a_flag_is_open_until_closed_with_an_outcome():
    referral = new_referral()
    flag = raise_flag(referral)
    assert open_risk_flags(referral) == [flag]
    with pytest.raises(CaseworkError, match="Enter the outcome before closing"):
        risk_flag_update(
            actor=None,
            flag=flag,
            to_whom=flag.to_whom,
            outcome="",
            closed_on=date(2026, 3, 20),
            expected_version=1,
        )
    risk_flag_update(
        actor=None,
        flag=flag,
        to_whom=flag.to_whom,
        outcome="Invented: strategy meeting held",
        closed_on=date(2026, 3, 20),
        expected_version=1,
    )
    assert open_risk_flags(referral) == []
    text = audit_text(summary__startswith="Closed a risk flag")
    assert "strategy meeting" not in text and '"closed_on"' in text


def test_an_escalation_needs_to_whom_but_an_immediate_risk_does_not():
    referral = new_referral()
    with pytest.raises(CaseworkError, match="Enter who the case was escalated"):
        raise_flag(referral, to_whom="")
    assert raise_flag(referral, kind="immediate_risk", to_whom="").kind == "immediate_risk"


def test_police_led_takes_the_case_to_police_led_with_the_flag():
    referral = adopted_referral()
    flag = raise_flag(
        referral,
        kind="police_led",
        to_whom="Invented CT policing unit",
        police_led=True,
        expected_version=referral.version,
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == "police_led"
    assert RiskFlag.objects.get() == flag


def test_police_led_is_refused_where_the_journey_does_not_allow_it():
    referral = new_referral()  # received: the police gateway comes first
    with pytest.raises(CaseworkError, match="cannot move to"):
        raise_flag(
            referral,
            kind="police_led",
            police_led=True,
            expected_version=referral.version,
        )
    assert status_of(referral) == "received" and not RiskFlag.objects.exists()


def test_police_led_with_a_stale_version_changes_nothing():
    referral = adopted_referral()
    with pytest.raises(ConflictError):
        raise_flag(referral, kind="police_led", police_led=True, expected_version=1)
    assert status_of(referral) == "adopted" and not RiskFlag.objects.exists()


def test_only_a_police_led_flag_can_close_the_case_as_police_led():
    referral = adopted_referral()
    with pytest.raises(CaseworkError, match="Only a case passed back"):
        raise_flag(referral, kind="mash", police_led=True, expected_version=referral.version)
    assert status_of(referral) == "adopted"


def test_a_stale_flag_edit_is_refused():
    flag = raise_flag(new_referral())
    risk_flag_update(
        actor=None, flag=flag, to_whom="A", outcome="First", closed_on=None, expected_version=1
    )
    with pytest.raises(ConflictError):
        risk_flag_update(
            actor=None, flag=flag, to_whom="B", outcome="Second", closed_on=None, expected_version=1
        )
    assert RiskFlag.objects.get().outcome == "First"


def test_a_flag_cannot_close_before_it_was_raised():
    flag = raise_flag(new_referral())
    with pytest.raises(CaseworkError, match="on or after the date raised"):
        risk_flag_update(
            actor=None,
            flag=flag,
            to_whom=flag.to_whom,
            outcome="Done",
            closed_on=date(2026, 3, 14),
            expected_version=1,
        )


def test_a_double_submitted_flag_makes_one():
    referral = new_referral()
    token = uuid.uuid4()
    assert raise_flag(referral, token=token).pk == raise_flag(referral, token=token).pk
    assert RiskFlag.objects.count() == 1


def test_deleting_a_case_removes_all_its_case_work():
    """Disposal (docs/security.md §13) deletes the referral: its case work goes with it."""
    referral = adopted_referral()
    add_intervention(referral)
    correction = add_note(referral, corrects=add_note(referral))
    add_note(referral, corrects=correction)
    raise_flag(referral)
    Referral.objects.filter(pk=referral.pk).delete()
    for model in (ConsentRecord, SupportPlan, Intervention, CaseNote, RiskFlag):
        assert not model.objects.exists(), model
