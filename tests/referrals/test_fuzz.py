"""Fuzzing (docs/security.md §21): arbitrary text, dates and ids posted to the intake journey,
the edit pages and the importer never give a 500 and never write part of a change."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prevent_portal.ui.uploads import ImportRowsError, UploadError
from referrals.importers import referrals_import_file
from referrals.models import Person, Referral, ReferralEvent, ReferralImport
from tests.conftest import make_user
from tests.referrals.conftest import new_referral

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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
VALUE = st.one_of(TEXT, DATE, ID)


def counts():
    return (
        Referral.objects.count(),
        Person.objects.count(),
        ReferralEvent.objects.count(),
        ReferralImport.objects.count(),
    )


@pytest.fixture
def manager(client, reference_data):
    user = make_user("fuzzer", "coordinator")
    user.can_see_identities = True
    user.save()
    client.force_login(user)
    return client


INTAKE_FIELDS = {
    "person": ["given_names", "family_name", "date_of_birth", "approximate_age", "sex"],
    "match": ["person"],
    "person-details": ["address", "district", "nationality", "first_language", "setting"],
    "referrer": ["name", "role", "organisation", "sector", "contact"],
    "concern-types": ["types", "primary"],
    "concerns": ["concerns", "complex_needs", "other_information"],
    "received": ["date_received", "person_aware", "police_reference"],
}


@FUZZ
@given(
    step=st.sampled_from(sorted(INTAKE_FIELDS)),
    values=st.lists(VALUE, min_size=5, max_size=5),
    token=ID,
)
def test_the_intake_journey_never_fails_and_records_nothing_from_bad_input(
    manager, step, values, token
):
    before = counts()
    manager.post(reverse("referrals:intake-start"))
    data = dict(zip(INTAKE_FIELDS[step], values, strict=False))
    response = manager.post(reverse(f"referrals:intake-{step}"), data)
    assert response.status_code in (200, 302)
    # The check page with a stray token, or a journey still incomplete, records nothing.
    response = manager.post(reverse("referrals:intake-check"), {"token": token})
    assert response.status_code in (200, 302)
    assert counts() == before


PERSON_FIELDS = [
    "given_names",
    "family_name",
    "date_of_birth",
    "approximate_age",
    "sex",
    "address",
    "district",
    "nationality",
    "first_language",
    "setting",
    "version",
]
REFERRAL_FIELDS = [
    "referrer_name",
    "sector",
    "concern_types",
    "primary_concern",
    "concerns",
    "person_aware",
    "date_received",
    "police_reference",
    "version",
]


@pytest.fixture
def case(reference_data):
    return new_referral()


@FUZZ
@given(values=st.lists(VALUE, min_size=11, max_size=11))
def test_fuzzed_person_edits_are_whole_or_nothing(manager, case, values):
    person = Person.objects.get(pk=case.person_id)
    before = counts()
    data = dict(zip(PERSON_FIELDS, values, strict=True))
    response = manager.post(reverse("referrals:person-edit", kwargs={"pk": case.pk}), data)
    assert response.status_code in (200, 302)
    assert counts() == before
    after = Person.objects.get(pk=person.pk)
    if response.status_code == 200:  # refused: nothing of it was saved
        assert after.version == person.version
        assert (after.given_names, after.date_of_birth) == (
            person.given_names,
            person.date_of_birth,
        )


@FUZZ
@given(values=st.lists(VALUE, min_size=9, max_size=9), types=st.lists(ID, max_size=3))
def test_fuzzed_referral_edits_are_whole_or_nothing(manager, case, values, types):
    referral = Referral.objects.get(pk=case.pk)
    before_types = set(referral.concern_types.values_list("pk", flat=True))
    before = counts()
    data = dict(zip(REFERRAL_FIELDS, values, strict=True)) | {"concern_types": types}
    response = manager.post(reverse("referrals:referral-edit", kwargs={"pk": case.pk}), data)
    assert response.status_code in (200, 302)
    assert counts() == before
    after = Referral.objects.get(pk=case.pk)
    if response.status_code == 200:
        assert after.version == referral.version
        assert (after.sector_id, after.date_received, after.concerns) == (
            referral.sector_id,
            referral.date_received,
            referral.concerns,
        )
        assert set(after.concern_types.values_list("pk", flat=True)) == before_types


@FUZZ
@given(manager_id=ID, version=ID)
def test_fuzzed_reassignments_never_fail(manager, case, manager_id, version):
    before = Referral.objects.get(pk=case.pk)
    response = manager.post(
        reverse("referrals:case-manager-edit", kwargs={"pk": case.pk}),
        {"case_manager": manager_id, "version": version},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        after = Referral.objects.get(pk=case.pk)
        assert (after.case_manager_id, after.version) == (before.case_manager_id, before.version)


COLUMNS = [
    "reference",
    "given_names",
    "family_name",
    "date_of_birth",
    "approximate_age",
    "sex",
    "district",
    "sector",
    "concern_types",
    "main_concern",
    "date_received",
    "status",
    "status_date",
    "left_process_on",
    "outcome",
    "person_aware",
]
GOOD_ROW = [
    "",
    "Jamie",
    "Testwood",
    "2008-04-01",
    "",
    "Male",
    "Dover",
    "Education",
    "Islamist",
    "",
    "2025-05-10",
    "Closed: no further action",
    "",
    "2025-06-01",
    "",
    "yes",
]


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.one_of(st.none(), VALUE), min_size=len(COLUMNS), max_size=len(COLUMNS)),
        min_size=1,
        max_size=4,
    ),
    raw=st.one_of(st.none(), st.binary(max_size=80)),
)
def test_fuzzed_imports_import_every_row_or_nothing(reference_data, rows, raw):
    if raw is None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        # None keeps the good value of that cell: rows mix good and arbitrary cells.
        writer.writerows(
            [
                [good if cell is None else cell for cell, good in zip(row, GOOD_ROW, strict=True)]
                for row in rows
            ]
        )
        raw = buffer.getvalue().encode()
    before = counts()
    try:
        result = referrals_import_file(actor=None, data=raw)
    except (ImportRowsError, UploadError):
        assert counts() == before
    else:
        assert Referral.objects.count() == before[0] + result["referrals"] == before[0] + len(rows)


@FUZZ
@given(raw=st.binary(max_size=200), name=TEXT)
def test_fuzzed_uploads_never_fail(manager, raw, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # The browser sends a base name; "", "." and ".." are refused by the test client itself.
    name = name.replace("/", "").replace("\\", "")
    if name.strip(". ") == "":
        name = "x.csv"
    before = counts()
    response = manager.post(reverse("referrals:import"), {"file": SimpleUploadedFile(name, raw)})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert manager.get(response["Location"]).status_code == 200
    assert counts()[:3] == before[:3]


@pytest.fixture
def review(reference_data):
    from referrals.models import PersonMatchReview

    earlier = new_referral(given="Jamie", family="Testwood")
    later = new_referral(given="Jo", family="Testwood", received=date(2026, 3, 3))
    review = PersonMatchReview.objects.create(referral=later)
    review.candidates.set([earlier.person])
    return review


@FUZZ
@given(same_as=st.one_of(ID, st.just("new")), confirm=VALUE)
def test_fuzzed_match_confirmations_never_fail_nor_half_move(manager, review, same_as, confirm):
    from referrals.models import PersonMatchReview

    candidate = review.candidates.get()
    before = PersonMatchReview.objects.get(pk=review.pk)
    people = Person.objects.count()
    url = reverse("referrals:match-review", kwargs={"pk": review.pk})
    response = manager.post(url, {"same_as": same_as, "confirm": confirm})
    assert response.status_code in (200, 302)
    after = PersonMatchReview.objects.get(pk=review.pk)
    person_now = Referral.objects.get(pk=review.referral_id).person_id
    if response.status_code == 200:  # shown again, or the confirmation page: nothing moved
        assert after.status == before.status
        assert Person.objects.count() == people
    elif after.status == PersonMatchReview.Status.SAME_PERSON:
        assert person_now == candidate.pk and Person.objects.count() == people - 1
    else:
        assert after.status == PersonMatchReview.Status.NEW_PERSON
        assert person_now != candidate.pk and Person.objects.count() == people
