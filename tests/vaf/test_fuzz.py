"""Fuzzing (docs/security.md §21): arbitrary values posted to the assessment forms never give a
500, and either save a whole assessment or nothing."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.vaf.conftest import days_ago, gathering_case, structure
from vaf.models import Assessment, Rating
from vaf.services import assessment_create

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
DATE = st.one_of(
    TEXT,
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)).map(date.isoformat),
    st.sampled_from(["2026-02-30", "0000-00-00", "9999-12-31", "-1"]),
)
LEVEL = st.one_of(
    TEXT, st.sampled_from(["not_present", "some_evidence", "significant_evidence", "not_known"])
)
FIELDS = ["rating_status", "note_status", "rating_criminal_history", "summary", "version", "token"]


@pytest.fixture
def manager(client_as, reference_data):
    return client_as("channel")


def posted(values: dict, assessed_on: str, action: str) -> dict:
    data = {f"rating_{factor.key}": "not_present" for factor in structure().factors}
    data.update({"assessed_on": assessed_on, "management_plan": "Plan", "action": action})
    data.update(values)
    return data


@FUZZ
@given(
    values=st.fixed_dictionaries({}, optional={name: st.one_of(TEXT, LEVEL) for name in FIELDS}),
    assessed_on=DATE,
    action=st.sampled_from(["complete", "draft", "", "x"]),
)
def test_fuzzed_new_assessments_save_whole_or_nothing(manager, values, assessed_on, action):
    referral = gathering_case()
    url = reverse("vaf:assessment-create", kwargs={"pk": referral.pk})
    response = manager.post(url, posted(values, assessed_on, action))
    assert response.status_code in (200, 302)
    made = Assessment.objects.filter(referral=referral)
    if response.status_code == 200:
        assert not made.exists()
    else:
        assert made.count() == 1 and Rating.objects.filter(assessment=made.get()).count() == 22
    made.delete()


@FUZZ
@given(
    values=st.fixed_dictionaries({}, optional={name: st.one_of(TEXT, LEVEL) for name in FIELDS}),
    assessed_on=DATE,
    action=st.sampled_from(["complete", "draft", ""]),
)
def test_fuzzed_edits_change_everything_or_nothing(manager, persona, values, assessed_on, action):
    referral = gathering_case()
    draft = assessment_create(
        actor=persona("channel"), referral=referral, assessed_on=days_ago(3), ratings={}
    )
    url = reverse("vaf:assessment-edit", kwargs={"pk": referral.pk, "assessment_pk": draft.pk})
    response = manager.post(url, posted(values, assessed_on, action))
    assert response.status_code in (200, 302)
    stored = Assessment.objects.get(pk=draft.pk)
    if response.status_code == 200:
        assert stored.version == 1 and stored.summary == ""
        assert not stored.ratings.filter(level__isnull=False).exists()
    else:
        assert stored.version == 2
    referral.vaf_assessments.all().delete()
