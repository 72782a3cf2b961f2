from datetime import date

import pytest

from governance.choices import PartnerSector
from governance.models import District, Partner
from prevent_portal.audit.models import AuditEvent
from tests.training.helpers import course, make_session
from training.models import Evaluation, TrainingSession
from training.services import TrainingError, session_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_data(reference_data, persona):
    return {
        "date": "2026-02-03",
        "course": str(course("Prevent Awareness").pk),
        "bespoke_title": "",
        "format": "face_to_face",
        "trainers": [str(persona("education").pk)],
        "external_trainers": "Pat Invented",
        "audiences": [str(Partner.objects.get(name="Kent Police").pk)],
        "new_organisation": "",
        "district": str(District.objects.get(name="Dover").pk),
        "attendees": "23",
        "notes": "Held at the civic centre",
    }


def test_logging_a_session_saves_it_with_a_reference_and_audits_it(client_as, form_data):
    client = client_as("coordinator")
    response = client.post("/training/sessions/log/", form_data)
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/sessions/{session.pk}/"
    assert session.reference == "TS-2026-0001"
    assert session.attendees == 23
    assert [p.name for p in session.audiences.all()] == ["Kent Police"]
    assert [u.username for u in session.trainers.all()] == ["education"]
    assert session.district.name == "Dover"
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, target_id=str(session.pk))
    assert event.actor.username == "coordinator"
    assert event.changes["attendees"] == {"old": None, "new": 23}
    page = client.get(response["Location"]).content.decode()
    assert "TS-2026-0001" in page
    assert "3 February 2026" in page


def test_references_count_up_within_the_year_of_the_session(reference_data):
    first = make_session(on=date(2025, 12, 31))
    second = make_session(on=date(2026, 1, 1))
    third = make_session(on=date(2026, 6, 1))
    assert [first.reference, second.reference, third.reference] == [
        "TS-2025-0001",
        "TS-2026-0001",
        "TS-2026-0002",
    ]


def test_a_bespoke_input_needs_a_title(client_as, form_data):
    form_data.update(course="bespoke", bespoke_title="")
    response = client_as("coordinator").post("/training/sessions/log/", form_data)
    assert response.status_code == 200
    assert "Enter the title of the bespoke input" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_bespoke_input_is_saved_without_a_course(client_as, form_data):
    form_data.update(course="bespoke", bespoke_title="Talk to a housing forum")
    client_as("coordinator").post("/training/sessions/log/", form_data)
    session = TrainingSession.objects.get()
    assert session.course is None
    assert session.title == "Talk to a housing forum"


def test_the_service_refuses_a_session_without_course_or_title(reference_data):
    with pytest.raises(TrainingError):
        session_create(actor=None, date=date(2026, 1, 1), course=None, format="virtual",
                       attendees=1)  # fmt: skip
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "", "Enter the date of the session"),
        ("date", "2026-02-31", "Enter the date of the session as a real date"),
        ("date", "2999-01-01", "must be today or in the past"),
        ("attendees", "-1", "Attendees must be a whole number, 0 or more"),
        ("attendees", "twelve", "Attendees must be a whole number, 0 or more"),
        ("attendees", "", "Enter the number of attendees"),
        ("format", "", "Select the format of the session"),
        ("course", "", "Select the course, or other bespoke input"),
    ],
)
def test_bad_input_is_shown_in_the_error_summary(client_as, form_data, field, value, message):
    form_data[field] = value
    response = client_as("coordinator").post("/training/sessions/log/", form_data)
    text = response.content.decode()
    assert response.status_code == 200
    summary = text[text.index("govuk-error-summary") : text.index("</h1>")]
    assert message in summary
    assert not TrainingSession.objects.exists()


def test_an_organisation_not_in_the_list_is_added_as_other_and_audited(client_as, form_data):
    form_data["new_organisation"] = "  Invented  Youth Trust "
    client_as("coordinator").post("/training/sessions/log/", form_data)
    partner = Partner.objects.get(name="Invented Youth Trust")
    assert partner.sector == PartnerSector.OTHER
    session = TrainingSession.objects.get()
    assert sorted(p.name for p in session.audiences.all()) == [
        "Invented Youth Trust",
        "Kent Police",
    ]
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.CREATE, target_type="governance.partner", target_id=str(partner.pk)
    ).exists()


def test_an_organisation_already_in_the_list_is_not_added_twice(client_as, form_data):
    form_data["new_organisation"] = "kent police"
    client_as("coordinator").post("/training/sessions/log/", form_data)
    assert Partner.objects.filter(name__iexact="kent police").count() == 1


def test_the_multi_select_pickers_carry_the_enhancement_hook(client_as, reference_data):
    text = client_as("coordinator").get("/training/sessions/log/").content.decode()
    assert text.count('data-module="portal-multi-autocomplete"') == 2
    assert "Add an organisation not in the list" in text


def test_changing_a_session_keeps_its_reference_and_audits_old_and_new(client_as, form_data):
    session = make_session(on=date(2026, 2, 3), attendees=23)
    form_data["attendees"] = "30"
    response = client_as("education").post(f"/training/sessions/{session.pk}/change/", form_data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.attendees, session.reference) == (30, "TS-2026-0001")
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(session.pk))
    assert event.changes["attendees"] == {"old": 23, "new": 30}


def test_the_edit_form_is_filled_in_with_the_session(client_as, reference_data):
    session = make_session(attendees=17, audiences=("Kent Police",))
    text = client_as("coordinator").get(f"/training/sessions/{session.pk}/change/").content
    assert b'value="17"' in text
    assert b"selected>Kent Police" in text


def test_delete_asks_for_confirmation_on_get_and_deletes_on_post(client_as, reference_data):
    session = make_session()
    client = client_as("chair")
    response = client.get(f"/training/sessions/{session.pk}/delete/")
    assert response.status_code == 200
    assert b"Are you sure you want to delete session TS-2026-0001?" in response.content
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    response = client.post(f"/training/sessions/{session.pk}/delete/")
    assert response.status_code == 302
    assert not TrainingSession.objects.filter(pk=session.pk).exists()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE)
    assert event.summary.startswith("Deleted training session TS-2026-0001")
    # The audit keeps what was deleted (training records hold no personal data).
    assert event.changes["attendees"] == {"old": 10, "new": None}


@pytest.mark.parametrize("name", ["board", "channel", "community", "admin"])
def test_roles_without_training_cannot_log_a_session(client_as, form_data, name):
    response = client_as(name).post("/training/sessions/log/", form_data)
    assert response.status_code == 403
    assert not TrainingSession.objects.exists()


def test_an_unknown_session_is_404(client_as, reference_data):
    assert client_as("coordinator").get("/training/sessions/999999/").status_code == 404


def test_get_does_not_change_state(client_as, reference_data):
    session = make_session()
    client = client_as("coordinator")
    events = AuditEvent.objects.count()
    for path in ("delete/", "change/", "evaluations/batch/", "evaluations/add/"):
        client.get(f"/training/sessions/{session.pk}/{path}")
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    assert not Evaluation.objects.exists()
    assert AuditEvent.objects.count() == events
