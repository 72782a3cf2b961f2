"""The portal's URLs, the admin yardsticks under /bench-admin/ and the floor view."""

from django.urls import path

from bench import views
from bench.admin import site
from prevent_portal.urls import handler403, handler404, handler500
from prevent_portal.urls import urlpatterns as portal

urlpatterns = [
    path("bench-admin/", site.urls),
    path("bench-floor/", views.floor, name="bench-floor"),
    *portal,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
