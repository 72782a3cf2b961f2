"""Writing audit events. Every service that changes data calls `audit_record`."""

from datetime import date, datetime

from django.db import models, transaction

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
    path: str | None = None,
) -> AuditEvent:
    """Append one audit event. Call inside the transaction of the change it records.

    `target` is a model instance or a (type, id) pair. `actor` may be None for events
    without a signed-in user (a failed sign-in, a management command). `path` replaces
    the request's path, for an event whose path holds something not to be kept (the id
    guessed in a URL that was not found).
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
        path=(path if path is not None else context.path if context else "")[:300],
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


def plain_value(value):
    """A field's value as the audit log keeps it: text for a related record, a sorted
    list for a many-to-many field, ISO format for dates."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.Manager):
        return sorted(str(item) for item in value.all())
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(instance: models.Model, fields) -> dict:
    return {name: plain_value(getattr(instance, name)) for name in fields}


@transaction.atomic
def audited_form_save(*, actor, form) -> models.Model:
    """Save a record from a valid ModelForm (many-to-many fields included) and audit it
    with the old and new values of the fields that changed. For records that hold no
    personal data about a case; the caller has checked the permission."""
    instance = form.instance
    creating = instance._state.adding
    fields = list(form.cleaned_data)
    before = {} if creating else snapshot(type(instance).objects.get(pk=instance.pk), fields)
    instance = form.save()
    name = instance._meta.verbose_name
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE if creating else AuditEvent.Verb.UPDATE,
        summary=f"{'Added' if creating else 'Changed'} {name} {instance}",
        target=instance,
        changes=changes_between(before, snapshot(instance, fields)),
    )
    return instance
