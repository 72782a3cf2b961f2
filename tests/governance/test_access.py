"""Board members read every plan, risk and board page and change nothing."""

import pytest
from django.urls import reverse

from governance.models import (
    BoardMeeting,
    BoardMember,
    DistrictNote,
    MeetingAction,
    Plan,
    PlanAction,
    PlanHeading,
    ProgressUpdate,
    RiskArea,
    RiskAssessment,
)
from prevent_portal.audit.models import AuditEvent
from tests.conftest import PERSONAS
from tests.governance import access_rules
from tests.reporting import access_rules as reporting_rules

pytestmark = pytest.mark.django_db

# The governance pages and the board's reporting pages; the annual report's pages are
# walked by tests/test_url_walk.py.
RULES = {
    **access_rules.EXPECTED,
    **{
        name: allowed
        for name, allowed in reporting_rules.EXPECTED.items()
        if not name.startswith("reporting:annual")
    },
}
MODELS = [
    Plan, PlanAction, PlanHeading, ProgressUpdate, RiskAssessment, RiskArea, BoardMember,
    BoardMeeting, MeetingAction, DistrictNote,
]  # fmt: skip


def _snapshot():
    return {model.__name__: list(model.objects.values()) for model in MODELS}


@pytest.fixture
def urls(reference_data):
    kwargs = {**reporting_rules.url_kwargs(), **access_rules.url_kwargs()}
    return {name: reverse(name, kwargs=kwargs.get(name, {})) for name in RULES}


@pytest.mark.parametrize("persona_name", sorted(PERSONAS))
def test_each_persona_opens_exactly_its_governance_pages(client_as, urls, persona_name):
    client = client_as(persona_name)
    outcomes = {name: client.get(url).status_code for name, url in urls.items()}
    expected = {name: 200 if persona_name in RULES[name] else 403 for name in urls}
    assert outcomes == expected


def test_board_members_can_read_every_plan_risk_and_board_page(client_as, urls):
    client = client_as("board")
    readable = [name for name in urls if "board" in RULES[name]]
    assert len(readable) == 14  # 11 pages, the board pack PDF, Prevent statistics and a table
    for name in readable:
        assert client.get(urls[name]).status_code == 200, name


def test_board_members_get_403_on_every_write_and_nothing_changes(client_as, urls):
    client = client_as("board")
    writes = [name for name in urls if "board" not in RULES[name]]
    assert len(writes) == 20
    before = _snapshot()
    events = AuditEvent.objects.exclude(verb=AuditEvent.Verb.ACCESS_DENIED).count()
    for name in writes:
        response = client.post(
            urls[name],
            {"title": "x", "reference": "9.9", "narrative": "x", "name": "x", "note": "x"},
        )
        assert response.status_code == 403, name
    assert _snapshot() == before
    assert AuditEvent.objects.exclude(verb=AuditEvent.Verb.ACCESS_DENIED).count() == events


def test_get_on_a_write_page_changes_nothing(client_as, urls):
    client = client_as("coordinator")
    before = _snapshot()
    for name in ("governance:progress-create", "governance:plan-import", "governance:plan-create"):
        assert client.get(urls[name]).status_code == 200
    assert _snapshot() == before


def test_an_unknown_object_is_404(client_as, reference_data):
    client = client_as("board")
    for name in ("governance:action-detail", "governance:plan-detail", "governance:meeting-detail"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
