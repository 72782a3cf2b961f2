"""The likely-match check of intake, and the confirmation of a match someone could not see.

Before a new person is recorded, intake looks for a likely earlier record (same family name
and date of birth, or same names). A user may be shown a match only if they hold the
identity grant and may open at least one of that person's cases, and then only with the
cases they may open. Otherwise the page says that a possible match exists, the referral is
recorded for a new person, and a review is opened for someone who may see identities and
every case to confirm: the same person (the referral moves to that record) or a new one.
Every lookup is audited (who, which fields, how many) and counted for unusual access.
"""

from datetime import date

import pytest
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent, SecurityAlert
from referrals.intake import SESSION_KEY
from referrals.matching import MatchReviewError, match_review_resolve
from referrals.models import Person, PersonMatchReview, Referral
from tests.conftest import make_user
from tests.queries import assert_same_queries, counted
from tests.referrals.conftest import new_referral
from tests.referrals.test_intake import person_answers, start, url, walk_after_person

pytestmark = pytest.mark.django_db

HIDDEN_NOTICE = "A possible match exists. A supervisor or a user with the identity grant must"
REVIEWS = reverse("referrals:match-review-list")


def review_url(review):
    return reverse("referrals:match-review", kwargs={"pk": review.pk})


@pytest.fixture
def earlier(reference_data):
    """Jamie Testwood, born 1 May 2010, of Dover, referred before, managed by someone."""
    owner = make_user("other-manager", "channel")
    return new_referral(
        actor=owner, given="Jamie", family="Testwood", born=date(2010, 5, 1), district="Dover"
    )


def signed_in(client, username, *roles, grant=False):
    user = make_user(username, *roles, can_see_identities=grant)
    client.force_login(user)
    return user


def probe(client, **answers):
    """Start a journey and type a name and date of birth; returns the match page."""
    start(client)
    response = client.post(url("person"), person_answers(**answers))
    assert response["Location"] == url("match"), response["Location"]
    return client.get(url("match"))


# -- what the match page shows -----------------------------------------------------


def test_without_the_grant_the_match_page_names_no_person_and_no_case(client, earlier):
    signed_in(client, "no-grant", "channel")
    page = probe(client, given_names="Jo").content.decode()
    assert HIDDEN_NOTICE in page
    # Nothing of the person on record nor of their cases: not even masked.
    for shown in (earlier.reference, "J. T.", "Dover", "Islamist", "1 May 2010", "Jamie"):
        assert shown not in page, shown
    assert str(earlier.person_id) not in page
    assert "Is this one of these people?" not in page


def test_a_supervisor_without_the_grant_is_not_shown_the_match_either(client, earlier):
    signed_in(client, "sup-no-grant", "coordinator")
    page = probe(client).content.decode()
    assert HIDDEN_NOTICE in page and earlier.reference not in page


def test_with_the_grant_and_in_scope_the_match_and_its_cases_are_shown(client, earlier):
    signed_in(client, "granted", "channel", grant=True)
    page = probe(client, given_names="JAMIE").content.decode()
    assert "Jamie Testwood, born 1 May 2010" in page
    assert earlier.reference in page
    assert HIDDEN_NOTICE not in page


def test_in_assigned_scope_a_match_outside_the_caseload_is_not_shown_even_with_the_grant(
    client, earlier, settings
):
    settings.REFERRALS_SCOPE = "assigned"
    signed_in(client, "granted-assigned", "channel", grant=True)
    page = probe(client).content.decode()
    assert HIDDEN_NOTICE in page
    for shown in (earlier.reference, "Jamie Testwood", "1 May 2010", "Dover"):
        assert shown not in page, shown


def test_in_assigned_scope_only_the_cases_of_the_caseload_are_listed(client, earlier, settings):
    settings.REFERRALS_SCOPE = "assigned"
    user = signed_in(client, "granted-mine", "channel", grant=True)
    mine = new_referral(actor=user, person=earlier.person, received=date(2026, 4, 1))
    page = probe(client).content.decode()
    assert "Jamie Testwood" in page and mine.reference in page
    assert earlier.reference not in page  # the person's other case is not in the caseload
    # The person is shown; a supervisor need not confirm anything.
    assert HIDDEN_NOTICE not in page


def test_a_crafted_post_cannot_link_the_referral_to_a_person_not_shown(client, earlier):
    signed_in(client, "crafty", "channel")
    probe(client)
    response = client.post(url("match"), {"person": str(earlier.person_id)})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "match" not in client.session[SESSION_KEY]["steps"]


