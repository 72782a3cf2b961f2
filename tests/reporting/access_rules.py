"""Who may open each reporting page added here (merged into tests/test_url_walk.py)."""

MANAGERS = {"coordinator", "chair"}
# Readers of aggregate figures (reporting.figures_view).
FIGURE_READERS = MANAGERS | {"board"}

EXPECTED = {
    # The board view: everyone who may read the plan (governance.plan_view).
    "reporting:board": {"coordinator", "chair", "support", "board"},
    # The board pack PDF: the same readers as the board view.
    "reporting:board-pack": {"coordinator", "chair", "support", "board"},
    # The annual report: read by every reader of aggregate figures (board members see
    # approved editions only); written and approved by holders of report_manage.
    # Prevent statistics: every reader of aggregate figures (the board suppressed).
    "reporting:statistics": FIGURE_READERS,
    "reporting:statistics-table": FIGURE_READERS,
    "reporting:annual-list": FIGURE_READERS,
    "reporting:annual-preview": FIGURE_READERS,
    "reporting:annual-pdf": FIGURE_READERS,
    "reporting:annual-table": FIGURE_READERS,
    "reporting:annual-create": MANAGERS,
    "reporting:annual-edit": MANAGERS,
    "reporting:annual-approve": MANAGERS,
    # Writing the narrative section by section, its history and restoring a revision.
    # Managers write every section; an author (report_write: the education and community
    # officers) only the sections assigned to them, in drafts: here, none (403).
    "reporting:annual-sections": MANAGERS,
    "reporting:annual-section-edit": MANAGERS,
    "reporting:annual-section-history": MANAGERS,
    "reporting:annual-section-restore": MANAGERS,
    "reporting:annual-section-author": MANAGERS,
    "reporting:annual-my-sections": MANAGERS | {"education", "community"},
    # PDFs made in the background: asked for, followed and downloaded by managers.
    "reporting:annual-generate": MANAGERS,
    "reporting:annual-run": MANAGERS,
    "reporting:annual-run-retry": MANAGERS,
    "reporting:annual-run-download": MANAGERS,
}


def url_kwargs():
    from django.utils import timezone

    from prevent_portal.accounts.models import User
    from reporting.models import EditionStatus, GeneratedReport, SectionRevision
    from tests.reporting.conftest import make_edition

    edition = make_edition(status=EditionStatus.APPROVED)
    pk = {"pk": edition.pk}
    requester = User.objects.filter(username="coordinator").first() or User.objects.create_user(
        "report-requester", password="unused-password-12345"
    )
    run = GeneratedReport.objects.create(
        edition=edition,
        starts_on=edition.starts_on,
        ends_on=edition.ends_on,
        requested_by=requester,
        status=GeneratedReport.Status.FINISHED,
        finished_at=timezone.now(),
        pdf=b"%PDF-1.7 placeholder",
    )
    SectionRevision.objects.create(
        edition=edition,
        section="introduction",
        number=1,
        text=edition.introduction,
        saved_by=requester,
        saved_at=timezone.now(),
    )
    section = {**pk, "slug": "introduction"}
    return {
        "reporting:statistics-table": {"name": "sector", "fmt": "csv"},
        "reporting:annual-sections": pk,
        "reporting:annual-section-author": section,
        "reporting:annual-section-edit": section,
        "reporting:annual-section-history": section,
        "reporting:annual-section-restore": {**section, "number": 1},
        "reporting:annual-preview": pk,
        "reporting:annual-pdf": pk,
        "reporting:annual-edit": pk,
        "reporting:annual-approve": pk,
        "reporting:annual-table": {**pk, "name": "referrals", "fmt": "csv"},
        "reporting:annual-generate": pk,
        "reporting:annual-run": {"run_pk": run.pk},
        "reporting:annual-run-retry": {"run_pk": run.pk},
        "reporting:annual-run-download": {"run_pk": run.pk},
    }
