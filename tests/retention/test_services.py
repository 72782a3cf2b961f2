"""Proposing, approving and withdrawing disposals; legal holds; what a disposal removes."""

import json
from datetime import date

import pytest
from django.db import models

from casework.models import CaseNote, ConsentRecord, Intervention, RiskFlag, SupportPlan
from channel.models import AgendaItem, PanelAction
from prevent_portal.audit.models import AuditEvent
from referrals.models import Person, Referral, ReferralEvent
from reporting.annual import _band, _referral_rows, referral_figures
from retention.models import Disposal, DisposalStatus, LegalHold
from retention.services import (
    DISPOSED_NAME,
    RetentionError,
    StaleDisposalError,
    disposal_approve,
    disposal_propose,
    disposal_withdraw,
    hold_lift,
    hold_place,
)
from tests.conftest import make_user
from tests.retention.conftest import SECRETS, due_case, full_case
from vaf.models import Assessment, Rating
from worklist.models import Task

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture
def supervisors():
    return make_user("sup-coordinator", "coordinator"), make_user("sup-chair", "chair")


def _propose(referral, user):
    return disposal_propose(actor=user, referral=referral, reason="retention_ended", today=TODAY)


def _dispose(referral, supervisors):
    proposer, approver = supervisors
    proposal = _propose(referral, proposer)
    return disposal_approve(actor=approver, disposal=proposal, version=1, today=TODAY)


def test_a_case_not_yet_due_cannot_be_proposed(supervisors):
    referral = due_case(left=date(2021, 1, 10))  # due on 10 January 2027
    with pytest.raises(RetentionError, match="not due for disposal until 10 January 2027"):
        _propose(referral, supervisors[0])
    open_case = due_case()
    Referral.objects.filter(pk=open_case.pk).update(disposal_due_on=None)
    open_case.refresh_from_db()
    with pytest.raises(RetentionError, match="not due"):
        _propose(open_case, supervisors[0])
    assert not Disposal.objects.exists()


def test_a_due_case_is_proposed_once(supervisors):
    referral = due_case()
    proposal = _propose(referral, supervisors[0])
    assert proposal.status == DisposalStatus.PROPOSED
    with pytest.raises(RetentionError, match="already proposed"):
        _propose(referral, supervisors[1])
    assert Disposal.objects.count() == 1


def test_the_proposer_cannot_approve(supervisors):
    referral = full_case(supervisors[0])
    proposal = _propose(referral, supervisors[0])
    with pytest.raises(RetentionError, match="second supervisor"):
        disposal_approve(
            actor=supervisors[0], disposal=proposal, version=proposal.version, today=TODAY
        )
    proposal.refresh_from_db()
    assert proposal.status == DisposalStatus.PROPOSED
    assert CaseNote.objects.filter(referral=referral).count() == 2


def test_a_second_approval_does_nothing_twice(supervisors):
    referral = full_case(supervisors[0])
    proposer, approver = supervisors
    proposal = _propose(referral, proposer)
    done = disposal_approve(actor=approver, disposal=proposal, version=1, today=TODAY)
    assert done.status == DisposalStatus.DISPOSED
    assert done.decided_by == approver
    with pytest.raises(RetentionError, match="already been disposed of"):
        disposal_approve(actor=approver, disposal=proposal, version=1, today=TODAY)
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.DISPOSE).count() == 1
    with pytest.raises(RetentionError, match="already been disposed of"):
        _propose(referral, proposer)


def test_a_stale_version_is_refused(supervisors):
    referral = due_case()
    proposal = _propose(referral, supervisors[0])
    with pytest.raises(StaleDisposalError):
        disposal_approve(
            actor=supervisors[1], disposal=proposal, version=proposal.version + 1, today=TODAY
        )
    assert Disposal.objects.get().status == DisposalStatus.PROPOSED


def test_a_proposal_can_be_withdrawn_and_then_not_approved(supervisors):
    referral = full_case(supervisors[0])
    proposal = _propose(referral, supervisors[0])
    withdrawn = disposal_withdraw(actor=supervisors[0], disposal=proposal, version=1)
    assert withdrawn.status == DisposalStatus.WITHDRAWN
    with pytest.raises(RetentionError, match="already been withdrawn"):
        disposal_approve(actor=supervisors[1], disposal=proposal, version=1, today=TODAY)
    assert Assessment.objects.filter(referral=referral).exists()
    # A new proposal may follow.
    assert _propose(referral, supervisors[1]).status == DisposalStatus.PROPOSED


def test_a_legal_hold_stops_proposal_and_approval(supervisors):
    referral = due_case()
    proposal = _propose(referral, supervisors[0])
    hold = hold_place(actor=supervisors[1], referral=referral, reason="litigation")
    with pytest.raises(RetentionError, match="legal hold"):
        disposal_approve(actor=supervisors[1], disposal=proposal, version=1, today=TODAY)
    disposal_withdraw(actor=supervisors[1], disposal=proposal, version=1)
    with pytest.raises(RetentionError, match="legal hold"):
        _propose(referral, supervisors[0])
    with pytest.raises(RetentionError, match="already under a legal hold"):
        hold_place(actor=supervisors[1], referral=referral, reason="inquiry")
    hold_lift(actor=supervisors[0], hold=hold)
    with pytest.raises(RetentionError, match="already been lifted"):
        hold_lift(actor=supervisors[0], hold=hold)
    assert LegalHold.objects.get().lifted_by == supervisors[0]
    assert _propose(referral, supervisors[0]).status == DisposalStatus.PROPOSED


