from django.urls import path

from retention import views

app_name = "retention"

# Included under "referrals/" (prevent_portal/urls.py).
urlpatterns = [
    path("disposal/", views.queue, name="queue"),
    path("case/<uuid:pk>/retention/", views.case_retention_view, name="case"),
]
