from datetime import date

import pytest
from django.urls import reverse

from referrals.intake import SESSION_KEY
from referrals.models import ConcernType, Person, Referral, Sector, Sex
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db


def url(step):
    return reverse(f"referrals:intake-{step}")


@pytest.fixture
def channel(client_as, reference_data):
    return client_as("channel")


def person_answers(**changes):
    return {
        "given_names": "Jamie",
        "family_name": "Testwood",
        "date_of_birth": "2010-05-01",
        "approximate_age": "",
        "sex": Sex.objects.get(name="Male").pk,
        **changes,
    }


def walk_after_person(client):
    """The pages after the person (and any match page), answered; returns the check page."""
    from governance.models import District

    assert client.post(
        url("person-details"),
        {"address": "1 Invented Row", "district": District.objects.get(name="Dover").pk},
    )["Location"] == url("referrer")
    return walk_from_referrer(client)


def walk_from_referrer(client):
    islamist = ConcernType.objects.get(scheme="from_2024_25_revised", name="Islamist")
    other = ConcernType.objects.get(scheme="from_2024_25_revised", name="Other")
    response = client.post(
        url("referrer"),
        {"name": "Robin Madeup", "sector": Sector.objects.get(name="Education").pk},
    )
    assert response["Location"] == url("concern-types")
    response = client.post(url("concern-types"), {"types": [islamist.pk, other.pk]})
    assert "Select the main type of concern" in response.content.decode()
    response = client.post(
        url("concern-types"), {"types": [islamist.pk, other.pk], "primary": islamist.pk}
    )
    assert response["Location"] == url("concerns")
    response = client.post(url("concerns"), {"concerns": "Sharing invented propaganda"})
    assert response["Location"] == url("received")
    response = client.post(url("received"), {"date_received": "2026-03-02", "person_aware": "no"})
    assert response["Location"] == url("check")
    return client.get(url("check"))


def start(client):
    response = client.post(reverse("referrals:intake-start"))
    assert response["Location"] == url("person")


def test_a_new_person_journey_creates_one_referral_after_check_your_answers(channel):
    start(channel)
    response = channel.post(url("person"), person_answers())
    assert response["Location"] == url("person-details")  # no likely match: no match page
    check = walk_after_person(channel)
    content = check.content.decode()
    assert "Check your answers" in content
    for text in ("Jamie Testwood", "1 May 2010", "Robin Madeup", "Islamist", "2 March 2026"):
        assert text in content
    assert 'href="/referrals/new/referrer/"' in content  # a Change link
    token = channel.session[SESSION_KEY]["token"]
    created = channel.post(url("check"), {"token": token})
    referral = Referral.objects.get()
    assert created["Location"] == reverse("referrals:referral-detail", kwargs={"pk": referral.pk})
    assert referral.person.full_name == "Jamie Testwood"
    assert referral.primary_concern.name == "Islamist"
    assert referral.concern_types.count() == 2
    assert referral.reference == "PR-2026-0001"
    assert SESSION_KEY not in channel.session


def test_a_double_submission_of_the_last_page_creates_one_referral(channel):
    start(channel)
    channel.post(url("person"), person_answers())
    walk_after_person(channel)
    token = channel.session[SESSION_KEY]["token"]
    first = channel.post(url("check"), {"token": token})
    second = channel.post(url("check"), {"token": token})
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_likely_match_is_offered_and_the_referral_joins_that_person(channel, persona):
    user = persona("channel")
    user.can_see_identities = True  # a match is shown only with the grant
    user.save()
    earlier = new_referral(given="Jamie", family="Testwood", born=date(2010, 5, 1))
    start(channel)
    response = channel.post(url("person"), person_answers(given_names="JAMIE"))
    assert response["Location"] == url("match")
    page = channel.get(url("match")).content.decode()
    assert earlier.reference in page
    assert "No, this is a new person" in page
    missing = channel.post(url("match"), {})
    assert "Select a person, or that this is a new person" in missing.content.decode()
    response = channel.post(url("match"), {"person": str(earlier.person_id)})
    assert response["Location"] == url("referrer")  # no person details: already on record
    walk_from_referrer(channel)
    channel.post(url("check"), {"token": channel.session[SESSION_KEY]["token"]})
    assert Person.objects.count() == 1
    assert earlier.person.referrals.count() == 2


def test_choosing_a_new_person_at_the_match_page_asks_for_their_details(channel):
    new_referral(given="Jamie", family="Testwood", born=date(2010, 5, 1))
    start(channel)
    channel.post(url("person"), person_answers())
    response = channel.post(url("match"), {"person": "new"})
    assert response["Location"] == url("person-details")
    walk_after_person(channel)
    channel.post(url("check"), {"token": channel.session[SESSION_KEY]["token"]})
    assert Person.objects.count() == 2


def test_errors_are_shown_in_the_error_summary_and_nothing_is_kept(channel):
    start(channel)
    response = channel.post(
        url("person"), person_answers(given_names="", date_of_birth="2999-01-01")
    )
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Enter the given names" in content
    assert "The date of birth must be in the past" in content
    assert channel.session[SESSION_KEY]["steps"] == {}


def test_date_received_cannot_be_in_the_future_or_before_the_date_of_birth(channel):
    start(channel)
    channel.post(url("person"), person_answers())
    future = channel.post(url("received"), {"date_received": "2999-01-01", "person_aware": "no"})
    assert "must be today or in the past" in future.content.decode()
    early = channel.post(url("received"), {"date_received": "2009-01-01", "person_aware": "no"})
    assert "on or after the date of birth" in early.content.decode()


def test_a_changed_answer_returns_to_check_your_answers(channel):
    start(channel)
    channel.post(url("person"), person_answers())
    walk_after_person(channel)
    response = channel.post(
        url("referrer"), {"name": "Robin Changed", "sector": Sector.objects.get(name="Police").pk}
    )
    assert response["Location"] == url("check")
    assert "Robin Changed" in channel.get(url("check")).content.decode()


def test_check_your_answers_with_a_page_unanswered_goes_to_that_page(channel):
    start(channel)
    channel.post(url("person"), person_answers())
    assert channel.get(url("check"))["Location"] == url("person-details")


@pytest.mark.parametrize("step", ["person", "match", "referrer", "received", "check"])
def test_a_journey_page_without_a_journey_offers_to_start_one(channel, step):
    response = channel.get(url(step))
    assert response.status_code == 200
    assert "You have not started a referral" in response.content.decode()


def test_journey_answers_never_appear_in_urls(channel):
    start(channel)
    response = channel.post(url("person"), person_answers())
    assert "?" not in response["Location"]


def test_the_match_page_shows_no_one_on_record_without_the_identity_grant(client, reference_data):
    """Not even masked: initials, a district and earlier references would tell someone
    probing names who has been referred (tests/referrals/test_matching.py)."""
    from tests.conftest import make_user

    earlier = new_referral(given="Jamie", family="Testwood", born=date(2010, 5, 1))
    client.force_login(make_user("channel2", "channel"))
    start(client)
    client.post(url("person"), person_answers(given_names="Jo"))
    page = client.get(url("match")).content.decode()
    assert "A possible match exists" in page
    assert earlier.reference not in page
    assert "J. T." not in page
    assert "1 May 2010" not in page
