"""Query budgets: the documents section, a meeting's papers and the chronology cost the
same number of queries with a little or a lot on the case."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from casework.services import note_add, risk_flag_raise
from tests.casework.conftest import add_intervention, adopted_referral, at, provider
from tests.channel.conftest import make_meeting
from tests.conftest import make_user
from tests.documents.conftest import add_document
from tests.queries import assert_same_queries, page_queries

pytestmark = pytest.mark.django_db

# The session, the user and roles, the case with its types of concern, the view audit,
# the two banners, then the section's own reads.
BUDGETS = {"case-documents": 16, "case-chronology": 24, "panel-documents": 12}


def filled_case(size: int):
    referral = adopted_referral(family=f"Queries{size}")
    uploaders = [make_user(f"uploader-{size}-{n}", "channel") for n in range(2)]
    for number in range(size):
        day = date(2026, 3, 13) + timedelta(days=number % 20)
        add_document(
            referral,
            actor=uploaders[number % 2],
            code=("referral-form", "provider-report", "other")[number % 3],
            title=f"Invented document {number}",
        )
        add_intervention(referral, provider=provider(f"Invented Provider {number}"), starts_on=day)
        note_add(actor=None, referral=referral, contact_at=at(day), kind="meeting", text="x")
        risk_flag_raise(
            actor=None, referral=referral, kind="mash", raised_on=day, to_whom="MASH", reason="x"
        )
    return referral


def count_queries(client, url, **params):
    return page_queries(client, url, params)


@pytest.mark.parametrize("name", ["case-documents", "case-chronology"])
def test_case_sections_cost_the_same_at_two_sizes(client_as, reference_data, name):
    client = client_as("channel")
    counts = {}
    for size in (1, 15):
        referral = filled_case(size)
        counts[size] = count_queries(client, reverse(f"documents:{name}", args=[referral.pk]))
    assert_same_queries(counts[1], counts[15], at_most=BUDGETS[name])


def test_the_filtered_documents_list_costs_the_same(client_as, reference_data):
    from tests.documents.conftest import kind

    client = client_as("channel")
    counts = [
        count_queries(
            client,
            reverse("documents:case-documents", args=[filled_case(size).pk]),
            kind=kind("referral-form").pk,
        )
        for size in (1, 15)
    ]
    assert_same_queries(*counts)


def test_a_meetings_papers_cost_the_same_at_two_sizes(client_as, reference_data):
    client = client_as("support")
    counts = {}
    for size in (1, 15):
        meeting = make_meeting(on=date(2026, 5, size))
        for number in range(size):
            add_document(panel_meeting=meeting, code="minutes", title=f"Paper {number}")
        counts[size] = count_queries(
            client, reverse("documents:panel-documents", args=[meeting.pk])
        )
    assert_same_queries(counts[1], counts[15], at_most=BUDGETS["panel-documents"])
