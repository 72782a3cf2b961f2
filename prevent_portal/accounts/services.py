"""Changes to user accounts. Every change is audited.

Callers: holders of accounts.users_manage (the user administration pages), supervisors
deciding account changes (the Access approvals pages), seed_demo, and the password pages
(for the user's own password).

Case access needs a second person (docs/accounts.md): an administrator who gives an
account a case role (roles.CASE_ROLES) or either personal grant only proposes it; the
rest of the edit is saved at once. A supervisor who is neither the proposer nor the
account's holder approves or refuses it (`account_change_approve`, `_refuse`). So does an
MFA reset of an account that holds case access. Nobody changes their own roles or grants,
or resets their own MFA here.
"""

import secrets
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from prevent_portal.accounts.models import AccountChange, User, UserRole, UserSession
from prevent_portal.accounts.roles import CASE_ROLES, Perm, Role, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between, snapshot
from prevent_portal.ui.words import counted

# The fields an administrator edits on a user, besides the roles.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "organisation",
    "can_see_identities",
    "can_make_subject_access",
)
GRANTS = ("can_see_identities", "can_make_subject_access")
# The profile fields saved at once; the grants go with the roles (case access).
DETAIL_FIELDS = tuple(name for name in PROFILE_FIELDS if name not in GRANTS)

OWN_ACCESS_REFUSED = (
    "You cannot change your own roles or grants: another administrator must make the change"
)
OWN_MFA_REFUSED = "You cannot reset your own MFA: ask another administrator to do it"


class AccountError(Exception):
    """A change to an account that cannot be made; the message is for the user."""


@dataclass(frozen=True)
class Saved:
    """What an administrator's create or edit did: the user as saved, the change of
    case access left waiting for approval (None when nothing waits), and whether the
    email address changed (the old address was told)."""

    user: User
    proposal: AccountChange | None = None
    email_changed: bool = False


# Access: the roles and the two grants, as one comparable value.


def access_of(user: User) -> dict:
    """The roles and grants `user` holds now (read from the database)."""
    return {
        "roles": sorted(user.roles.values_list("role", flat=True)),
        "can_see_identities": bool(user.can_see_identities),
        "can_make_subject_access": bool(user.can_make_subject_access),
    }


def _access(roles, can_see_identities, can_make_subject_access) -> dict:
    return {
        "roles": sorted(set(roles)),
        "can_see_identities": bool(can_see_identities),
        "can_make_subject_access": bool(can_make_subject_access),
    }


def has_case_access(access: dict) -> bool:
    """Whether `access` opens case data: a case role or either grant."""
    return bool(set(access["roles"]) & CASE_ROLES) or any(access[name] for name in GRANTS)


def _granted_at_once(before: dict, wanted: dict) -> dict:
    """The part of a change of access that takes effect at once: every removal, and
    every role that is not a case role. Case roles and grants not already held wait."""
    return {
        "roles": sorted(r for r in wanted["roles"] if r in before["roles"] or r not in CASE_ROLES),
        **{name: wanted[name] and before[name] for name in GRANTS},
    }


def _apply_access(user: User, access: dict) -> None:
    """Give `user` exactly `access` (the caller holds the user's row lock and saves)."""
    user.roles.exclude(role__in=access["roles"]).delete()
    held = set(user.roles.values_list("role", flat=True))
    UserRole.objects.bulk_create(
        [UserRole(user=user, role=role) for role in access["roles"] if role not in held]
    )
    for name in GRANTS:
        setattr(user, name, access[name])


def describe_access(access: dict) -> list[str]:
    """Roles and grants as labels, for pages and audit summaries."""
    labels = [Role(code).label for code in access.get("roles", [])]
    if access.get("can_see_identities"):
        labels.append("May see identities")
    if access.get("can_make_subject_access"):
        labels.append("May produce subject access bundles")
    return labels


