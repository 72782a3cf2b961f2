"""Changes to user accounts. Every change is audited."""

from django.db import transaction

from prevent_portal.accounts.models import User, UserRole
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record


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
