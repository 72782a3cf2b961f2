import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from channel import services
from channel.choices import Decision, MeetingStatus
from channel.models import AgendaItem, PanelAction, PanelAttendee, PanelMeeting
from channel.services import PanelError, StaleMeetingError
from prevent_portal.audit.models import AuditEvent
from referrals.models import Referral, ReferralEvent
from referrals.services import StaleVersionError
from tests.channel.conftest import ADOPTED, MEETING_DAY, case_in, make_meeting, move, on_agenda
from tests.conftest import make_user
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(reference_data):
    return make_user("jordan", "channel", first_name="Jordan", last_name="Kestrel")


def decide(item, decision, actor=None, **extra):
    referral = Referral.objects.get(pk=item.referral_id)
    return services.decision_record(
        actor=actor,
        item=item,
        decision=decision,
        reason=extra.pop("reason", "Invented reason"),
        expected_version=extra.pop("expected_version", referral.version),
        **extra,
    )


def test_a_meeting_is_created_once_for_one_form_token(actor):
    token = uuid.uuid4()
    first = make_meeting(actor=actor, create_token=token)
    second = make_meeting(actor=actor, create_token=token)
    assert first.pk == second.pk
    assert PanelMeeting.objects.count() == 1
    created = AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATE, target_id=str(first.pk))
    assert created.count() == 1


def test_the_chair_must_see_cases(actor):
    education = make_user("peo", "education")
    with pytest.raises(PanelError, match="chair"):
        make_meeting(actor=actor, chair=education)
    assert not PanelMeeting.objects.exists()


def test_adopt_moves_a_case_in_information_gathering_to_consent(actor):
    meeting = make_meeting(actor=actor)
    referral = case_in()
    item = on_agenda(meeting, referral, actor)
    decide(item, Decision.ADOPT, actor)
    referral.refresh_from_db()
    assert referral.status == "consent"
    steps = list(ReferralEvent.objects.filter(referral=referral).order_by("id"))
    assert [step.to_status for step in steps][-2:] == ["panel", "consent"]
    assert steps[-1].occurred_on == MEETING_DAY
    item.refresh_from_db()
    assert item.decision == "adopt" and item.decided_on == MEETING_DAY
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    event = AuditEvent.objects.get(
        verb=AuditEvent.Verb.UPDATE, target_type="channel.agendaitem", target_id=str(item.pk)
    )
    assert event.changes["decision"] == {"old": "", "new": "adopt"}
    assert event.changes["reason"] == {"set": True}
    assert "Invented reason" not in str(event.changes)


def test_not_adopting_signposts_with_the_onward_route(actor):
    meeting = make_meeting(actor=actor)
    referral = case_in("police_gateway", "information_gathering", "panel")
    item = on_agenda(meeting, referral)
    decide(item, Decision.NOT_ADOPT, actor, onward_route="signposted", signposted_to="Invented Hub")
    referral.refresh_from_db()
    assert referral.status == "signposted"
    assert referral.left_process_on == MEETING_DAY
    assert referral.events.first().signposted_to == "Invented Hub"


def test_not_adopting_needs_an_onward_route_and_changes_nothing_without(actor):
    meeting = make_meeting(actor=actor)
    referral = case_in()
    item = on_agenda(meeting, referral)
    with pytest.raises(PanelError, match="onward route"):
        decide(item, Decision.NOT_ADOPT, actor)
    with pytest.raises(PanelError, match="signposted"):
        decide(item, Decision.NOT_ADOPT, actor, onward_route="signposted")
    referral.refresh_from_db()
    assert referral.status == "information_gathering"
    assert not AgendaItem.objects.get(pk=item.pk).decision


def test_bring_back_returns_the_case_to_information_gathering(actor):
    meeting = make_meeting(actor=actor)
    referral = case_in()
    decide(on_agenda(meeting, referral), Decision.BRING_BACK, actor)
    referral.refresh_from_db()
    assert referral.status == "information_gathering"
    assert referral.outcome.name == "Discussed at a Channel panel"


