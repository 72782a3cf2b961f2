"""Session limits and the response headers that django-csp and Django do not set."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# Written into the session at sign-in (signals.py); read here.
SIGNED_IN_AT = "portal_signed_in_at"


def move_idle_timeout_on(session) -> None:
    """Save the session (which moves its expiry on by SESSION_COOKIE_AGE) when its row
    was last saved more than SESSION_REFRESH_SECONDS ago, and not otherwise: one write a
    minute at most instead of one per request. An expired session is not loaded, so the
    idle timeout is SESSION_COOKIE_AGE after the last request, less at most that minute."""
    if session.session_key is None or not session.keys():  # keys() loads the session
        return
    expiry = getattr(session, "server_expiry", None)
    if expiry is None:
        return
    fresh = timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS)
    if expiry - timezone.now() < fresh:
        session.modified = True


class SessionLimitsMiddleware:
    """Ends a session 10 hours after sign-in, however active it has been (docs/security.md §9),
    and moves the 30-minute idle timeout on (move_idle_timeout_on).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        move_idle_timeout_on(request.session)
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if (
                signed_in_at is None
                or time.time() - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS
            ):
                # logout() flushes the session on the server, not only the cookie.
                logout(request)
                messages.info(request, "You have been signed out. Sign in again to continue.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no-store on every signed-in page.

    A page for a signed-in user may hold personal data: it must not stay in the browser's
    cache or a shared proxy, where the back button or the next user could find it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
