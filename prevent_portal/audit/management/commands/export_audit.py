from datetime import datetime, time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from prevent_portal.audit.exporting import export_audit


def _moment(text: str) -> datetime:
    """YYYY-MM-DD (midnight) or an ISO date and time; local time unless it says."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Give {text!r} as YYYY-MM-DD or YYYY-MM-DDTHH:MM") from error
    if len(text) == 10:
        value = datetime.combine(value.date(), time.min)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = (
        "Write the audit log as hash-chained JSON Lines for a separate store: one event a "
        "line, then a manifest line (prevent_portal/audit/exporting.py). Without --since "
        "or --until, writes the events after the last run's high-water mark and moves it "
        "on (run it on a schedule; docs/operations.md). Check a file with "
        "verify_audit_export."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="From this moment (inclusive): YYYY-MM-DD[THH:MM]")
        parser.add_argument("--until", help="To this moment (exclusive): YYYY-MM-DD[THH:MM]")
        parser.add_argument("--output", help="Write to this file (default: standard output)")
        parser.add_argument(
            "--state",
            help="Keep the high-water mark in this JSON file instead of the database",
        )
        parser.add_argument(
            "--settle-seconds",
            type=int,
            default=60,
            help="Incremental runs leave events younger than this for the next run (60)",
        )

    def handle(self, *args, **options):
        since = _moment(options["since"]) if options["since"] else None
        until = _moment(options["until"]) if options["until"] else None
        if since and until and since >= until:
            raise CommandError("--since must be before --until")
        state = Path(options["state"]) if options["state"] else None
        target = Path(options["output"]) if options["output"] else None
        arguments = {
            "since": since,
            "until": until,
            "state": state,
            "settle_seconds": max(0, options["settle_seconds"]),
            "output": str(target) if target else "stdout",
        }
        if target is None:
            result = export_audit(lambda text: self.stdout.write(text, ending=""), **arguments)
        else:
            # Written beside the file and renamed before the mark commits: never half a file.
            partial = target.with_name(target.name + ".partial")
            with transaction.atomic(), partial.open("w", encoding="utf-8") as handle:
                result = export_audit(handle.write, **arguments)
                handle.close()
                partial.replace(target)
        self.stderr.write(
            f"Exported {result.count} audit events"
            + (f" ({result.first_event_id} to {result.last_event_id})" if result.count else "")
            + f"; final hash {result.final_hash}"
        )
