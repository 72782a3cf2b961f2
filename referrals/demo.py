"""Invented demo referrals: about 60 people, obviously fictional, spread over the journey.

Each referral the demo creates is moved along a plausible path of steps (recorded with
`referral_transition`, so with events and audit), dated between its receipt and today.
Idempotent: nothing is added (and nothing moved) when any referral exists. A fixed random
seed gives every fresh database the same people (dated relative to today).

The last new person is given the names and date of birth of the first, as if recorded by
someone who could not be shown that earlier record: a possible match waits for a
supervisor with the identity grant to confirm (referrals/matching.py).
"""

import dataclasses
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from governance.models import District
from prevent_portal.accounts.models import User
from referrals.choices import PersonAware
from referrals.models import ConcernType, Referral, Sector, Sex
from referrals.reference import scheme_for
from referrals.services import (
    ConcernData,
    PersonData,
    ReferrerData,
    referral_create,
    referral_transition,
)
from referrals.transitions import POST_EXIT_REVIEW_MONTHS, add_months

REFERRALS = 60
RE_REFERRALS = 5

GIVEN_MALE = ["Jamie", "Alex", "Sam", "Charlie", "Robin", "Casey", "Drew", "Morgan", "Toby"]
GIVEN_FEMALE = ["Jamie", "Alex", "Sam", "Charlie", "Robin", "Casey", "Ellis", "Morgan"]
FAMILY = [
    "Testwood",
    "Fakeley",
    "Inventson",
    "Madeup",
    "Notreal",
    "Sampleton",
    "Democroft",
    "Exampleby",
    "Pretendham",
    "Fictionford",
    "Mockridge",
    "Dummyfield",
]
# Weights: education and police refer most (docs/domain.md §1).
SECTOR_WEIGHTS = {
    "Education": 36,
    "Police": 20,
    "Local Authority": 12,
    "Health": 10,
    "Community": 6,
    "Friends and family": 6,
    "Prison": 3,
    "Probation": 4,
    "Other": 3,
}
REFERRERS = [
    ("Pat Placeholder", "Designated safeguarding lead", "Invented Academy"),
    ("Lee Samplewell", "Police constable", "Kent Police"),
    ("Kim Notaperson", "Social worker", "Imaginary Council children's services"),
    ("Jo Demoson", "Mental health nurse", "Invented NHS Trust"),
    ("Ray Fabricate", "Youth worker", "Pretend Youth Club"),
]
GATEWAY = ["police_gateway"]
GATHERED = [*GATEWAY, "information_gathering"]
ADOPTED = [*GATHERED, "panel", "consent", "adopted"]
# (path of steps after receipt, weight): most close at the gateway; about one in five is
# discussed at panel and about one in ten adopted (docs/domain.md §1).
PATHS = [
    ([], 8),
    (GATEWAY, 7),
    ([*GATEWAY, "no_further_action"], 28),
    ([*GATEWAY, "signposted"], 14),
    ([*GATEWAY, "police_led"], 2),
    (GATHERED, 7),
    ([*GATHERED, "no_further_action"], 9),
    ([*GATHERED, "signposted"], 4),
    ([*GATHERED, "panel"], 3),
    ([*GATHERED, "panel", "not_adopted"], 4),
    ([*GATHERED, "panel", "consent", "consent_declined"], 2),
    (ADOPTED, 3),
    ([*ADOPTED, "reviewed"], 3),
    ([*ADOPTED, "reviewed", "exit"], 2),
    ([*ADOPTED, "reviewed", "exit", "post_exit_review"], 2),
    ([*ADOPTED, "reviewed", "exit", "post_exit_review", "post_exit_review", "closed"], 1),
]
SERVICES = ["Invented Family Hub", "Pretend Youth Club mentoring", "Imaginary Early Help team"]
REASONS = {
    "police_gateway": "Passed to the police gateway for assessment.",
    "information_gathering": "Gateway found a vulnerability: gather information from partners.",
    "panel": "Presented to the monthly Channel panel.",
    "consent": "Panel agreed to adopt: consent to be sought.",
    "adopted": "Consent given; support plan agreed (invented example).",
    "reviewed": "Reviewed at panel: progress on the support plan.",
    "exit": "No further terrorism-related concerns.",
    "post_exit_review": "Post-exit review: no new concerns.",
    "closed": "Reviews complete.",
    "no_further_action": "No Prevent-relevant concern found.",
    "signposted": "Needs better met by another service.",
    "police_led": "Risk escalated to counter-terrorism policing.",
    "not_adopted": "Panel found Channel support not needed.",
    "consent_declined": "Consent declined.",
}
CONCERNS = [
    "Shared extremist videos in a class group chat (invented example).",
    "Expressed support for violence against a minority group (invented example).",
    "Searching online for information about past mass casualty attacks (invented example).",
    "Repeated misogynistic posts in online gaming forums (invented example).",
]


