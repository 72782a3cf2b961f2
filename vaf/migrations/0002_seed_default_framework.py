"""The default vulnerability assessment framework as first seeded, frozen here: a migration
never imports the app's code. vaf/reference.py seeds the same version for tests after a
flush. An existing version of the same name and label is left as it is."""

import datetime

from django.db import migrations

FRAMEWORK_NAME = "Vulnerability Assessment Framework"
VERSION_LABEL = "Default (Extremism Risk Guidance 22+)"
IN_FORCE_FROM = datetime.date(2015, 7, 1)

DIMENSIONS = [
    (
        "engagement",
        "Engagement with a group, cause or ideology",
        [
            ("grievance_injustice", "Feelings of grievance and injustice"),
            ("under_threat", "Feeling under threat"),
            ("identity_meaning_belonging", "Need for identity, meaning and belonging"),
            ("status", "Desire for status"),
            ("excitement_adventure", "Desire for excitement and adventure"),
            ("dominate_control", "Need to dominate and control"),
            ("indoctrination", "Susceptibility to indoctrination"),
            ("political_moral_change", "Desire for political or moral change"),
            ("opportunistic", "Opportunistic involvement"),
            ("family_friends_support", "Family and/or friends support extremist offending"),
            ("transitional_time", "Being at a transitional time of life"),
            ("influenced_by_group", "Being influenced or controlled by a group"),
            ("mental_health", "Relevant mental health issues"),
        ],
    ),
    (
        "intent",
        "Intent to cause harm",
        [
            ("over_identification", "Over-identification with a group or ideology"),
            ("them_and_us", "‘Them and us’ thinking"),
            ("dehumanisation", "Dehumanisation of the enemy"),
            ("justify_offending", "Attitudes that justify offending"),
            ("harmful_means", "Harmful means to an end"),
            ("harmful_objectives", "Harmful objectives"),
        ],
    ),
    (
        "capability",
        "Capability to cause harm",
        [
            ("knowledge_skills", "Individual knowledge, skills and competencies"),
            ("networks_funding_equipment", "Access to networks, funding or equipment"),
            ("criminal_history", "Criminal history"),
        ],
    ),
]

LEVELS = [
    ("not_present", "Not present", 0),
    ("some_evidence", "Some evidence", 1),
    ("significant_evidence", "Significant evidence", 2),
    ("not_known", "Not known", None),
]


def seed(apps, schema_editor):
    framework_model = apps.get_model("vaf", "Framework")
    framework, created = framework_model.objects.get_or_create(
        name=FRAMEWORK_NAME, version_label=VERSION_LABEL, defaults={"in_force_from": IN_FORCE_FROM}
    )
    if created and not framework_model.objects.filter(is_current=True).exists():
        framework.is_current = True
        framework.save(update_fields=["is_current"])
    dimension_model = apps.get_model("vaf", "Dimension")
    factor_model = apps.get_model("vaf", "Factor")
    position = 0
    for dimension_position, (key, name, factors) in enumerate(DIMENSIONS, start=1):
        dimension, _ = dimension_model.objects.get_or_create(
            framework=framework, key=key, defaults={"name": name, "position": dimension_position}
        )
        for factor_key, wording in factors:
            position += 1
            factor_model.objects.get_or_create(
                framework=framework,
                key=factor_key,
                defaults={"dimension": dimension, "position": position, "wording": wording},
            )
    level_model = apps.get_model("vaf", "RatingLevel")
    for level_position, (key, label, severity) in enumerate(LEVELS, start=1):
        level_model.objects.get_or_create(
            framework=framework,
            key=key,
            defaults={"label": label, "position": level_position, "severity": severity},
        )


class Migration(migrations.Migration):
    dependencies = [("vaf", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
