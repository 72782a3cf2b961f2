"""{{ event.target_type|record_type }}: a record type in words (docs/audit.md)."""

from django import template

from prevent_portal.audit.labels import record_type_label

register = template.Library()


@register.filter
def record_type(target_type: str) -> str:
    return record_type_label(target_type)