def seed(*, stdout) -> None:
    if Referral.objects.exists():
        stdout.write("Referrals already present: no demo referrals added.")
        return
    with transaction.atomic():
        created = _seed()
    stdout.write(f"Added {created} invented demo referrals.")


def _seed() -> int:
    rng = random.Random(20260315)  # noqa: S311 (reproducible demo data, not security)
    # The types of concern come from a generator of their own, so that a revised list of
    # the Home Office's (more or fewer entries) leaves the people and journeys as they are.
    concern_rng = random.Random(20260316)  # noqa: S311
    today = timezone.localdate()
    actor = User.objects.filter(username="channel").first()
    districts = list(District.objects.filter(is_active=True))
    sectors = {sector.name: sector for sector in Sector.objects.filter(is_active=True)}
    male, female = Sex.objects.get(name="Male"), Sex.objects.get(name="Female")
    people = []
    count = 0
    for index in range(REFERRALS + RE_REFERRALS):
        received = today - timedelta(days=rng.randint(1, 700))
        types = list(ConcernType.objects.filter(is_active=True, scheme=scheme_for(received)))
        chosen = concern_rng.sample(types, k=1 if concern_rng.random() < 0.8 else 2)
        sector = rng.choices(list(SECTOR_WEIGHTS), weights=list(SECTOR_WEIGHTS.values()))[0]
        name, role, organisation = rng.choice(REFERRERS)
        person, person_data = None, None
        if index >= REFERRALS and people:
            person = rng.choice(people)  # a re-referral of someone already on record
        else:
            is_male = rng.random() < 0.89
            age = rng.choice([9, 12, 13, 14, 15, 15, 16, 17, 19, 23, 28, 35, 44, 58])
            born = received - timedelta(days=age * 365 + rng.randint(0, 364))
            known_dob = rng.random() < 0.9
            person_data = PersonData(
                given_names=rng.choice(GIVEN_MALE if is_male else GIVEN_FEMALE),
                family_name=rng.choice(FAMILY),
                date_of_birth=born if known_dob else None,
                approximate_age=None if known_dob else age,
                sex=male if is_male else female,
                address=f"{rng.randint(1, 99)} Invented Street, Nowhere Town",
                district=rng.choice(districts) if districts else None,
                nationality="British" if rng.random() < 0.85 else "Not known",
                first_language="English" if rng.random() < 0.85 else "Not known",
                setting="Invented Academy" if age < 19 else "Not in education or employment",
            )
        candidates = []
        if index == REFERRALS - 1 and people:
            # The possible match of the demo: the same names and date of birth as the
            # first person, recorded as a new person and left for review.
            first = people[0]
            person_data = dataclasses.replace(
                person_data,
                given_names=first.given_names,
                family_name=first.family_name,
                date_of_birth=first.date_of_birth,
                approximate_age=None if first.date_of_birth else first.approximate_age,
            )
            candidates = [str(first.pk)]
        referral = referral_create(
            actor=actor,
            person=person,
            person_data=person_data,
            referrer=ReferrerData(
                name=name, role=role, organisation=organisation, sector=sectors[sector]
            ),
            concern=ConcernData(types=chosen, primary=chosen[0], concerns=rng.choice(CONCERNS)),
            date_received=received,
            person_aware=rng.choice(PersonAware.values),
            match_candidates=candidates,
        )
        people.append(referral.person)
        _move_along(rng, referral, actor=actor, today=today)
        count += 1
    return count


def _move_along(rng, referral, *, actor, today) -> None:
    """Record a plausible path of steps for a referral the demo has just created."""
    if referral.status != "received":
        return
    path = rng.choices([p for p, _ in PATHS], weights=[w for _, w in PATHS])[0]
    span = (today - referral.date_received).days
    # Post-exit reviews come 6 and 12 months after the exit (referrals.transitions): leave
    # room for them after the exit, or stop at the exit when the referral is too recent.
    reviews = path.count("post_exit_review")
    room = 31 * POST_EXIT_REVIEW_MONTHS[reviews - 1] + 10 if reviews else 0
    if room and span < room + len(path):
        path, room = path[: path.index("post_exit_review")], 0
    offsets = sorted(rng.randint(0, span - room) for _ in path)
    days = [referral.date_received + timedelta(days=offset) for offset in offsets]
    if "post_exit_review" in path:
        exit_on = days[path.index("exit")]
        for number, at in enumerate(i for i, s in enumerate(path) if s == "post_exit_review"):
            days[at] = add_months(exit_on, POST_EXIT_REVIEW_MONTHS[number])
        if path[-1] == "closed":
            days[-1] = days[-2] + timedelta(days=rng.randint(0, 10))
    for status, on in zip(path, days, strict=True):
        referral_transition(
            actor=actor,
            referral=referral,
            to_status=status,
            reason=REASONS[status],
            occurred_on=on,
            expected_version=referral.version,
            signposted_to=rng.choice(SERVICES) if status == "signposted" else "",
        )
