"""Who may open each training page (tests/test_url_walk.py walks them all)."""

from datetime import date, timedelta

from django.utils import timezone

from governance.models import Partner
from training.bookings import token_hash
from training.choices import MetExpectations, SessionFormat, ValueToRole
from training.importers import session_import_upload
from training.models import Booking, Course
from training.services import EvaluationData, evaluations_add, session_create

# Coordinator and chair hold training view/manage; so does the education officer.
TRAINING = {"coordinator", "chair", "education"}

EXPECTED = {
    "training:index": TRAINING,
    "training:course-list": TRAINING,
    "training:course-create": TRAINING,
    "training:course-edit": TRAINING,
    "training:session-list": TRAINING,
    "training:session-export": TRAINING,
    "training:session-create": TRAINING,
    "training:session-import": TRAINING,
    "training:session-import-confirm": TRAINING,
    "training:session-detail": TRAINING,
    "training:session-edit": TRAINING,
    "training:session-register": TRAINING,
    "training:session-delete": TRAINING,
    "training:evaluation-create": TRAINING,
    "training:evaluation-batch": TRAINING,
    "training:evaluation-delete": TRAINING,
    "training:evaluation-summary": TRAINING,
}

# The published offer and booking: open to anyone, signed in or not.
PUBLIC = {
    "courses:offer",
    "courses:booking-create",
    "courses:booking-sent",
    "courses:booking-confirm",
    "courses:booking-cancel",
    "courses:booking-outcome",
}

SAMPLE_CSV = (
    b"date,course,title,format,audience,district,attendees\n"
    b"2026-01-15,Prevent Awareness,,Virtual,Kent Police,Dover,12\n"
)


CONFIRM_TOKEN = "walk-sample-confirm-token"
CANCEL_TOKEN = "walk-sample-cancel-token"


def url_kwargs():
    session = session_create(
        actor=None,
        date=date(2026, 1, 15),
        course=Course.objects.first(),
        format=SessionFormat.VIRTUAL,
        attendees=12,
        audiences=[Partner.objects.first()],
    )
    (evaluation,) = evaluations_add(
        actor=None,
        session=session,
        evaluations=[EvaluationData(MetExpectations.MET, ValueToRole.VERY)],
    )
    upload = session_import_upload(actor=None, data=SAMPLE_CSV, filename="sample.csv")
    bookable = session_create(
        actor=None,
        date=timezone.localdate() + timedelta(days=14),
        course=Course.objects.first(),
        format=SessionFormat.VIRTUAL,
        attendees=0,
        booking_open=True,
    )
    Booking.objects.create(
        session=bookable,
        name="Walk Sample",
        email="walk.sample@example.org",
        role="Tester",
        confirm_token_hash=token_hash(CONFIRM_TOKEN),
        cancel_token_hash=token_hash(CANCEL_TOKEN),
    )
    return {
        "courses:booking-create": {"pk": bookable.pk},
        "courses:booking-confirm": {"token": CONFIRM_TOKEN},
        "courses:booking-cancel": {"token": CANCEL_TOKEN},
        "courses:booking-outcome": {"outcome": "booked"},
        "training:course-edit": {"pk": session.course_id},
        "training:session-detail": {"pk": session.pk},
        "training:session-edit": {"pk": session.pk},
        "training:session-register": {"pk": bookable.pk},
        "training:session-delete": {"pk": session.pk},
        "training:evaluation-create": {"pk": session.pk},
        "training:evaluation-batch": {"pk": session.pk},
        "training:evaluation-delete": {"pk": evaluation.pk},
        "training:session-import-confirm": {"pk": upload.pk},
    }
