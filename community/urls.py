from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("", views.index, name="index"),
    path("summaries/", views.summary_list, name="summary-list"),
    path("summaries/new/", views.summary_create, name="summary-create"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary-detail"),
    path("summaries/<int:pk>/edit/", views.summary_edit, name="summary-edit"),
    path("summaries/<int:pk>/issue/", views.summary_issue_confirm, name="summary-issue"),
    path("summaries/<int:pk>/correct/", views.summary_correct_start, name="summary-correct"),
    path("summaries/<int:pk>/print/", views.summary_print, name="summary-print"),
    path("summaries/<int:pk>/pdf/", views.summary_pdf_download, name="summary-pdf"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("incidents/export/", views.incident_export, name="incident-export"),
    path("incidents/import/", views.incident_import, name="incident-import"),
    path("incidents/trends/", views.incident_trends, name="incident-trends"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident-edit"),
    path("incidents/<int:pk>/delete/", views.incident_delete, name="incident-delete"),
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("issues/", views.issue_list, name="issue-list"),
    path("issues/new/", views.issue_create, name="issue-create"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue-edit"),
]
