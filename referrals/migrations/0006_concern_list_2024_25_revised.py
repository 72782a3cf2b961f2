"""The Home Office's list of types of concern from 2024/25, as revised: "fascination with
extreme violence or mass casualty attacks" is reported apart from "no identified
ideology". The first version of the 2024/25 list is retired (referrals recorded under it
keep it). Literal rows: a migration never imports the app's code."""

from django.db import migrations, models

REVISED = "from_2024_25_revised"
FIRST_VERSION = "from_2024_25"
REVISED_NAMES = [
    "Islamist",
    "Extreme Right-Wing",
    "Left-wing",
    "No identified ideology",
    "Fascination with extreme violence or mass casualty attacks (where no other ideology)",
    "Other",
]


def add_revised_list(apps, schema_editor):
    concern_type = apps.get_model("referrals", "ConcernType")
    for position, name in enumerate(REVISED_NAMES, start=1):
        concern_type.objects.get_or_create(
            scheme=REVISED, name=name, defaults={"position": position}
        )
    concern_type.objects.filter(scheme=FIRST_VERSION).update(is_active=False)


def remove_revised_list(apps, schema_editor):
    concern_type = apps.get_model("referrals", "ConcernType")
    concern_type.objects.filter(scheme=FIRST_VERSION).update(is_active=True)
    # Entries no referral points at go; the others stay, retired.
    revised = concern_type.objects.filter(scheme=REVISED)
    referral = apps.get_model("referrals", "Referral")
    used = set(referral.objects.values_list("primary_concern_id", flat=True))
    used |= set(referral.concern_types.through.objects.values_list("concerntype_id", flat=True))
    revised.exclude(pk__in=used).delete()
    revised.update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_person_match_review"),
    ]

    operations = [
        migrations.AlterField(
            model_name="concerntype",
            name="scheme",
            field=models.CharField(
                choices=[
                    ("to_2020_21", "To 2020/21"),
                    ("2021_22_to_2023_24", "2021/22 to 2023/24"),
                    ("from_2024_25", "From 2024/25 (first version)"),
                    ("from_2024_25_revised", "From 2024/25"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(add_revised_list, remove_revised_list),
    ]
