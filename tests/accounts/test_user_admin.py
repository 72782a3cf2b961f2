"""User administration (Perm.USERS_MANAGE): list, create, edit, deactivate, reactivate."""

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from prevent_portal.accounts.models import User
from prevent_portal.accounts.services import AccountError, user_deactivate, user_update
from prevent_portal.audit.models import AuditEvent
from tests.conftest import make_user, sign_in_with_mfa

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "jamie.testwood",
    "first_name": "Jamie",
    "last_name": "Testwood",
    "email": "jamie.testwood@example.org",
    "organisation": "Invented Academy",
    "roles": ["education"],
    "can_see_identities": "",
    "can_make_subject_access": "",
}


def edit_data(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email or "someone@example.org",
        "organisation": user.organisation,
        "roles": user.role_codes,
        "version": user.version,
    }
    data.update(changes)
    return data


def test_the_list_shows_roles_and_status_and_filters(client_as):
    client = client_as("admin")
    make_user("retired.one", "board", is_active=False)
    body = client.get(reverse("accounts:user-list")).content.decode()
    assert "Administrator" in body and "Board member" in body
    assert "Deactivated" in body
    filtered = client.get(reverse("accounts:user-list"), {"is_active": "false"}).content.decode()
    assert "retired.one" in filtered and ">admin<" not in filtered
    by_role = client.get(reverse("accounts:user-list"), {"role": "board"}).content.decode()
    assert "retired.one" in by_role and ">admin<" not in by_role


def test_a_bad_filter_shows_an_error_not_a_500(client_as):
    response = client_as("admin").get(reverse("accounts:user-list"), {"role": "emperor"})
    assert response.status_code == 200
    assert "No users match" in response.content.decode()


@pytest.mark.parametrize("extra_users", [3, 30])
def test_the_list_has_a_fixed_query_budget(client_as, django_assert_max_num_queries, extra_users):
    client = client_as("admin")
    for number in range(extra_users):
        make_user(f"sample{number}", "board", "education")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:user-list"))
    assert response.status_code == 200


def test_the_list_is_paginated(client_as, settings):
    settings.PAGINATE_BY = 2
    client = client_as("admin")
    for number in range(4):
        make_user(f"sample{number}", "board")
    assert "Page 1 of 3" in client.get(reverse("accounts:user-list")).content.decode()


def test_an_administrator_creates_a_user_who_is_sent_a_link(client_as):
    client = client_as("admin")
    response = client.post(reverse("accounts:user-create"), NEW_USER)
    user = User.objects.get(username="jamie.testwood")
    assert response["Location"] == reverse("accounts:user-detail", args=[user.pk])
    assert user.role_codes == ["education"]
    assert user.is_active and not user.can_see_identities
    assert mail.outbox[0].to == ["jamie.testwood@example.org"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, target_id=str(user.pk))
    assert event.changes["roles"] == {"old": None, "new": ["education"]}


def test_a_second_create_with_the_same_username_makes_one_user(client_as):
    client = client_as("admin")
    client.post(reverse("accounts:user-create"), NEW_USER)
    again = client.post(reverse("accounts:user-create"), NEW_USER)
    assert "A user with that username already exists" in again.content.decode()
    assert User.objects.filter(username="jamie.testwood").count() == 1


def test_bad_input_shows_errors_and_saves_nothing(client_as):
    client = client_as("admin")
    response = client.post(
        reverse("accounts:user-create"),
        {**NEW_USER, "username": "no spaces", "email": "nope", "roles": []},
    )
    body = response.content.decode()
    assert "<title>Error: Add a user" in body
    assert "Select at least one role" in body
    assert "Enter an email address in the correct format" in body
    assert "Enter a username using only letters" in body
    assert not User.objects.filter(first_name="Jamie").exists()


def test_editing_roles_that_give_no_case_access_is_audited_and_ends_the_users_sessions(
    client_as, persona
):
    target = persona("education")
    elsewhere = Client()
    sign_in_with_mfa(elsewhere, "education")
    client = client_as("admin")
    response = client.post(
        reverse("accounts:user-edit", args=[target.pk]),
        edit_data(target, roles=["education", "board"]),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert sorted(target.role_codes) == ["board", "education"]
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(target.pk))
    assert event.changes["roles"] == {"old": ["education"], "new": ["board", "education"]}
    assert elsewhere.get(reverse("reporting:dashboard")).status_code == 302


