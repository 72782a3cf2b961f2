from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from retention.selectors import COMING_UP_DAYS, retention_review


class Command(BaseCommand):
    help = (
        "List the cases whose disposal date has passed, and those due in the next "
        f"{COMING_UP_DAYS} days (references and dates only), and empty the details of "
        "training bookers whose session is past its retention period (docs/training.md). "
        "Run once a day (docs/retention.md); it changes no case."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="The day to review for, YYYY-MM-DD (default: today)", default=""
        )

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("Give the date as YYYY-MM-DD") from error
        review = retention_review(day)
        write = self.stdout.write
        # Bookers of training keep their own period (TRAINING_BOOKING_RETENTION_MONTHS);
        # imported here, so that the retention app depends on training only in this job.
        from training.bookings import bookings_remove_personal_data

        removed = bookings_remove_personal_data(today=day)
        write(f"Retention review for {day:%-d %B %Y}")
        for title, rows in (
            (f"Due for disposal: {len(review.due)}", review.due),
            (f"Due in the next {COMING_UP_DAYS} days: {len(review.coming_up)}", review.coming_up),
        ):
            write("")
            write(title)
            if rows:
                write(f"  {'Reference':<20} {'Left the process':<18} Disposal due")
            for row in rows:
                left = row.left_process_on.isoformat() if row.left_process_on else "-"
                write(f"  {row.reference:<20} {left:<18} {row.disposal_due_on.isoformat()}")
        write("")
        write(f"Training bookings whose personal data was removed: {removed}")
