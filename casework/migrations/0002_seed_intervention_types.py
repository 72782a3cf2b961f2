from django.db import migrations


def seed(apps, schema_editor):
    from casework.reference import load_reference

    load_reference(lambda name: apps.get_model("casework", name))


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