# -- audit -------------------------------------------------------------------------


def test_every_lookup_is_audited_with_the_fields_and_counts_never_the_values(client, earlier):
    user = signed_in(client, "audited", "channel")
    probe(client, given_names="Jo")
    start(client)
    client.post(url("person"), person_answers(given_names="Nobody", family_name="Elsewhere"))
    events = list(AuditEvent.objects.filter(verb=AuditEvent.Verb.LOOKUP).order_by("id"))
    assert [event.actor for event in events] == [user, user]
    first, second = (event.changes for event in events)
    assert first == {
        "fields": ["family_name", "given_names", "date_of_birth"],
        "matches": 1,
        "shown": 0,
        "not_shown": 1,
    }
    assert second["matches"] == 0
    typed = ("Jo", "Testwood", "Nobody", "Elsewhere", "2010-05-01", "1 May 2010")
    for event in AuditEvent.objects.all():
        text = f"{event.summary} {event.changes} {event.path}"
        assert not any(value in text for value in typed), text


def test_opening_the_match_page_again_is_not_another_lookup(client, earlier):
    signed_in(client, "reader", "channel", grant=True)
    probe(client)
    client.get(url("match"))
    client.get(url("check"))
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.LOOKUP).count() == 1


def test_an_approximate_age_compares_names_only(client, earlier):
    signed_in(client, "age-only", "channel")
    probe(client, date_of_birth="", approximate_age="15")
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.LOOKUP)
    assert event.changes["fields"] == ["family_name", "given_names"]


def test_many_lookups_in_a_short_time_raise_an_alert(client, earlier, settings):
    settings.UNUSUAL_ACCESS_LOOKUPS_MIN = 3
    user = signed_in(client, "prober", "channel")
    start(client)
    for number in range(4):
        client.post(url("person"), person_answers(given_names=f"Guess{number}"))
    alert = SecurityAlert.objects.get()
    assert (alert.user, alert.kind, alert.case_count) == (user, SecurityAlert.Kind.LOOKUPS, 4)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UNUSUAL_ACCESS)
    assert "likely-match lookups" in event.summary


def test_a_journey_saved_before_lookups_were_recorded_asks_for_the_person_again(client, earlier):
    signed_in(client, "old-journey", "channel")
    start(client)
    client.post(url("person"), person_answers())
    session = client.session
    del session[SESSION_KEY]["matches"]
    session.save()
    assert client.get(url("check"))["Location"] == url("person")


# -- recording a referral while a match was not shown -------------------------------


def record_with_hidden_match(client, **answers):
    probe(client, **answers)
    response = client.post(url("match"), {"person": "new"})
    assert response["Location"] == url("person-details")
    check = walk_after_person(client).content.decode()
    assert "marked for a supervisor or a user with the identity grant to check" in check
    client.post(url("check"), {"token": client.session[SESSION_KEY]["token"]})
    return Referral.objects.latest("created_at")


def test_the_referral_is_recorded_for_a_new_person_and_a_review_is_opened(client, earlier):
    user = signed_in(client, "recorder", "channel")
    referral = record_with_hidden_match(client, given_names="Jo")
    assert referral.person_id != earlier.person_id
    review = PersonMatchReview.objects.get()
    assert review.referral == referral and review.status == PersonMatchReview.Status.OPEN
    assert list(review.candidates.all()) == [earlier.person]
    assert review.opened_by == user
    event = AuditEvent.objects.get(
        verb=AuditEvent.Verb.CREATE, target_type="referrals.personmatchreview"
    )
    assert event.changes == {"candidates": {"old": None, "new": 1}}
    # The case page says so, without naming anyone, and offers no link to this user.
    page = client.get(reverse("referrals:referral-detail", kwargs={"pk": referral.pk}))
    text = page.content.decode()
    assert "may already be on record" in text and review_url(review) not in text
    assert earlier.reference not in text


def test_choosing_a_person_shown_opens_no_review(client, earlier):
    signed_in(client, "chooser", "channel", grant=True)
    probe(client)
    client.post(url("match"), {"person": str(earlier.person_id)})
    assert not PersonMatchReview.objects.exists()


