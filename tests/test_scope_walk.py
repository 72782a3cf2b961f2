"""Every view that takes a case, or a record of one, applies the case scope (docs/security.md §1).

With REFERRALS_SCOPE = "assigned", a Channel coordinator (case roles, not a supervisor)
sees only the cases they manage. This walk builds a URL for every named pattern the way
tests/test_url_walk.py does (one real object per pattern) and works out, from the objects
in each URL, which URLs reach a case: the object is a referral, a person, or a record
that leads to one through its foreign keys (an agenda item, a panel action about a case,
an assessment, a note, a subject access request...). Nothing here names a view: a new
URL that takes a case record is walked as soon as it has a sample object.

Then, with every case outside the user's caseload, each of those URLs must answer 404 to
GET and to POST (403 where the role may not open the page at all) and change no row; and
with every case inside it, the same GET must not be a 404, which shows that the URL does
reach the case and the 404 comes from the scope.
"""

import uuid

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from referrals.models import Person, Referral
from tests.conftest import make_user, reauthenticated
from tests.test_csrf_walk import WRITTEN_BY_READING
from tests.test_url_walk import ALL_URL_NAMES, EXPECTED, url_samples

pytestmark = pytest.mark.django_db

SCOPED = "channel"  # the persona whose role is limited by the assigned scope


def _uuid_fields(model) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.UUIDField) and (field.primary_key or field.unique)
    ]


def row_for(value):
    """The one row whose UUID (primary key or unique UUID field) is `value`."""
    found = [
        row
        for model in apps.get_models()
        if model._meta.managed
        for name in _uuid_fields(model)
        for row in model._default_manager.filter(**{name: value})
    ]
    assert len(found) == 1, f"{value}: {len(found)} rows hold this id"
    return found[0]


def referrals_behind(row, depth: int = 0) -> set:
    """The referrals a row belongs to: itself, a person's referrals, or those reached
    through its foreign keys (an agenda item's case, a panel action's agenda item...)."""
    if isinstance(row, Referral):
        return {row.pk}
    if isinstance(row, Person):
        return set(row.referrals.values_list("pk", flat=True)) or {None}
    if depth > 4:
        return set()
    found = set()
    for field in row._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            target = getattr(row, field.name)
            if target is not None:
                found |= referrals_behind(target, depth + 1)
    return found


def case_urls(samples) -> dict[str, str]:
    """URL name -> URL, for every pattern whose sample object belongs to a case."""
    urls = {}
    for name in ALL_URL_NAMES:
        kwargs = samples.get(name, {})
        rows = [row_for(value) for value in kwargs.values() if isinstance(value, uuid.UUID)]
        if any(referrals_behind(row) for row in rows):
            urls[name] = reverse(name, kwargs=kwargs)
    return urls


def every_row() -> dict[str, list]:
    return {
        model._meta.label_lower: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and model._meta.label_lower not in WRITTEN_BY_READING
    }


@pytest.fixture(scope="module")
def case_urls_of_the_samples(module_transaction):
    """The reference data and one object per URL pattern, made once for this module's
    tests (each starts from them unchanged: tests/conftest.py, module_transaction)."""
    from tests.conftest import load_reference_rows

    load_reference_rows()
    return case_urls(url_samples())


@pytest.fixture
def walk(db, case_urls_of_the_samples, settings, client_as):
    settings.REFERRALS_SCOPE = "assigned"
    client = reauthenticated(client_as(SCOPED))
    return case_urls_of_the_samples, client


def test_the_walk_finds_the_views_that_take_a_case(walk):
    urls, _ = walk
    assert {
        "referrals:referral-detail",
        "referrals:person-edit",
        "channel:agenda-remove",
        "channel:decision-create",
        "channel:action-edit",
        "channel:case-panel",
        "vaf:assessment-detail",
        "casework:intervention-edit",
        "worklist:task-complete",
        "retention:case",
        "disclosures:sar-create",
        "disclosures:sar-review",
    } <= set(urls)
    # A meeting, an attendee and a sharing agreement are not about one case.
    assert not {"channel:meeting-detail", "channel:attendee-remove"} & set(urls)
    assert "disclosures:agreement-edit" not in urls


def test_every_view_of_a_case_outside_the_scope_is_404_and_changes_nothing(walk):
    urls, client = walk
    someone_else = make_user("other-case-manager", "channel")
    Referral.objects.update(case_manager=someone_else)
    before = every_row()
    wrong = {}
    for name, url in urls.items():
        expected = {404} if SCOPED in EXPECTED[name] else {403, 404}
        for method in ("get", "post"):
            status = getattr(client, method)(url, {"anything": "x"}).status_code
            if status not in expected:
                wrong[f"{method.upper()} {name}"] = status
    assert wrong == {}
    after = every_row()
    assert {label for label, rows in before.items() if after[label] != rows} == set()


def test_the_same_views_open_when_the_case_is_in_the_scope(walk, persona):
    urls, client = walk
    Referral.objects.update(case_manager=persona(SCOPED))
    outcomes = {name: client.get(url).status_code for name, url in urls.items()}
    expected = {name: 200 if SCOPED in EXPECTED[name] else 403 for name in urls}
    assert outcomes == expected
    assert list(expected.values()).count(200) >= 20
