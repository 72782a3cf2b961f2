from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import BoardMeeting, ProgressUpdate
from reporting.selectors import board_view
from tests.governance.factories import (
    make_action,
    make_area,
    make_assessment,
    make_meeting,
    make_plan,
)

pytestmark = pytest.mark.django_db


def _plan_of(size: int):
    """A current plan with `size` actions spread over the headings, each with an update,
    each linked to a risk area; and two meetings."""
    today = timezone.localdate()
    plan = make_plan(starts_on=today - timedelta(days=200), ends_on=today + timedelta(days=165))
    assessment = make_assessment()
    areas = [make_area(assessment, title=f"Area {n}") for n in range(3)]
    for n in range(size):
        action = make_action(
            plan,
            reference=f"{n % 8 + 1}.{n}",
            heading=n % 8 + 1,
            due_on=today - timedelta(days=30) if n % 3 == 0 else today + timedelta(days=30),
            status=["on_track", "at_risk", "off_track", "complete"][n % 4],
            rag=["green", "amber", "red", ""][n % 4],
        )
        action.risk_areas.add(areas[n % 2])
        ProgressUpdate.objects.create(
            action=action, dated=today - timedelta(days=n % 20), author_name="Invented",
            status=action.status, rag=action.rag, narrative=f"Update {n}",
        )  # fmt: skip
    make_meeting(today - timedelta(days=60))
    make_meeting(today - timedelta(days=10))
    return plan, areas


def test_the_board_view_counts_rag_by_heading_and_shows_coverage(client_as, reference_data):
    today = timezone.localdate()
    plan = make_plan(starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=265))
    assessment = make_assessment()
    covered, uncovered = make_area(assessment, title="Covered"), make_area(assessment, title="Gap")
    later = today + timedelta(days=30)
    a = make_action(plan, reference="4.1", heading=4, status="on_track", rag="green", due_on=later)
    make_action(plan, reference="4.2", heading=4, status="complete", rag="", due_on=later)
    make_action(plan, reference="4.3", heading=4, status="off_track", rag="red",
                due_on=today - timedelta(days=1))  # fmt: skip
    a.risk_areas.add(covered)
    view = board_view()
    training = next(row for row in view.progress if row["heading"].number == 4)
    assert training["counts"] == {"red": 1, "amber": 0, "green": 1, "complete": 1, "none": 0}
    assert training["percent_complete"] == 33
    assert [(s["key"], s["width"]) for s in training["bar"]] == [
        ("red", "33.33"), ("green", "33.33"), ("complete", "33.33"),
    ]  # fmt: skip
    assert [action.reference for action in view.overdue] == ["4.3"]
    assert [area.title for area in view.uncovered] == [uncovered.title]
    body = client_as("board").get(reverse("reporting:board")).content.decode()
    assert 'data-rag="red"' in body and "<svg" in body and " style=" not in body
    assert "1 of 3 complete (33%)" in body
    assert "1 of 2 have no action" not in body and "1 of 2 has no action against it" in body


def test_changes_since_the_last_meeting_are_the_updates_after_it(reference_data):
    today = timezone.localdate()
    plan = make_plan(starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=265))
    action = make_action(plan, reference="1.1", heading=1)
    for days, narrative in ((40, "Before"), (5, "After")):
        ProgressUpdate.objects.create(
            action=action, dated=today - timedelta(days=days), author_name="Invented",
            status="on_track", rag="green", narrative=narrative,
        )  # fmt: skip
    BoardMeeting.objects.create(held_on=today - timedelta(days=20))
    assert [u.narrative for u in board_view().changes] == ["After"]


def test_the_board_view_without_a_plan_says_so(client_as, reference_data):
    body = client_as("board").get(reverse("reporting:board")).content.decode()
    assert "There is no partnership plan yet." in body


@pytest.mark.parametrize("size", [3, 40])
def test_board_view_query_budget(client_as, reference_data, django_assert_max_num_queries, size):
    _plan_of(size)
    client = client_as("board")
    # 19 for the plan and risks, 1 for the board pack's list of meetings, 16 for the
    # year's activity (training 5, education 6, community 5 or 6)
    with django_assert_max_num_queries(36):
        response = client.get(reverse("reporting:board"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize(
    "name", ["governance:index", "governance:plan-detail", "governance:risk-assessment-detail",
             "governance:meeting-list", "governance:heading-list"],
)  # fmt: skip
def test_governance_list_query_budgets(
    client_as, reference_data, django_assert_max_num_queries, size, name
):
    plan, _areas = _plan_of(size)
    for n in range(size):
        make_meeting(date(2020, 1, 1) + timedelta(days=n))
    kwargs = {
        "governance:plan-detail": {"pk": plan.pk},
        "governance:risk-assessment-detail": {"pk": make_assessment().pk},
    }.get(name, {})
    client = client_as("board")
    with django_assert_max_num_queries(15):
        response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
