"""Who may open each Channel panel page (tests/test_url_walk.py walks them all).

Case-viewing roles (coordinator, chair, Channel coordinator) open everything; business
support (panel minutes) opens the list, the meeting page and the minutes, attendee and
action forms; nobody else opens anything.
"""

CASES = {"coordinator", "chair", "channel"}
MINUTERS = CASES | {"support"}

EXPECTED = {
    "channel:meeting-list": MINUTERS,
    "channel:meeting-create": CASES,
    "channel:meeting-detail": MINUTERS,
    "channel:meeting-edit": CASES,
    "channel:meeting-minutes": MINUTERS,
    "channel:meeting-pack": CASES,
    "channel:attendee-create": MINUTERS,
    "channel:attendee-remove": MINUTERS,
    "channel:agenda-create": CASES,
    "channel:agenda-order": CASES,
    "channel:agenda-remove": CASES,
    "channel:decision-create": CASES,
    "channel:action-create": MINUTERS,
    "channel:action-edit": MINUTERS,
    "channel:case-panel": CASES,
}

# The panel pack is a case export: a fresh password and code first (tests/test_url_walk.py).
REAUTH = {"channel:meeting-pack"}


def url_kwargs():
    from datetime import timedelta

    from channel import services
    from referrals.reference import load_reference_models
    from tests.channel.conftest import case_in, make_meeting

    load_reference_models()
    meeting = make_meeting()
    referral = case_in(family="Walkabout")
    item = services.agenda_add(actor=None, meeting=meeting, referral=referral)
    attendee = services.attendee_add(actor=None, meeting=meeting, name="Pat Invented")
    action = services.action_add(  # about the case on the agenda: the case scope applies
        actor=None,
        meeting=meeting,
        agenda_item=item,
        description="Invented action",
        owner="Invented owner",
        due_on=meeting.meeting_date + timedelta(days=7),
    )
    return {
        "channel:meeting-detail": {"pk": meeting.pk},
        "channel:meeting-edit": {"pk": meeting.pk},
        "channel:meeting-minutes": {"pk": meeting.pk},
        "channel:meeting-pack": {"pk": meeting.pk},
        "channel:attendee-create": {"pk": meeting.pk},
        "channel:attendee-remove": {"public_id": attendee.public_id},
        "channel:agenda-create": {"pk": meeting.pk},
        "channel:agenda-order": {"pk": meeting.pk},
        "channel:agenda-remove": {"public_id": item.public_id},
        "channel:decision-create": {"public_id": item.public_id},
        "channel:action-create": {"pk": meeting.pk},
        "channel:action-edit": {"public_id": action.public_id},
        "channel:case-panel": {"pk": referral.pk},
    }
