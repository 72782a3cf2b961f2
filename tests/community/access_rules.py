"""Who may open each community page (merged into tests/test_url_walk.py EXPECTED).

community.view and community.manage are held by the coordinator, the chair and the
Community Engagement Officer; everyone else, board members included, gets 403 on every
community page: they see only aggregate figures, through reporting.
"""

from datetime import date

COMMUNITY = {"coordinator", "chair", "community"}

EXPECTED = {
    f"community:{name}": COMMUNITY
    for name in [
        "index",
        "summary-list",
        "summary-create",
        "summary-detail",
        "summary-edit",
        "summary-issue",
        "summary-correct",
        "summary-print",
        "summary-pdf",
        "incident-list",
        "incident-create",
        "incident-export",
        "incident-import",
        "incident-trends",
        "incident-edit",
        "incident-delete",
        "activity-list",
        "activity-create",
        "activity-edit",
        "activity-delete",
        "issue-list",
        "issue-create",
        "issue-detail",
        "issue-edit",
    ]
}


def url_kwargs():
    from community.choices import SummaryStatus
    from community.reference import ensure_reference_data
    from tests.community.factories import make_activity, make_incident, make_issue, make_summary

    ensure_reference_data()  # a transactional test may have flushed the seeded rows
    draft = make_summary(date(2026, 3, 9), items=1)
    issued = make_summary(date(2026, 3, 2), status=SummaryStatus.ISSUED, items=1)
    incident = make_incident()
    activity = make_activity()
    issue = make_issue()
    return {
        "community:summary-detail": {"pk": issued.pk},
        "community:summary-edit": {"pk": draft.pk},
        "community:summary-issue": {"pk": draft.pk},
        "community:summary-correct": {"pk": issued.pk},
        "community:summary-print": {"pk": issued.pk},
        "community:summary-pdf": {"pk": issued.pk},
        "community:incident-edit": {"pk": incident.pk},
        "community:incident-delete": {"pk": incident.pk},
        "community:activity-edit": {"pk": activity.pk},
        "community:activity-delete": {"pk": activity.pk},
        "community:issue-detail": {"pk": issue.pk},
        "community:issue-edit": {"pk": issue.pk},
    }
