"""Writing audit events. Every service that changes data calls `audit_record`."""

from django.db import models

from prevent_portal.audit.middleware import current_context
from prevent_portal.audit.models import AuditEvent


def _describe(target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    kind, ident = target
    return kind, str(ident)


def audit_record(
    *,
    actor,
    verb: str,
    summary: str,
    target=None,
    changes: dict | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one audit event. Call inside the transaction of the change it records.

    `target` is a model instance or a (type, id) pair. `actor` may be None for events
    without a signed-in user (a failed sign-in, a management command).
    """
    target_type, target_id = _describe(target)
    context = current_context()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        # Without a signed-in user and a name given, the change was made by the system
        # (a management command, a data load).
        actor_username=(
            actor.get_username() if actor is not None else (actor_username or "system")
        )[:150],
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        summary=summary[:500],
        changes=changes or {},
        ip_address=context.ip_address if context else None,
        user_agent=context.user_agent if context else "",
        path=context.path if context else "",
    )


def changes_between(before: dict, after: dict, *, sensitive: frozenset[str] = frozenset()):
    """The old -> new values of the fields that changed.

    For `sensitive` fields (identifying or special category data) only the fact of a
    change is kept, never the values.
    """
    changed = {}
    # Fields only in `before` were removed (a deletion passes an empty `after`).
    for field in [*after, *(name for name in before if name not in after)]:
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        changed[field] = {"changed": True} if field in sensitive else {"old": old, "new": new}
    return changed
