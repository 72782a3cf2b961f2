from datetime import date

import pytest
from django.urls import reverse

from referrals.models import Referral, ReferralEvent
from referrals.services import referral_transition
from tests.conftest import make_user
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db


def detail(referral):
    return reverse("referrals:referral-detail", kwargs={"pk": referral.pk})


@pytest.fixture
def channel(client_as, persona, reference_data):
    return client_as("channel")


def post_step(client, referral, to_status, *, on="2026-04-01", version=None, **extra):
    data = {
        "to_status": to_status,
        "reason": extra.pop("reason", "Gateway check done"),
        "occurred_on": on,
        "version": referral.version if version is None else version,
        "signposted_to": extra.pop("signposted_to", ""),
    }
    return client.post(detail(referral), data)


def test_case_page_offers_only_the_steps_allowed_from_the_status(channel):
    referral = new_referral()
    content = channel.get(detail(referral)).content.decode()
    assert "Record the next step" in content
    assert 'value="police_gateway"' in content
    assert 'value="no_further_action"' not in content
    assert f'name="version" value="{referral.version}"' in content


def _step_form(content: str) -> str:
    return content.split('id="next-step"')[1].split("</form>")[0]


def test_the_kept_step_form_is_shared_by_status_and_version_and_never_holds_a_token(
    channel, client_as
):
    first, second = new_referral(family="First"), new_referral(family="Second")
    one = _step_form(channel.get(detail(first)).content.decode())
    other = client_as("coordinator")
    two = _step_form(other.get(detail(second)).content.decode())
    # Each user's own token, written by the page around the kept fields.
    token = 'name="csrfmiddlewaretoken" value="'
    assert one.split(token)[1][:20] != two.split(token)[1][:20]
    assert one.count(token) == two.count(token) == 1
    assert one.split(token)[1].split('"', 1)[1] == two.split(token)[1].split('"', 1)[1]

    # A step later (another status, another version) the form is not the kept one.
    assert post_step(channel, first, "police_gateway").status_code == 302
    moved = _step_form(channel.get(detail(first)).content.decode())
    assert 'value="information_gathering"' in moved and 'value="police_gateway"' not in moved
    assert 'name="version" value="2"' in moved

    # An edit elsewhere moves the version without a step: the form follows it, or its
    # next step would be refused as made on an old copy.
    Referral.objects.filter(pk=second.pk).update(version=5)
    edited = _step_form(other.get(detail(second)).content.decode())
    assert 'name="version" value="5"' in edited


def test_a_sent_step_form_shows_its_values_and_errors(channel):
    referral = new_referral()
    channel.get(detail(referral))  # the unsent form is kept
    response = post_step(channel, referral, "police_gateway", reason="", on="2026-04-01")
    form = _step_form(response.content.decode())
    assert "Enter the reason for this step" in form
    assert 'value="police_gateway"' in form and "checked" in form
    assert Referral.objects.get(pk=referral.pk).status == "received"


def test_recording_a_step_moves_the_case_and_shows_it_on_the_timeline(channel, persona):
    referral = new_referral()
    response = post_step(channel, referral, "police_gateway", reason="Sent to the invented desk")
    assert response.status_code == 302
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == ("police_gateway", 2)
    event = ReferralEvent.objects.get(referral=referral)
    assert event.actor == persona("channel")
    content = channel.get(detail(referral)).content.decode()
    assert "Recorded: Police gateway assessment" in content
    assert "moj-timeline__item" in content
    assert "Sent to the invented desk" in content and "1 April 2026" in content
    assert 'value="information_gathering"' in content


def test_timeline_lists_the_newest_step_first(channel):
    referral = new_referral()
    referral_transition(
        actor=None,
        referral=referral,
        to_status="police_gateway",
        reason="First",
        occurred_on=date(2026, 4, 1),
        expected_version=1,
    )
    referral_transition(
        actor=None,
        referral=referral,
        to_status="information_gathering",
        reason="Second",
        occurred_on=date(2026, 4, 8),
        expected_version=2,
    )
    content = channel.get(detail(referral)).content.decode()
    assert content.index("8 April 2026") < content.index("1 April 2026")


def test_an_illegal_step_is_refused_with_a_message_and_changes_nothing(channel):
    referral = new_referral()
    referral_transition(
        actor=None,
        referral=referral,
        to_status="police_gateway",
        reason="Sent",
        occurred_on=date(2026, 4, 1),
        expected_version=1,
    )
    response = post_step(channel, referral, "consent", version=2)
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "cannot move to “Consent”" in content
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == ("police_gateway", 2)
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


