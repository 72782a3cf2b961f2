"""Fuzzing (docs/security.md §21): the sign-in, MFA, password and identity forms, posted
arbitrary values (see tests/fuzzing.py), never give a 500, and a refusal changes no
user, role or audit change event. (django-otp's failure counters on the authenticator
move on a wrong code by design, so the otp tables are not compared.)

Views covered (the POST handlers of prevent_portal/accounts/urls.py and views.py not
fuzzed in tests/accounts/test_fuzz.py): accounts:login, mfa-verify, mfa-enrol,
password-change, password-reset, password-reset-confirm (the set-password step),
confirm-identity, user-reactivate, user-mfa-reset, logout, session-keep-alive, and
change-detail (approve, refuse, withdraw and an unknown action, as a supervisor who may
decide, as an administrator, and as the supervisor who proposed the change).
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from prevent_portal.accounts.models import User
from tests.conftest import PASSWORD, make_user
from tests.fuzzing import FUZZ, AppFuzzer, Field, Fuzzer, snapshot

pytestmark = pytest.mark.django_db

LABELS = ["accounts"]
# Sometimes the right username and password, so that the later checks are reached too.
CREDENTIALS = st.sampled_from(
    [{}, {"username": "fuzz-user"}, {"username": "fuzz-user", "password": PASSWORD}]
)


@pytest.fixture
def user(db):
    user = make_user("fuzz-user", "education", email="fuzz-user@example.org")
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    return user


def fresh_start(client, *, password_only=False):
    """Each example starts alike: no lockout counted, signed out (or at the MFA step)."""
    AccessAttempt.objects.all().delete()
    client.logout()
    if password_only:
        assert client.login(username="fuzz-user", password=PASSWORD)


@FUZZ
@given(data=st.data())
def test_fuzzed_sign_ins_never_fail(client, user, data):
    fresh_start(client)
    url = reverse("accounts:login")
    Fuzzer(client, LABELS).fuzz(
        "login", lambda: url, data, extra=CREDENTIALS, ok_statuses=(200, 302, 429)
    )


@pytest.mark.parametrize("name", ["accounts:mfa-verify", "accounts:mfa-enrol"])
@FUZZ
@given(data=st.data())
def test_fuzzed_mfa_codes_never_fail_and_change_nothing(client, user, name, data):
    if name == "accounts:mfa-enrol":
        TOTPDevice.objects.filter(user=user).delete()
    fresh_start(client, password_only=True)
    url = reverse(name)
    Fuzzer(client, LABELS).fuzz(name, lambda: url, data, ok_statuses=(200, 302, 429))


@FUZZ
@given(data=st.data())
def test_fuzzed_identity_confirmations_never_fail(client, user, data):
    fresh_start(client)
    client.force_login(user)
    url = reverse("accounts:confirm-identity")
    Fuzzer(client, LABELS).fuzz(
        "confirm", lambda: url, data, extra=CREDENTIALS, ok_statuses=(200, 302, 429)
    )


@FUZZ
@given(data=st.data())
def test_fuzzed_password_changes_never_fail(client, user, data):
    fresh_start(client)
    # Back to the first password (its stored hash: hashing again is slow on purpose).
    User.objects.filter(pk=user.pk).update(password=user.password)
    client.force_login(user)
    url = reverse("accounts:password-change")
    Fuzzer(client, LABELS).fuzz(
        "change",
        lambda: url,
        data,
        extra=st.sampled_from([{}, {"old_password": PASSWORD}]),
    )


@FUZZ
@given(data=st.data())
def test_fuzzed_password_reset_requests_never_fail_nor_change_anything(client, user, data):
    fresh_start(client)
    url = reverse("accounts:password-reset")
    before = snapshot(LABELS)
    emails = st.sampled_from([{}, {"email": "fuzz-user@example.org"}])
    response = Fuzzer(client, LABELS).fuzz("reset", lambda: url, data, extra=emails)
    # Asking for a reset changes nothing, whether or not the address is known.
    assert snapshot(LABELS) == before, response.status_code


@FUZZ
@given(data=st.data())
def test_fuzzed_new_passwords_never_fail(client, user, data):
    fresh_start(client)
    user.refresh_from_db()  # a token is made from the current password
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    response = client.get(url)
    assert response.status_code == 302  # to the set-password step
    Fuzzer(client, LABELS).fuzz("set", lambda: response["Location"], data)


@pytest.fixture
def admin_fuzzer(client, persona):
    return AppFuzzer(client, persona, "accounts", LABELS)


@pytest.mark.parametrize("name", ["accounts:user-reactivate", "accounts:user-mfa-reset"])
@FUZZ
@given(data=st.data())
def test_fuzzed_account_actions_never_fail(admin_fuzzer, name, data):
    admin_fuzzer.fuzz_page(name, data)


@pytest.mark.parametrize("name", ["accounts:logout", "accounts:session-keep-alive"])
@FUZZ
@given(values=st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=3))
def test_fuzzed_sign_outs_and_keep_alives_never_fail(client, user, name, values):
    client.force_login(user)
    before = snapshot(LABELS)
    response = client.post(reverse(name), values)
    assert response.status_code in (204, 302)
    if name == "accounts:session-keep-alive":  # signing out ends the session row, rightly
        assert snapshot(LABELS) == before


CHANGE_ACTIONS = ["approve", "refuse", "withdraw", "nonsense"]


@pytest.fixture
def change_fuzzer(client):
    return Fuzzer(client, LABELS)


@pytest.mark.parametrize("who", ["coordinator", "admin", "both"])
@FUZZ
@given(data=st.data())
def test_fuzzed_decisions_never_fail_and_refusals_change_nothing(change_fuzzer, persona, who, data):
    """`both` is an administrator and coordinator who proposed the change: every decision
    of theirs is refused (a withdrawal is theirs to make)."""
    from prevent_portal.accounts.models import AccountChange
    from prevent_portal.accounts.services import user_update

    def build():
        proposer = make_user("both", "admin", "coordinator") if who == "both" else persona("admin")
        subject = make_user("fuzz-subject", "education", email="subject@example.org")
        saved = user_update(
            actor=proposer,
            user=subject,
            version=subject.version,
            roles=["education", "channel"],
            first_name="Fuzz",
            last_name="Subject",
            email=subject.email,
            organisation="",
            can_see_identities=True,
            can_make_subject_access=False,
        )
        change_fuzzer.client.force_login(
            User.objects.get(username=who) if who == "both" else persona(who)
        )
        return reverse("accounts:change-detail", args=[saved.proposal.pk])

    fields = {
        "action": Field("action", "submit", options=CHANGE_ACTIONS),
        "version": Field("version", "hidden", "1"),
    }
    change_fuzzer.fuzz("decide", build, data, fields=fields, ok_statuses=(200, 302, 403))
    assert AccountChange.objects.count() == 1
