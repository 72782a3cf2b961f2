from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from worklist.reminders import default_base_url, reminders_send


class Command(BaseCommand):
    help = (
        "Email each user a digest of their overdue tasks and those due today (references "
        "only). Run once a day (docs/worklist.md); a second run on the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="The day to remind for, YYYY-MM-DD (default: today)", default=""
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="The portal's address for links, e.g. https://portal.example.org "
            "(default: the PORTAL_BASE_URL setting)",
        )

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("Give the date as YYYY-MM-DD") from error
        counts = reminders_send(today=day, base_url=options["base_url"] or default_base_url())
        self.stdout.write(
            self.style.SUCCESS(
                f"Task reminders for {day:%-d %B %Y}: {counts['sent']} sent, "
                f"{counts['skipped']} already sent today."
            )
        )
