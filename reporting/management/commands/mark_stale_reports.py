"""Mark failed the annual report runs whose worker stopped (run it every few minutes
from cron or a systemd timer; asking for a new PDF also runs it)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from reporting.services import STALE_AFTER, reports_mark_stale


class Command(BaseCommand):
    help = "Mark failed the background report runs whose worker stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="SECONDS",
            help=f"a run without a heartbeat for this long has lost its worker (default "
            f"{int(STALE_AFTER.total_seconds())}; shorter only for a drill, when no worker "
            "is running)",
        )

    def handle(self, *args, **options):
        now = None
        if options["older_than"] is not None:
            # The service counts STALE_AFTER back from `now`: move `now` so that the
            # cut-off falls that many seconds ago.
            now = timezone.now() + STALE_AFTER - timedelta(seconds=options["older_than"])
        count = reports_mark_stale(now=now)
        self.stdout.write(f"{count} stale run{'s' if count != 1 else ''} marked failed.")
