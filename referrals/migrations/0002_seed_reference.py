"""The referral reference data as first seeded (sectors, sexes, outcomes and the Home
Office's types of concern by scheme), frozen here: a migration never imports the app's code.
referrals/reference.py seeds the same rows for tests after a flush."""

from django.db import migrations

SECTORS = [
    "Education",
    "Police",
    "Local Authority",
    "Health",
    "Community",
    "Friends and family",
    "Prison",
    "Probation",
    "Other",
]

SEXES = ["Male", "Female", "Other", "Not known"]

OUTCOMES = [
    "No further action",
    "Signposted to other services",
    "Discussed at a Channel panel",
    "Adopted as a Channel case",
]

CONCERN_TYPES = {
    "to_2020_21": ["Islamist", "Extreme Right-Wing", "Mixed, unclear or unstable", "Other"],
    "2021_22_to_2023_24": [
        "Islamist",
        "Extreme Right-Wing",
        "Left-wing, anarchist or single issue",
        "Conflicted",
        "Vulnerability present but no ideology or CT risk",
        "No ideology or CT risk",
        "Incel",
        "School massacre",
        "Other",
    ],
    "from_2024_25": [
        "Islamist",
        "Extreme Right-Wing",
        "Left-wing",
        "No identified ideology (including fascination with extreme "
        "violence or mass casualty attacks)",
        "Other",
    ],
}


def seed(apps, schema_editor):
    for model_name, names in (("Sector", SECTORS), ("Sex", SEXES), ("Outcome", OUTCOMES)):
        model = apps.get_model("referrals", model_name)
        for position, name in enumerate(names, start=1):
            model.objects.get_or_create(name=name, defaults={"position": position})
    concern_type = apps.get_model("referrals", "ConcernType")
    for scheme, names in CONCERN_TYPES.items():
        for position, name in enumerate(names, start=1):
            concern_type.objects.get_or_create(
                scheme=scheme, name=name, defaults={"position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
