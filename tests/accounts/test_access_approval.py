"""Case access needs a second person (docs/accounts.md): an administrator proposes a case
role, a grant or the MFA reset of an account with case access; a supervisor who is
neither the proposer nor the account's holder approves or refuses it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from prevent_portal.accounts.models import AccountChange, User
from prevent_portal.accounts.roles import CASE_ROLES, Perm, Role, has_perm
from prevent_portal.accounts.services import (
    AccountError,
    account_change_approve,
    account_change_refuse,
    account_change_withdraw,
    mfa_reset,
    user_set_roles,
    user_update,
)
from prevent_portal.audit.models import AuditEvent
from tests.accounts.test_user_admin import NEW_USER, edit_data
from tests.conftest import make_user, sign_in_with_mfa

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:change-list")


def detail(change) -> str:
    return reverse("accounts:change-detail", args=[change.pk])


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def propose(admin, user, **change) -> AccountChange:
    """The administrator's edit page, with `change` on top of what the user holds."""
    data = {
        "roles": user.role_codes,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email or "someone@example.org",
        "organisation": user.organisation,
        "can_see_identities": user.can_see_identities,
        "can_make_subject_access": user.can_make_subject_access,
    }
    data.update(change)
    saved = user_update(actor=admin, user=user, version=user.version, **data)
    assert saved.proposal is not None
    return saved.proposal


@pytest.fixture
def people(persona):
    """An administrator, the two supervisors, and Sam, an Education Officer."""
    return {
        "admin": persona("admin"),
        "coordinator": persona("coordinator"),
        "chair": persona("chair"),
        "sam": make_user("sam", "education", email="sam@example.org"),
    }


def test_the_case_roles_are_those_that_open_case_data():
    # Read from the registry: a role is a case role when any of its permissions opens
    # cases or Channel panels (whose agendas, minutes and actions are about cases).
    assert {Role.COORDINATOR, Role.CHAIR, Role.CHANNEL, Role.SUPPORT} == CASE_ROLES


def test_a_case_role_is_given_only_once_a_supervisor_approves(people):
    sam = people["sam"]
    sam_client = Client()
    sign_in_with_mfa(sam_client, "sam")
    admin = signed_in("admin")
    response = admin.post(
        reverse("accounts:user-edit", args=[sam.pk]),
        edit_data(sam, roles=["education", "channel"], can_see_identities="on"),
    )
    assert response.status_code == 302
    change = AccountChange.objects.get(user=sam)
    assert change.status == AccountChange.Status.PROPOSED
    assert change.access_before == {
        "roles": ["education"],
        "can_see_identities": False,
        "can_make_subject_access": False,
    }
    assert change.gives == ["Channel coordinator", "May see identities"]
    # No case access of any kind before approval.
    sam = User.objects.get(pk=sam.pk)
    assert not has_perm(sam, Perm.CASES_VIEW) and not sam.can_see_identities
    assert sam_client.get(reverse("referrals:index")).status_code == 403
    proposed = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, target_id=str(change.pk))
    assert proposed.actor == people["admin"]
    assert proposed.changes["roles"] == {"old": ["education"], "new": ["channel", "education"]}

    chair = signed_in("chair")
    page = chair.get(detail(change)).content.decode()
    assert "Give Sam Testperson case access?" in page
    assert "Approve the change" in page
    response = chair.post(detail(change), {"action": "approve", "version": change.version})
    assert response["Location"] == LIST
    assert "Roles and grants for Sam Testperson approved" in chair.get(LIST).content.decode()
    sam = User.objects.get(pk=sam.pk)
    assert sorted(sam.role_codes) == ["channel", "education"] and sam.can_see_identities
    change.refresh_from_db()
    assert change.status == AccountChange.Status.APPROVED
    assert change.decided_by == people["chair"]
    # What Sam may see changed: Sam signs in again, and then opens the cases.
    assert sam_client.get(reverse("reporting:dashboard")).status_code == 302
    assert signed_in("sam").get(reverse("referrals:index")).status_code == 200
    given = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(sam.pk))
    assert given.actor == people["chair"]
    assert "proposed by admin, approved by chair" in given.summary
    assert given.changes["roles"] == {"old": ["education"], "new": ["channel", "education"]}
    assert given.changes["can_see_identities"] == {"old": False, "new": True}


