from django.urls import path

from vaf import views

app_name = "vaf"

CASE = "case/<uuid:pk>/assessments/"
ONE = CASE + "<uuid:assessment_pk>/"

urlpatterns = [
    path(CASE, views.assessment_list, name="assessment-list"),
    path(CASE + "new/", views.assessment_create_view, name="assessment-create"),
    path(ONE, views.assessment_detail, name="assessment-detail"),
    path(ONE + "edit/", views.assessment_edit, name="assessment-edit"),
    path(ONE + "changes/", views.assessment_changes, name="assessment-changes"),
    path("vaf/versions/", views.framework_list, name="framework-list"),
    path("vaf/versions/new/", views.framework_create, name="framework-create"),
    path("vaf/versions/<int:framework_pk>/", views.framework_detail, name="framework-detail"),
]
