import io

import pytest

from training import demo
from training.models import Evaluation, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_data_is_a_plausible_year_and_seeding_twice_adds_nothing(reference_data, persona):
    persona("coordinator")
    persona("education")
    demo.seed(stdout=io.StringIO())
    sessions = TrainingSession.objects.count()
    evaluations = Evaluation.objects.count()
    assert 60 <= sessions <= 90
    assert 200 <= evaluations <= 500
    assert Evaluation.objects.filter(quotable=True).exclude(comment="").exists()
    trainers = set(
        TrainingSession.trainers.through.objects.values_list("user__username", flat=True)
    )
    assert trainers == {"coordinator", "education"}
    assert TrainingSession.objects.filter(course__isnull=True).exists()
    # The public offer shows sessions open for booking, with some bookings.
    from training.models import Booking
    from training.selectors import bookable_sessions

    assert bookable_sessions().count() == 2
    assert Booking.objects.filter(status=Booking.Status.BOOKED).count() == 20
    assert Booking.objects.filter(status=Booking.Status.WAITING).exists()
    out = io.StringIO()
    demo.seed(stdout=out)
    assert (TrainingSession.objects.count(), Evaluation.objects.count()) == (
        sessions,
        evaluations,
    )
    assert "nothing added" in out.getvalue()
