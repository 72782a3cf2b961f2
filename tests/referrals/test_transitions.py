from datetime import date, timedelta

import pytest
from django.utils import timezone

from prevent_portal.audit.models import AuditEvent
from referrals.choices import ReferralStatus
from referrals.models import Referral, ReferralEvent
from referrals.services import StaleVersionError, TransitionError, referral_transition
from referrals.transitions import LEAVES_PROCESS, STEP_LABELS, TRANSITIONS
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

LEGAL = [(source, target) for source, targets in TRANSITIONS.items() for target in targets]
ILLEGAL = [
    (source, target)
    for source in ReferralStatus.values
    for target in ReferralStatus.values
    if target not in TRANSITIONS.get(source, ())
]
ON = date(2026, 4, 1)


def at_status(status, **extra):
    referral = new_referral(**extra)
    Referral.objects.filter(pk=referral.pk).update(status=status)
    referral.refresh_from_db()
    return referral


def with_history(source, target):
    """A case at `source`; after an exit, with the exit and the post-exit reviews that
    `target` needs (reviews are spaced 6 and 12 months after the exit)."""
    if source not in ("exit", "post_exit_review"):
        return at_status(source)
    referral = at_status(source, received=date(2025, 3, 2))
    Referral.objects.filter(pk=referral.pk).update(left_process_on=date(2025, 3, 15))
    steps = [("reviewed", "exit", date(2025, 3, 15))]
    if source == "post_exit_review":
        steps.append(("exit", "post_exit_review", date(2025, 9, 15)))
    if target == "closed":
        steps.append(("post_exit_review", "post_exit_review", date(2026, 3, 16)))
    ReferralEvent.objects.bulk_create(
        ReferralEvent(referral=referral, from_status=old, to_status=new, occurred_on=on)
        for old, new, on in steps
    )
    return referral


def step(referral, to_status, *, actor=None, on=ON, version=None, **details):
    if to_status == ReferralStatus.SIGNPOSTED:
        details.setdefault("signposted_to", "Invented Youth Service")
    return referral_transition(
        actor=actor,
        referral=referral,
        to_status=to_status,
        reason="Agreed at the invented meeting",
        occurred_on=on,
        expected_version=referral.version if version is None else version,
        **details,
    )


def test_every_status_but_received_can_be_offered_as_a_step():
    assert set(STEP_LABELS) == set(ReferralStatus.values) - {ReferralStatus.RECEIVED}


def test_the_main_journey_runs_from_received_to_closed():
    path = [
        "police_gateway",
        "information_gathering",
        "panel",
        "consent",
        "adopted",
        "reviewed",
        "exit",
        "post_exit_review",
        "post_exit_review",
        "closed",
    ]
    for first, second in zip(["received", *path], path, strict=False):
        assert second in TRANSITIONS[first]
    assert "closed" not in TRANSITIONS


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_each_allowed_step_moves_the_case_and_records_it(reference_data, persona, source, target):
    actor = persona("channel")
    referral = with_history(source, target)
    event = step(referral, target, actor=actor)
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == target
    assert stored.version == 2
    assert (event.from_status, event.to_status, event.occurred_on) == (source, target, ON)
    assert event.actor == actor
    assert event.reason == "Agreed at the invented meeting"
    audit = AuditEvent.objects.filter(target_id=str(referral.pk), verb=AuditEvent.Verb.UPDATE)
    assert audit.count() == 1
    changes = audit.get().changes
    if source != target:
        assert changes["status"] == {"old": source, "new": target}
    assert changes["reason"] == {"set": True}
    assert "invented meeting" not in str(changes)


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_each_step_not_in_the_table_is_refused_and_changes_nothing(reference_data, source, target):
    referral = at_status(source)
    with pytest.raises(TransitionError) as problem:
        step(referral, target)
    assert str(problem.value)
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == (source, 1)
    assert not ReferralEvent.objects.filter(referral=referral).exists()
    assert not AuditEvent.objects.filter(
        target_id=str(referral.pk), verb=AuditEvent.Verb.UPDATE
    ).exists()


def test_an_illegal_step_says_which_step_is_refused(reference_data):
    referral = at_status("police_gateway")
    with pytest.raises(TransitionError, match="cannot move to “Closed: not adopted at panel”"):
        step(referral, "not_adopted")


def test_a_final_status_says_no_further_step_can_be_recorded(reference_data):
    referral = at_status("no_further_action")
    with pytest.raises(TransitionError, match="no further step can be recorded"):
        step(referral, "police_gateway")


def test_a_stale_version_is_refused_with_the_conflict_message(reference_data):
    referral = new_referral()
    step(referral, "police_gateway")
    with pytest.raises(StaleVersionError, match="changed by someone else"):
        step(referral, "information_gathering", version=1)
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == ("police_gateway", 2)
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


@pytest.mark.parametrize("target", sorted(LEAVES_PROCESS))
def test_an_exit_sets_the_date_left_and_the_disposal_date(reference_data, settings, target):
    settings.REFERRAL_RETENTION_YEARS = 6
    source = next(s for s, targets in TRANSITIONS.items() if target in targets)
    referral = at_status(source)
    step(referral, target, on=date(2026, 5, 20))
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.left_process_on == date(2026, 5, 20)
    assert stored.disposal_due_on == date(2032, 5, 20)


def test_the_retention_period_is_a_setting(reference_data, settings):
    settings.REFERRAL_RETENTION_YEARS = 2
    referral = at_status("police_gateway")
    step(referral, "no_further_action", on=date(2026, 5, 20))
    assert Referral.objects.get(pk=referral.pk).disposal_due_on == date(2028, 5, 20)


def test_closing_after_exit_keeps_the_date_of_the_exit(reference_data):
    referral = at_status("adopted", received=date(2025, 3, 2))
    step(referral, "exit", on=date(2025, 4, 1))
    step(referral, "post_exit_review", on=date(2025, 10, 1))
    step(referral, "post_exit_review", on=date(2026, 4, 1))
    step(referral, "closed", on=date(2026, 5, 1))
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.left_process_on) == ("closed", date(2025, 4, 1))
    assert stored.disposal_due_on == date(2031, 4, 1)


def test_steps_before_an_exit_set_no_disposal_date(reference_data):
    referral = new_referral()
    step(referral, "police_gateway")
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.left_process_on is None and stored.disposal_due_on is None


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (timezone.localdate() + timedelta(days=1), "today or in the past"),
        (date(2026, 3, 1), "on or after the date received"),
    ],
)
def test_the_date_of_a_step_must_be_between_receipt_and_today(reference_data, on, message):
    referral = new_referral(received=date(2026, 3, 2))
    with pytest.raises(TransitionError, match=message):
        step(referral, "police_gateway", on=on)
    assert Referral.objects.get(pk=referral.pk).status == "received"


def test_a_step_cannot_be_dated_before_the_last_step(reference_data):
    referral = new_referral()
    step(referral, "police_gateway", on=date(2026, 4, 10))
    with pytest.raises(TransitionError, match="on or after the last step, 10 April 2026"):
        step(referral, "information_gathering", on=date(2026, 4, 9))


def test_signposting_needs_the_named_service(reference_data):
    referral = at_status("police_gateway")
    with pytest.raises(TransitionError, match="Enter the service"):
        step(referral, "signposted", signposted_to="  ")
    event = step(referral, "signposted", signposted_to="Invented Family Hub")
    assert event.signposted_to == "Invented Family Hub"
    assert Referral.objects.get(pk=referral.pk).outcome.name == "Signposted to other services"
