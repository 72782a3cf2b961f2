import pytest

from prevent_portal.audit.models import AuditEvent
from training.catalogue import load_catalogue
from training.models import Course

pytestmark = pytest.mark.django_db

REFERENCE_TITLES = [
    "Prevent Awareness",
    "Prevent and Radicalisation",
    "Extreme Identities Online",
    "Extremist exploitation of Covid-19",
    "Extremist use of online gaming",
    "Incels: online subculture of misogyny",
    "School massacre ideology",
]


def test_the_reference_offer_is_seeded_in_catalogue_order():
    assert list(Course.objects.values_list("title", flat=True)) == REFERENCE_TITLES
    awareness = Course.objects.get(title="Prevent Awareness")
    assert (awareness.duration, awareness.capacity) == ("1 hour", 40)
    assert awareness.formats_display == "Face-to-face or virtual"
    assert Course.objects.get(title="School massacre ideology").capacity == 200


def test_loading_the_catalogue_again_adds_nothing():
    assert load_catalogue(Course) == 0
    assert Course.objects.count() == 7


def test_the_catalogue_page_lists_the_offer(client_as):
    response = client_as("education").get("/training/offer/")
    assert response.status_code == 200
    text = response.content.decode()
    positions = [text.index(title) for title in REFERENCE_TITLES]
    assert positions == sorted(positions)
    assert "Up to 200 participants" in text
    assert "Other bespoke input" in text


def test_changing_a_course_is_audited(client_as):
    course = Course.objects.get(title="Prevent Awareness")
    response = client_as("coordinator").post(
        f"/training/offer/{course.pk}/change/",
        {
            "title": "Prevent Awareness",
            "duration": "90 minutes",
            "formats": ["face_to_face", "virtual"],
            "capacity": "40",
            "description": "",
            "topics": "",
            "status": "available",
            "position": str(course.position),
        },
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.duration == "90 minutes"
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(course.pk))
    assert event.changes["duration"] == {"old": "1 hour", "new": "90 minutes"}


def test_a_course_needs_at_least_one_format(client_as):
    response = client_as("coordinator").post(
        "/training/offer/add/",
        {"title": "New course", "duration": "1 hour", "capacity": "10", "status": "available",
         "position": "50"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select at least one format" in response.content.decode()
    assert not Course.objects.filter(title="New course").exists()
