"""The journey of a referral as a state machine: the one table of allowed steps.

Every change of status goes through `referrals.services.referral_transition`, which
refuses any step not in `TRANSITIONS`, and post-exit reviews not spaced as
`post_exit_problem` below says.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings

from referrals.choices import ReferralStatus as S

# From each status, the statuses a case may move to next (docs/domain.md §1). Statuses absent
# from the table as keys are final: nothing follows them.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.POLICE_GATEWAY,),
    # The police gateway: proceed, no further action, signpost, or keep it police-led.
    S.POLICE_GATEWAY: (S.INFORMATION_GATHERING, S.NO_FURTHER_ACTION, S.SIGNPOSTED, S.POLICE_LED),
    S.INFORMATION_GATHERING: (S.PANEL, S.NO_FURTHER_ACTION, S.SIGNPOSTED, S.POLICE_LED),
    # The panel adopts (consent next), does not adopt, signposts, or brings it back later.
    S.PANEL: (
        S.CONSENT,
        S.INFORMATION_GATHERING,
        S.NOT_ADOPTED,
        S.SIGNPOSTED,
        S.NO_FURTHER_ACTION,
        S.POLICE_LED,
    ),
    S.CONSENT: (S.ADOPTED, S.CONSENT_DECLINED),
    # Consent can be withdrawn at any point while the case is open.
    S.ADOPTED: (S.REVIEWED, S.EXIT, S.CONSENT_DECLINED, S.POLICE_LED),
    S.REVIEWED: (S.REVIEWED, S.EXIT, S.CONSENT_DECLINED, S.POLICE_LED),
    S.EXIT: (S.POST_EXIT_REVIEW,),
    # Reviews at 6 and 12 months after exit, then closed.
    S.POST_EXIT_REVIEW: (S.POST_EXIT_REVIEW, S.CLOSED),
}

# Reaching one of these, the case leaves the process: its retention period starts.
LEAVES_PROCESS = frozenset(
    {S.EXIT, S.NO_FURTHER_ACTION, S.SIGNPOSTED, S.NOT_ADOPTED, S.CONSENT_DECLINED, S.POLICE_LED}
)

# The step as offered on the case page ("Record the next step").
STEP_LABELS: dict[str, str] = {
    S.POLICE_GATEWAY: "Sent to the police gateway assessment",
    S.INFORMATION_GATHERING: "Proceed: gather information",
    S.PANEL: "Discussed at a Channel panel",
    S.CONSENT: "Adopted by the panel: ask for consent",
    S.ADOPTED: "Consent given: adopted as a Channel case with a support plan",
    S.REVIEWED: "Reviewed at panel",
    S.EXIT: "Exited Channel",
    S.POST_EXIT_REVIEW: "Post-exit review (6 or 12 months)",
    S.CLOSED: "Closed",
    S.NO_FURTHER_ACTION: "No further action",
    S.SIGNPOSTED: "Signposted to another service",
    S.NOT_ADOPTED: "Not adopted at panel",
    S.CONSENT_DECLINED: "Consent declined or withdrawn",
    S.POLICE_LED: "Passed to counter-terrorism policing",
}


# Post-exit reviews (docs/domain.md §1): at most two, 6 and 12 months after the exit, each no
# earlier than that less a tolerance (POST_EXIT_REVIEW_TOLERANCE_DAYS in settings, default
# 14 days: a panel date rarely falls on the exact day). The case is closed only after the
# second. Tasks and reminders (the worklist app) read the same months.
POST_EXIT_REVIEW_MONTHS = (6, 12)
DEFAULT_POST_EXIT_REVIEW_TOLERANCE_DAYS = 14


def post_exit_review_tolerance() -> timedelta:
    days = getattr(
        settings, "POST_EXIT_REVIEW_TOLERANCE_DAYS", DEFAULT_POST_EXIT_REVIEW_TOLERANCE_DAYS
    )
    return timedelta(days=int(days))


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def post_exit_review_earliest(exit_on: date, review_number: int) -> date:
    """The earliest date of the first (1) or second (2) post-exit review."""
    months = POST_EXIT_REVIEW_MONTHS[review_number - 1]
    return add_months(exit_on, months) - post_exit_review_tolerance()


def post_exit_problem(
    *, to_status: str, exit_on: date | None, reviews_done: int, occurred_on: date
) -> str:
    """Why a post-exit step is refused ("" if it is allowed), for the user to read."""
    if to_status not in (S.POST_EXIT_REVIEW, S.CLOSED):
        return ""
    if to_status == S.CLOSED:
        if reviews_done < len(POST_EXIT_REVIEW_MONTHS):
            return "A case can be closed only after its 12-month post-exit review"
        return ""
    if reviews_done >= len(POST_EXIT_REVIEW_MONTHS):
        return "Both post-exit reviews (6 and 12 months) are recorded: record the closure"
    if exit_on is None:
        return "The date of the exit is not recorded: a post-exit review cannot be dated"
    number = reviews_done + 1
    earliest = post_exit_review_earliest(exit_on, number)
    if occurred_on < earliest:
        months = POST_EXIT_REVIEW_MONTHS[number - 1]
        days = post_exit_review_tolerance().days
        return (
            f"The {months}-month post-exit review must be dated on or after "
            f"{earliest:%-d %B %Y}: {months} months after the exit on {exit_on:%-d %B %Y}, "
            f"less {days} days"
        )
    return ""


def allowed_from(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in allowed_from(from_status)


def is_final(status: str) -> bool:
    return not allowed_from(status)
