"""Multi-factor authentication (docs/security.md §6): TOTP with django-otp, for every account.

After the password, a user with a confirmed authenticator app (a TOTPDevice) enters a
code from it; a user without one enrols first (views.mfa_enrol) and is then shown ten
single-use recovery codes (a StaticDevice) once. Until the code is accepted,
MfaRequiredMiddleware sends every request to that step, except the MFA pages
themselves, sign-out and the public pages.

A code works once: django-otp's TOTPDevice refuses a time step at or before the last
one used (`last_t`), and a recovery code is deleted when used. Failed codes count
towards the sign-in lockout (django-axes: 5 failures for the username from one address
lock it for 15 minutes, views.mfa_verify); django-otp's own throttling (a growing delay
after each failure, kept on the device) applies as well.
"""

import base64
from functools import partial
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# The codes shown once after enrolment, kept in the session only until that page is seen.
RECOVERY_CODES_SESSION_KEY = "portal_mfa_recovery_codes"


def mfa_exempt(view):
    """Mark a view that a signed-in user may open before passing MFA."""
    view.mfa_exempt = True
    return view


def mfa_passed(request, device) -> None:
    """Mark the session as past MFA with `device`, under a new session key.

    The password step already gave the session a new key (Django's login()); the key is
    rotated again here, so that a key seen before the second factor (a half-signed-in
    session) never becomes a fully signed-in one. The old key's row is deleted
    (cycle_key), and the user's list of sessions follows the new key, so that
    deactivation and a reset still end this session."""
    from prevent_portal.accounts.models import UserSession

    otp_login(request, device)
    old_key = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user, *, create: bool = False) -> TOTPDevice | None:
    """The unconfirmed authenticator being enrolled (one per user; made on request)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None and create:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def grouped(secret: str, size: int = 4) -> list[str]:
    """The secret in groups of four characters, easier to type."""
    return [secret[i : i + size] for i in range(0, len(secret), size)]


def recovery_codes_create(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def devices_delete(user) -> int:
    """Remove every MFA device of `user` (authenticator apps and recovery codes)."""
    totp, _ = TOTPDevice.objects.filter(user=user).delete()
    static, _ = StaticDevice.objects.filter(user=user).delete()
    return totp + static


class SessionOTPMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware without its query on every request.

    request.user.is_verified() is true when this session holds the device that
    django_otp.login() stored after a right code. django-otp would also load that device
    on every request to check it still exists; here the session is trusted instead,
    because removing a user's devices (services.mfa_reset) ends all their sessions in
    the same transaction, and a sign-in as someone else starts a new session.
    """

    def _verify_user_sync(self, request, user):
        user.otp_device = None
        user.is_verified = partial(_session_verified, request, user)
        return user

    async def _verify_user_async_via_auser(self, request, auser):
        return self._verify_user_sync(request, await auser())


def _session_verified(request, user) -> bool:
    return bool(user.is_authenticated and request.session.get(DEVICE_ID_SESSION_KEY))


class MfaRequiredMiddleware:
    """A signed-in user who has not passed MFA reaches only the MFA pages, sign-out and
    the public pages; every other request is sent to the MFA step (after django-otp's
    OTPMiddleware, which sets request.user.is_verified(), and LoginRequiredMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        view_class = getattr(view_func, "view_class", None)
        if (
            getattr(view_func, "mfa_exempt", False)
            or not getattr(view_func, "login_required", True)
            or (view_class is not None and getattr(view_class, "mfa_exempt", False))
        ):
            return None
        url = reverse("accounts:mfa-verify")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
