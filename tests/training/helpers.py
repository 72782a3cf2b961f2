"""Small builders for training tests: every value a test asserts on is passed in."""

from datetime import date

from governance.models import District, Partner
from training.choices import SessionFormat
from training.models import Course
from training.services import EvaluationData, evaluations_add, session_create


def course(title: str = "Prevent Awareness") -> Course:
    return Course.objects.get(title=title)


def make_session(
    *,
    on: date = date(2026, 3, 10),
    course_title: str | None = "Prevent Awareness",
    bespoke_title: str = "",
    format: str = SessionFormat.FACE_TO_FACE,
    attendees: int = 10,
    district: str | None = None,
    audiences: tuple[str, ...] = (),
    actor=None,
):
    return session_create(
        actor=actor,
        date=on,
        course=course(course_title) if course_title else None,
        bespoke_title=bespoke_title,
        format=format,
        attendees=attendees,
        district=District.objects.get(name=district) if district else None,
        audiences=list(Partner.objects.filter(name__in=audiences)),
    )


def evaluate(session, *pairs, comment: str = "", quotable: bool = False):
    """evaluate(session, ("met", "very"), ("did_not_meet", "slightly"), ...)"""
    return evaluations_add(
        actor=None,
        session=session,
        evaluations=[EvaluationData(met, value, comment, quotable) for met, value in pairs],
    )
