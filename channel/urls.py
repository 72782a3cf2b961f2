from django.urls import path

from channel import views

app_name = "channel"

urlpatterns = [
    path("panels/", views.meeting_list, name="meeting-list"),
    path("panels/new/", views.meeting_create, name="meeting-create"),
    path("panels/<uuid:pk>/", views.meeting_detail, name="meeting-detail"),
    path("panels/<uuid:pk>/details/", views.meeting_edit, name="meeting-edit"),
    path("panels/<uuid:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("panels/<uuid:pk>/pack/", views.meeting_pack, name="meeting-pack"),
    path("panels/<uuid:pk>/attendees/new/", views.attendee_create, name="attendee-create"),
    path(
        "panels/attendees/<uuid:public_id>/remove/", views.attendee_remove, name="attendee-remove"
    ),
    path("panels/<uuid:pk>/agenda/new/", views.agenda_create, name="agenda-create"),
    path("panels/<uuid:pk>/agenda/order/", views.agenda_order, name="agenda-order"),
    path("panels/agenda/<uuid:public_id>/remove/", views.agenda_remove_view, name="agenda-remove"),
    path("panels/agenda/<uuid:public_id>/decision/", views.decision_create, name="decision-create"),
    path("panels/<uuid:pk>/actions/new/", views.action_create, name="action-create"),
    path("panels/actions/<uuid:public_id>/edit/", views.action_edit, name="action-edit"),
    path("case/<uuid:pk>/panel/", views.case_panel, name="case-panel"),
]