def _refuse_own_change(*, actor, user: User, message: str, what: str) -> None:
    """Audit a refused change to one's own account, then refuse it. Called outside the
    change's transaction, so that the audit event stays when the change is refused."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.ACCESS_DENIED,
        summary=f"Refused: tried to {what} of their own account",
        target=user,
    )
    raise AccountError(message)


# Email notices. Sent inside the change's transaction: when the notice cannot be sent,
# nothing is changed (an account must not change hands silently).


def _send_notice(*, to: str, subject: str, template: str, context: dict) -> None:
    if not to:
        return
    body = render_to_string(template, {"service_name": settings.SERVICE_NAME, **context})
    try:
        send_mail(f"{subject} ({settings.SERVICE_NAME})", body, None, [to])
    except (smtplib.SMTPException, OSError) as error:
        raise AccountError(
            f"The email to {to} could not be sent, so nothing was changed. Try again later."
        ) from error


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def user_set_roles(*, actor, user: User, roles) -> None:
    """Give `user` exactly `roles`, with no approval, as the system (actor None).
    Callers: seed_demo (the demo accounts) and the shell, for the first administrator
    and the first supervisor (docs/operations.md). The administration pages go through
    user_create and user_update, where case roles wait for a second person."""
    if actor is not None:
        raise AccountError("Roles are changed through the user administration pages")
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


def _propose(*, actor, user: User, kind: str, before=None, after=None) -> AccountChange:
    """Record a change that waits for approval (inside the caller's transaction)."""
    label = AccountChange.Kind(kind).label.lower()
    try:
        with transaction.atomic():
            change = AccountChange.objects.create(
                user=user,
                kind=kind,
                access_before=before or {},
                access_after=after or {},
                proposed_by=actor,
            )
    except IntegrityError as error:  # one of this kind already waits (or did a moment ago)
        raise AccountError(
            f"A change of {label} for {user} is already waiting for approval: "
            "a supervisor must decide it, or an administrator withdraw it, first"
        ) from error
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Proposed a change of {label} for {user.username}: it waits for approval",
        target=change,
        changes=(
            {"user": user.username, **changes_between(before, after)}
            if kind == AccountChange.Kind.ACCESS
            else {"user": user.username}
        ),
    )
    return change


@transaction.atomic
def user_create(*, actor, username: str, roles, **profile) -> Saved:
    """Create an active user with a random password nobody knows; they set their own
    through the emailed link (views.user_create sends it), or later through "Forgotten
    your password?". Case roles and grants asked for are proposed, not given: they wait
    for a supervisor's approval. Caller: holders of accounts.users_manage."""
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError("A user with that username already exists")
    wanted = _access(roles, profile["can_see_identities"], profile["can_make_subject_access"])
    now = _granted_at_once(_access([], False, False), wanted)
    user = User(
        username=username,
        **{name: profile[name] for name in DETAIL_FIELDS},
        **{name: now[name] for name in GRANTS},
    )
    user.set_password(secrets.token_urlsafe(32))
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in now["roles"]])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Created the user {username}",
        target=user,
        changes=changes_between({}, {**snapshot(user, PROFILE_FIELDS), "roles": now["roles"]}),
    )
    proposal = None
    if wanted != now:
        proposal = _propose(
            actor=actor, user=user, kind=AccountChange.Kind.ACCESS, before=now, after=wanted
        )
    return Saved(user, proposal)


def user_update(*, actor, user: User, version: int, roles, **profile) -> Saved:
    """Change a user's details, grants and roles. Caller: holders of accounts.users_manage.

    Details and every removal of access are saved at once; case roles and grants not yet
    held wait for a supervisor's approval (the returned proposal). Nobody may change their
    own roles or grants (refused and audited). An email address changed on someone
    else's account is announced to the old address and ends that account's sessions."""
    wanted = _access(roles, profile["can_see_identities"], profile["can_make_subject_access"])
    if user.pk == actor.pk and wanted != access_of(user):
        _refuse_own_change(
            actor=actor, user=user, message=OWN_ACCESS_REFUSED, what="change the roles or grants"
        )
    return _user_update(actor=actor, user=user, version=version, wanted=wanted, profile=profile)


