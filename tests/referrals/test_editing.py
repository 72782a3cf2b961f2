"""Editing a person and a referral after intake; reassigning the case manager."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import District
from prevent_portal.audit.models import AuditEvent
from referrals.choices import ReferralStatus
from referrals.editing import (
    PersonEdit,
    ReferralEdit,
    person_update,
    referral_reassign,
    referral_update,
)
from referrals.models import ConcernType, Person, Referral, Sector, Sex
from referrals.services import ReferralError, StaleVersionError, referral_transition
from tests.conftest import make_user
from tests.queries import assert_same_queries, page_queries
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

CONFLICT = "changed by someone else"


def person_url(referral):
    return reverse("referrals:person-edit", kwargs={"pk": referral.pk})


def referral_url(referral):
    return reverse("referrals:referral-edit", kwargs={"pk": referral.pk})


def reassign_url(referral):
    return reverse("referrals:case-manager-edit", kwargs={"pk": referral.pk})


@pytest.fixture
def manager(reference_data):
    user = make_user("casey", "channel", first_name="Casey", last_name="Inventwell")
    user.can_see_identities = True
    user.save()
    return user


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def person_post(referral, **changes):
    person = referral.person
    data = {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "approximate_age": person.approximate_age or "",
        "sex": person.sex_id,
        "address": person.address,
        "district": person.district_id or "",
        "nationality": person.nationality,
        "first_language": person.first_language,
        "setting": person.setting,
        "version": person.version,
    }
    return data | changes


def referral_post(referral, **changes):
    data = {
        "referrer_name": referral.referrer_name,
        "referrer_role": referral.referrer_role,
        "referrer_organisation": referral.referrer_organisation,
        "referrer_contact": referral.referrer_contact,
        "sector": referral.sector_id,
        "concern_types": [item.pk for item in referral.concern_types.all()],
        "primary_concern": referral.primary_concern_id,
        "concerns": referral.concerns,
        "complex_needs": referral.complex_needs,
        "other_information": referral.other_information,
        "person_aware": referral.person_aware,
        "date_received": referral.date_received.isoformat(),
        "police_reference": referral.police_reference,
        "version": referral.version,
    }
    return data | changes


def kind(name, scheme="from_2024_25_revised"):
    return ConcernType.objects.get(scheme=scheme, name=name)


def edit_of(referral, **changes):
    values = {
        "sector": referral.sector,
        "concern_types": list(referral.concern_types.all()),
        "primary_concern": referral.primary_concern,
        "concerns": referral.concerns,
        "date_received": referral.date_received,
        "person_aware": referral.person_aware,
    }
    return ReferralEdit(**(values | changes))


# -- The person -----------------------------------------------------------------------


def test_a_person_edit_is_saved_versioned_and_audited_without_values(as_manager):
    referral = new_referral(given="Jamie", family="Testwood")
    response = as_manager.post(
        person_url(referral),
        person_post(referral, family_name="Testbrook", address="2 Madeup Close"),
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.family_name, person.address, person.version) == (
        "Testbrook",
        "2 Madeup Close",
        2,
    )
    event = AuditEvent.objects.filter(target_type="referrals.person", verb="record.update").get()
    assert event.changes["family_name"] == {"changed": True}
    assert event.changes["address"] == {"changed": True}
    text = str(event.changes) + event.summary
    for secret in ("Testbrook", "Testwood", "Madeup", "Invented Row"):
        assert secret not in text


def test_the_person_page_is_403_without_the_identity_grant(client, reference_data):
    referral = new_referral()
    user = make_user("nogrant", "channel")
    client.force_login(user)
    assert client.get(person_url(referral)).status_code == 403
    assert client.post(person_url(referral), person_post(referral)).status_code == 403
    assert Person.objects.get().version == 1


def test_the_person_page_shows_the_current_values_and_get_changes_nothing(as_manager):
    referral = new_referral(given="Jamie", family="Testwood")
    content = as_manager.get(person_url(referral)).content.decode()
    assert 'value="Testwood"' in content
    assert 'name="version"' in content
    assert Person.objects.get().version == 1
    assert not AuditEvent.objects.filter(verb="record.update").exists()


def test_a_second_person_edit_from_an_old_version_is_refused_with_a_conflict(as_manager):
    referral = new_referral(family="Testwood")
    first = person_post(referral, family_name="Firstsave")
    second = person_post(referral, family_name="Secondsave")
    assert as_manager.post(person_url(referral), first).status_code == 302
    response = as_manager.post(person_url(referral), second)
    assert response.status_code == 200
    content = response.content.decode()
    assert CONFLICT in content
    assert "Error: " in content
    assert 'name="version" value="2"' in content  # a deliberate second try can work
    assert Person.objects.get().family_name == "Firstsave"


def test_a_person_edit_refuses_bad_dates_and_both_ages(as_manager):
    referral = new_referral(born=date(2010, 5, 1), received=date(2026, 3, 2))
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    cases = [
        ({"date_of_birth": future}, "The date of birth must be in the past"),
        ({"date_of_birth": "2026-03-05"}, "on or before the date the first referral"),
        ({"approximate_age": "15"}, "not both"),
        ({"date_of_birth": "2010-02-31"}, "real date"),
        ({"given_names": ""}, "Enter the given names"),
        ({"sex": "999999"}, "Select"),
    ]
    for changes, message in cases:
        response = as_manager.post(person_url(referral), person_post(referral, **changes))
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    person = Person.objects.get()
    assert (person.version, person.date_of_birth) == (1, date(2010, 5, 1))


def test_a_retired_district_is_refused_unless_unchanged(manager):
    referral = new_referral(district="Dover")
    person = referral.person
    dover = District.objects.get(name="Dover")
    District.objects.filter(pk=dover.pk).update(is_active=False)
    swale = District.objects.get(name="Swale")
    District.objects.filter(pk=swale.pk).update(is_active=False)
    swale.refresh_from_db()
    person.refresh_from_db()
    base = PersonEdit(
        given_names="Jamie",
        family_name="Testwood",
        sex=person.sex,
        date_of_birth=person.date_of_birth,
        district=person.district,
        address="Elsewhere",
    )
    person_update(actor=manager, person=person, data=base, expected_version=1)  # unchanged: ok
    with pytest.raises(ReferralError, match="no longer in use"):
        person_update(
            actor=manager,
            person=person,
            data=PersonEdit(**(base.__dict__ | {"district": swale})),
            expected_version=2,
        )


def test_an_approximate_age_counts_from_the_latest_referral(manager):
    referral = new_referral(born=None, approximate_age=14, received=date(2025, 6, 1))
    person = referral.person
    person_update(
        actor=manager,
        person=person,
        data=PersonEdit(
            given_names="Jamie", family_name="Testwood", sex=person.sex, approximate_age=15
        ),
        expected_version=1,
    )
    person.refresh_from_db()
    assert (person.approximate_age, person.approximate_age_on) == (15, date(2025, 6, 1))


def test_the_person_service_refuses_a_stale_version(manager):
    person = new_referral().person
    data = PersonEdit(given_names="A", family_name="B", sex=person.sex, date_of_birth=None)
    with pytest.raises(StaleVersionError):
        person_update(actor=manager, person=person, data=data, expected_version=7)
    assert Person.objects.get().given_names == "Jamie"


# -- The referral ---------------------------------------------------------------------


def test_a_referral_edit_audits_ordinary_values_and_only_that_free_text_changed(as_manager):
    referral = new_referral(received=date(2026, 3, 2))
    police = Sector.objects.get(name="Police")
    response = as_manager.post(
        referral_url(referral),
        referral_post(
            referral,
            sector=police.pk,
            concern_types=[kind("Islamist").pk, kind("Left-wing").pk],
            primary_concern=kind("Left-wing").pk,
            concerns="Invented new wording",
            referrer_name="Robin Newname",
            date_received="2026-03-01",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    referral.refresh_from_db()
    assert referral.version == 2
    assert referral.sector == police
    assert referral.primary_concern == kind("Left-wing")
    assert set(referral.concern_types.all()) == {kind("Islamist"), kind("Left-wing")}
    assert referral.date_received == date(2026, 3, 1)
    event = AuditEvent.objects.filter(target_type="referrals.referral", verb="record.update").get()
    assert event.changes["sector"] == {"old": "Education", "new": "Police"}
    assert event.changes["date_received"] == {"old": "2026-03-02", "new": "2026-03-01"}
    assert event.changes["concerns"] == {"changed": True}
    assert event.changes["referrer_name"] == {"changed": True}
    assert "Invented new wording" not in str(event.changes)
    assert "Newname" not in str(event.changes)


def test_without_the_identity_grant_the_referrer_name_is_neither_shown_nor_changed(
    client, reference_data
):
    referral = new_referral(referrer_name="Robin Madeup")
    client.force_login(make_user("nogrant", "channel"))
    page = client.get(referral_url(referral)).content.decode()
    assert "Robin Madeup" not in page
    assert 'name="referrer_name"' not in page
    data = referral_post(referral, referrer_name="Someone Else", referrer_role="Teacher")
    assert client.post(referral_url(referral), data).status_code == 302
    referral.refresh_from_db()
    assert (referral.referrer_name, referral.referrer_role) == ("Robin Madeup", "Teacher")


def test_a_referral_edit_refuses_bad_input_and_changes_nothing(as_manager):
    referral = new_referral(received=date(2026, 3, 2))
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({"date_received": future}, "today or in the past"),
        ({"date_received": "2009-01-01"}, "on or after the date of birth"),
        ({"date_received": "not a date"}, "real date"),
        ({"concern_types": []}, "Select at least one type of concern"),
        (
            {
                "concern_types": [kind("Islamist").pk, kind("Left-wing").pk],
                "primary_concern": "",
            },
            "Select the main type of concern",
        ),
        (
            {"concern_types": [kind("Islamist").pk], "primary_concern": kind("Left-wing").pk},
            "must be one of those selected",
        ),
        ({"sector": "99999"}, "Select a sector from the list"),
        ({"concerns": ""}, "Describe the concerns"),
        ({"person_aware": "maybe"}, "Select a valid choice"),
    ]
    for changes, message in cases:
        response = as_manager.post(referral_url(referral), referral_post(referral, **changes))
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    referral.refresh_from_db()
    assert referral.version == 1
    assert not AuditEvent.objects.filter(verb="record.update").exists()


def test_the_date_received_cannot_move_after_the_first_step(manager):
    referral = new_referral(actor=manager, received=date(2026, 3, 2))
    referral_transition(
        actor=manager,
        referral=referral,
        to_status=ReferralStatus.POLICE_GATEWAY,
        reason="Sent",
        occurred_on=date(2026, 3, 4),
        expected_version=1,
    )
    with pytest.raises(ReferralError, match="on or before its first step"):
        referral_update(
            actor=manager,
            referral=referral,
            data=edit_of(referral, date_received=date(2026, 3, 5)),
            expected_version=2,
        )


def test_a_retired_sector_or_type_is_refused_unless_the_referral_already_had_it(manager):
    referral = new_referral()
    Sector.objects.filter(name__in=["Education", "Health"]).update(is_active=False)
    ConcernType.objects.filter(name="Islamist").update(is_active=False)
    referral = Referral.objects.get(pk=referral.pk)
    # Unchanged retired entries: fine.
    referral_update(
        actor=manager, referral=referral, data=edit_of(referral, concerns="New"), expected_version=1
    )
    with pytest.raises(ReferralError, match="no longer in use"):
        referral_update(
            actor=manager,
            referral=referral,
            data=edit_of(referral, sector=Sector.objects.get(name="Health")),
            expected_version=2,
        )


def test_a_second_referral_edit_from_an_old_version_is_refused(as_manager):
    referral = new_referral()
    first = referral_post(referral, concerns="First wording")
    second = referral_post(referral, concerns="Second wording")
    assert as_manager.post(referral_url(referral), first).status_code == 302
    response = as_manager.post(referral_url(referral), second)
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert Referral.objects.get().concerns == "First wording"


def test_a_step_recorded_meanwhile_makes_the_edit_stale(as_manager, manager):
    referral = new_referral()
    data = referral_post(referral, concerns="Edited")
    referral_transition(
        actor=manager,
        referral=referral,
        to_status=ReferralStatus.POLICE_GATEWAY,
        reason="Sent",
        occurred_on=referral.date_received,
        expected_version=1,
    )
    response = as_manager.post(referral_url(referral), data)
    assert CONFLICT in response.content.decode()
    assert Referral.objects.get().concerns == "Worrying posts"


def test_read_only_roles_get_403_on_the_edit_pages(client_as, reference_data):
    referral = new_referral()
    for name in ("board", "support", "admin", "education"):
        client = client_as(name)
        for url in (person_url(referral), referral_url(referral), reassign_url(referral)):
            assert client.get(url).status_code == 403
            assert client.post(url, referral_post(referral)).status_code == 403
    assert Referral.objects.get().version == 1


def test_a_case_out_of_scope_is_404(settings, client, reference_data):
    settings.REFERRALS_SCOPE = "assigned"
    other = make_user("other", "channel")
    referral = new_referral(actor=other)
    user = make_user("mine", "channel")
    user.can_see_identities = True
    user.save()
    client.force_login(user)
    for url in (person_url(referral), referral_url(referral)):
        assert client.get(url).status_code == 404
        assert client.post(url, referral_post(referral)).status_code == 404


# -- Reassigning ----------------------------------------------------------------------


def test_a_supervisor_reassigns_the_case_and_it_is_audited(client_as, persona, manager):
    referral = new_referral(actor=persona("channel"))
    client = client_as("coordinator")
    page = client.get(reassign_url(referral)).content.decode()
    assert "Casey Inventwell" in page
    assert "Board" not in page  # only users who can manage cases are offered
    response = client.post(reassign_url(referral), {"case_manager": manager.pk, "version": 1})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.case_manager, referral.version) == (manager, 2)
    event = AuditEvent.objects.filter(summary__startswith="Reassigned").get()
    assert event.changes["case_manager"] == {"old": "channel", "new": "casey"}


def test_a_case_cannot_go_to_someone_who_cannot_manage_cases(client_as, persona, manager):
    referral = new_referral(actor=manager)
    board = persona("board")
    client = client_as("chair")
    response = client.post(reassign_url(referral), {"case_manager": board.pk, "version": 1})
    assert "Select a case manager from the list" in response.content.decode()
    with pytest.raises(ReferralError):
        referral_reassign(
            actor=persona("chair"), referral=referral, case_manager=board, expected_version=1
        )
    assert Referral.objects.get().case_manager == manager


def test_a_case_manager_cannot_reassign(as_manager):
    referral = new_referral()
    assert as_manager.get(reassign_url(referral)).status_code == 403


def test_a_stale_reassignment_is_refused(client_as, manager):
    referral = new_referral()
    client = client_as("coordinator")
    response = client.post(reassign_url(referral), {"case_manager": manager.pk, "version": 9})
    assert CONFLICT in response.content.decode()
    assert Referral.objects.get().case_manager is None


# -- The case page's links ------------------------------------------------------------


def test_the_case_page_links_to_each_edit_page_by_permission(client, client_as, manager):
    referral = new_referral()
    client.force_login(manager)
    page = client.get(reverse("referrals:referral-detail", kwargs={"pk": referral.pk}))
    content = page.content.decode()
    assert person_url(referral) in content and referral_url(referral) in content
    assert reassign_url(referral) not in content
    content = (
        client_as("coordinator")
        .get(reverse("referrals:referral-detail", kwargs={"pk": referral.pk}))
        .content.decode()
    )
    assert person_url(referral) not in content  # no identity grant
    assert referral_url(referral) in content and reassign_url(referral) in content
    assert Sex.objects.exists()


def test_the_edit_pages_query_count_does_not_grow_with_the_persons_referrals(as_manager):
    referral = new_referral()
    counts = []
    for extra in (0, 8):
        for _ in range(extra):
            new_referral(person=referral.person)
        # Each page warmed first (the partnership's name cache).
        counts.append(
            [
                page_queries(as_manager, page)
                for page in (person_url(referral), referral_url(referral))
            ]
        )
    for before, after in zip(*counts, strict=True):
        assert_same_queries(before, after, at_most=20)
