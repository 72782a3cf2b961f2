from django.conf import settings
from django.urls import reverse


def session_timeout(request):
    """What the timeout warning (static/js/timeout-warning.js) needs, for signed-in pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_timeout": {
            "seconds": settings.SESSION_COOKIE_AGE,
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
            "keep_alive_url": reverse("accounts:session-keep-alive"),
            "signed_out_url": reverse("accounts:login"),
        }
    }
