"""Invented demo data for the partnership: a plan 2026–27 with three quarters of
progress, a risk assessment with 11 priority areas, board members and three meetings.

Idempotent: each part is created only if it is not there yet. Every person and every
description here is invented.
"""

import random
from datetime import date

from django.db import transaction

from governance.choices import ActionStatus, Rag, RiskRating, RiskTrend
from governance.models import (
    BoardMeeting,
    BoardMember,
    District,
    MeetingAction,
    Partner,
    Plan,
    PlanAction,
    PlanHeading,
    ProgressUpdate,
    RiskArea,
    RiskAssessment,
)

PLAN_TITLE = "2026–27"
PLAN_START, PLAN_END = date(2026, 4, 1), date(2027, 3, 31)
# The three quarterly update rounds, each shortly before a board cycle.
UPDATE_DATES = [date(2026, 6, 26), date(2026, 9, 25), date(2026, 11, 13)]
MEETING_DATES = [date(2026, 4, 16), date(2026, 7, 9), date(2026, 10, 8)]
UPDATER = "Robin Ashdown"

ACTIONS_BY_HEADING = {
    1: [
        "Review the terms of reference of the Prevent Duty Delivery Board",
        "Refresh the partnership plan against the new risk assessment",
        "Agree a quarterly performance report for the board",
        "Map Prevent leads in every district council",
        "Complete the annual Prevent benchmarking self-assessment",
    ],
    2: [
        "Assure the Prevent duty compliance of each specified authority",
        "Run a Prevent duty workshop for district council senior leaders",
        "Check that commissioned services include Prevent clauses",
        "Support health partners to report Prevent training compliance",
        "Offer a compliance check to the further education colleges",
    ],
    3: [
        "Publish a simple guide to making a Prevent referral",
        "Review the Channel panel's information-sharing agreement",
        "Audit a sample of closed Channel cases for quality",
        "Agree escalation routes with children's social care",
        "Reduce the time from referral to panel discussion",
    ],
    4: [
        "Deliver Prevent Awareness sessions to frontline council staff",
        "Run the Extreme Identities Online workshop for youth workers",
        "Add Prevent training to the induction of new housing officers",
        "Evaluate the webinar programme and publish the findings",
        "Train district community safety officers as Prevent champions",
    ],
    5: [
        "Offer every secondary school a Prevent refresher for staff",
        "Publish the bi-monthly newsletter for designated safeguarding leads",
        "Run parent workshops on online harms in two districts",
        "Support special schools with adapted Prevent resources",
        "Hold a conference for designated safeguarding leads",
    ],
    6: [
        "Engage the night-time economy on spotting and reporting concerns",
        "Brief faith settings on the Prevent duty and support on offer",
        "Work with universities on speakers and events policies",
        "Engage registered social landlords through the housing group",
        "Reach out to sports clubs through the county sports partnership",
    ],
    7: [
        "Hold community roundtables after national incidents",
        "Support district partners to remove extremist stickers and graffiti",
        "Build a network of community contacts in each district",
        "Co-produce a counter-narrative project with young people",
        "Share the weekly tension summary with community safety units",
    ],
    8: [
        "Refresh the Prevent pages of the council websites",
        "Run a campaign on how to raise a concern",
        "Publish the annual Prevent report",
        "Share good news stories from the partnership each quarter",
        "Agree a communications protocol for critical incidents",
    ],
}

OWNERS = [
    "Kent County Council",
    "Medway Council",
    "Kent Police",
    "NHS Kent and Medway Integrated Care Board",
    "Probation Service Kent, Surrey and Sussex",
    "Kent Housing Group",
    "University of Kent",
    "MidKent College",
    "Kent Fire and Rescue Service",
    "Kent Association of Headteachers",
]
LEADS = [
    "Prevent coordinator",
    "Prevent Education Officer (south and east)",
    "Prevent Education Officer (north and west)",
    "Community Engagement Officer",
    "Channel coordinator",
    "Strategic manager",
]

