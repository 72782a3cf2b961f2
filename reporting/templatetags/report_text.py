"""Narrative of the annual report: plain text with simple formatting, rendered safely.

The text is escaped first; only then are blank-line paragraphs, "- " bullet lines and
**bold** turned into markup, so anything typed as HTML (a <script> tag included) is
shown as text and never runs.
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*[-*]\s+")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


@register.filter
def narrative(text: str) -> str:
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        # Within a block, a run of "- " lines is a list and a run of other lines is a
        # paragraph, so "The team is:" followed by bullets needs no blank line between.
        run: list[str] = []
        for line in [*lines, None]:
            if run and (line is None or bool(_BULLET.match(line)) != bool(_BULLET.match(run[0]))):
                html.append(_run_html(run))
                run = []
            if line is not None:
                run.append(line)
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of text was escaped above


def _run_html(lines: list[str]) -> str:
    if _BULLET.match(lines[0]):
        items = "".join(f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in lines)
        return f'<ul class="govuk-list govuk-list--bullet">{items}</ul>'
    return '<p class="govuk-body">' + "<br>".join(_inline(line) for line in lines) + "</p>"


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
