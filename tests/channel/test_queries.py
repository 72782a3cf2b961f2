"""Query budgets: the same number of queries whatever the number of rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from channel import services
from tests.channel.conftest import case_in, make_meeting, on_agenda
from tests.queries import assert_same_queries, page_queries

pytestmark = pytest.mark.django_db


def build_meeting(size):
    meeting = make_meeting()
    for index in range(size):
        item = on_agenda(meeting, case_in(family=f"Budget{index}"))
        services.attendee_add(actor=None, meeting=meeting, name=f"Rep {index}")
        services.action_add(
            actor=None,
            meeting=meeting,
            description=f"Action {index}",
            owner="Owner",
            due_on=meeting.meeting_date + timedelta(days=7),
            agenda_item=item,
        )
    return meeting


def count_queries(client, url):
    client.get(reverse("reporting:dashboard"))  # warm the per-session caches first
    return page_queries(client, url, warm=False)


@pytest.mark.parametrize("persona_name", ["channel", "support"])
def test_the_meeting_page_costs_the_same_at_two_sizes(client_as, reference_data, persona_name):
    client = client_as(persona_name)
    small, large = build_meeting(2), build_meeting(9)
    counts = [
        count_queries(client, reverse("channel:meeting-detail", args=[meeting.pk]))
        for meeting in (small, large)
    ]
    assert_same_queries(*counts, at_most=20)


def test_the_panel_list_costs_the_same_at_two_sizes(client_as, reference_data):
    client = client_as("channel")
    today = timezone.localdate()
    counts = []
    for total in (3, 30):
        for index in range(total - (counts and 3 or 0)):
            meeting = make_meeting(on=today + timedelta(days=(-1) ** index * (index + 1)))
            on_agenda(meeting, case_in(family=f"List{total}{index}"))
        counts.append(count_queries(client, reverse("channel:meeting-list")))
    assert_same_queries(*counts, at_most=12)


def test_the_case_panel_section_costs_the_same_at_two_sizes(client_as, reference_data):
    client = client_as("channel")
    referral = case_in()
    client.get(reverse("channel:case-panel", args=[referral.pk]))  # the reference rows cached
    counts = []
    for extra in (1, 6):
        for index in range(extra):
            on_agenda(
                make_meeting(on=timezone.localdate() + timedelta(days=index + extra)), referral
            )
        counts.append(count_queries(client, reverse("channel:case-panel", args=[referral.pk])))
    assert_same_queries(*counts)
