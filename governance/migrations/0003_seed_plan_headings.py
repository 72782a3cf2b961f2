from django.db import migrations

# The eight thematic headings of the partnership plan (docs/domain.md §5). Editable afterwards.
HEADINGS = [
    (1, "Prevent partnership structures and plans"),
    (2, "Specified agency responsibilities"),
    (3, "Prevent referral process and Channel"),
    (4, "Training"),
    (5, "Education"),
    (6, "Sector engagement"),
    (7, "Community engagement"),
    (8, "Communications"),
]


def seed(apps, schema_editor):
    PlanHeading = apps.get_model("governance", "PlanHeading")
    for number, title in HEADINGS:
        PlanHeading.objects.get_or_create(number=number, defaults={"title": title})


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_plan_risks_board")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
