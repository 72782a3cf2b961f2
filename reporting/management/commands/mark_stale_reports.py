"""Mark failed the annual report runs whose worker stopped (run it every few minutes
from cron or a systemd timer; asking for a new PDF also runs it)."""

from django.core.management.base import BaseCommand

from reporting.services import reports_mark_stale


class Command(BaseCommand):
    help = "Mark failed the background report runs whose worker stopped."

    def handle(self, *args, **options):
        count = reports_mark_stale()
        self.stdout.write(f"{count} stale run{'s' if count != 1 else ''} marked failed.")
