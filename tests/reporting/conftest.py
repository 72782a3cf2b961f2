"""Known data for the annual report: every figure the tests assert on is set here."""

import itertools
from datetime import date

import pytest

from education.choices import AUDIENCE_CATEGORIES
from education.models import AudienceCategory, OutreachSession, Setting
from governance.models import District
from referrals.reference import load_reference_models
from reporting.models import ReportEdition
from tests.community.factories import make_activity, make_incident
from tests.referrals.conftest import new_referral
from tests.training.helpers import evaluate, make_session
from training.catalogue import load_catalogue
from training.models import Course

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
_urns = itertools.count(900001)


@pytest.fixture(autouse=True)
def _seeded_reference(db):
    """Rows that migrations seed; a browser test (transactional) may have flushed them."""
    load_catalogue(Course)
    load_reference_models()
    for position, name in enumerate(AUDIENCE_CATEGORIES, start=1):
        AudienceCategory.objects.get_or_create(name=name, defaults={"position": position})


def _referrals(count: int, *, sector: str, received=date(2026, 3, 2), **extra):
    for n in range(count):
        new_referral(
            given=f"Invented{n}",
            family=f"{sector.replace(' ', '')}son",
            sector=sector,
            received=received,
            **extra,
        )


def _outreach(persona, when, audience, settings, attendees):
    session = OutreachSession.objects.create(
        date=when,
        peo=persona("education"),
        audience=AudienceCategory.objects.get(name=audience),
        attendees=attendees,
        format="face_to_face",
        topic="Prevent duty refresher",
    )
    session.settings.set(settings)


def build_report_data(persona, *, scale: int = 1):
    """2026: 3 training sessions (52 attendees), 2 outreach sessions (2 schools, 95
    attendees), 2 incidents, 1 activity, 21 referrals (12 education, 3 police, 6 health).
    2025 (the previous period): 1 training session of 10, 6 education referrals.
    `scale` multiplies the rows (for query budgets at two data sizes)."""
    for _ in range(scale):
        first = make_session(on=date(2026, 3, 10), attendees=25, audiences=("Kent Police",))
        make_session(on=date(2026, 6, 1), attendees=15)
        make_session(on=date(2026, 9, 1), course_title=None, bespoke_title="Talk", attendees=12)
        make_session(on=date(2025, 5, 1), attendees=10)
        evaluate(first, ("met", "very"), ("exceeded", "extremely"), ("did_not_meet", "slightly"))
        evaluate(first, ("met", "moderately"), comment="Clear and useful", quotable=True)
        school_a = Setting.objects.create(
            urn=next(_urns), name="Invented Primary", district=District.objects.get(name="Dover")
        )
        school_b = Setting.objects.create(
            urn=next(_urns), name="Madeup Academy", district=District.objects.get(name="Swale")
        )
        _outreach(persona, date(2026, 2, 10), "Primary school staff", [school_a], 20)
        _outreach(persona, date(2026, 11, 3), "Secondary school students", [school_b], 75)
        make_incident(date(2026, 4, 1))
        make_incident(date(2026, 5, 1), kind="graffiti")
        make_activity(date(2026, 7, 1))
        _referrals(12, sector="Education")
        _referrals(3, sector="Police")
        _referrals(6, sector="Health", born=date(1990, 1, 1))
        _referrals(6, sector="Education", received=date(2025, 6, 1))


@pytest.fixture
def report_data(reference_data, persona):
    build_report_data(persona)


def make_edition(**extra) -> ReportEdition:
    values = {
        "title": "Prevent annual report 2026",
        "starts_on": YEAR[0],
        "ends_on": YEAR[1],
        "marking": "OFFICIAL",
        "author": "Jamie Testwood, Prevent coordinator",
        "introduction": "The year in **brief**.",
    }
    values.update(extra)
    return ReportEdition.objects.create(**values)
