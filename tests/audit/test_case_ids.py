"""Case record ids in URLs are not guessable (docs/security.md §5).

Every URL pattern of the case-work apps that takes an object id must take it through
Django's `uuid` converter, so that nobody can walk case records by counting. Reference
data (sectors, providers, VAF versions) is not case data and keeps whole-number ids.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import UUIDConverter

# The apps whose records are about a person referred.
CASE_APPS = (
    "referrals",
    "channel",
    "vaf",
    "casework",
    "worklist",
    "documents",
    "retention",
    "disclosures",
)
# Reference data inside those apps: lists of categories, not records about people.
REFERENCE_PREFIXES = ("referrals/reference/", "referrals/vaf/versions/")
# Board meetings (governance) are not about a person: their papers are reached by the
# meeting's whole-number id, like the meeting itself.
NOT_CASE_PREFIXES = ("partnership/board/",)
# Case-work URL patterns still reached by a whole-number id (expected failures): none.
KNOWN_WHOLE_NUMBER_IDS: set[str] = set()


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern,
                prefix + str(pattern.pattern),
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
            )
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern), pattern


def case_patterns():
    for name, route, pattern in _walk(get_resolver()):
        module = pattern.callback.__module__.split(".")[0]
        if module not in CASE_APPS or route.startswith(REFERENCE_PREFIXES + NOT_CASE_PREFIXES):
            continue
        converters = getattr(pattern.pattern, "converters", {})
        if converters:
            yield name, route, converters


def test_there_are_case_patterns_to_check():
    names = {name for name, _, _ in case_patterns()}
    assert {"referrals:referral-detail", "casework:notes", "disclosures:sar-create"} <= names


@pytest.mark.parametrize("name", sorted({name for name, _, _ in case_patterns()}))
def test_every_case_record_id_in_a_url_is_a_uuid(name):
    route, converters = next((r, c) for n, r, c in case_patterns() if n == name)
    not_uuid = {
        kwarg: type(converter).__name__
        for kwarg, converter in converters.items()
        if not isinstance(converter, UUIDConverter)
    }
    if name in KNOWN_WHOLE_NUMBER_IDS:
        assert not_uuid, f"{name} now uses UUIDs: take it off KNOWN_WHOLE_NUMBER_IDS"
        pytest.xfail(f"{route}: whole-number ids {not_uuid} (open work)")
    assert not not_uuid, f"{route} takes {not_uuid}: case record ids must be UUIDs"


def test_the_known_exceptions_still_exist():
    names = {name for name, _, _ in case_patterns()}
    assert names >= KNOWN_WHOLE_NUMBER_IDS


def test_the_case_models_have_uuid_primary_keys():
    from django.db import models

    from referrals.models import Person, Referral

    for model in (Referral, Person):
        assert isinstance(model._meta.pk, models.UUIDField), model
