"""A 404 on a URL that names a case-work record is audited, and many raise an alert.

Probing for case ids (guessing UUIDs, or asking for cases outside one's scope) must leave
a trace. The trace names the URL pattern, never the id that was asked for: a guessed id
may be a real case of someone else's caseload.
"""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent, SecurityAlert
from tests.audit.test_case_ids import case_patterns
from tests.conftest import make_user, reauthenticated
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

NOT_FOUND = AuditEvent.Verb.NOT_FOUND


def not_found_events():
    return list(AuditEvent.objects.filter(verb=NOT_FOUND).order_by("id"))


def test_an_unknown_case_is_audited_with_the_url_name_and_never_the_id(client_as, reference_data):
    client = client_as("channel")
    guessed = uuid.uuid4()
    response = client.get(reverse("referrals:referral-detail", kwargs={"pk": guessed}))
    assert response.status_code == 404
    (event,) = not_found_events()
    assert event.actor.username == "channel"
    assert event.summary == "Not found: referrals:referral-detail"
    assert event.changes == {"url_name": "referrals:referral-detail", "method": "GET"}
    assert event.path == "/referrals/case/<uuid:pk>/"
    assert (event.target_type, event.target_id) == ("", "")
    for value in (str(guessed), guessed.hex):
        assert value not in f"{event.summary} {event.changes} {event.path} {event.target_id}"


def test_a_case_outside_the_scope_is_audited_the_same_way(client, reference_data, settings):
    settings.REFERRALS_SCOPE = "assigned"
    theirs = new_referral(actor=make_user("owner", "channel"), born=date(2011, 1, 1))
    client.force_login(make_user("outsider", "channel"))
    url = reverse("casework:notes", kwargs={"pk": theirs.pk})
    assert client.get(url).status_code == 404
    (event,) = not_found_events()
    assert event.changes["url_name"] == "casework:notes"
    assert str(theirs.pk) not in f"{event.summary} {event.changes} {event.path}"


def test_a_404_on_a_url_without_a_case_id_is_not_a_case_probe(client_as, reference_data):
    client = client_as("coordinator")
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/referrals/case/not-a-uuid/").status_code == 404
    assert client.get(reverse("training:session-detail", kwargs={"pk": 999999})).status_code == 404
    assert not_found_events() == []


def case_url_names() -> list[str]:
    from django.urls.converters import UUIDConverter

    return sorted(
        name
        for name, _route, converters in case_patterns()
        if any(isinstance(converter, UUIDConverter) for converter in converters.values())
    )


@pytest.fixture
def everything_user(client, reference_data):
    """Every role and both grants: nothing is refused, so an unknown id is the only 404."""
    user = make_user(
        "all-roles",
        "coordinator",
        "chair",
        "channel",
        "support",
        "admin",
        can_see_identities=True,
        can_make_subject_access=True,
    )
    client.force_login(user)
    return client


def test_there_are_case_urls_to_probe():
    assert {"referrals:referral-detail", "channel:meeting-detail", "disclosures:sar-review"} <= set(
        case_url_names()
    )


@pytest.mark.parametrize("name", case_url_names())
def test_every_case_url_with_an_unknown_id_is_audited(everything_user, name):
    converters = next(found for n, _route, found in case_patterns() if n == name)
    kwargs = {key: uuid.uuid4() for key in converters}
    url = reverse(name, kwargs=kwargs)
    reauthenticated(everything_user)  # case exports ask for a fresh confirmation first
    response = everything_user.get(url)
    if response.status_code == 405:  # a POST-only view
        response = everything_user.post(url)
    assert response.status_code == 404, (name, response.status_code)
    events = not_found_events()
    assert [event.changes["url_name"] for event in events] == [name]
    text = f"{events[0].summary} {events[0].changes} {events[0].path}"
    assert not any(str(value) in text for value in kwargs.values())


def test_many_case_404s_in_a_short_time_raise_an_alert(client, reference_data, settings):
    settings.UNUSUAL_ACCESS_NOT_FOUND_MIN = 3
    prober = make_user("guesser", "channel")
    client.force_login(prober)
    for _ in range(3):
        client.get(reverse("referrals:referral-detail", kwargs={"pk": uuid.uuid4()}))
    assert not SecurityAlert.objects.exists()
    client.get(reverse("worklist:case-tasks", kwargs={"pk": uuid.uuid4()}))
    alert = SecurityAlert.objects.get()
    assert (alert.user, alert.kind, alert.case_count) == (prober, SecurityAlert.Kind.NOT_FOUND, 4)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UNUSUAL_ACCESS)
    assert "case pages that do not exist or are out of scope" in event.summary
    # One alert per window: more guesses raise no second one.
    client.get(reverse("referrals:referral-detail", kwargs={"pk": uuid.uuid4()}))
    assert SecurityAlert.objects.count() == 1
