from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("reference/", views.reference, name="reference"),
    path("reference/partnership/", views.partnership_edit, name="partnership-edit"),
    path("reference/partners/", views.partner_list, name="partner-list"),
    path("reference/partners/add/", views.partner_create, name="partner-create"),
    path("reference/partners/<int:pk>/", views.partner_edit, name="partner-edit"),
    path("reference/districts/add/", views.district_create, name="district-create"),
    path("reference/districts/<int:pk>/", views.district_edit, name="district-edit"),
    path("reference/peo-areas/add/", views.peo_area_create, name="peo-area-create"),
    path("reference/peo-areas/<int:pk>/", views.peo_area_edit, name="peo-area-edit"),
    # The partnership plan.
    path("plans/add/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan-import"),
    path("plans/<int:plan_pk>/actions/add/", views.action_create, name="action-create"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/progress/add/", views.progress_create, name="progress-create"),
    path("headings/", views.heading_list, name="heading-list"),
    path("headings/add/", views.heading_create, name="heading-create"),
    path("headings/<int:pk>/", views.heading_edit, name="heading-edit"),
    # The CT situational risk assessment.
    path("risks/", views.risk_assessment_list, name="risk-assessment-list"),
    path("risks/add/", views.risk_assessment_create, name="risk-assessment-create"),
    path("risks/<int:pk>/", views.risk_assessment_detail, name="risk-assessment-detail"),
    path("risks/<int:pk>/edit/", views.risk_assessment_edit, name="risk-assessment-edit"),
    path("risks/<int:assessment_pk>/areas/add/", views.risk_area_create, name="risk-area-create"),
    path("risk-areas/<int:pk>/", views.risk_area_edit, name="risk-area-edit"),
    # The Prevent Duty Delivery Board.
    path("board/members/", views.board_member_list, name="board-member-list"),
    path("board/members/add/", views.board_member_create, name="board-member-create"),
    path("board/members/<int:pk>/", views.board_member_edit, name="board-member-edit"),
    path("board/meetings/", views.meeting_list, name="meeting-list"),
    path("board/meetings/add/", views.meeting_create, name="meeting-create"),
    path("board/meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("board/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path(
        "board/meetings/<int:meeting_pk>/actions/add/",
        views.meeting_action_create,
        name="meeting-action-create",
    ),
    path("board/actions/<int:pk>/", views.meeting_action_edit, name="meeting-action-edit"),
    # Districts.
    path("districts/<int:pk>/", views.district_detail, name="district-detail"),
    path("districts/<int:pk>/edit/", views.district_contact_edit, name="district-contact-edit"),
    path("districts/<int:pk>/notes/add/", views.district_note_create, name="district-note-create"),
]
