"""Reads for the user administration and Access approvals pages."""

from django.db.models import Q, QuerySet

from prevent_portal.accounts.models import AccountChange, User
from prevent_portal.accounts.roles import Perm, has_perm

# The Access approvals page lists this many decided changes, newest first.
RECENT_DECISIONS = 20


def users_for_admin() -> QuerySet[User]:
    """Every account with its roles prefetched, for holders of accounts.users_manage."""
    return User.objects.prefetch_related("roles").order_by("last_name", "first_name", "username")


def may_open_account_changes(user) -> bool:
    """Supervisors decide account changes; administrators propose and withdraw them."""
    return has_perm(user, Perm.CASES_SUPERVISE) or has_perm(user, Perm.USERS_MANAGE)


def account_changes() -> QuerySet[AccountChange]:
    """Every account change, with the people named on its pages (staff details only)."""
    return AccountChange.objects.select_related("user", "proposed_by", "decided_by")


def account_changes_waiting() -> list[AccountChange]:
    return list(account_changes().filter(status=AccountChange.Status.PROPOSED))


def account_changes_decided(limit: int = RECENT_DECISIONS) -> list[AccountChange]:
    return list(
        account_changes()
        .exclude(status=AccountChange.Status.PROPOSED)
        .order_by("-decided_at")[:limit]
    )


def account_changes_waiting_count() -> int:
    return AccountChange.objects.filter(status=AccountChange.Status.PROPOSED).count()


def account_changes_of(user: User) -> list[AccountChange]:
    """The changes waiting for one account (its page in the user administration)."""
    return list(account_changes().filter(user=user, status=AccountChange.Status.PROPOSED))


def account_changes_to_decide_count(user) -> int | None:
    """How many waiting changes `user` may approve or refuse (not their own proposals,
    not about their own account); None, with no query, for someone who is no supervisor."""
    if not has_perm(user, Perm.CASES_SUPERVISE):
        return None
    return (
        AccountChange.objects.filter(status=AccountChange.Status.PROPOSED)
        .exclude(Q(proposed_by=user) | Q(user=user))
        .count()
    )