@transaction.atomic
def _user_update(*, actor, user: User, version: int, wanted: dict, profile: dict) -> Saved:
    user = _locked(user, version)
    held = access_of(user)
    if user.pk == actor.pk and wanted != held:
        raise AccountError(OWN_ACCESS_REFUSED)
    now = _granted_at_once(held, wanted)
    if (
        wanted != now
        and AccountChange.objects.filter(
            user=user, kind=AccountChange.Kind.ACCESS, status=AccountChange.Status.PROPOSED
        ).exists()
    ):
        raise AccountError(
            f"A change of roles and grants for {user} is already waiting for approval: "
            "a supervisor must decide it, or you can withdraw it, before you propose another"
        )
    before = {**snapshot(user, PROFILE_FIELDS), "roles": held["roles"]}
    old_email = user.email
    for name in DETAIL_FIELDS:
        setattr(user, name, profile[name])
    _apply_access(user, now)
    user.version += 1
    user.save()
    changes = changes_between(before, {**snapshot(user, PROFILE_FIELDS), "roles": now["roles"]})
    if changes:
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.UPDATE,
            summary=f"Changed the user {user.username}",
            target=user,
            changes=changes,
        )
    email_changed = "email" in changes and user.pk != actor.pk
    if now != held or email_changed:
        # What the user may see, or where their password links go, changed: every session
        # ends, so that they sign in again (and a new address cannot ride an old session).
        sessions_end(user=user)
    if "email" in changes:
        _send_notice(
            to=old_email,
            subject="The email address of your account was changed",
            template="accounts/email/email_changed.txt",
            context={"user": user, "old_email": old_email, "actor": _name(actor)},
        )
    proposal = None
    if wanted != now:
        proposal = _propose(
            actor=actor, user=user, kind=AccountChange.Kind.ACCESS, before=now, after=wanted
        )
    return Saved(user, proposal, email_changed="email" in changes)


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
        summary=f"Deactivated the user {user.username}; ended {counted(ended, 'session')}",
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


def mfa_reset(*, actor, user: User, version: int) -> AccountChange | None:
    """Remove `user`'s authenticator app and recovery codes and end their sessions: they
    set up MFA again at their next sign-in (a lost phone). Caller: accounts.users_manage.

    For an account that holds case access the reset is proposed instead (returned): with
    a changed email address it would hand the account to whoever controls that address,
    so a supervisor approves it first. Nobody resets their own MFA here."""
    if user.pk == actor.pk:
        _refuse_own_change(actor=actor, user=user, message=OWN_MFA_REFUSED, what="reset the MFA")
    return _mfa_reset(actor=actor, user=user, version=version)


@transaction.atomic
def _mfa_reset(*, actor, user: User, version: int) -> AccountChange | None:
    user = _locked(user, version)
    if has_case_access(access_of(user)):
        return _propose(actor=actor, user=user, kind=AccountChange.Kind.MFA_RESET)
    _reset_mfa_now(actor=actor, user=user)
    return None


def _reset_mfa_now(*, actor, user: User, proposed_by=None) -> None:
    """The reset itself, inside the caller's transaction, with `user` locked."""
    from prevent_portal.accounts.mfa import devices_delete

    removed = devices_delete(user)
    user.version += 1
    user.save(update_fields=["version"])
    ended = sessions_end(user=user)
    approved = (
        f" (proposed by {proposed_by.get_username()}, approved by {actor.get_username()})"
        if proposed_by is not None
        else ""
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DELETE,
        summary=(
            f"Reset MFA for the user {user.username}: removed {counted(removed, 'device')}; "
            f"ended {counted(ended, 'session')}{approved}"
        ),
        target=user,
        changes={"mfa": {"old": bool(removed), "new": False}},
    )
    _send_notice(
        to=user.email,
        subject="MFA for your account was reset",
        template="accounts/email/mfa_reset.txt",
        context={"user": user, "actor": _name(proposed_by or actor)},
    )


# Deciding a waiting change (the Access approvals pages).


class StaleChangeError(AccountError):
    def __init__(self):
        super().__init__(
            "This change was decided or changed by someone else while you were looking at "
            "it. Check the latest state and try again."
        )


def decision_refusal(actor, change: AccountChange) -> str:
    """Why `actor` may not approve or refuse `change`; "" when they may. A supervisor
    (cases.supervise: someone who holds case access) who neither proposed the change
    nor holds the account it is about."""
    if not has_perm(actor, Perm.CASES_SUPERVISE):
        return "Only a Prevent coordinator or a panel chair may approve or refuse this change"
    if change.proposed_by_id == actor.pk:
        return "A second person must decide this change: you proposed it"
    if change.user_id == actor.pk:
        return "This change is to your own account: another supervisor must decide it"
    return ""


