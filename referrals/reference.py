"""Seeding the reference data (sectors, types of concern, sexes, outcomes).

Called by migration 0002 with historical models, and by tests after a flush. Idempotent:
existing entries (even retired ones) are left as they are.
"""

from referrals.choices import CONCERN_TYPES, OUTCOMES, RETIRED_SCHEMES, SECTORS, SEXES


def load_reference(get_model) -> None:
    """`get_model(name)` returns the model class (apps.get_model or the real one)."""
    for model_name, names in (("Sector", SECTORS), ("Sex", SEXES), ("Outcome", OUTCOMES)):
        model = get_model(model_name)
        for position, name in enumerate(names, start=1):
            model.objects.get_or_create(name=name, defaults={"position": position})
    concern_type = get_model("ConcernType")
    for scheme, names in CONCERN_TYPES.items():
        for position, name in enumerate(names, start=1):
            concern_type.objects.get_or_create(
                scheme=scheme,
                name=name,
                defaults={"position": position, "is_active": scheme not in RETIRED_SCHEMES},
            )


def load_reference_models() -> None:
    from django.apps import apps

    load_reference(lambda name: apps.get_model("referrals", name))


def scheme_for(on) -> str:
    """The Home Office list of types of concern in use on a date (financial years)."""
    from prevent_portal.ui.periods import financial_year_start
    from referrals.choices import ConcernScheme

    financial_year = financial_year_start(on).year
    if financial_year >= 2024:
        return ConcernScheme.FROM_2024_25_REVISED
    if financial_year >= 2021:
        return ConcernScheme.FROM_2021_22
    return ConcernScheme.TO_2020_21
