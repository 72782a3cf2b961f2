"""The public training offer and booking (docs/training.md, "Booking"): anyone books a
place without an account, confirms and cancels by one-time links sent by email; places
are never overbooked; bots and floods are refused."""

import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance.models import Partner
from prevent_portal.audit.models import AuditEvent
from tests.queries import assert_same_queries, page_queries
from tests.training.helpers import course
from training.choices import SessionFormat
from training.models import Booking, PublicRequest, TrainingSession
from training.services import session_create

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/courses/bookings/[^/\s]+/(?:confirm|cancel)/)")


def upcoming(*, days=10, places=None, title="Prevent Awareness", booking_open=True, **extra):
    return session_create(
        actor=None,
        date=timezone.localdate() + timedelta(days=days),
        course=course(title),
        format=SessionFormat.VIRTUAL,
        attendees=0,
        booking_open=booking_open,
        places=places,
        start_time=time(9, 30),
        venue="Online, joining link by email",
        **extra,
    )


def details(**changes):
    data = {
        "name": "Ada Madeup",
        "email": "ada.madeup@example.org",
        "organisation": str(Partner.objects.order_by("name").first().pk),
        "organisation_name": "",
        "role": "Designated safeguarding lead",
        "accessibility_needs": "",
        "website": "",
    }
    data.update(changes)
    return data


def book(client, session, **changes):
    return client.post(reverse("courses:booking-create", args=[session.pk]), details(**changes))


def last_link(kind: str) -> str:
    paths = [p for p in LINK.findall(mail.outbox[-1].body) if p.endswith(f"/{kind}/")]
    assert paths, mail.outbox[-1].body
    return paths[0]


def book_and_confirm(client, session, **changes):
    assert book(client, session, **changes).status_code == 302
    return client.post(last_link("confirm"))


# --- the offer ----------------------------------------------------------------------


