from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("case/<uuid:pk>/consent-and-support/", views.consent_support, name="consent-support"),
    path("case/<uuid:pk>/consent/record/", views.consent_create, name="consent-create"),
    path(
        "case/<uuid:pk>/support-plan/add/",
        views.intervention_create,
        name="intervention-create",
    ),
    path(
        "case/<uuid:pk>/support-plan/<uuid:intervention_pk>/",
        views.intervention_edit,
        name="intervention-edit",
    ),
    path("case/<uuid:pk>/notes/", views.note_list, name="notes"),
    path("case/<uuid:pk>/notes/add/", views.note_create, name="note-create"),
    path("case/<uuid:pk>/risk/", views.risk_list, name="risk"),
    path("case/<uuid:pk>/risk/add/", views.risk_create, name="risk-create"),
    path("case/<uuid:pk>/risk/<uuid:flag_pk>/", views.risk_edit, name="risk-edit"),
    # Reference data for support plans (administrators).
    path("reference/support-plans/", views.reference, name="reference"),
    path("reference/providers/add/", views.provider_create, name="provider-create"),
    path("reference/providers/<int:pk>/", views.provider_edit, name="provider-edit"),
    path(
        "reference/intervention-types/add/",
        views.intervention_type_create,
        name="intervention-type-create",
    ),
    path(
        "reference/intervention-types/<int:pk>/",
        views.intervention_type_edit,
        name="intervention-type-edit",
    ),
]
