import io
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.views.decorators.http import require_POST
from django_otp import match_token

from prevent_portal.accounts import forms, mfa, services
from prevent_portal.accounts.filters import UserFilter
from prevent_portal.accounts.models import User
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.accounts.selectors import (
    account_changes,
    account_changes_decided,
    account_changes_of,
    account_changes_waiting,
    account_changes_waiting_count,
    users_for_admin,
)
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    # Signing out needs no MFA first.
    mfa_exempt = True

    """POST only (Django's LogoutView refuses GET): signing out changes state.

    logout() flushes the session: its row is deleted on the server, not only forgotten.
    """


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this for a sign-in refused by the lockout. The same page for
    every username, existing or not (docs/security.md §7)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=429,
    )


@require_POST
def session_keep_alive(request):
    """The timeout warning's "Stay signed in": saving the session moves its expiry on
    (even within the minute in which other requests leave it); nothing else changes."""
    request.session.modified = True
    return HttpResponse(status=204)


def _send_password_changed_email(request, user):
    if not user.email:
        return
    body = render_to_string(
        "accounts/email/password_changed.txt",
        {
            "user": user,
            "service_name": settings.SERVICE_NAME,
            "reset_url": request.build_absolute_uri(reverse("accounts:password-reset")),
        },
    )
    send_mail(
        f"Your {settings.SERVICE_NAME} password was changed",
        body,
        None,
        [user.email],
    )


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Always the same "check your email" page, whether or not the address is known."""

    title = "Reset your password"

    template_name = "accounts/password_reset_form.html"
    form_class = forms.PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_email_context = {"service_name": settings.SERVICE_NAME}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed link (valid PASSWORD_RESET_TIMEOUT, one hour; used once, because the
    token is bound to the password it replaces)."""

    template_name = "accounts/password_reset_confirm.html"
    title = "Set a new password"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.sessions_end(user=form.user)
        services.password_changed_record(user=form.user, how="reset by email")
        _send_password_changed_email(self.request, form.user)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    title = "Change your password"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_record(user=form.user, how="changed while signed in")
        _send_password_changed_email(self.request, form.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# User administration (Perm.USERS_MANAGE).


def _crumbs(*extra):
    return [("Users", reverse("accounts:user-list")), *extra]


@permission_required(Perm.USERS_MANAGE)
def user_list(request):
    user_filter = UserFilter(request.GET, queryset=users_for_admin())
    users = user_filter.qs if user_filter.is_valid() else User.objects.none()
    page = Paginator(users, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {
            "filter": user_filter,
            "page": page,
            "query": query.urlencode(),
            "waiting_count": account_changes_waiting_count(),
            "crumbs": [],
        },
    )


def _send_set_password_email(request, user):
    link = request.build_absolute_uri(
        reverse(
            "accounts:password-reset-confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    body = render_to_string(
        "accounts/email/account_created.txt",
        {"user": user, "link": link, "service_name": settings.SERVICE_NAME},
    )
    send_mail(f"Your {settings.SERVICE_NAME} account", body, None, [user.email])


def _waiting_note(proposal) -> str:
    if proposal is None:
        return ""
    return (
        " Case access waits for a second person: a Prevent coordinator or panel chair must "
        f"approve {' and '.join(proposal.gives)} on the Access approvals page."
    )


@permission_required(Perm.USERS_MANAGE)
def user_create(request):
    form = forms.UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.user_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                roles=form.cleaned_data["roles"],
                **form.profile(),
            )
        except services.AccountError as error:
            form.add_error("username", str(error))
        else:
            user = saved.user
            _send_set_password_email(request, user)
            messages.success(
                request,
                f"{user} added. They have been emailed a link to set their password."
                + _waiting_note(saved.proposal),
            )
            return redirect("accounts:user-detail", pk=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "title": "Add a user", "crumbs": _crumbs(("Add a user", ""))},
    )


@permission_required(Perm.USERS_MANAGE)
def user_detail(request, pk):
    user = get_object_or_404(users_for_admin(), pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "account_has_mfa": mfa.confirmed_totp(user) is not None,
            "waiting": account_changes_of(user),
            "is_self": user.pk == request.user.pk,
            "crumbs": _crumbs((str(user), "")),
        },
    )


@permission_required(Perm.USERS_MANAGE)
def user_edit(request, pk):
    user = get_object_or_404(users_for_admin(), pk=pk)
    is_self = user.pk == request.user.pk
    form = forms.UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.user_update(
                actor=request.user,
                user=user,
                version=form.cleaned_data["version"] or 0,
                roles=form.cleaned_data["roles"],
                **form.profile(),
            )
        except services.AccountError as error:
            message = str(error)
            form.add_error("roles" if message == services.OWN_ACCESS_REFUSED else None, message)
        else:
            done = f"{saved.user} saved."
            if saved.email_changed and not is_self:
                done += " Their old email address has been told, and their sessions have ended."
            messages.success(request, done + _waiting_note(saved.proposal))
            return redirect("accounts:user-detail", pk=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "title": f"Change {user}",
            "is_self": is_self,
            "crumbs": _crumbs((str(user), reverse("accounts:user-detail", args=[user.pk]))),
        },
    )


