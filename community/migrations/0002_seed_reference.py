"""The tension themes, the tension scale and the platforms as first seeded, frozen here: a
migration never imports the app's code. community/reference.py puts back any missing row
(for example after a test database is flushed)."""

from django.db import migrations

THEMES = [
    "Migration and small-boat crossings",
    "Asylum accommodation",
    "Covid-19",
    "Antisemitism",
    "Anti-Muslim hatred",
    "Extreme right-wing activity",
    "Middle East conflict",
    "Other",
]

LEVELS = [
    (1, "Low", "Background levels of online comment; nothing local stands out."),
    (2, "Moderate", "Some local comment on a theme; no sign of offline activity."),
    (3, "Elevated", "Sustained local comment, calls to gather or targeted content."),
    (4, "High", "Planned or likely offline activity, or threats against a community."),
]

PLATFORMS = ["X/Twitter", "Facebook", "Telegram", "TikTok", "YouTube", "Local forums", "Other"]


def seed(apps, schema_editor):
    theme = apps.get_model("community", "Theme")
    level = apps.get_model("community", "TensionLevel")
    platform = apps.get_model("community", "Platform")
    for order, name in enumerate(THEMES, start=1):
        theme.objects.get_or_create(name=name, defaults={"sort_order": order})
    for rank, name, description in LEVELS:
        level.objects.get_or_create(rank=rank, defaults={"name": name, "description": description})
    for order, name in enumerate(PLATFORMS, start=1):
        platform.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
