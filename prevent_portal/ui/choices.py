"""Cached choices for the filter forms' selects, and a select that writes its options in
one pass (docs/performance.md, item 5); cached reference rows that the case list and the
case page set on their referrals instead of joining their tables (item 14).

The list pages' filters offer reference data (sectors, types of concern, districts, PEO
areas, partners, audiences, courses) and people (case managers, PEOs). Those change
rarely, yet every request read each list again and rendered every <option> through a
template of its own. Here the (value, label) pairs are kept in Django's cache, and the
select renders them itself. The fields keep their querysets: a submitted value is still
checked against the database, so a stale list can never let a wrong value through.

Any save or delete of a row of those models clears the cache, in this process at once
and again when the transaction commits. With several server processes, the cache must be
shared (the database cache or Redis, docs/deployment.md) for that to reach them all;
otherwise a process sees a change within CHOICES_SECONDS.
"""

import hashlib
import uuid
from functools import partial

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.html import format_html
from django.utils.safestring import mark_safe

CHOICES_SECONDS = 300
_PREFIX = "filter-choices:"
# The rendered filter panels (`filter_panel`) hold the choices too: a new version, made
# whenever the choices are forgotten, leaves every earlier panel unread.
_PANEL_VERSION = _PREFIX + "panel-version"
# Every cached list, by name.
NAMES = {
    "sectors",
    "concern-types",
    "districts",
    "case-managers",
    "courses",
    "partners",
    "audiences",
    "education-officers",
    "peo-areas",
}

# The models whose rows appear in the filters' selects or are kept by `reference_rows`,
# by app label and model name.
REFERENCE_MODELS = [
    "referrals.Sector",
    "referrals.ConcernType",
    "referrals.Sex",
    "referrals.Outcome",
    "governance.District",
    "governance.PeoArea",
    "governance.Partner",
    "education.AudienceCategory",
    "training.Course",
    "accounts.User",
    "accounts.UserRole",
]


class PlainSelect(forms.Select):
    """Django's Select with the same markup, the options written in one pass instead of
    one template each (a select of 40 options was 40 template renders). `choices_from`,
    if set, gives the choices when the select is rendered, and not before: a filter used
    only for its queryset (an export) reads no choices at all."""

    choices_from = None

    def render(self, name, value, attrs=None, renderer=None):
        if self.choices_from is not None:
            self.choices = self.choices_from()
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = set(self.format_value(value))
        options = [
            format_html(
                '<option value="{}"{}>{}</option>',
                option_value,
                mark_safe(" selected") if str(option_value) in chosen else "",
                label,
            )
            for option_value, label in self.choices
        ]
        # The attributes in Django's order (its attrs.html), not flatatt's sorted one.
        written = "".join(
            format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
            for key, value in final.items()
            if value is not False and value is not None
        )
        return mark_safe(f"<select{written}>{''.join(options)}</select>")  # noqa: S308 (escaped above)


def _key(name: str) -> str:
    return _PREFIX + name


def cached_choices(name: str, build) -> list[tuple[str, str]]:
    """The (value, label) pairs cached under `name`, built by `build()` when missing."""
    if name not in NAMES:
        raise ValueError(f"No cached choices called {name}")
    found = cache.get(_key(name))
    if found is None:
        found = [(str(value), str(label)) for value, label in build()]
        cache.set(_key(name), found, CHOICES_SECONDS)
    return found


def _rows_key(model) -> str:
    return f"{_PREFIX}rows:{model._meta.label_lower}"


# The models whose rows `reference_rows` keeps: small lists of names, no personal data.
ROW_MODELS = {
    "referrals.Sector",
    "referrals.ConcernType",
    "referrals.Sex",
    "referrals.Outcome",
    "governance.District",
}


def reference_rows(model) -> dict:
    """Every row of a small reference model (ROW_MODELS) by primary key, cached like
    the choices: a list page shows a sector's name without joining its table."""
    if model._meta.label not in ROW_MODELS:
        raise ValueError(f"{model._meta.label} rows are not cached")
    rows = cache.get(_rows_key(model))
    if rows is None:
        rows = {row.pk: row for row in model._default_manager.all()}
        cache.set(_rows_key(model), rows, CHOICES_SECONDS)
    return rows


def attach_reference_rows(objects, field) -> None:
    """Set the related row of the foreign key `field` (e.g. `Referral.sector.field`) on
    each of `objects` from `reference_rows`, so that reading it makes no query. A row the
    cache does not know yet (added in another process a moment ago) is read from the
    database, and the cache is renewed."""
    rows = reference_rows(field.related_model)
    missing = {getattr(obj, field.attname) for obj in objects} - set(rows) - {None}
    if missing:
        forget_choices()
        rows = reference_rows(field.related_model)
    for obj in objects:
        value = getattr(obj, field.attname)
        if value is None or value in rows:
            field.set_cached_value(obj, None if value is None else rows[value])


def forget_choices() -> None:
    """Clear every cached list (any reference row changed), and so every rendered panel."""
    from django.apps import apps

    rows = [_rows_key(apps.get_model(label)) for label in ROW_MODELS]
    cache.delete_many([*(_key(name) for name in NAMES), *rows, _PANEL_VERSION])


def filter_panel(filter_set, render) -> str:
    """The filter panel's fields as HTML, kept for CHOICES_SECONDS for the same filter
    class, the same values and the same version of the choices; `render()` makes it.

    Only for filters whose fields depend on nothing else: not on the user, the day or
    the request (a default value the view sets is part of the values). The values and
    their errors are in the key, so a panel is never shown with another's choices or
    mistakes; a choice that has just gone is refused by the form whatever the panel
    offers, as for the cached choices."""
    form = filter_set.form
    data = form.data if form.is_bound else {}
    values = sorted(
        (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else (data[name],))
        for name in form.fields
        if name in data
    )
    version = cache.get_or_set(_PANEL_VERSION, lambda: uuid.uuid4().hex, None)
    kind = f"{type(filter_set).__module__}.{type(filter_set).__qualname__}"
    digest = hashlib.sha256(repr((kind, form.is_bound, version, values)).encode()).hexdigest()
    key = f"{_PREFIX}panel:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, CHOICES_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)


def model_choices(field: forms.ModelChoiceField, name: str) -> list[tuple[str, str]]:
    """The field's options, with its own queryset and labels, cached under `name`."""
    rows = cached_choices(
        name, lambda: [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]
    )
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return [*empty, *rows]


def plain_selects(form: forms.Form, cached: dict[str, str] | None = None) -> None:
    """Every select of `form` renders with PlainSelect; the model choice fields named in
    `cached` (field name: cache name) offer their options from the cache. Only what is
    offered changes: the fields still check a submitted value against their queryset."""
    cached = cached or {}
    for field_name, field in form.fields.items():
        if type(field.widget) is not forms.Select:
            continue
        if field_name in cached:
            widget = PlainSelect(attrs=field.widget.attrs)
            widget.choices_from = partial(model_choices, field, cached[field_name])
        else:
            widget = PlainSelect(attrs=field.widget.attrs, choices=list(field.choices))
        field.widget = widget


def _changed(sender, **kwargs) -> None:
    if sender.__name__ == "User" and kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # signing in changes nothing that a filter shows
    forget_choices()
    transaction.on_commit(forget_choices)


def connect() -> None:
    from django.apps import apps

    for label in REFERENCE_MODELS:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"filter-choices-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"filter-choices-del-{label}")
