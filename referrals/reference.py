"""Seeding the reference data (sectors, types of concern, sexes, outcomes).

Called by migration 0002 with historical models, and by tests after a flush. Idempotent:
existing entries (even retired ones) are left as they are.
"""

from referrals.choices import (
    AGE_GROUPS,
    CONCERN_TYPES,
    OUTCOMES,
    RETIRED_SCHEMES,
    SECTORS,
    SEXES,
    AgeGroupScheme,
)


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
    age_group = get_model("AgeGroup")
    for scheme, groups in AGE_GROUPS.items():
        for position, (label, lowest, highest) in enumerate(groups, start=1):
            age_group.objects.get_or_create(
                scheme=scheme,
                label=label,
                defaults={"lowest": lowest, "highest": highest, "position": position},
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


def age_group_scheme_for(on) -> str:
    """The Home Office's age groups in use for the financial year of `on`."""
    from prevent_portal.ui.periods import financial_year_start

    if financial_year_start(on).year >= 2022:
        return AgeGroupScheme.FROM_2022_23
    return AgeGroupScheme.TO_2021_22