def test_a_new_users_case_role_waits_and_is_given_on_approval(people):
    admin = signed_in("admin")
    admin.post(reverse("accounts:user-create"), {**NEW_USER, "roles": ["channel"]})
    jamie = User.objects.get(username="jamie.testwood")
    assert jamie.role_codes == []
    change = AccountChange.objects.get(user=jamie)
    account_change_approve(actor=people["coordinator"], change=change, version=change.version)
    assert User.objects.get(pk=jamie.pk).role_codes == ["channel"]


def test_the_proposer_cannot_approve_even_as_a_supervisor(people):
    # An administrator who is also a coordinator: the second person must be someone else.
    both = make_user("both", "admin", "coordinator")
    change = propose(both, people["sam"], roles=["education", "chair"])
    client = signed_in("both")
    page = client.get(detail(change)).content.decode()
    assert "A second person must decide this change: you proposed it" in page
    assert "Approve the change" not in page
    response = client.post(detail(change), {"action": "approve", "version": change.version})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "you proposed it" in body
    assert User.objects.get(pk=people["sam"].pk).role_codes == ["education"]
    change.refresh_from_db()
    assert change.status == AccountChange.Status.PROPOSED
    refused = AuditEvent.objects.get(verb=AuditEvent.Verb.ACCESS_DENIED, target_id=str(change.pk))
    assert refused.actor == both and "tried to approve" in refused.summary
    with pytest.raises(AccountError, match="you proposed it"):
        account_change_refuse(actor=both, change=change, version=change.version)


def test_the_account_holder_cannot_decide_a_change_to_their_own_account(people):
    change = propose(people["admin"], people["chair"], can_make_subject_access=True)
    client = signed_in("chair")
    assert "This change is to your own account" in client.get(detail(change)).content.decode()
    response = client.post(detail(change), {"action": "approve", "version": change.version})
    assert response.status_code == 200
    assert "another supervisor must decide it" in response.content.decode()
    assert not User.objects.get(pk=people["chair"].pk).can_make_subject_access
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.ACCESS_DENIED, target_id=str(change.pk), actor=people["chair"]
    ).exists()
    # The other supervisor may.
    account_change_approve(actor=people["coordinator"], change=change, version=change.version)
    assert User.objects.get(pk=people["chair"].pk).can_make_subject_access


@pytest.mark.parametrize("persona_name", ["admin", "channel", "support"])
def test_only_supervisors_approve_or_refuse(people, persona, persona_name):
    persona(persona_name)
    change = propose(people["admin"], people["sam"], roles=["education", "channel"])
    client = signed_in(persona_name)
    for action in ("approve", "refuse"):
        response = client.post(detail(change), {"action": action, "version": change.version})
        assert response.status_code == 403, (persona_name, action)
    change.refresh_from_db()
    assert change.status == AccountChange.Status.PROPOSED
    with pytest.raises(AccountError, match="Only a Prevent coordinator or a panel chair"):
        account_change_approve(
            actor=User.objects.get(username=persona_name), change=change, version=change.version
        )


def test_a_refused_change_leaves_the_account_as_it_was(people):
    change = propose(people["admin"], people["sam"], roles=["education", "coordinator"])
    client = signed_in("coordinator")
    response = client.post(detail(change), {"action": "refuse", "version": change.version})
    assert response["Location"] == LIST
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("refused", people["coordinator"])
    assert User.objects.get(pk=people["sam"].pk).role_codes == ["education"]
    event = AuditEvent.objects.filter(target_id=str(change.pk)).latest("pk")
    assert event.changes["status"] == {"old": "proposed", "new": "refused"}


