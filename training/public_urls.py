"""The public training offer and booking: the only pages of the training app that open
without signing in (tests/test_url_walk.py holds them to that)."""

from django.urls import path

from training import public_views as views

app_name = "courses"

urlpatterns = [
    path("", views.offer, name="offer"),
    path("sessions/<int:pk>/book/", views.booking_create, name="booking-create"),
    path("booking-sent/", views.booking_sent, name="booking-sent"),
    path("bookings/<str:token>/confirm/", views.booking_confirm, name="booking-confirm"),
    path("bookings/<str:token>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<slug:outcome>/", views.booking_outcome, name="booking-outcome"),
]
