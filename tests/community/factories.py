"""Set-up helpers for community tests. Every value a test asserts on is set by the test."""

from datetime import date

from django.utils import timezone

from community.choices import SummaryStatus
from community.models import (
    Activity,
    Incident,
    LocalIssue,
    NotableItem,
    TensionLevel,
    TensionSummary,
    Theme,
)
from governance.models import District


def level(name: str = "Moderate") -> TensionLevel:
    return TensionLevel.objects.get(name=name)


def theme(name: str) -> Theme:
    return Theme.objects.get(name=name)


def district(name: str = "Dartford") -> District:
    return District.objects.get(name=name)


def make_summary(
    week: date = date(2026, 3, 2),
    *,
    status: str = SummaryStatus.DRAFT,
    level_name: str = "Moderate",
    themes: tuple[str, ...] = ("Asylum accommodation",),
    narrative: str = "Invented narrative.",
    revision: int = 1,
    is_latest: bool = True,
    is_superseded: bool = False,
    items: int = 0,
) -> TensionSummary:
    summary = TensionSummary.objects.create(
        week_commencing=week,
        level=level(level_name),
        narrative=narrative,
        status=status,
        issued_at=timezone.now() if status == SummaryStatus.ISSUED else None,
        revision=revision,
        is_latest=is_latest,
        is_superseded=is_superseded,
    )
    summary.themes.set([theme(name) for name in themes])
    for n in range(items):
        NotableItem.objects.create(
            summary=summary, theme=theme(themes[0]), seen=f"Invented item {n}"
        )
    return summary


def make_incident(
    occurred_on: date = date(2026, 3, 4),
    *,
    district_name: str = "Dartford",
    kind: str = "stickers",
    ideology: str = "extreme_right_wing",
    place: str = "underpass near the retail park",
) -> Incident:
    return Incident.objects.create(
        occurred_on=occurred_on,
        district=district(district_name),
        place=place,
        kind=kind,
        ideology=ideology,
    )


def make_activity(
    occurred_on: date = date(2026, 3, 5), *, kind: str = "meeting", topic: str = "Invented topic"
) -> Activity:
    return Activity.objects.create(occurred_on=occurred_on, kind=kind, topic=topic)


def make_issue(
    title: str = "Invented issue",
    *,
    starts_on: date = date(2026, 1, 1),
    ends_on: date | None = None,
    district_name: str = "Dartford",
) -> LocalIssue:
    return LocalIssue.objects.create(
        title=title,
        district=district(district_name),
        starts_on=starts_on,
        ends_on=ends_on,
        status="closed" if ends_on else "open",
    )
