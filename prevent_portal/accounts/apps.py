from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "prevent_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from prevent_portal.accounts import lockout, signals  # noqa: F401
