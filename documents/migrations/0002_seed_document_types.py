"""The seven document types, frozen here: a migration never imports the app's code.
documents/reference.py holds the same rows for tests after a flush."""

from django.db import migrations

DOCUMENT_TYPES = [
    ("referral-form", "National referral form"),
    ("consent-form", "Consent form"),
    ("provider-report", "Provider report"),
    ("vaf-extract", "VAF extract"),
    ("letter-sent", "Letter sent"),
    ("minutes", "Minutes"),
    ("other", "Other"),
]


def seed(apps, schema_editor):
    model = apps.get_model("documents", "DocumentType")
    for position, (code, name) in enumerate(DOCUMENT_TYPES, start=1):
        model.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
