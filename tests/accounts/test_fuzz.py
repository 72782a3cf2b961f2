"""Fuzzing (docs/security.md §21): arbitrary input to the accounts forms never gives a 500 and
never writes part of a change."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prevent_portal.accounts.models import AccountChange, User, UserRole
from prevent_portal.accounts.roles import CASE_ROLES, Role
from prevent_portal.audit.models import AuditEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
ROLES = st.lists(st.one_of(st.sampled_from(list(Role.values)), TEXT), max_size=3)
EMAIL = st.one_of(TEXT, st.emails())


def state():
    return (
        list(User.objects.order_by("pk").values_list("username", "first_name", "email", "version")),
        sorted(UserRole.objects.values_list("user__username", "role")),
        AuditEvent.objects.filter(verb__startswith="record.").count(),
    )


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("fuzz-admin", "admin"))
    return client


@FUZZ
@given(username=TEXT, first=TEXT, last=TEXT, email=EMAIL, roles=ROLES, grant=TEXT)
def test_fuzzed_creates_make_a_whole_user_or_nothing(
    admin_client, username, first, last, email, roles, grant
):
    before = state()
    response = admin_client.post(
        reverse("accounts:user-create"),
        {
            "username": username,
            "first_name": first,
            "last_name": last,
            "email": email,
            "roles": roles,
            "can_see_identities": grant,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert state() == before
    else:
        user = User.objects.get(username=username)
        # Roles that give no case access at once; case roles and the grant wait.
        assert sorted(user.role_codes) == sorted(set(roles) - CASE_ROLES)
        assert not user.can_see_identities
        waiting = AccountChange.objects.filter(user=user).first()
        if set(roles) & CASE_ROLES or grant:
            assert waiting.access_after["roles"] == sorted(set(roles))
            assert waiting.access_after["can_see_identities"] is bool(grant)
        else:
            assert waiting is None
        assert AuditEvent.objects.filter(target_id=str(user.pk)).count() == 1
        AccountChange.objects.filter(user=user).delete()
        user.roles.all().delete()
        User.objects.filter(pk=user.pk).update(is_active=False, username=f"done-{user.pk}")


@FUZZ
@given(first=TEXT, email=EMAIL, roles=ROLES, version=TEXT)
def test_fuzzed_edits_are_whole_or_nothing(admin_client, first, email, roles, version):
    target = User.objects.filter(username="fuzz-target").first() or make_user(
        "fuzz-target", "board", email="target@example.org"
    )
    before = state()
    response = admin_client.post(
        reverse("accounts:user-edit", args=[target.pk]),
        {
            "first_name": first,
            "last_name": "Target",
            "email": email,
            "roles": roles,
            "version": version,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert state() == before


@FUZZ
@given(version=TEXT)
def test_fuzzed_deactivations_never_fail(admin_client, version):
    target = User.objects.filter(username="fuzz-target").first() or make_user(
        "fuzz-target", "board"
    )
    response = admin_client.post(
        reverse("accounts:user-deactivate", args=[target.pk]), {"version": version}
    )
    assert response.status_code in (200, 302)
