"""Demo data: a draft edition of this year's annual report, with invented narrative.
Idempotent (called by seed_demo)."""

from datetime import date

from django.utils import timezone

from reporting.models import ReportEdition

INTRODUCTION = """This report sets out the work of the Prevent partnership over the year.

The team is made up of:
- a Prevent coordinator
- two Prevent Education Officers
- a Community Engagement Officer

Every figure in this report is drawn from the partnership's records."""


def seed(stdout=None) -> None:
    year = timezone.localdate().year
    edition, created = ReportEdition.objects.get_or_create(
        title=f"Prevent annual report {year}",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        defaults={
            "marking": "OFFICIAL",
            "author": "Prevent coordinator, on behalf of the partnership",
            "introduction": INTRODUCTION,
            "looking_forward": "Priorities for next year are agreed with the board.",
        },
    )
    if stdout is not None and created:
        stdout.write(f"Annual report: draft edition for {year}")
