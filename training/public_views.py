"""The public training offer and booking (docs/training.md, "Booking").

These views carry login_not_required: they are the only pages of the portal, with
sign-in itself and /healthz, that open without an account (tests/test_url_walk.py
proves it). They show the published offer and a booker's own booking, nothing else.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from training.bookings import (
    BookingError,
    booking_for_token,
)
from training.bookings import (
    booking_cancel as cancel_booking,
)
from training.bookings import (
    booking_confirm as confirm_booking,
)
from training.bookings import (
    booking_create as create_booking,
)
from training.forms import BookingForm
from training.models import Booking
from training.selectors import bookable_sessions, public_offer

OUTCOMES = {
    Booking.Status.BOOKED: "Your place is booked",
    Booking.Status.WAITING: "You are on the waiting list",
    Booking.Status.CANCELLED: "Your booking is cancelled",
}


def _base_url(request) -> str:
    return getattr(settings, "PORTAL_BASE_URL", "") or request.build_absolute_uri("/")


def _retention_months() -> int:
    return settings.TRAINING_BOOKING_RETENTION_MONTHS


@login_not_required
def offer(request):
    return render(request, "training/public/offer.html", {"courses": public_offer()})


@login_not_required
def booking_create(request, pk):
    session = get_object_or_404(bookable_sessions(), pk=pk)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.caught_a_bot:
            return redirect("courses:booking-sent")  # looks the same; nothing is kept
        data = form.cleaned_data
        try:
            create_booking(
                session=session,
                name=data["name"],
                email=data["email"],
                organisation=data["partner"],
                organisation_name=data["organisation_name"],
                role=data["role"],
                accessibility_needs=data["accessibility_needs"],
                ip=request.META.get("REMOTE_ADDR", ""),
                base_url=_base_url(request),
            )
        except BookingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("courses:booking-sent")
    places_left = session.capacity - session.bookings.filter(status=Booking.Status.BOOKED).count()
    return render(
        request,
        "training/public/booking_form.html",
        {
            "session": session,
            "form": form,
            "places_left": max(places_left, 0),
            "retention_months": _retention_months(),
        },
    )


@login_not_required
def booking_sent(request):
    return render(request, "training/public/booking_sent.html")


def _link_page(request, token, field, template, act):
    booking = booking_for_token(field, token)
    if booking is None:
        return render(request, "training/public/link_not_working.html", status=404)
    if request.method == "POST":
        try:
            booking = act(token=token, base_url=_base_url(request))
        except BookingError as error:
            return render(
                request,
                "training/public/link_not_working.html",
                {"message": str(error)},
                status=404,
            )
        return redirect("courses:booking-outcome", outcome=booking.status)
    return render(request, template, {"booking": booking, "session": booking.session})


@login_not_required
@never_cache
def booking_confirm(request, token):
    """GET shows what is being confirmed; the POST of its button confirms."""
    return _link_page(
        request,
        token,
        "confirm_token_hash",
        "training/public/booking_confirm.html",
        confirm_booking,
    )


@login_not_required
@never_cache
def booking_cancel(request, token):
    return _link_page(
        request, token, "cancel_token_hash", "training/public/booking_cancel.html", cancel_booking
    )


@login_not_required
def booking_outcome(request, outcome):
    if outcome not in OUTCOMES:
        raise Http404
    return render(
        request,
        "training/public/booking_outcome.html",
        {"outcome": outcome, "title": OUTCOMES[outcome]},
    )