def test_an_adopted_case_is_reviewed_then_exits(actor):
    referral = case_in(*ADOPTED)
    first = make_meeting(actor=actor)
    decide(on_agenda(first, referral), Decision.REVIEWED, actor)
    referral.refresh_from_db()
    assert referral.status == "reviewed"
    second = make_meeting(actor=actor, on=MEETING_DAY + timedelta(days=28))
    decide(on_agenda(second, referral), Decision.EXIT, actor)
    referral.refresh_from_db()
    assert referral.status == "exit"


def test_a_decision_that_does_not_fit_the_status_is_refused(actor):
    meeting = make_meeting(actor=actor)
    item = on_agenda(meeting, case_in())
    with pytest.raises(PanelError, match="cannot record"):
        decide(item, Decision.EXIT, actor)
    with pytest.raises(PanelError, match="Select the panel's decision"):
        decide(item, "banana", actor)


def test_a_case_changed_meanwhile_is_refused_and_nothing_is_recorded(actor):
    meeting = make_meeting(actor=actor)
    referral = case_in()
    item = on_agenda(meeting, referral)
    opened_at = referral.version
    move(  # someone else records a step meanwhile
        referral, "panel", on=date(2026, 3, 20)
    )
    with pytest.raises(StaleVersionError):
        decide(item, Decision.ADOPT, actor, expected_version=opened_at)
    referral.refresh_from_db()
    assert referral.status == "panel"
    assert not AgendaItem.objects.get(pk=item.pk).decision


def test_a_second_decision_on_one_item_is_refused(actor):
    meeting = make_meeting(actor=actor)
    referral = case_in()
    item = on_agenda(meeting, referral)
    decide(item, Decision.ADOPT, actor)
    with pytest.raises(PanelError, match="already been recorded"):
        decide(AgendaItem.objects.get(pk=item.pk), Decision.ADOPT, actor)
    assert Referral.objects.get(pk=referral.pk).status == "consent"


def test_decisions_wait_for_the_meeting_day_and_not_on_a_cancelled_meeting(actor):
    future = make_meeting(actor=actor, on=timezone.localdate() + timedelta(days=3))
    item = on_agenda(future, case_in())
    with pytest.raises(PanelError, match="not happened yet"):
        decide(item, Decision.ADOPT, actor)
    meeting = make_meeting(actor=actor)
    item = on_agenda(meeting, case_in(family="Othercase"))
    services.meeting_update(
        actor=actor,
        meeting=meeting,
        expected_version=meeting.version,
        meeting_date=meeting.meeting_date,
        starts_at=None,
        location="",
        chair=None,
        status=MeetingStatus.CANCELLED,
    )
    with pytest.raises(PanelError, match="cancelled"):
        decide(AgendaItem.objects.get(pk=item.pk), Decision.ADOPT, actor)


def test_a_failed_second_step_leaves_the_case_untouched(actor):
    """The meeting predates the case's last step: the whole decision rolls back."""
    meeting = make_meeting(actor=actor, on=date(2026, 3, 5))
    referral = case_in()  # steps dated 10 March
    item = on_agenda(meeting, referral)
    with pytest.raises(PanelError, match="on or after the last step"):
        decide(item, Decision.ADOPT, actor)
    referral.refresh_from_db()
    assert referral.status == "information_gathering"
    assert not ReferralEvent.objects.filter(referral=referral, to_status="panel").exists()


def test_only_cases_awaiting_panel_or_under_review_go_on_the_agenda(actor):
    meeting = make_meeting(actor=actor)
    with pytest.raises(PanelError, match="only cases in information gathering"):
        on_agenda(meeting, new_referral())
    referral = case_in()
    on_agenda(meeting, referral)
    with pytest.raises(PanelError, match="already on this agenda"):
        on_agenda(meeting, referral)
    assert AgendaItem.objects.count() == 1


