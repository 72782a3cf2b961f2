"""The one module that names every app."""

from django.urls import include, path

from prevent_portal.ui import views as ui_views

urlpatterns = [
    path("", include("reporting.urls")),
    path("accounts/", include("prevent_portal.accounts.urls")),
    path("audit/", include("prevent_portal.audit.urls")),
    path("partnership/", include("governance.urls")),
    path("referrals/", include("referrals.urls")),
    path("referrals/", include("channel.urls")),
    path("referrals/", include("vaf.urls")),
    path("referrals/", include("casework.urls")),
    path("referrals/", include("retention.urls")),
    path("", include("documents.urls")),
    path("information/", include("disclosures.urls")),
    path("", include("worklist.urls")),
    path("training/", include("training.urls")),
    # Open without signing in: the published training offer and booking.
    path("courses/", include("training.public_urls")),
    path("education/", include("education.urls")),
    path("community/", include("community.urls")),
    path("healthz", ui_views.healthz, name="healthz"),
]

handler403 = "prevent_portal.ui.views.permission_denied"
handler404 = "prevent_portal.ui.views.page_not_found"
handler500 = "prevent_portal.ui.views.server_error"
