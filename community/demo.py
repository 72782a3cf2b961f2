"""Invented demo data for the community area: a year of weekly tension summaries,
incidents with a visible trend, engagement activities and local issues.

Idempotent: every record is looked up by a natural key before it is created. Places,
groups and events are invented; no real people.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from community.choices import ActivityKind, Ideology, IncidentKind, IssueStatus, SummaryStatus
from community.models import (
    Activity,
    Incident,
    LocalIssue,
    NotableItem,
    Platform,
    TensionLevel,
    TensionSummary,
    Theme,
)
from governance.models import District, Partner
from prevent_portal.accounts.models import User

PLACES = [
    "underpass near the retail park",
    "bus shelter on the ring road",
    "footbridge over the railway",
    "lamp posts along the seafront",
    "skate park wall",
    "car park stairwell by the leisure centre",
    "community noticeboard outside the library",
    "shuttered shop on the high street",
    "cycle path tunnel",
    "railway station subway",
    "fence by the recreation ground",
    "phone box near the market square",
]

GROUPS = ["", "", "", "Unnamed 'patriot' stickers", "Invented Front (fictional)", "Unknown"]

ITEM_TEXTS = [
    "Local page shared a post calling for a gathering outside a hotel used for asylum housing.",
    "Video of a street confrontation recirculated with false claims about who was involved.",
    "Telegram channel reposted stickers and encouraged followers to put them up locally.",
    "Rumour about a planned protest spread in a neighbourhood forum; no date given.",
    "Comments under a local news story included hostile remarks about a place of worship.",
    "Conspiracy content about vaccination linked to a local pharmacy.",
]

ACTIVITY_TOPICS = [
    "Tension briefing for district community safety leads",
    "Roundtable with faith leaders on regional events",
    "Workshop on online hate for youth workers",
    "Community fun day stall",
    "Community Safety Partnership quarterly meeting",
    "Meeting with residents' association about stickers",
]

ISSUES = [
    ("Stickers around the retail park underpass", "Dartford"),
    ("Hotel used for asylum accommodation: online calls to gather", "Folkestone and Hythe"),
    ("Graffiti on the seafront shelters", "Thanet"),
    ("Hostile comments after a regional incident", "Medway"),
    ("Flyers left at the town centre library", "Maidstone"),
]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def seed(*, stdout) -> None:
    rng = random.Random(20260401)  # noqa: S311 -- fixed seed: the same demo data every time
    districts = list(District.objects.order_by("name"))
    partners = list(Partner.objects.order_by("name"))
    if not districts or not partners:
        stdout.write("community: no reference data, skipped")
        return
    themes = list(Theme.objects.order_by("sort_order"))
    levels = {level.rank: level for level in TensionLevel.objects.all()}
    platforms = list(Platform.objects.order_by("sort_order"))
    author = User.objects.filter(username="community").first()
    today = timezone.localdate()
    latest_week = _monday(today)
    weeks = [latest_week - timedelta(weeks=n) for n in range(51, -1, -1)]
    by_name = {district.name: district for district in districts}
    police = next((p for p in partners if p.name == "Kent Police"), partners[0])

    created = {"summaries": 0, "incidents": 0, "activities": 0, "issues": 0}
    for index, week in enumerate(weeks):
        if TensionSummary.objects.filter(week_commencing=week).exists():
            continue
        # Tension rises over the summer, peaks, then settles: a visible shape.
        rank = 1 + (index > 12) + (index > 24) + (26 <= index <= 30) - (index > 40)
        is_last = week == latest_week
        summary = TensionSummary.objects.create(
            week_commencing=week,
            level=levels[max(1, min(rank, 4))],
            narrative=(
                f"Online comment this week centred on the theme {themes[index % 3].name}. "
                "Partners were briefed where local activity was suggested."
            ),
            status=SummaryStatus.DRAFT if is_last else SummaryStatus.ISSUED,
            issued_at=None if is_last else timezone.now(),
            issued_by=None if is_last else author,
            created_by=author,
        )
        chosen = {themes[index % 3], themes[rng.randrange(len(themes))]}
        if rank >= 3:
            chosen.add(themes[5])
        summary.themes.set(chosen)
        summary.districts.set(rng.sample(districts, 2))
        summary.platforms.set(rng.sample(platforms, 3))
        summary.distribution.set([police, *rng.sample(partners, 3)])
        for _ in range(rng.randint(1, 3)):
            NotableItem.objects.create(
                summary=summary,
                theme=rng.choice(sorted(chosen, key=lambda t: t.sort_order)),
                district=rng.choice(districts),
                platform=rng.choice(platforms),
                seen=rng.choice(ITEM_TEXTS),
                passed_to=rng.choice(partners),
                action_taken="Shared with the district community safety unit.",
            )
        created["summaries"] += 1
        if index == 44:
            _demo_correction(summary, author)

    if not Incident.objects.exists():
        incidents = []
        hot = [by_name.get("Dartford"), by_name.get("Thanet"), by_name.get("Medway")]
        hot = [d for d in hot if d] or districts[:3]
        for n in range(80):
            # More incidents in recent months, mostly in three districts: a trend.
            days_ago = int(365 * (rng.random() ** 1.6))
            occurred = today - timedelta(days=days_ago)
            district = rng.choice(hot) if rng.random() < 0.6 else rng.choice(districts)
            removed = rng.random() < 0.7
            incidents.append(
                Incident(
                    occurred_on=occurred,
                    district=district,
                    place=rng.choice(PLACES),
                    kind=rng.choice(
                        [IncidentKind.STICKERS] * 4
                        + [IncidentKind.GRAFFITI] * 3
                        + [IncidentKind.FLYERS] * 2
                        + [IncidentKind.BANNERS, IncidentKind.OTHER]
                    ),
                    ideology=rng.choice(
                        [Ideology.EXTREME_RIGHT_WING] * 5
                        + [Ideology.MIXED_UNCLEAR] * 2
                        + [Ideology.ANTI_GOVERNMENT, Ideology.ANTISEMITIC, Ideology.ANTI_MUSLIM]
                        + [Ideology.ISLAMIST]
                    ),
                    group_name=rng.choice(GROUPS),
                    reported_by=rng.choice(partners),
                    removed=removed,
                    removed_on=min(occurred + timedelta(days=rng.randint(0, 6)), today)
                    if removed
                    else None,
                    notes=""
                    if n % 3
                    else "Photographed and passed to the council's clean-up team.",
                    created_by=author,
                )
            )
        Incident.objects.bulk_create(incidents)
        created["incidents"] = len(incidents)

    if not Activity.objects.exists():
        kinds = list(ActivityKind)
        for n in range(30):
            activity = Activity.objects.create(
                occurred_on=today - timedelta(days=rng.randint(1, 360)),
                kind=kinds[n % len(kinds)],
                topic=ACTIVITY_TOPICS[n % len(ACTIVITY_TOPICS)],
                district=rng.choice(districts),
                communities=rng.choice(
                    ["Local mosque committee", "Residents' association", "Youth forum", ""]
                ),
                notes="Invented demo record.",
                follow_up="Send the briefing note to attendees." if n % 2 else "",
                created_by=author,
            )
            activity.organisations.set(rng.sample(partners, 2))
            created["activities"] += 1

    for n, (title, district_name) in enumerate(ISSUES):
        district = by_name.get(district_name, districts[n % len(districts)])
        if LocalIssue.objects.filter(title=title, district=district).exists():
            continue
        starts_on = today - timedelta(days=300 - n * 50)
        closed = n in (2, 4)
        issue = LocalIssue.objects.create(
            title=title,
            district=district,
            description="Invented demo issue that the team supports partners on.",
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=60) if closed else None,
            status=IssueStatus.CLOSED if closed else IssueStatus.OPEN,
        )
        issue.incidents.set(Incident.objects.filter(district=district)[:4])
        issue.activities.set(Activity.objects.filter(district=district)[:2])
        issue.tension_items.set(NotableItem.objects.filter(district=district)[:2])
        created["issues"] += 1

    stdout.write(
        "community: {summaries} summaries, {incidents} incidents, {activities} activities, "
        "{issues} local issues created".format(**created)
    )


def _demo_correction(summary: TensionSummary, author) -> None:
    """Revision 2 of one week, correcting the level, itself issued."""
    summary.is_latest = False
    summary.is_superseded = True
    summary.save(update_fields=["is_latest", "is_superseded"])
    revision = TensionSummary.objects.create(
        week_commencing=summary.week_commencing,
        revision=2,
        level=summary.level,
        narrative=summary.narrative + " Corrected: one item was reported in the wrong district.",
        correction_reason="An item was recorded against the wrong district.",
        status=SummaryStatus.ISSUED,
        issued_at=timezone.now(),
        issued_by=author,
        created_by=author,
    )
    revision.themes.set(summary.themes.all())
    revision.districts.set(summary.districts.all())
    revision.platforms.set(summary.platforms.all())
    revision.distribution.set(summary.distribution.all())
    for item in summary.items.all():
        item.pk = None
        item.summary = revision
        item.save()
