"""`{% summary_row key=... value=... %}`: one row of a GOV.UK summary list.

The same markup as an include of a row template, written in one pass: a case page has
some thirty rows, and each include cost a template render of its own
(docs/performance.md). As with an include, `change` (a URL that adds a Change link) and
`row_actions` (some rows of this list have one) are taken from the surrounding context
when the tag does not name them.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html

register = template.Library()

_UNSET = object()


@register.simple_tag(takes_context=True)
def summary_row(context, *, key, value, change=_UNSET, row_actions=_UNSET):
    if change is _UNSET:
        change = context.get("change")
    if row_actions is _UNSET:
        row_actions = context.get("row_actions")
    modifier = " govuk-summary-list__row--no-actions" if row_actions and not change else ""
    shown = linebreaksbr(value or "Not recorded", autoescape=context.autoescape)
    action = ""
    if change:
        action = format_html(
            '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="{}">Change'
            '<span class="govuk-visually-hidden"> {}</span></a></dd>',
            change,
            str(key).lower(),
        )
    return format_html(
        '<div class="govuk-summary-list__row{}"><dt class="govuk-summary-list__key">{}</dt>'
        '<dd class="govuk-summary-list__value">{}</dd>{}</div>',
        modifier,
        key,
        shown,
        action,
    )
