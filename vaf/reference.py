"""Seeding the default framework version (docs/domain.md §1).

Called by migration 0002 with historical models, and by tests after a flush. Idempotent:
an existing version of the same name and label is left as it is.
"""

from vaf.choices import (
    DEFAULT_DIMENSIONS,
    DEFAULT_FRAMEWORK_NAME,
    DEFAULT_IN_FORCE_FROM,
    DEFAULT_LEVELS,
    DEFAULT_VERSION_LABEL,
)


def load_default_framework(get_model) -> None:
    """`get_model(name)` returns the model class (apps.get_model or the real one)."""
    framework_model = get_model("Framework")
    framework, created = framework_model.objects.get_or_create(
        name=DEFAULT_FRAMEWORK_NAME,
        version_label=DEFAULT_VERSION_LABEL,
        defaults={"in_force_from": DEFAULT_IN_FORCE_FROM},
    )
    if created and not framework_model.objects.filter(is_current=True).exists():
        framework.is_current = True
        framework.save(update_fields=["is_current"])
    dimension_model, factor_model = get_model("Dimension"), get_model("Factor")
    position = 0
    for dimension_position, (key, name, factors) in enumerate(DEFAULT_DIMENSIONS, start=1):
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
    level_model = get_model("RatingLevel")
    for level_position, (key, label, severity) in enumerate(DEFAULT_LEVELS, start=1):
        level_model.objects.get_or_create(
            framework=framework,
            key=key,
            defaults={"label": label, "position": level_position, "severity": severity},
        )


def load_reference_models() -> None:
    from django.apps import apps

    load_default_framework(lambda name: apps.get_model("vaf", name))
