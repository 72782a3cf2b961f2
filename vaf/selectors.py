"""Every read of the VAF app. Assessments are only ever reached through a referral that
`load_case` (referrals.case_pages) has already scoped to the user."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from referrals.choices import ReferralStatus
from referrals.models import Referral
from vaf.choices import AssessmentStatus
from vaf.models import Assessment, Dimension, Factor, Framework, Rating, RatingLevel


@dataclass
class Structure:
    """A framework version, read once: its dimensions (each with its factors) and scale."""

    framework: Framework
    dimensions: list[Dimension]
    levels: list[RatingLevel]
    factors: list[Factor] = field(default_factory=list)

    def __post_init__(self):
        self.factors = [factor for dim in self.dimensions for factor in dim.factor_list]

    @property
    def level_by_key(self) -> dict[str, RatingLevel]:
        return {level.key: level for level in self.levels}


def framework_structure(framework: Framework | int) -> Structure:
    """Three queries, whatever the framework's size: dimensions, factors, levels."""
    framework_id = framework.pk if isinstance(framework, Framework) else framework
    if not isinstance(framework, Framework):
        framework = Framework.objects.get(pk=framework_id)
    dimensions = list(
        Dimension.objects.filter(framework_id=framework_id)
        .order_by("position")
        .prefetch_related(
            Prefetch("factors", queryset=Factor.objects.order_by("position"), to_attr="factor_list")
        )
    )
    levels = list(RatingLevel.objects.filter(framework_id=framework_id).order_by("position"))
    return Structure(framework=framework, dimensions=dimensions, levels=levels)


def current_framework() -> Framework | None:
    return Framework.objects.filter(is_current=True).first()


def frameworks_for_admin() -> QuerySet[Framework]:
    return Framework.objects.order_by("-in_force_from", "-id")


def has_reached_information_gathering(referral: Referral) -> bool:
    """A VAF belongs to information gathering and after (docs/domain.md §1, step 3)."""
    return referral.events.filter(to_status=ReferralStatus.INFORMATION_GATHERING).exists()


def assessments_of_case(referral: Referral) -> list[Assessment]:
    return list(
        Assessment.objects.filter(referral=referral)
        .select_related("framework", "assessor")
        .order_by("-assessed_on", "-created_at")
    )


def _with_ratings(queryset):
    return queryset.select_related("framework", "assessor").prefetch_related(
        Prefetch(
            "ratings",
            queryset=Rating.objects.select_related("factor", "level").order_by("factor__position"),
        )
    )


def assessment_of_case(referral: Referral, pk) -> Assessment | None:
    """One assessment of an already scoped case, with its ratings; None if not this case's."""
    return _with_ratings(Assessment.objects.filter(referral=referral, pk=pk)).first()


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The latest completed assessment of the same case made before this one."""
    earlier = Q(assessed_on__lt=assessment.assessed_on) | Q(
        assessed_on=assessment.assessed_on, created_at__lt=assessment.created_at
    )
    return (
        _with_ratings(
            Assessment.objects.filter(
                referral_id=assessment.referral_id, status=AssessmentStatus.COMPLETED
            )
            .filter(earlier)
            .exclude(pk=assessment.pk)
        )
        .order_by("-assessed_on", "-created_at")
        .first()
    )


def latest_completed_assessment(referral: Referral) -> Assessment | None:
    """What a new assessment of the case starts from."""
    return (
        _with_ratings(
            Assessment.objects.filter(referral=referral, status=AssessmentStatus.COMPLETED)
        )
        .order_by("-assessed_on", "-created_at")
        .first()
    )


def ratings_by_key(assessment: Assessment | None) -> dict[str, Rating]:
    """The ratings of an assessment (prefetched) by factor key."""
    if assessment is None:
        return {}
    return {rating.factor.key: rating for rating in assessment.ratings.all()}


@dataclass(frozen=True)
class ChangeRow:
    factor: Factor
    previous: RatingLevel | None
    current: RatingLevel | None
    changed: bool
    in_previous: bool  # False: the factor is new in this version of the framework

    @property
    def direction(self) -> str:
        """In words: the comparison never relies on colour alone."""
        if not self.in_previous:
            return "New factor in this version"
        if not self.changed:
            return "No change"
        before = self.previous.severity if self.previous else None
        after = self.current.severity if self.current else None
        if self.previous is None or self.current is None:
            return "Changed"
        if before is None and after is None:
            return "Changed"
        if before is None:
            return "Now known"
        if after is None:
            return "Now not known"
        return "More evidence" if after > before else "Less evidence"


@dataclass(frozen=True)
class ChangeGroup:
    dimension: Dimension
    rows: list[ChangeRow]


def changes_between_assessments(
    structure: Structure, current: Assessment, previous: Assessment | None
) -> list[ChangeGroup]:
    """Factor by factor, grouped by dimension of the current assessment's version.

    Factors and levels are matched by key, so two assessments made under different
    versions of the framework compare factor for factor where the factor still exists.
    """
    now = ratings_by_key(current)
    before = ratings_by_key(previous)
    groups = []
    for dimension in structure.dimensions:
        rows = []
        for factor in dimension.factor_list:
            this, last = now.get(factor.key), before.get(factor.key)
            this_level = this.level if this else None
            last_level = last.level if last else None
            rows.append(
                ChangeRow(
                    factor=factor,
                    previous=last_level,
                    current=this_level,
                    changed=(
                        previous is not None
                        and (last_level.key if last_level else None)
                        != (this_level.key if this_level else None)
                    ),
                    in_previous=previous is None or factor.key in before,
                )
            )
        groups.append(ChangeGroup(dimension=dimension, rows=rows))
    return groups
