import pytest

from reporting.demo import seed
from reporting.models import ReportEdition, SectionRevision
from reporting.narrative import render_narrative

pytestmark = pytest.mark.django_db


def test_the_demo_edition_is_seeded_once_with_sub_headings_and_a_history(persona):
    persona("coordinator")
    persona("education")
    persona("community")
    seed()
    seed()
    edition = ReportEdition.objects.get()
    assert edition.status == "draft"
    assert "Prevent coordinator" in edition.introduction
    headings = render_narrative(edition.introduction, number=1).headings
    assert [h.number for h in headings] == ["1.1", "1.2", "1.2.1"]
    history = SectionRevision.objects.filter(section="education_commentary")
    assert history.count() == 3
    assert {revision.saved_by.username for revision in history} == {"education"}
    assert "Case study" in edition.education_commentary
    authors = {author.section: author.user.username for author in edition.authors.all()}
    assert authors == {"education_commentary": "education", "community_commentary": "community"}


def test_the_demo_edition_needs_no_users():
    seed()
    assert ReportEdition.objects.get().introduction == ""
