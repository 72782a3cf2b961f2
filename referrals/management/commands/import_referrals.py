from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prevent_portal.ui.uploads import ImportRowsError, UploadError
from prevent_portal.ui.words import counted
from referrals.importers import referrals_import_file


class Command(BaseCommand):
    help = (
        "Import a team's earlier referrals from a CSV file (columns in docs/referrals.md). "
        "All rows or none: every bad row is reported with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            counts = referrals_import_file(actor=None, data=data)
        except ImportRowsError as error:
            for line, message in error.errors:
                self.stderr.write(f"Line {line}: {message}")
            raise CommandError(f"{error}: nothing was imported") from error
        except UploadError as error:
            raise CommandError(f"{error}: nothing was imported") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {counted(counts['referrals'], 'referral')}: "
                f"{counted(counts['people_new'], 'new person', 'new people')}, "
                f"{counts['people_matched']:,} already on record."
            )
        )
