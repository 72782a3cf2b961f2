from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.setting_list, name="setting-list"),
    path("settings/add/", views.setting_create, name="setting-create"),
    path("settings/import/", views.setting_import, name="setting-import"),
    path("settings/import/<int:pk>/", views.setting_import_confirm, name="setting-import-confirm"),
    path("settings/<int:pk>/", views.setting_detail, name="setting-detail"),
    path("settings/<int:pk>/change/", views.setting_edit, name="setting-edit"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/add/", views.session_create, name="session-create"),
    path("sessions/export/", views.session_export, name="session-export"),
    path("sessions/import/", views.session_import, name="session-import"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/change/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session-delete"),
    path("enquiries/", views.enquiry_list, name="enquiry-list"),
    path("enquiries/add/", views.enquiry_create, name="enquiry-create"),
    path("enquiries/<int:pk>/", views.enquiry_edit, name="enquiry-edit"),
    path("newsletters/", views.newsletter_list, name="newsletter-list"),
    path("newsletters/add/", views.newsletter_create, name="newsletter-create"),
    path("newsletters/<int:pk>/", views.newsletter_edit, name="newsletter-edit"),
]
