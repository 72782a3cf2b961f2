"""Every change to editions of the annual report. Callers hold reporting.report_manage."""

import uuid
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between, snapshot
from reporting.models import (
    NARRATIVE_FIELDS,
    NARRATIVE_SECTIONS,
    EditionStatus,
    GeneratedReport,
    ReportEdition,
    SectionAuthor,
    SectionRevision,
)

COVER_FIELDS = ["title", "starts_on", "ends_on", "marking", "author"]
EDITABLE_FIELDS = [*COVER_FIELDS, *NARRATIVE_FIELDS]
# Free text: the audit log records that it changed, never what it says.
FREE_TEXT = frozenset(NARRATIVE_FIELDS)


class EditionError(Exception):
    """A change to an edition that cannot be made; the message is for the user."""


class StaleEditionError(EditionError):
    pass


STALE_MESSAGE = (
    "Someone else changed this edition while you were editing it. Nothing was saved: "
    "the page now shows their version; make your changes again."
)


class SectionConflictError(EditionError):
    """The section was saved by someone else since the writer opened it. `theirs` is the
    newest revision (None when the text predates revisions): the page keeps the writer's
    text and shows theirs beside it, to merge."""

    def __init__(self, message: str, *, theirs: SectionRevision | None, text: str):
        super().__init__(message)
        self.theirs = theirs
        self.text = text


SECTION_CONFLICT_MESSAGE = (
    "Someone else saved this section while you were writing. Your text has not been "
    "saved and is still in the box: compare it with their version, merge the two, "
    "then save again."
)


def _check_period(data: dict) -> None:
    starts_on: date | None = data.get("starts_on")
    ends_on: date | None = data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise EditionError("The end of the period must be the same as or after the start")


@transaction.atomic
def edition_create(*, actor, data: dict, token: uuid.UUID | None = None) -> ReportEdition:
    """Create a draft edition from cleaned form data. With `token` (the create form's
    one-time token) a second submission returns the edition the first one made."""
    if token is not None:
        existing = ReportEdition.objects.filter(create_token=token).first()
        if existing:
            return existing
    _check_period(data)
    edition = ReportEdition(
        **{name: data[name] for name in EDITABLE_FIELDS if name in data},
        create_token=token,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            edition.save()
    except IntegrityError:
        existing = ReportEdition.objects.filter(create_token=token).first() if token else None
        if existing:
            return existing
        raise
    for name in NARRATIVE_FIELDS:
        if getattr(edition, name):
            _add_revision(edition, name, actor=actor)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Started the annual report edition {edition}",
        target=edition,
        changes=changes_between({}, snapshot(edition, EDITABLE_FIELDS), sensitive=FREE_TEXT),
    )
    return edition


def _locked(edition: ReportEdition, expected_version: int) -> ReportEdition:
    current = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    if current.version != expected_version:
        raise StaleEditionError(STALE_MESSAGE)
    return current


@transaction.atomic
def edition_update(
    *, actor, edition: ReportEdition, data: dict, expected_version: int
) -> ReportEdition:
    """Change the cover and the narrative. A change to an approved edition returns it to
    draft: it must be approved again. Refuses a stale `expected_version`."""
    current = _locked(edition, expected_version)
    _check_period(data)
    before = snapshot(current, EDITABLE_FIELDS)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    changes = changes_between(before, snapshot(current, EDITABLE_FIELDS), sensitive=FREE_TEXT)
    if not changes:
        return current
    if current.status == EditionStatus.APPROVED:
        current.status = EditionStatus.DRAFT
        current.approved_by, current.approved_at = None, None
        changes["status"] = {"old": EditionStatus.APPROVED, "new": EditionStatus.DRAFT}
    current.version += 1
    current.save()
    for name in NARRATIVE_FIELDS:
        if name in changes:
            _add_revision(current, name, actor=actor)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Changed the annual report edition {current}",
        target=current,
        changes=changes,
    )
    return current