RISK_AREAS = [
    ("Online radicalisation of young people", 5, 4, RiskRating.VERY_HIGH, RiskTrend.RISING),
    (
        "Extreme right-wing activity around asylum accommodation",
        4,
        4,
        RiskRating.HIGH,
        RiskTrend.RISING,
    ),
    ("Islamist-inspired radicalisation", 3, 5, RiskRating.HIGH, RiskTrend.STABLE),
    (
        "Fascination with extreme violence and mass casualty attacks",
        4,
        4,
        RiskRating.HIGH,
        RiskTrend.NEW,
    ),
    ("Misogynist online subcultures", 3, 3, RiskRating.MEDIUM, RiskTrend.RISING),
    ("Vulnerable adults with complex needs", 3, 3, RiskRating.MEDIUM, RiskTrend.STABLE),
    ("Prison leavers returning to the area", 2, 4, RiskRating.MEDIUM, RiskTrend.STABLE),
    ("Extremist stickers, flyers and graffiti", 4, 2, RiskRating.MEDIUM, RiskTrend.RISING),
    ("Protest activity linked to overseas conflict", 3, 3, RiskRating.MEDIUM, RiskTrend.NEW),
    ("Conspiracy theories and anti-authority narratives", 3, 2, RiskRating.LOW, RiskTrend.FALLING),
    ("Unregulated out-of-school settings", 2, 3, RiskRating.LOW, RiskTrend.STABLE),
]

BOARD_MEMBERS = [
    ("Harriet Velloway", "Kent County Council", "Chair"),
    ("Desmond Okonkwo-Fairleigh", "Medway Council", "Vice-chair"),
    ("Priya Lanterne", "Kent Police", "Member"),
    ("Gareth Ombersley", "Counter Terrorism Policing South East", "Adviser"),
    ("Fenella Cradock", "NHS Kent and Medway Integrated Care Board", "Member"),
    ("Tobias Wrenfield", "Probation Service Kent, Surrey and Sussex", "Member"),
    ("Imogen Saltmarsh", "University of Kent", "Member"),
    ("Callum Brightwater", "Kent Fire and Rescue Service", "Member"),
    ("Nadia Hollingbrook", "Kent Housing Group", "Member"),
    ("Owen Pellcastle", "Kent Association of Headteachers", "Member"),
]


def _status_path(rng: random.Random) -> list[tuple[str, str]]:
    """Three quarters of (status, RAG) for one action; may stop early when complete."""
    start = rng.choices(
        [(ActionStatus.ON_TRACK, Rag.GREEN), (ActionStatus.AT_RISK, Rag.AMBER),
         (ActionStatus.NOT_STARTED, "")],
        weights=[6, 2, 2],
    )[0]  # fmt: skip
    path = [start]
    for _ in range(2):
        status, _rag = path[-1]
        if status == ActionStatus.COMPLETE:
            break
        path.append(
            rng.choices(
                [(ActionStatus.ON_TRACK, Rag.GREEN), (ActionStatus.AT_RISK, Rag.AMBER),
                 (ActionStatus.OFF_TRACK, Rag.RED), (ActionStatus.COMPLETE, "")],
                weights=[5, 2, 1, 2],
            )[0]
        )  # fmt: skip
    return path


NARRATIVES = {
    ActionStatus.NOT_STARTED: "Scoping agreed with the lead; work starts next quarter.",
    ActionStatus.ON_TRACK: "Work is progressing to plan; milestones for the quarter met.",
    ActionStatus.AT_RISK: "Some slippage because of staff capacity; a recovery plan is agreed.",
    ActionStatus.OFF_TRACK: "Delayed: resources were redirected; the board is asked for help.",
    ActionStatus.COMPLETE: "Completed and signed off by the lead. Evidence shared with the board.",
}


