from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.demo import seed
from governance.models import (
    BoardMeeting,
    BoardMember,
    Plan,
    PlanAction,
    PlanHeading,
    ProgressUpdate,
    RiskArea,
)
from governance.services import (
    ImportRowsError,
    PlanError,
    plan_actions_import,
    progress_update_record,
)
from prevent_portal.audit.models import AuditEvent
from prevent_portal.ui.uploads import UploadError
from tests.governance.factories import make_action, make_area, make_assessment, make_plan

pytestmark = pytest.mark.django_db

HEADER = "reference,heading,description,owner,lead,due_date,status\n"


def test_the_eight_plan_headings_are_seeded_by_migration():
    assert list(PlanHeading.objects.values_list("number", "title"))[:3] == [
        (1, "Prevent partnership structures and plans"),
        (2, "Specified agency responsibilities"),
        (3, "Prevent referral process and Channel"),
    ]
    assert PlanHeading.objects.count() == 8
    assert PlanHeading.objects.get(number=8).title == "Communications"


def test_coordinator_posts_a_progress_update_and_the_action_takes_its_rag(
    client_as, reference_data
):
    action = make_action(make_plan(), reference="4.1", heading=4)
    response = client_as("coordinator").post(
        reverse("governance:progress-create", args=[action.pk]),
        {"dated": "2026-06-30", "status": "at_risk", "rag": "amber", "narrative": "Slipping"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag, action.rag_key) == ("at_risk", "amber", "amber")
    update = action.updates.get()
    assert update.author_name == "Coordinator Testperson" and update.dated == date(2026, 6, 30)
    event = AuditEvent.objects.get(target_type="governance.progressupdate")
    assert event.changes["rag"] == {"old": "", "new": "amber"}
    page = client_as("board").get(reverse("governance:action-detail", args=[action.pk]))
    body = page.content.decode()
    assert "moj-timeline" in body and "Slipping" in body and "30 June 2026" in body


def test_a_completed_action_refuses_another_update_and_nothing_changes(
    client_as, reference_data, persona
):
    action = make_action(make_plan(), reference="2.1", heading=2)
    progress_update_record(
        actor=persona("coordinator"), action=action, dated=date(2026, 7, 1),
        status="complete", rag="green", narrative="Done",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.rag_key == "complete" and action.rag == ""
    with pytest.raises(PlanError, match="complete"):
        progress_update_record(
            actor=persona("coordinator"), action=action, dated=date(2026, 8, 1),
            status="on_track", rag="green", narrative="More",
        )  # fmt: skip
    client = client_as("coordinator")
    url = reverse("governance:progress-create", args=[action.pk])
    for response in (
        client.get(url, follow=True),
        client.post(
            url,
            {"dated": "2026-08-01", "status": "on_track", "rag": "green", "narrative": "More"},
            follow=True,
        ),
    ):
        assert response.redirect_chain[-1][0] == reverse(
            "governance:action-detail", args=[action.pk]
        )
        assert "cannot have another progress update" in response.content.decode()
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_a_progress_update_needs_a_rag_when_on_track_and_a_date_in_the_plan(
    client_as, reference_data
):
    action = make_action(make_plan(), reference="3.1", heading=3)
    client = client_as("coordinator")
    url = reverse("governance:progress-create", args=[action.pk])
    response = client.post(url, {"dated": "2026-06-30", "status": "on_track", "narrative": "x"})
    assert "Select the RAG rating at this date" in response.content.decode()
    response = client.post(
        url, {"dated": "2025-06-30", "status": "on_track", "rag": "green", "narrative": "x"}
    )
    assert "on or after the start of the plan (1 April 2026)" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_an_action_due_before_the_plan_starts_is_refused(client_as, reference_data):
    plan = make_plan()
    heading = PlanHeading.objects.get(number=5)
    response = client_as("chair").post(
        reverse("governance:action-create", args=[plan.pk]),
        {
            "reference": "5.1",
            "heading": heading.pk,
            "description": "Refresher",
            "due_on": "2026-01-31",
        },
    )
    assert response.status_code == 200
    assert "The due date must be on or after the start of the plan" in response.content.decode()
    assert not PlanAction.objects.exists()
    response = client_as("chair").post(
        reverse("governance:action-create", args=[plan.pk]),
        {
            "reference": "5.1",
            "heading": heading.pk,
            "description": "Refresher",
            "due_on": "2026-05-31",
        },
    )
    assert response.status_code == 302
    assert PlanAction.objects.get().description == "Refresher"


def test_import_creates_every_action_and_audits_once(reference_data, tmp_path):
    plan = make_plan()
    path = tmp_path / "plan.csv"
    path.write_text(
        HEADER
        + "1.1,1,Review the terms of reference,Kent County Council,Lead,2026-09-30,On track\n"
        + "8.2,Communications,Publish the annual report,,Team,31/03/2027,\n",
        encoding="utf-8",
    )
    call_command("import_plan_actions", str(path))
    actions = list(plan.actions.order_by("reference"))
    assert [(a.reference, a.heading.number, a.status) for a in actions] == [
        ("1.1", 1, "on_track"),
        ("8.2", 8, "not_started"),
    ]
    assert actions[0].owner.name == "Kent County Council"
    assert actions[1].due_on == date(2027, 3, 31)
    assert (
        AuditEvent.objects.filter(
            verb=AuditEvent.Verb.IMPORT, target_type="governance.plan"
        ).count()
        == 1
    )


def test_import_with_bad_rows_lists_each_line_and_imports_nothing(reference_data, tmp_path):
    plan = make_plan()
    path = tmp_path / "plan.csv"
    path.write_text(
        HEADER
        + "1.1,1,Good row,,,2026-09-30,\n"
        + "1.2,Sport and leisure,Unknown heading,,,2026-09-30,\n"
        + "1.3,1,Too early,,,2026-01-01,\n"
        + "1.1,1,Duplicate reference,Nobody Council,,2026-09-30,Finished\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="3 row"):
        call_command("import_plan_actions", str(path))
    assert not plan.actions.exists()
    with pytest.raises(ImportRowsError) as error:
        plan_actions_import(actor=None, plan=plan, data=path.read_bytes())
    lines = dict(error.value.errors)
    assert sorted(lines) == [3, 4, 5]
    assert (
        "Unknown heading 'sport and leisure'" in lines[3] or "unknown heading" in lines[3].lower()
    )
    assert "1 april 2026" in lines[4].lower()
    assert (
        "already exists" in lines[5]
        and "unknown owner" in lines[5]
        and "unknown status" in lines[5]
    )


def test_the_browser_import_shows_row_errors(client_as, reference_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = make_plan()
    upload = SimpleUploadedFile("plan.csv", (HEADER + "1.1,99,X,,,2026-09-30,\n").encode())
    response = client_as("coordinator").post(
        reverse("governance:plan-import", args=[plan.pk]), {"file": upload}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "no actions were imported" in body and "Unknown heading" in body
    assert not plan.actions.exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: (HEADER + t).encode()))
def test_fuzzed_imports_fail_cleanly_or_import_everything(reference_data, data):
    plan = make_plan()
    before = plan.actions.count()
    try:
        created = plan_actions_import(actor=None, plan=plan, data=data)
    except (UploadError, ImportRowsError):
        assert plan.actions.count() == before
    else:
        assert plan.actions.count() == before + created
    plan.actions.all().delete()


def test_risk_areas_without_actions_are_shown(client_as, reference_data):
    plan = make_plan()
    assessment = make_assessment()
    covered = make_area(assessment, title="Online radicalisation")
    make_area(assessment, title="Unregulated settings")
    make_action(plan, reference="6.1", heading=6).risk_areas.add(covered)
    response = client_as("board").get(
        reverse("governance:risk-assessment-detail", args=[assessment.pk])
    )
    body = response.content.decode()
    assert "1 priority risk area has no action against it: Unregulated settings" in body


def test_the_hub_shows_the_current_plan_by_heading_and_the_districts(client_as, reference_data):
    plan = make_plan()
    make_action(plan, reference="7.1", heading=7, status="on_track", rag="red")
    body = client_as("support").get(reverse("governance:index")).content.decode()
    assert "Partnership plan 2026–27" in body
    assert "7 Community engagement" in body and "govuk-tag--red" in body
    assert "Tunbridge Wells" in body
    assert reverse("reporting:board") in body


def test_demo_data_is_invented_and_idempotent(reference_data):
    from io import StringIO

    seed(stdout=StringIO())
    counts = (
        PlanAction.objects.count(), ProgressUpdate.objects.count(), RiskArea.objects.count(),
        BoardMember.objects.count(), BoardMeeting.objects.count(),
    )  # fmt: skip
    assert counts[0] == 40 and counts[2] == 11 and counts[4] == 3
    assert set(PlanAction.objects.values_list("heading__number", flat=True)) == set(range(1, 9))
    assert Plan.objects.get().title == "2026–27"
    seed(stdout=StringIO())
    assert counts == (
        PlanAction.objects.count(), ProgressUpdate.objects.count(), RiskArea.objects.count(),
        BoardMember.objects.count(), BoardMeeting.objects.count(),
    )  # fmt: skip
