"""Reads of the retention app: the disposal queue, a case's disposal state, the daily list."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from referrals.models import Referral
from referrals.selectors import referrals_visible_to
from retention.models import Disposal, DisposalStatus, LegalHold

# Cases due within this many days are listed as coming up.
COMING_UP_DAYS = 30


def _not_disposed(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.exclude(
        Exists(Disposal.objects.filter(referral=OuterRef("pk"), status=DisposalStatus.DISPOSED))
    )


@dataclass
class Review:
    today: date
    due: list[Referral]  # disposal date passed (or today)
    coming_up: list[Referral]  # due within COMING_UP_DAYS


def retention_review(today: date) -> Review:
    """Every case whose disposal date has passed, and those due soon (the daily command)."""
    until = today + timedelta(days=COMING_UP_DAYS)
    rows = list(
        _not_disposed(Referral.objects.filter(disposal_due_on__lte=until))
        .order_by("disposal_due_on", "reference")
        .only("reference", "left_process_on", "disposal_due_on")
    )
    return Review(
        today,
        [row for row in rows if row.disposal_due_on <= today],
        [row for row in rows if row.disposal_due_on > today],
    )


def disposal_queue(user, today: date) -> Review:
    """The Disposal page: cases of the user's scope due now or within COMING_UP_DAYS,
    each with its open proposal (`open_proposals`, 0 or 1) and standing hold
    (`standing_holds`). A fixed number of queries whatever the size of the queue."""
    until = today + timedelta(days=COMING_UP_DAYS)
    rows = list(
        _not_disposed(referrals_visible_to(user).filter(disposal_due_on__lte=until))
        .order_by("disposal_due_on", "reference")
        .only("reference", "status", "left_process_on", "disposal_due_on")
        .prefetch_related(
            Prefetch(
                "disposals",
                queryset=Disposal.objects.filter(status=DisposalStatus.PROPOSED).select_related(
                    "proposed_by"
                ),
                to_attr="open_proposals",
            ),
            Prefetch(
                "legal_holds",
                queryset=LegalHold.objects.filter(lifted_at__isnull=True).select_related(
                    "placed_by"
                ),
                to_attr="standing_holds",
            ),
        )
    )
    for row in rows:
        row.proposal = row.open_proposals[0] if row.open_proposals else None
        row.hold = row.standing_holds[0] if row.standing_holds else None
    return Review(
        today,
        [row for row in rows if row.disposal_due_on <= today],
        [row for row in rows if row.disposal_due_on > today],
    )


def recent_disposals(user, limit: int = 20) -> list[Disposal]:
    return list(
        Disposal.objects.filter(
            status=DisposalStatus.DISPOSED, referral__in=referrals_visible_to(user)
        )
        .select_related("referral", "proposed_by", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def case_retention(referral: Referral) -> dict:
    """A case's retention state for its Retention section."""
    disposals = list(
        Disposal.objects.filter(referral=referral).select_related("proposed_by", "decided_by")
    )
    return {
        "disposed": next((d for d in disposals if d.status == DisposalStatus.DISPOSED), None),
        "proposal": next((d for d in disposals if d.status == DisposalStatus.PROPOSED), None),
        "history": disposals,
        "hold": LegalHold.objects.filter(referral=referral, lifted_at__isnull=True)
        .select_related("placed_by")
        .first(),
    }