def test_a_stale_version_shows_the_conflict_message_and_changes_nothing(channel):
    referral = new_referral()
    referral_transition(
        actor=None,
        referral=referral,
        to_status="police_gateway",
        reason="Someone else",
        occurred_on=date(2026, 4, 1),
        expected_version=1,
    )
    response = post_step(channel, referral, "information_gathering", version=1)
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert "This case was changed by someone else while you were working on it." in content
    assert 'name="version" value="2"' in content  # a second try uses the latest version
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == ("police_gateway", 2)
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on": "2099-01-01"}, "The date of the step must be today or in the past"),
        ({"on": "2026-03-01"}, "The date of the step must be on or after the date received"),
        ({"on": "2026-02-31"}, "Enter the date of the step as a real date"),
        ({"reason": ""}, "Enter the reason for this step"),
    ],
)
def test_form_errors_appear_in_the_error_summary_and_change_nothing(channel, data, message):
    referral = new_referral(received=date(2026, 3, 2))
    response = post_step(channel, referral, "police_gateway", **data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content and message in content
    assert content.count(message) >= 1
    assert Referral.objects.get(pk=referral.pk).status == "received"
    assert not ReferralEvent.objects.filter(referral=referral).exists()


def test_signposting_without_the_service_is_refused(channel):
    referral = new_referral()
    Referral.objects.filter(pk=referral.pk).update(status="police_gateway")
    referral.refresh_from_db()
    content = post_step(channel, referral, "signposted").content.decode()
    assert "Enter the service the person was signposted to" in content
    assert Referral.objects.get(pk=referral.pk).status == "police_gateway"


def test_an_exit_shows_the_disposal_date_on_the_case(channel, settings):
    settings.REFERRAL_RETENTION_YEARS = 6
    referral = new_referral()
    Referral.objects.filter(pk=referral.pk).update(status="police_gateway")
    referral.refresh_from_db()
    post_step(channel, referral, "no_further_action", on="2026-04-02")
    content = channel.get(detail(referral)).content.decode()
    assert "Disposal review due" in content and "2 April 2032" in content
    assert "No further step can be recorded" in content
    assert "Record the next step" not in content


def test_get_never_changes_the_case(channel):
    referral = new_referral()
    channel.get(detail(referral), {"to_status": "police_gateway", "version": 1})
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == ("received", 1)
    assert not ReferralEvent.objects.exists()


def test_a_user_who_may_view_but_not_manage_cannot_post(client, reference_data, monkeypatch):
    from prevent_portal.accounts import roles
    from referrals import views

    user = make_user("viewer", "channel")
    client.force_login(user)
    referral = new_referral()

    def only_view(who, perm):
        return perm == roles.Perm.CASES_VIEW

    monkeypatch.setattr(views, "has_perm", only_view)
    monkeypatch.setattr("prevent_portal.accounts.permissions.has_perm", only_view, raising=False)
    assert "Record the next step" not in client.get(detail(referral)).content.decode()
    assert post_step(client, referral, "police_gateway").status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == "received"


@pytest.mark.parametrize("name", ["board", "education", "community", "support", "admin"])
def test_other_roles_cannot_record_a_step(client_as, reference_data, name):
    referral = new_referral()
    assert post_step(client_as(name), referral, "police_gateway").status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == "received"


@pytest.mark.parametrize("steps", [3, 40])
def test_case_page_query_budget_does_not_grow_with_the_steps(
    channel, django_assert_max_num_queries, steps
):
    referral = new_referral()
    Referral.objects.filter(pk=referral.pk).update(status="reviewed")
    ReferralEvent.objects.bulk_create(
        ReferralEvent(
            referral=referral,
            from_status="reviewed",
            to_status="reviewed",
            occurred_on=date(2026, 4, 1),
            reason=f"Review {index}",
            actor=make_user(f"actor{index}", "channel") if index < 3 else None,
        )
        for index in range(steps)
    )
    channel.get(detail(referral))  # reads the reference rows into the cache, as any first view
    with django_assert_max_num_queries(18):
        response = channel.get(detail(referral))
    assert response.content.decode().count("moj-timeline__item") == steps


def test_a_stale_tab_choosing_a_step_no_longer_offered_sees_the_conflict(channel):
    referral = new_referral()
    Referral.objects.filter(pk=referral.pk).update(status="police_gateway")
    referral.refresh_from_db()
    referral_transition(
        actor=None,
        referral=referral,
        to_status="information_gathering",
        reason="Someone else",
        occurred_on=date(2026, 4, 1),
        expected_version=1,
    )
    content = post_step(channel, referral, "information_gathering", version=1).content.decode()
    assert "This case was changed by someone else" in content
    assert "Select one of the steps" not in content
    assert Referral.objects.get(pk=referral.pk).version == 2
