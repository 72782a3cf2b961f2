from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.index, name="index"),
    path("case/<uuid:pk>/", views.referral_detail, name="referral-detail"),
    path("new/", views.intake_start, name="intake-start"),
    path("new/person/", views.intake_person, name="intake-person"),
    path("new/earlier-referrals/", views.intake_match, name="intake-match"),
    path("new/person-details/", views.intake_person_details, name="intake-person-details"),
    path("new/referrer/", views.intake_referrer, name="intake-referrer"),
    path("new/types-of-concern/", views.intake_concern_types, name="intake-concern-types"),
    path("new/concerns/", views.intake_concerns, name="intake-concerns"),
    path("new/referral/", views.intake_received, name="intake-received"),
    path("new/check/", views.intake_check, name="intake-check"),
]
