from django.db import migrations

from community.reference import ensure_reference_data


def seed(apps, schema_editor):
    ensure_reference_data(
        apps.get_model("community", "Theme"),
        apps.get_model("community", "TensionLevel"),
        apps.get_model("community", "Platform"),
    )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
