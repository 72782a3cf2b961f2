from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from training.bookings import reminders_send


class Command(BaseCommand):
    help = (
        "Email everyone booked on tomorrow's training sessions a reminder. Run once a day "
        "(docs/training.md); a second run on the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Today, YYYY-MM-DD (default: today): reminds for the day after",
            default="",
        )

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("Give the date as YYYY-MM-DD") from error
        counts = reminders_send(today=day)
        self.stdout.write(
            self.style.SUCCESS(f"Training reminders for {day:%-d %B %Y}: {counts['sent']} sent.")
        )
