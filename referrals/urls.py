from django.urls import path

from referrals import categories, edit_views, exports, match_views, views

app_name = "referrals"

urlpatterns = [
    path("reference/categories/", categories.category_list, name="categories"),
    path(
        "reference/categories/<slug:kind>/add/",
        categories.category_create,
        name="category-create",
    ),
    path(
        "reference/categories/<slug:kind>/<int:pk>/",
        categories.category_edit,
        name="category-edit",
    ),
    path("", views.index, name="index"),
    path("export.csv", exports.case_export, name="case-export"),
    path("case/<uuid:pk>/", views.referral_detail, name="referral-detail"),
    path("case/<uuid:pk>/access-log/", views.case_access_log, name="case-access-log"),
    path("new/", views.intake_start, name="intake-start"),
    path("new/person/", views.intake_person, name="intake-person"),
    path("new/earlier-referrals/", views.intake_match, name="intake-match"),
    path("new/person-details/", views.intake_person_details, name="intake-person-details"),
    path("new/referrer/", views.intake_referrer, name="intake-referrer"),
    path("new/types-of-concern/", views.intake_concern_types, name="intake-concern-types"),
    path("new/concerns/", views.intake_concerns, name="intake-concerns"),
    path("new/referral/", views.intake_received, name="intake-received"),
    path("new/check/", views.intake_check, name="intake-check"),
    path("case/<uuid:pk>/edit/person/", edit_views.person_edit, name="person-edit"),
    path("case/<uuid:pk>/edit/referral/", edit_views.referral_edit, name="referral-edit"),
    path(
        "case/<uuid:pk>/edit/case-manager/", edit_views.case_manager_edit, name="case-manager-edit"
    ),
    path("possible-matches/", match_views.match_review_list, name="match-review-list"),
    path("possible-matches/<uuid:pk>/", match_views.match_review, name="match-review"),
    path("import/", edit_views.referral_import, name="import"),
    path("import/<uuid:pk>/", edit_views.referral_import_confirm, name="import-confirm"),
]
