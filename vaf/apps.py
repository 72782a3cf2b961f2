from django.apps import AppConfig


class VafConfig(AppConfig):
    name = "vaf"
    verbose_name = "Vulnerability Assessment Framework"
