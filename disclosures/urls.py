"""Subject access requests, the disclosure log and the information-sharing register."""

from django.urls import path

from disclosures import views

app_name = "disclosures"

# Included under "information/" (prevent_portal/urls.py).
urlpatterns = [
    path("", views.index, name="index"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/new/", views.agreement_create, name="agreement-create"),
    path("agreements/<uuid:pk>/change/", views.agreement_edit, name="agreement-edit"),
    path("agreements/<uuid:pk>/end/", views.agreement_end, name="agreement-end"),
    path("disclosures/", views.log, name="log"),
    path("case/<uuid:pk>/disclosures/", views.case_disclosures, name="case"),
    path("case/<uuid:pk>/disclosures/new/", views.entry_create, name="entry-create"),
    path("subject-access/", views.sar_list, name="sar-list"),
    path("subject-access/new/", views.sar_start, name="sar-start"),
    path("subject-access/new/<uuid:person_pk>/", views.sar_create, name="sar-create"),
    path("subject-access/<uuid:pk>/", views.sar_review, name="sar-review"),
    path("subject-access/<uuid:pk>/release/", views.sar_release, name="sar-release"),
    path("subject-access/<uuid:pk>/download/", views.sar_download, name="sar-download"),
]