def latest_revision_number(edition: ReportEdition, section: str) -> int:
    latest = (
        SectionRevision.objects.filter(edition=edition, section=section)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return latest or 0


def _add_revision(
    edition: ReportEdition, section: str, *, actor, restored_from: int | None = None
) -> SectionRevision:
    return SectionRevision.objects.create(
        edition=edition,
        section=section,
        number=latest_revision_number(edition, section) + 1,
        text=getattr(edition, section),
        saved_by=actor,
        saved_at=timezone.now(),
        restored_from=restored_from,
    )


@transaction.atomic
def section_save(
    *,
    actor,
    edition: ReportEdition,
    section: str,
    text: str,
    base_revision: int,
    restored_from: int | None = None,
) -> SectionRevision | None:
    """Save one narrative section as a new revision (who, when). `base_revision` is the
    revision the writer started from: if another save came in since, nothing is saved and
    SectionConflictError carries the newer version, so the writer's text is never lost.
    Returns None when the text did not change. A change to an approved edition returns it
    to draft. Callers may write the section (reporting.selectors.may_write_section)."""
    from reporting.selectors import may_write_section

    if section not in NARRATIVE_FIELDS:
        raise EditionError("There is no such section")
    current = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    if not may_write_section(actor, current, section):
        raise EditionError("You may not write this section")
    latest = latest_revision_number(current, section)
    if latest != base_revision:
        theirs = SectionRevision.objects.filter(
            edition=current, section=section, number=latest
        ).first()
        raise SectionConflictError(SECTION_CONFLICT_MESSAGE, theirs=theirs, text=text)
    text = text.replace("\r\n", "\n")
    if text == getattr(current, section):
        return None
    setattr(current, section, text)
    changes = {section: {"changed": True}}
    if current.status == EditionStatus.APPROVED:
        current.status = EditionStatus.DRAFT
        current.approved_by, current.approved_at = None, None
        changes["status"] = {"old": EditionStatus.APPROVED, "new": EditionStatus.DRAFT}
    current.version += 1
    current.save()
    revision = _add_revision(current, section, actor=actor, restored_from=restored_from)
    label = revision.get_section_display()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=(
            f"Restored revision {restored_from} of {label} in {current}"
            if restored_from
            else f"Saved {label} of {current} (revision {revision.number})"
        ),
        target=current,
        changes=changes,
    )
    return revision


def section_restore(
    *, actor, edition: ReportEdition, revision: SectionRevision, base_revision: int
) -> SectionRevision | None:
    """Put an earlier revision's text back, as a new revision (the history keeps all)."""
    return section_save(
        actor=actor,
        edition=edition,
        section=revision.section,
        text=revision.text,
        base_revision=base_revision,
        restored_from=revision.number,
    )


@transaction.atomic
def section_assign(*, actor, edition: ReportEdition, section: str, user) -> None:
    """Make `user` the author of one section (None: no author, the managers write it).
    Callers hold reporting.report_manage; the author must hold report_write or
    report_manage (reporting.selectors.possible_authors)."""
    from reporting.selectors import possible_authors

    if section not in NARRATIVE_FIELDS:
        raise EditionError("There is no such section")
    current = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    existing = SectionAuthor.objects.filter(edition=current, section=section).first()
    before = existing.user.get_username() if existing else ""
    if user is None:
        if existing:
            existing.delete()
    else:
        if not possible_authors().filter(pk=user.pk).exists():
            raise EditionError("Choose someone who may write the annual report")
        SectionAuthor.objects.update_or_create(
            edition=current,
            section=section,
            defaults={"user": user, "assigned_by": actor, "assigned_at": timezone.now()},
        )
    after = user.get_username() if user else ""
    if before == after:
        return
    label = {name: title for name, title, _h in NARRATIVE_SECTIONS}[section]
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Made {after or 'nobody'} the author of {label} in {current}",
        target=current,
        changes={f"author of {section}": {"old": before, "new": after}},
    )


@transaction.atomic
def edition_approve(*, actor, edition: ReportEdition, expected_version: int) -> ReportEdition:
    """Approve a draft: who and when are recorded. One approved edition per period."""
    current = _locked(edition, expected_version)
    if current.status == EditionStatus.APPROVED:
        raise EditionError("This edition is already approved")
    clash = ReportEdition.objects.filter(
        status=EditionStatus.APPROVED, starts_on=current.starts_on, ends_on=current.ends_on
    ).exclude(pk=current.pk)
    if clash.exists():
        raise EditionError(
            "Another edition for this period is already approved. Change that one instead."
        )
    current.status = EditionStatus.APPROVED
    current.approved_by, current.approved_at = actor, timezone.now()
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"Approved the annual report edition {current}",
        target=current,
        changes={"status": {"old": EditionStatus.DRAFT, "new": EditionStatus.APPROVED}},
    )
    return current


