"""Booking a place on a session by a member of the public (docs/training.md, "Booking").

Nobody here is signed in. The booker acts through one-time links sent to the work email
they gave: "confirm" (the place is taken, or the booker joins the waiting list, at that
moment) and then "cancel". Only the SHA-256 of a link's token is stored, a link works
once, and the audit trail keeps neither the token nor the booker's details.

Places are counted with the session's row locked (select_for_update), so two people
confirming the last place at the same moment cannot both get it.
"""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from governance.models import Partner
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.words import counted
from training.models import Booking, PublicRequest, TrainingSession
from training.selectors import bookable_sessions

BOOK = "booking"


class BookingError(Exception):
    """A booking the rules refuse; the message is shown to the booker as it is."""


class RateLimited(BookingError):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def rate_key(value: str) -> str:
    """The key a rate limit counts under: an HMAC, so the table holds no address."""
    return salted_hmac("training.public-rate", value.strip().lower()).hexdigest()


def _window_start():
    return timezone.now() - timedelta(minutes=settings.TRAINING_PUBLIC_RATE_WINDOW_MINUTES)


def rate_limit_check(*, action: str, email: str, ip: str) -> None:
    """Raise RateLimited when this email or this address has made too many accepted
    requests within the window (TRAINING_BOOKINGS_PER_EMAIL, TRAINING_BOOKINGS_PER_IP)."""
    recent = PublicRequest.objects.filter(action=action, created_at__gte=_window_start())
    if (
        recent.filter(key=rate_key("email:" + email)).count()
        >= settings.TRAINING_BOOKINGS_PER_EMAIL
    ):
        raise RateLimited(
            "You have made too many bookings with this email address. Try again in an hour"
        )
    if recent.filter(key=rate_key("ip:" + ip)).count() >= settings.TRAINING_BOOKINGS_PER_IP:
        raise RateLimited("Too many bookings have been made from your network. Try again later")


def _rate_limit_record(*, action: str, email: str, ip: str) -> None:
    PublicRequest.objects.bulk_create(
        [
            PublicRequest(action=action, key=rate_key("email:" + email)),
            PublicRequest(action=action, key=rate_key("ip:" + ip)),
        ]
    )


def places_taken(session: TrainingSession) -> int:
    return session.bookings.filter(status=Booking.Status.BOOKED).count()


def _when(session: TrainingSession) -> str:
    when = f"{session.date:%A %-d %B %Y}"
    if session.start_time:
        when += f" at {session.start_time:%H:%M}"
    return when


def _mail(booking: Booking, subject: str, lines: list[str]) -> None:
    session = booking.session
    body = [
        f"Dear {booking.name},",
        "",
        *lines,
        "",
        f"Course: {session.title}",
        f"Date: {_when(session)}",
        *([f"Where: {session.venue}"] if session.venue else []),
        "",
        "This email was sent because this address was given when booking training with "
        "the Prevent team. If it was not you, ignore it: nothing is booked until the "
        "link is used.",
    ]
    send_mail(
        subject=f"Prevent training: {subject}",
        message="\n".join(body) + "\n",
        from_email=None,  # DEFAULT_FROM_EMAIL
        recipient_list=[booking.email],
    )


def _audit(
    booking: Booking,
    summary: str,
    path: str,
    changes: dict | None = None,
    verb: str = AuditEvent.Verb.UPDATE,
) -> None:
    # The request's path holds the one-time token: the event keeps a path without it.
    audit_record(
        actor=None,
        actor_username="public",
        verb=verb,
        summary=summary,
        target=booking,
        changes=changes or {},
        path=path,
    )


