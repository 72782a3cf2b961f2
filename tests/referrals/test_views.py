import uuid
from datetime import date

import pytest
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent
from referrals.models import Referral
from tests.conftest import make_user
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

LIST = reverse("referrals:index")


def detail(referral):
    return reverse("referrals:referral-detail", kwargs={"pk": referral.pk})


@pytest.fixture
def channel2(client, reference_data):
    """A Channel coordinator without the identity grant."""
    user = make_user("channel2", "channel")
    assert user.can_see_identities is False
    client.force_login(user)
    return client


@pytest.fixture
def channel(client_as, persona, reference_data):
    user = persona("channel")
    user.can_see_identities = True
    user.save()
    return client_as("channel")


def test_list_shows_names_to_users_with_the_identity_grant(channel):
    referral = new_referral(given="Jamie", family="Testwood")
    content = channel.get(LIST).content.decode()
    assert "Jamie Testwood" in content
    assert referral.reference in content


def test_list_masks_names_without_the_identity_grant(channel2):
    referral = new_referral(given="Jamie", family="Testwood")
    content = channel2.get(LIST).content.decode()
    assert referral.reference in content
    assert "Testwood" not in content
    assert "J. T." in content


def test_case_page_masks_identities_without_the_grant(channel2):
    referral = new_referral(
        given="Jamie", family="Testwood", address="9 Imaginary Lane", referrer_name="Robin Madeup"
    )
    content = channel2.get(detail(referral)).content.decode()
    for secret in ("Jamie", "Testwood", "Imaginary", "1 May 2010", "Robin Madeup"):
        assert secret not in content
    assert "Hidden" in content


def test_case_page_shows_every_section_to_users_with_the_grant(channel):
    referral = new_referral(given="Jamie", family="Testwood", address="9 Imaginary Lane")
    content = channel.get(detail(referral)).content.decode()
    for text in ("Jamie Testwood", "9 Imaginary Lane", "1 May 2010", "Robin Madeup", "Islamist"):
        assert text in content
    for heading in ('id="summary"', 'id="person"', 'id="referrer"', 'id="concerns"'):
        assert heading in content


@pytest.mark.parametrize("name", ["board", "admin", "education", "community", "support"])
def test_other_roles_get_403_and_nothing_of_the_case(client_as, reference_data, name):
    referral = new_referral(given="Jamie", family="Testwood")
    client = client_as(name)
    for url in (LIST, detail(referral), reverse("referrals:intake-start")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Testwood" not in response.content.decode()
        assert referral.reference not in response.content.decode()


def test_unknown_case_is_404(channel):
    response = channel.get(reverse("referrals:referral-detail", kwargs={"pk": uuid.uuid4()}))
    assert response.status_code == 404


def test_case_outside_the_assigned_scope_is_404(channel, settings):
    settings.REFERRALS_SCOPE = "assigned"
    someone_else = make_user("channel3", "channel")
    referral = new_referral(actor=someone_else)
    assert channel.get(detail(referral)).status_code == 404


def test_every_view_of_a_case_is_audited(channel, persona):
    referral = new_referral()
    channel.get(detail(referral))
    channel.get(detail(referral))
    views = AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW, target_id=str(referral.pk))
    assert views.count() == 2
    assert views.first().actor == persona("channel")


def access_log_url(referral):
    return reverse("referrals:case-access-log", kwargs={"pk": referral.pk})


def test_the_access_log_is_a_section_for_supervisors_only(client, persona, channel):
    referral = new_referral()
    case_page = channel.get(detail(referral)).content.decode()
    assert access_log_url(referral) not in case_page
    assert channel.get(access_log_url(referral)).status_code == 403

    client.force_login(persona("coordinator"))
    case_page = client.get(detail(referral)).content.decode()
    assert f'href="{access_log_url(referral)}"' in case_page
    assert "<table" not in case_page.split('id="history"')[0]  # no log on the case page
    response = client.get(access_log_url(referral))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = [event.actor_username for event in response.context["page"].object_list]
    # Newest first: this opening of the log, the coordinator's and the officer's views,
    # the referral's creation (by the system, in this test).
    assert rows == ["coordinator", "coordinator", "channel", "system"]
    content = response.content.decode()
    assert f"Viewed referral {referral.reference} (access log)" in content
    assert "4 entries" in content


