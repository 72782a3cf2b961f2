"""The types of intervention as first seeded, frozen here: a migration never imports the
app's code. casework/reference.py seeds the same rows for tests after a flush."""

from django.db import migrations

INTERVENTION_TYPES = [
    "Intervention Provider (ideological mentoring)",
    "Education",
    "Careers",
    "Mental health",
    "Substance misuse",
    "Family support",
    "Diversionary activity",
    "Other",
]


def seed(apps, schema_editor):
    model = apps.get_model("casework", "InterventionType")
    for position, name in enumerate(INTERVENTION_TYPES, start=1):
        model.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