@transaction.atomic
def booking_create(
    *,
    session: TrainingSession,
    name: str,
    email: str,
    organisation: Partner | None,
    organisation_name: str,
    role: str,
    accessibility_needs: str,
    ip: str,
    base_url: str,
) -> Booking:
    """A booking waiting for its email to be confirmed, and the email with the link.
    Called by the public booking page (no permission: anyone may book an open session).
    Refused when the session is not bookable or the rate limit is reached."""
    if not bookable_sessions().filter(pk=session.pk).exists():
        raise BookingError("Booking for this session has closed")
    rate_limit_check(action=BOOK, email=email, ip=ip)
    token, hashed = _new_token()
    booking = Booking.objects.create(
        session=session,
        name=name.strip(),
        email=email.strip(),
        organisation=organisation,
        organisation_name="" if organisation else " ".join(organisation_name.split()),
        role=role.strip(),
        accessibility_needs=accessibility_needs.strip(),
        confirm_token_hash=hashed,
    )
    _rate_limit_record(action=BOOK, email=email, ip=ip)
    _audit(
        booking,
        f"A place on training session {session.reference} was requested",
        reverse("courses:booking-create", kwargs={"pk": session.pk}),
        verb=AuditEvent.Verb.CREATE,
    )
    link = base_url.rstrip("/") + reverse("courses:booking-confirm", kwargs={"token": token})
    _mail(
        booking,
        "confirm your booking",
        [
            "Thank you for booking. To confirm your place, open this link:",
            link,
            "",
            "The link works once. You have no place until you confirm.",
        ],
    )
    return booking


def booking_for_token(field: str, token: str) -> Booking | None:
    """The booking a live link points to (any other token: None)."""
    if not token or len(token) > 100:
        return None
    return (
        Booking.objects.select_related("session__course")
        .filter(**{field: token_hash(token)})
        .first()
    )


def _locked(booking: Booking) -> tuple[TrainingSession, Booking]:
    # The session first, then the booking: every writer locks in this order.
    session = TrainingSession.objects.select_for_update().get(pk=booking.session_id)
    return session, Booking.objects.select_for_update().get(pk=booking.pk)


def _cancel_link(booking: Booking, base_url: str) -> str:
    token, booking.cancel_token_hash = _new_token()
    return base_url.rstrip("/") + reverse("courses:booking-cancel", kwargs={"token": token})


@transaction.atomic
def booking_confirm(*, token: str, base_url: str) -> Booking:
    """Use a confirmation link: a place if one is free (the session's row is locked
    while places are counted), else the waiting list. The link then stops working;
    the email that follows holds the cancellation link."""
    found = booking_for_token("confirm_token_hash", token)
    if found is None:
        raise BookingError("This link has already been used or does not work")
    session, booking = _locked(found)
    if booking.confirm_token_hash != token_hash(token):
        raise BookingError("This link has already been used or does not work")
    if session.date < timezone.localdate():
        raise BookingError("This session has already taken place")
    booked = places_taken(session) < session.capacity
    booking.status = Booking.Status.BOOKED if booked else Booking.Status.WAITING
    booking.confirm_token_hash = None
    booking.confirmed_at = timezone.now()
    cancel = _cancel_link(booking, base_url)
    booking.save()
    _audit(
        booking,
        f"A booking on training session {session.reference} was confirmed "
        f"({booking.get_status_display().lower()})",
        reverse("courses:offer") + "bookings/confirm/",
        {"status": {"old": Booking.Status.UNCONFIRMED, "new": booking.status}},
    )
    if booked:
        lines = ["Your place is booked."]
    else:
        lines = [
            "The session is full, so you are on the waiting list. We will email you if "
            "a place becomes free."
        ]
    _mail(
        booking,
        "your place is booked" if booked else "you are on the waiting list",
        [*lines, "", "If you cannot come, cancel with this link:", cancel],
    )
    return booking


@transaction.atomic
def booking_cancel(*, token: str, base_url: str) -> Booking:
    """Use a cancellation link. A place given up goes to the first on the waiting list,
    who is emailed."""
    found = booking_for_token("cancel_token_hash", token)
    if found is None:
        raise BookingError("This link has already been used or does not work")
    session, booking = _locked(found)
    if booking.cancel_token_hash != token_hash(token):
        raise BookingError("This link has already been used or does not work")
    had_place = booking.status == Booking.Status.BOOKED
    old = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.cancel_token_hash = None
    booking.cancelled_at = timezone.now()
    booking.save()
    _audit(
        booking,
        f"A booking on training session {session.reference} was cancelled",
        reverse("courses:offer") + "bookings/cancel/",
        {"status": {"old": old, "new": booking.status}},
    )
    if had_place and session.date >= timezone.localdate():
        _promote_waiting(session, base_url)
    return booking


