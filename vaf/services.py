"""Every change to VAF assessments and framework versions. Each service is atomic and
audited.

Ratings of a factor (relevant mental health issues, say) are special category data about
a person, and notes, summaries and management plans are free text: the audit log records
only *which* of them were set or changed, never their values (docs/security.md §11).
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record, changes_between
from referrals.models import Referral
from vaf.choices import AssessmentStatus
from vaf.models import Assessment, Dimension, Factor, Framework, Rating, RatingLevel
from vaf.selectors import Structure, framework_structure, has_reached_information_gathering


class AssessmentError(Exception):
    """An assessment that cannot be recorded as given; the message is for the user."""


class StaleAssessmentError(AssessmentError):
    def __init__(self):
        super().__init__(
            "This assessment was changed by someone else while you were working on it. "
            "Open the latest version, check it and make your changes again."
        )


class FrameworkError(Exception):
    """A framework version that cannot be recorded as given; the message is for the user."""


@dataclass(frozen=True)
class RatingInput:
    level: RatingLevel | None = None
    note: str = ""


def rating_field(key: str) -> str:
    return f"rating_{key}"


def note_field(key: str) -> str:
    return f"note_{key}"


def completion_problems(
    structure: Structure, ratings: dict[str, RatingInput], *, summary: str, management_plan: str
) -> dict[str, str]:
    """What stops an assessment being completed, by form field name (empty: nothing).

    Every factor rated; a note for every factor rated with some evidence or more; a
    summary and a management plan. One rule for the form's messages and the service.
    """
    problems = {}
    for factor in structure.factors:
        given = ratings.get(factor.key) or RatingInput()
        if given.level is None:
            problems[rating_field(factor.key)] = (
                f"Select a rating for factor {factor.position}: {factor.wording}"
            )
        elif (given.level.severity or 0) > 0 and not given.note.strip():
            problems[note_field(factor.key)] = (
                f"Enter a note on the evidence for factor {factor.position}: {factor.wording}"
            )
    if not summary.strip():
        problems["summary"] = "Enter a summary of the assessment"
    if not management_plan.strip():
        problems["management_plan"] = "Enter the management plan"
    return problems


def _check(structure, referral, *, assessed_on, ratings, summary, management_plan, complete):
    if assessed_on > timezone.localdate():
        raise AssessmentError("The date of the assessment must be today or in the past")
    if assessed_on < referral.date_received:
        raise AssessmentError(
            "The date of the assessment must be on or after the date the referral was "
            f"received, {referral.date_received:%-d %B %Y}"
        )
    keys = {factor.key for factor in structure.factors}
    if set(ratings) - keys:
        raise AssessmentError("A factor rated is not part of this version of the framework")
    levels = {level.pk for level in structure.levels}
    if any(given.level is not None and given.level.pk not in levels for given in ratings.values()):
        raise AssessmentError("A rating given is not on this version's rating scale")
    if complete:
        problems = completion_problems(
            structure, ratings, summary=summary, management_plan=management_plan
        )
        if problems:
            raise AssessmentError(next(iter(problems.values())))


def _content(ratings: dict[str, RatingInput], summary: str, management_plan: str) -> dict:
    """The assessment's sensitive content as the audit compares it (never stored there)."""
    values = {"summary": summary.strip(), "management_plan": management_plan.strip()}
    for key, given in ratings.items():
        values[rating_field(key)] = given.level.key if given.level else None
        values[note_field(key)] = given.note.strip()
    return values


def _stored_content(assessment: Assessment) -> dict:
    values = {"summary": assessment.summary, "management_plan": assessment.management_plan}
    for rating in assessment.ratings.select_related("factor", "level"):
        values[rating_field(rating.factor.key)] = rating.level.key if rating.level else None
        values[note_field(rating.factor.key)] = rating.note
    return values


def _set_only(content: dict) -> dict:
    return {name: {"set": True} for name, value in content.items() if value not in (None, "")}