def test_the_agenda_keeps_its_order_through_moves_and_removals(actor):
    meeting = make_meeting(actor=actor)
    first, second, third = (case_in(family=name) for name in ("Aone", "Btwo", "Cthree"))
    items = [on_agenda(meeting, referral) for referral in (first, second, third)]
    assert [item.position for item in items] == [1, 2, 3]
    services.agenda_move(
        actor=actor, meeting=meeting, item_id=items[2].pk, direction="up", expected_version=1
    )
    order = list(meeting.agenda_items.order_by("position").values_list("referral_id", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    with pytest.raises(StaleMeetingError):
        services.agenda_move(
            actor=actor, meeting=meeting, item_id=items[0].pk, direction="down", expected_version=1
        )
    with pytest.raises(PanelError, match="cannot move further up"):
        services.agenda_move(
            actor=actor,
            meeting=meeting,
            item_id=items[0].pk,
            direction="up",
            expected_version=meeting.version,
        )
    services.agenda_remove(actor=actor, item=items[0])
    rows = list(meeting.agenda_items.order_by("position").values_list("referral_id", "position"))
    assert rows == [(third.pk, 1), (second.pk, 2)]


def test_a_decided_case_stays_on_the_agenda(actor):
    meeting = make_meeting(actor=actor)
    item = on_agenda(meeting, case_in())
    decide(item, Decision.ADOPT, actor)
    with pytest.raises(PanelError, match="stays on the agenda"):
        services.agenda_remove(actor=actor, item=item)


def test_minutes_refuse_a_stale_version_and_keep_the_newer_text(actor):
    meeting = make_meeting(actor=actor)
    services.minutes_record(actor=actor, meeting=meeting, expected_version=1, minutes="First")
    with pytest.raises(StaleMeetingError):
        services.minutes_record(actor=actor, meeting=meeting, expected_version=1, minutes="Late")
    meeting.refresh_from_db()
    assert meeting.minutes == "First" and meeting.version == 2
    event = AuditEvent.objects.filter(summary__startswith="Recorded the minutes").get()
    assert "First" not in str(event.changes)


def test_a_meeting_with_decisions_keeps_its_date_and_cannot_be_cancelled(actor):
    meeting = make_meeting(actor=actor)
    decide(on_agenda(meeting, case_in()), Decision.ADOPT, actor)
    meeting.refresh_from_db()
    common = {
        "actor": actor,
        "meeting": meeting,
        "starts_at": None,
        "location": "",
        "chair": None,
    }
    with pytest.raises(PanelError, match="date can no longer change"):
        services.meeting_update(
            **common,
            expected_version=meeting.version,
            meeting_date=MEETING_DAY + timedelta(days=1),
            status="held",
        )
    with pytest.raises(PanelError, match="it was held"):
        services.meeting_update(
            **common, expected_version=meeting.version, meeting_date=MEETING_DAY, status="cancelled"
        )


def test_attendees_and_actions_are_created_once_per_token_and_audited_without_names(actor):
    meeting = make_meeting(actor=actor)
    token = uuid.uuid4()
    for _ in range(2):
        attendee = services.attendee_add(
            actor=actor, meeting=meeting, name="Pat Invented", role="DSL", create_token=token
        )
    assert PanelAttendee.objects.count() == 1
    event = AuditEvent.objects.get(target_type="channel.panelattendee")
    assert "Pat Invented" not in str(event.changes)
    services.attendee_remove(actor=actor, attendee=attendee)
    services.attendee_remove(actor=actor, attendee=attendee)  # a second click: no error
    assert not PanelAttendee.objects.exists()
    token = uuid.uuid4()
    for _ in range(2):
        action = services.action_add(
            actor=actor,
            meeting=meeting,
            description="Ask the school for attendance data",
            owner="Invented Academy DSL",
            due_on=MEETING_DAY + timedelta(days=14),
            create_token=token,
        )
    assert PanelAction.objects.count() == 1
    with pytest.raises(PanelError, match="on or after the date of the meeting"):
        services.action_add(
            actor=actor, meeting=meeting, description="x", owner="y", due_on=date(2026, 1, 1)
        )
    services.action_update(
        actor=actor,
        action=action,
        expected_version=1,
        description=action.description,
        owner=action.owner,
        due_on=action.due_on,
        done_on=MEETING_DAY + timedelta(days=3),
    )
    with pytest.raises(StaleMeetingError):
        services.action_update(
            actor=actor,
            action=action,
            expected_version=1,
            description="Overwrite",
            owner="x",
            due_on=action.due_on,
            done_on=None,
        )
    action.refresh_from_db()
    assert action.done_on == MEETING_DAY + timedelta(days=3)
    assert action.description.startswith("Ask")
