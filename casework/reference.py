"""Seeding the types of intervention. Called by migration 0002 with historical models,
and by tests after a flush. Idempotent: existing entries (even retired) stay as they are."""

from casework.choices import INTERVENTION_TYPES


def load_reference(get_model) -> None:
    model = get_model("InterventionType")
    for position, name in enumerate(INTERVENTION_TYPES, start=1):
        model.objects.get_or_create(name=name, defaults={"position": position})


def load_reference_models() -> None:
    from django.apps import apps

    load_reference(lambda name: apps.get_model("casework", name))
