"""Invented demo panels, built on the demo referrals (referrals/demo.py).

Past meetings (one a month) carry the cases whose recorded steps say they were at panel:
discussed at panel and then adopted (consent), not adopted, signposted or brought back;
reviewed; or exited. Their decisions match the steps already recorded, so this module
does not move any case. One meeting is scheduled a fortnight ahead, with cases awaiting
a decision or due a review on its agenda. Idempotent: nothing is added when any panel
meeting exists.
"""

from collections import defaultdict
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from channel.choices import AGENDA_STATUSES, Attendance, Decision, MeetingStatus
from channel.models import AgendaItem, PanelAction, PanelAttendee, PanelMeeting
from governance.models import Partner
from prevent_portal.accounts.models import User
from referrals.choices import ReferralStatus as S
from referrals.models import Referral, ReferralEvent

REPRESENTATIVES = [
    ("Kent County Council", "Robin Placeholder", "Children's social care manager"),
    ("Kent Police", "Lee Samplewell", "Prevent officer"),
    ("Kent and Medway NHS and Social Care Partnership Trust", "Jo Demoson", "Mental health lead"),
    ("Kent Association of Headteachers", "Pat Inventwell", "Education representative"),
    ("Probation Service Kent, Surrey and Sussex", "Kim Notreal", "Probation officer"),
]
NOT_ADOPTED = {S.NOT_ADOPTED, S.SIGNPOSTED, S.NO_FURTHER_ACTION, S.POLICE_LED}
REASONS = {
    Decision.ADOPT: "Vulnerability to radicalisation found; Channel support agreed.",
    Decision.NOT_ADOPT: "Panel agreed Channel support is not needed (invented example).",
    Decision.BRING_BACK: "More information needed from the school: bring back.",
    Decision.REVIEWED: "Progress on the support plan reviewed; support continues.",
    Decision.EXIT: "No further terrorism-related concerns: exit agreed.",
}


def seed(*, stdout) -> None:
    if PanelMeeting.objects.exists():
        stdout.write("Channel panels already present: no demo panels added.")
        return
    with transaction.atomic():
        past, items = _seed_past()
        upcoming = _seed_next()
    stdout.write(
        f"Added {past} invented past Channel panels ({items} decisions) and the next panel "
        f"with {upcoming} cases on its agenda."
    )


def _decision_of(event, following) -> tuple[str, str]:
    """The panel decision that a recorded step (and the step after it) stands for."""
    if event.to_status == S.PANEL:
        if following is None:
            return "", ""
        if following.to_status == S.CONSENT:
            return Decision.ADOPT, ""
        if following.to_status == S.INFORMATION_GATHERING:
            return Decision.BRING_BACK, ""
        if following.to_status in NOT_ADOPTED:
            return Decision.NOT_ADOPT, following.to_status
        return "", ""
    if event.to_status == S.REVIEWED:
        return Decision.REVIEWED, ""
    if event.to_status == S.EXIT:
        return Decision.EXIT, ""
    return "", ""


def _seed_past() -> tuple[int, int]:
    today = timezone.localdate()
    events = defaultdict(list)
    for event in ReferralEvent.objects.order_by("referral_id", "occurred_on", "id"):
        events[event.referral_id].append(event)
    by_month = defaultdict(list)
    for steps in events.values():
        for index, event in enumerate(steps):
            following = steps[index + 1] if index + 1 < len(steps) else None
            decision, route = _decision_of(event, following)
            if decision and event.occurred_on < today:
                by_month[(event.occurred_on.year, event.occurred_on.month)].append(
                    (event, following, decision, route)
                )
    chair = User.objects.filter(username="chair").first()
    partners = {partner.name: partner for partner in Partner.objects.all()}
    meetings = items = 0
    for (_year, _month), entries in sorted(by_month.items()):
        day = min(event.occurred_on for event, *_ in entries)
        meeting = PanelMeeting.objects.create(
            meeting_date=day,
            starts_at=time(10, 0),
            location="Invented House, Committee Room 2",
            chair=chair,
            status=MeetingStatus.HELD,
        )
        meetings += 1
        _attendees(meeting, partners, apologies=meetings % 3 == 0)
        seen = set()
        position = 0
        for event, following, decision, route in sorted(entries, key=lambda e: e[0].occurred_on):
            if event.referral_id in seen:
                continue
            seen.add(event.referral_id)
            position += 1
            AgendaItem.objects.create(
                meeting=meeting,
                referral_id=event.referral_id,
                position=position,
                status_when_added=event.from_status,
                decision=decision,
                onward_route=route,
                signposted_to=following.signposted_to if route == S.SIGNPOSTED else "",
                reason=REASONS[decision],
                decided_on=day,
                decided_by=chair,
            )
            items += 1
        references = ", ".join(
            Referral.objects.filter(pk__in=seen)
            .order_by("reference")
            .values_list("reference", flat=True)
        )
        meeting.minutes = (
            f"Panel opened at 10:00; quorate. Cases discussed: {references}. Decisions as "
            "recorded against each case. Next panel in four weeks. (Invented minutes.)"
        )
        meeting.save(update_fields=["minutes"])
        PanelAction.objects.create(
            meeting=meeting,
            description="Circulate the minutes to panel members.",
            owner="Business support",
            due_on=day + timedelta(days=5),
            done_on=min(day + timedelta(days=4), today),
        )
    return meetings, items


def _attendees(meeting, partners, *, apologies: bool) -> None:
    for index, (organisation, name, role) in enumerate(REPRESENTATIVES):
        PanelAttendee.objects.create(
            meeting=meeting,
            partner=partners.get(organisation),
            name=name,
            role=role,
            attendance=Attendance.APOLOGIES if apologies and index == 4 else Attendance.PRESENT,
        )


def _seed_next() -> int:
    today = timezone.localdate()
    meeting = PanelMeeting.objects.create(
        meeting_date=today + timedelta(days=14),
        starts_at=time(10, 0),
        location="Invented House, Committee Room 2",
        chair=User.objects.filter(username="chair").first(),
    )
    _attendees(
        meeting, {partner.name: partner for partner in Partner.objects.all()}, apologies=False
    )
    waiting = list(Referral.objects.filter(status=S.PANEL).order_by("reference")[:3])
    gathering = list(
        Referral.objects.filter(status=S.INFORMATION_GATHERING).order_by("reference")[:2]
    )
    review = list(
        Referral.objects.filter(status__in=[S.ADOPTED, S.REVIEWED]).order_by("reference")[:2]
    )
    position = 0
    for referral in [*waiting, *gathering, *review]:
        if referral.status not in AGENDA_STATUSES:
            continue
        position += 1
        AgendaItem.objects.create(
            meeting=meeting, referral=referral, position=position, status_when_added=referral.status
        )
    PanelAction.objects.create(
        meeting=meeting,
        description="Send the agenda and panel pack to members a week before.",
        owner="Channel coordinator",
        due_on=today + timedelta(days=7),
    )
    return position