def test_choosing_new_when_every_match_was_shown_opens_no_review(client, earlier):
    signed_in(client, "sees-all", "channel", grant=True)
    probe(client)
    client.post(url("match"), {"person": "new"})
    walk_after_person(client)
    client.post(url("check"), {"token": client.session[SESSION_KEY]["token"]})
    assert Person.objects.count() == 2 and not PersonMatchReview.objects.exists()


# -- confirming ----------------------------------------------------------------------


@pytest.fixture
def review(client, earlier):
    signed_in(client, "recorder", "channel")
    record_with_hidden_match(client, given_names="Jo")
    client.logout()
    return PersonMatchReview.objects.get()


@pytest.mark.parametrize(
    "roles, grant",
    [
        (("coordinator",), False),  # a supervisor without the grant
        (("channel",), False),
        (("board",), True),
        (("admin",), True),
    ],
)
def test_the_review_pages_are_403_without_the_grant_or_the_role(client, review, roles, grant):
    signed_in(client, "refused", *roles, grant=grant)
    assert client.get(REVIEWS).status_code == 403
    assert client.get(review_url(review)).status_code == 403
    assert client.post(review_url(review), {"same_as": "new", "confirm": "yes"}).status_code == 403
    review.refresh_from_db()
    assert review.status == PersonMatchReview.Status.OPEN


def test_in_assigned_scope_a_case_manager_with_the_grant_cannot_confirm(client, review, settings):
    settings.REFERRALS_SCOPE = "assigned"
    signed_in(client, "assigned-granted", "channel", grant=True)
    assert client.get(REVIEWS).status_code == 403


def test_an_unknown_review_is_404(client, review):
    import uuid

    signed_in(client, "sup", "coordinator", grant=True)
    missing = reverse("referrals:match-review", kwargs={"pk": uuid.uuid4()})
    assert client.get(missing).status_code == 404


def test_a_supervisor_with_the_grant_sees_the_review_and_both_records(client, review, earlier):
    signed_in(client, "sup", "coordinator", grant=True)
    listing = client.get(REVIEWS).content.decode()
    assert review.referral.reference in listing and review_url(review) in listing
    page = client.get(review_url(review)).content.decode()
    assert "Jo Testwood" in page and "Jamie Testwood" in page
    assert earlier.reference in page and "1 May 2010" in page
    # Comparing the records is a view of both people's cases: audited.
    viewed = set(
        AuditEvent.objects.filter(verb=AuditEvent.Verb.VIEW).values_list("target_id", flat=True)
    )
    assert {str(review.referral_id), str(earlier.person_id)} <= viewed
    # The GET changed nothing.
    review.refresh_from_db()
    assert review.status == PersonMatchReview.Status.OPEN


def test_confirming_the_same_person_moves_the_referral_after_a_confirmation(
    client, review, earlier
):
    user = signed_in(client, "sup", "coordinator", grant=True)
    referral = review.referral
    provisional = referral.person
    version = referral.version
    # First the choice, then a confirmation page: nothing changes yet.
    confirm = client.post(review_url(review), {"same_as": str(earlier.person_id)})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Move referral" in text and "Jamie Testwood" in text
    review.refresh_from_db()
    assert review.status == PersonMatchReview.Status.OPEN
    done = client.post(review_url(review), {"same_as": str(earlier.person_id), "confirm": "yes"})
    assert done["Location"] == reverse("referrals:referral-detail", kwargs={"pk": referral.pk})
    referral.refresh_from_db()
    review.refresh_from_db()
    assert referral.person_id == earlier.person_id and referral.version == version + 1
    assert not Person.objects.filter(pk=provisional.pk).exists()
    assert (review.status, review.resolved_by) == (PersonMatchReview.Status.SAME_PERSON, user)
    assert review.resolved_at is not None
    moved = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(referral.pk))
    assert moved.changes["person"] == {"old": str(provisional.pk), "new": str(earlier.person_id)}
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.DELETE, target_id=str(provisional.pk)
    ).exists()
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE, target_id=str(review.pk)).exists()
    # A second submission changes nothing and says so.
    again = client.post(review_url(review), {"same_as": "new", "confirm": "yes"})
    assert "already been confirmed" in again.content.decode()
    review.refresh_from_db()
    assert review.status == PersonMatchReview.Status.SAME_PERSON