def test_removing_a_role_or_a_grant_takes_effect_at_once(client_as, persona):
    target = make_user("two.roles", "channel", "board", can_see_identities=True)
    response = client_as("admin").post(
        reverse("accounts:user-edit", args=[target.pk]), edit_data(target, roles=["board"])
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role_codes == ["board"] and not target.can_see_identities
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(target.pk))
    assert event.changes["can_see_identities"] == {"old": True, "new": False}


@pytest.mark.parametrize(
    "change",
    [
        {"roles": ["education", "coordinator"]},
        {"roles": ["education", "chair"]},
        {"roles": ["education", "channel"]},
        {"roles": ["education", "support"]},
        {"can_see_identities": "on"},
        {"can_make_subject_access": "on"},
    ],
)
def test_an_administrator_cannot_give_case_access_alone(client_as, persona, change):
    """A case role or either grant asked for on the edit page is not given: the account
    holds exactly what it held, and the banner says a second person must approve."""
    target = persona("education")
    User.objects.filter(pk=target.pk).update(email="sam@example.org")
    target.refresh_from_db()
    elsewhere = Client()
    sign_in_with_mfa(elsewhere, "education")
    client = client_as("admin")
    response = client.post(
        reverse("accounts:user-edit", args=[target.pk]), edit_data(target, **change)
    )
    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.role_codes == ["education"]
    assert not target.can_see_identities and not target.can_make_subject_access
    banner = client.get(response["Location"]).content.decode()
    assert "Case access waits for a second person" in banner
    # Nothing the user may see changed: their session goes on.
    assert elsewhere.get(reverse("reporting:dashboard")).status_code == 200


def test_a_new_user_gets_no_case_access_from_the_administrator_alone(client_as):
    client = client_as("admin")
    response = client.post(
        reverse("accounts:user-create"),
        {**NEW_USER, "roles": ["channel", "board"], "can_see_identities": "on"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="jamie.testwood")
    assert user.role_codes == ["board"] and not user.can_see_identities
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, target_id=str(user.pk))
    assert event.changes["roles"] == {"old": None, "new": ["board"]}
    assert (
        "Case access waits for a second person" in client.get(response["Location"]).content.decode()
    )


