from django.db import migrations


def seed(apps, schema_editor):
    from referrals.reference import load_reference

    load_reference(lambda name: apps.get_model("referrals", name))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
