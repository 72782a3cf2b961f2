from datetime import date

import pytest
from django.urls import reverse

from community.choices import SummaryStatus
from community.models import NotableItem, TensionSummary
from community.services import SummaryError, summary_correct, summary_issue
from prevent_portal.audit.models import AuditEvent
from prevent_portal.ui.pdf import RefusedResource, static_file_for
from tests.community.factories import district, level, make_summary, theme

pytestmark = pytest.mark.django_db


def _form_data(week="2026-03-02", **extra):
    data = {
        "week_commencing": week,
        "level": level("Elevated").pk,
        "themes": [theme("Asylum accommodation").pk, theme("Covid-19").pk],
        "districts": [district("Dartford").pk],
        "narrative": "Invented weekly narrative about a planned gathering.",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-theme": theme("Asylum accommodation").pk,
        "items-0-district": district("Dartford").pk,
        "items-0-seen": "Post calling people to gather outside an invented hotel.",
        "items-0-action_taken": "Passed to the district community safety unit.",
    }
    data.update(extra)
    return data


def test_the_community_officer_drafts_a_summary_with_items_and_it_is_audited(
    client_as, reference_data
):
    client = client_as("community")
    response = client.post(reverse("community:summary-create"), _form_data())
    summary = TensionSummary.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("community:summary-detail", args=[summary.pk])
    assert summary.status == SummaryStatus.DRAFT
    assert summary.level.name == "Elevated"
    assert sorted(t.name for t in summary.themes.all()) == ["Asylum accommodation", "Covid-19"]
    assert [item.seen for item in summary.items.all()] == [
        "Post calling people to gather outside an invented hotel."
    ]
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, target_id=str(summary.pk))
    assert "Drafted" in event.summary


def test_a_second_summary_for_the_same_week_is_refused_and_nothing_changes(
    client_as, reference_data
):
    make_summary(date(2026, 3, 2), narrative="The first one.")
    response = client_as("community").post(reverse("community:summary-create"), _form_data())
    assert response.status_code == 200
    assert "A summary for the week commencing 2 March 2026 already exists" in response.text
    assert "govuk-error-summary" in response.text
    assert TensionSummary.objects.count() == 1
    assert NotableItem.objects.count() == 0


def test_the_week_commencing_must_be_a_monday(client_as, reference_data):
    response = client_as("community").post(
        reverse("community:summary-create"), _form_data(week="2026-03-03")
    )
    assert "The week commencing date must be a Monday" in response.text
    assert not TensionSummary.objects.exists()


def test_a_bad_notable_item_is_reported_in_the_error_summary(client_as, reference_data):
    data = _form_data(**{"items-0-seen": ""})
    response = client_as("community").post(reverse("community:summary-create"), data)
    assert "Notable item 1: Enter what was seen" in response.text
    assert not TensionSummary.objects.exists()


def test_editing_an_issued_summary_is_refused_with_a_clear_message(client_as, reference_data):
    summary = make_summary(status=SummaryStatus.ISSUED, narrative="As issued.")
    client = client_as("community")
    url = reverse("community:summary-edit", args=[summary.pk])
    response = client.post(url, _form_data(narrative="Changed after issue."), follow=True)
    assert "This summary has been issued and cannot be changed" in response.text
    summary.refresh_from_db()
    assert summary.narrative == "As issued."
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE).exists()


def test_a_draft_can_be_changed_and_the_change_is_audited(client_as, reference_data):
    summary = make_summary(narrative="First draft.")
    url = reverse("community:summary-edit", args=[summary.pk])
    response = client_as("community").post(url, _form_data(narrative="Second draft."))
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.narrative == "Second draft."
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, target_id=str(summary.pk))
    assert event.changes["narrative"] == {"old": "First draft.", "new": "Second draft."}


def test_issuing_locks_the_summary_and_get_does_not_issue(client_as, reference_data):
    summary = make_summary()
    client = client_as("community")
    url = reverse("community:summary-issue", args=[summary.pk])
    assert client.get(url).status_code == 200
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT
    client.post(url)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.ISSUED
    assert summary.issued_at is not None
    assert AuditEvent.objects.filter(summary__startswith="Issued").count() == 1
    with pytest.raises(SummaryError):
        summary_issue(actor=None, summary=summary)


