"""Section authors: the coordinator assigns a section to a user, who may then write that
section only, while the edition is a draft; the coordinator approves the edition."""

import pytest
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent
from reporting.models import EditionStatus, ReportEdition, SectionAuthor, SectionRevision
from reporting.services import EditionError, edition_approve, section_assign, section_save
from tests.conftest import make_user
from tests.queries import assert_same_queries, page_queries
from tests.reporting.conftest import make_edition

pytestmark = pytest.mark.django_db


def _url(name, edition, slug="education", *extra):
    return reverse(f"reporting:{name}", args=[edition.pk, slug, *extra])


def test_the_coordinator_assigns_education_to_the_education_officer(client_as, persona):
    edition = make_edition()
    officer = persona("education")
    client = client_as("coordinator")
    page = client.get(_url("annual-section-author", edition))
    assert page.status_code == 200 and "Prevent Education Officer" in page.text
    response = client.post(_url("annual-section-author", edition), {"user": officer.pk})
    assert response.status_code == 302
    author = SectionAuthor.objects.get()
    assert (author.section, author.user, author.assigned_by.username) == (
        "education_commentary",
        officer,
        "coordinator",
    )
    sections = client.get(reverse("reporting:annual-sections", args=[edition.pk])).text
    assert "Education" in sections and officer.get_full_name() in sections
    event = AuditEvent.objects.filter(target_id=str(edition.pk)).latest("pk")
    assert event.changes == {"author of education_commentary": {"old": "", "new": "education"}}


def test_someone_who_may_not_write_cannot_be_made_an_author(client_as, persona):
    edition = make_edition()
    board = persona("board")
    response = client_as("coordinator").post(
        _url("annual-section-author", edition), {"user": board.pk}
    )
    assert response.status_code == 200
    assert "Choose someone who may write the annual report" in response.text
    assert "govuk-error-summary" in response.text and "<title>Error: " in response.text
    assert not SectionAuthor.objects.exists()
    with pytest.raises(EditionError):
        section_assign(actor=persona("coordinator"), edition=edition, section="summary", user=board)


def test_the_author_writes_their_section_and_no_other(client_as, persona):
    edition = make_edition()
    officer = persona("education")
    section_assign(
        actor=persona("coordinator"),
        edition=edition,
        section="education_commentary",
        user=officer,
    )
    client = client_as("education")
    mine = client.get(reverse("reporting:annual-my-sections"))
    assert mine.status_code == 200
    assert reverse("reporting:annual-sections", args=[edition.pk]) in mine.text
    listing = client.get(reverse("reporting:annual-sections", args=[edition.pk])).text
    assert _url("annual-section-edit", edition) in listing
    assert _url("annual-section-edit", edition, "training") not in listing
    response = client.post(
        _url("annual-section-edit", edition),
        {"text": "## Schools\n\n- more sessions", "base_revision": 0},
    )
    assert response.status_code == 302
    assert SectionRevision.objects.get().saved_by == officer
    assert client.get(_url("annual-section-history", edition)).status_code == 200
    # Another section, the cover, approval and the preview stay closed to the author.
    other = client.post(
        _url("annual-section-edit", edition, "training"), {"text": "x", "base_revision": 0}
    )
    assert other.status_code == 403
    assert client.get(_url("annual-section-author", edition)).status_code == 403
    assert client.get(reverse("reporting:annual-edit", args=[edition.pk])).status_code == 403
    approve = client.post(reverse("reporting:annual-approve", args=[edition.pk]), {"version": 2})
    assert approve.status_code == 403
    assert client.get(reverse("reporting:annual-preview", args=[edition.pk])).status_code == 403
    assert ReportEdition.objects.get().training_commentary == ""
    with pytest.raises(EditionError):
        section_save(
            actor=officer,
            edition=edition,
            section="training_commentary",
            text="x",
            base_revision=0,
        )


def test_an_author_of_nothing_in_the_edition_gets_403(client_as, persona):
    edition = make_edition()
    section_assign(
        actor=persona("coordinator"),
        edition=edition,
        section="education_commentary",
        user=persona("education"),
    )
    client = client_as("community")
    assert client.get(reverse("reporting:annual-sections", args=[edition.pk])).status_code == 403
    assert client.get(_url("annual-section-edit", edition)).status_code == 403


def test_once_approved_the_author_may_no_longer_write(client_as, persona):
    edition = make_edition()
    section_assign(
        actor=persona("coordinator"),
        edition=edition,
        section="education_commentary",
        user=persona("education"),
    )
    edition_approve(actor=persona("coordinator"), edition=edition, expected_version=1)
    client = client_as("education")
    response = client.post(_url("annual-section-edit", edition), {"text": "x", "base_revision": 0})
    assert response.status_code == 403
    assert ReportEdition.objects.get().status == EditionStatus.APPROVED
    assert (
        "No section of a draft edition" in client.get(reverse("reporting:annual-my-sections")).text
    )


def test_the_home_page_tells_an_author_about_their_sections(client_as, persona):
    edition = make_edition()
    section_assign(
        actor=persona("coordinator"),
        edition=edition,
        section="community_commentary",
        user=persona("community"),
    )
    html = client_as("community").get(reverse("reporting:dashboard")).text
    assert "The annual report has 1 section for you to write." in html
    assert reverse("reporting:annual-my-sections") in html


def test_author_pages_keep_their_query_budget(client_as, persona):
    officer = persona("education")
    coordinator = persona("coordinator")

    def more(count, start):
        for n in range(start, start + count):
            edition = make_edition(title=f"Edition {n}")
            section_assign(
                actor=coordinator, edition=edition, section="education_commentary", user=officer
            )
            make_user(f"writer{n}", "education")

    def measure(edition):
        urls = [
            reverse("reporting:annual-my-sections"),
            reverse("reporting:annual-sections", args=[edition.pk]),
            _url("annual-section-edit", edition),
        ]
        runs = [page_queries(client_as("education"), url) for url in urls]
        return runs + [
            page_queries(client_as("coordinator"), _url("annual-section-author", edition))
        ]

    more(1, 0)
    edition = ReportEdition.objects.get()
    small = measure(edition)
    more(6, 1)
    large = measure(edition)
    for before, after in zip(small, large, strict=True):
        assert_same_queries(before, after, at_most=25)