def test_the_offer_lists_published_courses_and_their_open_sessions(client, reference_data):
    open_session = upcoming()
    upcoming(days=12, booking_open=False)
    past = upcoming(days=3)
    TrainingSession.objects.filter(pk=past.pk).update(date=timezone.localdate() - timedelta(1))
    hidden = course("School massacre ideology")
    hidden.published = False
    hidden.save()
    response = client.get(reverse("courses:offer"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Prevent Awareness" in body and "School massacre ideology" not in body
    assert "Up to 40 participants" in body
    assert body.count(reverse("courses:booking-create", args=[open_session.pk])) == 1
    assert reverse("courses:booking-create", args=[past.pk]) not in body
    assert "40 left" in body
    assert "None" not in body and "(s)" not in body


def test_the_offer_takes_the_same_queries_with_more_sessions(client, reference_data):
    upcoming()
    small = page_queries(client, reverse("courses:offer"))
    for days in range(11, 30):
        book_and_confirm(client, upcoming(days=days), email=f"p{days}@example.org")
    assert_same_queries(small, page_queries(client, reverse("courses:offer")), at_most=6)


def test_a_session_not_open_for_booking_cannot_be_booked(client, reference_data):
    closed = upcoming(booking_open=False)
    assert client.get(reverse("courses:booking-create", args=[closed.pk])).status_code == 404
    assert book(client, closed).status_code == 404
    assert not Booking.objects.exists()


# --- booking, confirming, cancelling -----------------------------------------------------


def test_booking_sends_a_confirmation_link_and_takes_no_place_until_it_is_used(
    client, reference_data
):
    session = upcoming()
    page = client.get(reverse("courses:booking-create", args=[session.pk]))
    assert b"12 months after the session" in page.content  # the privacy notice
    response = book(client, session)
    assert response["Location"] == reverse("courses:booking-sent")
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.UNCONFIRMED
    assert (mail.outbox[-1].to, "confirm" in mail.outbox[-1].subject) == (
        ["ada.madeup@example.org"],
        True,
    )
    link = last_link("confirm")
    token = link.split("/")[-3]
    assert token not in str(Booking.objects.values_list())  # only its hash is kept

    assert client.get(link).status_code == 200
    assert Booking.objects.get().status == Booking.Status.UNCONFIRMED  # GET changes nothing
    response = client.post(link)
    assert response["Location"] == reverse("courses:booking-outcome", args=["booked"])
    assert Booking.objects.get().status == Booking.Status.BOOKED
    assert "cancel" in mail.outbox[-1].body
    # The link works once.
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert Booking.objects.get().status == Booking.Status.BOOKED


def test_a_full_session_puts_bookers_on_the_waiting_list_and_a_cancellation_frees_a_place(
    client, reference_data
):
    session = upcoming(places=1)
    book_and_confirm(client, session, email="first@example.org")
    cancel_first = last_link("cancel")
    response = book_and_confirm(client, session, email="second@example.org")
    assert response["Location"] == reverse("courses:booking-outcome", args=["waiting"])
    statuses = dict(Booking.objects.values_list("email", "status"))
    assert statuses == {"first@example.org": "booked", "second@example.org": "waiting"}

    assert client.post(cancel_first)["Location"] == reverse(
        "courses:booking-outcome", args=["cancelled"]
    )
    statuses = dict(Booking.objects.values_list("email", "status"))
    assert statuses == {"first@example.org": "cancelled", "second@example.org": "booked"}
    assert mail.outbox[-1].to == ["second@example.org"]
    assert "a place is free" in mail.outbox[-1].subject
    assert client.post(cancel_first).status_code == 404  # used once


def test_an_organisation_typed_in_is_kept_on_the_booking_not_added_to_the_register(
    client, reference_data
):
    partners = Partner.objects.count()
    book(client, upcoming(), organisation="other", organisation_name="Madeup  Youth Trust")
    booking = Booking.objects.get()
    assert (booking.organisation, booking.organisation_display) == (None, "Madeup Youth Trust")
    assert Partner.objects.count() == partners


def test_the_audit_trail_keeps_neither_the_booker_nor_the_link(client, reference_data):
    session = upcoming()
    book_and_confirm(client, session)
    events = AuditEvent.objects.filter(target_type="training.booking")
    assert events.count() == 2
    text = str(list(events.values_list()))
    assert "ada.madeup" not in text and "Ada" not in text
    assert "/bookings/" in text and not LINK.search(text)
    assert all(len(event.path) < 40 for event in events)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter your full name"),
        ({"name": "   "}, "Enter your full name"),
        ({"email": "not an email"}, "Enter an email address in the correct format"),
        ({"organisation": ""}, "Select your organisation"),
        ({"organisation": "999999"}, "Select your organisation"),
        ({"organisation": "other"}, "Enter the name of your organisation"),
        ({"role": ""}, "Enter your role"),
        ({"name": "x" * 201}, "Full name must be 200 characters or fewer"),
    ],
)
def test_bad_input_gets_a_govuk_error_and_writes_nothing(client, reference_data, changes, message):
    response = book(client, upcoming(), **changes)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert message in response.content.decode()
    assert not Booking.objects.exists() and not PublicRequest.objects.exists()
    assert not mail.outbox


# --- bots and floods ---------------------------------------------------------------------


def test_the_honeypot_filled_in_looks_accepted_but_keeps_and_sends_nothing(client, reference_data):
    response = book(client, upcoming(), website="http://spam.example")
    assert response["Location"] == reverse("courses:booking-sent")
    assert not Booking.objects.exists() and not mail.outbox


def test_the_honeypot_is_hidden_from_people(client, reference_data):
    body = client.get(reverse("courses:booking-create", args=[upcoming().pk])).content.decode()
    assert re.search(r'class="[^"]*portal-honeypot[^"]*"[^>]*aria-hidden="true"', body)


