import io

import pytest

from channel import demo
from channel.choices import Decision
from channel.models import AgendaItem, PanelMeeting
from channel.selectors import next_panel
from referrals import demo as referrals_demo
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_demo_panels_match_the_demo_cases_and_are_idempotent(reference_data):
    referrals_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    meetings = PanelMeeting.objects.count()
    assert meetings >= 3
    adopted = AgendaItem.objects.filter(decision=Decision.ADOPT).select_related("referral")
    assert adopted.exists()
    for item in adopted:
        steps = list(
            item.referral.events.order_by("occurred_on", "id").values_list("to_status", flat=True)
        )
        assert "consent" in steps
    for item in AgendaItem.objects.filter(decision=Decision.NOT_ADOPT):
        assert (
            item.onward_route and item.referral.events.filter(to_status=item.onward_route).exists()
        )
    upcoming = next_panel(make_user("c", "coordinator"))
    assert upcoming is not None and upcoming.agenda_items.filter(decision="").exists()
    demo.seed(stdout=io.StringIO())
    assert PanelMeeting.objects.count() == meetings


def test_next_panel_skips_cancelled_meetings_and_hides_from_other_roles(reference_data):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    PanelMeeting.objects.create(meeting_date=today + timedelta(days=1), status="cancelled")
    later = PanelMeeting.objects.create(meeting_date=today + timedelta(days=9))
    PanelMeeting.objects.create(meeting_date=today - timedelta(days=1))
    assert next_panel(make_user("s", "support")) == later
    assert next_panel(make_user("b", "board")) is None