def _version(value) -> int:
    # A version that is not a whole number is as stale as a wrong one.
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _status_change(request, pk, *, deactivate: bool):
    user = get_object_or_404(users_for_admin(), pk=pk)
    error = ""
    if request.method == "POST":
        change = services.user_deactivate if deactivate else services.user_reactivate
        try:
            change(actor=request.user, user=user, version=_version(request.POST.get("version")))
        except services.AccountError as failure:
            error = str(failure)
        else:
            done = "deactivated: their sessions have ended" if deactivate else "reactivated"
            messages.success(request, f"{user} {done}")
            return redirect("accounts:user-detail", pk=user.pk)
    return render(
        request,
        "accounts/user_status_confirm.html",
        {
            "account": user,
            "deactivate": deactivate,
            "error": error,
            "crumbs": _crumbs((str(user), reverse("accounts:user-detail", args=[user.pk]))),
        },
    )


@permission_required(Perm.USERS_MANAGE)
def user_deactivate(request, pk):
    return _status_change(request, pk, deactivate=True)


@permission_required(Perm.USERS_MANAGE)
def user_reactivate(request, pk):
    return _status_change(request, pk, deactivate=False)


# Multi-factor authentication (mfa.py).


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _mfa_locked_out(request):
    """Five failed codes lock the username like five failed passwords (django-axes):
    the half-finished sign-in ends and the lockout page is shown."""
    logout(request)
    return locked_out(request)


