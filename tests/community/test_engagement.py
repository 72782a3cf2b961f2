from datetime import date

import pytest
from django.urls import reverse

from community.models import Activity, LocalIssue
from prevent_portal.audit.models import AuditEvent
from tests.community.factories import district, make_activity, make_incident, make_issue

pytestmark = pytest.mark.django_db


def test_an_activity_is_recorded_with_organisations_and_audited(client_as, reference_data):
    from governance.models import Partner

    police = Partner.objects.get(name="Kent Police")
    response = client_as("community").post(
        reverse("community:activity-create"),
        {
            "occurred_on": "2026-03-05",
            "kind": "roundtable",
            "topic": "Roundtable with invented faith leaders",
            "district": district("Medway").pk,
            "organisations": [police.pk],
            "communities": "Invented residents' group",
            "notes": "",
            "follow_up": "Send the note.",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.organisations.all()) == [police]
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATE, target_id=str(activity.pk))


def test_a_local_issue_links_incidents_and_activities(client_as, reference_data):
    incident = make_incident(place="skate park wall")
    activity = make_activity(topic="Invented residents' meeting")
    client = client_as("community")
    response = client.post(
        reverse("community:issue-create"),
        {
            "title": "Stickers around the invented skate park",
            "district": district("Dartford").pk,
            "starts_on": "2026-02-01",
            "status": "open",
            "incidents": [incident.pk],
            "activities": [activity.pk],
        },
    )
    assert response.status_code == 302
    issue = LocalIssue.objects.get()
    page = client.get(reverse("community:issue-detail", args=[issue.pk]))
    assert "skate park wall" in page.text
    assert "Invented residents&#x27; meeting" in page.text


def test_a_closed_issue_needs_an_end_date(client_as, reference_data):
    response = client_as("community").post(
        reverse("community:issue-create"),
        {
            "title": "Closed issue",
            "district": district("Dartford").pk,
            "starts_on": "2026-02-01",
            "status": "closed",
        },
    )
    assert "Enter the end date of a closed issue" in response.text
    assert not LocalIssue.objects.exists()


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize("url_name", ["community:activity-list", "community:issue-list"])
def test_engagement_lists_have_a_fixed_query_budget(
    client_as, reference_data, django_assert_max_num_queries, count, url_name
):
    from governance.models import Partner

    partners = list(Partner.objects.all()[:2])
    for n in range(count):
        activity = make_activity(date(2026, 1, 1 + n % 28), topic=f"Topic {n}")
        activity.organisations.set(partners)
        issue = make_issue(f"Issue {n}")
        issue.activities.add(activity)
    client = client_as("community")
    with django_assert_max_num_queries(14):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_the_landing_shows_the_latest_level_and_recent_incidents(client_as, reference_data):
    from community.choices import SummaryStatus
    from tests.community.factories import make_summary

    make_summary(
        date(2026, 3, 2), level_name="High", themes=("Covid-19",), status=SummaryStatus.ISSUED
    )
    make_summary(date(2026, 2, 23), level_name="Low", themes=("Other",))
    make_incident(place="footbridge over the railway")
    response = client_as("community").get(reverse("community:index"))
    assert response.context["latest"].level.name == "High"
    assert "Covid-19" in response.text
    assert "footbridge over the railway" in response.text


def test_the_demo_data_is_idempotent(reference_data, persona):
    import io

    from community import demo
    from community.models import Incident, TensionSummary

    persona("community")
    demo.seed(stdout=io.StringIO())
    counts = (TensionSummary.objects.count(), Incident.objects.count(), Activity.objects.count())
    assert TensionSummary.objects.filter(status="draft").count() == 1
    assert TensionSummary.objects.filter(revision=2).count() == 1
    assert counts[1] == 80 and counts[2] == 30
    assert LocalIssue.objects.count() == 5
    demo.seed(stdout=io.StringIO())
    assert (
        TensionSummary.objects.count(),
        Incident.objects.count(),
        Activity.objects.count(),
    ) == counts
