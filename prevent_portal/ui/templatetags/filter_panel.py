"""`{% filter_fields filter %}`: a list page's filter fields, rendered once and kept while
the choices and the values are the same (prevent_portal/ui/choices.py)."""

from django import template
from django.template.loader import render_to_string

from prevent_portal.ui.choices import filter_panel

register = template.Library()


@register.simple_tag
def filter_fields(filter_set):
    return filter_panel(
        filter_set,
        lambda: render_to_string("includes/filter_fields.html", {"form": filter_set.form}),
    )
