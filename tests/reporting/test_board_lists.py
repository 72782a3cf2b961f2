"""The board page shows the first 20 overdue actions and changes, and links to the plan
page filtered to all of them; its queries do not grow with the plan."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import BoardMeeting, ProgressUpdate
from reporting.selectors import board_view
from tests.governance.factories import make_action
from tests.queries import assert_same_queries, page_queries
from tests.reporting.test_board_view import _plan_of

pytestmark = pytest.mark.django_db


def _rows(body: str, caption_start: str) -> int:
    """The rows of the table whose caption starts with `caption_start`."""
    table = body.split(caption_start, 1)[1].split("</table>", 1)[0]
    return table.count('<tr class="govuk-table__row">') - 1  # less the header row


def test_the_board_page_shows_20_of_each_long_list_and_links_to_the_rest(client_as, reference_data):
    plan, _areas = _plan_of(90)  # 22 overdue actions, 50 updates since the last meeting
    body = client_as("board").get(reverse("reporting:board")).content.decode()
    assert "22 actions past their due date and not complete: the first 20 by due date" in body
    assert _rows(body, "22 actions past their due date") == 20
    plan_url = reverse("governance:plan-detail", args=[plan.pk])
    assert f'href="{plan_url}?due=overdue">See all 22 overdue actions in the plan</a>' in body
    assert "50 progress updates: the latest 20" in body
    assert _rows(body, "50 progress updates") == 20
    met = BoardMeeting.objects.order_by("-held_on").first().held_on
    assert f'href="{plan_url}?updated_after={met:%Y-%m-%d}"' in body


def test_short_lists_are_shown_whole_without_a_link(client_as, reference_data):
    _plan_of(6)
    body = client_as("board").get(reverse("reporting:board")).content.decode()
    assert "1 action past its due date and not complete</caption>" in body
    assert "See all" not in body


def test_the_board_pack_keeps_every_row(reference_data):
    _plan_of(90)
    view = board_view()
    assert len(view.overdue) == view.overdue_count == 22
    assert len(view.changes) == view.changes_count == 50
    limited = board_view(limit=20)
    assert [a.pk for a in limited.overdue] == [a.pk for a in view.overdue][:20]
    assert [u.pk for u in limited.changes] == [u.pk for u in view.changes][:20]
    assert (limited.overdue_count, limited.changes_count) == (22, 50)


def test_the_plan_page_filters_to_the_rest_of_the_lists(client_as, reference_data):
    plan, _areas = _plan_of(90)
    client = client_as("board")
    url = reverse("governance:plan-detail", args=[plan.pk])
    overdue = client.get(url, {"due": "overdue"}).content.decode()
    assert re.search(r">\s*22 actions\s*</caption>", overdue)
    met = BoardMeeting.objects.order_by("-held_on").first().held_on
    updated = client.get(url, {"updated_after": f"{met:%Y-%m-%d}"}).content.decode()
    assert re.search(r">\s*50 actions\s*</caption>", updated)
    assert met < timezone.localdate() - timedelta(days=1)


def _queries(client):
    return page_queries(client, reverse("reporting:board"), warm=False)


def test_the_board_page_takes_the_same_queries_at_two_plan_sizes(client_as, reference_data):
    client = client_as("board")
    plan, areas = _plan_of(6)
    client.get(reverse("reporting:board"))  # warm the caches (session, partnership name)
    small = _queries(client)
    today = timezone.localdate()
    for n in range(80):  # overdue, each updated since the last meeting, against a risk area
        action = make_action(
            plan, reference=f"9.{n}", heading=n % 8 + 1, due_on=today - timedelta(days=40 + n)
        )
        action.risk_areas.add(areas[0])
        ProgressUpdate.objects.create(
            action=action, dated=today - timedelta(days=1), author_name="Invented",
            status="at_risk", rag="amber", narrative=f"Later update {n}",
        )  # fmt: skip
    assert board_view(limit=20).overdue_count > 80
    assert_same_queries(small, _queries(client))
