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
]
