"""Writing the narrative section by section: every save a revision (who, when), a save
that meets a newer one keeps the writer's text beside theirs, the history with its
differences, and restoring a revision."""

import pytest
from django.urls import reverse

from prevent_portal.audit.models import AuditEvent
from reporting.diffs import side_by_side
from reporting.models import EditionStatus, ReportEdition, SectionRevision
from reporting.services import (
    SectionConflictError,
    edition_approve,
    section_restore,
    section_save,
)
from tests.queries import assert_same_queries, page_queries
from tests.reporting.conftest import make_edition

pytestmark = pytest.mark.django_db

LONG_TEXT = "## My part\n\n" + "Typed with care. " * 525  # 8,900 characters or so


def _url(name, edition, slug="training", *extra):
    return reverse(f"reporting:{name}", args=[edition.pk, slug, *extra])


# ----------------------------------------------------------------------------- services


def test_each_save_is_a_revision_with_who_and_when_and_is_audited_without_text(persona):
    edition = make_edition()
    coordinator = persona("coordinator")
    first = section_save(
        actor=coordinator,
        edition=edition,
        section="training_commentary",
        text="One",
        base_revision=0,
    )
    second = section_save(
        actor=coordinator,
        edition=edition,
        section="training_commentary",
        text="Two",
        base_revision=1,
    )
    assert (first.number, second.number) == (1, 2)
    assert second.saved_by == coordinator and second.saved_at is not None
    edition.refresh_from_db()
    assert edition.training_commentary == "Two" and edition.version == 3
    event = AuditEvent.objects.filter(target_id=str(edition.pk)).latest("pk")
    assert event.changes == {"training_commentary": {"changed": True}}
    assert "Two" not in str(event.changes) and "Two" not in event.summary


def test_an_unchanged_save_makes_no_revision(persona):
    edition = make_edition(training_commentary="Same")
    assert (
        section_save(
            actor=persona("coordinator"),
            edition=edition,
            section="training_commentary",
            text="Same",
            base_revision=0,
        )
        is None
    )
    assert not SectionRevision.objects.exists()


def test_a_save_that_meets_a_newer_one_is_refused_and_carries_both_texts(persona):
    edition = make_edition()
    section_save(
        actor=persona("chair"),
        edition=edition,
        section="summary",
        text="Theirs",
        base_revision=0,
    )
    with pytest.raises(SectionConflictError) as refused:
        section_save(
            actor=persona("coordinator"),
            edition=edition,
            section="summary",
            text="Mine",
            base_revision=0,
        )
    assert refused.value.text == "Mine" and refused.value.theirs.text == "Theirs"
    edition.refresh_from_db()
    assert edition.summary == "Theirs" and SectionRevision.objects.count() == 1


def test_a_save_to_an_approved_edition_returns_it_to_draft(persona):
    edition = make_edition()
    edition = edition_approve(actor=persona("chair"), edition=edition, expected_version=1)
    section_save(
        actor=persona("coordinator"),
        edition=edition,
        section="summary",
        text="More",
        base_revision=0,
    )
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT and edition.approved_by is None


def test_restoring_puts_the_old_text_back_as_a_new_revision(persona):
    edition = make_edition()
    actor = persona("coordinator")
    for number, text in enumerate(["First", "Second"]):
        section_save(
            actor=actor, edition=edition, section="summary", text=text, base_revision=number
        )
    old = SectionRevision.objects.get(section="summary", number=1)
    restored = section_restore(actor=actor, edition=edition, revision=old, base_revision=2)
    assert (restored.number, restored.text, restored.restored_from) == (3, "First", 1)
    assert ReportEdition.objects.get().summary == "First"
    assert SectionRevision.objects.filter(section="summary").count() == 3


def test_the_side_by_side_diff_pairs_lines():
    rows = side_by_side("a\nb\nc", "a\nB\nc\nd")
    assert [(r.kind, r.left, r.right) for r in rows] == [
        ("same", "a", "a"),
        ("changed", "b", "B"),
        ("same", "c", "c"),
        ("added", None, "d"),
    ]


# -------------------------------------------------------------------------------- pages


def test_the_sections_page_shows_who_last_changed_each_section(client_as, persona):
    edition = make_edition()
    section_save(
        actor=persona("chair"),
        edition=edition,
        section="training_commentary",
        text="Hi",
        base_revision=0,
    )
    html = client_as("coordinator").get(reverse("reporting:annual-sections", args=[edition.pk]))
    assert "By Chair" in html.text and "(revision 1)" in html.text
    assert _url("annual-section-edit", edition) in html.text
    assert "None" not in html.text.split("<main", 1)[1]


