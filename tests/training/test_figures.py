from datetime import date

import pytest

from governance.models import Partner
from tests.training.helpers import evaluate, make_session
from training.selectors import CourseRow, training_figures

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def year_of_sessions(reference_data):
    a = make_session(
        on=date(2026, 1, 5),
        course_title="Prevent Awareness",
        attendees=12,
        audiences=("Kent Police", "Medway Council"),
    )
    b = make_session(
        on=date(2026, 6, 5),
        course_title="Prevent Awareness",
        attendees=30,
        audiences=("Kent Police",),
    )
    c = make_session(
        on=date(2026, 12, 31),
        course_title="School massacre ideology",
        attendees=150,
        audiences=("University of Kent",),
    )
    d = make_session(
        on=date(2026, 3, 3),
        course_title=None,
        bespoke_title="Housing forum",
        attendees=8,
        audiences=("Kent Housing Group",),
    )
    # Outside the year: never counted.
    old = make_session(
        on=date(2025, 12, 31),
        course_title="Prevent Awareness",
        attendees=99,
        audiences=("Kent Fire and Rescue Service",),
    )
    evaluate(a, ("met", "very"), ("exceeded", "extremely"), ("did_not_meet", "slightly"))
    evaluate(c, ("met", "moderately"), comment="Eye-opening", quotable=True)
    evaluate(d, ("exceeded", "very"), comment="Not for quoting", quotable=False)
    evaluate(old, ("did_not_meet", "not_at_all"), comment="Old quote", quotable=True)
    return a, b, c, d  # fmt: skip


def test_figures_match_a_hand_count(year_of_sessions):
    figures = training_figures(*YEAR)
    assert [row.title for row in figures.courses] == [
        "Prevent Awareness",
        "Prevent and Radicalisation",
        "Extreme Identities Online",
        "Extremist exploitation of Covid-19",
        "Extremist use of online gaming",
        "Incels: online subculture of misogyny",
        "School massacre ideology",
    ]
    assert figures.courses[0] == CourseRow("Prevent Awareness", 2, 42)
    assert figures.courses[1] == CourseRow("Prevent and Radicalisation", 0, 0)
    assert figures.courses[6] == CourseRow("School massacre ideology", 1, 150)
    assert figures.bespoke == CourseRow("Other bespoke input", 1, 8)
    assert figures.total == CourseRow("Total", 4, 200)
    assert figures.rows[-1] is figures.total
    assert [(o.name, o.sector) for o in figures.organisations] == [
        ("Kent Housing Group", "Housing"),
        ("Kent Police", "Police"),
        ("Medway Council", "Local authority"),
        ("University of Kent", "Universities"),
    ]
    # 5 evaluations in 2026: met or exceeded 4 (80%); very or extremely 3 (60%).
    assert figures.evaluations.n == 5
    assert figures.evaluations.met_or_exceeded_percent == 80.0
    assert figures.evaluations.very_or_extremely_percent == 60.0
    assert [(q.comment, q.course, q.date) for q in figures.quotes] == [
        ("Eye-opening", "School massacre ideology", date(2026, 12, 31))
    ]


def test_percentages_are_none_without_evaluations(reference_data):
    make_session(on=date(2026, 2, 2), attendees=3)
    figures = training_figures(*YEAR)
    assert figures.evaluations.n == 0
    assert figures.evaluations.met_or_exceeded_percent is None
    assert figures.evaluations.very_or_extremely_percent is None
    assert figures.quotes == []


@pytest.mark.parametrize("size", [3, 40])
def test_figures_use_a_fixed_number_of_queries(reference_data, django_assert_num_queries, size):
    partners = list(Partner.objects.values_list("name", flat=True))
    for index in range(size):
        session = make_session(
            on=date(2026, 1 + index % 12, 1 + index % 28),
            course_title=None if index % 5 == 0 else "Prevent Awareness",
            bespoke_title="Bespoke talk" if index % 5 == 0 else "",
            attendees=index,
            audiences=(partners[index % len(partners)],),
        )
        evaluate(session, ("met", "very"), comment=f"Quote {index}", quotable=True)
    with django_assert_num_queries(5):
        figures = training_figures(*YEAR)
        assert figures.total.sessions == size
        assert len(figures.quotes) == min(5, size)
