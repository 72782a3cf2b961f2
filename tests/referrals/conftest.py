from datetime import date

import pytest

from governance.models import District
from referrals.models import ConcernType, Sector, Sex
from referrals.reference import load_reference_models
from referrals.services import ConcernData, PersonData, ReferrerData, referral_create


@pytest.fixture(autouse=True)
def _seeded_reference(db):
    """The rows migration 0002 seeds; a transactional test elsewhere may have flushed them."""
    load_reference_models()


def concern(name="Islamist", scheme="from_2024_25_revised", **extra):
    kind = ConcernType.objects.get(scheme=scheme, name=name)
    return ConcernData(types=[kind], primary=kind, concerns=extra.pop("concerns", "Worrying posts"))


def new_referral(
    *,
    actor=None,
    given="Jamie",
    family="Testwood",
    born=date(2010, 5, 1),
    received=date(2026, 3, 2),
    sector="Education",
    concern_name="Islamist",
    district="Dover",
    sex="Male",
    person=None,
    **extra,
):
    return referral_create(
        actor=actor,
        person=person,
        person_data=None
        if person
        else PersonData(
            given_names=given,
            family_name=family,
            date_of_birth=born,
            approximate_age=extra.pop("approximate_age", None),
            sex=Sex.objects.get(name=sex),
            address=extra.pop("address", "1 Invented Row, Nowhere"),
            district=District.objects.get(name=district) if district else None,
        ),
        referrer=ReferrerData(
            name=extra.pop("referrer_name", "Robin Madeup"),
            sector=Sector.objects.get(name=sector),
            organisation="Invented Academy",
        ),
        concern=concern(concern_name),
        date_received=received,
        person_aware=extra.pop("person_aware", "yes"),
        **extra,
    )


@pytest.fixture
def make_referral(reference_data):
    return new_referral