@pytest.mark.parametrize(
    "change",
    [
        {"roles": ["admin", "coordinator"]},
        {"roles": ["board"]},
        {"can_see_identities": "on"},
        {"can_make_subject_access": "on"},
    ],
)
def test_nobody_may_change_their_own_roles_or_grants(client_as, change):
    client = client_as("admin")
    admin = User.objects.get(username="admin")
    sessions_before = Session.objects.count()
    response = client.post(
        reverse("accounts:user-edit", args=[admin.pk]), edit_data(admin, **change)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Change" in body and "govuk-error-summary" in body
    assert "You cannot change your own roles or grants" in body
    admin = User.objects.get(pk=admin.pk)
    assert admin.role_codes == ["admin"]
    assert not admin.can_see_identities and not admin.can_make_subject_access
    # The refusal is audited; the administrator stays signed in.
    refused = AuditEvent.objects.get(verb=AuditEvent.Verb.ACCESS_DENIED, target_id=str(admin.pk))
    assert refused.actor == admin and "their own account" in refused.summary
    assert Session.objects.count() == sessions_before
    assert client.get(reverse("accounts:user-list")).status_code == 200


def test_an_administrator_may_change_their_own_details(client_as):
    client = client_as("admin")
    admin = User.objects.get(username="admin")
    response = client.post(
        reverse("accounts:user-edit", args=[admin.pk]),
        edit_data(admin, first_name="Renamed", email="admin.new@example.org"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=admin.pk).first_name == "Renamed"
    assert client.get(reverse("accounts:user-list")).status_code == 200  # still signed in


def test_an_email_change_tells_the_old_address_and_ends_the_users_sessions(client_as, persona):
    target = persona("channel")
    User.objects.filter(pk=target.pk).update(email="jordan.old@example.org")
    target.refresh_from_db()
    elsewhere = Client()
    sign_in_with_mfa(elsewhere, "channel")
    client = client_as("admin")
    response = client.post(
        reverse("accounts:user-edit", args=[target.pk]),
        edit_data(target, email="taken.over@example.org"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).email == "taken.over@example.org"
    [notice] = mail.outbox
    assert notice.to == ["jordan.old@example.org"]
    assert "taken.over@example.org" in notice.body
    assert "Admin Testperson" in notice.body  # who made the change
    assert elsewhere.get(reverse("reporting:dashboard")).status_code == 302
    banner = client.get(response["Location"]).content.decode()
    assert "Their old email address has been told, and their sessions have ended" in banner


def test_an_email_change_that_cannot_be_announced_changes_nothing(client_as, persona, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_user_admin.FailingBackend"
    target = persona("channel")
    User.objects.filter(pk=target.pk).update(email="jordan.old@example.org")
    target.refresh_from_db()
    response = client_as("admin").post(
        reverse("accounts:user-edit", args=[target.pk]),
        edit_data(target, email="taken.over@example.org"),
    )
    assert response.status_code == 200
    assert "could not be sent, so nothing was changed" in response.content.decode()
    assert User.objects.get(pk=target.pk).email == "jordan.old@example.org"


class FailingBackend:
    """An email backend whose server cannot be reached."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_a_stale_edit_is_refused(client_as, persona):
    target = persona("support")
    client = client_as("admin")
    stale = edit_data(target, first_name="Changed")
    client.post(
        reverse("accounts:user-edit", args=[target.pk]), edit_data(target, last_name="First")
    )
    response = client.post(reverse("accounts:user-edit", args=[target.pk]), stale)
    assert "Someone else changed this user" in response.content.decode()
    target.refresh_from_db()
    assert target.first_name != "Changed" and target.last_name == "First"


def test_deactivation_needs_a_confirmation_and_post(client_as, persona):
    target = persona("channel")
    client = client_as("admin")
    page = client.get(reverse("accounts:user-deactivate", args=[target.pk]))
    assert "will be signed out at once" in page.content.decode()
    target.refresh_from_db()
    assert target.is_active  # GET changed nothing
    client.post(reverse("accounts:user-deactivate", args=[target.pk]), {"version": target.version})
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.RETIRE, target_id=str(target.pk)).exists()
    client.post(reverse("accounts:user-reactivate", args=[target.pk]), {"version": target.version})
    target.refresh_from_db()
    assert target.is_active
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.RESTORE, target_id=str(target.pk)
    ).exists()


def test_deactivation_through_the_page_ends_sessions(client_as, persona):
    target = persona("channel")
    elsewhere = Client()
    sign_in_with_mfa(elsewhere, "channel")
    key = elsewhere.session.session_key
    client_as("admin").post(
        reverse("accounts:user-deactivate", args=[target.pk]), {"version": target.version}
    )
    assert not Session.objects.filter(session_key=key).exists()


def test_an_administrator_cannot_deactivate_themselves(persona):
    admin = persona("admin")
    with pytest.raises(AccountError, match="your own account"):
        user_deactivate(actor=admin, user=admin, version=admin.version)
    admin.refresh_from_db()
    assert admin.is_active


def test_a_stale_deactivation_shows_the_error(client_as, persona):
    target = persona("channel")
    response = client_as("admin").post(
        reverse("accounts:user-deactivate", args=[target.pk]), {"version": target.version + 5}
    )
    assert "Someone else changed this user" in response.content.decode()
    target.refresh_from_db()
    assert target.is_active


def test_update_service_refuses_a_stale_version(persona):
    admin, target = persona("admin"), persona("board")
    with pytest.raises(AccountError):
        user_update(
            actor=admin,
            user=target,
            version=target.version + 1,
            roles=["board"],
            first_name="X",
            last_name="Y",
            email="",
            organisation="",
            can_see_identities=False,
            can_make_subject_access=False,
        )


@pytest.mark.parametrize("persona_name", ["coordinator", "chair", "board", "support"])
def test_other_roles_cannot_change_users(client_as, persona, persona_name):
    target = persona("channel")
    client = client_as(persona_name)
    assert client.post(reverse("accounts:user-create"), NEW_USER).status_code == 403
    assert (
        client.post(
            reverse("accounts:user-deactivate", args=[target.pk]), {"version": target.version}
        ).status_code
        == 403
    )
    target.refresh_from_db()
    assert target.is_active
    assert not User.objects.filter(username="jamie.testwood").exists()


def test_an_unknown_user_is_404(client_as):
    assert client_as("admin").get(reverse("accounts:user-detail", args=[99999])).status_code == 404


def test_the_administrator_sees_the_users_area(client_as):
    body = client_as("admin").get(reverse("reporting:dashboard")).content.decode()
    assert ">Users</a>" in body


def test_each_persona_gets_exactly_the_accounts_pages(client_as, persona):
    # The same rule as tests/test_url_walk.py, for this app's pages alone.
    from tests.accounts.access_rules import EXPECTED, url_kwargs

    kwargs = url_kwargs()
    for persona_name in ("admin", "board", "coordinator"):
        client = client_as(persona_name)
        for name, allowed in EXPECTED.items():
            status = client.get(reverse(name, kwargs=kwargs.get(name, {}))).status_code
            assert status == (200 if persona_name in allowed else 403), (persona_name, name)


def _answer(client, response):
    """The status, and the page the browser ends on (the redirect followed)."""
    if response.status_code == 302:
        return 302, client.get(response["Location"]).content.decode()
    return response.status_code, response.content.decode()


def test_every_user_administration_change_answers_clearly(client_as, persona):
    """Each change answers a redirect to a page with a success banner saying what
    happened, or the form again (200) with an error summary saying why not; never a
    400 or 500, even when the change is to the administrator's own account."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    education, channel = persona("education"), persona("channel")
    TOTPDevice.objects.create(user=education, name="App", confirmed=True)
    TOTPDevice.objects.create(user=channel, name="App", confirmed=True)
    client = client_as("admin")
    admin = User.objects.get(username="admin")

    def post(name, user, data):
        return _answer(client, client.post(reverse(name, args=[user.pk]), data))

    status, page = _answer(client, client.post(reverse("accounts:user-create"), NEW_USER))
    assert status == 302 and "Jamie Testwood added. They have been emailed a link" in page
    status, page = post("accounts:user-edit", education, edit_data(education, first_name="Sam"))
    assert status == 302 and "Sam Testperson saved." in page
    education.refresh_from_db()
    status, page = post("accounts:user-deactivate", education, {"version": education.version})
    assert status == 302 and "deactivated: their sessions have ended" in page
    education.refresh_from_db()
    status, page = post("accounts:user-reactivate", education, {"version": education.version})
    assert status == 302 and "Sam Testperson reactivated" in page
    education.refresh_from_db()
    status, page = post("accounts:user-mfa-reset", education, {"version": education.version})
    assert status == 302 and "MFA reset for Sam Testperson: their sessions have ended" in page
    status, page = post("accounts:user-mfa-reset", channel, {"version": channel.version})
    assert status == 302 and "Reset of MFA for Channel Testperson proposed" in page
    assert "Nothing has changed yet" in page
    channel.refresh_from_db()
    status, page = post("accounts:user-edit", channel, edit_data(channel, can_see_identities="on"))
    assert status == 302 and "must approve May see identities on the Access approvals page" in page

    # Changes to one's own account: refused on the page, the administrator still signed in.
    for name, data, message in [
        ("accounts:user-edit", edit_data(admin, roles=["admin", "chair"]), "own roles"),
        ("accounts:user-deactivate", {"version": admin.version}, "your own account"),
        ("accounts:user-mfa-reset", {"version": admin.version}, "your own MFA"),
    ]:
        status, page = post(name, admin, data)
        assert status == 200, name
        assert "govuk-error-summary" in page and message in page, name
    assert client.get(reverse("accounts:user-list")).status_code == 200
    # A stale version: the form again with the conflict message.
    status, page = post("accounts:user-deactivate", channel, {"version": channel.version - 1})
    assert status == 200 and "Someone else changed this user" in page
