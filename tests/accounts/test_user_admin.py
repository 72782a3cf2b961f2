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


def test_editing_roles_and_grants_is_audited_and_ends_the_users_sessions(client_as, persona):
    target = persona("support")
    elsewhere = Client()
    sign_in_with_mfa(elsewhere, "support")
    client = client_as("admin")
    response = client.post(
        reverse("accounts:user-edit", args=[target.pk]),
        edit_data(target, roles=["support", "board"], can_see_identities="on"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert sorted(target.role_codes) == ["board", "support"]
    assert target.can_see_identities
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(target.pk))
    assert event.changes["roles"] == {"old": ["support"], "new": ["board", "support"]}
    assert event.changes["can_see_identities"] == {"old": False, "new": True}
    assert elsewhere.get(reverse("reporting:dashboard")).status_code == 302


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


def test_an_administrator_cannot_remove_their_own_admin_role(client_as):
    client = client_as("admin")
    admin = User.objects.get(username="admin")
    response = client.post(
        reverse("accounts:user-edit", args=[admin.pk]), edit_data(admin, roles=["board"])
    )
    assert "You cannot remove your own administrator role" in response.content.decode()
    assert admin.role_codes == ["admin"]


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
