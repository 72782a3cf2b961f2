from django.urls import path

from worklist import views

app_name = "worklist"

# Included at the root: "My work" has its own address, a case's tasks sit with the case.

urlpatterns = [
    path("my-work/", views.index, name="index"),
    path("referrals/case/<uuid:pk>/tasks/", views.case_tasks_view, name="case-tasks"),
    path("referrals/case/<uuid:pk>/tasks/new/", views.task_create_view, name="task-create"),
    path(
        "referrals/case/<uuid:pk>/tasks/<uuid:task_pk>/done/",
        views.task_complete_view,
        name="task-complete",
    ),
]
