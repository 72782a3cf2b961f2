"""The journey of a referral as a state machine: the one table of allowed steps.

Every change of status goes through `referrals.services.referral_transition`, which
refuses any step not in `TRANSITIONS`.
"""

from referrals.choices import ReferralStatus as S

# From each status, the statuses a case may move to next (DOMAIN.md §1). Statuses absent
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


def allowed_from(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in allowed_from(from_status)


def is_final(status: str) -> bool:
    return not allowed_from(status)
