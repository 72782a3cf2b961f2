import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from prevent_portal.audit.models import AuditEvent
from tests.channel.conftest import ADOPTED, case_in, make_meeting, on_agenda
from tests.conftest import make_user, reauthenticated

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, mode: str = "-layout") -> str:
    result = subprocess.run(
        ["pdftotext", mode, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.fixture
def meeting(reference_data):
    meeting = make_meeting(location="Invented House, Room 2")
    from channel import services

    services.attendee_add(
        actor=None, meeting=meeting, name="Pat Invented", role="DSL", attendance="present"
    )
    on_agenda(meeting, case_in(given="Jamie", family="Testwood"))
    on_agenda(meeting, case_in(*ADOPTED, given="Alex", family="Fakeley"))
    return meeting


def produce(client, meeting):
    reauthenticated(client)  # a case export needs a fresh password and code
    response = client.get(reverse("channel:meeting-pack", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    return response.content


def test_the_pack_is_marked_watermarked_and_names_people_for_identity_holders(client, meeting):
    user = make_user(
        "jordan", "channel", first_name="Jordan", last_name="Kestrel", can_see_identities=True
    )
    client.force_login(user)
    pdf = produce(client, meeting)
    text = pdf_text(pdf)
    # -raw keeps the diagonal watermark's words in reading order (-layout scatters them).
    pages = [page for page in pdf_text(pdf, "-raw").split("\f") if page.strip()]
    assert len(pages) >= 3  # the cover, then one page per case
    for page in pages:
        assert page.count("OFFICIAL-SENSITIVE") >= 2, page  # top and bottom of every page
        squeezed = "".join(page.split())
        # The footer names the producer once; the watermark names them again, with the time.
        assert squeezed.count("JordanKestrel") >= 2, page
        assert squeezed.count(f"{timezone.localdate():%-d%B%Y}") >= 2, page
    assert "Panel pack:" in text and "Invented House, Room 2" in text
    assert "Pat Invented" in text
    assert "Jamie Testwood" in text and "Alex Fakeley" in text
    assert "Worrying posts" in text  # the concerns
    assert "Education" in text and "11 to 15" in text  # sector; age band (born 2010)
    assert "Adopted as a Channel case" in text  # status of the second case
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.actor_username == "jordan"
    assert event.target_type == "channel.panelmeeting" and event.target_id == str(meeting.pk)
    assert "Testwood" not in str(event.changes)


def test_the_pack_masks_names_without_the_identity_permission(client, meeting):
    client.force_login(make_user("sam", "coordinator", first_name="Sam", last_name="Checker"))
    text = pdf_text(produce(client, meeting))
    assert "Testwood" not in text and "Fakeley" not in text
    assert "J. T. (name hidden)" in text
    assert "Sam Checker" in text


def test_the_pack_is_refused_to_support(client_as, meeting):
    response = client_as("support").get(reverse("channel:meeting-pack", args=[meeting.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()


def test_a_page_of_the_pack_renders_as_an_image(client, meeting, tmp_path):
    """Render the cover as PNG (artifacts/screenshots/channel-pack-*.png) to look at."""
    from tests.browser.fixtures import ARTIFACTS

    client.force_login(make_user("jordan", "channel", first_name="Jordan", last_name="Kestrel"))
    pdf_path = tmp_path / "pack.pdf"
    pdf_path.write_bytes(produce(client, meeting))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for page in (1, 2):
        subprocess.run(
            [
                "pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                str(pdf_path), str(ARTIFACTS / f"channel-pack-page-{page}"),
            ],
            check=True,
        )  # fmt: skip
        assert (ARTIFACTS / f"channel-pack-page-{page}.png").stat().st_size > 5000
