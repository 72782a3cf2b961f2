from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "prevent_portal.ui"
    label = "ui"
    verbose_name = "Interface helpers"
