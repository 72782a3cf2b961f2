"""Fuzzing the public booking forms (SECURITY.md 21, see tests/fuzzing.py): nobody
signed in, arbitrary values posted; never a 500, and a refusal writes nothing (no
booking, no rate-limit row, no audit event, no partner) and sends no email.

Views covered (every POST handler in training/public_urls.py):
courses:booking-create, courses:booking-confirm, courses:booking-cancel.
"""

import string
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, Fuzzer
from tests.training.helpers import course
from training.bookings import token_hash
from training.choices import SessionFormat
from training.models import Booking
from training.services import session_create

pytestmark = pytest.mark.django_db

# The honeypot is empty for people; a filled one is a bot, turned away without a trace.
HONEYPOT = st.fixed_dictionaries({"website": st.sampled_from(["", "", "", "http://x.example"])})


@pytest.fixture
def session(reference_data):
    return session_create(
        actor=None,
        date=timezone.localdate() + timedelta(days=9),
        course=course(),
        format=SessionFormat.FACE_TO_FACE,
        attendees=0,
        booking_open=True,
        places=2,
    )


@pytest.fixture
def fuzzer(client, session):
    return Fuzzer(client, ["training", "governance"])


@FUZZ
@given(data=st.data())
def test_the_booking_form_never_fails_and_a_refusal_writes_nothing(fuzzer, session, data):
    url = reverse("courses:booking-create", args=[session.pk])
    sent = len(mail.outbox)
    bookings = Booking.objects.count()
    response = fuzzer.fuzz("book", lambda: url, data, extra=HONEYPOT)
    if response.status_code != 302 or Booking.objects.count() == bookings:
        assert len(mail.outbox) == sent


@FUZZ
@given(
    data=st.data(),
    token=st.one_of(
        st.text(alphabet=string.ascii_letters + string.digits + "-_.~", min_size=1, max_size=120),
        st.sampled_from(["c0", "c1", "x0", "x1"]),
    ),
)
def test_the_link_pages_never_fail_whatever_the_token(client, session, data, token):
    for i in range(2):
        Booking.objects.get_or_create(
            session=session,
            email=f"fuzz{i}@example.org",
            defaults={
                "name": "Fuzz Madeup",
                "role": "Tester",
                "confirm_token_hash": token_hash(f"c{i}"),
                "cancel_token_hash": token_hash(f"x{i}"),
            },
        )
    fuzzer = Fuzzer(client, ["training", "governance"])
    for name in ("courses:booking-confirm", "courses:booking-cancel"):
        token_path = token
        url = reverse(name, kwargs={"token": token_path})
        extra = st.fixed_dictionaries({"anything": st.text(max_size=20)})
        fuzzer.fuzz(name + token_path, lambda url=url: url, data, fields={}, extra=extra)