def test_bookings_per_email_are_limited(client, reference_data, settings):
    settings.TRAINING_BOOKINGS_PER_EMAIL = 2
    session = upcoming()
    for _ in range(2):
        assert book(client, session).status_code == 302
    response = book(client, session, email="ADA.madeup@example.org")
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"too many bookings with this email address" in response.content
    assert Booking.objects.count() == 2 and len(mail.outbox) == 2
    assert book(client, session, email="someone.else@example.org").status_code == 302


def test_bookings_per_address_are_limited_across_emails(client, reference_data, settings):
    settings.TRAINING_BOOKINGS_PER_IP = 3
    session = upcoming()
    for i in range(3):
        assert book(client, session, email=f"p{i}@example.org").status_code == 302
    response = book(client, session, email="p9@example.org")
    assert b"Too many bookings have been made from your network" in response.content
    other = client.post(
        reverse("courses:booking-create", args=[session.pk]),
        details(email="p9@example.org"),
        REMOTE_ADDR="192.0.2.44",
    )
    assert other.status_code == 302


def test_the_limit_counts_only_the_window(client, reference_data, settings):
    settings.TRAINING_BOOKINGS_PER_EMAIL = 1
    session = upcoming()
    book(client, session)
    PublicRequest.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert book(client, session).status_code == 302


def test_the_rate_limit_table_holds_no_address(client, reference_data):
    book(client, upcoming())
    keys = " ".join(PublicRequest.objects.values_list("key", flat=True))
    assert "ada" not in keys and "127.0.0.1" not in keys


# --- the reminder ------------------------------------------------------------------------


def test_the_reminder_goes_the_day_before_once(client, reference_data):
    tomorrow = upcoming(days=1)
    later = upcoming(days=5)
    book_and_confirm(client, tomorrow, email="tomorrow@example.org")
    book_and_confirm(client, later, email="later@example.org")
    book(client, tomorrow, email="unconfirmed@example.org")
    mail.outbox.clear()
    call_command("training_booking_reminders")
    assert [message.to for message in mail.outbox] == [["tomorrow@example.org"]]
    assert "tomorrow" in mail.outbox[0].subject
    call_command("training_booking_reminders")
    assert len(mail.outbox) == 1


# --- the coordinator's side --------------------------------------------------------------


