import json
import threading
import uuid
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from prevent_portal.audit.models import AuditEvent
from referrals.choices import ReferralStatus
from referrals.models import AgeGroup, ConcernType, Outcome, Person, Referral, Sector, Sex
from referrals.services import ConcernData, ReferralError, ReferrerData, referral_create
from tests.referrals.conftest import concern, new_referral

pytestmark = pytest.mark.django_db


def test_reference_data_is_seeded_with_every_list_of_concern_types(reference_data):
    assert ConcernType.objects.filter(scheme="to_2020_21").count() == 4
    assert ConcernType.objects.filter(scheme="2021_22_to_2023_24").count() == 9
    assert ConcernType.objects.filter(scheme="from_2024_25").count() == 5
    # The revised list of 2024/25 reports fascination with extreme violence apart from
    # no identified ideology; the first version is retired.
    revised = ConcernType.objects.filter(scheme="from_2024_25_revised")
    assert list(revised.values_list("name", flat=True)) == [
        "Islamist",
        "Extreme Right-Wing",
        "Left-wing",
        "No identified ideology",
        "Fascination with extreme violence or mass casualty attacks (where no other ideology)",
        "Other",
    ]
    assert all(revised.values_list("is_active", flat=True))
    assert not ConcernType.objects.filter(scheme="from_2024_25", is_active=True).exists()
    # The Home Office's age groups, both versions.
    groups = AgeGroup.objects.filter(scheme="to_2021_22")
    assert [(g.label, g.lowest, g.highest) for g in groups][:2] == [
        ("Under 15", 0, 14),
        ("15 to 20", 15, 20),
    ]
    assert AgeGroup.objects.filter(scheme="from_2022_23").count() == 8
    assert Sector.objects.count() == 9
    assert list(Sex.objects.values_list("name", flat=True)) == [
        "Male",
        "Female",
        "Other",
        "Not known",
    ]
    assert Outcome.objects.count() == 4


def test_status_offers_every_state_of_the_journey():
    values = set(ReferralStatus.values)
    assert {
        "received",
        "police_gateway",
        "information_gathering",
        "panel",
        "consent",
        "adopted",
        "reviewed",
        "exit",
        "post_exit_review",
        "closed",
        "no_further_action",
        "signposted",
    } <= values


def test_references_count_up_within_a_year_and_restart_in_the_next(reference_data):
    first = new_referral(received=date(2025, 12, 30))
    second = new_referral(received=date(2025, 12, 31), family="Otherfield")
    third = new_referral(received=date(2026, 1, 2), family="Thirdacre")
    assert (first.reference, second.reference, third.reference) == (
        "PR-2025-0001",
        "PR-2025-0002",
        "PR-2026-0001",
    )
    assert first.status == ReferralStatus.RECEIVED
    assert first.version == 1


def test_two_referrals_cannot_share_a_reference(reference_data):
    referral = new_referral()
    duplicate = Referral.objects.get(pk=referral.pk)
    duplicate.pk = uuid.uuid4()
    duplicate.intake_token = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_audit_records_that_identifying_fields_were_set_never_their_values(reference_data):
    new_referral(given="Jamie", family="Testwood", address="7 Fictional Close")
    events = AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATE)
    assert events.count() == 2
    person_event = events.get(target_type="referrals.person")
    assert person_event.changes["family_name"] == {"set": True}
    assert person_event.changes["date_of_birth"] == {"set": True}
    dumped = json.dumps([e.changes for e in events]) + " ".join(e.summary for e in events)
    for secret in ("Jamie", "Testwood", "Fictional", "2010-05-01", "Robin Madeup"):
        assert secret not in dumped


def test_a_second_call_with_the_same_intake_token_returns_the_first_referral(reference_data):
    token = uuid.uuid4()
    first = new_referral(intake_token=token)
    second = new_referral(intake_token=token)
    assert first.pk == second.pk
    assert Referral.objects.count() == 1
    assert Person.objects.count() == 1


def test_a_referral_received_in_the_future_is_refused(reference_data):
    with pytest.raises(ReferralError, match="today or in the past"):
        new_referral(received=date(2999, 1, 1))
    assert Person.objects.count() == 0


def test_a_date_of_birth_after_the_date_received_is_refused(reference_data):
    with pytest.raises(ReferralError, match="date of birth"):
        new_referral(born=date(2026, 3, 3), received=date(2026, 3, 2))


def test_the_main_concern_must_be_one_of_the_types(reference_data):
    islamist = ConcernType.objects.get(scheme="from_2024_25_revised", name="Islamist")
    other = ConcernType.objects.get(scheme="from_2024_25_revised", name="Other")
    base = new_referral()
    with pytest.raises(ReferralError, match="main type"):
        referral_create(
            actor=None,
            person=base.person,
            person_data=None,
            referrer=ReferrerData(name="Sam Inventson", sector=Sector.objects.get(name="Police")),
            concern=ConcernData(types=[islamist], primary=other, concerns="x"),
            date_received=date(2026, 3, 5),
            person_aware="no",
        )


def test_a_retired_sector_cannot_be_chosen(reference_data):
    Sector.objects.filter(name="Prison").update(is_active=False)
    with pytest.raises(ReferralError, match="no longer in use"):
        new_referral(sector="Prison")


def test_a_later_referral_can_be_added_to_a_person_on_record(reference_data):
    first = new_referral()
    second = new_referral(person=first.person, received=date(2026, 4, 1))
    assert second.person_id == first.person_id
    assert Person.objects.count() == 1
    assert second.concern_types.get() == concern().primary


def test_age_band_is_computed_at_the_referral_date(reference_data):
    referral = new_referral(born=date(2010, 3, 2), received=date(2026, 3, 1))
    assert referral.age_band.label == "11 to 15"
    approximate = new_referral(family="Ageless", born=None, approximate_age=19)
    assert approximate.person.approximate_age_on == date(2026, 3, 2)
    assert approximate.age_band.label == "18 to 20"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
def test_references_are_unique_under_concurrent_creation(reference_data):
    from referrals.reference import load_reference_models

    load_reference_models()
    references, errors = [], []

    def create(index):
        try:
            references.append(new_referral(family=f"Threadson{index}").reference)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(references) == [f"PR-2026-{n:04d}" for n in range(1, 9)]