def _seed_plan(rng: random.Random, stdout) -> Plan:
    plan, created = Plan.objects.get_or_create(
        title=PLAN_TITLE, defaults={"starts_on": PLAN_START, "ends_on": PLAN_END}
    )
    if not created:
        return plan
    headings = {h.number: h for h in PlanHeading.objects.all()}
    partners = {p.name: p for p in Partner.objects.filter(name__in=OWNERS)}
    due_dates = [date(2026, m, 30) for m in (6, 9, 11)] + [
        date(2026, 12, 31), date(2027, 1, 31), date(2027, 3, 31), date(2027, 3, 31),
    ]  # fmt: skip
    count = 0
    for number, descriptions in ACTIONS_BY_HEADING.items():
        for index, description in enumerate(descriptions, start=1):
            action = PlanAction.objects.create(
                plan=plan,
                reference=f"{number}.{index}",
                heading=headings[number],
                description=description,
                owner=partners.get(rng.choice(OWNERS)),
                lead=rng.choice(LEADS),
                due_on=rng.choice(due_dates),
            )
            for dated, (status, rag) in zip(UPDATE_DATES, _status_path(rng), strict=False):
                ProgressUpdate.objects.create(
                    action=action,
                    dated=dated,
                    author_name=UPDATER,
                    status=status,
                    rag=rag,
                    narrative=NARRATIVES[status],
                )
                action.status, action.rag = status, rag
            action.save(update_fields=["status", "rag"])
            count += 1
    stdout.write(f"  governance: plan {PLAN_TITLE} with {count} actions")
    return plan


def _seed_risks(rng: random.Random, plan: Plan, stdout) -> None:
    assessment, created = RiskAssessment.objects.get_or_create(
        year=2026,
        defaults={
            "title": "Counter-terrorism situational risk assessment 2026",
            "summary": "An invented assessment for demonstration: eleven priority areas.",
        },
    )
    if not created:
        return
    districts = list(District.objects.all())
    actions = list(plan.actions.all())
    for position, (title, likelihood, impact, rating, trend) in enumerate(RISK_AREAS):
        area = RiskArea.objects.create(
            assessment=assessment,
            title=title,
            description="Invented description of the risk for the demonstration.",
            likelihood=likelihood,
            impact=impact,
            rating=rating,
            trend=trend,
        )
        area.districts.set(rng.sample(districts, k=min(len(districts), rng.randint(0, 4))))
        # The last two areas are left without actions, to show the coverage gap.
        if position < len(RISK_AREAS) - 2 and actions:
            area.actions.set(rng.sample(actions, k=rng.randint(1, 4)))
    stdout.write(f"  governance: risk assessment with {len(RISK_AREAS)} priority areas")


def _seed_board(rng: random.Random, stdout) -> None:
    partners = {p.name: p for p in Partner.objects.all()}
    members = []
    for name, partner, role in BOARD_MEMBERS:
        if partner not in partners:
            continue
        member, _created = BoardMember.objects.get_or_create(
            name=name, defaults={"partner": partners[partner], "board_role": role}
        )
        members.append(member)
    for number, held_on in enumerate(MEETING_DATES, start=1):
        meeting, created = BoardMeeting.objects.get_or_create(
            held_on=held_on,
            defaults={
                "papers": "Partnership plan progress report\nRisk assessment update\n"
                "Channel panel summary (aggregate figures)",
                "minutes": f"Invented minutes of board meeting {number}. The board reviewed "
                "progress against the partnership plan and the priority risk areas.",
            },
        )
        if created:
            meeting.attendees.set(rng.sample(members, k=min(len(members), 7)))
            MeetingAction.objects.create(
                meeting=meeting,
                description="Circulate the updated plan progress report to all members",
                owner="Prevent coordinator",
                due_on=date(held_on.year, held_on.month, 28),
                is_done=held_on < MEETING_DATES[-1],
            )
    stdout.write(f"  governance: {len(members)} board members, {len(MEETING_DATES)} meetings")


@transaction.atomic
def seed(*, stdout) -> None:
    rng = random.Random(2026)  # noqa: S311 (fixed seed: the same demo data every time)
    plan = _seed_plan(rng, stdout)
    _seed_risks(rng, plan, stdout)
    _seed_board(rng, stdout)