def test_confirming_a_new_person_keeps_the_record(client, review):
    signed_in(client, "sup", "chair", grant=True)
    person = review.referral.person_id
    client.post(review_url(review), {"same_as": "new", "confirm": "yes"})
    review.refresh_from_db()
    assert review.status == PersonMatchReview.Status.NEW_PERSON
    assert Referral.objects.get(pk=review.referral_id).person_id == person
    assert "There are no possible matches to confirm" in client.get(REVIEWS).content.decode()


def test_a_choice_that_is_not_a_candidate_is_refused_with_an_error(client, review):
    signed_in(client, "sup", "coordinator", grant=True)
    other = new_referral(given="Someone", family="Else", born=date(2001, 1, 1))
    for choice in ("", str(other.person_id), "not-an-id"):
        response = client.post(review_url(review), {"same_as": choice, "confirm": "yes"})
        text = response.content.decode()
        assert "govuk-error-summary" in text
        assert "Select the person on record, or that this is a new person" in text
    review.refresh_from_db()
    assert review.status == PersonMatchReview.Status.OPEN


def test_the_service_refuses_someone_who_may_not_confirm(review, earlier):
    user = make_user("svc-no-grant", "coordinator")
    with pytest.raises(MatchReviewError):
        match_review_resolve(actor=user, review=review, same_as=earlier.person)
    review.refresh_from_db()
    assert review.status == PersonMatchReview.Status.OPEN


def test_my_work_shows_the_open_reviews_to_those_who_may_confirm(client, review):
    signed_in(client, "sup", "coordinator", grant=True)
    page = client.get(reverse("worklist:index")).content.decode()
    assert "1 possible match to confirm" in page and REVIEWS in page
    signed_in(client, "sup-without", "coordinator")
    assert "possible match" not in client.get(reverse("worklist:index")).content.decode()


def test_the_case_page_links_those_who_may_confirm_to_the_review(client, review):
    signed_in(client, "sup", "coordinator", grant=True)
    page = client.get(reverse("referrals:referral-detail", kwargs={"pk": review.referral_id}))
    assert review_url(review) in page.content.decode()


def test_disposing_of_the_case_removes_its_review(review):
    from retention.services import remove_personal_data

    removed = remove_personal_data(review.referral)
    assert removed["possible matches"] == 1
    assert not PersonMatchReview.objects.exists()


def test_the_review_list_query_count_does_not_grow(client, earlier):
    """The same number of queries with 1 and with 8 possible matches to confirm."""

    recorder = make_user("bulk-recorder", "channel")
    signed_in(client, "sup", "coordinator", grant=True)
    client.get(REVIEWS)  # the session's first request writes it: not part of the page

    def add_reviews(count):
        for _ in range(count):
            number = PersonMatchReview.objects.count()
            referral = new_referral(actor=recorder, given=f"Jo{number}", family="Testwood")
            review = PersonMatchReview.objects.create(referral=referral, opened_by=recorder)
            review.candidates.set([earlier.person])

    def queries_of_the_list(expected):
        with counted() as queries:
            page = client.get(REVIEWS)
        assert page.content.decode().count('href="/referrals/possible-matches/') == expected
        return queries

    add_reviews(1)
    small = queries_of_the_list(1)
    add_reviews(7)
    large = queries_of_the_list(8)
    assert_same_queries(small, large, at_most=9)


def test_a_new_person_is_found_when_the_names_differ_only_in_case(client, earlier):
    signed_in(client, "cases", "channel")
    start(client)
    response = client.post(
        url("person"),
        person_answers(given_names="jamie", family_name="TESTWOOD"),
    )
    assert response["Location"] == url("match")


def test_the_match_page_query_count_does_not_grow(client, reference_data):
    """The people shown and their cases are read in a fixed number of queries: the same
    with one match of one case as with five matches of five cases each."""
    user = signed_in(client, "budget", "channel", grant=True)

    def add_people(count):
        for number in range(count):
            first = new_referral(
                actor=user, given="Jamie", family="Testwood", born=date(2010, 5, 1 + number)
            )
            for extra in range(count - 1):
                new_referral(actor=user, person=first.person, received=date(2026, 4, 1 + extra))

    def queries_of_the_match_page(expected_people):
        probe(client)
        with counted() as queries:
            page = client.get(url("match"))
        assert page.content.decode().count("Jamie Testwood, born") == expected_people
        return queries

    add_people(1)
    small = queries_of_the_match_page(1)
    add_people(5)
    large = queries_of_the_match_page(6)
    assert_same_queries(small, large, at_most=12)
