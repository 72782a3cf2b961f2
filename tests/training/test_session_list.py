import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from prevent_portal.audit.models import AuditEvent
from tests.training.helpers import course, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(reference_data):
    return [
        make_session(on=date(2026, 1, 10), attendees=10, district="Dover",
                     audiences=("Kent Police",), format="virtual"),
        make_session(on=date(2026, 2, 10), attendees=20, district="Thanet",
                     course_title="Extreme Identities Online"),
        make_session(on=date(2026, 3, 10), attendees=5, course_title=None,
                     bespoke_title="=HYPERLINK(\"http://x\")", audiences=("Kent Police",)),
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The list opens on the financial year of "today"; these tests fix the day (in the
    financial year 2025-26, which holds every session above) unless they change it."""
    day = {"value": date(2026, 3, 31)}
    monkeypatch.setattr("training.views.timezone.localdate", lambda: day["value"])
    return day


def test_the_landing_page_is_the_session_list_with_totals(client_as, sessions):
    response = client_as("education").get("/training/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "3 sessions, 35 attendees" in text
    assert "Log a session" in text
    assert all(s.reference in text for s in sessions)
    assert "Showing sessions from 1 April 2025, the start of this financial year." in text


def test_the_list_opens_on_this_financial_year_and_can_show_every_year(client_as, sessions, today):
    today["value"] = date(2026, 11, 24)
    client = client_as("coordinator")
    opening = client.get("/training/sessions/")
    text = opening.content.decode()
    assert opening.context["totals"] == {"sessions": 0, "attendees": 0}
    assert "No sessions have been recorded since 1 April 2026." in text
    assert 'href="?date_from="' in text
    assert opening.context["filter"].form["date_from"].value() == "2026-04-01"
    make_session(on=date(2026, 4, 1), attendees=7)
    assert client.get("/training/sessions/").context["totals"] == {"sessions": 1, "attendees": 7}

    every_year = client.get("/training/sessions/?date_from=")
    assert every_year.context["totals"] == {"sessions": 4, "attendees": 42}
    assert "the start of this financial year" not in every_year.content.decode()


def test_the_export_has_the_same_default_year_and_records_it(client_as, sessions, today):
    today["value"] = date(2026, 2, 1)
    make_session(on=date(2025, 3, 31), attendees=9)  # the financial year before
    response = client_as("coordinator").get("/training/sessions/export/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == ["TS-2026-0003", "TS-2026-0002", "TS-2026-0001"]
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.changes == {"filters": "date_from=2025-04-01", "rows": 3}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date_from=2026-02-01", ["TS-2026-0002", "TS-2026-0003"]),
        ("date_from=2026-01-01&date_to=2026-02-10", ["TS-2026-0001", "TS-2026-0002"]),
        ("format=virtual", ["TS-2026-0001"]),
        ("course=bespoke", ["TS-2026-0003"]),
        ("district=DOVER", ["TS-2026-0001"]),
    ],
)
def test_filters_narrow_the_list(client_as, sessions, query, expected):
    from governance.models import District

    query = query.replace("DOVER", str(District.objects.get(name="Dover").pk))
    page = client_as("coordinator").get(f"/training/sessions/?{query}").context["page"]
    assert sorted(s.reference for s in page.object_list) == expected


def test_the_course_and_organisation_filters(client_as, sessions):
    from governance.models import Partner

    client = client_as("coordinator")
    police = Partner.objects.get(name="Kent Police").pk
    by_org = client.get(f"/training/sessions/?organisation={police}").context
    assert by_org["totals"] == {"sessions": 2, "attendees": 15}
    by_course = client.get(
        f"/training/sessions/?course={course('Extreme Identities Online').pk}"
    ).context
    assert by_course["totals"] == {"sessions": 1, "attendees": 20}


def test_no_match_shows_the_empty_state(client_as, sessions):
    text = client_as("coordinator").get("/training/sessions/?date_from=2030-01-01").content
    assert b"No sessions match these filters." in text


def test_a_bad_filter_date_is_reported_not_a_500(client_as, sessions):
    response = client_as("coordinator").get("/training/sessions/?date_from=not-a-date")
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_totals_cover_the_whole_filtered_set_not_only_the_page(client_as, reference_data):
    for day in range(1, 31):
        make_session(on=date(2026, 4, day), attendees=2)
    response = client_as("coordinator").get("/training/sessions/")
    assert len(response.context["page"].object_list) == 25
    assert response.context["totals"] == {"sessions": 30, "attendees": 60}
    assert "Total: 30 sessions (all pages)" in response.content.decode()


@pytest.mark.parametrize("size", [3, 40])
def test_the_list_stays_within_its_query_budget(
    client_as, reference_data, django_assert_max_num_queries, size
):
    for day in range(size):
        make_session(on=date(2026, 1, 1 + day % 28), attendees=day,
                     audiences=("Kent Police", "Medway Council"), district="Dover")  # fmt: skip
    client = client_as("coordinator")
    # Sign-in, session save and savepoints included; the same at both sizes.
    with django_assert_max_num_queries(17):
        response = client.get("/training/sessions/?district=&format=")
    assert response.status_code == 200


def test_csv_export_has_the_filtered_rows_neutralised_and_is_audited(client_as, sessions):
    response = client_as("coordinator").get("/training/sessions/export/?date_from=2026-02-01")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Reference", "Date", "Course"]
    assert [row[0] for row in rows[1:]] == ["TS-2026-0003", "TS-2026-0002"]
    assert rows[1][2].startswith("'=HYPERLINK")
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.changes["rows"] == 2
    assert event.changes["filters"] == "date_from=2026-02-01"


def test_xlsx_export_is_audited(client_as, sessions):
    response = client_as("chair").get("/training/sessions/export/?as=xlsx&format=virtual")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Reference"
    assert [row[0] for row in values[1:]] == ["TS-2026-0001"]
    assert values[1][7] == 10
    assert "XLSX" in AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT).summary


def test_export_is_refused_to_board_members(client_as, sessions):
    assert client_as("board").get("/training/sessions/export/").status_code == 403
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()
