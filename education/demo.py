"""Invented demo data: a register of about 300 settings, a year of outreach, enquiries
and newsletters. Every name is invented; URNs are in the 900001-900300 range, which
the register of a real partnership does not use. Idempotent: running twice adds nothing.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from education.choices import EnquiryKind, EnquiryStatus, SessionFormat
from education.models import AudienceCategory, Enquiry, Newsletter, OutreachSession, Setting
from governance.models import District
from prevent_portal.accounts.models import User

FIRST = [
    "Oak", "Ash", "Elm", "Birch", "Hazel", "Willow", "Rowan", "Holly", "Alder", "Beech",
    "Cedar", "Maple", "Larch", "Thorn", "Bramble", "Fern", "Heath", "Marsh", "Brook", "Mill",
]  # fmt: skip
SECOND = [
    "field", "combe", "wood", "bury", "den", "hurst", "leigh", "ford", "stead", "wick",
    "ridge", "mere", "dale", "ley", "well",
]  # fmt: skip

# (how many, phase, type, name ending), in GIAS vocabulary.
KINDS = [
    (150, "Primary", "Community school", "Primary School"),
    (40, "Primary", "Academy converter", "Primary Academy"),
    (10, "Primary", "Voluntary aided school", "CofE Primary School"),
    (35, "Secondary", "Academy converter", "Academy"),
    (15, "Secondary", "Foundation school", "Grammar School"),
    (12, "Secondary", "Academy sponsor led", "High School"),
    (18, "Not applicable", "Community special school", "School"),
    (8, "Not applicable", "Pupil referral unit", "Learning Centre"),
    (7, "16 plus", "Further education", "Sixth Form College"),
    (5, "Nursery", "Local authority nursery school", "Nursery School"),
]

TOPICS = [
    "Prevent duty refresher",
    "Online radicalisation and gaming",
    "Extreme right-wing narratives online",
    "Misogyny and incel culture online",
    "Critical thinking and misinformation",
    "Shared values assembly",
    "Keeping children safe online",
    "Conspiracy theories and young people",
    "Making a Prevent referral: briefing for safeguarding leads",
    "Extremist symbols and stickers: what to look for",
]

QUOTES = [
    "Really useful and practical.",
    "I feel more confident about when to seek advice.",
    "The students were engaged all the way through.",
    "Clear, calm and well pitched for our staff.",
    "Good examples we can use in lessons.",
]

# Audience -> (weight, settings per session, attendees range, formats)
AUDIENCE_PLAN = {
    "Primary school staff": (16, (1, 1), (8, 35), ["face_to_face", "virtual"]),
    "Secondary school staff": (14, (1, 1), (20, 90), ["face_to_face", "virtual"]),
    "SEN setting staff": (6, (1, 1), (6, 30), ["face_to_face"]),
    "PRU staff": (4, (1, 1), (5, 20), ["face_to_face"]),
    "Primary school students": (10, (1, 1), (25, 120), ["assembly", "workshop"]),
    "Secondary school students": (16, (1, 2), (25, 240), ["assembly", "workshop"]),
    "SEN setting students": (4, (1, 1), (6, 24), ["workshop"]),
    "Parents and carers": (8, (1, 3), (5, 40), ["workshop", "virtual", "webinar"]),
    "LA education staff": (5, (3, 8), (10, 60), ["webinar", "virtual"]),
}

ROLES = [
    "Designated safeguarding lead",
    "Head of Year",
    "Headteacher",
    "SENCo",
    "Class teacher",
    "Pastoral lead",
]


def _phase_fits(audience: str, setting: Setting) -> bool:
    if audience.startswith("Primary"):
        return setting.phase == "Primary"
    if audience.startswith("Secondary"):
        return setting.phase in ("Secondary", "16 plus")
    if audience.startswith("SEN"):
        return setting.establishment_type == "Community special school"
    if audience.startswith("PRU"):
        return setting.establishment_type == "Pupil referral unit"
    return True


@transaction.atomic
def seed(*, stdout) -> None:
    rng = random.Random(2026)  # noqa: S311 - invented demo data, not security
    districts = list(District.objects.order_by("name"))
    if not districts:
        stdout.write("Education demo data skipped: load the reference data first.")
        return

    names = [f"{a}{b}" for a in FIRST for b in SECOND]
    rng.shuffle(names)
    existing = set(
        Setting.objects.filter(urn__range=(900001, 900400)).values_list("urn", flat=True)
    )
    new_settings, index = [], 0
    for count, phase, kind, ending in KINDS:
        for _ in range(count):
            urn = 900001 + index
            place = names[index]
            index += 1
            if urn in existing:
                continue
            closed = index % 53 == 0
            new_settings.append(
                Setting(
                    urn=urn,
                    name=f"{place} {ending}",
                    establishment_type=kind,
                    phase=phase,
                    local_authority="Medway" if (index % 13) == 12 else "Kent",
                    district=districts[index % len(districts)],
                    status="Closed" if closed else "Open",
                    is_open=not closed,
                )
            )
    Setting.objects.bulk_create(new_settings)

    education = User.objects.filter(username="education").first()
    coordinator = User.objects.filter(username="coordinator").first()
    officers = [user for user in (education, education, coordinator) if user is not None]
    settings = list(
        Setting.objects.filter(urn__range=(900001, 900400), is_open=True).order_by("urn")
    )
    audiences = {a.name: a for a in AudienceCategory.objects.all()}
    today = timezone.localdate()
    start = date(today.year, 1, 6)
    span = max((today - start).days, 1)
    created = 0
    if officers and settings:
        weights = [plan[0] for plan in AUDIENCE_PLAN.values()]
        names_by_weight = list(AUDIENCE_PLAN)
        done = set(
            OutreachSession.objects.filter(source_key__startswith="demo-").values_list(
                "source_key", flat=True
            )
        )
        for number in range(84):
            audience_name = rng.choices(names_by_weight, weights)[0]
            _weight, (low, high), (few, many), formats = AUDIENCE_PLAN[audience_name]
            fitting = [s for s in settings if _phase_fits(audience_name, s)] or settings
            reached = rng.sample(fitting, min(len(fitting), rng.randint(low, high)))
            when = start + timedelta(days=rng.randrange(span))
            while when.weekday() >= 5:
                when -= timedelta(days=1)
            peo = rng.choice(officers)
            topic = rng.choice(TOPICS)
            attendees = rng.randint(few, many)
            session_format = rng.choice(formats)
            feedback = "\n".join(rng.sample(QUOTES, rng.randint(0, 2)))
            key = f"demo-{number}"
            if key in done or audience_name not in audiences:
                continue
            session = OutreachSession.objects.create(
                date=when,
                peo=peo,
                audience=audiences[audience_name],
                attendees=attendees,
                format=SessionFormat(session_format),
                topic=topic,
                feedback=feedback,
                source_key=key,
            )
            session.settings.set(reached)
            created += 1

        for number in range(24):
            setting = rng.choice(settings)
            when = start + timedelta(days=rng.randrange(span))
            closed = when < today - timedelta(days=30) or number % 3 == 0
            _enquiry, made = Enquiry.objects.get_or_create(
                date=when,
                setting=setting,
                topic=rng.choice(TOPICS),
                defaults={
                    "kind": EnquiryKind.ONE_TO_ONE if number % 4 == 0 else EnquiryKind.ADVICE,
                    "asked_by_role": rng.choice(ROLES),
                    "status": EnquiryStatus.CLOSED if closed else EnquiryStatus.OPEN,
                    "outcome": "Advice given; follow-up resources sent." if closed else "",
                    "handled_by": rng.choice(officers),
                },
            )

    issue = date(today.year, today.month, 15)
    if issue > today:
        issue = date(issue.year - (issue.month == 1), (issue.month - 2) % 12 + 1, 15)
    for _ in range(6):
        Newsletter.objects.get_or_create(
            issue_date=issue,
            defaults={
                "title": f"Prevent in education newsletter, {issue:%B %Y}",
                "settings_count": 280 + rng.randint(0, 20),
            },
        )
        month = issue.month - 2
        issue = date(issue.year - (month < 1), (month - 1) % 12 + 1, 15)
    stdout.write(f"Education: {len(new_settings)} settings and {created} outreach sessions added.")
