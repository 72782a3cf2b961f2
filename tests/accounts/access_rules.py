"""Who may open the accounts pages (read by tests/test_url_walk.py)."""

from tests.conftest import PERSONAS

ALL = set(PERSONAS)

EXPECTED = {
    "accounts:password-change": ALL,
    "accounts:password-change-done": ALL,
    "accounts:confirm-identity": ALL,
    "accounts:user-list": {"admin"},
    "accounts:user-create": {"admin"},
    "accounts:user-detail": {"admin"},
    "accounts:user-edit": {"admin"},
    "accounts:user-deactivate": {"admin"},
    "accounts:user-reactivate": {"admin"},
    "accounts:user-mfa-reset": {"admin"},
    # Supervisors decide changes of case access; administrators propose and withdraw them.
    "accounts:change-list": {"admin", "coordinator", "chair"},
    "accounts:change-detail": {"admin", "coordinator", "chair"},
}

# The MFA step (signed in, code not yet entered). Someone who has passed it is sent on.
MFA_STEP = {
    "accounts:mfa-verify",
    "accounts:mfa-enrol",
    "accounts:mfa-qr-code",
    "accounts:mfa-recovery-codes",
}

# Open without signing in: forgetting a password happens before signing in.
PUBLIC = {
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
}

POST_ONLY = {"accounts:session-keep-alive"}


def url_kwargs():
    from prevent_portal.accounts.models import AccountChange
    from tests.conftest import make_user

    sample = make_user("walk-sample", "education")
    pk = {"pk": sample.pk}
    change = AccountChange.objects.create(
        user=sample,
        kind=AccountChange.Kind.ACCESS,
        access_before={"roles": ["education"], "can_see_identities": False},
        access_after={"roles": ["channel", "education"], "can_see_identities": False},
        proposed_by=make_user("walk-proposer", "admin"),
    )
    return {
        "accounts:user-detail": pk,
        "accounts:user-edit": pk,
        "accounts:user-deactivate": pk,
        "accounts:user-reactivate": pk,
        "accounts:user-mfa-reset": pk,
        "accounts:change-detail": {"pk": change.pk},
        "accounts:password-reset-confirm": {"uidb64": "MQ", "token": "not-a-token"},
    }
