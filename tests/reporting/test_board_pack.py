import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_portal.audit.models import AuditEvent
from prevent_portal.ui.pdf import RefusedResource, StaticFilesOnlyFetcher, render_pdf
from tests.governance.factories import make_action, make_meeting, make_plan


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.fixture
def plan(reference_data):
    today = timezone.localdate()
    plan = make_plan(starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=200))
    make_action(
        plan,
        reference="4.2",
        heading=4,
        due_on=today - timedelta(days=10),
        status="off_track",
        rag="red",
        description="Deliver Prevent Awareness to every district housing team",
    )
    return plan


@pytest.mark.django_db
def test_the_board_pack_is_a_pdf_with_the_plan_and_overdue_actions(client_as, plan):
    meeting = make_meeting(held_on=timezone.localdate())
    response = client_as("board").get(reverse("reporting:board-pack"), {"meeting": meeting.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert f"Board pack for the meeting of {meeting.held_on:%-d %B %Y}" in text
    assert "Kent and Medway Prevent Partnership" in text
    assert "Overdue actions" in text
    assert "4.2" in text and "Deliver Prevent Awareness" in text
    assert "Red" in text
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT, actor_username="board")
    assert event.target_type == "governance.boardmeeting"
    assert event.target_id == str(meeting.pk)


@pytest.mark.django_db
def test_an_unknown_meeting_is_404_and_nothing_is_audited(client_as, plan):
    client = client_as("board")
    before = AuditEvent.objects.count()
    for value in ("999999", "not-a-number"):
        response = client.get(reverse("reporting:board-pack"), {"meeting": value})
        assert response.status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_pack_as_at_an_earlier_meeting_does_not_count_later_overdue(client_as, plan):
    earlier = make_meeting(held_on=timezone.localdate() - timedelta(days=30))
    response = client_as("coordinator").get(
        reverse("reporting:board-pack"), {"meeting": earlier.pk}
    )
    assert "No actions are overdue." in pdf_text(response.content)


def test_the_fetcher_serves_the_portals_static_files():
    response = StaticFilesOnlyFetcher().fetch("https://portal.invalid/static/css/print.css")
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/print.css",
        "https://example.com/static/css/print.css",
        "https://portal.invalid/static/../../settings.py",
        "https://portal.invalid/media/upload.png",
        "https://portal.invalid/static/no-such-file.css",
        "data:text/plain,hello",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedResource):
        StaticFilesOnlyFetcher().fetch(url)


def test_a_template_that_links_a_local_file_renders_without_it(tmp_path, settings):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "probe.html").write_text(
        # A whole document (language, title), as every PDF must be (tests/pdf_checks.py).
        f'<html lang="en"><head><title>Probe</title></head><body><p>Visible</p>'
        f'<object data="file://{secret}"></object><img src="file://{secret}" alt="Probe">'
        f'<iframe src="file://{secret}"></iframe></body></html>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    text = pdf_text(render_pdf("probe.html", {}))
    assert "Visible" in text
    assert "TOP-SECRET-CONTENT" not in text


def test_pdf_dates_use_the_uk_format():
    assert f"{date(2026, 12, 3):%-d %B %Y}" == "3 December 2026"


@pytest.mark.django_db
def test_the_pack_for_a_meeting_lists_updates_since_the_meeting_before(client_as, plan):
    from governance.models import PlanAction, ProgressUpdate

    today = timezone.localdate()
    before, meeting = (
        make_meeting(today - timedelta(days=60)),
        make_meeting(today - timedelta(days=10)),
    )
    action = PlanAction.objects.get(reference="4.2")
    for days_ago, words in ((70, "too early"), (30, "in the cycle"), (5, "after the meeting")):
        ProgressUpdate.objects.create(
            action=action, dated=today - timedelta(days=days_ago), author_name="Invented",
            status="on_track", rag="green", narrative=f"Update {words}",
        )  # fmt: skip
    text = pdf_text(
        client_as("board").get(reverse("reporting:board-pack"), {"meeting": meeting.pk}).content
    )
    assert f"Changed since the board met on {before.held_on:%-d %B %Y}" in text
    assert "Update in the cycle" in text
    assert "too early" not in text and "after the meeting" not in text
