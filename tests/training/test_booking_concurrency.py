"""Places under concurrency, on PostgreSQL: people confirming at the same moment never
take more places than the session has; the rest join the waiting list.

Each thread has its own connection and a barrier starts them together (the shape of
tests/referrals/test_concurrency.py). SQLite serialises writers, so this runs on
PostgreSQL only (the CI's second pass).
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.referrals.test_concurrency import run_together
from tests.training.helpers import course
from training.bookings import booking_confirm, token_hash
from training.catalogue import load_catalogue
from training.choices import SessionFormat
from training.models import Booking, Course
from training.services import session_create

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]

THREADS = 8
PLACES = 3


def test_confirmations_at_the_same_moment_never_overbook_a_session(reference_data):
    load_catalogue(Course)
    session = session_create(
        actor=None,
        date=timezone.localdate() + timedelta(days=7),
        course=course(),
        format=SessionFormat.VIRTUAL,
        attendees=0,
        booking_open=True,
        places=PLACES,
    )
    tokens = [f"parallel-token-{i}" for i in range(THREADS)]
    Booking.objects.bulk_create(
        Booking(
            session=session,
            name=f"Parallel Madeup {i}",
            email=f"parallel{i}@example.org",
            role="Tester",
            confirm_token_hash=token_hash(token),
        )
        for i, token in enumerate(tokens)
    )

    def confirm(i):
        with transaction.atomic():
            return booking_confirm(token=tokens[i], base_url="http://testserver").status

    results = run_together(confirm, THREADS)
    assert all(isinstance(result, str) for result in results), results
    assert sorted(results) == ["booked"] * PLACES + ["waiting"] * (THREADS - PLACES)
    assert session.bookings.filter(status=Booking.Status.BOOKED).count() == PLACES
