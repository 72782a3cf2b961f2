"""Record types in words: the audit log says "Panel attendee", not `channel.panelattendee`.

An audit event names its record by the model's lower-case label (`accounts.user`) or, for
what is not a model row (an export, a file of reference data), by a kind of its own
(docs/audit.md, "Record types"). Pages show the words; the stored value stays the same, so
filters and exports keep working.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings

# Kinds of target that are not a model row, with what a page calls them.
NOT_MODELS = {
    "community.activity": "Community activity export",
    "community.incidents": "Incident export",
    "disclosures.log": "Disclosure log",
    "education.export": "Education export",
    "governance.reference": "Reference data file",
    "reporting.annual_report": "Annual report",
    "worklist.reminder": "Reminder email",
}


def _is_project_model(model) -> bool:
    """A model of the portal's own apps, not of Django or a library."""
    path = Path(model._meta.app_config.path).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return path.is_relative_to(base) and "site-packages" not in path.parts


@cache
def _model_labels() -> dict[str, str]:
    labels = {}
    for model in apps.get_models():
        name = str(model._meta.verbose_name)
        labels[model._meta.label_lower] = name[:1].upper() + name[1:]
    return labels


def record_type_label(target_type: str) -> str:
    """The words for a stored target type; an unknown kind is spelled out, never dotted."""
    if not target_type:
        return ""
    if target_type in NOT_MODELS:
        return NOT_MODELS[target_type]
    label = _model_labels().get(target_type.lower())
    if label:
        return label
    words = target_type.rsplit(".", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else target_type


@cache
def record_type_choices() -> list[tuple[str, str]]:
    """(stored value, words) for the audit filter: the portal's models and other kinds."""
    choices = {
        model._meta.label_lower: record_type_label(model._meta.label_lower)
        for model in apps.get_models()
        if _is_project_model(model)
    }
    choices.update(NOT_MODELS)
    # Two apps with a model of the same name: the app's name tells them apart.
    seen = Counter(choices.values())
    for value, words in choices.items():
        if seen[words] > 1:
            app_label = value.split(".", 1)[0]
            choices[value] = f"{words} ({apps.get_app_config(app_label).verbose_name})"
    return sorted(choices.items(), key=lambda item: (item[1].lower(), item[0]))
