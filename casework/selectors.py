"""Every read of case work. Callers pass a referral already fetched through
`referrals.selectors.referrals_visible_to` (via `load_case`): scope is decided there."""

from django.db.models import QuerySet

from casework.models import (
    CaseNote,
    ConsentRecord,
    Intervention,
    InterventionType,
    Provider,
    RiskFlag,
    SupportPlan,
)
from referrals.models import Referral


def open_risk_flags(referral: Referral) -> list[RiskFlag]:
    """The case's open flags, newest first: one query (the banner on every case page),
    none when the referral was read for a case page and had none then."""
    if getattr(referral, "has_open_risk_flags", True) is False:
        return []
    return list(RiskFlag.objects.filter(referral=referral, closed_on__isnull=True))


def risk_flags(referral: Referral) -> list[RiskFlag]:
    return list(RiskFlag.objects.filter(referral=referral).select_related("raised_by"))


def risk_flag_of(referral: Referral, pk) -> RiskFlag | None:
    return RiskFlag.objects.filter(referral=referral, pk=pk).first()


def consent_records(referral: Referral) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(referral=referral).select_related("recorded_by"))


def support_plan(referral: Referral) -> SupportPlan | None:
    return SupportPlan.objects.filter(referral=referral).first()


def interventions(referral: Referral) -> list[Intervention]:
    return list(
        Intervention.objects.filter(plan__referral=referral).select_related("kind", "provider")
    )


def intervention_of(referral: Referral, pk) -> Intervention | None:
    return (
        Intervention.objects.filter(plan__referral=referral, pk=pk)
        .select_related("kind", "provider")
        .first()
    )


def notes(referral: Referral) -> QuerySet[CaseNote]:
    """The chronology, newest contact first, each with its author, the note it corrects
    and the note that corrects it (a reverse one-to-one: no query per note)."""
    return CaseNote.objects.filter(referral=referral).select_related(
        "author", "corrects", "correction"
    )


def note_of(referral: Referral, pk) -> CaseNote | None:
    return CaseNote.objects.filter(referral=referral, pk=pk).select_related("correction").first()


def intervention_types(*, keep=None) -> QuerySet[InterventionType]:
    """Types in use, plus `keep` (an intervention's retired type stays selectable)."""
    from django.db.models import Q

    condition = Q(is_active=True)
    if keep is not None:
        condition |= Q(pk=keep)
    return InterventionType.objects.filter(condition)


def providers(*, keep=None) -> QuerySet[Provider]:
    from django.db.models import Q

    condition = Q(is_active=True)
    if keep is not None:
        condition |= Q(pk=keep)
    return Provider.objects.filter(condition)