@transaction.atomic
def assessment_create(
    *,
    actor,
    referral: Referral,
    assessed_on: date,
    ratings: dict[str, RatingInput],
    summary: str = "",
    management_plan: str = "",
    complete: bool = False,
    create_token: uuid.UUID | None = None,
) -> Assessment:
    """Record a new assessment of a case, in the current framework version. For case
    managers (CASES_MANAGE), on a case they may see that has reached information gathering.

    With `create_token`, a second call with the same token returns the assessment the
    first made (a double-submitted form). With `complete`, the assessment is completed
    at once and becomes read-only.
    """
    if create_token is not None:
        existing = Assessment.objects.filter(create_token=create_token).first()
        if existing is not None:
            return existing
    framework = Framework.objects.filter(is_current=True).first()
    if framework is None:
        raise AssessmentError("No version of the framework is in use: ask an administrator")
    if not has_reached_information_gathering(referral):
        raise AssessmentError(
            "A VAF assessment can be recorded once the case has reached information gathering"
        )
    structure = framework_structure(framework)
    _check(
        structure,
        referral,
        assessed_on=assessed_on,
        ratings=ratings,
        summary=summary,
        management_plan=management_plan,
        complete=complete,
    )
    now = timezone.now()
    assessment = Assessment(
        referral=referral,
        framework=framework,
        assessed_on=assessed_on,
        assessor=actor,
        status=AssessmentStatus.COMPLETED if complete else AssessmentStatus.DRAFT,
        summary=summary.strip(),
        management_plan=management_plan.strip(),
        create_token=create_token,
        completed_at=now if complete else None,
        created_by=actor,
    )
    try:
        with transaction.atomic():  # a savepoint: a racing duplicate leaves us usable
            assessment.save()
    except IntegrityError:
        if create_token is not None:
            existing = Assessment.objects.filter(create_token=create_token).first()
            if existing is not None:
                return existing
        raise
    Rating.objects.bulk_create(
        [
            Rating(
                assessment=assessment,
                factor=factor,
                level=(ratings.get(factor.key) or RatingInput()).level,
                note=(ratings.get(factor.key) or RatingInput()).note.strip(),
            )
            for factor in structure.factors
        ]
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"{'Recorded and completed' if complete else 'Started'} a VAF assessment "
        f"of referral {referral.reference}",
        target=referral,
        changes={
            **changes_between(
                {},
                {
                    "assessment": str(assessment.pk),
                    "framework": str(framework),
                    "assessed_on": assessed_on.isoformat(),
                    "status": assessment.status,
                    "version": assessment.version,
                },
            ),
            **_set_only(_content(ratings, summary, management_plan)),
        },
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor,
    assessment: Assessment,
    expected_version: int,
    assessed_on: date,
    ratings: dict[str, RatingInput],
    summary: str = "",
    management_plan: str = "",
    complete: bool = False,
) -> Assessment:
    """Change a draft assessment, and complete it with `complete`. For case managers.

    Refuses a stale `expected_version` (someone else saved it meanwhile) and any change
    to a completed assessment. The assessment keeps its framework version.
    """
    current = (
        Assessment.objects.select_for_update()
        .select_related("referral", "framework")
        .get(pk=assessment.pk)
    )
    if current.version != expected_version:
        raise StaleAssessmentError()
    if current.is_completed:
        raise AssessmentError("This assessment is completed: it can no longer be changed")
    structure = framework_structure(current.framework)
    _check(
        structure,
        current.referral,
        assessed_on=assessed_on,
        ratings=ratings,
        summary=summary,
        management_plan=management_plan,
        complete=complete,
    )
    content_before = _stored_content(current)
    before = {
        "assessed_on": current.assessed_on.isoformat(),
        "status": current.status,
        "version": current.version,
    }
    current.assessed_on = assessed_on
    current.summary, current.management_plan = summary.strip(), management_plan.strip()
    current.version += 1
    if complete:
        current.status = AssessmentStatus.COMPLETED
        current.completed_at = timezone.now()
    current.save()
    stored = {rating.factor.key: rating for rating in current.ratings.select_related("factor")}
    missing = []
    for factor in structure.factors:
        given = ratings.get(factor.key) or RatingInput()
        rating = stored.get(factor.key)
        if rating is None:
            missing.append(Rating(assessment=current, factor=factor))
            rating = missing[-1]
        rating.level, rating.note = given.level, given.note.strip()
    Rating.objects.bulk_create(missing)
    Rating.objects.bulk_update(list(stored.values()), ["level", "note"])
    content_after = _content(ratings, summary, management_plan)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATE,
        summary=f"{'Completed' if complete else 'Changed'} a VAF assessment of referral "
        f"{current.referral.reference}",
        target=current.referral,
        changes={
            "assessment": {"old": None, "new": str(current.pk)},
            **changes_between(
                before,
                {
                    "assessed_on": assessed_on.isoformat(),
                    "status": current.status,
                    "version": current.version,
                },
            ),
            **changes_between(content_before, content_after, sensitive=frozenset(content_after)),
        },
    )
    assessment.version, assessment.status = current.version, current.status
    return current


@transaction.atomic
def framework_create_version(
    *,
    actor,
    version_label: str,
    in_force_from: date,
    wordings: dict[str, str],
    make_current: bool = True,
) -> Framework:
    """A new version of the current framework: a copy of its dimensions, factors and
    scale, with factor wordings changed as `wordings` (factor key -> wording) says. For
    administrators (REFERENCE_MANAGE). Existing assessments keep their own version.
    """
    source = Framework.objects.select_for_update().filter(is_current=True).first()
    if source is None:
        raise FrameworkError("There is no current version to copy")
    version_label = version_label.strip()
    if not version_label:
        raise FrameworkError("Enter a name for the new version")
    if Framework.objects.filter(name=source.name, version_label=version_label).exists():
        raise FrameworkError("A version with this name already exists")
    if in_force_from < source.in_force_from:
        raise FrameworkError(
            "The new version must come into force on or after the current one, "
            f"{source.in_force_from:%-d %B %Y}"
        )
    structure = framework_structure(source)
    if any(
        not (wordings.get(factor.key) or factor.wording).strip() for factor in structure.factors
    ):
        raise FrameworkError("Enter the wording of every factor")
    if make_current:
        Framework.objects.filter(pk=source.pk).update(is_current=False)
    framework = Framework.objects.create(
        name=source.name,
        version_label=version_label,
        in_force_from=in_force_from,
        is_current=make_current,
    )
    changed = []
    for dimension in structure.dimensions:
        copy = Dimension.objects.create(
            framework=framework, key=dimension.key, name=dimension.name, position=dimension.position
        )
        for factor in dimension.factor_list:
            wording = (wordings.get(factor.key) or factor.wording).strip()
            if wording != factor.wording:
                changed.append(factor.key)
            Factor.objects.create(
                framework=framework,
                dimension=copy,
                key=factor.key,
                position=factor.position,
                wording=wording,
            )
    RatingLevel.objects.bulk_create(
        [
            RatingLevel(
                framework=framework,
                key=level.key,
                label=level.label,
                position=level.position,
                severity=level.severity,
            )
            for level in structure.levels
        ]
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATE,
        summary=f"Added version “{version_label}” of the {source.name}",
        target=framework,
        changes=changes_between(
            {},
            {
                "version_label": version_label,
                "in_force_from": in_force_from.isoformat(),
                "is_current": make_current,
                "copied_from": str(source),
                "factors_reworded": sorted(changed),
            },
        ),
    )
    return framework
