"""Seed the nine audience categories (in report order) and the register's local
authorities. The lists are copied here so that later edits of choices.py do not change
what this migration did."""

from django.db import migrations

AUDIENCE_CATEGORIES = (
    "Primary school staff",
    "Secondary school staff",
    "SEN setting staff",
    "PRU staff",
    "Primary school students",
    "Secondary school students",
    "SEN setting students",
    "Parents and carers",
    "LA education staff",
)
LOCAL_AUTHORITIES = ("Kent", "Medway")


def seed(apps, schema_editor):
    AudienceCategory = apps.get_model("education", "AudienceCategory")
    RegisterLocalAuthority = apps.get_model("education", "RegisterLocalAuthority")
    for position, name in enumerate(AUDIENCE_CATEGORIES, start=1):
        AudienceCategory.objects.get_or_create(name=name, defaults={"position": position})
    for name in LOCAL_AUTHORITIES:
        RegisterLocalAuthority.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