# --------------------------------------------------------------------------------------
# Background runs of the PDF
# --------------------------------------------------------------------------------------

# A running report whose heartbeat is older than this is taken to have lost its worker.
STALE_AFTER = timedelta(minutes=10)
STALE_MESSAGE_RUN = "The worker stopped before the report was finished. Try again."


def _enqueue(run_id: int) -> None:
    from reporting.tasks import generate_report

    result = generate_report.enqueue(run_id)
    GeneratedReport.objects.filter(pk=run_id).update(task_id=str(result.id))


@transaction.atomic
def report_run_request(*, actor, edition: ReportEdition, retry_of=None) -> GeneratedReport:
    """Queue a PDF of `edition` for the background worker (after commit). Callers hold
    reporting.report_manage. Sweeps stale runs first, so a dead worker's run shows as
    failed before a new one starts."""
    reports_mark_stale()
    run = GeneratedReport.objects.create(
        edition=edition,
        starts_on=edition.starts_on,
        ends_on=edition.ends_on,
        requested_by=actor,
        stage="Waiting for the worker",
        retry_of=retry_of,
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Asked for the annual report PDF of {edition}"
        + (f" (again, after run {retry_of.pk} failed)" if retry_of else ""),
        target=run,
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def report_run_retry(*, actor, run: GeneratedReport) -> GeneratedReport:
    if run.status != GeneratedReport.Status.FAILED:
        raise EditionError("Only a failed run can be tried again")
    return report_run_request(actor=actor, edition=run.edition, retry_of=run)


def _progress(run_id: int, progress: int, stage: str, **extra) -> None:
    GeneratedReport.objects.filter(pk=run_id).update(
        progress=progress, stage=stage, heartbeat_at=timezone.now(), **extra
    )


def report_run_execute(*, run_id: int) -> None:
    """The worker's side: compute the figures, render, store the PDF. Each stage commits
    its progress so that the progress page can show it. A failure is recorded on the run
    (and re-raised, so the task result shows it too)."""
    from reporting.annual import annual_figures
    from reporting.documents import annual_report_pdf

    run = GeneratedReport.objects.select_related("edition").get(pk=run_id)
    if run.status != GeneratedReport.Status.QUEUED:
        return  # already run, or marked failed meanwhile
    now = timezone.now()
    _progress(run_id, 5, "Starting", status=GeneratedReport.Status.RUNNING, started_at=now)
    try:
        _progress(run_id, 20, "Computing the figures")
        figures = annual_figures(run.starts_on, run.ends_on)
        _progress(run_id, 50, "Drawing the charts and laying out the pages")
        pdf = annual_report_pdf(run.edition, figures)
        _progress(run_id, 95, "Saving the PDF")
    except Exception as error:
        message = str(error) if isinstance(error, EditionError) else type(error).__name__
        GeneratedReport.objects.filter(pk=run_id).update(
            status=GeneratedReport.Status.FAILED,
            finished_at=timezone.now(),
            error=f"The report could not be made ({message})"[:300],
        )
        raise
    with transaction.atomic():
        updated = GeneratedReport.objects.filter(
            pk=run_id, status=GeneratedReport.Status.RUNNING
        ).update(
            status=GeneratedReport.Status.FINISHED,
            progress=100,
            stage="Finished",
            pdf=pdf,
            size=len(pdf),
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if updated:
            audit_record(
                actor=None,
                actor_username="system",
                verb=AuditEvent.Verb.CREATE,
                summary=f"Made the annual report PDF of {run.edition} in the background",
                target=run,
            )


@transaction.atomic
def reports_mark_stale(*, now=None) -> int:
    """Mark failed every run still queued-as-running whose heartbeat stopped more than
    STALE_AFTER ago (the worker died), and its task result too. Returns how many."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = list(
        GeneratedReport.objects.select_for_update().filter(
            status=GeneratedReport.Status.RUNNING, heartbeat_at__lt=cutoff
        )
    )
    for run in stale:
        run.status = GeneratedReport.Status.FAILED
        run.error = STALE_MESSAGE_RUN
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        if run.task_id:
            DBTaskResult.objects.filter(pk=run.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now()
            )
        audit_record(
            actor=None,
            actor_username="system",
            verb=AuditEvent.Verb.UPDATE,
            summary=f"Marked run {run.pk} of the annual report failed: its worker stopped",
            target=run,
            changes={"status": {"old": "running", "new": "failed"}},
        )
    return len(stale)
