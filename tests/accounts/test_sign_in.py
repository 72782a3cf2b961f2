import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from prevent_portal.accounts.models import User
from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm, Role, has_perm
from prevent_portal.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_wrong_password_and_unknown_user_get_the_same_message(client, persona):
    persona("coordinator")
    wrong = client.post(
        reverse("accounts:login"), {"username": "coordinator", "password": "x" * 12}
    )
    unknown = client.post(reverse("accounts:login"), {"username": "nobody", "password": "x" * 12})
    for response in (wrong, unknown):
        assert response.status_code == 200
        body = response.content.decode()
        assert "There is a problem" in body
        assert "Enter a correct username and password" in body
        assert "<title>Error: Sign in" in body
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.LOGIN_FAILED).count() == 2


def test_empty_sign_in_asks_for_both_fields(client, db):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    body = response.content.decode()
    assert "Enter your username" in body and "Enter your password" in body


def test_sign_in_rotates_the_session_key_and_lands_on_home(client, persona):
    persona("education")
    client.get(reverse("accounts:login"))
    before = client.session.session_key
    response = client.post(
        reverse("accounts:login"), {"username": "education", "password": PASSWORD}
    )
    assert response["Location"] == reverse("reporting:dashboard")
    assert client.session.session_key != before


def test_an_offsite_next_is_ignored(client, persona):
    persona("education")
    response = client.post(
        reverse("accounts:login") + "?next=https://attacker.example/",
        {"username": "education", "password": PASSWORD, "next": "https://attacker.example/"},
    )
    assert response["Location"] == reverse("reporting:dashboard")


def test_an_inactive_user_cannot_sign_in(client, persona):
    user = persona("coordinator")
    user.is_active = False
    user.save()
    response = client.post(
        reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD}
    )
    assert b"Enter a correct username and password" in response.content


def test_sign_out_needs_post(client_as):
    client = client_as("board")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("persona_name", "shown", "hidden"),
    [
        ("board", ["Partnership", "Figures"], ["Cases", "Training", "Education", "Audit log"]),
        ("channel", ["Cases"], ["Training", "Education", "Figures", "Audit log"]),
        ("education", ["Education", "Training"], ["Cases", "Community", "Audit log"]),
        ("admin", ["Audit log", "Reference data"], ["Cases", "Training", "Figures"]),
    ],
)
def test_home_shows_each_role_only_its_areas(client_as, persona_name, shown, hidden):
    body = client_as(persona_name).get(reverse("reporting:dashboard")).content.decode()
    for label in shown:
        assert f">{label}</a>" in body, label
    for label in hidden:
        assert f">{label}</a>" not in body, label


def test_roles_are_a_union():
    assert not has_perm(None, Perm.CASES_VIEW)
    assert Perm.AUDIT_VIEW in ROLE_PERMISSIONS[Role.ADMIN]
    assert Perm.CASES_VIEW not in ROLE_PERMISSIONS[Role.ADMIN]
    assert Perm.CASES_VIEW not in ROLE_PERMISSIONS[Role.BOARD]
    assert Perm.CASES_VIEW not in ROLE_PERMISSIONS[Role.EDUCATION]


def test_a_user_with_two_roles_gets_both(db):
    from tests.conftest import make_user

    user = make_user("dual", Role.EDUCATION, Role.COMMUNITY)
    assert has_perm(user, Perm.EDUCATION_MANAGE)
    assert has_perm(user, Perm.COMMUNITY_MANAGE)
    assert not has_perm(user, Perm.CASES_VIEW)


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_one_user_per_role(settings, monkeypatch, client):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(
        [
            "coordinator",
            "chair",
            "channel",
            "channel2",
            "education",
            "community",
            "support",
            "board",
            "admin",
        ]
    )
    for user in User.objects.exclude(username="channel2"):
        assert user.role_codes == [user.username]
    assert client.login(username="board", password="a-demo-password-for-tests")


def test_the_demo_has_case_roles_without_the_identity_grant(settings):
    """Masking is seen in the demo: a Channel coordinator who sees every case without
    identities; and a change of access waits for approval, so that the approvals page
    has something to decide."""
    from prevent_portal.accounts.models import AccountChange
    from prevent_portal.accounts.roles import CASE_ROLES

    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)  # idempotent: still one change waiting
    channel2 = User.objects.get(username="channel2")
    assert channel2.role_codes == ["channel"] and not channel2.can_see_identities
    assert has_perm(channel2, Perm.CASES_VIEW)
    masked = {
        user.username
        for user in User.objects.filter(can_see_identities=False)
        if set(user.role_codes) & CASE_ROLES
    }
    assert masked == {"channel2", "support"}
    for username in masked:
        assert re.search(rf"\n  {username} +.*, without the identity grant\n", out.getvalue())
    [waiting] = AccountChange.objects.filter(status=AccountChange.Status.PROPOSED)
    assert (waiting.user.username, waiting.proposed_by.username) == ("education", "admin")
    assert waiting.gives == ["Channel coordinator"]
    assert User.objects.get(username="education").role_codes == ["education"]