def test_a_future_session_can_be_logged_only_when_open_for_booking(client_as, reference_data):
    client = client_as("coordinator")
    day = timezone.localdate() + timedelta(days=20)
    data = {
        "date": day.isoformat(),
        "course": str(course().pk),
        "format": SessionFormat.VIRTUAL,
        "attendees": "0",
    }
    response = client.post(reverse("training:session-create"), data)
    assert b"unless the session is open for booking" in response.content
    assert not TrainingSession.objects.exists()
    response = client.post(
        reverse("training:session-create"),
        {**data, "booking_open": "on", "places": "25", "start_time": "10:00"},
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert (session.booking_open, session.capacity, session.start_time) == (True, 25, time(10))


def test_a_bespoke_input_cannot_be_opened_for_booking(client_as, reference_data):
    response = client_as("coordinator").post(
        reverse("training:session-create"),
        {
            "date": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "course": "bespoke",
            "bespoke_title": "Invented talk",
            "format": SessionFormat.VIRTUAL,
            "attendees": "0",
            "booking_open": "on",
        },
    )
    assert b"Only a session of a course in the offer can be booked" in response.content
    assert not TrainingSession.objects.exists()


# --- the register and retention -----------------------------------------------------------


def _booked(client, session, count, waiting=0):
    for i in range(count + waiting):
        book_and_confirm(client, session, email=f"reg{i}@example.org", name=f"Reg Madeup{i}")
    return list(session.bookings.order_by("id"))


def test_the_register_lists_booked_and_waiting_and_sets_the_attendees(
    client, client_as, reference_data
):
    session = upcoming(places=3)
    bookings = _booked(client, session, 3, waiting=1)
    coordinator = client_as("coordinator")
    url = reverse("training:session-register", args=[session.pk])
    page = coordinator.get(url).content.decode()
    assert "Reg Madeup0" in page and "Waiting list" in page and "Reg Madeup3" in page
    assert "None" not in page and "(s)" not in page
    response = coordinator.post(url, {"attended": [bookings[0].pk, bookings[2].pk]})
    assert response["Location"] == reverse("training:session-detail", args=[session.pk])
    session.refresh_from_db()
    assert (session.attendees, session.register_taken_at is not None) == (2, True)
    assert sorted(session.bookings.filter(attended=True).values_list("pk", flat=True)) == [
        bookings[0].pk,
        bookings[2].pk,
    ]
    detail = coordinator.get(reverse("training:session-detail", args=[session.pk]))
    assert b"(from the register)" in detail.content
    assert AuditEvent.objects.filter(summary__startswith="Took the register").count() == 1


@pytest.mark.parametrize("value", ["abc", "999999", "waiting"])
def test_the_register_refuses_anyone_not_booked_and_changes_nothing(
    client, client_as, reference_data, value
):
    session = upcoming(places=1)
    bookings = _booked(client, session, 1, waiting=1)
    attended = str(bookings[1].pk) if value == "waiting" else value
    response = client_as("coordinator").post(
        reverse("training:session-register", args=[session.pk]), {"attended": attended}
    )
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    session.refresh_from_db()
    assert (session.attendees, session.register_taken_at) == (0, None)


def test_the_register_takes_the_same_queries_with_more_bookings(client, client_as, reference_data):
    session = upcoming(places=40)
    _booked(client, session, 2)
    coordinator = client_as("coordinator")
    url = reverse("training:session-register", args=[session.pk])
    small = page_queries(coordinator, url)
    Booking.objects.bulk_create(
        Booking(session=session, status="booked", name=f"Bulk {i}", email="b@example.org", role="R")
        for i in range(20)
    )
    assert_same_queries(small, page_queries(coordinator, url), at_most=15)


def test_the_register_is_refused_to_other_roles(client_as, reference_data):
    session = upcoming()
    url = reverse("training:session-register", args=[session.pk])
    assert client_as("board").get(url).status_code == 403
    assert (
        client_as("coordinator")
        .get(reverse("training:session-register", args=[999999]))
        .status_code
        == 404
    )


def test_the_retention_job_empties_bookers_details_and_keeps_the_counts(
    client, reference_data, settings
):
    from io import StringIO

    session = upcoming(places=1)
    _booked(client, session, 1, waiting=1)
    Booking.objects.filter(status="booked").update(attended=True)
    recent = upcoming(days=20)
    book_and_confirm(client, recent, email="recent@example.org")
    # Thirteen months on, the first session is past the default twelve.
    later = session.date + timedelta(days=370)
    PublicRequest.objects.update(created_at=timezone.now() - timedelta(hours=2))
    out = StringIO()
    call_command("retention_review", date=later.isoformat(), stdout=out)
    assert "personal data was removed: 2" in out.getvalue()
    old = session.bookings.all()
    assert set(old.values_list("name", "email", "role", "organisation")) == {("", "", "", None)}
    assert sorted(old.values_list("status", "attended")) == [("booked", True), ("waiting", False)]
    assert recent.bookings.get().email == "recent@example.org"  # within its period
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.DISPOSE).count() == 1
    assert not PublicRequest.objects.exists()  # older than the rate-limit window
    # Run again: nothing more.
    call_command("retention_review", date=later.isoformat(), stdout=StringIO())
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.DISPOSE).count() == 1


def test_the_retention_period_is_a_setting(client, reference_data, settings):
    settings.TRAINING_BOOKING_RETENTION_MONTHS = 24
    session = upcoming()
    book_and_confirm(client, session)
    call_command(
        "retention_review", date=(session.date + timedelta(days=400)).isoformat(), stdout=None
    )
    assert session.bookings.get().email == "ada.madeup@example.org"
    page = client.get(reverse("courses:booking-create", args=[session.pk]))
    assert b"24 months after the session" in page.content
