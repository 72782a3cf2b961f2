"""Who may open each training page (tests/test_url_walk.py walks them all)."""

from datetime import date

from governance.models import Partner
from training.choices import MetExpectations, SessionFormat, ValueToRole
from training.importers import session_import_upload
from training.models import Course
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
    "training:session-delete": TRAINING,
    "training:evaluation-create": TRAINING,
    "training:evaluation-batch": TRAINING,
    "training:evaluation-delete": TRAINING,
    "training:evaluation-summary": TRAINING,
}

SAMPLE_CSV = (
    b"date,course,title,format,audience,district,attendees\n"
    b"2026-01-15,Prevent Awareness,,Virtual,Kent Police,Dover,12\n"
)


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
    return {
        "training:course-edit": {"pk": session.course_id},
        "training:session-detail": {"pk": session.pk},
        "training:session-edit": {"pk": session.pk},
        "training:session-delete": {"pk": session.pk},
        "training:evaluation-create": {"pk": session.pk},
        "training:evaluation-batch": {"pk": session.pk},
        "training:evaluation-delete": {"pk": evaluation.pk},
        "training:session-import-confirm": {"pk": upload.pk},
    }
