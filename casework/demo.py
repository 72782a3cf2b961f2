"""Invented demo case work on the demo referrals (referrals/demo.py runs first).

Consent records for the cases that passed the consent step, support plans with
interventions for adopted, reviewed and exited cases, case notes, and a few risk flags.
Idempotent: nothing is added when any consent record or case note exists.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from casework.choices import ConsentDecision, ConsentGivenBy, NoteKind, RiskKind
from casework.models import (
    CaseNote,
    ConsentRecord,
    Intervention,
    InterventionType,
    Provider,
    SupportPlan,
)
from casework.services import note_add, risk_flag_raise, risk_flag_update
from prevent_portal.accounts.models import User
from referrals.ages import age_on
from referrals.models import Referral, ReferralEvent

PROVIDERS = [
    ("Invented Mentoring Partnership", True),
    ("Pretend Pathways Mentoring", True),
    ("Imaginary College Careers Service", False),
    ("Invented Youth Mental Health Service", False),
    ("Pretend Family Hub", False),
    ("Imaginary Boxing Club", False),
]
# (type, provider, goal)
PLANS = [
    (
        "Intervention Provider (ideological mentoring)",
        "Invented Mentoring Partnership",
        "Explore and challenge the ideas met online; build critical thinking.",
    ),
    ("Careers", "Imaginary College Careers Service", "Find a college course or apprenticeship."),
    (
        "Mental health",
        "Invented Youth Mental Health Service",
        "Assessment and support for anxiety.",
    ),
    ("Family support", "Pretend Family Hub", "Support the family to talk about online safety."),
    ("Diversionary activity", "Imaginary Boxing Club", "Weekly sessions with a trusted coach."),
]
NOTES = [
    (NoteKind.PHONE_CALL, "Spoke with the designated safeguarding lead (invented example)."),
    (NoteKind.MEETING, "Met the person and their parent at school (invented example)."),
    (NoteKind.HOME_VISIT, "Home visit with the family support worker (invented example)."),
    (NoteKind.EMAIL, "Emailed the mentor to arrange the first session (invented example)."),
    (NoteKind.INFORMATION_RECEIVED, "Information received from the GP (invented example)."),
]
PAST_CONSENT = {"adopted", "reviewed", "exit", "post_exit_review", "closed"}


def seed(*, stdout) -> None:
    if ConsentRecord.objects.exists() or CaseNote.objects.exists():
        stdout.write("Case work already present: no demo case work added.")
        return
    with transaction.atomic():
        counts = _seed()
    stdout.write(
        "Added invented case work: {consents} consent records, {interventions} "
        "interventions, {notes} notes, {flags} risk flags.".format(**counts)
    )


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _seed() -> dict:
    rng = random.Random(20260316)  # noqa: S311 (reproducible demo data, not security)
    today = timezone.localdate()
    actor = User.objects.filter(username="channel").first()
    providers = {}
    for name, accredited in PROVIDERS:
        providers[name] = Provider.objects.get_or_create(
            name=name, defaults={"accredited": accredited}
        )[0]
    types = {kind.name: kind for kind in InterventionType.objects.all()}
    counts = {"consents": 0, "interventions": 0, "notes": 0, "flags": 0}
    referrals = Referral.objects.select_related("person").order_by("reference")
    events = {}
    for event in ReferralEvent.objects.filter(
        from_status__in=["consent", "adopted", "reviewed"],
        to_status__in=["adopted", "consent_declined"],
    ).order_by("occurred_on", "id"):
        events.setdefault(event.referral_id, []).append(event)
    for referral in referrals:
        for event in events.get(referral.pk, []):
            _consent(rng, referral, event)
            counts["consents"] += 1
        if referral.status in PAST_CONSENT:
            counts["interventions"] += _plan(rng, referral, events, types, providers, actor)
        if referral.status not in ("received", "police_gateway"):
            counts["notes"] += _notes(rng, referral, actor, today)
    counts["flags"] = _flags(referrals, actor, today)
    return counts


def _consent(rng, referral, event) -> None:
    person = referral.person
    age = age_on(
        event.occurred_on,
        date_of_birth=person.date_of_birth,
        approximate_age=person.approximate_age,
        approximate_age_on=person.approximate_age_on,
    )
    if event.to_status == "adopted":
        decision = ConsentDecision.GIVEN
    elif event.from_status == "consent":
        decision = ConsentDecision.DECLINED
    else:
        decision = ConsentDecision.WITHDRAWN
    by_parent = age is None or age < 18
    ConsentRecord.objects.create(
        referral=referral,
        decision=decision,
        given_by=ConsentGivenBy.PARENT if by_parent else ConsentGivenBy.PERSON,
        given_by_name=f"{rng.choice(['Pat', 'Lee', 'Kim'])} {person.family_name}"
        if by_parent
        else "",
        decided_on=event.occurred_on,
        note="Discussed what Channel support involves (invented example).",
        event=event,
        recorded_by=event.actor,
    )


def _plan(rng, referral, events, types, providers, actor) -> int:
    adopted = next((e for e in events.get(referral.pk, []) if e.to_status == "adopted"), None)
    start = adopted.occurred_on if adopted else referral.date_received
    plan = SupportPlan.objects.create(referral=referral, created_by=actor)
    chosen = [PLANS[0], *rng.sample(PLANS[1:], k=rng.randint(0, 2))]
    finished = referral.status not in ("adopted", "reviewed")
    today = timezone.localdate()
    for offset, (kind, provider, goal) in enumerate(chosen):
        starts = min(start + timedelta(days=7 + 7 * offset), today)
        ends = min(starts + timedelta(days=rng.randint(40, 120)), today) if finished else None
        Intervention.objects.create(
            plan=plan,
            kind=types[kind],
            provider=providers[provider],
            goal=goal,
            starts_on=starts,
            ends_on=ends,
            sessions=rng.randint(4, 12),
            outcome="Engaged well; goals met (invented example)." if finished else "",
            created_by=actor,
        )
    return len(chosen)


def _notes(rng, referral, actor, today) -> int:
    span = (today - referral.date_received).days
    count = rng.randint(1, 4)
    for number in range(count):
        day = referral.date_received + timedelta(days=rng.randint(0, max(span - 1, 0)))
        kind, text = NOTES[(number + rng.randint(0, 4)) % len(NOTES)]
        note_add(
            actor=actor, referral=referral, contact_at=_at(day, 9 + number), kind=kind, text=text
        )
    return count


def _flags(referrals, actor, today) -> int:
    open_cases = [r for r in referrals if r.status in ("adopted", "reviewed")][:2]
    made = 0
    for number, referral in enumerate(open_cases):
        flag = risk_flag_raise(
            actor=actor,
            referral=referral,
            kind=RiskKind.CHILDRENS_SOCIAL_CARE if number == 0 else RiskKind.IMMEDIATE_RISK,
            raised_on=max(today - timedelta(days=10 + number), referral.date_received),
            to_whom="Invented children's services front door" if number == 0 else "",
            reason="New safeguarding concern raised by the mentor (invented example).",
        )
        made += 1
        if number == 1:
            risk_flag_update(
                actor=actor,
                flag=flag,
                to_whom="",
                outcome="Safety plan agreed with the family (invented example).",
                closed_on=today,
                expected_version=flag.version,
            )
    return made