def _texts(referral) -> str:
    """Every text value left in any row of the case, in every app."""
    rows = [
        Referral.objects.filter(pk=referral.pk),
        Person.objects.filter(pk=referral.person_id),
        ReferralEvent.objects.filter(referral=referral),
        AgendaItem.objects.filter(referral=referral),
        PanelAction.objects.filter(agenda_item__referral=referral),
        Assessment.objects.filter(referral=referral),
        Rating.objects.filter(assessment__referral=referral),
        ConsentRecord.objects.filter(referral=referral),
        SupportPlan.objects.filter(referral=referral),
        Intervention.objects.filter(plan__referral=referral),
        CaseNote.objects.filter(referral=referral),
        RiskFlag.objects.filter(referral=referral),
        Task.objects.filter(referral=referral),
    ]
    values = []
    for queryset in rows:
        names = [
            f.name
            for f in queryset.model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        values += [str(v) for v in queryset.values_list(*names)]
    return json.dumps(values)


def test_disposal_removes_the_personal_data_in_every_app(supervisors):
    referral = full_case(supervisors[0])
    before = _texts(referral)
    assert all(secret in before for secret in SECRETS)  # the check can see each of them
    tasks = Task.objects.filter(referral=referral).count()

    disposal = _dispose(referral, supervisors)

    after = _texts(referral)
    assert [secret for secret in SECRETS if secret in after] == []
    assert disposal.removed == {
        "assessments": 1,
        "consent records": 1,
        "support plans": 1,
        "interventions": 1,
        "case notes": 2,
        "risk flags": 1,
        "tasks": tasks,
        "panel actions emptied": 1,
        "panel decisions emptied": 1,
        "journey steps emptied": 4,
        "referral details emptied": 1,
        "people anonymised": 1,
    }
    for model in (Assessment, ConsentRecord, SupportPlan, CaseNote, RiskFlag, Task):
        assert not model.objects.filter(referral=referral).exists()
    # Kept: the rows the figures count, and the panel's agenda (without its reasons).
    referral.refresh_from_db()
    assert referral.events.count() == 4
    assert AgendaItem.objects.get(referral=referral).decision == "not_adopt"
    person = Person.objects.get(pk=referral.person_id)
    assert person.family_name == DISPOSED_NAME
    assert person.date_of_birth is None
    assert (person.sex.name, person.district.name) == ("Male", "Dover")


def test_the_annual_figures_are_the_same_before_and_after(supervisors):
    referrals = [full_case(supervisors[0]) for _ in range(2)]
    due_case(family="Othercase", born=date(2001, 2, 3), sex="Female", sector="Health")
    start, end = date(2018, 4, 1), date(2019, 3, 31)

    def keys():
        rows = _referral_rows(start, end)
        return sorted((r[0], r[1], r[2], r[3], r[4], _band(r)) for r in rows)

    figures, raw = referral_figures(start, end), keys()
    assert len(raw) == 3
    for referral in referrals:
        _dispose(referral, supervisors)
    assert keys() == raw
    assert referral_figures(start, end) == figures
    assert referral_figures(date(2019, 4, 1), date(2020, 3, 31)) == referral_figures(
        date(2019, 4, 1), date(2020, 3, 31)
    )


def test_the_steps_counted_in_the_period_are_kept(supervisors):
    referral = full_case(supervisors[0])
    period = date(2019, 4, 1), date(2020, 3, 31)  # the steps were taken on 1 May 2019
    figures = referral_figures(*period)
    _dispose(referral, supervisors)
    assert referral_figures(*period) == figures


def test_a_person_with_another_live_case_keeps_their_details(supervisors):
    first = due_case()
    second = due_case(person=first.person, received=date(2024, 2, 1), left=date(2024, 3, 1))
    disposal = _dispose(first, supervisors)
    assert "people anonymised" not in disposal.removed
    person = Person.objects.get(pk=first.person_id)
    assert person.family_name == "Testwood"
    # Once the last case of the person goes (here forced due), the person goes too.
    Referral.objects.filter(pk=second.pk).update(disposal_due_on=date(2026, 1, 1))
    second.refresh_from_db()
    disposal = _dispose(second, supervisors)
    assert disposal.removed["people anonymised"] == 1
    person.refresh_from_db()
    assert (person.given_names, person.family_name, person.address) == ("", DISPOSED_NAME, "")
    # The age at the first referral stays exact (8, born 1 May 2010, received 4 March 2019).
    assert (person.approximate_age, person.approximate_age_on) == (8, date(2019, 3, 4))


def test_the_audit_trace_names_who_and_counts_but_holds_no_personal_data(supervisors):
    referral = full_case(supervisors[0])
    disposal = _dispose(referral, supervisors)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DISPOSE, target_id=str(referral.pk))
    assert "sup-coordinator" in event.summary and "sup-chair" in event.summary
    assert event.changes["removed"] == disposal.removed
    trail = json.dumps([[e.summary, e.changes] for e in AuditEvent.objects.all()], default=str)
    assert [secret for secret in SECRETS if secret in trail] == []
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.CREATE, target_type="retention.disposal"
    ).exists()


def test_no_step_of_the_journey_can_be_recorded_after_disposal(persona):
    from django.utils import timezone

    from referrals.services import TransitionError, referral_transition
    from retention.models import Disposal, DisposalReason, DisposalStatus

    referral = due_case()
    Disposal.objects.create(
        referral=referral,
        status=DisposalStatus.DISPOSED,
        reason=DisposalReason.values[0],
        proposed_by=persona("coordinator"),
        decided_by=persona("chair"),
        decided_at=timezone.now(),
    )
    with pytest.raises(TransitionError, match="disposed of"):
        referral_transition(
            actor=persona("chair"),
            referral=referral,
            to_status="post_exit_review",
            reason="",
            occurred_on=timezone.localdate(),
            expected_version=referral.version,
        )
