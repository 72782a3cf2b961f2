from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("offer/", views.course_list, name="course-list"),
    path("offer/add/", views.course_create, name="course-create"),
    path("offer/<int:pk>/change/", views.course_edit, name="course-edit"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/export/", views.session_export, name="session-export"),
    path("sessions/log/", views.session_create_view, name="session-create"),
    path("sessions/import/", views.session_import, name="session-import"),
    path("sessions/import/<int:pk>/", views.session_import_confirm, name="session-import-confirm"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/change/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/register/", views.session_register, name="session-register"),
    path("sessions/<int:pk>/delete/", views.session_delete_view, name="session-delete"),
    path(
        "sessions/<int:pk>/evaluations/add/",
        views.evaluation_create,
        name="evaluation-create",
    ),
    path(
        "sessions/<int:pk>/evaluations/batch/",
        views.evaluation_batch,
        name="evaluation-batch",
    ),
    path("evaluations/<int:pk>/delete/", views.evaluation_delete_view, name="evaluation-delete"),
    path("evaluations/", views.evaluation_summary_view, name="evaluation-summary"),
]
