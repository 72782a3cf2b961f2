"""Fuzzing (docs/security.md §21): arbitrary text, dates and ids posted to every case work form
never give a 500, and a refused form writes nothing (the case's status included)."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.models import CaseNote, ConsentRecord, Intervention, RiskFlag
from referrals.models import Referral, ReferralEvent
from tests.casework.conftest import add_intervention, referral_at_consent
from tests.conftest import make_user

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
    st.sampled_from(["2026-02-30", "2026-03-15T25:61", "0000-00-00", "9999-12-31", "-1"]),
)
ID = st.one_of(TEXT, st.integers(min_value=-(2**63), max_value=2**64).map(str), st.uuids().map(str))
VALUE = st.one_of(TEXT, DATE, ID)

FORMS = {
    "consent-create": ["decision", "given_by", "given_by_name", "decided_on", "note", "version"],
    "intervention-create": ["kind", "provider", "goal", "starts_on", "ends_on", "sessions"],
    "intervention-edit": ["kind", "provider", "goal", "starts_on", "ends_on", "version"],
    "note-create": ["contact_at", "kind", "text", "corrects", "token"],
    "risk-create": ["kind", "raised_on", "to_whom", "reason", "police_led", "version"],
}


def state():
    return (
        ConsentRecord.objects.count(),
        Intervention.objects.count(),
        list(Intervention.objects.values_list("version", flat=True)),
        CaseNote.objects.count(),
        RiskFlag.objects.count(),
        list(Referral.objects.values_list("status", "version")),
        ReferralEvent.objects.count(),
    )


@pytest.fixture
def case(client, reference_data):
    user = make_user("fuzzer", "channel")
    client.force_login(user)
    referral = referral_at_consent()
    # An intervention to edit (on a case adopted directly, so consent stays open too).
    Referral.objects.filter(pk=referral.pk).update(status="adopted")
    referral.refresh_from_db()
    intervention = add_intervention(referral)
    Referral.objects.filter(pk=referral.pk).update(status="consent")
    return client, referral, intervention


@FUZZ
@given(
    name=st.sampled_from(sorted(FORMS)),
    values=st.lists(VALUE, min_size=6, max_size=6),
    token=st.one_of(ID, st.just("")),
)
def test_case_work_forms_never_fail_and_refusals_write_nothing(case, name, values, token):
    client, referral, intervention = case
    kwargs = {"pk": referral.pk}
    if name == "intervention-edit":
        kwargs["intervention_pk"] = intervention.pk
    data = dict(zip(FORMS[name], values, strict=False))
    data.setdefault("token", token)
    before = state()
    response = client.post(reverse(f"casework:{name}", kwargs=kwargs), data)
    assert response.status_code in (200, 302, 404)
    if response.status_code != 302:
        assert state() == before