def test_an_administrator_withdraws_a_change_and_supervisors_cannot(people):
    change = propose(people["admin"], people["sam"], roles=["education", "channel"])
    response = signed_in("coordinator").post(
        detail(change), {"action": "withdraw", "version": change.version}
    )
    assert response.status_code == 403
    other_admin = make_user("admin2", "admin")
    account_change_withdraw(actor=other_admin, change=change, version=change.version)
    change.refresh_from_db()
    assert change.status == AccountChange.Status.WITHDRAWN
    assert User.objects.get(pk=people["sam"].pk).role_codes == ["education"]
    with pytest.raises(AccountError, match="already been withdrawn"):
        account_change_approve(actor=people["chair"], change=change, version=change.version)


def test_a_stale_proposal_cannot_be_approved(people):
    sam = people["sam"]
    change = propose(people["admin"], sam, roles=["education", "channel"])
    # Meanwhile another administrator takes a role away (at once).
    sam = User.objects.get(pk=sam.pk)
    user_update(
        actor=make_user("admin2", "admin"),
        user=sam,
        version=sam.version,
        roles=["board"],
        first_name=sam.first_name,
        last_name=sam.last_name,
        email=sam.email,
        organisation="",
        can_see_identities=False,
        can_make_subject_access=False,
    )
    client = signed_in("chair")
    page = client.get(detail(change)).content.decode()
    assert "have changed since this change was proposed" in page
    assert "Approve the change" not in page and "Refuse the change" in page
    response = client.post(detail(change), {"action": "approve", "version": change.version})
    assert response.status_code == 200
    assert "refuse it, and propose it again" in response.content.decode()
    assert User.objects.get(pk=sam.pk).role_codes == ["board"]
    assert AccountChange.objects.get(pk=change.pk).status == AccountChange.Status.PROPOSED


def test_a_second_click_or_an_old_page_changes_nothing(people):
    change = propose(people["admin"], people["sam"], roles=["education", "channel"])
    client = signed_in("chair")
    data = {"action": "approve", "version": change.version}
    assert client.post(detail(change), data).status_code == 302
    again = client.post(detail(change), data)
    assert again.status_code == 200
    assert "This change has already been approved" in again.content.decode()
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE, target_id=str(people["sam"].pk))


def test_a_stale_version_is_refused(people):
    change = propose(people["admin"], people["sam"], roles=["education", "channel"])
    response = signed_in("chair").post(
        detail(change), {"action": "approve", "version": change.version + 1}
    )
    assert "changed by someone else" in response.content.decode()
    assert AccountChange.objects.get(pk=change.pk).status == AccountChange.Status.PROPOSED


def test_a_second_proposal_while_one_waits_is_refused_on_the_form(people):
    sam = people["sam"]
    propose(people["admin"], sam, roles=["education", "channel"])
    sam = User.objects.get(pk=sam.pk)
    response = signed_in("admin").post(
        reverse("accounts:user-edit", args=[sam.pk]),
        edit_data(sam, roles=["education", "coordinator"]),
    )
    assert response.status_code == 200
    assert "is already waiting for approval" in response.content.decode()
    assert AccountChange.objects.filter(user=sam).count() == 1
    # An edit that gives no case access is saved as usual meanwhile.
    response = signed_in("admin").post(
        reverse("accounts:user-edit", args=[sam.pk]), edit_data(sam, first_name="Samuel")
    )
    assert response.status_code == 302


def test_no_action_chosen_is_an_error_on_the_page(people):
    change = propose(people["admin"], people["sam"], roles=["education", "channel"])
    response = signed_in("chair").post(detail(change), {"version": change.version})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error:" in body and "Choose whether to approve or refuse the change" in body


def test_an_unknown_change_is_404(people):
    import uuid

    url = reverse("accounts:change-detail", args=[uuid.uuid4()])
    assert signed_in("chair").get(url).status_code == 404


