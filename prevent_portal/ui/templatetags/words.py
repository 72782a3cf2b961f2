"""Plain words in templates (docs/frontend.md, "Plain words")."""

from django import template

from prevent_portal.ui import words

register = template.Library()


@register.filter
def change(n: int) -> str:
    """{{ figure.difference|change }}: "+3", "-2" or "No change"."""
    return words.change(int(n))
