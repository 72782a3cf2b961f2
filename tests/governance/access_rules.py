"""Who may open each governance page (merged into tests/test_url_walk.py EXPECTED).

Board members read every plan, risk and board page and change nothing.
"""

from governance.models import District, MeetingAction, PlanHeading, ProgressUpdate

MANAGERS = {"coordinator", "chair"}
READERS = MANAGERS | {"support", "board"}  # governance.plan_view
MINUTERS = MANAGERS | {"support"}  # governance.meetings_manage

EXPECTED = {
    "governance:index": READERS,
    "governance:plan-create": MANAGERS,
    "governance:plan-detail": READERS,
    "governance:plan-edit": MANAGERS,
    "governance:plan-import": MANAGERS,
    "governance:action-create": MANAGERS,
    "governance:action-detail": READERS,
    "governance:action-edit": MANAGERS,
    "governance:progress-create": MANAGERS,
    "governance:heading-list": READERS,
    "governance:heading-create": MANAGERS,
    "governance:heading-edit": MANAGERS,
    "governance:risk-assessment-list": READERS,
    "governance:risk-assessment-create": MANAGERS,
    "governance:risk-assessment-detail": READERS,
    "governance:risk-assessment-edit": MANAGERS,
    "governance:risk-area-create": MANAGERS,
    "governance:risk-area-edit": MANAGERS,
    "governance:board-member-list": READERS,
    "governance:board-member-create": MINUTERS,
    "governance:board-member-edit": MINUTERS,
    "governance:meeting-list": READERS,
    "governance:meeting-create": MINUTERS,
    "governance:meeting-detail": READERS,
    "governance:meeting-edit": MINUTERS,
    "governance:meeting-action-create": MINUTERS,
    "governance:meeting-action-edit": MINUTERS,
    "governance:district-detail": READERS,
    "governance:district-contact-edit": MANAGERS,
    "governance:district-note-create": MANAGERS,
}


def url_kwargs():
    from datetime import date

    from tests.governance.factories import (
        make_action,
        make_area,
        make_assessment,
        make_meeting,
        make_member,
        make_plan,
    )

    plan = make_plan()
    action = make_action(plan, reference="W.1")
    ProgressUpdate.objects.get_or_create(
        action=action,
        dated=date(2026, 6, 30),
        defaults={"author_name": "Walker", "status": "on_track", "rag": "green", "narrative": "x"},
    )
    assessment = make_assessment()
    area = make_area(assessment, title="Walk area")
    action.risk_areas.add(area)
    meeting = make_meeting()
    meeting.attendees.add(make_member())
    item = MeetingAction.objects.create(
        meeting=meeting, description="Walk", owner="Coordinator", due_on=date(2026, 8, 1)
    )
    district = District.objects.first()
    return {
        "governance:plan-detail": {"pk": plan.pk},
        "governance:plan-edit": {"pk": plan.pk},
        "governance:plan-import": {"pk": plan.pk},
        "governance:action-create": {"plan_pk": plan.pk},
        "governance:action-detail": {"pk": action.pk},
        "governance:action-edit": {"pk": action.pk},
        "governance:progress-create": {"pk": action.pk},
        "governance:heading-edit": {"pk": PlanHeading.objects.first().pk},
        "governance:risk-assessment-detail": {"pk": assessment.pk},
        "governance:risk-assessment-edit": {"pk": assessment.pk},
        "governance:risk-area-create": {"assessment_pk": assessment.pk},
        "governance:risk-area-edit": {"pk": area.pk},
        "governance:board-member-edit": {"pk": meeting.attendees.first().pk},
        "governance:meeting-detail": {"pk": meeting.pk},
        "governance:meeting-edit": {"pk": meeting.pk},
        "governance:meeting-action-create": {"meeting_pk": meeting.pk},
        "governance:meeting-action-edit": {"pk": item.pk},
        "governance:district-detail": {"pk": district.pk},
        "governance:district-contact-edit": {"pk": district.pk},
        "governance:district-note-create": {"pk": district.pk},
    }
