"""Education pages: recording, changing and deleting sessions; lists; exports."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from education.models import AudienceCategory, Enquiry, Newsletter, OutreachSession
from prevent_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _session_post(peo, audience, settings, **overrides):
    data = {
        "date": "2026-06-03",
        "peo": peo.pk,
        "audience": audience.pk,
        "settings": [s.pk for s in settings],
        "attendees": "30",
        "format": "face_to_face",
        "topic": "Online radicalisation and gaming",
        "notes": "",
        "feedback": "Really useful.",
    }
    data.update(overrides)
    return data


def test_recording_a_session_saves_it_and_audits(client_as, persona, make_setting):
    client = client_as("education")
    peo = persona("education")
    a, b = make_setting("Ashdale Primary School"), make_setting("Birchden Academy", "Dover")
    audience = AudienceCategory.objects.get(name="Secondary school staff")
    response = client.post(
        reverse("education:session-create"), _session_post(peo, audience, [a, b])
    )
    session = OutreachSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert set(session.settings.all()) == {a, b}
    assert (session.attendees, session.date) == (30, date(2026, 6, 3))
    event = AuditEvent.objects.get(
        verb=AuditEvent.Verb.CREATE, target_type="education.outreachsession"
    )
    assert event.changes["attendees"] == {"old": None, "new": 30}


def test_bad_input_shows_govuk_errors_and_saves_nothing(client_as, persona, make_setting):
    client = client_as("education")
    audience = AudienceCategory.objects.first()
    data = _session_post(persona("education"), audience, [], date="", attendees="-2", topic="")
    response = client.post(reverse("education:session-create"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text
    for message in (
        "Enter the date of the session",
        "Attendees must be a whole number, 0 or more",
        "Select the settings reached",
        "Enter the topic",
    ):
        assert message in text
    assert not OutreachSession.objects.exists()


def test_the_settings_picker_is_a_native_multi_select(client_as, make_setting):
    make_setting("Ashdale Primary School", urn=811111)
    make_setting("Closed Down School", urn=811112, is_open=False)
    text = client_as("education").get(reverse("education:session-create")).content.decode()
    assert 'data-module="portal-multi-autocomplete"' in text and "multiple" in text
    assert "Ashdale Primary School (URN 811111)" in text
    assert "Closed Down School" not in text  # closed settings are not offered


def test_changing_a_session_audits_old_and_new_values(
    client_as, persona, make_setting, make_session
):
    client = client_as("education")
    a = make_setting("Ashdale Primary School")
    session = make_session(date(2026, 6, 3), "PRU staff", [a], 10)
    data = _session_post(persona("education"), session.audience, [a], attendees="14")
    response = client.post(reverse("education:session-edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.attendees == 14
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE)
    assert event.changes["attendees"] == {"old": 10, "new": 14}


def test_deleting_asks_first_then_deletes_and_audits(client_as, make_setting, make_session):
    client = client_as("coordinator")
    session = make_session(date(2026, 6, 3), "PRU staff", [make_setting("Ashdale School")], 10)
    url = reverse("education:session-delete", args=[session.pk])
    assert "Are you sure" in client.get(url).content.decode()
    assert OutreachSession.objects.count() == 1
    response = client.post(url)
    assert response.status_code == 302
    assert not OutreachSession.objects.exists()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE)
    assert event.changes["attendees"] == {"old": 10, "new": None}


def test_the_session_list_filters_by_district_without_repeating_sessions(
    client_as, make_setting, make_session
):
    from governance.models import District

    a, b = make_setting("Ashdale School", "Thanet"), make_setting("Birch School", "Thanet")
    c = make_setting("Cedar School", "Dover")
    make_session(date(2026, 2, 1), "PRU staff", [a, b], 10, topic="Both Thanet")
    make_session(date(2026, 2, 2), "PRU staff", [c], 10, topic="Dover only")
    thanet = District.objects.get(name="Thanet")
    response = client_as("education").get(
        reverse("education:session-list"), {"district": thanet.pk}
    )
    page = response.context["page"]
    assert [s.topic for s in page.object_list] == ["Both Thanet"]


def test_the_session_list_filters_by_date_range_and_peo_area(client_as, make_setting, make_session):
    from governance.models import PeoArea

    a = make_setting("Ashdale School", "Thanet")
    m = make_setting("Medway School", "Medway")
    make_session(date(2026, 1, 10), "PRU staff", [a], 10, topic="January Thanet")
    make_session(date(2026, 3, 10), "PRU staff", [a], 10, topic="March Thanet")
    make_session(date(2026, 3, 11), "PRU staff", [m], 10, topic="March Medway")
    client = client_as("education")
    url = reverse("education:session-list")
    response = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-12-31"})
    assert {s.topic for s in response.context["page"].object_list} == {
        "March Thanet",
        "March Medway",
    }
    area = PeoArea.objects.get(name="South and East Kent")
    response = client.get(url, {"date_from": "2026-02-01", "peo_area": area.pk})
    assert [s.topic for s in response.context["page"].object_list] == ["March Thanet"]
    response = client.get(url, {"setting": "medway sch"})
    assert [s.topic for s in response.context["page"].object_list] == ["March Medway"]


def test_export_neutralises_formulas_and_is_audited(client_as, make_setting, make_session):
    make_session(date(2026, 2, 1), "PRU staff", [make_setting("=HYPERLINK(1)")], 7, topic="@risky")
    response = client_as("education").get(reverse("education:session-export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Date"
    assert rows[1][3] == "'=HYPERLINK(1)" and rows[1][7] == "'@risky"
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).count() == 1


def test_xlsx_export_has_one_row_per_session(client_as, make_setting, make_session):
    s = make_setting("Ashdale School")
    make_session(date(2026, 2, 1), "PRU staff", [s], 7)
    make_session(date(2026, 2, 2), "PRU staff", [s], 8)
    response = client_as("education").get(reverse("education:session-export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3
    assert AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT).changes["format"] == "xlsx"


def test_a_settings_page_shows_its_sessions_and_enquiries(client_as, make_setting, make_session):
    s = make_setting("Ashdale School")
    make_session(date(2026, 2, 1), "PRU staff", [s], 7, topic="Extremist symbols")
    Enquiry.objects.create(
        date=date(2026, 2, 3), setting=s, asked_by_role="SENCo", topic="Advice on a pupil"
    )
    text = client_as("education").get(s.get_absolute_url()).content.decode()
    assert "Extremist symbols" in text and "Advice on a pupil" in text and "SENCo" in text


def test_the_register_searches_by_name_or_urn_and_filters(client_as, make_setting):
    make_setting("Ashdale Primary School", "Thanet", urn=812345, phase="Primary")
    make_setting("Birchden Academy", "Dover", urn=812346, phase="Secondary", is_open=False)
    client, url = client_as("education"), reverse("education:setting-list")
    names = lambda r: [s.name for s in r.context["page"].object_list]  # noqa: E731
    assert names(client.get(url, {"q": "812346"})) == ["Birchden Academy"]
    assert names(client.get(url, {"q": "ashdale"})) == ["Ashdale Primary School"]
    assert names(client.get(url, {"is_open": "false"})) == ["Birchden Academy"]
    assert names(client.get(url, {"phase": "Primary"})) == ["Ashdale Primary School"]


def test_enquiries_and_newsletters_are_recorded(client_as, make_setting):
    client = client_as("education")
    s = make_setting("Ashdale School")
    response = client.post(
        reverse("education:enquiry-create"),
        {"date": "2026-04-01", "setting": s.pk, "kind": "advice", "asked_by_role": "Head of Year",
         "topic": "Worrying drawings", "status": "open", "outcome": "", "handled_by": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert Enquiry.objects.get().topic == "Worrying drawings"
    response = client.post(
        reverse("education:newsletter-create"),
        {"issue_date": "2026-05-15", "title": "May issue", "settings_count": "290"},
    )
    assert response.status_code == 302
    assert Newsletter.objects.get().settings_count == 290
    response = client.post(
        reverse("education:newsletter-create"),
        {"issue_date": "2026-05-15", "title": "Again", "settings_count": "x"},
    )
    text = response.content.decode()
    assert "A newsletter with this issue date already exists" in text
    assert "The number of settings must be a whole number, 0 or more" in text


def test_the_landing_page_shows_the_figures_for_a_chosen_period(
    client_as, make_setting, make_session
):
    s = make_setting("Ashdale School")
    make_session(date(2025, 5, 1), "Parents and carers", [s], 17)
    client = client_as("education")
    response = client.get(reverse("education:index"), {"start": "2025-01-01", "end": "2025-12-31"})
    figures = response.context["figures"]
    assert figures.total.attendees == 17
    response = client.get(reverse("education:index"), {"start": "2025-12-31", "end": "2025-01-01"})
    assert "The end date must be the same as or after the start date" in response.content.decode()


def _many(make_setting, make_session, count):
    settings = [make_setting(f"School {n}", "Swale") for n in range(count)]
    for n in range(count):
        make_session(date(2026, 1, 1) + timedelta(days=n), "PRU staff", settings[: n % 3 + 1], n)
        Enquiry.objects.create(
            date=date(2026, 1, 2), setting=settings[n], asked_by_role="DSL", topic="t"
        )
        Newsletter.objects.create(
            issue_date=date(2020, 1, 1) + timedelta(days=n), title="N", settings_count=1
        )


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize(
    "url_name, budget",
    [
        ("education:index", 18),
        ("education:session-list", 16),
        ("education:setting-list", 14),
        ("education:enquiry-list", 12),
        ("education:newsletter-list", 11),
    ],
)
def test_list_pages_have_a_query_budget(
    client_as, make_setting, make_session, django_assert_max_num_queries, count, url_name, budget
):
    _many(make_setting, make_session, count)
    client = client_as("education")
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_a_settings_page_and_the_export_have_a_query_budget(
    client_as, make_setting, make_session, django_assert_max_num_queries, count
):
    _many(make_setting, make_session, count)
    from education.models import Setting

    setting = Setting.objects.get(name="School 0")
    client = client_as("education")
    with django_assert_max_num_queries(13):
        assert client.get(setting.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(13):
        response = client.get(reverse("education:session-export"), {"format": "csv"})
        b"".join(response.streaming_content)