def test_saving_a_section_from_the_page(client_as):
    edition = make_edition()
    client = client_as("coordinator")
    page = client.get(_url("annual-section-edit", edition))
    assert page.status_code == 200 and 'name="base_revision"' in page.text
    response = client.post(
        _url("annual-section-edit", edition), {"text": "## Done\n\n- a", "base_revision": 0}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:annual-sections", args=[edition.pk])
    revision = SectionRevision.objects.get()
    assert revision.saved_by.username == "coordinator"
    assert ReportEdition.objects.get().training_commentary == "## Done\n\n- a"


def test_a_second_tab_keeps_its_text_shows_theirs_with_differences_then_merges(client_as, persona):
    edition = make_edition()
    client = client_as("coordinator")
    # The first tab saves; the second tab, opened at the same revision, saves after it.
    client.post(
        _url("annual-section-edit", edition), {"text": "Theirs\nshared", "base_revision": 0}
    )
    response = client.post(
        _url("annual-section-edit", edition), {"text": LONG_TEXT, "base_revision": 0}
    )
    html = response.text
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "Someone else saved this section while you were writing" in html
    form = response.context["form"]
    assert form.initial["text"] == LONG_TEXT  # nothing typed is lost
    assert form.initial["base_revision"] == 1
    assert "Typed with care." * 1 in html and "Their version" in html
    assert "<del>" in html and "Theirs" in html
    assert ReportEdition.objects.get().training_commentary == "Theirs\nshared"
    # Merging: the writer saves again from the page, now over revision 1.
    merged = "Theirs\nshared\n\n" + LONG_TEXT
    again = client.post(_url("annual-section-edit", edition), {"text": merged, "base_revision": 1})
    assert again.status_code == 302
    assert ReportEdition.objects.get().training_commentary == merged
    assert SectionRevision.objects.count() == 2


def test_bad_input_shows_an_error_and_saves_nothing(client_as):
    edition = make_edition()
    client = client_as("coordinator")
    for data in (
        {"text": "x"},
        {"text": "x", "base_revision": "many"},
        {"text": "x" * 50_001, "base_revision": 0},
    ):
        response = client.post(_url("annual-section-edit", edition), data)
        assert response.status_code == 200
        assert "govuk-error-summary" in response.text and "<title>Error: " in response.text
    assert not SectionRevision.objects.exists()
    assert ReportEdition.objects.get().training_commentary == ""


def test_an_unknown_section_or_revision_is_404(client_as):
    edition = make_edition()
    client = client_as("coordinator")
    assert client.get(_url("annual-section-edit", edition, "nonsense")).status_code == 404
    assert client.get(_url("annual-section-restore", edition, "summary", 9)).status_code == 404


def test_other_roles_get_403_and_change_nothing(client_as):
    edition = make_edition()
    for name in ("board", "education", "community", "channel", "admin"):
        client = client_as(name)
        response = client.post(
            _url("annual-section-edit", edition), {"text": "x", "base_revision": 0}
        )
        assert response.status_code == 403
    assert not SectionRevision.objects.exists()


def test_the_history_lists_revisions_with_differences_and_restores_one(client_as, persona):
    edition = make_edition()
    actor = persona("chair")
    for number, text in enumerate(["Alpha line", "Beta line"]):
        section_save(
            actor=actor, edition=edition, section="summary", text=text, base_revision=number
        )
    client = client_as("coordinator")
    html = client.get(_url("annual-section-history", edition, "summary")).text
    assert "Revision 2 (current)" in html and "Revision 1" in html
    assert '<del><span class="govuk-visually-hidden">Changed from: </span>Alpha line</del>' in html
    restore = _url("annual-section-restore", edition, "summary", 1)
    assert restore in html
    confirm = client.get(restore)
    assert confirm.status_code == 200 and not SectionRevision.objects.filter(number=3).exists()
    stale = client.post(restore, {"base_revision": 1})
    assert stale.status_code == 200 and "Someone else saved" in stale.text
    assert ReportEdition.objects.get().summary == "Beta line"
    done = client.post(restore, {"base_revision": 2})
    assert done.status_code == 302
    assert ReportEdition.objects.get().summary == "Alpha line"
    latest = SectionRevision.objects.get(number=3)
    assert latest.restored_from == 1 and latest.saved_by.username == "coordinator"
    after = client.get(_url("annual-section-history", edition, "summary")).text
    assert "putting back revision 1" in after


def test_section_pages_keep_their_query_budget_as_the_history_grows(client_as, persona):
    edition = make_edition()
    actor = persona("chair")
    client = client_as("coordinator")

    def save_some(start, count):
        for number in range(start, start + count):
            section_save(
                actor=actor,
                edition=edition,
                section="summary",
                text=f"Text {number}",
                base_revision=number,
            )
            section_save(
                actor=actor,
                edition=edition,
                section="training_commentary",
                text=f"Text {number}",
                base_revision=number,
            )

    save_some(0, 2)
    urls = [
        reverse("reporting:annual-sections", args=[edition.pk]),
        _url("annual-section-edit", edition, "summary"),
        _url("annual-section-history", edition, "summary"),
        _url("annual-section-restore", edition, "summary", 1),
    ]
    small = [page_queries(client, url) for url in urls]
    save_some(2, 10)
    large = [page_queries(client, url) for url in urls]
    for before, after in zip(small, large, strict=True):
        assert_same_queries(before, after, at_most=20)
