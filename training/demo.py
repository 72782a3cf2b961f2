"""Invented demo data: a year of training sessions and their evaluations.

Idempotent: nothing is added when demo sessions already exist. Random choices use a
fixed seed, so two fresh databases get the same sessions (dated relative to today).
"""

import random
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from governance.models import District, Partner
from prevent_portal.accounts.models import User
from training.choices import MetExpectations, SessionFormat, SessionSource, ValueToRole
from training.models import Booking, Course, Evaluation, TrainingSession
from training.services import session_create

SESSIONS = 75

BESPOKE_TITLES = [
    "Prevent briefing for a housing team meeting",
    "Talk at a community safety partnership conference",
    "Prevent input to a licensing officers' forum",
    "Briefing for a youth service away day",
]

QUOTES = [
    "Clear and practical: I now know exactly how to raise a concern.",
    "The case studies made it real for our team.",
    "Really useful to understand what young people see online.",
    "Best training I have had this year, and very relevant to my role.",
    "The trainer was knowledgeable and answered every question.",
    "I feel more confident talking to families about this.",
    "Eye-opening. I had no idea gaming platforms were used in this way.",
    "Short, focused and easy to follow.",
]
COMMENTS = [
    "Good session.",
    "Useful refresher.",
    "Would like more local examples.",
    "A bit rushed at the end.",
    "Slides would be helpful afterwards.",
    "",
    "",
    "",
]


@transaction.atomic
def seed(*, stdout) -> None:
    if TrainingSession.objects.filter(source=SessionSource.DEMO).exists():
        stdout.write("Training: demo sessions already present, nothing added.")
        return
    courses = list(Course.objects.order_by("position"))
    districts = list(District.objects.filter(is_active=True))
    partners = list(Partner.objects.filter(is_active=True))
    trainers = list(User.objects.filter(username__in=["coordinator", "education"]))
    if not courses or not districts or not partners:
        stdout.write("Training: no catalogue or reference data, no demo sessions added.")
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    # Awareness sessions are the most common; webinars fewer but larger.
    weights = [30, 14, 10, 4, 6, 6, 6][: len(courses)] + [1] * max(0, len(courses) - 7)
    evaluations = []
    # Created in date order, so that references follow the dates as they would in use.
    dates = sorted(today - timedelta(days=rng.randint(1, 364)) for _ in range(SESSIONS))
    for on in dates:
        if rng.random() < 0.1:
            course, title = None, rng.choice(BESPOKE_TITLES)
            session_format = rng.choice([SessionFormat.FACE_TO_FACE, SessionFormat.VIRTUAL])
            attendees = rng.randint(8, 60)
        else:
            course, title = rng.choices(courses, weights=weights)[0], ""
            formats = course.formats or [SessionFormat.FACE_TO_FACE]
            session_format = rng.choice(formats)
            low = 5 if session_format != SessionFormat.WEBINAR else 25
            attendees = rng.randint(low, max(low, course.capacity * 3 // 4))
        session = session_create(
            actor=None,
            date=on,
            course=course,
            bespoke_title=title,
            format=session_format,
            attendees=attendees,
            trainers=rng.sample(trainers, k=rng.randint(1, len(trainers))) if trainers else [],
            external_trainers=rng.choice(["", "", "", "Counter Terrorism Policing South East"]),
            audiences=rng.sample(partners, k=rng.randint(1, 3)),
            district=None if session_format == SessionFormat.WEBINAR else rng.choice(districts),
            notes="",
            source=SessionSource.DEMO,
            audit=False,
        )
        for _ in range(rng.randint(0, min(9, attendees))):
            met = rng.random() < 0.9
            valued = rng.random() < (0.9 if met else 0.3)
            quote = met and valued and rng.random() < 0.12
            evaluations.append(
                Evaluation(
                    session=session,
                    met_expectations=(
                        rng.choice([MetExpectations.MET, MetExpectations.EXCEEDED])
                        if met
                        else MetExpectations.DID_NOT_MEET
                    ),
                    value_to_role=(
                        rng.choice([ValueToRole.VERY, ValueToRole.EXTREMELY, ValueToRole.VERY])
                        if valued
                        else rng.choice([ValueToRole.SLIGHTLY, ValueToRole.MODERATELY])
                    ),
                    comment=rng.choice(QUOTES) if quote else rng.choice(COMMENTS),
                    quotable=quote,
                )
            )
    Evaluation.objects.bulk_create(evaluations)
    booked = _seed_bookings(rng, courses, partners, today)
    stdout.write(
        f"Training: {SESSIONS} demo sessions and {len(evaluations)} evaluations added, and "
        f"{len(UPCOMING)} sessions open for booking with {booked} invented bookings."
    )


# Sessions open for booking on the public offer (/courses/): (days ahead, course
# position, format, places, start, where, booked, waiting).
UPCOMING = [
    (21, 0, SessionFormat.FACE_TO_FACE, 30, time(9, 30), "Invented Hall, Maidstone", 12, 0),
    (35, 4, SessionFormat.WEBINAR, 8, time(14, 0), "Online: the joining link is emailed", 8, 2),
]
BOOKERS = ["Alex", "Sam", "Jordan", "Priya", "Tomasz", "Amara", "Chris", "Morgan", "Ravi", "Jo"]


def _seed_bookings(rng, courses, partners, today) -> int:
    bookings = []
    for days, position, session_format, places, start, venue, booked, waiting in UPCOMING:
        session = session_create(
            actor=None,
            date=today + timedelta(days=days),
            course=courses[min(position, len(courses) - 1)],
            format=session_format,
            attendees=0,
            booking_open=True,
            places=places,
            start_time=start,
            venue=venue,
            source=SessionSource.DEMO,
            audit=False,
        )
        for i in range(booked + waiting):
            given = rng.choice(BOOKERS)
            bookings.append(
                Booking(
                    session=session,
                    status=Booking.Status.BOOKED if i < booked else Booking.Status.WAITING,
                    name=f"{given} Madeup{i}",
                    email=f"{given.lower()}.madeup{i}@example.org",
                    organisation=rng.choice(partners),
                    role=rng.choice(["Teacher", "Social worker", "Housing officer", "Nurse"]),
                    confirmed_at=timezone.now(),
                )
            )
    Booking.objects.bulk_create(bookings)
    return len(bookings)
