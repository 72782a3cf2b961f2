"""Views never pick case rows by hand (docs/security.md §2).

Rows of case work are reached through one scoping selector per entity
(`referrals.selectors.referrals_visible_to`, `case_pages.load_case`, each app's
selectors), never by a query written in a view. This test reads the source of every view
module of the case-work apps and lists each use of `<Model>.objects` on a model of those
apps. Each one here is reviewed and explained; a new one fails the test until it is moved
into a selector or added below with its reason.

tests/test_scope_walk.py checks the same promise from the outside: every URL that takes a
case record answers 404 for a case outside an assigned user's scope.
"""

import ast
import importlib
from pathlib import Path

from django.apps import apps

CASE_APPS = [
    "referrals",
    "channel",
    "vaf",
    "casework",
    "worklist",
    "documents",
    "retention",
    "disclosures",
]
BASE = Path(__file__).resolve().parent.parent
VIEW_MODULES = [
    path
    for app in CASE_APPS
    for path in sorted((BASE / app).glob("*.py"))
    if path.stem == "views" or path.stem.endswith("_views") or path.stem == "exports"
]

# (module, model, manager method) -> why a view may query it directly.
REVIEWED = {
    ("referrals/views.py", "Referral", "none"): "an empty list: invalid filters match nothing",
    ("referrals/exports.py", "Referral", "none"): "an empty list: invalid filters match nothing",
    ("referrals/edit_views.py", "ReferralImport", "filter"): (
        "an uploaded file by its UUID, for supervisors of case work, who see every case"
    ),
    ("channel/views.py", "PanelAttendee", "select_related"): (
        "by its UUID, for minute takers of the meeting; an attendee is not case data"
    ),
    ("vaf/views.py", "Assessment", "filter"): (
        "the assessment just made by this form (its one-time token) on a case that "
        "load_case has already scoped"
    ),
}


def _case_models() -> set[str]:
    """Models of the case-work apps that hold case data: Referral, Person, the panel
    meeting and the import, and every model related to one of them, step by step (a
    support plan's interventions through the plan, and so on). The rest is reference data
    (sectors, intervention types) that every case viewer may list."""
    pool = [model for app in CASE_APPS for model in apps.get_app_config(app).get_models()]
    case = {
        model
        for model in pool
        if model.__name__ in {"Referral", "Person", "PanelMeeting", "ReferralImport"}
    }
    grew = True
    while grew:
        grew = False
        for model in pool:
            if model in case:
                continue
            if any(
                field.is_relation and field.related_model in case
                for field in model._meta.get_fields()
            ):
                case.add(model)
                grew = True
    return {model.__name__ for model in case}


def _direct_queries(path: Path, models: set[str]) -> set[tuple[str, str]]:
    """(model, manager method) for each `<Model>.objects.<method>` in the module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        manager = node.value if isinstance(node, ast.Attribute) else None
        if (
            isinstance(manager, ast.Attribute)
            and manager.attr == "objects"
            and isinstance(manager.value, ast.Name)
            and manager.value.id in models
        ):
            found.add((manager.value.id, node.attr))
    return found


def test_the_view_modules_are_found():
    names = {str(path.relative_to(BASE)) for path in VIEW_MODULES}
    assert {"referrals/views.py", "casework/views.py", "disclosures/views.py"} <= names
    for path in VIEW_MODULES:
        importlib.import_module(".".join(path.relative_to(BASE).with_suffix("").parts))


def test_views_query_case_models_only_where_reviewed():
    models = _case_models()
    found = {
        (str(path.relative_to(BASE)), model, method)
        for path in VIEW_MODULES
        for model, method in _direct_queries(path, models)
    }
    assert found - set(REVIEWED) == set(), "query these through a selector"
    assert set(REVIEWED) - found == set(), "reviewed uses that no longer exist"


def test_the_check_finds_a_query_written_in_a_view(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "def v(request):\n    return Referral.objects.filter(person__family_name='x')\n"
    )
    assert _direct_queries(view, _case_models()) == {("Referral", "filter")}