def test_opening_the_access_log_is_recorded_and_a_post_changes_nothing(
    client, persona, reference_data
):
    referral = new_referral()
    client.force_login(persona("chair"))
    client.get(access_log_url(referral))
    views = AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW, target_id=str(referral.pk))
    assert list(views.values_list("summary", flat=True)) == [
        f"Viewed referral {referral.reference} (access log)"
    ]
    assert client.post(access_log_url(referral)).status_code == 405
    assert views.count() == 1


def test_the_access_log_of_no_such_case_is_not_found(client, persona):
    client.force_login(persona("coordinator"))
    missing = reverse("referrals:case-access-log", kwargs={"pk": uuid.uuid4()})
    assert client.get(missing).status_code == 404


def _views_of(referral, count, actor):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_username=actor.username,
            verb=AuditEvent.Verb.VIEW,
            target_type=Referral._meta.label_lower,
            target_id=str(referral.pk),
            summary=f"Viewed referral {referral.reference} (earlier {index})",
        )
        for index in range(count)
    )


def test_the_access_log_shows_fifty_to_a_page(client, persona, reference_data):
    referral = new_referral()
    _views_of(referral, 60, persona("channel"))
    client.force_login(persona("coordinator"))
    # 60 views, the creation, and this opening of the log.
    first = client.get(access_log_url(referral))
    assert len(first.context["page"].object_list) == 50
    assert "62 entries, 1 to 50 shown" in first.content.decode()
    second = client.get(access_log_url(referral), {"page": 2})
    # One more view was recorded by opening page 1: 63 entries, 13 on page 2.
    assert len(second.context["page"].object_list) == 13
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("entries", [2, 80])
def test_the_access_log_query_budget_does_not_grow(
    client, persona, reference_data, django_assert_max_num_queries, entries
):
    referral = new_referral()
    _views_of(referral, entries, persona("channel"))
    client.force_login(persona("coordinator"))
    client.get(access_log_url(referral))  # reads the reference rows into the cache
    with django_assert_max_num_queries(13):
        response = client.get(access_log_url(referral))
    assert response.status_code == 200
    # The entries, the creation, and the two openings of the log.
    assert len(response.context["page"].object_list) == min(entries + 3, 50)


def test_every_referrals_response_is_not_cached(channel):
    referral = new_referral()
    for url in (
        LIST,
        detail(referral),
        reverse("referrals:intake-start"),
        reverse("referrals:intake-person"),
        reverse("referrals:intake-check"),
    ):
        assert "no-store" in channel.get(url)["Cache-Control"], url


def test_get_changes_no_case(channel):
    referral = new_referral()
    before = Referral.objects.get(pk=referral.pk).updated_at
    channel.get(detail(referral))
    channel.get(reverse("referrals:intake-check"))
    assert Referral.objects.count() == 1
    assert Referral.objects.get(pk=referral.pk).updated_at == before


def test_filters_by_sector_district_and_date_range(channel):
    school = new_referral(family="Alpha", sector="Education", district="Dover")
    police = new_referral(family="Beta", sector="Police", district="Thanet")
    old = new_referral(family="Gamma", received=date(2025, 1, 10))
    police_id = police.sector_id
    content = channel.get(LIST, {"sector": police_id}).content.decode()
    assert police.reference in content and school.reference not in content
    district = police.person.district_id
    content = channel.get(LIST, {"district": district}).content.decode()
    assert police.reference in content and school.reference not in content
    content = channel.get(LIST, {"received_to": "2025-12-31"}).content.decode()
    assert old.reference in content and police.reference not in content
    concern = old.primary_concern_id
    listed = channel.get(LIST, {"concern_type": concern}).content.decode()
    assert listed.count('href="/referrals/case/') == 3


