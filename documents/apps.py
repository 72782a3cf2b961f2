from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents, letters and the case chronology"

    def ready(self):
        # The system check that the documents storage is not a served directory.
        from prevent_portal.files import storage  # noqa: F401
