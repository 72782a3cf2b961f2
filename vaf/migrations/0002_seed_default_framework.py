from django.db import migrations


def seed(apps, schema_editor):
    from vaf.reference import load_default_framework

    load_default_framework(lambda name: apps.get_model("vaf", name))


class Migration(migrations.Migration):
    dependencies = [("vaf", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