def test_an_invalid_filter_date_is_reported(channel):
    new_referral()
    content = channel.get(LIST, {"received_from": "2026-13-45"}).content.decode()
    assert "There is a problem" in content
    assert "No referrals match these filters." in content


def test_search_by_name_is_sent_by_post_and_never_put_in_the_url(channel):
    wanted = new_referral(given="Jamie", family="Testwood")
    other = new_referral(given="Alex", family="Fakeley")
    response = channel.post(LIST, {"q": "jamie testwood"})
    assert response.status_code == 302
    assert "Testwood" not in response["Location"].lower() and "?" not in response["Location"]
    content = channel.get(LIST).content.decode()
    assert wanted.reference in content and other.reference not in content
    channel.post(LIST, {"q": "", "clear": "1"})
    assert other.reference in channel.get(LIST).content.decode()


def test_search_by_reference(channel2):
    first = new_referral(family="Alpha")
    second = new_referral(family="Beta")
    channel2.post(LIST, {"q": second.reference})
    content = channel2.get(LIST).content.decode()
    assert second.reference in content and first.reference not in content


def test_name_search_finds_nothing_without_the_identity_grant(channel2):
    new_referral(given="Jamie", family="Testwood")
    channel2.post(LIST, {"q": "Testwood"})
    assert "No referrals match these filters." in channel2.get(LIST).content.decode()


@pytest.mark.parametrize("rows", [3, 40])
def test_list_query_budget_does_not_grow_with_the_rows(
    channel, django_assert_max_num_queries, rows
):
    for index in range(rows):
        new_referral(family=f"Budget{index}", district=["Dover", "Thanet", None][index % 3])
    # Includes the filters' choices: sectors, types, districts, case managers.
    with django_assert_max_num_queries(15):
        response = channel.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count('href="/referrals/case/') == min(rows, 25)


def test_list_filters_by_case_manager_and_offers_only_case_managers(channel, persona):
    for name in ("board", "education", "support", "admin"):
        persona(name)
    me = persona("channel")
    mine = new_referral(family="Mine", actor=me)
    theirs = new_referral(family="Theirs", actor=persona("coordinator"))
    page = channel.get(LIST, {"case_manager": me.pk}).content.decode()
    assert mine.reference in page and theirs.reference not in page
    choices = channel.get(LIST).context["filter"].form.fields["case_manager"].queryset
    usernames = set(choices.values_list("username", flat=True))
    assert {"channel", "coordinator"} <= usernames
    assert not usernames & {"board", "education", "support", "admin"}


def test_list_sorts_by_reference_oldest_or_newest(channel):
    first = new_referral(family="First", received=date(2026, 1, 5))
    second = new_referral(family="Second", received=date(2026, 2, 5))
    newest = channel.get(LIST).content.decode()
    assert newest.index(second.reference) < newest.index(first.reference)
    oldest = channel.get(LIST, {"sort": "received"}).content.decode()
    assert oldest.index(first.reference) < oldest.index(second.reference)
    assert channel.get(LIST, {"sort": "nonsense"}).status_code == 200


def test_filtering_by_a_type_of_concern_lists_a_referral_once_without_distinct(
    channel, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from referrals.models import ConcernType

    referral = new_referral(family="Twotypes")
    kinds = ConcernType.objects.filter(scheme="from_2024_25_revised")[:2]
    referral.concern_types.set(kinds)
    new_referral(family="Other", concern_name="Other")
    with CaptureQueriesContext(connection) as queries:
        page = channel.get(LIST, {"concern_type": kinds[0].pk}).context["page"]
    assert [item.pk for item in page.object_list] == [referral.pk]
    assert page.paginator.count == 1
    listing = [
        q["sql"].upper()
        for q in queries.captured_queries
        if 'FROM "REFERRALS_REFERRAL"' in q["sql"].upper()
    ]
    assert listing and not any("DISTINCT" in sql for sql in listing)
