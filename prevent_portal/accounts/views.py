from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_POST

from prevent_portal.accounts import forms, services
from prevent_portal.accounts.filters import UserFilter
from prevent_portal.accounts.models import User
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm
from prevent_portal.accounts.selectors import users_for_admin


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET): signing out changes state.

    logout() flushes the session: its row is deleted on the server, not only forgotten.
    """


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this for a sign-in refused by the lockout. The same page for
    every username, existing or not (SECURITY.md 7)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=429,
    )


@require_POST
def session_keep_alive(request):
    """The timeout warning's "Stay signed in": the request itself moves the session's
    expiry on (SESSION_SAVE_EVERY_REQUEST); nothing else changes."""
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
        {"filter": user_filter, "page": page, "query": query.urlencode(), "crumbs": []},
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


@permission_required(Perm.USERS_MANAGE)
def user_create(request):
    form = forms.UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                roles=form.cleaned_data["roles"],
                **form.profile(),
            )
        except services.AccountError as error:
            form.add_error("username", str(error))
        else:
            _send_set_password_email(request, user)
            messages.success(
                request, f"{user} added. They have been emailed a link to set their password."
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
        {"account": user, "crumbs": _crumbs((str(user), ""))},
    )


@permission_required(Perm.USERS_MANAGE)
def user_edit(request, pk):
    user = get_object_or_404(users_for_admin(), pk=pk)
    form = forms.UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user,
                user=user,
                version=form.cleaned_data["version"] or 0,
                roles=form.cleaned_data["roles"],
                **form.profile(),
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{user} saved")
            return redirect("accounts:user-detail", pk=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "title": f"Change {user}",
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
