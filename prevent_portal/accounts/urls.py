from django.urls import path

from prevent_portal.accounts import reauth, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("mfa/", views.mfa_verify, name="mfa-verify"),
    path("mfa/set-up/", views.mfa_enrol, name="mfa-enrol"),
    path("mfa/set-up/qr-code.svg", views.mfa_qr_code, name="mfa-qr-code"),
    path("mfa/recovery-codes/", views.mfa_recovery_codes, name="mfa-recovery-codes"),
    path("confirm-identity/", reauth.confirm_identity, name="confirm-identity"),
    path("session/keep-alive/", views.session_keep_alive, name="session-keep-alive"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("users/", views.user_list, name="user-list"),
    path("users/add/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/change/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("users/<int:pk>/reset-mfa/", views.user_mfa_reset, name="user-mfa-reset"),
    path("access-approvals/", views.account_change_list, name="change-list"),
    path("access-approvals/<uuid:pk>/", views.account_change_detail, name="change-detail"),
]
