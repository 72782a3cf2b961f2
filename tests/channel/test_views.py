from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from channel.models import AgendaItem, PanelAction, PanelAttendee, PanelMeeting
from prevent_portal.audit.models import AuditEvent
from referrals.models import Referral
from tests.channel.access_rules import EXPECTED, url_kwargs
from tests.channel.conftest import ADOPTED, case_in, make_meeting, move, on_agenda
from tests.conftest import PERSONAS, reauthenticated

pytestmark = pytest.mark.django_db


def detail(meeting):
    return reverse("channel:meeting-detail", args=[meeting.pk])


@pytest.mark.parametrize("persona_name", sorted(PERSONAS))
def test_each_persona_opens_exactly_its_panel_pages(client_as, reference_data, persona_name):
    # Confirmed just now: the pack asks first otherwise (tests/test_url_walk.py proves it).
    client = reauthenticated(client_as(persona_name))
    samples = url_kwargs()
    outcomes = {
        name: client.get(reverse(name, kwargs=samples.get(name, {}))).status_code
        for name in EXPECTED
    }
    assert outcomes == {
        name: 200 if persona_name in allowed else 403 for name, allowed in EXPECTED.items()
    }


def test_anonymous_users_are_sent_to_sign_in(client, reference_data):
    response = client.get(reverse("channel:meeting-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_pages_are_not_cached(client_as, reference_data):
    meeting = make_meeting()
    response = client_as("support").get(detail(meeting))
    assert "no-store" in response["Cache-Control"]


def test_unknown_meeting_and_case_are_404(client_as, reference_data):
    client = reauthenticated(client_as("channel"))
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/referrals/panels/{missing}/").status_code == 404
    assert client.get(f"/referrals/panels/{missing}/pack/").status_code == 404
    for part in (
        "attendees/{}/remove",
        "agenda/{}/remove",
        "agenda/{}/decision",
        "actions/{}/edit",
    ):
        assert client.get(f"/referrals/panels/{part.format(missing)}/").status_code == 404


def test_attendees_agenda_items_and_actions_are_reached_by_uuid_only(client_as, reference_data):
    """docs/security.md §5: their URLs take the row's UUID; the whole-number id leads nowhere."""
    client = client_as("channel")
    samples = url_kwargs()
    rows = {
        "attendees/{}/remove": PanelAttendee.objects.get(),
        "agenda/{}/remove": AgendaItem.objects.get(),
        "agenda/{}/decision": AgendaItem.objects.get(),
        "actions/{}/edit": PanelAction.objects.get(),
    }
    names = ["channel:attendee-remove", "channel:agenda-remove"]
    names += ["channel:decision-create", "channel:action-edit"]
    for (part, row), name in zip(rows.items(), names, strict=True):
        by_uuid = f"/referrals/panels/{part.format(row.public_id)}/"
        assert by_uuid == reverse(name, kwargs=samples[name])
        assert client.get(by_uuid).status_code == 200
        assert client.get(f"/referrals/panels/{part.format(row.pk)}/").status_code == 404


def test_coordinator_schedules_a_meeting_once_even_if_submitted_twice(client_as, reference_data):
    client = client_as("channel")
    page = client.get(reverse("channel:meeting-create")).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    data = {"meeting_date": "2026-12-08", "starts_at": "10:00", "location": "Room 2"}
    data["token"] = token
    first = client.post(reverse("channel:meeting-create"), data)
    second = client.post(reverse("channel:meeting-create"), data)
    meeting = PanelMeeting.objects.get()
    assert first["Location"] == second["Location"] == detail(meeting)


def test_a_bad_meeting_form_shows_errors_and_saves_nothing(client_as, reference_data):
    response = client_as("channel").post(
        reverse("channel:meeting-create"), {"meeting_date": "2026-02-31", "starts_at": "25:99"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in content
    assert "Enter the date of the meeting as a real date" in content
    assert "Enter the start time as a time" in content
    assert not PanelMeeting.objects.exists()


def test_recording_adopt_moves_the_case_to_consent(client_as, reference_data):
    meeting = make_meeting()
    referral = case_in()
    item = on_agenda(meeting, referral)
    client = client_as("channel")
    url = reverse("channel:decision-create", args=[item.public_id])
    assert "Adopt as a Channel case" in client.get(url).content.decode()
    response = client.post(
        url, {"decision": "adopt", "reason": "Agreed by all", "case_version": referral.version}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "consent"
    page = client.get(detail(meeting)).content.decode()
    assert "Adopt as a Channel case" in page
    # A second submission of the same form changes nothing more.
    again = client.post(
        url, {"decision": "adopt", "reason": "Agreed by all", "case_version": referral.version}
    )
    assert again.status_code == 302
    assert Referral.objects.get(pk=referral.pk).version == referral.version


def test_a_decision_on_a_case_changed_meanwhile_shows_a_conflict(client_as, reference_data):
    meeting = make_meeting()
    referral = case_in()
    item = on_agenda(meeting, referral)
    opened = referral.version
    move(referral, "panel")
    response = client_as("channel").post(
        reverse("channel:decision-create", args=[item.public_id]),
        {"decision": "adopt", "reason": "Agreed", "case_version": opened},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in content
    assert f'name="case_version" value="{referral.version}"' in content
    referral.refresh_from_db()
    assert referral.status == "panel"
    assert not AgendaItem.objects.get(pk=item.pk).decision


def test_a_decision_without_a_reason_or_route_shows_errors(client_as, reference_data):
    meeting = make_meeting()
    referral = case_in()
    item = on_agenda(meeting, referral)
    response = client_as("channel").post(
        reverse("channel:decision-create", args=[item.public_id]),
        {"decision": "not_adopt", "reason": "", "case_version": referral.version},
    )
    content = response.content.decode()
    assert "Enter the reason for the decision" in content
    assert "Select the onward route" in content
    assert Referral.objects.get(pk=referral.pk).status == "information_gathering"


def test_support_sees_the_agenda_by_reference_only(client_as, reference_data):
    meeting = make_meeting()
    referral = case_in(given="Jamie", family="Testwood")
    item = on_agenda(meeting, referral)
    client_as("channel").post(
        reverse("channel:decision-create", args=[item.public_id]),
        {"decision": "adopt", "reason": "Secret reason text", "case_version": referral.version},
    )
    support = client_as("support")
    content = support.get(detail(meeting)).content.decode()
    assert referral.reference in content
    for hidden in ("Testwood", "J. T.", "Secret reason text", "Adopt as a Channel case", "Consent"):
        assert hidden not in content
    assert reverse("referrals:referral-detail", args=[referral.pk]) not in content
    assert reverse("channel:meeting-pack", args=[meeting.pk]) not in content
    assert "Record the decision" not in content
    assert support.get(reverse("channel:decision-create", args=[item.public_id])).status_code == 403
    assert support.get(reverse("channel:meeting-pack", args=[meeting.pk])).status_code == 403


def test_support_minutes_and_records_attendees_and_actions(client_as, reference_data):
    meeting = make_meeting()
    client = client_as("support")
    response = client.post(
        reverse("channel:meeting-minutes", args=[meeting.pk]),
        {"minutes": "Panel opened at 10:00. PR-2026-0001 discussed.", "version": 1},
    )
    assert response.status_code == 302
    page = client.get(reverse("channel:attendee-create", args=[meeting.pk])).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    for _ in range(2):
        client.post(
            reverse("channel:attendee-create", args=[meeting.pk]),
            {"name": "Pat Invented", "role": "DSL", "attendance": "present", "token": token},
        )
    assert PanelAttendee.objects.count() == 1
    due = (meeting.meeting_date + timedelta(days=7)).isoformat()
    page = client.get(reverse("channel:action-create", args=[meeting.pk])).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post(
        reverse("channel:action-create", args=[meeting.pk]),
        {
            "description": "Send the minutes",
            "owner": "Business support",
            "due_on": due,
            "token": token,
        },
    )
    assert PanelAction.objects.get().owner == "Business support"
    content = client.get(detail(meeting)).content.decode()
    assert "Panel opened at 10:00" in content and "Pat Invented" in content


def test_stale_minutes_show_a_conflict_and_keep_the_newer_text(client_as, reference_data):
    meeting = make_meeting()
    client = client_as("support")
    url = reverse("channel:meeting-minutes", args=[meeting.pk])
    client.post(url, {"minutes": "First version", "version": 1})
    response = client.post(url, {"minutes": "Stale version", "version": 1})
    content = response.content.decode()
    assert "changed by someone else" in content
    assert 'name="version" value="2"' in content
    assert PanelMeeting.objects.get().minutes == "First version"


def test_agenda_order_page_moves_cases(client_as, reference_data):
    meeting = make_meeting()
    first, second = case_in(family="Aone"), case_in(family="Btwo")
    on_agenda(meeting, first)
    item = on_agenda(meeting, second)
    client = client_as("channel")
    url = reverse("channel:agenda-order", args=[meeting.pk])
    assert client.post(url, {"version": 1, "up": item.pk}).status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).position == 1
    stale = client.post(url, {"version": 1, "up": item.pk})
    assert "changed by someone else" in stale.content.decode()


def test_adding_a_case_lists_only_eligible_cases(client_as, reference_data):
    meeting = make_meeting()
    eligible = case_in(family="Eligible")
    received = case_in("police_gateway", family="Tooearly")
    client = client_as("channel")
    url = reverse("channel:agenda-create", args=[meeting.pk])
    content = client.get(url).content.decode()
    assert eligible.reference in content and received.reference not in content
    response = client.post(url, {"referral": str(received.pk)})
    assert "Select one of the cases listed" in response.content.decode()
    assert client.post(url, {"referral": str(eligible.pk)}).status_code == 302
    assert AgendaItem.objects.get().referral == eligible


def test_the_case_panel_section_lists_decisions_and_is_audited(client_as, reference_data):
    meeting = make_meeting()
    referral = case_in()
    item = on_agenda(meeting, referral)
    client = client_as("chair")
    client.post(
        reverse("channel:decision-create", args=[item.public_id]),
        {"decision": "bring_back", "reason": "More from school", "case_version": referral.version},
    )
    content = client.get(reverse("channel:case-panel", args=[referral.pk])).content.decode()
    assert "Bring back to a later panel" in content and "More from school" in content
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.VIEW, target_id=str(referral.pk), summary__contains="(panel)"
    ).exists()


def test_get_never_changes_anything(client_as, reference_data):
    samples = url_kwargs()
    client = client_as("coordinator")
    changes = AuditEvent.objects.exclude(verb__in=[AuditEvent.Verb.VIEW, "access.denied"])
    before = (changes.count(), AgendaItem.objects.count())
    for name in EXPECTED:
        if name != "channel:meeting-pack":
            client.get(reverse(name, kwargs=samples.get(name, {})))
    after = (changes.count(), AgendaItem.objects.count())
    assert before == after


def test_the_list_shows_upcoming_and_past_meetings(client_as, reference_data):
    today = timezone.localdate()
    make_meeting(on=today + timedelta(days=10), location="Upcoming Room")
    make_meeting(on=today - timedelta(days=30), location="Past Room")
    content = client_as("support").get(reverse("channel:meeting-list")).content.decode()
    upcoming, past = content.split("Past panels")
    assert f"{(today + timedelta(days=10)):%-d %B %Y}" in upcoming
    assert f"{(today - timedelta(days=30)):%-d %B %Y}" in past


def test_an_adopted_case_is_offered_review_or_exit_only(client_as, reference_data):
    meeting = make_meeting()
    referral = case_in(*ADOPTED)
    item = on_agenda(meeting, referral)
    client = client_as("coordinator")
    url = reverse("channel:decision-create", args=[item.public_id])
    content = client.get(url).content.decode()
    assert "Reviewed: support continues" in content and "Exit Channel" in content
    assert "Adopt as a Channel case" not in content and "Onward route" not in content
    response = client.post(
        url, {"decision": "reviewed", "reason": "Good progress", "case_version": referral.version}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "reviewed"


@pytest.mark.parametrize(
    ("persona_name", "shown"),
    [("channel", True), ("support", True), ("coordinator", True), ("board", False)],
)
def test_the_panels_area_opens_for_case_viewers_and_minute_takers(
    persona, reference_data, persona_name, shown
):
    from prevent_portal.ui.navigation import areas_for

    keys = [item["area"].key for item in areas_for(persona(persona_name), "/referrals/panels/")]
    assert ("panels" in keys) is shown
    if shown:
        current = [
            item["area"].key
            for item in areas_for(persona(persona_name), "/referrals/panels/")
            if item["current"]
        ]
        assert current == ["panels"]


@pytest.fixture
def assigned_scope(settings, reference_data, persona):
    """REFERRALS_SCOPE = "assigned": the Channel coordinator manages `mine`, not `theirs`;
    both are on one meeting's agenda, each with an action."""
    from tests.conftest import make_user

    settings.REFERRALS_SCOPE = "assigned"
    meeting = make_meeting()
    mine, theirs = case_in(family="Mine"), case_in(family="Theirs")
    Referral.objects.filter(pk=mine.pk).update(case_manager=persona("channel"))
    Referral.objects.filter(pk=theirs.pk).update(
        case_manager=make_user("another-manager", "channel")
    )
    items = {"mine": on_agenda(meeting, mine), "theirs": on_agenda(meeting, theirs)}
    due = meeting.meeting_date + timedelta(days=7)
    actions = {
        key: services_action(meeting, item, due, f"Action about {key}")
        for key, item in items.items()
    }
    return meeting, items, actions


def services_action(meeting, item, due, description):
    from channel import services

    return services.action_add(
        actor=None,
        meeting=meeting,
        agenda_item=item,
        description=description,
        owner="Invented owner",
        due_on=due,
    )


def test_a_case_outside_the_caseload_cannot_be_taken_off_the_agenda(client_as, assigned_scope):
    meeting, items, _ = assigned_scope
    client = client_as("channel")
    url = reverse("channel:agenda-remove", args=[items["theirs"].public_id])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert AgendaItem.objects.filter(pk=items["theirs"].pk).exists()
    # Their own case still comes off.
    mine = reverse("channel:agenda-remove", args=[items["mine"].public_id])
    assert client.post(mine).status_code == 302
    assert not AgendaItem.objects.filter(pk=items["mine"].pk).exists()


def test_a_case_outside_the_caseload_cannot_be_moved_on_the_agenda(client_as, assigned_scope):
    meeting, items, _ = assigned_scope
    client = client_as("channel")
    url = reverse("channel:agenda-order", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert f'value="{items["mine"].pk}"' in page
    assert f'value="{items["theirs"].pk}"' not in page  # no move buttons for it
    for direction in ("up", "down"):
        response = client.post(url, {"version": 1, direction: items["theirs"].pk})
        assert response.status_code == 404
    positions = dict(AgendaItem.objects.values_list("pk", "position"))
    assert positions == {items["mine"].pk: 1, items["theirs"].pk: 2}
    assert PanelMeeting.objects.get().version == 1


def test_actions_about_a_case_outside_the_caseload_are_404(client_as, assigned_scope):
    meeting, items, actions = assigned_scope
    client = client_as("channel")
    theirs = reverse("channel:action-edit", args=[actions["theirs"].public_id])
    assert client.get(theirs).status_code == 404
    form = {"description": "Changed", "owner": "X", "due_on": "2026-05-01", "version": 1}
    assert client.post(theirs, form).status_code == 404
    assert PanelAction.objects.get(pk=actions["theirs"].pk).description == "Action about theirs"
    mine = reverse("channel:action-edit", args=[actions["mine"].public_id])
    assert client.get(mine).status_code == 200
    page = client.get(detail(meeting)).content.decode()
    assert mine in page and theirs not in page  # "Change" only where the case is in scope
    # A new action can be tied only to a case of the caseload.
    create = reverse("channel:action-create", args=[meeting.pk])
    page = client.get(create).content.decode()
    assert f'value="{items["mine"].pk}"' in page
    assert f'value="{items["theirs"].pk}"' not in page
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(
        create,
        {
            "description": "New",
            "owner": "X",
            "due_on": "2026-05-01",
            "agenda_item": items["theirs"].pk,
            "token": token,
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert PanelAction.objects.count() == 2


def test_business_support_minutes_every_action_whatever_the_scope(client_as, assigned_scope):
    """Business support has no caseload: they see every case by reference only, and
    keep every action of the meeting up to date."""
    _, _, actions = assigned_scope
    client = client_as("support")
    for action in actions.values():
        assert (
            client.get(reverse("channel:action-edit", args=[action.public_id])).status_code == 200
        )
