"""Fuzzing (docs/security.md §21): every governance form, posted arbitrary values (see
tests/fuzzing.py), never gives a 500, and a refusal changes nothing.

Views covered (every POST handler in governance/urls.py and views.py):
governance:partnership-edit, partner-create, partner-edit, district-create, district-edit,
peo-area-create, peo-area-edit, plan-create, plan-edit, plan-import (the action importer:
also through governance.services.plan_actions_import), action-create, action-edit,
progress-create, heading-create, heading-edit, risk-assessment-create,
risk-assessment-edit, risk-area-create, risk-area-edit, board-member-create,
board-member-edit, meeting-create, meeting-edit, meeting-action-create,
meeting-action-edit, district-contact-edit, district-note-create.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.models import District, Partner, PeoArea
from tests.fuzzing import FUZZ, AppFuzzer, csv_files, upload

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "governance:partnership-edit",
    "governance:partner-create",
    "governance:partner-edit",
    "governance:district-create",
    "governance:district-edit",
    "governance:peo-area-create",
    "governance:peo-area-edit",
]
FORMS = [
    *ADMIN_PAGES,
    "governance:plan-create",
    "governance:plan-edit",
    "governance:action-create",
    "governance:action-edit",
    "governance:progress-create",
    "governance:heading-create",
    "governance:heading-edit",
    "governance:risk-assessment-create",
    "governance:risk-assessment-edit",
    "governance:risk-area-create",
    "governance:risk-area-edit",
    "governance:board-member-create",
    "governance:board-member-edit",
    "governance:meeting-create",
    "governance:meeting-edit",
    "governance:meeting-action-create",
    "governance:meeting-action-edit",
    "governance:district-contact-edit",
    "governance:district-note-create",
]
UPLOADS = ["governance:plan-import"]


def reference_kwargs():
    return {
        "governance:partner-edit": {"pk": Partner.objects.first().pk},
        "governance:district-edit": {"pk": District.objects.first().pk},
        "governance:peo-area-edit": {"pk": PeoArea.objects.first().pk},
    }


@pytest.fixture
def fuzzer(client, persona, reference_data):
    return AppFuzzer(
        client,
        persona,
        "governance",
        ["governance"],
        expected=dict.fromkeys(ADMIN_PAGES, {"admin"}),
        kwargs=reference_kwargs,
    )


def test_every_form_of_the_app_is_fuzzed(fuzzer):
    assert fuzzer.self_posting_pages() <= set(FORMS) | set(UPLOADS)


@FUZZ
@given(data=st.data())
def test_fuzzed_forms_never_fail_and_refusals_change_nothing(fuzzer, data):
    """Each example posts drawn values to every form of the app in turn."""
    for name in FORMS:
        fuzzer.fuzz_page(name, data)


GOOD_ACTION = {
    "reference": "F.1",
    "heading": "1",
    "description": "Invented action",
    "owner": "Kent Police",
    "lead": "Invented Lead",
    "due_date": "2026-09-30",
    "status": "not_started",
}


@FUZZ
@given(data=st.data())
def test_fuzzed_plan_imports_import_every_row_or_nothing(fuzzer, data):
    from governance.services import IMPORT_COLUMNS

    url = fuzzer.url("governance:plan-import")
    raw = data.draw(csv_files(IMPORT_COLUMNS, GOOD_ACTION), label="file")
    fuzzer.check(url, {"file": upload(raw)})


def test_a_nul_byte_late_in_an_import_is_refused_not_a_server_error(fuzzer):
    from governance.models import PlanAction

    body = "reference,heading,description,owner,lead,due_date,status\n"
    body += "N.1,1," + "x" * 5000 + "\x00,,Lead,2026-09-30,not_started\n"
    url = fuzzer.url("governance:plan-import")
    before = PlanAction.objects.count()
    response = fuzzer.check(url, {"file": upload(body.encode())})
    assert response.status_code == 200
    assert "The selected file must be a CSV" in response.content.decode()
    assert PlanAction.objects.count() == before