def _locked_change(change: AccountChange, version: int) -> AccountChange:
    current = (
        AccountChange.objects.select_for_update()
        .select_related("user", "proposed_by")
        .get(pk=change.pk)
    )
    if current.status != AccountChange.Status.PROPOSED:
        raise AccountError(f"This change has already been {current.get_status_display().lower()}")
    if current.version != version:
        raise StaleChangeError()
    return current


def _close(change: AccountChange, *, actor, status: str, verb: str, summary: str) -> None:
    change.status = status
    change.decided_by, change.decided_at = actor, timezone.now()
    change.version += 1
    change.save(update_fields=["status", "decided_by", "decided_at", "version"])
    audit_record(
        actor=actor,
        verb=verb,
        summary=summary,
        target=change,
        changes={"status": {"old": AccountChange.Status.PROPOSED, "new": status}},
    )


def _refuse_decision(*, actor, change: AccountChange, action: str) -> None:
    """Refuse (and audit, outside the decision's transaction) a decision `actor` may
    not take."""
    refusal = decision_refusal(actor, change)
    if refusal:
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.ACCESS_DENIED,
            summary=f"Refused: tried to {action} a change of "
            f"{change.get_kind_display().lower()} for {change.user.username} "
            f"proposed by {change.proposed_by.get_username()}",
            target=change,
        )
        raise AccountError(refusal)


def account_change_approve(*, actor, change: AccountChange, version: int) -> AccountChange:
    """Approve a waiting change and make it at once. Caller: a supervisor allowed by
    `decision_refusal` (anyone else is refused, audited). A change of access is refused
    as stale when the account's roles or grants are no longer those it was proposed
    from."""
    _refuse_decision(actor=actor, change=change, action="approve")
    return _approve(actor=actor, change=change, version=version)


@transaction.atomic
def _approve(*, actor, change: AccountChange, version: int) -> AccountChange:
    current = _locked_change(change, version)
    refusal = decision_refusal(actor, current)
    if refusal:
        raise AccountError(refusal)
    user = User.objects.select_for_update().get(pk=current.user_id)
    who = f"proposed by {current.proposed_by.get_username()}, approved by {actor.get_username()}"
    if current.kind == AccountChange.Kind.ACCESS:
        held = access_of(user)
        if held != current.access_before:
            raise AccountError(
                f"The roles or grants of {user} have changed since this change was "
                "proposed: refuse it, and propose it again if it is still wanted"
            )
        _apply_access(user, current.access_after)
        user.version += 1
        user.save()
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.UPDATE,
            summary=f"Changed the roles and grants of {user.username} ({who})",
            target=user,
            changes=changes_between(held, current.access_after),
        )
        sessions_end(user=user)
    else:
        _reset_mfa_now(actor=actor, user=user, proposed_by=current.proposed_by)
    _close(
        current,
        actor=actor,
        status=AccountChange.Status.APPROVED,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Approved the change of {current.get_kind_display().lower()} for "
        f"{user.username} ({who})",
    )
    return current


def account_change_refuse(*, actor, change: AccountChange, version: int) -> AccountChange:
    """Refuse a waiting change; the account stays as it is. Caller: as for approval."""
    _refuse_decision(actor=actor, change=change, action="refuse")
    return _refuse(actor=actor, change=change, version=version)


@transaction.atomic
def _refuse(*, actor, change: AccountChange, version: int) -> AccountChange:
    current = _locked_change(change, version)
    refusal = decision_refusal(actor, current)
    if refusal:
        raise AccountError(refusal)
    _close(
        current,
        actor=actor,
        status=AccountChange.Status.REFUSED,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Refused the change of {current.get_kind_display().lower()} for "
        f"{current.user.username} proposed by {current.proposed_by.get_username()}",
    )
    return current


@transaction.atomic
def account_change_withdraw(*, actor, change: AccountChange, version: int) -> AccountChange:
    """Withdraw a waiting change; the account stays as it is. Caller: holders of
    accounts.users_manage (the proposer or another administrator)."""
    if not has_perm(actor, Perm.USERS_MANAGE):
        raise AccountError("Only an administrator may withdraw this change")
    current = _locked_change(change, version)
    _close(
        current,
        actor=actor,
        status=AccountChange.Status.WITHDRAWN,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Withdrew the change of {current.get_kind_display().lower()} for "
        f"{current.user.username}",
    )
    return current
