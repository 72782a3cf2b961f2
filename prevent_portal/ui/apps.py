from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "prevent_portal.ui"
    label = "ui"
    verbose_name = "Interface helpers"

    def ready(self):
        from prevent_portal.ui import choices, lookups  # noqa: F401

        choices.connect()
