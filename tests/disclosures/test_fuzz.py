"""Fuzzing (docs/security.md §21): arbitrary text, dates and ids posted to every form of the
register, the disclosure log and subject access never give a 500 and never write part of
a change."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosures.bundle import build_bundle
from disclosures.models import (
    DisclosureEntry,
    RedactionDecision,
    SharingAgreement,
    SubjectAccessRequest,
)
from prevent_portal.audit.models import AuditEvent
from tests.disclosures.conftest import make_agreement, make_request, sar_maker
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
DATE = st.one_of(
    TEXT,
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)).map(date.isoformat),
    st.sampled_from(["2026-02-30", "31/12/2025", "0000-00-00", "9999-12-31", "-1"]),
)
ID = st.one_of(TEXT, st.integers(min_value=-(2**63), max_value=2**64).map(str), st.uuids().map(str))
CHOICE = st.one_of(
    TEXT, st.sampled_from(["channel", "safeguarding", "secure_email", "panel_pack", "self"])
)
VALUE = st.one_of(TEXT, DATE, ID, CHOICE)


def counts():
    return (
        SharingAgreement.objects.count(),
        DisclosureEntry.objects.count(),
        SubjectAccessRequest.objects.count(),
        RedactionDecision.objects.count(),
    )


@pytest.fixture
def sar(client, reference_data):
    client.force_login(sar_maker())
    return client


@pytest.fixture
def case(reference_data):
    return new_referral()


AGREEMENT_FIELDS = [
    "title",
    "partner",
    "other_organisation",
    "purpose",
    "lawful_basis",
    "data_categories",
    "review_on",
    "document_reference",
    "token",
]


@FUZZ
@given(values=st.lists(VALUE, min_size=9, max_size=9))
def test_fuzzed_agreements_are_whole_or_nothing(sar, values):
    before = counts()
    data = dict(zip(AGREEMENT_FIELDS, values, strict=True))
    response = sar.post(reverse("disclosures:agreement-create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert counts() == before


@FUZZ
@given(values=st.lists(VALUE, min_size=9, max_size=9), version=ID)
def test_fuzzed_agreement_edits_are_whole_or_nothing(sar, values, version):
    agreement = SharingAgreement.objects.first() or make_agreement()
    agreement.refresh_from_db()
    data = dict(zip(AGREEMENT_FIELDS, values, strict=True)) | {"version": version}
    response = sar.post(reverse("disclosures:agreement-edit", args=[agreement.pk]), data)
    assert response.status_code in (200, 302)
    after = SharingAgreement.objects.get(pk=agreement.pk)
    if response.status_code == 200:
        assert (after.title, after.version) == (agreement.title, agreement.version)


@FUZZ
@given(ended_on=DATE, version=ID)
def test_fuzzed_agreement_ends_never_fail(sar, ended_on, version):
    agreement = make_agreement()
    response = sar.post(
        reverse("disclosures:agreement-end", args=[agreement.pk]),
        {"ended_on": ended_on, "version": version},
    )
    assert response.status_code in (200, 302)
    agreement.refresh_from_db()
    assert agreement.is_active == (response.status_code == 200)


ENTRY_FIELDS = [
    "what_shared",
    "recipient_partner",
    "recipient_organisation",
    "recipient_role",
    "purpose",
    "lawful_basis",
    "agreement",
    "shared_on",
    "method",
    "token",
]


@FUZZ
@given(values=st.lists(VALUE, min_size=10, max_size=10))
def test_fuzzed_disclosures_are_whole_or_nothing(sar, case, values):
    before = counts()
    events = AuditEvent.objects.filter(target_type="disclosures.disclosureentry").count()
    data = dict(zip(ENTRY_FIELDS, values, strict=True))
    response = sar.post(reverse("disclosures:entry-create", args=[case.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert counts() == before
        assert (
            AuditEvent.objects.filter(target_type="disclosures.disclosureentry").count() == events
        )


REQUEST_FIELDS = [
    "requester_name",
    "requester_relationship",
    "requester_contact",
    "identity_check",
    "received_on",
    "token",
]


@FUZZ
@given(values=st.lists(VALUE, min_size=6, max_size=6), name=TEXT, born=DATE)
def test_fuzzed_requests_and_searches_are_whole_or_nothing(sar, case, values, name, born):
    before = counts()
    search = sar.post(reverse("disclosures:sar-start"), {"name": name, "date_of_birth": born})
    assert search.status_code == 200
    data = dict(zip(REQUEST_FIELDS, values, strict=True))
    response = sar.post(reverse("disclosures:sar-create", args=[case.person_id]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert counts() == before


@FUZZ
@given(
    decisions=st.lists(st.tuples(CHOICE, TEXT | st.text(min_size=501, max_size=510)), max_size=4),
    keys=st.lists(TEXT, max_size=2),
    version=ID,
    confirm=TEXT,
)
def test_fuzzed_reviews_and_releases_are_whole_or_nothing(
    sar, case, decisions, keys, version, confirm
):
    request = SubjectAccessRequest.objects.first() or make_request(case.person)
    request.refresh_from_db()
    flagged = build_bundle(request, user=sar_maker()).flagged
    data = {"version": version}
    for index, (decision, note) in enumerate(decisions):
        data[f"key-{index}"] = flagged[index].key if index < len(flagged) else ""
        data[f"decision-{index}"] = decision
        data[f"note-{index}"] = note
    for index, key in enumerate(keys, start=len(decisions)):
        data[f"key-{index}"] = key
    before = counts()
    response = sar.post(reverse("disclosures:sar-review", args=[request.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert counts() == before
    release = sar.post(
        reverse("disclosures:sar-release", args=[request.pk]),
        {"version": version, "confirm": confirm},
    )
    assert release.status_code in (200, 302)
    request.refresh_from_db()
    if release.status_code == 200:
        assert not request.is_released
