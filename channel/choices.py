"""Enumerations of Channel panel meetings."""

from django.db import models

from referrals.choices import ReferralStatus


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"


class Decision(models.TextChoices):
    """What the panel decided about one case on its agenda (docs/domain.md §1, steps 4 and 7–8)."""

    ADOPT = "adopt", "Adopt as a Channel case"
    NOT_ADOPT = "not_adopt", "Do not adopt"
    BRING_BACK = "bring_back", "Bring back to a later panel"
    REVIEWED = "reviewed", "Reviewed: support continues"
    EXIT = "exit", "Exit Channel"


# The onward route of a case the panel does not adopt: the status the case moves to.
ONWARD_ROUTES = [
    (ReferralStatus.NOT_ADOPTED, "Not adopted: no onward route"),
    (ReferralStatus.SIGNPOSTED, "Signposted to another service"),
    (ReferralStatus.NO_FURTHER_ACTION, "No further action"),
    (ReferralStatus.POLICE_LED, "Passed to counter-terrorism policing"),
]

S = ReferralStatus
# Cases that may go on a panel's agenda: awaiting a decision, or adopted and under review.
AGENDA_STATUSES = frozenset({S.INFORMATION_GATHERING, S.PANEL, S.ADOPTED, S.REVIEWED})
AWAITING_DECISION = frozenset({S.INFORMATION_GATHERING, S.PANEL})
UNDER_REVIEW = frozenset({S.ADOPTED, S.REVIEWED})

# The decisions open to the panel for a case in each status.
DECISIONS_FOR_STATUS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(AWAITING_DECISION, (Decision.ADOPT, Decision.NOT_ADOPT, Decision.BRING_BACK)),
    **dict.fromkeys(UNDER_REVIEW, (Decision.REVIEWED, Decision.EXIT)),
}


def steps_for(decision: str, from_status: str, onward_route: str = "") -> list[str]:
    """The steps of the journey (statuses, in order) that a decision records for a case in
    `from_status`; a case still in information gathering is first "discussed at panel".
    Empty if the decision does not apply to that status."""
    if decision not in DECISIONS_FOR_STATUS.get(from_status, ()):
        return []
    lead = [S.PANEL] if from_status == S.INFORMATION_GATHERING else []
    if decision == Decision.ADOPT:
        return [*lead, S.CONSENT]
    if decision == Decision.NOT_ADOPT:
        return [*lead, onward_route] if onward_route in dict(ONWARD_ROUTES) else []
    if decision == Decision.BRING_BACK:
        # Discussed, and sent back to gather more information for a later panel.
        return [*lead, S.INFORMATION_GATHERING]
    if decision == Decision.REVIEWED:
        return [S.REVIEWED]
    return [S.EXIT]
