"""Fuzzing (docs/security.md §21): every annual report form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing in the reporting
tables nor the audit log.

Views covered (every POST handler in reporting/urls.py and views.py):
reporting:annual-create, reporting:annual-edit, reporting:annual-generate,
reporting:annual-section-edit, reporting:annual-section-restore,
reporting:annual-section-author,
reporting:annual-approve and reporting:annual-run-retry (forms declared here: their
pages show them only in some states).
"""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from reporting.models import EditionStatus
from tests.fuzzing import FUZZ, AppFuzzer, Field
from tests.reporting.conftest import make_edition

pytestmark = pytest.mark.django_db

FORMS = [
    "reporting:annual-create",
    "reporting:annual-edit",
    "reporting:annual-generate",
    "reporting:annual-section-edit",
    "reporting:annual-section-restore",
    "reporting:annual-section-author",
]


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(client, persona, "reporting", ["reporting"])


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS)


@FUZZ
@given(data=st.data())
def test_fuzzed_forms_never_fail_and_refusals_change_nothing(fuzzer, data):
    """Each example posts drawn values to every form of the app in turn."""
    for name in FORMS:
        fuzzer.fuzz_page(name, data)


@pytest.mark.parametrize("name", ["reporting:annual-approve", "reporting:annual-run-retry"])
@FUZZ
@given(data=st.data())
def test_fuzzed_approvals_and_retries_never_fail(fuzzer, name, data):
    """Their forms are a button and, for approval, the version the user saw."""

    def build():
        if name == "reporting:annual-run-retry":
            return fuzzer.url(name)
        fuzzer.url("reporting:annual-list")  # signs the manager in
        edition = make_edition(title="Fuzzed edition", status=EditionStatus.DRAFT)
        return reverse(name, kwargs={"pk": edition.pk})

    fields = {"version": Field("version", "hidden", "1"), "extra": Field("extra", "text")}
    fuzzer.fuzz(name, build, data, fields=fields)
