"""Demo data: a draft edition of this year's annual report, with invented narrative
written in sections (sub-headings, lists, a call-out box), the education and community
sections assigned to their officers, and a section with a history of revisions.
Idempotent (called by seed_demo, after the demo users exist)."""

from datetime import date

from django.utils import timezone

from prevent_portal.accounts.models import User
from reporting.models import ReportEdition, SectionRevision
from reporting.services import section_assign, section_save

INTRODUCTION = """## About this report

This report sets out the work of the Prevent partnership over the year. Every figure in
it is drawn from the partnership's records.

## The team

The team is made up of:

- a Prevent coordinator
- two Prevent Education Officers
- a Community Engagement Officer

### How the team works

1. Referrals are screened by the Channel coordinator.
2. Training and outreach are booked through the portal.
3. The board reviews the plan every quarter."""

# The education section as its officer drafted it: three saves, so it has a history.
EDUCATION_DRAFTS = [
    "Outreach to schools grew this year.",
    """## Schools

Outreach to schools grew this year, with sessions for staff and for students.

- Designated safeguarding leads were briefed each term
- A newsletter went to every setting""",
    """## Schools

Outreach to schools grew this year, with sessions for staff and for students.

- Designated safeguarding leads were briefed each term
- A newsletter went to every setting

> **Case study:** an invented primary school asked for help after a worrying comment in
> class; a staff session followed within a fortnight.""",
]


def seed(stdout=None) -> None:
    year = timezone.localdate().year
    coordinator = User.objects.filter(username="coordinator").first()
    edition, created = ReportEdition.objects.get_or_create(
        title=f"Prevent annual report {year}",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        defaults={
            "marking": "OFFICIAL",
            "author": "Prevent coordinator, on behalf of the partnership",
            "looking_forward": "Priorities for next year are agreed with the board.",
        },
    )
    writer = User.objects.filter(username="education").first() or coordinator
    community = User.objects.filter(username="community").first()
    if coordinator and not SectionRevision.objects.filter(edition=edition).exists():
        # The education officer drafts Education, the community officer Community.
        section_assign(
            actor=coordinator, edition=edition, section="education_commentary", user=writer
        )
        if community:
            section_assign(
                actor=coordinator, edition=edition, section="community_commentary", user=community
            )
        section_save(
            actor=coordinator,
            edition=edition,
            section="introduction",
            text=INTRODUCTION,
            base_revision=0,
        )
        for number, text in enumerate(EDUCATION_DRAFTS):
            section_save(
                actor=writer,
                edition=edition,
                section="education_commentary",
                text=text,
                base_revision=number,
            )
    if stdout is not None and created:
        stdout.write(f"Annual report: draft edition for {year}, with a section's history")
