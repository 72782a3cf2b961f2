"""Filters for the annual report's document. The narrative itself is rendered by
reporting.narrative (Markdown, raw HTML off, cleaned by nh3)."""

from django import template

register = template.Library()


@register.filter
def share(cell, total) -> str:
    """A suppressed cell's share of its total, or "" where suppression forbids it."""
    from prevent_portal.ui.suppression import percentage

    return percentage(cell, total) or ""


@register.filter
def row_link(links, key: str):
    """links|row_link:"training" -> {row label: URL} for that table, or {}."""
    if not links:
        return {}
    return links.get("rows", {}).get(key, {})


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, "")
