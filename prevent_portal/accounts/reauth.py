"""Re-authentication before a case export (docs/security.md §16, ASVS L3).

A view wrapped in `reauth_required` runs only if, in this session, the user has typed
their password AND a fresh code from their authenticator app within the last
REAUTH_MAX_AGE_SECONDS (default 300). Otherwise a GET is sent to the "Confirm it is
you" page (`confirm_identity`) with `?next=` and comes back once both are right.

Signing in does not count: a session that has just passed MFA must still confirm
before its first export. The code is checked by the user's confirmed TOTP device
(django-otp), which refuses a time step it has already accepted, so a code works once.
Recovery codes are not accepted here: they are for signing in when the phone is lost.
A wrong password or code is audited and counted by django-axes like a failed sign-in
(five lock the username at that address for 15 minutes and end the session).

Apply it inside `permission_required`, so that a user without the permission gets a 403
and is never asked to confirm:

    @permission_required(Perm.CASES_VIEW)
    @reauth_required
    def case_export(request): ...
"""

import time
from functools import wraps
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from prevent_portal.accounts import mfa
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record

# When this session last confirmed the password and a code (seconds since the epoch).
REAUTH_AT_SESSION_KEY = "portal_reauth_at"
DEFAULT_MAX_AGE_SECONDS = 300


def max_age_seconds() -> int:
    return int(getattr(settings, "REAUTH_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS))


def is_fresh(request) -> bool:
    """Has this session confirmed the password and a code within the max age?"""
    confirmed_at = request.session.get(REAUTH_AT_SESSION_KEY)
    if not isinstance(confirmed_at, int | float):
        return False
    age = time.time() - confirmed_at
    return 0 <= age <= max_age_seconds()


def confirm_url(next_url: str = "") -> str:
    url = reverse("accounts:confirm-identity")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def reauth_required(view):
    """Run `view` only after a recent password and code (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_fresh(request):
            return view(request, *args, **kwargs)
        # Exports are GETs; anything else starts again from the page that sent it.
        back = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        return redirect(confirm_url(back))

    wrapped.reauth_required = True
    return wrapped


class ConfirmIdentityForm(forms.Form):
    """The password and a code from the authenticator app. Whether they are right is
    for the view to check (one message for either, so a guess learns nothing)."""

    use_required_attribute = False

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-!-width-one-half",
                "autocomplete": "current-password",
            }
        ),
        error_messages={"required": "Enter your password"},
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits it shows now. A code you have already used will not work.",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL

    def clean_code(self):
        # Spaces are allowed for readability ("123 456").
        return "".join(self.cleaned_data["code"].split())


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _code_is_right(user, code: str) -> bool:
    device = mfa.confirmed_totp(user)
    return device is not None and device.verify_token(code)


@never_cache
def confirm_identity(request):
    """ "Confirm it is you": the password and a fresh code, then back to `next`."""
    from prevent_portal.accounts.views import locked_out

    user = request.user
    credentials = {"username": user.get_username()}
    form = ConfirmIdentityForm(request.POST or None)
    if request.method == "POST":
        if AxesProxyHandler.is_locked(request, credentials):
            logout(request)
            return locked_out(request)
        if form.is_valid():
            # Both are always checked, so the time taken says nothing about which failed.
            password_right = user.check_password(form.cleaned_data["password"])
            code_right = _code_is_right(user, form.cleaned_data["code"])
            if password_right and code_right:
                request.session[REAUTH_AT_SESSION_KEY] = time.time()
                audit_record(
                    actor=user,
                    verb=AuditEvent.Verb.REAUTH,
                    summary="Confirmed their identity (password and MFA code) before an export",
                    target=user,
                )
                return redirect(_next_url(request))
            form.add_error("password", "Enter your correct password and a current code")
            # A code that failed is of no further use: the field comes back empty.
            form.data = form.data.copy()
            form.data["code"] = ""
            audit_record(
                actor=user,
                verb=AuditEvent.Verb.LOGIN_FAILED,
                summary="Identity check failed: wrong password or MFA code",
                target=user,
            )
            # Counted like a failed sign-in; the values typed are never passed on.
            AxesProxyHandler.user_login_failed(
                sender=__name__, credentials={**credentials, "reauth": True}, request=request
            )
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request)
    return render(
        request,
        "accounts/confirm_identity.html",
        {
            "form": form,
            "next": _next_url(request),
            "minutes": max(1, max_age_seconds() // 60),
        },
    )