def _promote_waiting(session: TrainingSession, base_url: str) -> None:
    """Give free places to the waiting list in order of booking (session row locked)."""
    free = session.capacity - places_taken(session)
    waiting = session.bookings.select_for_update().filter(status=Booking.Status.WAITING)
    for booking in waiting.order_by("confirmed_at", "id")[: max(free, 0)]:
        booking.status = Booking.Status.BOOKED
        cancel = _cancel_link(booking, base_url)
        booking.save()
        _audit(
            booking,
            f"A place on training session {session.reference} went to the waiting list",
            reverse("courses:offer"),
            {"status": {"old": Booking.Status.WAITING, "new": booking.status}},
        )
        _mail(
            booking,
            "a place is free: you are booked",
            [
                "A place has become free and it is yours: you are booked.",
                "",
                "If you cannot come, cancel with this link:",
                cancel,
            ],
        )


def reminders_send(*, today: date) -> dict[str, int]:
    """Email everyone booked on tomorrow's sessions, once (reminded_at): a second run
    on the same day sends nothing. Called by `manage.py training_booking_reminders`."""
    tomorrow = today + timedelta(days=1)
    sent = 0
    due = Booking.objects.filter(
        session__date=tomorrow, status=Booking.Status.BOOKED, reminded_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("session__course")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if booking is None:
                continue
            booking.reminded_at = timezone.now()
            booking.save(update_fields=["reminded_at"])
            _mail(booking, "your training is tomorrow", ["A reminder: your training is tomorrow."])
            sent += 1
    return {"sent": sent}


@transaction.atomic
def register_save(*, actor, session: TrainingSession, attended_ids: set[int]) -> int:
    """Tick who attended (only those booked); the session's number of attendees becomes
    the number ticked. Called by the register page (training.manage). Audited."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    booked = session.bookings.filter(status=Booking.Status.BOOKED)
    unknown = attended_ids - set(booked.values_list("pk", flat=True))
    if unknown:
        raise BookingError("Tick only people booked on this session")
    before = {"attendees": session.attendees, "register": bool(session.register_taken_at)}
    booked.update(attended=False)
    booked.filter(pk__in=attended_ids).update(attended=True)
    session.attendees = len(attended_ids)
    session.register_taken_at = timezone.now()
    session.save(update_fields=["attendees", "register_taken_at", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Took the register of training session {session.reference}: "
        f"{len(attended_ids)} attended",
        target=session,
        changes={
            "attendees": {"old": before["attendees"], "new": session.attendees},
            "register": {"old": before["register"], "new": True},
        },
    )
    return session.attendees


PERSONAL_FIELDS = {
    "name": "",
    "email": "",
    "organisation": None,
    "organisation_name": "",
    "role": "",
    "accessibility_needs": "",
    "confirm_token_hash": None,
    "cancel_token_hash": None,
}


def _months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


@transaction.atomic
def bookings_remove_personal_data(*, today: date) -> int:
    """Empty the bookers' details of sessions more than TRAINING_BOOKING_RETENTION_MONTHS
    in the past, keeping each booking's status and attendance (the counts), and delete
    rate-limit rows older than their window. Run by the daily retention job
    (`manage.py retention_review`). Audited once, with the number of bookings."""
    cutoff = _months_before(today, settings.TRAINING_BOOKING_RETENTION_MONTHS)
    due = Booking.objects.filter(session__date__lt=cutoff, personal_data_removed_at__isnull=True)
    count = due.update(**PERSONAL_FIELDS, personal_data_removed_at=timezone.now())
    PublicRequest.objects.filter(created_at__lt=_window_start()).delete()
    if count:
        audit_record(
            actor=None,
            verb=AuditEvent.Verb.DISPOSE,
            summary=(
                f"Removed the personal data of {counted(count, 'training booking')} of "
                f"sessions before {cutoff:%-d %B %Y}"
            ),
            target=("training.booking", "retention"),
            changes={"bookings": count},
        )
    return count
