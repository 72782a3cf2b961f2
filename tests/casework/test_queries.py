"""Query budgets: each section costs the same number of queries with little or much data."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from casework.services import note_add, risk_flag_raise
from tests.casework.conftest import add_intervention, adopted_referral, at, provider

pytestmark = pytest.mark.django_db


def filled_case(size: int):
    referral = adopted_referral()
    for number in range(size):
        day = date(2026, 3, 13) + timedelta(days=number % 20)
        add_intervention(
            referral,
            provider=provider(f"Invented Provider {number}", accredited=number % 2 == 0),
            starts_on=day,
        )
        note = note_add(
            actor=None, referral=referral, contact_at=at(day), kind="meeting", text="Invented"
        )
        note_add(
            actor=None,
            referral=referral,
            contact_at=at(day, 11),
            kind="email",
            text="Fixed",
            corrects=note,
        )
        risk_flag_raise(
            actor=None,
            referral=referral,
            kind="mash",
            raised_on=day,
            to_whom="Invented MASH",
            reason="Invented",
        )
    return referral


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize(("name", "budget"), [("consent-support", 17), ("notes", 17), ("risk", 16)])
def test_each_section_has_a_fixed_query_budget(
    client_as, django_assert_max_num_queries, size, name, budget
):
    referral = filled_case(size)
    client = client_as("channel")
    page = reverse(f"casework:{name}", kwargs={"pk": referral.pk})
    client.get(page)  # warm the session and the permission cache
    with django_assert_max_num_queries(budget):
        response = client.get(page)
    assert response.status_code == 200
