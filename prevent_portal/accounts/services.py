"""Changes to user accounts. Every change is audited.

Callers: holders of accounts.users_manage (the user administration pages), seed_demo,
and the password pages (for the user's own password).
"""

import secrets

from django.contrib.sessions.models import Session
from django.db import transaction

from prevent_portal.accounts.models import User, UserRole, UserSession
from prevent_portal.accounts.roles import Role
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between, snapshot

# The fields an administrator edits on a user, besides the roles.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "organisation",
    "can_see_identities",
    "can_make_subject_access",
)


class AccountError(Exception):
    """A change to an account that cannot be made; the message is for the user."""


@transaction.atomic
def user_set_roles(*, actor, user: User, roles) -> None:
    """Give `user` exactly `roles`. Callers: holders of accounts.users_manage, and seed_demo."""
    wanted = set(roles)
    current = set(user.roles.values_list("role", flat=True))
    if wanted == current:
        return
    user.roles.exclude(role__in=wanted).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in wanted - current])
    audit_record(
        actor=actor,
        actor_username="system",
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Changed the roles of {user.username}",
        target=user,
        changes={"roles": {"old": sorted(current), "new": sorted(wanted)}},
    )


def _locked(user: User, version: int) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.version != version:
        raise AccountError(
            "Someone else changed this user while you were editing. "
            "Nothing was saved: check the details below and try again."
        )
    return locked


@transaction.atomic
def user_create(*, actor, username: str, roles, **profile) -> User:
    """Create an active user with a random password nobody knows; they set their own
    through the emailed link (views.user_create sends it), or later through "Forgotten
    your password?". Caller: holders of accounts.users_manage."""
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError("A user with that username already exists")
    user = User(username=username, **{name: profile[name] for name in PROFILE_FIELDS})
    user.set_password(secrets.token_urlsafe(32))
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in sorted(set(roles))])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Created the user {username}",
        target=user,
        changes=changes_between(
            {}, {**snapshot(user, PROFILE_FIELDS), "roles": sorted(set(roles))}
        ),
    )
    return user


@transaction.atomic
def user_update(*, actor, user: User, version: int, roles, **profile) -> User:
    """Change a user's details, grants and roles. Caller: holders of accounts.users_manage.

    An administrator cannot remove their own administrator role (the partnership would
    risk having nobody left to manage accounts)."""
    user = _locked(user, version)
    roles = sorted(set(roles))
    if user.pk == actor.pk and Role.ADMIN not in roles:
        raise AccountError("You cannot remove your own administrator role")
    before = {**snapshot(user, PROFILE_FIELDS), "roles": sorted(user.role_codes)}
    for name in PROFILE_FIELDS:
        setattr(user, name, profile[name])
    user.version += 1
    user.save()
    user.roles.exclude(role__in=roles).delete()
    existing = set(user.roles.values_list("role", flat=True))
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles if r not in existing])
    after = {**snapshot(user, PROFILE_FIELDS), "roles": roles}
    changes = changes_between(before, after)
    if changes:
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.UPDATE,
            summary=f"Changed the user {user.username}",
            target=user,
            changes=changes,
        )
    if "roles" in changes or "can_see_identities" in changes:
        # What the user may see changed: make them sign in again to pick it up cleanly.
        sessions_end(user=user)
    return user


def sessions_end(*, user: User) -> int:
    """Delete every session `user` signed in with, on the server. Returns how many."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def user_deactivate(*, actor, user: User, version: int) -> User:
    """Stop `user` signing in and end all their sessions. Caller: accounts.users_manage."""
    user = _locked(user, version)
    if user.pk == actor.pk:
        raise AccountError("You cannot deactivate your own account")
    if not user.is_active:
        raise AccountError("This user is already deactivated")
    user.is_active = False
    user.version += 1
    user.save(update_fields=["is_active", "version"])
    ended = sessions_end(user=user)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.RETIRE,
        summary=f"Deactivated the user {user.username}; ended {ended} session(s)",
        target=user,
        changes={"is_active": {"old": True, "new": False}},
    )
    return user


@transaction.atomic
def user_reactivate(*, actor, user: User, version: int) -> User:
    """Let a deactivated user sign in again. Caller: holders of accounts.users_manage."""
    user = _locked(user, version)
    if user.is_active:
        raise AccountError("This user is already active")
    user.is_active = True
    user.version += 1
    user.save(update_fields=["is_active", "version"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.RESTORE,
        summary=f"Reactivated the user {user.username}",
        target=user,
        changes={"is_active": {"old": False, "new": True}},
    )
    return user


def password_changed_record(*, user: User, how: str) -> None:
    """Audit a password change (never the password). Called by the password views."""
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Changed their password ({how})",
        target=user,
        changes={"password": {"changed": True}},
    )


@transaction.atomic
def mfa_reset(*, actor, user: User, version: int) -> User:
    """Remove `user`'s authenticator app and recovery codes and end their sessions: they
    set up MFA again at their next sign-in (a lost phone). Caller: accounts.users_manage."""
    from prevent_portal.accounts.mfa import devices_delete

    user = _locked(user, version)
    removed = devices_delete(user)
    user.version += 1
    user.save(update_fields=["version"])
    ended = sessions_end(user=user)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=(
            f"Reset MFA for the user {user.username}: removed {removed} device(s); "
            f"ended {ended} session(s)"
        ),
        target=user,
        changes={"mfa": {"old": bool(removed), "new": False}},
    )
    return user