def test_a_correction_creates_a_new_revision_and_keeps_the_old_one(
    client_as, persona, reference_data
):
    original = make_summary(status=SummaryStatus.ISSUED, narrative="Wrong district.", items=2)
    client = client_as("community")
    response = client.post(
        reverse("community:summary-correct", args=[original.pk]),
        {"reason": "An item was put against the wrong district"},
    )
    revision = TensionSummary.objects.get(revision=2)
    assert response["Location"] == reverse("community:summary-edit", args=[revision.pk])
    original.refresh_from_db()
    assert original.status == SummaryStatus.ISSUED
    assert original.narrative == "Wrong district."
    assert not original.is_latest and not original.is_superseded
    assert revision.status == SummaryStatus.DRAFT and revision.is_latest
    assert revision.items.count() == 2
    assert revision.correction_reason == "An item was put against the wrong district"
    assert AuditEvent.objects.filter(summary__contains="Started a correction").count() == 1

    listing = client.get(reverse("community:summary-list"))
    assert list(listing.context["page"].object_list) == [revision]
    detail = client.get(reverse("community:summary-detail", args=[revision.pk]))
    assert reverse("community:summary-detail", args=[original.pk]) in detail.text

    summary_issue(actor=persona("community"), summary=revision)
    original.refresh_from_db()
    assert original.is_superseded
    with pytest.raises(SummaryError):
        summary_correct(actor=None, summary=original, reason="again")


def test_a_correction_needs_a_reason(client_as, reference_data):
    original = make_summary(status=SummaryStatus.ISSUED)
    response = client_as("community").post(
        reverse("community:summary-correct", args=[original.pk]), {"reason": ""}
    )
    assert "Enter why the summary needs correcting" in response.text
    assert TensionSummary.objects.count() == 1


def test_the_pdf_of_an_issued_summary_is_a_pdf_and_its_download_is_audited(
    client_as, reference_data
):
    summary = make_summary(status=SummaryStatus.ISSUED, narrative="Invented narrative for PDF.")
    response = client_as("community").get(reverse("community:summary-pdf", args=[summary.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.target_id == str(summary.pk)


def test_a_draft_has_no_pdf_or_printable_page(client_as, reference_data):
    summary = make_summary()
    client = client_as("community")
    assert client.get(reverse("community:summary-pdf", args=[summary.pk])).status_code == 302
    assert client.get(reverse("community:summary-print", args=[summary.pk])).status_code == 302
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()


@pytest.mark.parametrize("persona_name", ["channel", "education", "support", "board", "admin"])
def test_other_roles_cannot_issue_or_download(client_as, reference_data, persona_name):
    summary = make_summary()
    client = client_as(persona_name)
    assert client.post(reverse("community:summary-issue", args=[summary.pk])).status_code == 403
    assert client.get(reverse("community:summary-pdf", args=[summary.pk])).status_code == 403
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT


def test_the_pdf_fetcher_serves_only_the_portals_static_files():
    data, mime_type = static_file_for("https://portal.invalid/static/css/community-print.css")
    assert b"Liberation Sans" in data
    assert mime_type == "text/css"
    for url in [
        "https://example.com/static/css/community-print.css",
        "file:///etc/passwd",
        "https://portal.invalid/static/../../../etc/passwd",
        "https://portal.invalid/static/%2e%2e/%2e%2e/settings.py",
        "https://portal.invalid/media/anything",
        "data:text/css,body{}",
        "http://127.0.0.1:8000/static/css/community-print.css",
    ]:
        with pytest.raises(RefusedResource):
            static_file_for(url)


@pytest.mark.parametrize("count", [3, 40])
def test_the_summary_list_has_a_fixed_query_budget(
    client_as, reference_data, django_assert_max_num_queries, count
):
    from datetime import timedelta

    for n in range(count):
        make_summary(date(2026, 3, 2) - timedelta(weeks=n), status=SummaryStatus.ISSUED)
    client = client_as("community")
    with django_assert_max_num_queries(21):
        response = client.get(reverse("community:summary-list"), {"level": level("Moderate").pk})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count


def test_the_summary_list_filters_by_theme_and_date(client_as, reference_data):
    make_summary(date(2026, 3, 2), themes=("Covid-19",))
    make_summary(date(2026, 3, 9), themes=("Antisemitism",))
    make_summary(date(2026, 1, 5), themes=("Antisemitism",))
    response = client_as("community").get(
        reverse("community:summary-list"),
        {"theme": theme("Antisemitism").pk, "start": "2026-02-01"},
    )
    weeks = [s.week_commencing for s in response.context["page"].object_list]
    assert weeks == [date(2026, 3, 9)]
    assert "<svg" in response.text and "style=" not in response.text