@mfa.mfa_exempt
def mfa_verify(request):
    """The code step after the password. A user with no authenticator app enrols first."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if mfa.confirmed_totp(user) is None:
        url = reverse("accounts:mfa-enrol")
        return redirect(f"{url}?{urlencode({'next': _next_url(request)})}")
    credentials = {"username": user.username}
    form = forms.MfaCodeForm(
        request.POST or None,
        label="Code",
        hint="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )
    if request.method == "POST":
        if AxesProxyHandler.is_locked(request, credentials):
            return _mfa_locked_out(request)
        if form.is_valid():
            device = match_token(user, form.cleaned_data["code"])
            if device is not None:
                mfa.mfa_passed(request, device)
                recovery = isinstance(device, mfa.StaticDevice)
                audit_record(
                    actor=user,
                    verb=AuditEvent.Verb.LOGIN,
                    summary="Passed MFA with a recovery code" if recovery else "Passed MFA",
                    target=user,
                )
                if recovery:
                    left = mfa.StaticToken.objects.filter(device=device).count()
                    messages.info(
                        request,
                        f"You used a recovery code. You have {left} left: each works once.",
                    )
                return redirect(_next_url(request))
            form.add_error("code", "Enter a correct code")
            # Audited (signals.record_login_failed) and counted by django-axes.
            user_login_failed.send(
                sender=__name__, credentials={**credentials, "mfa": True}, request=request
            )
            if getattr(request, "axes_locked_out", False):
                return _mfa_locked_out(request)
    return render(
        request,
        "accounts/mfa_verify.html",
        {"form": form, "next": _next_url(request)},
    )


@mfa.mfa_exempt
def mfa_enrol(request):
    """Set up an authenticator app: QR code and the secret typed out, confirmed by a code."""
    user = request.user
    if mfa.confirmed_totp(user) is not None:
        # Set up already: replacing it needs an administrator (the reset), never a
        # half-signed-in session.
        return redirect("accounts:mfa-verify")
    device = mfa.pending_totp(user, create=True)
    form = forms.MfaCodeForm(
        request.POST or None,
        label="Code from your authenticator app",
        hint="The 6 digits it shows for this account now.",
    )
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = mfa.recovery_codes_create(user)
            mfa.mfa_passed(request, device)
            request.session[mfa.RECOVERY_CODES_SESSION_KEY] = codes
            audit_record(
                actor=user,
                verb=AuditEvent.Verb.CREATE,
                summary="Set up MFA (authenticator app and recovery codes)",
                target=user,
                changes={"mfa": {"new": True}},
            )
            url = reverse("accounts:mfa-recovery-codes")
            return redirect(f"{url}?{urlencode({'next': _next_url(request)})}")
        form.add_error("code", "Enter a correct code")
        user_login_failed.send(
            sender=__name__,
            credentials={"username": user.username, "mfa": True},
            request=request,
        )
        if getattr(request, "axes_locked_out", False):
            return _mfa_locked_out(request)
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "secret_groups": mfa.grouped(mfa.base32_secret(device)),
            "next": _next_url(request),
        },
    )


@mfa.mfa_exempt
def mfa_qr_code(request):
    """The QR code of the authenticator being enrolled, as SVG (a separate URL: the CSP
    allows no data: images). Never cached (SecurityHeadersMiddleware): it holds the secret."""
    device = mfa.pending_totp(request.user)
    if device is None or mfa.confirmed_totp(request.user) is not None:
        return redirect("accounts:mfa-enrol")
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=4, light="#fff", xmldecl=False
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@mfa.mfa_exempt
def mfa_recovery_codes(request):
    """The ten recovery codes, shown once, straight after enrolment."""
    codes = request.session.pop(mfa.RECOVERY_CODES_SESSION_KEY, None)
    if not codes or not request.user.is_verified():
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/mfa_recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@permission_required(Perm.USERS_MANAGE)
def user_mfa_reset(request, pk):
    """Remove a user's authenticator app and recovery codes; they enrol again at their
    next sign-in. Ends their sessions. For an account with case access the reset is
    proposed instead, and a supervisor approves it (services.mfa_reset)."""
    user = get_object_or_404(users_for_admin(), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            proposal = services.mfa_reset(
                actor=request.user, user=user, version=_version(request.POST.get("version"))
            )
        except services.AccountError as failure:
            error = str(failure)
        else:
            if proposal is None:
                done = (
                    f"MFA reset for {user}: their sessions have ended and they will set up an "
                    "authenticator app when they next sign in"
                )
            else:
                done = (
                    f"Reset of MFA for {user} proposed. {user} holds case access, so a "
                    "Prevent coordinator or panel chair must approve it on the Access "
                    "approvals page. Nothing has changed yet."
                )
            messages.success(request, done)
            return redirect("accounts:user-detail", pk=user.pk)
    return render(
        request,
        "accounts/user_mfa_reset_confirm.html",
        {
            "account": user,
            "error": error,
            "needs_approval": services.has_case_access(services.access_of(user)),
            "crumbs": _crumbs((str(user), reverse("accounts:user-detail", args=[user.pk]))),
        },
    )


# Access approvals: changes that wait for a second person (services.py).

_CHANGE_ACTIONS = {
    "approve": (services.account_change_approve, Perm.CASES_SUPERVISE, "approved"),
    "refuse": (services.account_change_refuse, Perm.CASES_SUPERVISE, "refused"),
    "withdraw": (services.account_change_withdraw, Perm.USERS_MANAGE, "withdrawn"),
}


def _approvals_crumbs(*extra):
    return [("Access approvals", reverse("accounts:change-list")), *extra]


@permission_required(Perm.CASES_SUPERVISE, Perm.USERS_MANAGE)
def account_change_list(request):
    """Changes to case access waiting for a second person, and the latest decisions."""
    return render(
        request,
        "accounts/change_list.html",
        {
            "waiting": account_changes_waiting(),
            "decided": account_changes_decided(),
            "can_decide": has_perm(request.user, Perm.CASES_SUPERVISE),
            "crumbs": [("Access approvals", "")],
        },
    )


@permission_required(Perm.CASES_SUPERVISE, Perm.USERS_MANAGE)
def account_change_detail(request, pk):
    """One change: what it gives, who proposed it; approve, refuse or withdraw (POST)."""
    change = get_object_or_404(account_changes(), pk=pk)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in _CHANGE_ACTIONS:
            error = "Choose whether to approve or refuse the change"
        else:
            decide, perm, done = _CHANGE_ACTIONS[action]
            if not has_perm(request.user, perm):
                raise PermissionDenied(perm)
            try:
                decide(
                    actor=request.user,
                    change=change,
                    version=_version(request.POST.get("version")),
                )
            except services.AccountError as failure:
                error = str(failure)
            else:
                messages.success(
                    request,
                    f"{change.get_kind_display()} for {change.user} {done}",
                )
                return redirect("accounts:change-list")
        change = get_object_or_404(account_changes(), pk=pk)
    waiting = change.status == change.Status.PROPOSED
    return render(
        request,
        "accounts/change_detail.html",
        {
            "change": change,
            "error": error,
            "held": services.describe_access(services.access_of(change.user)),
            "stale": (
                waiting
                and change.kind == change.Kind.ACCESS
                and services.access_of(change.user) != change.access_before
            ),
            "refusal": services.decision_refusal(request.user, change),
            "can_decide": waiting and has_perm(request.user, Perm.CASES_SUPERVISE),
            "can_withdraw": waiting and has_perm(request.user, Perm.USERS_MANAGE),
            "crumbs": _approvals_crumbs((str(change.user), "")),
        },
    )