def test_an_mfa_reset_of_an_account_with_case_access_needs_a_second_person(people, persona):
    channel = persona("channel")
    User.objects.filter(pk=channel.pk).update(email="jordan@example.org")
    device = TOTPDevice.objects.create(user=channel, name="App", confirmed=True)
    elsewhere = Client()
    sign_in_with_mfa(elsewhere, "channel")
    admin = signed_in("admin")
    page = admin.get(reverse("accounts:user-mfa-reset", args=[channel.pk])).content.decode()
    assert "holds case access, so the reset is only proposed" in page
    admin.post(reverse("accounts:user-mfa-reset", args=[channel.pk]), {"version": channel.version})
    change = AccountChange.objects.get(user=channel, kind=AccountChange.Kind.MFA_RESET)
    # Nothing yet: the authenticator works, the session goes on, nobody was emailed.
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert elsewhere.get(reverse("reporting:dashboard")).status_code == 200
    assert mail.outbox == []
    # A second proposal of the same reset is refused.
    channel.refresh_from_db()
    with pytest.raises(AccountError, match="already waiting for approval"):
        mfa_reset(actor=people["admin"], user=channel, version=channel.version)

    response = signed_in("coordinator").post(
        detail(change), {"action": "approve", "version": change.version}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=channel).exists()
    assert elsewhere.get(reverse("reporting:dashboard")).status_code == 302
    [notice] = mail.outbox
    assert notice.to == ["jordan@example.org"]
    assert "Admin Testperson" in notice.body  # at whose request
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE, target_id=str(channel.pk))
    assert "proposed by admin, approved by coordinator" in event.summary


def test_resetting_ones_own_mfa_is_refused_and_audited(people):
    admin = people["admin"]
    TOTPDevice.objects.create(user=admin, name="App", confirmed=True)
    with pytest.raises(AccountError, match="your own MFA"):
        mfa_reset(actor=admin, user=admin, version=admin.version)
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.ACCESS_DENIED, target_id=str(admin.pk)
    ).exists()


def test_roles_are_never_set_without_approval_by_a_person(people):
    with pytest.raises(AccountError):
        user_set_roles(actor=people["admin"], user=people["sam"], roles=["coordinator"])
    assert User.objects.get(pk=people["sam"].pk).role_codes == ["education"]


def test_supervisors_are_told_on_the_home_page_and_my_work(people, reference_data):
    propose(people["admin"], people["sam"], roles=["education", "channel"])
    propose(people["admin"], people["chair"], can_see_identities=True)
    for page in (reverse("reporting:dashboard"), reverse("worklist:index")):
        # The coordinator may decide both; the chair only the one not about the chair.
        body = signed_in("coordinator").get(page).content.decode()
        assert "2 changes to staff accounts' case access wait for your approval" in body
        body = signed_in("chair").get(page).content.decode()
        assert "1 change to staff accounts' case access waits for your approval" in body
    assert "wait for your approval" not in signed_in("admin").get(
        reverse("reporting:dashboard")
    ).content.decode("utf-8")
    assert (
        "Access approvals: 2 waiting"
        in signed_in("admin").get(reverse("accounts:user-list")).content.decode()
    )


def test_the_list_shows_waiting_and_decided_changes(people):
    waiting = propose(people["admin"], people["sam"], roles=["education", "channel"])
    decided = propose(people["admin"], people["chair"], can_see_identities=True)
    account_change_refuse(actor=people["coordinator"], change=decided, version=decided.version)
    body = signed_in("coordinator").get(LIST).content.decode()
    assert "Waiting for approval: 1" in body
    assert detail(waiting) in body and "Gives Channel coordinator" in body
    assert "Refused by Coordinator Testperson" in body


def test_the_empty_list_says_so(people):
    body = signed_in("coordinator").get(LIST).content.decode()
    assert "No change is waiting for approval." in body
    assert "No change has been decided yet." in body


@pytest.mark.parametrize("extra", [2, 20])
def test_the_list_has_a_fixed_query_budget(people, django_assert_max_num_queries, extra):
    for number in range(extra):
        user = make_user(f"sample{number}", "education")
        change = propose(people["admin"], user, roles=["education", "channel"])
        if number % 2:
            account_change_refuse(actor=people["chair"], change=change, version=change.version)
    client = signed_in("coordinator")
    client.get(reverse("reporting:dashboard"))  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.status_code == 200
